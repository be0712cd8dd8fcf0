// htdocs/workbench/read-marks.js: read positions both ways: the agent's (sent after each pull of the open conversation) and the visitor's ("read" under the agent's last message).
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, bus = WB.bus;
	var readTimer = 0;

	bus.on('conversation.pulled', function (d) {
		clearTimeout(readTimer);
		readTimer = setTimeout(function () {
			// Not while a handover of it is on its way: the pull may have brought
			// its own transfer before the answer did, and the mark would be refused.
			if (d.id === S.current && d.next > 0 && S.left !== d.id && S.handingOver !== d.id)
				WB.api('POST', '/api/v1/agent/conversations/' + d.id + '/read', { seq: d.next }).catch(function () {});
		}, 300);
	});

	function visitorRead() {
		var list = $('wb-messages');
		var mine = list.querySelectorAll('.wb-msg.wb-agent');
		Array.prototype.forEach.call(list.querySelectorAll('.wb2-read'), function (m) { m.parentNode.removeChild(m); });
		if (mine.length)
			mine[mine.length - 1].appendChild(WB.el('div', 'wb2-read', '✓ ' + t('workbench2.read')));
	}
	function onEvent(ev, cid) {
		// After the pane has drawn whatever came with it.
		if (ev.type === 'read' && ev.reader === 'visitor' && cid === S.current)
			setTimeout(visitorRead, 50);
	}
	bus.on('agent.event', function (d) { onEvent(d.ev, d.ev.conversation_id); });
	bus.on('conversation.event', function (d) { onEvent(d.ev, d.id); });
})();

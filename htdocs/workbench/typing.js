// htdocs/workbench/typing.js: "the visitor is typing" under the open conversation, and the agent's own typing signal to the visitor.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, bus = WB.bus;
	var typingTimer = 0, lastTyping = 0;

	var line = WB.el('p', 'wb2-typing', t('workbench2.typing'));
	line.id = 'wb2-typing';
	line.hidden = true;
	$('wb-messages').parentNode.insertBefore(line, $('wb-messages').nextSibling);

	function showTyping(on) {
		clearTimeout(typingTimer);
		line.hidden = !on;
		if (on)
			typingTimer = setTimeout(function () { line.hidden = true; }, 6000);
	}
	function onEvent(ev, cid) {
		if (cid !== S.current)
			return;
		if (ev.type === 'typing' && ev.sender === 'visitor')
			showTyping(ev.typing !== false);
		else if (ev.type === 'message' && ev.message && ev.message.sender === 'visitor')
			showTyping(false);
	}
	bus.on('agent.event', function (d) { onEvent(d.ev, d.ev.conversation_id); });
	bus.on('conversation.event', function (d) { if (d.live) onEvent(d.ev, d.id); });
	bus.on('conversation.opened', function () { showTyping(false); });
	bus.on('conversation.left', function () { showTyping(false); });

	// At most one signal every 3 s while the agent composes (a "/shortcut"
	// being looked up is not typing yet; the chosen reply is).
	$('wb-text').addEventListener('input', function (e) {
		var ta = e.target, now = Date.now();
		if (!S.current || S.left === S.current || !ta.value || now - lastTyping < 3000 || ta.value.charAt(0) === '/')
			return;
		lastTyping = now;
		WB.api('POST', '/api/v1/agent/conversations/' + S.current + '/typing', {}).catch(function () {});
	});
})();

// htdocs/widget/read-marks.js: read positions both ways in the chat panel: "read" under the visitor's last message when the agent read it, and the visitor's own read position (sent when an agent's message arrives while the panel is visible).
(function () {
	'use strict';
	var W = function () { return window.kefuWidget; };
	if (!window.kefuBus || !W()) return; // not a live chat frame
	var T = W().texts({ read: '已读' }, { read: 'Read' });
	var conv = 0, next = 0, readTimer = 0;

	function markRead() {
		var l = W().ui && W().ui.list;
		if (!l) return;
		var mine = l.querySelectorAll('.k-msg.k-visitor');
		if (!mine.length) return;
		Array.prototype.forEach.call(l.querySelectorAll('.k-readmark'), function (m) { m.parentNode.removeChild(m); });
		var last = mine[mine.length - 1], mark = document.createElement('div');
		last.classList.add('k-read');
		mark.className = 'k-readmark';
		mark.textContent = '✓ ' + T.read;
		last.appendChild(mark);
	}
	function sendRead() {
		clearTimeout(readTimer);
		readTimer = setTimeout(function () {
			if (!conv || !next || document.hidden) return;
			W().api('POST', '/api/v1/widget/conversations/' + conv + '/read', { seq: next }).catch(function () {});
		}, 500);
	}
	document.addEventListener('visibilitychange', function () { if (!document.hidden) sendRead(); });

	window.kefuBus.on('conversation.events', function (d) {
		if (d.id !== conv) { conv = d.id; next = 0; }
		if (typeof d.next === 'number' && d.next > next) next = d.next;
		var sawAgent = false;
		d.events.forEach(function (ev) {
			// After messages.js has drawn the messages of the same answer.
			if (ev.type === 'read' && ev.reader === 'agent') setTimeout(markRead, 50);
			else if (ev.type === 'message' && ev.message && ev.message.sender !== 'visitor') sawAgent = true;
		});
		if (sawAgent) sendRead();
	});
})();

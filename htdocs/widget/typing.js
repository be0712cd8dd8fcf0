// htdocs/widget/typing.js: typing both ways in the chat panel: "the agent is typing…" from the conversation's events (on the bus), and the visitor's own typing signal (at most one every 3 s).
(function () {
	'use strict';
	var W = function () { return window.kefuWidget; };
	if (!window.kefuBus || !W()) return; // not a live chat frame
	var T = W().texts({ typing: '客服正在输入…' }, { typing: 'The agent is typing…' });
	var TYPING_EVERY = 3000; // the server drops signals closer than 2 s anyway
	var lastTyping = 0, typingTimer = 0;

	function showTyping(on) {
		var l = W().ui && W().ui.list;
		if (!l) return;
		var old = l.querySelector('.k-typing');
		if (old) old.parentNode.removeChild(old);
		clearTimeout(typingTimer);
		if (!on) return;
		var li = document.createElement('li');
		li.className = 'k-typing';
		li.textContent = T.typing;
		l.appendChild(li);
		var b = W().ui.body;
		if (b) b.scrollTop = b.scrollHeight;
		typingTimer = setTimeout(function () { showTyping(false); }, 6000);
	}
	window.kefuBus.on('conversation.events', function (d) {
		d.events.forEach(function (ev) {
			if (ev.type === 'typing' && ev.sender === 'agent') showTyping(ev.typing !== false);
			else if (ev.type === 'message' && ev.message && ev.message.sender !== 'visitor') showTyping(false);
			else if (ev.type === 'status' && ev.status === 'closed') showTyping(false);
		});
	});

	document.addEventListener('input', function (e) {
		var w = W(), conv = w.conversation();
		if (!w.ui || e.target !== w.ui.text || !conv) return;
		var now = Date.now();
		if (now - lastTyping < TYPING_EVERY || !e.target.value) return;
		lastTyping = now;
		w.api('POST', '/api/v1/widget/conversations/' + conv + '/typing', {}).catch(function () {});
	});
})();

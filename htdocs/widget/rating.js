// htdocs/widget/rating.js: the end of a chat in the widget: the 1-5 star rating after close and the offer to e-mail the transcript.
// It hears the conversation's events from stream.js's poll on the bus (htdocs/common/bus.js, topic
// "conversation.events") and talks to the server through window.kefuWidget.api.
(function () {
	'use strict';
	var W = function () { return window.kefuWidget; };
	if (!W()) return; // not a live chat frame
	var T = W().texts(
		{ rate: '请为本次服务评分', thanks: '感谢您的评价！', comment: '还有什么想告诉我们的吗？（可选）', send: '提交', stars: '{n} 星', failed: '评价提交失败',
			mailMe: '把会话记录发到我的邮箱', mailAddr: '邮箱地址', mailSend: '发送', mailSent: '会话记录将发送到 {addr}', mailBad: '请输入有效的邮箱地址', mailLimit: '此会话的记录已发送多次，不能再发送', mailFailed: '发送失败，请稍后再试' },
		{ rate: 'How was your chat?', thanks: 'Thank you for your rating!', comment: 'Anything else to tell us? (optional)', send: 'Send', stars: '{n} stars', failed: 'Could not send the rating',
			mailMe: 'E-mail me the transcript', mailAddr: 'E-mail address', mailSend: 'Send', mailSent: 'The transcript will be sent to {addr}', mailBad: 'Please enter a valid e-mail address', mailLimit: 'This transcript was sent too often already', mailFailed: 'Could not send it; please try again later' });
	var rated = {}, offered = {};
	// The identified visitor's e-mail (from the identity), to fill in the transcript form.
	var visitorEmail = '';
	document.addEventListener('kefu:visitor', function (e) { visitorEmail = (e.detail && e.detail.email) || ''; });

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text != null) e.textContent = String(text);
		return e;
	}
	function list() { return W() && W().ui && W().ui.list; }
	function scroll() { var b = W() && W().ui && W().ui.body; if (b) b.scrollTop = b.scrollHeight; }

	// ---- rating after close ----
	function ratingPrompt(id) {
		var l = list();
		if (!l || rated[id] || l.querySelector('.k-rate')) return;
		rated[id] = true;
		var box = el('li', 'k-rate'), score = 0;
		box.setAttribute('data-conversation', id);
		box.appendChild(el('div', 'k-rtitle', T.rate));
		var stars = el('div', 'k-stars');
		stars.setAttribute('role', 'radiogroup');
		stars.setAttribute('aria-label', T.rate);
		var buttons = [];
		for (var i = 1; i <= 5; i++) (function (n) {
			var b = el('button', 'k-star', '★');
			b.type = 'button';
			b.setAttribute('role', 'radio');
			b.setAttribute('aria-checked', 'false');
			b.setAttribute('aria-label', T.stars.replace('{n}', n));
			b.setAttribute('data-score', n);
			b.addEventListener('click', function () {
				score = n;
				buttons.forEach(function (x, k) { x.classList.toggle('k-on', k < n); x.setAttribute('aria-checked', k === n - 1 ? 'true' : 'false'); });
				send.disabled = false;
			});
			buttons.push(b);
			stars.appendChild(b);
		})(i);
		box.appendChild(stars);
		var comment = el('textarea');
		comment.rows = 2;
		comment.maxLength = 1000;
		comment.placeholder = T.comment;
		box.appendChild(comment);
		var send = el('button', 'k-rsend', T.send);
		send.type = 'button';
		send.disabled = true;
		send.addEventListener('click', function () {
			if (!score) return;
			send.disabled = true;
			var body = { score: score };
			if (comment.value.trim()) body.comment = comment.value.trim();
			W().api('POST', '/api/v1/widget/conversations/' + id + '/rating', body).then(function () {
				box.textContent = '';
				box.appendChild(el('div', 'k-rthanks', T.thanks + ' ' + new Array(score + 1).join('★')));
			}, function (err) {
				if (err && err.status === 409) { box.textContent = ''; box.appendChild(el('div', 'k-rthanks', T.thanks)); return; }
				send.disabled = false;
				box.appendChild(el('div', 'k-note k-error', T.failed));
			});
		});
		box.appendChild(send);
		l.appendChild(box);
		scroll();
	}
	// ---- the transcript by e-mail after close (the server takes a few per conversation) ----
	function transcriptPrompt(id) {
		var l = list();
		if (!l || offered[id] || l.querySelector('.k-mailt')) return;
		offered[id] = true;
		var box = el('li', 'k-mailt');
		box.setAttribute('data-conversation', id);
		var open = el('button', 'k-mopen', T.mailMe);
		open.type = 'button';
		var form = el('form', 'k-mform');
		form.hidden = true;
		form.noValidate = true;
		var addr = el('input');
		addr.type = 'email';
		addr.name = 'email';
		addr.maxLength = 254;
		addr.autocomplete = 'email';
		addr.setAttribute('aria-label', T.mailAddr);
		addr.placeholder = T.mailAddr;
		var send = el('button', 'k-msend', T.mailSend);
		send.type = 'submit';
		var msg = el('div', 'k-mmsg');
		msg.setAttribute('role', 'status');
		form.appendChild(addr);
		form.appendChild(send);
		open.addEventListener('click', function () {
			open.hidden = true;
			form.hidden = false;
			if (!addr.value) addr.value = visitorEmail;
			addr.focus();
		});
		form.addEventListener('submit', function (e) {
			e.preventDefault();
			var a = addr.value.trim();
			if (!a) { msg.textContent = T.mailBad; return; }
			send.disabled = true;
			msg.textContent = '';
			W().api('POST', '/api/v1/widget/conversations/' + id + '/transcript-email', { email: a }).then(function () {
				form.hidden = true;
				msg.className = 'k-mmsg k-mdone';
				msg.textContent = T.mailSent.replace('{addr}', a);
			}, function (err) {
				send.disabled = false;
				msg.className = 'k-mmsg k-error';
				msg.textContent = err && err.status === 400 ? T.mailBad : err && err.status === 429 ? T.mailLimit : T.mailFailed;
				if (err && err.status === 429) { form.hidden = true; }
			});
		});
		box.appendChild(open);
		box.appendChild(form);
		box.appendChild(msg);
		l.appendChild(box);
		scroll();
	}

	// Seen live only: a reload after the close does not replay it (stream.js forgets a closed
	// conversation), and a second rating would be refused with 409 anyway.
	function maybeRate(id) { ratingPrompt(id); transcriptPrompt(id); }

	function onEvents(id, r) {
		(r.events || []).forEach(function (ev) {
			if (ev.type === 'status' && ev.status === 'closed') setTimeout(function () { maybeRate(id); }, 100);
		});
	}

	// stream.js's poll publishes each answer of the conversation's event stream.
	if (window.kefuBus)
		window.kefuBus.on('conversation.events', function (d) { if (W()) onEvents(d.id, d); });
})();

/* kefu widget: the chat panel inside the frame (visitor registration, pre-chat form, messages, long-poll, uploads). */
(function () {
	'use strict';
	var T = {
		zh: {
			title: '在线客服', close: '关闭', send: '发送', placeholder: '输入消息', hint: 'Enter 发送，Shift+Enter 换行',
			emoji: '表情', attach: '发送文件或图片', start: '开始咨询', newConv: '开始新的会话', required: '此项必填',
			badEmail: '请输入有效的邮箱', badPhone: '请输入有效的电话号码', choose: '请选择',
			queued: '排队中：您排在第 {n} 位，前面还有 {ahead} 位', closed: '会话已结束', offline: '客服暂时不在线，您可以留言，我们会尽快回复。',
			out_of_hours: '现在是非工作时间。', assigned: '{name} 为您服务', transferred: '会话已转接',
			identity_required: '请先登录网站后再发起咨询：该渠道只为已登录的客户提供服务。',
			identity_invalid: '无法验证您的身份，请刷新页面或重新登录网站后再试。',
			failed: '发送失败，请重试。', tooLarge: '文件太大。', badType: '不支持该文件类型。',
			unavailable: '暂时无法连接客服，请稍后再试。', welcome: '您好！有什么可以帮您？',
			previewAgent: '客服小王', previewVisitor: '你好，我想咨询一下', you: '我', system: '系统消息', download: '下载',
			chose: '已选择：{name}', leave: '留言', leaveTitle: '请留下您的联系方式和问题，我们会尽快联系您。',
			leaveSend: '提交留言', leaveThanks: '感谢留言！我们会尽快与您联系。', invalid: '请检查此项', cancel: '取消',
			groupOffline: '{name}（暂无客服在线）', retry: '重新连接'
		},
		en: {
			title: 'Live chat', close: 'Close', send: 'Send', placeholder: 'Type a message', hint: 'Enter sends, Shift+Enter adds a line',
			emoji: 'Emoji', attach: 'Send a file or image', start: 'Start chat', newConv: 'Start a new conversation',
			required: 'This field is required', badEmail: 'Enter a valid email address', badPhone: 'Enter a valid phone number',
			choose: 'Choose…', queued: 'You are number {n} in the queue ({ahead} ahead of you)', closed: 'This conversation has ended',
			offline: 'No agent is online right now. Leave a message and we will reply soon.',
			out_of_hours: 'We are outside our service hours.', assigned: '{name} is here to help',
			transferred: 'The conversation was transferred',
			identity_required: 'Please log in to the website first: this chat serves signed-in customers only.',
			identity_invalid: 'We could not verify your identity. Reload the page or log in again.',
			failed: 'Could not send. Try again.', tooLarge: 'The file is too large.', badType: 'This file type is not supported.',
			unavailable: 'Chat is unavailable right now. Try again later.', welcome: 'Hello! How can we help?',
			previewAgent: 'Agent Wang', previewVisitor: 'Hi, I have a question', you: 'Me', system: 'System', download: 'Download',
			chose: 'You chose: {name}', leave: 'Leave a message', leaveTitle: 'Leave your contact details and question; we will get back to you soon.',
			leaveSend: 'Send message', leaveThanks: 'Thank you! We will get back to you soon.', invalid: 'Check this field', cancel: 'Cancel',
			groupOffline: '{name} (nobody online)', retry: 'Try again'
		}
	};
	var lang = /^en/i.test(navigator.language || '') ? 'en' : 'zh';
	var t = function (k, vars) {
		var s = T[lang][k] || k;
		for (var v in vars || {}) s = s.replace('{' + v + '}', vars[v]);
		return s;
	};
	var EMOJI = '😀 😁 😂 🤣 😊 😍 😘 😎 🤔 😅 😢 😭 😡 😮 😴 🙄 👍 👎 👌 👏 🙏 💪 🤝 👋 ❤️ 💔 🎉 🔥 ⭐ ✅ ❌ ❓ 💡 📦 🚚 💰 🎁 📞 ⏰ 🌹'.split(' ');

	var qs = new URLSearchParams(location.search);
	var PREVIEW = qs.get('preview') === '1';
	var m = /^\/widget\/frame\/([^/]+)$/.exec(location.pathname);
	var KEY = m ? decodeURIComponent(m[1]) : '';
	// Outside the channel's own frame URL (whose CSP limits who may frame it)
	// the page only ever runs as the console's preview.
	if (!KEY && !PREVIEW) return;

	var parentOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) ||
		(document.referrer ? new URL(document.referrer).origin : '*');
	var framed = window.parent !== window;
	var app = document.getElementById('kefu-app');
	var S = {
		channel: null, token: null, conv: null, seq: 0, next: 0, status: null, seen: {}, msgIds: {},
		polling: false, unread: 0, open: false, params: null, pageUrl: null, referrer: null,
		groupId: null, leaveForm: null, left: false, wantLeave: false, sending: 0, epoch: 0,
		greet: [], offlineSaid: null
	};
	var store = {
		get: function (k) { try { return JSON.parse(localStorage.getItem('kefu:' + k + ':' + KEY)); } catch (e) { return null; } },
		set: function (k, v) { try { localStorage.setItem('kefu:' + k + ':' + KEY, JSON.stringify(v)); } catch (e) { /* private mode */ } },
		del: function (k) { try { localStorage.removeItem('kefu:' + k + ':' + KEY); } catch (e) { /* ignore */ } }
	};

	function h(tag, attrs, kids) {
		var e = document.createElement(tag);
		for (var a in attrs || {}) {
			if (a === 'text') e.textContent = attrs[a];
			else if (a.slice(0, 2) === 'on') e.addEventListener(a.slice(2), attrs[a]);
			else if (attrs[a] !== null && attrs[a] !== undefined && attrs[a] !== false) e.setAttribute(a, attrs[a] === true ? '' : attrs[a]);
		}
		(kids || []).forEach(function (k) { if (k) e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k); });
		return e;
	}
	// A paperclip drawn, not a glyph: emoji fonts lack it on many systems.
	function clip() {
		var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg'), p = document.createElementNS(ns, 'path');
		svg.setAttribute('viewBox', '0 0 24 24');
		svg.setAttribute('class', 'k-svg');
		svg.setAttribute('aria-hidden', 'true');
		p.setAttribute('d', 'M21 11l-8.5 8.5a5 5 0 01-7-7L14 4a3.5 3.5 0 015 5l-8.5 8.5a2 2 0 01-3-3L15 7');
		svg.appendChild(p);
		return svg;
	}
	function tell(msg) {
		if (!framed) return;
		msg.kefu = 1;
		try { window.parent.postMessage(msg, parentOrigin); } catch (e) { /* parent gone */ }
	}

	// --- layout ---------------------------------------------------------------
	var ui = {};
	function build() {
		ui.name = h('div', { class: 'k-name', text: t('title') });
		ui.agent = h('div', { class: 'k-agent', 'aria-live': 'polite' });
		ui.closeBtn = h('button', { type: 'button', class: 'k-icon k-x', 'aria-label': t('close'), title: t('close'), onclick: hide }, ['×']);
		ui.header = h('header', { class: 'k-head' }, [h('div', { class: 'k-titles' }, [ui.name, ui.agent]), ui.closeBtn]);
		ui.banner = h('div', { class: 'k-banner', role: 'status', 'aria-live': 'polite', hidden: true });
		// Offered while waiting (queued) or when nobody can chat: the rule's leave-a-message form.
		ui.leaveBtn = h('button', { type: 'button', class: 'k-link', onclick: function () { openLeave(true); } }, [t('leave')]);
		ui.leaveBar = h('div', { class: 'k-leavebar', hidden: true }, [ui.leaveBtn]);
		ui.list = h('ol', { class: 'k-list', 'aria-label': t('title') });
		// New messages from the agent are read out through this polite region, not the list,
		// which would read the whole history aloud when it loads.
		ui.live = h('div', { class: 'k-sr', id: 'k-live', role: 'status', 'aria-live': 'polite' });
		ui.body = h('div', { class: 'k-body' }, [ui.list]);
		ui.text = h('textarea', { class: 'k-text', rows: 1, 'aria-label': t('placeholder'), placeholder: t('placeholder'), 'aria-describedby': 'k-hint', onkeydown: onKey });
		// The keyboard hint, on its own line: shown where there is a keyboard and room (widget.css hides it on touch screens and narrow panels).
		ui.hint = h('div', { class: 'k-hint', id: 'k-hint', text: t('hint') });
		ui.emojiBtn = h('button', { type: 'button', class: 'k-icon', 'aria-label': t('emoji'), title: t('emoji'), 'aria-expanded': 'false', onclick: toggleEmoji }, ['😊']);
		ui.file = h('input', { type: 'file', class: 'k-file', tabindex: '-1', 'aria-hidden': 'true', onchange: onFile });
		ui.attachBtn = h('button', { type: 'button', class: 'k-icon', 'aria-label': t('attach'), title: t('attach'), onclick: function () { ui.file.click(); } }, [clip()]);
		ui.sendBtn = h('button', { type: 'button', class: 'k-send', onclick: sendText }, [t('send')]);
		ui.emoji = h('div', { class: 'k-emoji', role: 'listbox', 'aria-label': t('emoji'), hidden: true },
			EMOJI.map(function (e) { return h('button', { type: 'button', role: 'option', class: 'k-e', 'aria-label': e, onclick: function () { insert(e); } }, [e]); }));
		ui.composer = h('footer', { class: 'k-compose' }, [ui.emoji, h('div', { class: 'k-tools' }, [ui.emojiBtn, ui.attachBtn, ui.file]), h('div', { class: 'k-row' }, [ui.text, ui.sendBtn]), ui.hint]);
		ui.panel = h('div', { class: 'k-panel' }, [ui.header, ui.banner, ui.leaveBar, ui.body, ui.live, ui.composer]);
		app.textContent = '';
		app.appendChild(ui.panel);
		document.addEventListener('keydown', function (e) {
			if (e.key === 'Escape') {
				if (!ui.emoji.hidden) { toggleEmoji(); ui.emojiBtn.focus(); } else hide();
			}
		});
	}
	// Add-ons (visitor.js) hear the panel open and close on the bus.
	function emit(topic, data) { if (window.kefuBus) window.kefuBus.emit(topic, data || {}); }
	function hide() { tell({ type: 'close' }); S.open = false; emit('panel.close'); }
	function banner(text, kind) {
		ui.banner.hidden = !text;
		ui.banner.className = 'k-banner' + (kind ? ' k-' + kind : '');
		ui.banner.textContent = text || '';
	}
	function scroll() { ui.body.scrollTop = ui.body.scrollHeight; }
	// queue_position 1 is next in line: nobody ahead.
	function queueBanner(pos) {
		var n = typeof pos === 'number' && pos > 0 ? pos : null;
		banner(t('queued', { n: n || '?', ahead: n ? n - 1 : '?' }), 'queue');
		if (n) ui.banner.setAttribute('data-position', String(n));
	}
	function leaveOffer() {
		var on = !!(S.channel && S.channel.leave_message) && !S.left && !S.leaveForm;
		ui.leaveBar.hidden = !on;
	}
	// The channel's theme colour, darkened (same hue) until white text on it, and it on
	// white, reach the 4.5:1 contrast WCAG AA asks for; loader.js does the same for the button.
	function readable(hex) {
		var rgb = [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
		var lum = function (c) {
			var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
			return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
		};
		while (1.05 / (lum(rgb) + 0.05) < 4.5)
			rgb = rgb.map(function (v) { return Math.floor(v * 0.95); });
		return '#' + rgb.map(function (v) { return (256 + v).toString(16).slice(1); }).join('');
	}
	function applyChannel(ch) {
		S.channel = ch;
		var c = readable(ch.style && /^#[0-9a-f]{6}$/i.test(ch.style.theme_color) ? ch.style.theme_color : '#0b5ed7');
		document.documentElement.style.setProperty('--kefu-theme', c);
		ui.name.textContent = ch.name || t('title');
		document.title = ch.name || t('title');
	}
	function setComposer(on) {
		ui.composer.hidden = !on;
	}

	// --- rendering -------------------------------------------------------------
	function size(n) {
		return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' B';
	}
	function safeUrl(u) {
		try { var x = new URL(u, location.href); return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null; } catch (e) { return null; }
	}
	function time(s) {
		var d = s ? new Date(s) : new Date();
		return isNaN(d) ? '' : d.toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en', { hour: '2-digit', minute: '2-digit' });
	}
	function renderMessage(msg) {
		if (msg.id && S.msgIds[msg.id]) return;
		if (msg.id) S.msgIds[msg.id] = 1;
		// The greeting and the offline text were shown when the panel opened: the copies the start sends are not repeated.
		if (msg.sender === 'system' && msg.kind === 'text') {
			if (S.greet.length && msg.text === S.greet[0]) { S.greet.shift(); return; }
			if (S.offlineSaid && msg.text === S.offlineSaid) { S.offlineSaid = null; return; }
		}
		var who = msg.sender || 'system';
		var content;
		var att = msg.attachment;
		if (msg.kind === 'image' && att && safeUrl(att.url)) {
			var img = h('img', { src: safeUrl(att.url), alt: att.name || '', loading: 'lazy' });
			img.addEventListener('load', scroll);
			content = h('a', { href: safeUrl(att.url), target: '_blank', rel: 'noopener', class: 'k-img' }, [img]);
		} else if (msg.kind === 'file' && att) {
			content = h('a', { href: safeUrl(att.url) || '#', class: 'k-fileln', download: att.name || '', target: '_blank', rel: 'noopener', 'aria-label': t('download') + ' ' + (att.name || '') },
				[h('span', { class: 'k-fname', text: att.name || 'file' }), h('span', { class: 'k-fsize', text: size(att.size || 0) })]);
		} else if (msg.kind === 'card' && msg.card) {
			content = h('div', { class: 'k-card' }, [h('strong', { text: msg.card.title || '' })].concat((msg.card.lines || []).map(function (l) { return h('div', { text: l }); })));
		} else {
			content = h('div', { class: 'k-textmsg', text: msg.text || '' });
		}
		var meta = who === 'agent' && msg.agent ? msg.agent.name : who === 'visitor' ? t('you') : who === 'system' ? t('system') : '';
		var li = h('li', { class: 'k-msg k-' + who }, [
			who === 'system' ? null : h('div', { class: 'k-meta', text: meta + ' ' + time(msg.created_at) }),
			h('div', { class: 'k-bubble' }, [content])
		]);
		ui.list.appendChild(li);
		if (who === 'agent' && msg.agent) ui.agent.textContent = msg.agent.name;
		if (who !== 'visitor' && !S.open) { S.unread++; tell({ type: 'unread', count: S.unread }); }
		scroll();
	}
	function note(text, kind) {
		ui.list.appendChild(h('li', { class: 'k-note' + (kind ? ' k-' + kind : ''), text: text }));
		scroll();
	}
	function renderStatus(ev) {
		S.status = ev.status;
		if (ev.agent && ev.agent.name) ui.agent.textContent = ev.agent.name;
		if (ev.status === 'queued') queueBanner(ev.queue_position);
		else { banner(''); ui.banner.removeAttribute('data-position'); }
		// Busy: the form is offered; offline or out of hours: shown (after the
		// rule's system text, which follows this event in the same batch).
		if (ev.status === 'queued') leaveOffer();
		else if (ev.status === 'offline' || ev.status === 'out_of_hours') S.wantLeave = true;
		else ui.leaveBar.hidden = true;
		if (ev.status === 'assigned' && ev.agent) note(t('assigned', { name: ev.agent.name }));
		else if (ev.status === 'transferred') note(t('transferred'));
		else if (ev.status === 'offline' || ev.status === 'out_of_hours') nobodyHere(ev.status, false);
		else if (ev.status === 'closed') closedState();
	}
	function renderEvent(ev) {
		if (ev.seq <= S.seq) return; // each event once, even across resumes
		S.seq = ev.seq;
		if (ev.type === 'message' && ev.message) {
			renderMessage(ev.message);
			announce(ev);
		} else if (ev.type === 'status') renderStatus(ev);
	}
	// The page's kefu('on', 'message', fn) hears each message once, also
	// across page loads: a resumed conversation is redrawn from its start.
	function announce(ev) {
		var told = store.get('told');
		if (told && told.conv === S.conv && ev.seq <= told.seq) return;
		store.set('told', { conv: S.conv, seq: ev.seq });
		var x = ev.message;
		if (x.sender !== 'visitor') {
			var who = x.sender === 'agent' && x.agent ? x.agent.name : x.sender === 'system' ? t('system') : '';
			var what = x.kind === 'text' ? x.text || '' : x.kind === 'card' && x.card ? x.card.title || '' : x.attachment ? x.attachment.name || '' : '';
			ui.live.textContent = (who ? who + ': ' : '') + what;
		}
		tell({ type: 'message', message: { id: x.id, sender: x.sender, kind: x.kind, text: x.text, created_at: x.created_at, agent: x.agent || null } });
	}
	// Nobody can answer (offline or out of hours): one notice, and no composer, since messages
	// would reach nobody: the leave-a-message form takes its place (or a way to try again).
	// local: said before any conversation (when the panel opens); else the conversation's status
	// event, after which the server sends the rule's text itself (texts.offline: null built-in,
	// "" none), so the widget adds its own only when there is none and nothing was said yet.
	function nobodyHere(status, local) {
		var texts = (S.channel && S.channel.texts) || {};
		var own = status === 'out_of_hours' ? texts.out_of_hours : texts.offline;
		if (local && !S.offlineSaid) {
			var text = own || t(status);
			note(text, 'offline');
			S.offlineSaid = own ? text : null;
			if (!own) S.offlineSaid = '\u0000local';
		} else if (!local && own === '' && !S.offlineSaid) {
			note(t(status), 'offline');
			S.offlineSaid = '\u0000local';
		}
		setComposer(false);
		if (local && store.get('left') === 'pre') {
			S.left = true;
			note(t('leaveThanks'), 'thanks');
		} else if (S.channel && S.channel.leave_message) {
			if (local) openLeave(false);
			else S.wantLeave = true;
		} else if (!ui.list.querySelector('.k-retry')) {
			var b = h('button', { type: 'button', class: 'k-primary k-retry', onclick: function () {
				api('GET', '/api/v1/widget/channels/' + encodeURIComponent(KEY)).then(function (ch) {
					applyChannel(ch);
					b.parentNode.remove();
					forgetConversation();
					fresh();
				}, function (err) { note(explain(err), 'error'); });
			} }, [t('retry')]);
			ui.list.appendChild(h('li', { class: 'k-note' }, [b]));
			scroll();
		}
	}
	function forgetConversation() {
		store.del('conv');
		S.polling = false;
		S.conv = null;
		S.offlineSaid = null;
		tell({ type: 'active', active: false });
	}
	function afterEvents() {
		// The visitor's own message (whose POST answer may come after the poll
		// brought the status) goes above the form.
		if (!S.wantLeave || S.sending) return;
		S.wantLeave = false;
		if (S.status === 'offline' || S.status === 'out_of_hours') openLeave(false);
	}
	function closedState() {
		S.status = 'closed';
		S.polling = false;
		store.del('conv');
		tell({ type: 'active', active: false });
		banner('');
		ui.leaveBar.hidden = true;
		note(t('closed'), 'closed');
		setComposer(false);
		var b = h('button', { type: 'button', class: 'k-primary k-new', onclick: function () { b.parentNode.remove(); fresh(); } }, [t('newConv')]);
		ui.list.appendChild(h('li', { class: 'k-note' }, [b]));
		scroll();
		b.focus();
	}

	// --- API -------------------------------------------------------------------
	function api(method, path, body, raw) {
		var headers = {};
		if (S.token) headers['X-Visitor-Token'] = S.token;
		var init = { method: method, headers: headers, credentials: 'omit' };
		if (body !== undefined) {
			if (raw) init.body = body;
			else { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
		}
		return fetch(path, init).then(function (r) {
			return r.text().then(function (txt) {
				var j = null;
				try { j = txt ? JSON.parse(txt) : null; } catch (e) { j = null; }
				if (!r.ok) {
					var err = new Error((j && j.error && j.error.code) || 'http_' + r.status);
					err.status = r.status;
					err.code = j && j.error ? j.error.code : null;
					err.field = j && j.error ? j.error.field || null : null;
					throw err;
				}
				return j;
			});
		});
	}
	function explain(err) {
		var c = err && err.code;
		if (c === 'identity_required' || c === 'identity_invalid') return t(c);
		if (c === 'too_large') return t('tooLarge');
		if (c === 'unsupported_type') return t('badType');
		if (err && err.status >= 500) return t('unavailable');
		return t('failed');
	}
	// One registration at a time (boot, identify, logout), each after the
	// last, so that each sends the token the one before it got.
	var registering = Promise.resolve();
	function register() {
		var run = registering.then(registerNow, registerNow);
		registering = run.catch(function () { /* the next one tries again */ });
		return run;
	}
	function registerNow() {
		var body = { locale: navigator.language || '', page_url: S.pageUrl || undefined, referrer: S.referrer || undefined };
		var tok = store.get('token');
		if (tok) body.visitor_token = tok;
		if (S.params) body.custom_params = S.params;
		if (S.attrs && Object.keys(S.attrs).length) body.attributes = S.attrs;
		var epoch = S.epoch;
		return api('POST', '/api/v1/widget/channels/' + encodeURIComponent(KEY) + '/visitors', body).then(function (v) {
			// Asked for before a logout: whoever it names is not kept.
			if (epoch !== S.epoch) return v;
			var was = store.get('visitor');
			S.token = v.visitor_token;
			store.set('token', v.visitor_token);
			store.set('visitor', v.visitor_id);
			// Someone else than the visitor this browser held (the server makes a
			// new visitor when the identity changes): nothing of theirs stays.
			v.changed = was !== null && was !== v.visitor_id;
			if (v.changed) forget();
			// Add-ons in the frame (quick.js) learn who the visitor is from this event.
			document.dispatchEvent(new CustomEvent('kefu:visitor', { detail: v }));
			return v;
		});
	}
	// Drop the conversation on screen and in storage: another person uses the panel now.
	function forget() {
		store.del('conv');
		store.del('left');
		store.del('told');
		S.conv = null; S.seq = 0; S.next = 0; S.status = null; S.polling = false; S.seen = {}; S.msgIds = {};
		S.unread = 0; S.groupId = null; S.left = false; S.leaveForm = null; S.wantLeave = false;
		starting = null;
		ui.list.textContent = '';
		ui.agent.textContent = '';
		banner('');
		ui.banner.removeAttribute('data-position');
		ui.leaveBar.hidden = true;
		tell({ type: 'unread', count: 0 });
		tell({ type: 'active', active: false });
	}
	// The site logged its customer out: forget the visitor too, and be a new guest until the site says who is here.
	function logout() {
		S.epoch++;
		store.del('token');
		store.del('visitor');
		S.token = null;
		S.params = null;
		S.attrs = null; // the site sets the next person's own
		forget();
		tell({ type: 'forgot' });
		// A boot under way may draw its start first: start again from a clean list.
		return register().then(function () { forget(); fresh(); });
	}
	function poll() {
		if (!S.conv || S.polling) return;
		S.polling = true;
		var conv = S.conv, delay = 1000;
		(function loop() {
			if (!S.polling || S.conv !== conv) return;
			api('GET', '/api/v1/widget/conversations/' + conv + '/events?after=' + S.next + '&wait=25').then(function (r) {
				// An answer for a conversation left meanwhile (another visitor) is dropped.
				if (!S.polling || S.conv !== conv) return;
				delay = 1000;
				(r.events || []).forEach(renderEvent);
				afterEvents();
				if (typeof r.next === 'number' && r.next > S.next) S.next = r.next;
				// Add-ons (typing.js, read-marks.js, rating.js) hear the same answer on the bus.
				if (window.kefuBus) window.kefuBus.emit('conversation.events', { id: conv, events: r.events || [], next: S.next });
				if (S.conv === conv) store.set('conv', { id: conv, next: S.next });
				if (S.status === 'closed') S.polling = false;
				loop();
			}, function (err) {
				if (S.conv !== conv) return;
				if (err.status === 404 || err.status === 401) { S.polling = false; store.del('conv'); S.conv = null; return; }
				setTimeout(loop, delay);
				delay = Math.min(delay * 2, 30000);
			});
		})();
	}
	function startConversation(prechat) {
		var body = { channel_key: KEY, prechat: prechat || {} };
		if (S.groupId != null) body.group_id = S.groupId;
		// Answering an invitation (visitor.js): the conversation goes to the inviting agent.
		var inv = S.invitation;
		if (inv) body.invitation_id = inv;
		return api('POST', '/api/v1/widget/conversations', body).then(function (c) {
			if (inv) { S.invitation = null; emit('invitation.answered', { id: inv, conversation: c.id }); }
			S.conv = c.id;
			S.seq = 0;
			S.next = 0;
			store.set('conv', { id: c.id, next: 0 });
			tell({ type: 'active', active: true });
			if (c.agent && c.agent.name) ui.agent.textContent = c.agent.name;
			if (c.status === 'queued') { queueBanner(c.queue_position); leaveOffer(); }
			else if (c.status === 'assigned') ui.leaveBar.hidden = true;
			setComposer(true);
			poll();
			return c;
		});
	}
	var starting = null;
	function ensureConversation() {
		if (S.conv) return Promise.resolve();
		if (!starting) starting = startConversation({}).then(function () { starting = null; }, function (e) { starting = null; throw e; });
		return starting;
	}
	function sendText() {
		var text = ui.text.value.replace(/\s+$/, '');
		if (!text.trim() || PREVIEW) return;
		ui.text.value = '';
		autosize();
		S.sending++;
		ensureConversation().then(function () {
			return api('POST', '/api/v1/widget/conversations/' + S.conv + '/messages', { kind: 'text', text: text });
		}).then(renderMessage, function (err) {
			if (err.code === 'conflict') closedState();
			else { ui.text.value = text; note(explain(err), 'error'); }
		}).then(sent);
	}
	function onFile() {
		var f = ui.file.files && ui.file.files[0];
		ui.file.value = '';
		if (!f || PREVIEW) return;
		S.sending++;
		ensureConversation().then(function () {
			var fd = new FormData();
			fd.append('file', f, f.name);
			return api('POST', '/api/v1/widget/conversations/' + S.conv + '/attachments', fd, true);
		}).then(renderMessage, function (err) {
			if (err.code === 'conflict') closedState();
			else note(explain(err), 'error');
		}).then(sent);
	}
	function sent() { S.sending--; afterEvents(); }

	// --- composer --------------------------------------------------------------
	function autosize() {
		ui.text.style.height = 'auto';
		ui.text.style.height = Math.min(ui.text.scrollHeight, 120) + 'px';
	}
	function onKey(e) {
		if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText(); }
		else setTimeout(autosize, 0);
	}
	function toggleEmoji() {
		ui.emoji.hidden = !ui.emoji.hidden;
		ui.emojiBtn.setAttribute('aria-expanded', String(!ui.emoji.hidden));
		if (!ui.emoji.hidden) ui.emoji.firstChild.focus();
	}
	function insert(s) {
		var a = ui.text.selectionStart || 0, b = ui.text.selectionEnd || 0, v = ui.text.value;
		ui.text.value = v.slice(0, a) + s + v.slice(b);
		ui.text.selectionStart = ui.text.selectionEnd = a + s.length;
		ui.emoji.hidden = true;
		ui.emojiBtn.setAttribute('aria-expanded', 'false');
		ui.text.focus();
	}

	// --- forms: pre-chat and leave-a-message share one renderer ------------------------
	function prechatForm(fields, onSubmit) {
		var greets = S.channel && S.channel.texts && S.channel.texts.welcome;
		return fieldForm(fields, { prefix: 'k-f', hello: greets ? '' : t('welcome'), submit: t('start'), onSubmit: onSubmit,
			onDone: function (form) { form.remove(); ui.text.focus(); } });
	}
	// opts: prefix (element ids), hello, submit (label), onSubmit(values) → promise, onDone(form).
	function fieldForm(fields, opts) {
		var inputs = {};
		var form = h('form', { class: 'k-prechat', novalidate: true });
		if (opts.hello) form.appendChild(h('p', { class: 'k-hello', text: opts.hello }));
		fields.forEach(function (f, i) {
			var id = opts.prefix + i, input;
			if (f.type === 'select') {
				input = h('select', { id: id, name: f.name }, [h('option', { value: '', text: t('choose') })].concat(
					(f.options || []).map(function (o) { return h('option', { value: o, text: o }); })));
			} else if (f.type === 'textarea') {
				input = h('textarea', { id: id, name: f.name, rows: '4', maxlength: '2000', class: 'k-area' });
			} else {
				input = h('input', { id: id, name: f.name, type: f.type === 'phone' ? 'tel' : f.type === 'email' ? 'email' : 'text',
					autocomplete: f.type === 'phone' ? 'tel' : f.type === 'email' ? 'email' : 'off', maxlength: '200' });
			}
			if (f.required) input.setAttribute('aria-required', 'true');
			var errEl = h('div', { class: 'k-err', id: id + '-err', 'aria-live': 'polite' });
			input.setAttribute('aria-describedby', id + '-err');
			inputs[f.name] = { input: input, err: errEl, field: f };
			form.appendChild(h('div', { class: 'k-field' }, [h('label', { for: id }, [f.label, f.required ? h('span', { class: 'k-req', 'aria-hidden': 'true', text: ' *' }) : null]), input, errEl]));
		});
		var submit = h('button', { type: 'submit', class: 'k-primary' }, [opts.submit]);
		var formErr = h('div', { class: 'k-err', role: 'alert' });
		form.appendChild(formErr);
		form.appendChild(submit);
		form.addEventListener('submit', function (e) {
			e.preventDefault();
			var values = {}, first = null;
			Object.keys(inputs).forEach(function (n) {
				var x = inputs[n], v = x.input.value.trim(), msg = '';
				if (x.field.required && !v) msg = t('required');
				else if (v && x.field.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) msg = t('badEmail');
				else if (v && x.field.type === 'phone' && !/^\+?[0-9 ()-]{5,20}$/.test(v)) msg = t('badPhone');
				x.err.textContent = msg;
				x.input.setAttribute('aria-invalid', msg ? 'true' : 'false');
				if (msg && !first) first = x.input;
				if (v) values[n] = v;
			});
			formErr.textContent = '';
			if (first) { first.focus(); return; }
			if (PREVIEW) return;
			submit.disabled = true;
			opts.onSubmit(values).then(function () { opts.onDone(form); }, function (err) {
				submit.disabled = false;
				// The server names the field it refused ("fields.email", "prechat.email"): say so beside it.
				var name = err.code === 'invalid_field' && err.field ? err.field.replace(/^(fields|prechat)\./, '') : null;
				var x = name && inputs[name];
				if (x) {
					x.err.textContent = t('invalid');
					x.input.setAttribute('aria-invalid', 'true');
					x.input.focus();
				} else formErr.textContent = explain(err);
			});
		});
		return form;
	}

	// --- leave a message (busy, offline, out of hours) --------------------------------------
	function openLeave(focus) {
		var lm = S.channel && S.channel.leave_message;
		if (!lm || S.left) return;
		if (S.leaveForm) { if (focus) focusFirst(S.leaveForm); return; }
		var row = h('li', { class: 'k-formrow k-leaverow' });
		var form = fieldForm(lm.fields || [], {
			prefix: 'k-l', hello: t('leaveTitle'), submit: t('leaveSend'),
			onSubmit: function (values) {
				return api('POST', '/api/v1/widget/channels/' + encodeURIComponent(KEY) + '/leave-messages', { fields: values });
			},
			onDone: function () {
				S.left = true; S.leaveForm = null;
				// A reload replays this conversation's offline status: do not ask again.
				// Left before any conversation (nobody online when the panel opened): "pre".
				store.set('left', S.conv || 'pre');
				row.textContent = '';
				row.className = 'k-note k-thanks';
				row.setAttribute('role', 'status');
				row.textContent = t('leaveThanks');
				leaveOffer();
				scroll();
			}
		});
		form.classList.add('k-leave');
		// What the visitor already wrote into a conversation nobody can answer becomes the
		// message they leave (the first multi-line field, else one named "message").
		var said = [].map.call(ui.list.querySelectorAll('.k-msg.k-visitor .k-textmsg'), function (n) { return n.textContent; });
		var box = form.querySelector('textarea') || form.querySelector('[name="message"]');
		if (said.length && box && !box.value) box.value = said.join('\n');
		row.appendChild(form);
		ui.list.appendChild(row);
		S.leaveForm = row;
		leaveOffer();
		scroll();
		if (focus || S.open) focusFirst(row);
	}
	function focusFirst(el) {
		var f = el.querySelector('input,select,textarea,button');
		if (f) f.focus();
	}

	// --- visitor choice: the rule's prompt and groups, before connecting -------------------
	function choiceStep(choice, next) {
		var prompt = h('p', { class: 'k-hello', id: 'k-choice-prompt', text: choice.prompt || t('choose') });
		var box = h('div', { class: 'k-choice', role: 'group', 'aria-labelledby': 'k-choice-prompt' }, [prompt]);
		(choice.groups || []).forEach(function (g) {
			// A group with nobody online says so on its button; choosing it leads to the leave-a-message form.
			var away = g.online === false;
			box.appendChild(h('button', { type: 'button', class: 'k-choicebtn' + (away ? ' k-choice-off' : ''), 'data-group': String(g.id), onclick: function () {
				S.groupId = g.id;
				row.remove();
				note(t('chose', { name: g.name }));
				if (away) nobodyHere('offline', true);
				else next();
			} }, [away ? t('groupOffline', { name: g.name }) : g.name]));
		});
		var row = h('li', { class: 'k-formrow' }, [box]);
		ui.list.appendChild(row);
		if (S.open) focusFirst(box);
	}

	// --- flows ---------------------------------------------------------------------
	function fresh() {
		S.conv = null; S.seq = 0; S.next = 0; S.status = null; S.polling = false; S.groupId = null;
		S.left = false; S.leaveForm = null;
		ui.agent.textContent = '';
		ui.leaveBar.hidden = true;
		var ch = S.channel || {}, texts = ch.texts || {};
		// The greeting comes first, when the panel opens: the rule's welcome and promo (their copies
		// sent at the start are not shown twice), else a built-in hello when no form follows.
		S.greet = [];
		S.offlineSaid = null;
		if (!ui.list.firstChild) {
			[texts.welcome, texts.promo].forEach(function (x) {
				if (!x) return;
				renderMessage({ sender: 'system', kind: 'text', text: x });
				S.greet.push(x);
			});
			if (!S.greet.length && !(ch.prechat_fields || []).length) note(t('welcome'));
		}
		// Nobody can answer: say so once, before any choice or form, and offer the leave-a-message form.
		if (ch.open_now === false || ch.online === false) {
			nobodyHere(ch.open_now === false ? 'out_of_hours' : 'offline', true);
			return;
		}
		if (store.get('left') === 'pre') store.del('left'); // someone is here again: the next offline time asks anew
		if (ch.choice && (ch.choice.groups || []).length) {
			setComposer(false);
			choiceStep(ch.choice, connectStep);
		} else connectStep();
	}
	function connectStep() {
		var fields = (S.channel && S.channel.prechat_fields) || [];
		if (fields.length) {
			setComposer(false);
			var form = prechatForm(fields, function (values) { return startConversation(values); });
			ui.list.appendChild(h('li', { class: 'k-formrow' }, [form]));
			var first = form.querySelector('input,select');
			if (first && S.open) first.focus();
		} else {
			setComposer(true);
			if (S.groupId != null && S.open) ui.text.focus();
		}
		scroll();
	}
	function boot() {
		build();
		api('GET', '/api/v1/widget/channels/' + encodeURIComponent(KEY)).then(function (ch) {
			applyChannel(ch);
			return register();
		}).then(function () {
			var saved = store.get('conv');
			if (saved && saved.id) {
				// Rebuild the history from the start: dedupe by seq keeps it exact.
				S.conv = saved.id; S.seq = 0; S.next = 0;
				S.left = store.get('left') === saved.id;
				setComposer(true);
				tell({ type: 'active', active: true });
				poll();
			} else fresh();
			// Visitor tracking (visitor.js) starts once the visitor is registered.
			emit('widget.ready', { channel: S.channel, page: { url: S.pageUrl, title: S.pageTitle, referrer: S.referrer } });
		}).catch(function (err) {
			setComposer(false);
			banner(explain(err), 'error');
		});
	}

	// --- preview (console): the same panel, fed by the form's values -----------------
	function preview(ch) {
		applyChannel(ch);
		ui.list.textContent = '';
		ui.agent.textContent = t('previewAgent');
		renderMessage({ sender: 'system', kind: 'text', text: t('welcome') });
		if ((ch.prechat_fields || []).length) {
			setComposer(false);
			ui.list.appendChild(h('li', { class: 'k-formrow' }, [prechatForm(ch.prechat_fields, function () { return Promise.resolve(); })]));
		} else {
			setComposer(true);
			renderMessage({ sender: 'visitor', kind: 'text', text: t('previewVisitor') });
			renderMessage({ sender: 'agent', kind: 'text', agent: { name: t('previewAgent') }, text: t('welcome') });
		}
	}

	window.addEventListener('message', function (e) {
		var msg = e.data;
		if (!msg || msg.kefu !== 1 || e.source !== window.parent) return;
		// Only the page that framed us (frame-ancestors already limits which
		// pages can) and, for previews, kefu's own console.
		if (PREVIEW) {
			if (e.origin !== location.origin) return;
			if (msg.type === 'preview') preview(msg.channel || {});
			return;
		}
		if (e.origin !== parentOrigin) return;
		if (msg.type === 'init' && !S.booted) {
			S.booted = true;
			if (msg.forget) {
				// The site logged its customer out while this frame was not loaded.
				['token', 'visitor', 'conv', 'left', 'told'].forEach(store.del);
				tell({ type: 'forgot' });
			}
			S.params = msg.params || null;
			S.pageUrl = typeof msg.page_url === 'string' ? msg.page_url.slice(0, 2000) : null;
			S.referrer = typeof msg.referrer === 'string' ? msg.referrer.slice(0, 2000) : null;
			S.pageTitle = typeof msg.title === 'string' ? msg.title.slice(0, 500) : null;
			S.open = !!msg.open;
			S.attrs = msg.attributes && typeof msg.attributes === 'object' ? msg.attributes : null;
			boot();
		} else if (msg.type === 'open') {
			S.open = true; S.unread = 0;
			emit('panel.open');
			if (!msg.quiet) setTimeout(function () {
				// A pending step (group choice, pre-chat form) before the composer.
				var step = ui.composer.hidden && ui.list.querySelector('.k-formrow input, .k-formrow select, .k-formrow button');
				(step || (ui.text && !ui.composer.hidden ? ui.text : ui.closeBtn)).focus();
			}, 50);
		} else if (msg.type === 'identify' && S.booted) {
			S.params = msg.params || null;
			register().then(function (v) { if (v.changed) fresh(); }, function (err) { banner(explain(err), 'error'); });
		} else if (msg.type === 'close') {
			S.open = false;
			emit('panel.close');
		} else if (msg.type === 'set' && S.booted) {
			// Attributes go with a registration: the same visitor, resumed, gets them.
			S.attrs = msg.attributes && typeof msg.attributes === 'object' ? msg.attributes : null;
			register().then(function (v) { if (v.changed) fresh(); }, function () { /* kept for the next one */ });
		} else if (msg.type === 'page' && S.booted) {
			// A single-page app moved on: the next registration carries this page,
			// and with visitor tracking visitor.js reports it as a page view.
			S.pageUrl = typeof msg.url === 'string' ? msg.url.slice(0, 2000) : S.pageUrl;
			S.referrer = typeof msg.referrer === 'string' ? msg.referrer.slice(0, 2000) : S.referrer;
			S.pageTitle = typeof msg.title === 'string' ? msg.title.slice(0, 500) : S.pageTitle;
			emit('page', { url: S.pageUrl, title: S.pageTitle, referrer: S.referrer });
		} else if (msg.type === 'dismiss' && S.booted) {
			// The loader's invitation bubble was closed (phones).
			emit('invitation.dismiss');
		} else if (msg.type === 'logout' && S.booted) {
			logout().catch(function (err) { setComposer(false); banner(explain(err), 'error'); });
		}
	});

	// The hook add-ons in the frame use (quick.js): this panel's API calls, conversation and rendering.
	window.kefuWidget = {
		key: KEY, lang: lang, ui: ui, api: api, render: renderMessage, note: note, closed: closedState, explain: explain,
		ensureConversation: ensureConversation, conversation: function () { return S.conv; },
		// visitor.js: tell the loader, and the invitation the next conversation answers (null: none).
		tell: tell, isOpen: function () { return S.open; }, invitation: function (id) { S.invitation = id || null; },
		channel: function () { return S.channel; }
	};
	if (PREVIEW) { build(); ui.closeBtn.hidden = true; tell({ type: 'ready' }); return; }
	if (framed) {
		tell({ type: 'ready' });
		// A loader that never answers (an old copy, a blocked script): start anyway.
		setTimeout(function () { if (!S.booted) { S.booted = true; boot(); } }, 3000);
	} else { S.booted = true; S.open = true; boot(); }
})();

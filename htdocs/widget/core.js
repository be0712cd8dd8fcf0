// htdocs/widget/core.js: what every module of the widget's chat panel shares (window.kefuWidget): texts, the shared state S, storage, DOM helpers, the API call, messages to the loader.
//
// Module map (plain defer scripts, loaded in this order by templates/channels-frame.xhtml and frame.html;
// each adds its functions to window.kefuWidget, and calls the others' through it when it runs; each body runs through
// kefuWidget.module(fn), which hands it the shared names, and only where core.js found a chat frame):
//   /static/common/bus.js  window.kefuBus: on(topic, fn) / emit(topic, data)
//   core.js           texts (t), state S, store, h(), api(), explain(), tell() (to the loader), emit() (on the bus)
//   panel.js          the layout: header, banner, list, composer elements, theme; note(), scroll()
//   messages.js       drawing messages and status events; kefu('on', 'message') and the screen-reader region
//   forms.js          one renderer for the pre-chat and leave-a-message forms
//   leave-message.js  the leave-a-message form
//   offline.js        nobody can answer: one notice, no composer, the form or a retry
//   prechat.js        the visitor's group choice and the pre-chat form, before connecting
//   composer.js       sending text and files, emoji, the textarea
//   session.js        the visitor's registration, forgetting a visitor, logout
//   stream.js         starting the conversation, its long-poll, its end
//   start.js          fresh start, boot, the console preview, the loader's messages; starts the panel
// Add-ons after them (typing.js, read-marks.js, rating.js, visitor.js, quick.js) use the public names
// (key, lang, ui, api, render, note, closed, explain, ensureConversation, conversation, tell, isOpen,
// invitation, channel) and the bus.
//
// Bus topics the panel publishes: conversation.events {id, events, next} (each poll answer),
// widget.ready {channel, page}, panel.open, panel.close, page {url, title, referrer},
// invitation.dismiss, invitation.answered {id, conversation}.
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
	var ui = {}; // the panel's elements, filled by panel.js's build()
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

	// Add-ons (visitor.js) hear the panel open and close on the bus.
	function emit(topic, data) { if (window.kefuBus) window.kefuBus.emit(topic, data || {}); }

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

	window.kefuWidget = {
		S: S, ui: ui, t: t, h: h, store: store, key: KEY, isPreview: PREVIEW, lang: lang, app: app, framed: framed,
		parentOrigin: parentOrigin, EMOJI: EMOJI, clip: clip, tell: tell, emit: emit, api: api, explain: explain,
		size: size, safeUrl: safeUrl, time: time, readable: readable,
		// An add-on's own texts (typing.js, read-marks.js) in the page's language, else the browser's.
		texts: function (zh, en) {
			return /^en/.test(document.documentElement.lang || navigator.language || '') ? en : zh;
		},
		// A module's body, given what every module uses by name (each module once wrote these out itself).
		module: function (body) {
			var W = window.kefuWidget;
			body(W, W.S, W.ui, W.t, W.h, W.store, W.key, W.isPreview, W.tell, W.emit, W.api, W.explain);
		}
	};
})();

/* kefu loader: the one script a site embeds; draws the launcher and opens the chat panel (an iframe from kefu's origin). */
(function (w, d) {
	'use strict';
	// Everything is wrapped: a failure here must never break the host page.
	try {
		var me = d.currentScript;
		if (!me || w.__kefuLoader) return;
		w.__kefuLoader = 1;
		var key = me.getAttribute('data-kefu-channel') || '';
		var preview = me.hasAttribute('data-kefu-preview');
		var params = me.getAttribute('data-kefu-custom-params');
		var base = new URL(me.src, location.href).origin;
		// Commands the page gave before we ran: kefu.push([...]) on an array, or
		// kefu(...) on the stub of docs/widget.md, which keeps them in kefu.q.
		var pre = w.kefu, queue = pre && pre.slice ? pre.slice() : pre && pre.q && pre.q.length ? [].slice.call(pre.q) : [];
		var store = 'kefu.' + key, host, root, btn, panel, frame, ready, isOpen, channel, bubble;
		var sent = [], pside = 'r';
		// kefu('on', event, fn) listeners; 'ready' once the launcher is drawn.
		var listeners = {}, isReady, unread = 0;
		// kefu('set', {...}): the visitor's attributes, sent with the frame's
		// next registration (the frame registers again at once when it runs).
		var attrs = {};
		// kefu('page'): the page the visitor is on, for a single-page app.
		var pageUrl = location.href, pageTitle = d.title, pageRef = d.referrer;
		var pcls = function () { panel.className = 'p ' + pside + (preview ? ' v' : '') + (isOpen ? ' o' : ''); };
		var ICON = {
			chat: 'M4 4h16v11H8l-4 4z',
			message: 'M3 5h18v12H3zM3 5l9 7 9-7',
			headset: 'M4 14v-2a8 8 0 0116 0v2M4 14h3v5H4zM17 14h3v5h-3z'
		};
		var CSS = ':host{all:initial}*{box-sizing:border-box}' +
			'.b{position:fixed;z-index:2147483000;bottom:20px;display:flex;align-items:center;gap:8px;border:0;cursor:pointer;color:#fff;background:var(--c);font:600 15px/1.2 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25);padding:0 18px}' +
			'.b:focus-visible{outline:3px solid #000;outline-offset:2px}.r{right:20px}.l{left:20px}' +
			'.bubble{width:60px;height:60px;border-radius:50%;padding:0;justify-content:center}.bubble span{display:none}' +
			'.bar{height:46px;min-width:200px;border-radius:10px 10px 0 0;bottom:0}' +
			'.tab{bottom:40%;border-radius:8px 0 0 8px;padding:14px 10px;flex-direction:column;writing-mode:vertical-rl}.tab.r{right:0}.tab.l{left:0;border-radius:0 8px 8px 0}' +
			'svg,img{width:26px;height:26px;flex:none}svg{fill:none;stroke:#fff;stroke-width:2;stroke-linejoin:round}.tab svg{transform:rotate(90deg)}' +
			'.p{position:fixed;z-index:2147483001;bottom:90px;width:380px;height:600px;max-height:calc(100vh - 110px);border-radius:12px;overflow:hidden;box-shadow:0 8px 40px rgba(0,0,0,.3);background:#fff;display:none}' +
			'.p.o{display:block}.p.r{right:20px}.p.l{left:20px}.p iframe{border:0;width:100%;height:100%;display:block}' +
			'.u{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#e53935;font-size:12px;line-height:20px;text-align:center;display:none!important}.u.s{display:block!important}' +
			'.v{width:calc(100% - 40px);max-width:380px}@media(max-width:600px){.p:not(.v){inset:0;width:100%;height:100%;max-height:none;border-radius:0}}' +
			// An invitation on a phone: a small card above the launcher, never over the page's middle.
			'.ib{position:fixed;z-index:2147483000;bottom:88px;max-width:min(280px,calc(100vw - 40px));display:flex;align-items:flex-start;gap:4px;background:#fff;color:#1d2129;border-radius:12px;box-shadow:0 4px 16px rgba(0,0,0,.2);font:14px/1.4 system-ui,sans-serif}' +
			'.ib.r{right:20px}.ib.l{left:20px}.ib[hidden]{display:none}' +
			'.ib .it{all:unset;box-sizing:border-box;cursor:pointer;padding:10px 0 10px 12px;flex:1;min-width:0;min-height:44px}.ib .it:focus-visible,.ib .ix:focus-visible{outline:3px solid #000;outline-offset:1px}' +
			'.ib strong{display:block;font-size:12px;color:#4e5969}.ib .tx{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}' +
			'.ib .ix{all:unset;box-sizing:border-box;cursor:pointer;width:44px;height:44px;flex:none;text-align:center;line-height:44px;font-size:20px;color:#4e5969}';

		// The theme colour darkened (same hue) until the button's white text reaches 4.5:1 (as the panel's core.js does).
		var readable = function (hex) {
			var rgb = [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
			var lum = function (c) {
				var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
				return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
			};
			while (1.05 / (lum(rgb) + 0.05) < 4.5)
				rgb = rgb.map(function (v) { return Math.floor(v * 0.95); });
			return '#' + rgb.map(function (v) { return (256 + v).toString(16).slice(1); }).join('');
		};
		var emit = function (name, data) {
			(listeners[name] || []).slice().forEach(function (fn) {
				// A listener's mistake stays the site's: it must not stop the widget.
				try { fn(data); } catch (e) { setTimeout(function () { throw e; }); }
			});
		};
		var listen = function (name, fn) {
			if (typeof fn !== 'function') return;
			(listeners[name] = listeners[name] || []).push(fn);
			// Ready already: a late listener still hears it.
			if (name === 'ready' && isReady) setTimeout(function () { try { fn({ online: !!channel.online }); } catch (e) { /* the site's */ } });
		};
		// Attribute rules of POST .../visitors: at most 50 keys of 1..64 bytes;
		// strings (up to 1000 characters), finite numbers or booleans; null drops a key.
		var setAttrs = function (o) {
			if (!o || typeof o !== 'object') return;
			Object.keys(o).forEach(function (k) {
				var v = o[k], n = unescape(encodeURIComponent(k)).length;
				if (n < 1 || n > 64) return;
				if (v === null || v === undefined) delete attrs[k];
				else if (typeof v === 'string') attrs[k] = v.slice(0, 1000);
				else if (typeof v === 'boolean' || (typeof v === 'number' && isFinite(v))) attrs[k] = v;
			});
			var keys = Object.keys(attrs);
			for (var i = 50; i < keys.length; i++) delete attrs[keys[i]];
			if (ready) post({ type: 'set', attributes: attrs });
		};
		var page = function (p) {
			p = p || {};
			var url = typeof p === 'string' ? p : p.url, was = pageUrl;
			pageUrl = String(url ? new URL(url, location.href).href : location.href).slice(0, 2000);
			pageTitle = String(p.title != null ? p.title : d.title).slice(0, 500);
			pageRef = was;
			var v = { url: pageUrl, title: pageTitle, referrer: pageRef };
			if (ready) post({ type: 'page', url: v.url, title: v.title, referrer: v.referrer });
			emit('page', v);
		};
		var save = function (o) {
			try { localStorage.setItem(store, JSON.stringify(o)); } catch (e) { /* storage may be off */ }
		};
		var load = function () {
			try { return JSON.parse(localStorage.getItem(store)) || {}; } catch (e) { return {}; }
		};
		var post = function (m) {
			m.kefu = 1;
			if (ready && frame) frame.contentWindow.postMessage(m, base);
			else sent.push(m);
		};
		var el = function (tag, cls, parent) {
			var e = d.createElement(tag);
			if (cls) e.className = cls;
			if (parent) parent.appendChild(e);
			return e;
		};
		var ensureFrame = function () {
			if (frame) return;
			frame = el('iframe', '', panel);
			frame.title = channel.name || 'chat';
			frame.allow = 'clipboard-write';
			frame.src = base + (preview ? '/static/widget/frame.html?preview=1' : '/widget/frame/' + encodeURIComponent(key));
		};
		// transient: opened for an invitation (1: by itself, 2: the visitor tapped its bubble): the next page does not reopen it.
		var open = function (transient) {
			if (!panel) return;
			var was = isOpen;
			ensureFrame();
			isOpen = 1;
			pcls();
			btn.setAttribute('aria-expanded', 'true');
			badge(0);
			if (bubble) bubble.hidden = true;
			// An invitation's panel does not take the focus from the page: the visitor did not ask for it.
			post({ type: 'open', quiet: transient === 1 && !was });
			if (!transient) { var s = load(); s.open = 1; save(s); }
			if (!was) emit('open');
		};
		// An agent's (or a trigger's) invitation, from the frame: the panel opens with it; on a phone, where the
		// panel would cover the whole page, a small bubble offers it instead.
		var invite = function (inv) {
			if (isOpen || !inv) return;
			// A phone: a narrow viewport, or a narrow screen (a page without a viewport meta is laid out 980 px wide).
			var narrow = (w.matchMedia && w.matchMedia('(max-width: 600px)').matches) || (w.screen && screen.width > 0 && screen.width <= 600);
			if (!narrow) return open(1);
			if (!bubble) {
				var zh = !/^en/i.test(navigator.language || '');
				bubble = el('div', 'ib', root);
				bubble.setAttribute('role', 'status');
				var it = el('button', 'it', bubble), ix = el('button', 'ix', bubble);
				it.type = ix.type = 'button';
				el('strong', '', it);
				el('span', 'tx', it);
				ix.textContent = '×';
				ix.setAttribute('aria-label', zh ? '关闭邀请' : 'Dismiss');
				it.onclick = function () { open(2); };
				ix.onclick = function () { bubble.hidden = true; post({ type: 'dismiss' }); btn.focus(); };
			}
			bubble.className = 'ib ' + pside;
			bubble.querySelector('strong').textContent = String(inv.agent || '').slice(0, 100);
			bubble.querySelector('.tx').textContent = String(inv.text || '').slice(0, 300);
			bubble.hidden = false;
		};
		var close = function (keepFocus) {
			if (!panel) return;
			var was = isOpen;
			isOpen = 0;
			pcls();
			btn.setAttribute('aria-expanded', 'false');
			var s = load(); s.open = 0; save(s);
			// The frame counts unread messages while it is closed.
			if (frame) post({ type: 'close' });
			if (!keepFocus) btn.focus();
			if (was) emit('close');
		};
		// The site's own logout: the next person on this browser must not get
		// this one's chat. The visitor token lives in the frame's storage on
		// kefu's origin, out of the site's reach, so the frame is told to forget
		// it; until it says it has (a frame not loaded yet, a page left at
		// once), the wish is kept here and goes with the frame's init.
		var logout = function () {
			params = null;
			attrs = {};
			close(1);
			badge(0);
			save({ forget: 1 });
			if (ready) post({ type: 'logout' });
		};
		var badge = function (n) {
			var u = btn && btn.querySelector('.u');
			if (u) { u.textContent = n > 99 ? '99+' : String(n); u.className = n ? 'u s' : 'u'; }
			if (n !== unread) { unread = n; emit('unread', { count: n }); }
		};
		var run = function (c) {
			try {
				if (!c || !c.length) return;
				if (c[0] === 'open') open();
				else if (c[0] === 'close') close();
				else if (c[0] === 'logout') logout();
				// A frame not ready yet gets the identity with its init.
				else if (c[0] === 'identify') { params = String(c[1] || ''); if (ready) post({ type: 'identify', params: params }); }
				else if (c[0] === 'page') page(c[1]);
				else if (c[0] === 'set') setAttrs(c[1]);
				else if (c[0] === 'on') listen(String(c[1]), c[2]);
			} catch (e) { /* a bad command is ignored */ }
		};

		// Draw (or redraw, in the console preview) the launcher from a channel's settings.
		var draw = function (ch) {
			channel = ch;
			var st = ch.style || {};
			if (!host) {
				host = el('div');
				host.id = 'kefu-widget';
				root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
				try {
					var sheet = new CSSStyleSheet();
					sheet.replaceSync(CSS);
					root.adoptedStyleSheets = [sheet];
				} catch (e) {
					el('style', '', root).textContent = CSS;
				}
				btn = el('button', '', root);
				btn.type = 'button';
				btn.setAttribute('aria-haspopup', 'dialog');
				btn.setAttribute('aria-expanded', 'false');
				btn.onclick = function () { isOpen ? close() : open(); };
				panel = el('div', 'p', root);
				panel.setAttribute('role', 'dialog');
				d.body.appendChild(host);
			}
			var side = st.position === 'left' ? 'l' : 'r';
			btn.className = 'b ' + ({ tab: 'tab', bar: 'bar' }[st.button_style] || 'bubble') + ' ' + side;
			btn.style.setProperty('--c', readable(/^#[0-9a-f]{6}$/i.test(st.theme_color) ? st.theme_color : '#0b5ed7'));
			pside = side;
			pcls();
			btn.textContent = '';
			var icon = st.icon || 'chat';
			if (/^https:\/\//.test(icon)) {
				var img = el('img', '', btn);
				img.alt = '';
				img.src = icon;
			} else {
				var svg = d.createElementNS('http://www.w3.org/2000/svg', 'svg');
				svg.setAttribute('viewBox', '0 0 24 24');
				svg.setAttribute('aria-hidden', 'true');
				var p = d.createElementNS('http://www.w3.org/2000/svg', 'path');
				p.setAttribute('d', ICON[icon] || ICON.chat);
				svg.appendChild(p);
				btn.appendChild(svg);
			}
			el('span', '', btn).textContent = st.button_label || '';
			el('b', 'u', btn);
			btn.setAttribute('aria-label', st.button_label || ch.name || 'chat');
			if (preview) post({ type: 'preview', channel: ch });
		};

		w.addEventListener('message', function (e) {
			try {
				var m = e.data;
				if (!m || m.kefu !== 1) return;
				// The console drives the preview host page; only kefu's own origin may.
				if (preview && e.source === w.parent && e.origin === base && m.type === 'preview') {
					draw(m.channel);
					if (!isOpen) open();
					return;
				}
				// Otherwise only our frame speaks to us, and only from kefu's origin.
				if (!frame || e.source !== frame.contentWindow || e.origin !== base) return;
				if (m.type === 'ready') {
					ready = 1;
					frame.contentWindow.postMessage({ kefu: 1, type: 'init', params: params, page_url: pageUrl, title: pageTitle,
						referrer: pageRef, attributes: attrs, open: !!isOpen, forget: !!load().forget }, base);
					while (sent.length) frame.contentWindow.postMessage(sent.shift(), base);
				} else if (m.type === 'close') close();
				else if (m.type === 'unread' && !isOpen) badge(m.count | 0);
				else if (m.type === 'message' && m.message && typeof m.message === 'object') {
					var x = m.message;
					emit('message', { id: x.id, sender: x.sender, kind: x.kind, text: x.text, created_at: x.created_at,
						agent: x.agent ? { id: x.agent.id, name: x.agent.name } : null });
				}
				else if (m.type === 'active') {
					// A conversation begun in a panel an invitation opened stays open on the next page.
					var s = load(); s.active = !!m.active; if (m.active && isOpen) s.open = 1; save(s);
				}
				else if (m.type === 'invitation' && m.invitation && typeof m.invitation === 'object') invite(m.invitation);
				else if (m.type === 'forgot') { var f = load(); delete f.forget; save(f); }
			} catch (x) { /* ignore */ }
		});

		// A logout is kept at once, in case the page is left before we start.
		// Listeners are taken at once too, so that a queued 'on' hears 'ready'.
		var take = function (c) {
			if (c && c[0] === 'on') return listen(String(c[1]), c[2]);
			if (btn) return run(c);
			if (c && c[0] === 'logout') save({ forget: 1 });
			queue.push(c);
		};
		var early = queue;
		queue = [];
		early.forEach(take);
		w.kefu = function () { take(arguments); };
		w.kefu.push = take;

		var start = function (ch) {
			draw(ch);
			isReady = 1;
			emit('ready', { online: !!ch.online });
			var s = load();
			// A conversation in progress: load the frame now so it resumes (and
			// counts unread messages); reopen the panel if it was open.
			if (s.open) open();
			// With visitor tracking the frame runs on every page: it reports the page and waits for invitations.
			else if (s.active || ch.tracking) ensureFrame();
			while (queue.length) run(queue.shift());
		};
		if (preview) return;
		fetch(base + '/api/v1/widget/channels/' + encodeURIComponent(key), { credentials: 'omit' })
			.then(function (r) { return r.ok ? r.json() : null; })
			.then(function (ch) { if (ch) start(ch); })
			.catch(function () { /* the site works on without chat */ });
	} catch (e) { /* never break the host page */ }
})(window, document);

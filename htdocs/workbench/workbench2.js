// htdocs/workbench/workbench2.js: the rest of the agent workbench beside workbench.js: queue and "take", transfer with a note, leave-message inbox, visitor history and transcripts in the side panel, canned replies on "/", typing and read marks, ratings, presence heartbeats.
// workbench.js (the conversations engineer's) owns the list, the chat pane and the polls. This file
// follows it without changing it: the open conversation is the list item marked .wb-active (as
// sidebar.js does), and the events it receives are read from copies of the poll answers (a fetch
// wrapper that never alters them). Every value reaches the page through textContent.
(function () {
	'use strict';
	var CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
	// Texts come from the po/ catalogs in the agent's language (GET /api/v1/agent/strings/workbench2);
	// until they arrive, or if they cannot, the key names stand in.
	var T = {};
	var $ = function (id) { return document.getElementById(id); };
	var current = 0, lastTyping = 0, typingTimer = 0, active = false;
	var ME = Number(document.body ? document.body.getAttribute('data-user-id') : 0);

	function api(method, path, body) {
		var opts = { method: method, credentials: 'same-origin', headers: {} };
		if (method !== 'GET') opts.headers['X-CSRF-Token'] = CSRF;
		if (body !== undefined) {
			opts.headers['Content-Type'] = 'application/json';
			opts.body = JSON.stringify(body);
		}
		return realFetch(path, opts).then(function (r) {
			return r.text().then(function (txt) {
				var j = null;
				try { j = txt ? JSON.parse(txt) : null; } catch (e) { j = null; }
				if (!r.ok) {
					var err = new Error((j && j.error && j.error.message) || ('HTTP ' + r.status));
					err.status = r.status;
					throw err;
				}
				return j;
			});
		});
	}
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined && text !== null) e.textContent = String(text);
		return e;
	}
	function button(cls, text, fn) {
		var b = el('button', 'wb-btn ' + (cls || ''), text);
		b.type = 'button';
		b.addEventListener('click', fn);
		return b;
	}
	function fmt(s, vars) { Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); }); return s; }
	function notice(text) {
		var n = $('wb-notice');
		if (!n) return;
		n.textContent = text;
		n.hidden = !text;
		setTimeout(function () { if (n.textContent === text) n.hidden = true; }, 4000);
	}
	function dur(s) {
		s = Math.max(0, Math.floor(s));
		return s < 60 ? s + 's' : s < 3600 ? Math.floor(s / 60) + 'm' + (s % 60 ? ' ' + (s % 60) + 's' : '') : Math.floor(s / 3600) + 'h ' + Math.floor(s % 3600 / 60) + 'm';
	}
	function when(iso) {
		var d = new Date(iso);
		return isNaN(d) ? '' : d.toLocaleString([], { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
	}
	function stars(n) { return new Array(n + 1).join('★') + new Array(6 - n).join('☆'); }

	// ---- events: read copies of workbench.js's poll answers ----
	var realFetch = window.fetch.bind(window);
	window.fetch = function (input, init) {
		var p = realFetch(input, init);
		try {
			var url = typeof input === 'string' ? input : (input && input.url) || '';
			var mine = /^\/api\/v1\/agent\/events\?/.test(url), conv = /^\/api\/v1\/agent\/conversations\/(\d+)\/events\?/.exec(url);
			if ((mine || conv) && (!init || !init.method || init.method === 'GET'))
				p.then(function (res) {
					if (res.ok)
						res.clone().json().then(function (j) { (j.events || []).forEach(function (ev) { onEvent(ev, conv ? Number(conv[1]) : ev.conversation_id, !!conv); }); }).catch(function () {});
				}, function () {});
		} catch (e) { /* never break workbench.js */ }
		return p;
	};

	var seenRatings = {};
	function onEvent(ev, cid, fromConv) {
		if (ev.type === 'typing' && ev.sender === 'visitor' && cid === current) showTyping(ev.typing !== false);
		else if (ev.type === 'message' && ev.message && ev.message.sender === 'visitor' && cid === current) showTyping(false);
		else if (ev.type === 'read' && ev.reader === 'visitor' && cid === current) setTimeout(markRead, 50);
		else if (ev.type === 'rating' && ev.rating) {
			var key = cid + ':' + ev.seq;
			if (cid === current && fromConv && !seenRatings[key]) {
				seenRatings[key] = 1;
				addNote(fmt(T.rating, { s: stars(ev.rating.score) }) + (ev.rating.comment ? ' — ' + ev.rating.comment : ''), 'wb2-rating');
			} else if (!fromConv)
				notice(fmt(T.rating, { s: stars(ev.rating.score) }));
		} else if (ev.type === 'status' && !fromConv) {
			loadQueue();
			// Handed to me (not away from me): its notes and history are mine to see now.
			if (ev.status === 'transferred' && cid === current && ev.agent && ev.agent.id === ME) loadSide();
		}
	}
	function addNote(text, cls) {
		var list = $('wb-messages');
		if (!list) return;
		var li = el('li', 'wb-note ' + (cls || ''), text);
		list.appendChild(li);
		list.scrollTop = list.scrollHeight;
	}
	function showTyping(on) {
		var t = $('wb2-typing');
		clearTimeout(typingTimer);
		if (!t) return;
		t.hidden = !on;
		if (on) typingTimer = setTimeout(function () { t.hidden = true; }, 6000);
	}
	function markRead() {
		var list = $('wb-messages');
		if (!list) return;
		var mine = list.querySelectorAll('.wb-msg.wb-agent');
		Array.prototype.forEach.call(list.querySelectorAll('.wb2-read'), function (m) { m.parentNode.removeChild(m); });
		if (mine.length) mine[mine.length - 1].appendChild(el('div', 'wb2-read', '✓ ' + T.read));
	}

	// ---- presence: a heartbeat every 20 s saying whether the agent did anything ----
	['keydown', 'pointerdown', 'focus'].forEach(function (t) { window.addEventListener(t, function () { active = true; }, true); });
	function beat() {
		var was = active;
		active = false;
		api('POST', '/api/v1/agent/presence', { active: was }).then(function (r) {
			var sel = $('wb-status');
			if (sel && r.status && sel.value !== r.status) {
				if (r.status === 'away') notice(T.away);
				sel.value = r.status;
				var dot = $('wb-dot');
				if (dot) dot.className = 'wb-dot wb-' + r.status;
			}
			setTimeout(beat, (r.heartbeat_s || 20) * 1000);
		}, function () { setTimeout(beat, 20000); });
	}

	// ---- queue: waiting conversations of my groups, oldest first, with "take" ----
	var queueBox, queueTimer = 0;
	function loadQueue() {
		clearTimeout(queueTimer);
		queueTimer = setTimeout(function () {
			api('GET', '/api/v1/agent/queue').then(renderQueue, function () {});
		}, 150);
	}
	function renderQueue(r) {
		queueBox.textContent = '';
		var items = (r && r.items) || [];
		var h = el('h3', 'wb2-queue-title', T.queue + ' (' + items.length + ')');
		queueBox.appendChild(h);
		if (!items.length) queueBox.appendChild(el('p', 'wb2-empty', T.noQueue));
		var ul = el('ul', 'wb2-queue-list');
		items.forEach(function (q) {
			var li = el('li', 'wb2-queue-item');
			li.setAttribute('data-id', q.id);
			var name = (q.visitor && q.visitor.name) || ('#' + q.id);
			li.appendChild(el('span', 'wb2-q-name', q.queue_position + '. ' + name));
			li.appendChild(el('span', 'wb2-q-wait', fmt(T.waiting, { t: dur(q.waiting_seconds) })));
			li.appendChild(button('wb2-take', T.take, function () {
				api('POST', '/api/v1/agent/conversations/' + q.id + '/take', {}).then(function () {
					notice(T.took);
					loadQueue();
					// workbench.js hears the assignment on its stream and lists it.
				}, function (e) { notice(e.message); loadQueue(); });
			}));
			ul.appendChild(li);
		});
		queueBox.appendChild(ul);
	}

	// ---- transfer dialog ----
	function transferDialog() {
		if (!current) return;
		var id = current;
		api('GET', '/api/v1/agent/directory').then(function (d) {
			var dlg = el('dialog', 'wb2-dialog');
			dlg.id = 'wb2-transfer';
			var form = el('form', 'wb2-form');
			form.method = 'dialog';
			form.appendChild(el('h3', '', T.transferTo));
			function select(label, name, items, fmtItem) {
				var l = el('label', 'wb2-field');
				l.appendChild(el('span', '', label));
				var s = el('select');
				s.name = name;
				s.appendChild(el('option', '', '—')).value = '';
				items.forEach(function (x) {
					var o = el('option', '', fmtItem(x));
					o.value = x.id;
					s.appendChild(o);
				});
				l.appendChild(s);
				form.appendChild(l);
				return s;
			}
			var agent = select(T.toAgent, 'user_id', d.agents.filter(function (a) { return !a.me; }),
				function (a) { return a.name + ' (' + (a.status === 'online' ? T.online : a.status === 'away' ? 'away' : T.offline) + ')'; });
			var group = select(T.toGroup, 'group_id', d.groups, function (g) { return g.name; });
			agent.addEventListener('change', function () { if (agent.value) group.value = ''; });
			group.addEventListener('change', function () { if (group.value) agent.value = ''; });
			var nl = el('label', 'wb2-field');
			nl.appendChild(el('span', '', T.note));
			var note = el('textarea');
			note.name = 'note';
			note.rows = 3;
			note.maxLength = 1000;
			nl.appendChild(note);
			form.appendChild(nl);
			var err = el('p', 'wb2-error');
			form.appendChild(err);
			var row = el('div', 'wb2-actions');
			row.appendChild(button('', T.cancel, function () { dlg.close(); dlg.remove(); }));
			var ok = button('wb-primary', T.doTransfer, function () {
				var body = agent.value ? { user_id: Number(agent.value) } : group.value ? { group_id: Number(group.value) } : null;
				if (!body) return;
				if (note.value.trim()) body.note = note.value.trim();
				ok.disabled = true;
				api('POST', '/api/v1/agent/conversations/' + id + '/handover', body).then(function () {
					dlg.close();
					dlg.remove();
					notice(T.transferred);
				}, function (e) { ok.disabled = false; err.textContent = e.message; });
			});
			ok.id = 'wb2-transfer-ok';
			row.appendChild(ok);
			form.appendChild(row);
			dlg.appendChild(form);
			document.body.appendChild(dlg);
			if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
		}, function (e) { notice(e.message); });
	}

	// ---- leave-message inbox ----
	var inboxStatus = 'open';
	function openInbox() {
		var old = $('wb2-inbox');
		if (old) { old.remove(); return; }
		var dlg = el('dialog', 'wb2-dialog wb2-inbox');
		dlg.id = 'wb2-inbox';
		var head = el('div', 'wb2-inbox-head');
		head.appendChild(el('h3', '', T.inbox));
		['open', 'handled'].forEach(function (s) {
			var b = button(s === inboxStatus ? 'wb-primary' : '', T[s], function () { inboxStatus = s; dlg.remove(); openInbox(); });
			b.setAttribute('data-filter', s);
			head.appendChild(b);
		});
		head.appendChild(button('', T.close, function () { dlg.close(); dlg.remove(); }));
		dlg.appendChild(head);
		var list = el('ul', 'wb2-leave-list');
		dlg.appendChild(list);
		document.body.appendChild(dlg);
		if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
		api('GET', '/api/v1/agent/leave-messages?status=' + inboxStatus).then(function (r) {
			if (!r.items.length) list.appendChild(el('li', 'wb2-empty', T.noLeave));
			r.items.forEach(function (m) {
				var li = el('li', 'wb2-leave');
				li.setAttribute('data-id', m.id);
				li.appendChild(el('div', 'wb2-leave-when', when(m.created_at)));
				var dl = el('dl', 'wb2-fields');
				Object.keys(m.fields || {}).forEach(function (k) {
					dl.appendChild(el('dt', '', k));
					dl.appendChild(el('dd', '', m.fields[k]));
				});
				li.appendChild(dl);
				if (m.status === 'handled') {
					li.appendChild(el('div', 'wb2-leave-note', '✓ ' + T.handled + (m.note ? ': ' + m.note : '')));
				} else {
					var note = el('input', 'wb2-handle-note');
					note.placeholder = T.handleNote;
					note.maxLength = 1000;
					li.appendChild(note);
					li.appendChild(button('wb-primary wb2-handle', T.handle, function () {
						var body = note.value.trim() ? { note: note.value.trim() } : {};
						api('POST', '/api/v1/agent/leave-messages/' + m.id + '/handle', body).then(function () {
							li.remove();
							refreshInboxCount();
						}, function (e) { notice(e.message); });
					}));
				}
				if (m.visitor_id) {
					var hist = el('div', 'wb2-leave-history');
					li.appendChild(button('wb2-show-history', T.visitorHistory, function () {
						historyInto(hist, m.visitor_id);
					}));
					li.appendChild(hist);
				}
				list.appendChild(li);
			});
		}, function (e) { list.appendChild(el('li', 'wb2-error', e.message)); });
	}
	var inboxBtn;
	function refreshInboxCount() {
		api('GET', '/api/v1/agent/leave-messages?status=open').then(function (r) {
			inboxBtn.textContent = T.inbox + (r.items.length ? ' (' + r.items.length + ')' : '');
		}, function () {});
	}

	// ---- history and notes in the side panel ----
	function historyInto(box, visitorId, skip) {
		box.textContent = '';
		api('GET', '/api/v1/agent/visitors/' + visitorId + '/conversations?limit=20').then(function (r) {
			var items = r.items.filter(function (c) { return c.id !== skip; });
			if (!items.length) box.appendChild(el('p', 'wb2-empty', T.noHistory));
			var ul = el('ul', 'wb2-history');
			items.forEach(function (c) {
				var li = el('li', 'wb2-hist-item');
				li.setAttribute('data-id', c.id);
				var top = el('div', 'wb2-hist-top');
				top.appendChild(el('span', '', when(c.created_at)));
				top.appendChild(el('span', '', c.agent ? c.agent.name : ''));
				if (c.rating) top.appendChild(el('span', 'wb2-stars', stars(c.rating)));
				li.appendChild(top);
				if (c.last_text) li.appendChild(el('div', 'wb2-hist-last', c.last_text));
				var links = el('div', 'wb2-hist-links');
				['html', 'txt'].forEach(function (ext) {
					var a = el('a', 'wb2-transcript', ext.toUpperCase());
					a.href = '/api/v1/agent/conversations/' + c.id + '/transcript.' + ext;
					a.setAttribute('download', 'conversation-' + c.id + '.' + ext);
					links.appendChild(a);
				});
				li.appendChild(links);
				ul.appendChild(li);
			});
			box.appendChild(ul);
		}, function (e) { box.appendChild(el('p', 'wb2-empty', e.status === 404 ? T.noHistory : e.message)); });
	}
	var sideBox, seq = 0;
	function loadSide() {
		var id = current, mine = ++seq;
		sideBox.textContent = '';
		if (!id) return;
		api('GET', '/api/v1/agent/conversations/' + id).then(function (c) {
			if (mine !== seq) return;
			api('GET', '/api/v1/agent/conversations/' + id + '/notes').then(function (n) {
				if (mine !== seq || !n.items.length) return;
				var box = el('section', 'wb2-notes');
				box.appendChild(el('h3', '', T.notes));
				n.items.forEach(function (x) {
					box.appendChild(el('p', 'wb2-note-text', x.text));
					box.appendChild(el('p', 'wb2-note-meta', fmt(T.from, { n: x.author ? x.author.name : '—' }) + ' · ' + when(x.created_at)));
				});
				sideBox.insertBefore(box, sideBox.firstChild);
			}, function () {});
			sideBox.appendChild(el('h3', '', T.history));
			var hist = el('div', 'wb2-history-box');
			sideBox.appendChild(hist);
			historyInto(hist, c.visitor.id, id);
		}, function () {});
	}

	// ---- conversation header: transfer, transcript links, typing line ----
	function decorateConversation() {
		var head = document.querySelector('.wb-conv-head');
		if (!head || $('wb2-transfer-btn')) return;
		var close = $('wb-close');
		var tr = button('', T.transfer, transferDialog);
		tr.id = 'wb2-transfer-btn';
		head.insertBefore(tr, close);
		var links = el('span', 'wb2-links');
		links.id = 'wb2-links';
		head.insertBefore(links, close);
		var typing = el('p', 'wb2-typing', T.typing);
		typing.id = 'wb2-typing';
		typing.hidden = true;
		var msgs = $('wb-messages');
		if (msgs) msgs.parentNode.insertBefore(typing, msgs.nextSibling);
	}
	function updateLinks() {
		var box = $('wb2-links');
		if (!box) return;
		box.textContent = '';
		if (!current) return;
		['html', 'txt'].forEach(function (ext) {
			var a = el('a', 'wb2-transcript', T.transcript + ' ' + ext.toUpperCase());
			a.href = '/api/v1/agent/conversations/' + current + '/transcript.' + ext;
			a.setAttribute('download', 'conversation-' + current + '.' + ext);
			a.id = 'wb2-transcript-' + ext;
			box.appendChild(a);
		});
	}

	// ---- canned replies: "/" in the composer opens a filtered list ----
	var canned = { box: null, items: [], sel: 0, open: false, token: null, timer: 0 };
	function slashToken(ta) {
		var upto = ta.value.slice(0, ta.selectionStart);
		var m = /(^|\s)\/([^\s/]*)$/.exec(upto);
		return m ? { start: upto.length - m[2].length - 1, q: m[2] } : null;
	}
	function closeCanned() {
		canned.open = false;
		if (canned.box) canned.box.hidden = true;
	}
	function renderCanned() {
		var box = canned.box;
		box.textContent = '';
		box.hidden = false;
		canned.open = true;
		if (!canned.items.length) { box.appendChild(el('li', 'wb2-empty', T.noCanned)); return; }
		canned.items.forEach(function (c, i) {
			var li = el('li', 'wb2-canned-item' + (i === canned.sel ? ' wb2-sel' : ''));
			li.setAttribute('role', 'option');
			li.setAttribute('data-shortcut', c.shortcut);
			li.setAttribute('aria-selected', i === canned.sel ? 'true' : 'false');
			li.appendChild(el('strong', '', '/' + c.shortcut));
			li.appendChild(el('span', 'wb2-canned-text', ' ' + c.text));
			li.addEventListener('mousedown', function (e) { e.preventDefault(); chooseCanned(i); });
			box.appendChild(li);
		});
	}
	function chooseCanned(i) {
		var ta = $('wb-text'), c = canned.items[i], tok = canned.token;
		if (!ta || !c || !tok) return closeCanned();
		var end = tok.start + 1 + tok.q.length;
		ta.value = ta.value.slice(0, tok.start) + c.text + ta.value.slice(end);
		var pos = tok.start + c.text.length;
		ta.setSelectionRange(pos, pos);
		ta.focus();
		closeCanned();
		sendTyping(ta);
	}
	function onComposerInput(ta) {
		var tok = slashToken(ta);
		canned.token = tok;
		if (!tok) return closeCanned();
		clearTimeout(canned.timer);
		canned.timer = setTimeout(function () {
			api('GET', '/api/v1/agent/canned-replies?q=' + encodeURIComponent(tok.q)).then(function (r) {
				if (canned.token !== tok) return;
				canned.items = r.items.slice(0, 8);
				canned.sel = 0;
				renderCanned();
			}, function () {});
		}, 120);
	}
	// Capture phase on the document: runs before workbench.js's Enter-to-send on the textarea.
	document.addEventListener('keydown', function (e) {
		if (!canned.open || !e.target || e.target.id !== 'wb-text') return;
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			var n = canned.items.length;
			if (n) canned.sel = (canned.sel + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
			renderCanned();
		} else if ((e.key === 'Enter' || e.key === 'Tab') && canned.items.length) {
			chooseCanned(canned.sel);
		} else if (e.key === 'Escape') {
			closeCanned();
		} else return;
		e.preventDefault();
		e.stopPropagation();
	}, true);

	// Typing: at most one signal every 3 s while the agent composes (a
	// "/shortcut" being looked up is not typing yet; the chosen reply is).
	function sendTyping(ta) {
		var now = Date.now();
		if (!current || !ta.value || now - lastTyping < 3000 || ta.value.charAt(0) === '/') return;
		lastTyping = now;
		api('POST', '/api/v1/agent/conversations/' + current + '/typing', {}).catch(function () {});
	}
	document.addEventListener('input', function (e) {
		if (!e.target || e.target.id !== 'wb-text') return;
		onComposerInput(e.target);
		sendTyping(e.target);
	});

	// ---- follow workbench.js ----
	function watch() {
		var a = document.querySelector('.wb-item.wb-active');
		var pane = $('wb-conv');
		// A conversation closed while open leaves the list but stays on screen:
		// keep following it (its transcript links, its history).
		var id = a ? Number(a.getAttribute('data-id')) : pane && !pane.hidden ? current : 0;
		if (id === current) return;
		current = id;
		showTyping(false);
		closeCanned();
		updateLinks();
		loadSide();
	}

	document.addEventListener('DOMContentLoaded', function () {
		api('GET', '/api/v1/agent/strings/workbench2').then(function (r) { T = r || {}; }, function () {}).then(start);
	});
	function start() {
		var css = el('link');
		css.rel = 'stylesheet';
		css.href = '/static/workbench/workbench2.css';
		document.head.appendChild(css);
		var pane = $('wb-list-pane');
		if (pane) {
			queueBox = el('section', 'wb2-queue');
			queueBox.id = 'wb2-queue';
			pane.appendChild(queueBox);
			loadQueue();
			setInterval(loadQueue, 10000); // waiting times tick; the stream also triggers reloads
		}
		var top = document.querySelector('.wb-top');
		if (top) {
			inboxBtn = button('wb2-inbox-btn', T.inbox, openInbox);
			inboxBtn.id = 'wb2-inbox-btn';
			top.insertBefore(inboxBtn, top.querySelector('.wb-status'));
			refreshInboxCount();
			setInterval(refreshInboxCount, 30000);
		}
		var side = $('wb-side');
		if (side) {
			sideBox = el('div', 'wb2-side');
			sideBox.id = 'wb2-side';
			side.appendChild(sideBox);
		}
		var composer = $('wb-composer');
		if (composer) {
			canned.box = el('ul', 'wb2-canned');
			canned.box.id = 'wb2-canned';
			canned.box.setAttribute('role', 'listbox');
			canned.box.setAttribute('aria-label', T.canned);
			canned.box.hidden = true;
			composer.insertBefore(canned.box, composer.firstChild);
		}
		decorateConversation();
		new MutationObserver(watch).observe($('wb-groups') || document.body,
			{ subtree: true, attributes: true, attributeFilter: ['class'], childList: true });
		watch();
		beat();
	}
})();

// htdocs/workbench/workbench.js: the agent workbench: status, live conversation list, chat pane, all kept current by one long-poll on the agent's event stream.
(function () {
	'use strict';

	var body = document.body;
	var T = {};
	try { T = JSON.parse(body.getAttribute('data-strings') || '{}'); } catch (e) { T = {}; }
	var CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
	var ME = Number(body.getAttribute('data-user-id'));
	var $ = function (id) { return document.getElementById(id); };

	function t(key, vars) {
		var s = T[key] || key;
		if (vars)
			Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
		return s;
	}

	// ---- HTTP ----
	function api(method, path, data) {
		var opts = { method: method, credentials: 'same-origin', headers: {} };
		if (method !== 'GET')
			opts.headers['X-CSRF-Token'] = CSRF;
		if (data instanceof FormData)
			opts.body = data;
		else if (data !== undefined) {
			opts.headers['Content-Type'] = 'application/json';
			opts.body = JSON.stringify(data);
		}
		return fetch(path, opts).then(function (r) {
			if (r.status === 401) {
				location.href = '/login?next=' + encodeURIComponent(location.pathname);
				throw new Error('signed out');
			}
			return r.text().then(function (text) {
				var json = null;
				try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
				if (!r.ok) {
					var err = new Error((json && json.error && json.error.message) || ('HTTP ' + r.status));
					err.status = r.status;
					throw err;
				}
				return json;
			});
		});
	}

	// ---- notices, sound, title ----
	var noticeTimer = 0;
	function notice(text, sticky) {
		var n = $('wb-notice');
		n.textContent = text;
		n.hidden = !text;
		clearTimeout(noticeTimer);
		if (text && !sticky)
			noticeTimer = setTimeout(function () { n.hidden = true; }, 4000);
	}

	var audio = null;
	function unlockAudio() {
		var AC = window.AudioContext || window.webkitAudioContext;
		if (!audio && AC)
			audio = new AC();
		if (audio && audio.state === 'suspended')
			audio.resume();
	}
	document.addEventListener('pointerdown', unlockAudio);
	document.addEventListener('keydown', unlockAudio);
	// Two short sine notes: a new conversation rises, a new message is one note.
	function ding(rising) {
		if (!audio || audio.state !== 'running')
			return;
		var now = audio.currentTime;
		var notes = rising ? [660, 880] : [880];
		notes.forEach(function (f, i) {
			var o = audio.createOscillator(), g = audio.createGain();
			o.type = 'sine';
			o.frequency.value = f;
			g.gain.setValueAtTime(0.0001, now + i * 0.15);
			g.gain.exponentialRampToValueAtTime(0.2, now + i * 0.15 + 0.02);
			g.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.15 + 0.14);
			o.connect(g);
			g.connect(audio.destination);
			o.start(now + i * 0.15);
			o.stop(now + i * 0.15 + 0.15);
		});
	}

	var S = {
		convs: new Map(),   // id -> conversation (from the list), with unread
		order: [],          // ids in list order
		current: 0,         // open conversation id
		convNext: 0,        // the open conversation's event cursor
		shown: new Set(),   // message ids rendered in the open pane
		userNext: 0,        // the agent stream's cursor
		fresh: new Set(),   // conversations not opened since they arrived
		fetching: false,
		again: false,
	};

	function updateTitle() {
		var n = 0;
		S.convs.forEach(function (c) { n += c.unread || 0; });
		n += S.fresh.size;
		document.title = (n > 0 ? '(' + n + ') ' : '') + 'kefu · ' + t('workbench.title');
	}

	// ---- status ----
	function showStatus(s) {
		$('wb-status').value = s;
		$('wb-dot').className = 'wb-dot wb-dot-' + s;
	}
	$('wb-status').addEventListener('change', function () {
		var s = $('wb-status').value;
		api('PUT', '/api/v1/agent/status', { status: s }).then(function (r) { showStatus(r.status); })
			.catch(function (e) { notice(e.message); });
	});

	// ---- the list ----
	// The verified name, else what the visitor typed in the pre-chat form, else "Visitor N".
	function visitorName(v, prechat) {
		return (v && v.name) || (prechat && (prechat.name || prechat.full_name)) ||
			t('workbench.visitor_n', { id: v ? v.id : '?' });
	}
	function preview(m) {
		if (!m)
			return '';
		if (m.kind === 'image')
			return t('workbench.image');
		if (m.kind === 'file')
			return t('workbench.file') + ' ' + (m.attachment ? m.attachment.name : '');
		if (m.kind === 'card' && m.card)
			return m.card.title || '';
		return m.text || '';
	}
	function clock(iso) {
		if (!iso)
			return '';
		var d = new Date(iso);
		return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
	}

	function renderList(groups) {
		var root = $('wb-groups');
		root.textContent = '';
		S.order = [];
		var count = 0;
		(groups || []).forEach(function (g) {
			var sec = document.createElement('section');
			sec.className = 'wb-group';
			var h = document.createElement('h3');
			h.textContent = g.name + ' (' + g.conversations.length + ')';
			sec.appendChild(h);
			var ul = document.createElement('ul');
			g.conversations.forEach(function (c) {
				count++;
				S.order.push(c.id);
				var old = S.convs.get(c.id);
				S.convs.set(c.id, c);
				if (c.id === S.current)
					c.unread = 0;
				if (!old && S.loaded)
					S.fresh.add(c.id);
				ul.appendChild(listItem(c));
			});
			sec.appendChild(ul);
			root.appendChild(sec);
		});
		S.convs.forEach(function (c, id) { if (S.order.indexOf(id) < 0) S.convs.delete(id); });
		$('wb-empty').hidden = count > 0;
		updateTitle();
	}

	function listItem(c) {
		var li = document.createElement('li');
		li.className = 'wb-item' + (c.id === S.current ? ' wb-active' : '') + (S.fresh.has(c.id) ? ' wb-fresh' : '');
		li.setAttribute('data-id', c.id);
		li.tabIndex = 0;
		var top = document.createElement('div');
		top.className = 'wb-item-top';
		var name = document.createElement('span');
		name.className = 'wb-item-name';
		name.textContent = visitorName(c.visitor, c.prechat);
		top.appendChild(name);
		var time = document.createElement('span');
		time.className = 'wb-item-time';
		time.textContent = clock(c.last_message ? c.last_message.created_at : c.created_at);
		top.appendChild(time);
		li.appendChild(top);
		var bottom = document.createElement('div');
		bottom.className = 'wb-item-bottom';
		var last = document.createElement('span');
		last.className = 'wb-item-last';
		last.textContent = preview(c.last_message);
		bottom.appendChild(last);
		if (c.unread > 0) {
			var badge = document.createElement('span');
			badge.className = 'wb-badge';
			badge.textContent = c.unread > 99 ? '99+' : String(c.unread);
			badge.title = c.unread + ' ' + t('workbench.unread');
			bottom.appendChild(badge);
		}
		li.appendChild(bottom);
		li.addEventListener('click', function () { openConversation(c.id); });
		li.addEventListener('keydown', function (e) {
			if (e.key === 'Enter' || e.key === ' ') {
				e.preventDefault();
				openConversation(c.id);
			}
		});
		return li;
	}

	function loadList() {
		return api('GET', '/api/v1/agent/conversations').then(function (r) { renderList(r.groups); });
	}

	// ---- the chat pane ----
	function fmtSize(n) {
		if (n < 1024)
			return n + ' B';
		if (n < 1048576)
			return (n / 1024).toFixed(1) + ' KB';
		return (n / 1048576).toFixed(1) + ' MB';
	}

	function messageNode(m) {
		var li = document.createElement('li');
		li.className = 'wb-msg wb-' + m.sender;
		li.setAttribute('data-message-id', m.id);
		if (m.sender === 'system') {
			li.textContent = m.text || '';
			return li;
		}
		var bubble = document.createElement('div');
		bubble.className = 'wb-bubble';
		if (m.kind === 'image' && m.attachment) {
			var a = document.createElement('a');
			a.href = m.attachment.url;
			a.target = '_blank';
			a.rel = 'noopener';
			var img = document.createElement('img');
			img.src = m.attachment.url;
			img.alt = m.attachment.name;
			img.className = 'wb-img';
			img.addEventListener('load', scrollDown);
			a.appendChild(img);
			bubble.appendChild(a);
		} else if (m.kind === 'file' && m.attachment) {
			var f = document.createElement('a');
			f.href = m.attachment.url;
			f.className = 'wb-file';
			f.setAttribute('download', m.attachment.name);
			f.textContent = '📄 ' + m.attachment.name + ' (' + fmtSize(m.attachment.size) + ')';
			f.title = t('workbench.download');
			bubble.appendChild(f);
		} else if (m.kind === 'card' && m.card) {
			// A quick-send card: its title, then its lines (text only; styles in sidebar.css).
			var card = document.createElement('div'), title = document.createElement('strong');
			card.className = 'wb-card';
			title.textContent = m.card.title || '';
			card.appendChild(title);
			(m.card.lines || []).forEach(function (l) {
				var line = document.createElement('div');
				line.textContent = l;
				card.appendChild(line);
			});
			bubble.appendChild(card);
		} else {
			bubble.textContent = m.text || '';
		}
		li.appendChild(bubble);
		var meta = document.createElement('div');
		meta.className = 'wb-meta';
		var who = m.sender === 'agent' ? (m.agent ? m.agent.name : '') : t('workbench.visitor');
		meta.textContent = who + ' · ' + clock(m.created_at);
		li.appendChild(meta);
		return li;
	}

	function noteNode(text) {
		var li = document.createElement('li');
		li.className = 'wb-msg wb-note';
		li.textContent = text;
		return li;
	}

	function scrollDown() {
		var list = $('wb-messages');
		list.scrollTop = list.scrollHeight;
	}

	function showMessage(m) {
		if (S.shown.has(m.id))
			return;
		S.shown.add(m.id);
		$('wb-messages').appendChild(messageNode(m));
		scrollDown();
	}

	function setClosed(closed) {
		$('wb-closed').hidden = !closed;
		$('wb-composer').hidden = closed;
		$('wb-close').hidden = closed;
	}

	// New messages in the open conversation are read out by screen readers through
	// one polite live region (#wb-live) rather than the message list itself, which
	// would read a whole history aloud each time a conversation is opened.
	function announce(m) {
		if (m.sender === 'agent' && m.agent && String(m.agent.id) === String(ME))
			return;
		var who = m.sender === 'agent' ? (m.agent ? m.agent.name : '') : m.sender === 'visitor' ? t('workbench.visitor') : '';
		$('wb-live').textContent = (who ? who + ': ' : '') + preview(m);
	}

	function applyConvEvent(ev, live) {
		if (ev.type === 'message') {
			if (live && !S.shown.has(ev.message.id))
				announce(ev.message);
			showMessage(ev.message);
		}
		else if (ev.type === 'status') {
			if (ev.status === 'assigned' && ev.agent)
				$('wb-messages').appendChild(noteNode(t('workbench.assigned', { name: ev.agent.name })));
			else if (ev.status === 'closed') {
				$('wb-messages').appendChild(noteNode(t('workbench.status_closed')));
				setClosed(true);
			} else if (ev.status === 'offline')
				$('wb-messages').appendChild(noteNode(t('workbench.status_offline')));
			scrollDown();
		}
	}

	var readTimer = 0;
	function markRead() {
		var id = S.current, seq = S.convNext;
		clearTimeout(readTimer);
		readTimer = setTimeout(function () {
			if (id === S.current && seq > 0)
				api('POST', '/api/v1/agent/conversations/' + id + '/read', { seq: seq }).catch(function () {});
		}, 300);
		var c = S.convs.get(id);
		if (c && c.unread) {
			c.unread = 0;
			refreshItem(id);
		}
		updateTitle();
	}

	function refreshItem(id) {
		var c = S.convs.get(id);
		var old = document.querySelector('.wb-item[data-id="' + id + '"]');
		if (c && old)
			old.parentNode.replaceChild(listItem(c), old);
	}

	// Pull the open conversation's events from its cursor (wait=0: the agent
	// stream is what waits, and it names the conversation when it moves).
	function fetchConversation() {
		if (!S.current)
			return Promise.resolve();
		if (S.fetching) {
			S.again = true;
			return Promise.resolve();
		}
		S.fetching = true;
		var id = S.current;
		var live = S.convNext > 0; // the first fetch is the history: not read aloud
		return api('GET', '/api/v1/agent/conversations/' + id + '/events?after=' + S.convNext + '&wait=0')
			.then(function (r) {
				if (id !== S.current)
					return;
				r.events.forEach(function (ev) { applyConvEvent(ev, live); });
				S.convNext = r.next;
				if (r.events.length >= 200)
					S.again = true;
				markRead();
			})
			.catch(function (e) { notice(e.message); })
			.then(function () {
				S.fetching = false;
				if (S.again) {
					S.again = false;
					return fetchConversation();
				}
			});
	}

	function showVisitor(c) {
		var box = $('wb-visitor');
		box.textContent = '';
		var dl = document.createElement('dl');
		function row(k, v) {
			if (v === undefined || v === null || v === '')
				return;
			var dt = document.createElement('dt');
			dt.textContent = k;
			var dd = document.createElement('dd');
			dd.textContent = v;
			dl.appendChild(dt);
			dl.appendChild(dd);
		}
		row(t('workbench.visitor'), visitorName(c.visitor, c.prechat));
		row('', c.visitor && c.visitor.identified ? t('workbench.identified') : t('workbench.guest'));
		row(t('workbench.page'), c.visitor && c.visitor.page_url);
		box.appendChild(dl);
		var pre = c.prechat || {};
		var keys = Object.keys(pre);
		if (keys.length) {
			var h = document.createElement('h3');
			h.textContent = t('workbench.prechat');
			box.appendChild(h);
			var dl2 = document.createElement('dl');
			keys.forEach(function (k) {
				var dt = document.createElement('dt');
				dt.textContent = k;
				var dd = document.createElement('dd');
				dd.textContent = pre[k];
				dl2.appendChild(dt);
				dl2.appendChild(dd);
			});
			box.appendChild(dl2);
		}
	}

	function openConversation(id) {
		S.current = id;
		S.convNext = 0;
		S.shown = new Set();
		S.fresh.delete(id);
		body.classList.add('wb-has-conv');
		$('wb-placeholder').hidden = true;
		$('wb-conv').hidden = false;
		$('wb-messages').textContent = '';
		Array.prototype.forEach.call(document.querySelectorAll('.wb-item'), function (el) {
			el.classList.toggle('wb-active', Number(el.getAttribute('data-id')) === id);
			if (Number(el.getAttribute('data-id')) === id)
				el.classList.remove('wb-fresh');
		});
		var c = S.convs.get(id);
		$('wb-conv-title').textContent = c ? visitorName(c.visitor, c.prechat) : '#' + id;
		setClosed(false);
		api('GET', '/api/v1/agent/conversations/' + id).then(function (full) {
			if (id !== S.current)
				return;
			$('wb-conv-title').textContent = visitorName(full.visitor, full.prechat);
			showVisitor(full);
			setClosed(full.status === 'closed');
		}).catch(function (e) { notice(e.message); });
		fetchConversation();
		$('wb-text').focus();
	}

	$('wb-back').addEventListener('click', function () {
		body.classList.remove('wb-has-conv');
	});

	// ---- composing ----
	function send() {
		var box = $('wb-text');
		var text = box.value;
		if (!S.current || !text.trim())
			return;
		var id = S.current;
		box.value = '';
		api('POST', '/api/v1/agent/conversations/' + id + '/messages', { kind: 'text', text: text })
			.then(function (m) { if (id === S.current) showMessage(m); })
			.catch(function (e) {
				if (id === S.current && !box.value)
					box.value = text;
				notice(t('workbench.send_failed') + ' ' + e.message);
			});
	}
	$('wb-composer').addEventListener('submit', function (e) { e.preventDefault(); send(); });
	$('wb-text').addEventListener('keydown', function (e) {
		if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
			e.preventDefault();
			send();
		}
	});

	// A real button opens the file picker, so attaching works from the keyboard too.
	$('wb-attach-btn').addEventListener('click', function () { $('wb-file').click(); });
	$('wb-file').addEventListener('change', function () {
		var input = $('wb-file');
		var file = input.files && input.files[0];
		if (!file || !S.current)
			return;
		var id = S.current;
		var fd = new FormData();
		fd.append('file', file, file.name);
		input.value = '';
		api('POST', '/api/v1/agent/conversations/' + id + '/attachments', fd)
			.then(function (m) { if (id === S.current) showMessage(m); })
			.catch(function (e) { notice(e.status === 413 ? t('workbench.too_large') : t('workbench.upload_failed') + ' ' + e.message); });
	});

	var EMOJI = ['😀', '😁', '😂', '🙂', '😊', '😍', '😘', '😉', '😎', '🤔', '😅', '😭', '😢', '😡', '😱', '🙏',
		'👍', '👎', '👏', '👌', '🤝', '💪', '🎉', '❤️', '💔', '🔥', '⭐', '✅', '❌', '⚠️', '📦', '🚚',
		'💰', '🛒', '📞', '📧', '⏰', '🌹', '☕', '🍵'];
	(function buildEmoji() {
		var panel = $('wb-emoji');
		EMOJI.forEach(function (e) {
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'wb-emoji-item';
			b.textContent = e;
			b.addEventListener('click', function () {
				var box = $('wb-text');
				var at = box.selectionStart || box.value.length;
				box.value = box.value.slice(0, at) + e + box.value.slice(box.selectionEnd || at);
				box.focus();
				box.selectionStart = box.selectionEnd = at + e.length;
				panel.hidden = true;
			});
			panel.appendChild(b);
		});
		var toggle = $('wb-emoji-btn');
		toggle.setAttribute('aria-expanded', 'false');
		new MutationObserver(function () { toggle.setAttribute('aria-expanded', String(!panel.hidden)); })
			.observe(panel, { attributes: true, attributeFilter: ['hidden'] });
		toggle.addEventListener('click', function () { panel.hidden = !panel.hidden; });
		// Escape closes the emoji panel and gives the focus back to its button.
		panel.addEventListener('keydown', function (e) {
			if (e.key === 'Escape') {
				panel.hidden = true;
				toggle.focus();
			}
		});
	})();

	$('wb-close').addEventListener('click', function () {
		if (!S.current || !window.confirm(t('workbench.confirm_close')))
			return;
		api('POST', '/api/v1/agent/conversations/' + S.current + '/close', {})
			.then(function () { return fetchConversation(); })
			.then(loadList)
			.catch(function (e) { notice(e.message); });
	});

	// ---- the agent stream ----
	var listTimer = 0;
	function reloadListSoon() {
		clearTimeout(listTimer);
		listTimer = setTimeout(function () { loadList().catch(function () {}); }, 100);
	}

	function applyUserEvent(ev) {
		var cid = ev.conversation_id;
		if (ev.type === 'status') {
			if (ev.status === 'assigned' && ev.agent && ev.agent.id === ME && !S.convs.has(cid)) {
				notice(t('workbench.new_conversation'));
				ding(true);
				S.fresh.add(cid);
			}
			reloadListSoon();
		} else if (ev.type === 'message') {
			var c = S.convs.get(cid);
			var m = ev.message;
			if (c) {
				c.last_message = m;
				refreshItem(cid);
			}
			// Unread counts come from the server: counting here as well would
			// count twice a message the list already had when it was loaded.
			if (!c || (m.sender === 'visitor' && cid !== S.current))
				reloadListSoon();
			if (m.sender === 'visitor' && (cid !== S.current || document.hidden)) {
				ding(false);
				if (cid !== S.current)
					notice(t('workbench.new_message') + ': ' + preview(m));
			}
		}
		if (cid === S.current)
			fetchConversation();
		updateTitle();
	}

	var KEY = 'kefu.wb.next.' + ME;
	function poll(wait) {
		api('GET', '/api/v1/agent/events?after=' + S.userNext + '&wait=' + wait)
			.then(function (r) {
				notice('');
				if (S.loaded)
					r.events.forEach(applyUserEvent);
				S.userNext = r.next;
				try { sessionStorage.setItem(KEY, String(S.userNext)); } catch (e) { /* private mode */ }
				// Catching up (a fresh page skips history it already has in the list).
				if (!S.loaded && r.events.length >= 200)
					return poll(0);
				if (!S.loaded) {
					S.loaded = true;
					return loadList().then(function () { poll(25); });
				}
				poll(r.events.length >= 200 ? 0 : 25);
			})
			.catch(function (e) {
				if (e.message === 'signed out')
					return;
				notice(t('workbench.reconnecting'), true);
				setTimeout(function () { poll(S.loaded ? 25 : 0); }, 2000);
			});
	}

	// ---- start ----
	updateTitle();
	api('GET', '/api/v1/agent/status').then(function (r) { showStatus(r.status); }).catch(function () {});
	loadList().catch(function (e) { notice(e.message); });
	var saved = 0;
	try { saved = Number(sessionStorage.getItem(KEY)) || 0; } catch (e) { saved = 0; }
	if (saved > 0) {
		// A reload resumes from the last cursor: nothing in between is lost.
		S.userNext = saved;
		S.loaded = true;
		poll(0);
	} else
		poll(0);
})();

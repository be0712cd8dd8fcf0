// htdocs/workbench/chat.js: the open conversation's pane: opening one, its header and transcript links, the messages as they arrive, closing it, and leaving it when it is no longer mine.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var shown = new Set(); // message ids rendered in the open pane

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
			if (WB.fileIcon) // attachments.js: an icon for the file's type
				f.appendChild(WB.fileIcon(m.attachment));
			f.appendChild(el('span', 'wb-file-name', m.attachment.name));
			f.appendChild(el('span', 'wb-file-size', fmtSize(m.attachment.size)));
			f.title = t('workbench.download');
			bubble.appendChild(f);
		} else if (m.kind === 'card' && m.card) {
			// A quick-send card: its title, then its lines (text only).
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
		meta.textContent = who + ' · ' + WB.clock(m.created_at);
		li.appendChild(meta);
		return li;
	}

	// A line in the pane that is not a message (assignments, ratings, notices).
	function addNote(text, cls) {
		var li = el('li', 'wb-msg wb-note' + (cls ? ' ' + cls : ''), text);
		$('wb-messages').appendChild(li);
		scrollDown();
		return li;
	}

	function scrollDown() {
		var list = $('wb-messages');
		list.scrollTop = list.scrollHeight;
	}

	function showMessage(m) {
		if (shown.has(m.id))
			return;
		shown.add(m.id);
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
		if (m.sender === 'agent' && m.agent && String(m.agent.id) === String(WB.ME))
			return;
		var who = m.sender === 'agent' ? (m.agent ? m.agent.name : '') : m.sender === 'visitor' ? t('workbench.visitor') : '';
		$('wb-live').textContent = (who ? who + ': ' : '') + WB.preview(m);
	}

	bus.on('conversation.event', function (d) {
		var ev = d.ev;
		if (ev.type === 'message') {
			if (d.live && !shown.has(ev.message.id))
				announce(ev.message);
			showMessage(ev.message);
		} else if (ev.type === 'status') {
			if (ev.status === 'assigned' && ev.agent)
				addNote(t('workbench.assigned', { name: ev.agent.name }));
			else if (ev.status === 'closed') {
				addNote(t('workbench.status_closed'));
				setClosed(true);
			} else if (ev.status === 'offline')
				addNote(t('workbench.status_offline'));
		}
	});
	bus.on('message.sent', function (d) {
		if (d.id === S.current)
			showMessage(d.message);
	});

	function transcriptLinks(id) {
		var box = $('wb-links');
		box.textContent = '';
		if (!id)
			return;
		['html', 'txt'].forEach(function (ext) {
			var a = el('a', 'wb2-transcript', t('workbench2.transcript') + ' ' + ext.toUpperCase());
			a.href = '/api/v1/agent/conversations/' + id + '/transcript.' + ext;
			a.setAttribute('download', 'conversation-' + id + '.' + ext);
			a.id = 'wb2-transcript-' + ext;
			box.appendChild(a);
		});
	}

	function openConversation(id) {
		// Already open: only show it (on a phone the list may be in front).
		if (id === S.current && S.left !== id) {
			document.body.classList.add('wb-has-conv');
			$('wb-text').focus();
			return;
		}
		S.current = id;
		S.convNext = 0;
		S.left = 0;
		shown = new Set();
		document.body.classList.add('wb-has-conv');
		$('wb-placeholder').hidden = true;
		$('wb-conv').hidden = false;
		$('wb-messages').textContent = '';
		var c = S.convs.get(id);
		$('wb-conv-title').textContent = c ? WB.visitorName(c.visitor, c.prechat) : '#' + id;
		setClosed(false);
		transcriptLinks(id);
		bus.emit('conversation.opened', { id: id });
		WB.api('GET', '/api/v1/agent/conversations/' + id).then(function (full) {
			if (id !== S.current)
				return;
			$('wb-conv-title').textContent = WB.visitorName(full.visitor, full.prechat);
			setClosed(full.status === 'closed');
			bus.emit('conversation.loaded', { id: id, conversation: full });
		}).catch(function (e) {
			if (id === S.current && (e.status === 404 || e.status === 403))
				bus.emit('conversation.left', { id: id, reason: 'gone' });
			else
				WB.notice(e.message);
		});
		WB.pull();
		$('wb-text').focus();
	}

	// Transferred away (or taken by someone else): the pane stays readable, says why, and
	// nothing in it acts on the conversation any more (stream.js stops pulling it).
	bus.on('conversation.left', function (d) {
		if (d.id !== S.current || S.left === d.id)
			return;
		S.left = d.id;
		$('wb-composer').hidden = true;
		$('wb-close').hidden = true;
		$('wb-closed').hidden = true;
		var n = addNote(d.reason === 'transferred' ? t('workbench.left_transferred') : t('workbench.left_gone'), 'wb-left');
		n.id = 'wb-left';
		n.setAttribute('role', 'status');
		Array.prototype.forEach.call(document.querySelectorAll('.wb-item.wb-active'), function (li) { li.classList.remove('wb-active'); });
	});

	$('wb-back').addEventListener('click', function () {
		document.body.classList.remove('wb-has-conv');
	});

	$('wb-close').addEventListener('click', function () {
		var id = S.current;
		if (!id || !window.confirm(t('workbench.confirm_close')))
			return;
		WB.api('POST', '/api/v1/agent/conversations/' + id + '/close', {})
			.then(function () { return WB.pull(); })
			.then(function () { bus.emit('conversation.closed', { id: id }); })
			.catch(function (e) { WB.notice(e.message); });
	});

	(function header() {
		var links = el('span', 'wb2-links');
		links.id = 'wb-links';
		$('wb-actions').insertBefore(links, $('wb-close'));
	})();

	WB.openConversation = openConversation;
	WB.addNote = addNote;
	WB.scrollDown = scrollDown;
})();

// htdocs/workbench/notes.js: internal notes in the open conversation: the composer's "Internal note" mode and the notes (and transfer notes) shown in the message list at their time, for staff only.
//
// Notes are not events of the conversation (the visitor's widget reads those): they are
// read from GET .../notes when a conversation opens and placed among the messages where
// they were written (after_message_id). A note the agent writes goes to POST .../notes;
// one another agent writes arrives live as a "note" event of the agent stream.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var notes = [];   // the open conversation's notes, oldest first
	var seq = 0;      // the latest load; an older answer is dropped
	var noteMode = false;
	var replyPlaceholder = null, replyLabel = ''; // the composer's own texts, for the reply mode

	function noteNode(n) {
		var li = el('li', 'wb-msg wb-internal' + (n.kind === 'transfer' ? ' wb-internal-transfer' : ''));
		li.setAttribute('data-note-id', n.id);
		var who = { name: n.author ? n.author.name : '—' };
		var head = el('div', 'wb-internal-head',
			t(n.kind === 'transfer' ? 'notes.transfer_by' : 'notes.by', who) + ' · ' + WB.clock(n.created_at));
		li.appendChild(head);
		li.appendChild(el('div', 'wb-internal-text', n.text));
		return li;
	}

	// Each note goes right after the message that was the last when it was written
	// (after_message_id, from the server's millisecond times); without one, before the
	// first message (chat.js marks each message with data-message-id). A note whose
	// message is not shown yet waits at the end until the pull that shows it.
	var nodes = new Map(); // note id -> its list item
	function place() {
		var list = $('wb-messages');
		nodes.forEach(function (node) { if (node.parentNode) node.parentNode.removeChild(node); });
		var prevAnchor = null, prevNode = null;
		notes.forEach(function (n) {
			if (!nodes.has(n.id))
				nodes.set(n.id, noteNode(n));
			var node = nodes.get(n.id), anchor;
			if (n.after_message_id)
				anchor = list.querySelector('[data-message-id="' + n.after_message_id + '"]');
			else
				anchor = list.querySelector('[data-message-id]') ? 'start' : null;
			if (anchor && anchor === prevAnchor) // notes after the same message stay in their order
				list.insertBefore(node, prevNode.nextSibling);
			else if (anchor === 'start')
				list.insertBefore(node, list.querySelector('[data-message-id]'));
			else if (anchor)
				list.insertBefore(node, anchor.nextSibling);
			else
				list.appendChild(node);
			prevAnchor = anchor;
			prevNode = node;
		});
	}

	// place(), and a list that was scrolled to its end stays there.
	function placeKeepingEnd() {
		var list = $('wb-messages');
		var atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
		place();
		if (atEnd)
			WB.scrollDown();
	}

	function load(id) {
		var mine = ++seq;
		notes = [];
		nodes = new Map();
		WB.api('GET', '/api/v1/agent/conversations/' + id + '/notes').then(function (r) {
			if (mine !== seq || id !== S.current)
				return;
			notes = r.items;
			placeKeepingEnd();
		}, function () { /* a conversation that is gone: chat.js says so */ });
	}

	function has(noteId) {
		return notes.some(function (x) { return x.id === noteId; });
	}

	function setMode(on) {
		noteMode = on;
		$('wb-mode-reply').setAttribute('aria-pressed', String(!on));
		$('wb-mode-note').setAttribute('aria-pressed', String(on));
		$('wb-composer').classList.toggle('wb-composer-note', on);
		var box = $('wb-text'), send = $('wb-send');
		if (replyPlaceholder === null) {
			replyPlaceholder = box.getAttribute('placeholder') || '';
			replyLabel = send.textContent;
		}
		box.setAttribute('placeholder', on ? t('notes.placeholder') : replyPlaceholder);
		send.textContent = on ? t('notes.add') : replyLabel;
	}

	function addNote() {
		var box = $('wb-text'), text = box.value, id = S.current;
		if (!id || !text.trim())
			return;
		box.value = '';
		WB.api('POST', '/api/v1/agent/conversations/' + id + '/notes', { text: text }).then(function (n) {
			if (id !== S.current)
				return;
			if (!has(n.id))
				notes.push(n);
			place();
			WB.scrollDown();
			setMode(false);
		}, function (e) {
			if (id === S.current && !box.value)
				box.value = text;
			WB.notice(t('notes.failed') + ' ' + e.message);
		});
	}

	// The mode switch above the text box; in note mode, sending writes a note
	// (these listeners run before composer.js's: capture phase on the form, and
	// a keydown on the text box registered earlier is not needed, as the capture
	// listener on the form sees the key first).
	(function build() {
		var form = $('wb-composer');
		var bar = el('div', 'wb-modes');
		bar.setAttribute('role', 'group');
		bar.setAttribute('aria-label', t('notes.mode'));
		var reply = WB.button('wb-mode', t('notes.reply'), function () { setMode(false); $('wb-text').focus(); });
		reply.id = 'wb-mode-reply';
		var note = WB.button('wb-mode', t('notes.note'), function () { setMode(true); $('wb-text').focus(); });
		note.id = 'wb-mode-note';
		bar.appendChild(reply);
		bar.appendChild(note);
		form.insertBefore(bar, form.firstChild);
		form.addEventListener('submit', function (e) {
			if (!noteMode)
				return;
			e.preventDefault();
			e.stopImmediatePropagation();
			addNote();
		}, true);
		form.addEventListener('keydown', function (e) {
			if (!noteMode || e.target !== $('wb-text'))
				return;
			if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
				e.preventDefault();
				e.stopPropagation();
				addNote();
			} else if (e.key === 'Escape') {
				setMode(false);
			}
		}, true);
		setMode(false);
	})();

	bus.on('conversation.opened', function (d) {
		setMode(false);
		if (d.id)
			load(d.id);
	});
	bus.on('conversation.pulled', function (d) {
		if (d.id === S.current && notes.length)
			placeKeepingEnd();
	});

	// Handed to me while open: the notes written before are mine to read now.
	bus.on('agent.event', function (d) {
		var ev = d.ev;
		if (ev.type === 'status' && ev.status === 'transferred' && ev.conversation_id === S.current &&
		    ev.agent && ev.agent.id === WB.ME)
			load(S.current);
	});

	// A note another agent (or an admin) wrote in the open conversation, from the agent
	// stream (the server never puts notes in the conversation's own stream).
	bus.on('agent.event', function (d) {
		var ev = d.ev;
		if (ev.type === 'note' && ev.note && ev.conversation_id === S.current && !has(ev.note.id)) {
			notes.push(ev.note);
			placeKeepingEnd();
		}
	});

	WB.notes = { reload: function () { if (S.current) load(S.current); } };
})();

// htdocs/widget/messages.js: drawing messages and status events, and telling the page (kefu('on', 'message')) and screen readers about new ones.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';
	var size = W.size, safeUrl = W.safeUrl, time = W.time;

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
			img.addEventListener('load', W.scroll);
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
		W.scroll();
	}

	function renderStatus(ev) {
		S.status = ev.status;
		if (ev.agent && ev.agent.name) ui.agent.textContent = ev.agent.name;
		if (ev.status === 'queued') W.queueBanner(ev.queue_position);
		else { W.banner(''); ui.banner.removeAttribute('data-position'); }
		// Busy: the form is offered; offline or out of hours: shown (after the
		// rule's system text, which follows this event in the same batch).
		if (ev.status === 'queued') W.leaveOffer();
		else if (ev.status === 'offline' || ev.status === 'out_of_hours') S.wantLeave = true;
		else ui.leaveBar.hidden = true;
		if (ev.status === 'assigned' && ev.agent) W.note(t('assigned', { name: ev.agent.name }));
		else if (ev.status === 'transferred') W.note(t('transferred'));
		else if (ev.status === 'offline' || ev.status === 'out_of_hours') W.nobodyHere(ev.status, false);
		else if (ev.status === 'closed') W.closedState();
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

	Object.assign(W, {
		renderMessage: renderMessage, renderStatus: renderStatus, renderEvent: renderEvent, announce: announce
	});
});

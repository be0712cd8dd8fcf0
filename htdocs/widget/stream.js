// htdocs/widget/stream.js: the conversation: starting it, its long-poll (published on the bus as conversation.events), its end.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

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
				(r.events || []).forEach(W.renderEvent);
				W.afterEvents();
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
			if (c.status === 'queued') { W.queueBanner(c.queue_position); W.leaveOffer(); }
			else if (c.status === 'assigned') ui.leaveBar.hidden = true;
			W.setComposer(true);
			poll();
			return c;
		});
	}

	function ensureConversation() {
		if (S.conv) return Promise.resolve();
		if (!S.starting) S.starting = startConversation({}).then(function () { S.starting = null; }, function (e) { S.starting = null; throw e; });
		return S.starting;
	}

	function closedState() {
		S.status = 'closed';
		S.polling = false;
		store.del('conv');
		tell({ type: 'active', active: false });
		W.banner('');
		ui.leaveBar.hidden = true;
		W.note(t('closed'), 'closed');
		W.setComposer(false);
		var b = h('button', { type: 'button', class: 'k-primary k-new', onclick: function () { b.parentNode.remove(); W.fresh(); } }, [t('newConv')]);
		ui.list.appendChild(h('li', { class: 'k-note' }, [b]));
		W.scroll();
		b.focus();
	}

	function forgetConversation() {
		store.del('conv');
		S.polling = false;
		S.conv = null;
		S.offlineSaid = null;
		tell({ type: 'active', active: false });
	}

	Object.assign(W, {
		poll: poll, startConversation: startConversation, ensureConversation: ensureConversation,
		closedState: closedState, forgetConversation: forgetConversation
	});
});

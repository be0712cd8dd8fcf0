// htdocs/widget/visitor.js: visitor tracking in the widget frame, for a channel with tracking on: page views, the visitor's own stream (invitations), leaving.
// The loader loads the frame at once on such a channel; session.js registers the visitor (the token stays on kefu's
// origin) and says so on the bus ("widget.ready"); this file then reports the page, holds
// GET /api/v1/widget/visitors/me/events and shows an invitation in the panel, telling the loader to open it (or,
// on phones, to show its small bubble). Answering it is stream.js's conversation start with the invitation's id;
// closing the panel or the bubble without answering dismisses it. With tracking off nothing here runs.
(function () {
	'use strict';
	var bus = window.kefuBus, W = function () { return window.kefuWidget; };
	if (!bus) return;
	var on = false, visitor = null, epoch = 0, lastPage = null, current = null, pending = [], caught = false, invitation = null;

	function store(k, v) {
		var key = 'kefu:' + k + ':' + W().key;
		try {
			if (v === undefined) return JSON.parse(localStorage.getItem(key));
			if (v === null) localStorage.removeItem(key);
			else localStorage.setItem(key, JSON.stringify(v));
		} catch (e) { return null; }
	}

	// --- page views: the page the loader named at start, then each kefu('page') ---
	function pageview(p) {
		if (!p || !p.url) return;
		current = p;
		// Until the stream's cursor is known, so that an invitation this view brings at once is not taken for history.
		if (!visitor || !caught) { pending = [p]; return; }
		// The loader may name the same page twice (its start and a queued kefu('page')).
		var sig = p.url + '\n' + (p.title || '');
		if (sig === lastPage) return;
		lastPage = sig;
		var body = { url: String(p.url).slice(0, 2000) };
		if (p.title) body.title = String(p.title).slice(0, 500);
		if (p.referrer) body.referrer = String(p.referrer).slice(0, 2000);
		W().api('POST', '/api/v1/widget/visitors/me/pageviews', body).catch(function () { /* the next page tries again */ });
	}

	// --- the visitor's stream ---
	// The cursor is kept per visitor, so the next page of the site goes on where this one stopped: an invitation
	// sent while the visitor moved between pages still arrives, and an old one is not shown again.
	// The longest wait the API allows: browsing visitors' polls are most of a site's requests, and each costs the
	// server a request whatever it waits (a conversation's poll keeps 25 s).
	var WAIT = 30;
	function poll(v, my) {
		var saved = store('vnext'), after = saved && saved.visitor === v.visitor_id ? saved.next : null, delay = 1000;
		function step(wait) {
			if (my !== epoch) return;
			W().api('GET', '/api/v1/widget/visitors/me/events?after=' + (after || 0) + '&wait=' + wait).then(function (r) {
				if (my !== epoch) return;
				delay = 1000;
				// A first visit's catch-up is history: only its cursor counts.
				if (after !== null) (r.events || []).forEach(onEvent);
				after = typeof r.next === 'number' ? r.next : after || 0;
				store('vnext', { visitor: v.visitor_id, next: after });
				if (wait === 0) flush();
				step(WAIT);
			}, function (err) {
				if (my !== epoch) return;
				// Tracking switched off, or the visitor is gone: stop; anything else: back off and retry.
				if (err.status === 403 || err.status === 401 || err.status === 404) { on = false; return; }
				setTimeout(function () { step(after === null ? 0 : WAIT); }, delay);
				delay = Math.min(delay * 2, 30000);
			});
		}
		step(0);
	}
	function flush() {
		caught = true;
		var p = pending;
		pending = [];
		p.forEach(pageview);
	}

	// --- invitations ---
	function onEvent(ev) {
		if (!ev || ev.type !== 'invitation' || !ev.invitation) return;
		// In a conversation already: the agents see that, and the server sends none; an old one is dropped.
		if (W().conversation()) return;
		show(ev.invitation);
	}
	function show(inv) {
		clear();
		var w = W(), ch = w.channel() || {};
		invitation = { id: inv.id, text: inv.text || '' };
		w.invitation(inv.id);
		var who = inv.agent && inv.agent.name ? inv.agent.name : ch.name || '';
		var li = document.createElement('li');
		li.className = 'k-msg k-agent k-invite';
		li.setAttribute('data-invitation', String(inv.id));
		var meta = document.createElement('div');
		meta.className = 'k-meta';
		meta.textContent = who;
		var bubble = document.createElement('div');
		bubble.className = 'k-bubble';
		var text = document.createElement('div');
		text.className = 'k-textmsg';
		text.textContent = invitation.text;
		bubble.appendChild(text);
		li.appendChild(meta);
		li.appendChild(bubble);
		w.ui.list.appendChild(li);
		invitation.node = li;
		w.ui.body.scrollTop = w.ui.body.scrollHeight;
		w.ui.live.textContent = (who ? who + ': ' : '') + invitation.text;
		if (who) w.ui.agent.textContent = who;
		// The loader opens the panel (or shows its bubble on a phone).
		w.tell({ type: 'invitation', invitation: { id: inv.id, text: invitation.text, agent: who } });
	}
	function clear() {
		if (invitation && invitation.node && !invitation.answered) invitation.node.remove();
		invitation = null;
		if (W()) W().invitation(null);
	}
	function dismiss() {
		if (!invitation || invitation.answered) return;
		var id = invitation.id;
		clear();
		if (W()) W().ui.agent.textContent = '';
		W().api('POST', '/api/v1/widget/invitations/' + id + '/dismiss', {}).catch(function () { /* recorded or not, it is gone here */ });
	}

	bus.on('widget.ready', function (d) {
		if (!d.channel || !d.channel.tracking) return;
		on = true;
		pageview(d.page);
	});
	// session.js registers again on identify, set and logout: a new visitor gets a poll of their own.
	document.addEventListener('kefu:visitor', function (e) {
		var v = e.detail;
		var ch = W() && W().channel();
		if (!v || !v.visitor_token || !ch || !ch.tracking) return;
		if (visitor && visitor.visitor_id === v.visitor_id) return;
		// Someone else on this browser now (identify, logout): their own page view and stream.
		if (visitor) { lastPage = null; pending = current ? [current] : []; }
		visitor = v;
		caught = false;
		on = true;
		if (invitation) clear();
		poll(v, ++epoch);
	});
	bus.on('page', function (p) { if (on) pageview(p); });
	bus.on('panel.close', function () { if (on) dismiss(); });
	bus.on('invitation.dismiss', function () { if (on) dismiss(); });
	bus.on('invitation.answered', function (d) {
		if (invitation && invitation.id === d.id) invitation.answered = true;
	});
	// The site is left (or reloaded): the agents' list drops the visitor in seconds unless a page follows.
	window.addEventListener('pagehide', function () {
		if (!on || !visitor) return;
		try {
			fetch('/api/v1/widget/visitors/me/leave', { method: 'POST', keepalive: true, credentials: 'omit',
				headers: { 'Content-Type': 'application/json', 'X-Visitor-Token': visitor.visitor_token }, body: '{}' });
		} catch (e) { /* leaving anyway */ }
	});
})();

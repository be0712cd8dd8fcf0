// htdocs/widget/session.js: the visitor's registration (one at a time), forgetting a visitor, logout.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

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
		S.starting = null;
		ui.list.textContent = '';
		ui.agent.textContent = '';
		W.banner('');
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
		return register().then(function () { forget(); W.fresh(); });
	}

	Object.assign(W, { register: register, registerNow: registerNow, forget: forget, logout: logout });
});

// htdocs/widget/start.js: the flows that put it together: a fresh start, boot, the console preview, the loader's messages, the add-ons' hook.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';
	var time = W.time, app = W.app, lang = W.lang, parentOrigin = W.parentOrigin, framed = W.framed;

	function fresh() {
		S.conv = null; S.seq = 0; S.next = 0; S.status = null; S.polling = false; S.groupId = null;
		S.left = false; S.leaveForm = null;
		ui.agent.textContent = '';
		ui.leaveBar.hidden = true;
		var ch = S.channel || {}, texts = ch.texts || {};
		// The greeting comes first, when the panel opens: the rule's welcome and promo (their copies
		// sent at the start are not shown twice), else a built-in hello when no form follows.
		S.greet = [];
		S.offlineSaid = null;
		if (!ui.list.firstChild) {
			[texts.welcome, texts.promo].forEach(function (x) {
				if (!x) return;
				W.renderMessage({ sender: 'system', kind: 'text', text: x });
				S.greet.push(x);
			});
			if (!S.greet.length && !(ch.prechat_fields || []).length) W.note(t('welcome'));
		}
		// Nobody can answer: say so once, before any choice or form, and offer the leave-a-message form.
		if (ch.open_now === false || ch.online === false) {
			W.nobodyHere(ch.open_now === false ? 'out_of_hours' : 'offline', true);
			return;
		}
		if (store.get('left') === 'pre') store.del('left'); // someone is here again: the next offline time asks anew
		if (ch.choice && (ch.choice.groups || []).length) {
			W.setComposer(false);
			W.choiceStep(ch.choice, W.connectStep);
		} else W.connectStep();
	}

	function boot() {
		W.build();
		api('GET', '/api/v1/widget/channels/' + encodeURIComponent(KEY)).then(function (ch) {
			W.applyChannel(ch);
			return W.register();
		}).then(function () {
			var saved = store.get('conv');
			if (saved && saved.id) {
				// Rebuild the history from the start: dedupe by seq keeps it exact.
				S.conv = saved.id; S.seq = 0; S.next = 0;
				S.left = store.get('left') === saved.id;
				W.setComposer(true);
				tell({ type: 'active', active: true });
				W.poll();
			} else fresh();
			// Visitor tracking (visitor.js) starts once the visitor is registered.
			emit('widget.ready', { channel: S.channel, page: { url: S.pageUrl, title: S.pageTitle, referrer: S.referrer } });
		}).catch(function (err) {
			W.setComposer(false);
			W.banner(explain(err), 'error');
		});
	}

	function preview(ch) {
		W.applyChannel(ch);
		ui.list.textContent = '';
		ui.agent.textContent = t('previewAgent');
		W.renderMessage({ sender: 'system', kind: 'text', text: t('welcome') });
		if ((ch.prechat_fields || []).length) {
			W.setComposer(false);
			ui.list.appendChild(h('li', { class: 'k-formrow' }, [W.prechatForm(ch.prechat_fields, function () { return Promise.resolve(); })]));
		} else {
			W.setComposer(true);
			W.renderMessage({ sender: 'visitor', kind: 'text', text: t('previewVisitor') });
			W.renderMessage({ sender: 'agent', kind: 'text', agent: { name: t('previewAgent') }, text: t('welcome') });
		}
	}
	Object.assign(W, { fresh: fresh, boot: boot, showPreview: preview });

	window.addEventListener('message', function (e) {
		var msg = e.data;
		if (!msg || msg.kefu !== 1 || e.source !== window.parent) return;
		// Only the page that framed us (frame-ancestors already limits which
		// pages can) and, for previews, kefu's own console.
		if (PREVIEW) {
			if (e.origin !== location.origin) return;
			if (msg.type === 'preview') preview(msg.channel || {});
			return;
		}
		if (e.origin !== parentOrigin) return;
		if (msg.type === 'init' && !S.booted) {
			S.booted = true;
			if (msg.forget) {
				// The site logged its customer out while this frame was not loaded.
				['token', 'visitor', 'conv', 'left', 'told'].forEach(store.del);
				tell({ type: 'forgot' });
			}
			S.params = msg.params || null;
			S.pageUrl = typeof msg.page_url === 'string' ? msg.page_url.slice(0, 2000) : null;
			S.referrer = typeof msg.referrer === 'string' ? msg.referrer.slice(0, 2000) : null;
			S.pageTitle = typeof msg.title === 'string' ? msg.title.slice(0, 500) : null;
			S.open = !!msg.open;
			S.attrs = msg.attributes && typeof msg.attributes === 'object' ? msg.attributes : null;
			boot();
		} else if (msg.type === 'open') {
			S.open = true; S.unread = 0;
			emit('panel.open');
			if (!msg.quiet) setTimeout(function () {
				// A pending step (group choice, pre-chat form) before the composer.
				var step = ui.composer.hidden && ui.list.querySelector('.k-formrow input, .k-formrow select, .k-formrow button');
				(step || (ui.text && !ui.composer.hidden ? ui.text : ui.closeBtn)).focus();
			}, 50);
		} else if (msg.type === 'identify' && S.booted) {
			S.params = msg.params || null;
			W.register().then(function (v) { if (v.changed) fresh(); }, function (err) { W.banner(explain(err), 'error'); });
		} else if (msg.type === 'close') {
			S.open = false;
			emit('panel.close');
		} else if (msg.type === 'set' && S.booted) {
			// Attributes go with a registration: the same visitor, resumed, gets them.
			S.attrs = msg.attributes && typeof msg.attributes === 'object' ? msg.attributes : null;
			W.register().then(function (v) { if (v.changed) fresh(); }, function () { /* kept for the next one */ });
		} else if (msg.type === 'page' && S.booted) {
			// A single-page app moved on: the next registration carries this page,
			// and with visitor tracking visitor.js reports it as a page view.
			S.pageUrl = typeof msg.url === 'string' ? msg.url.slice(0, 2000) : S.pageUrl;
			S.referrer = typeof msg.referrer === 'string' ? msg.referrer.slice(0, 2000) : S.referrer;
			S.pageTitle = typeof msg.title === 'string' ? msg.title.slice(0, 500) : S.pageTitle;
			emit('page', { url: S.pageUrl, title: S.pageTitle, referrer: S.referrer });
		} else if (msg.type === 'dismiss' && S.booted) {
			// The loader's invitation bubble was closed (phones).
			emit('invitation.dismiss');
		} else if (msg.type === 'logout' && S.booted) {
			W.logout().catch(function (err) { W.setComposer(false); W.banner(explain(err), 'error'); });
		}
	});

	// The hook add-ons in the frame use (quick.js, visitor.js ...): key, lang, ui, api, explain and tell come
	// from core.js, note from panel.js, ensureConversation from stream.js; these name the rest.
	W.render = W.renderMessage;
	W.closed = W.closedState;
	W.conversation = function () { return S.conv; };
	// visitor.js: tell the loader, and the invitation the next conversation answers (null: none).
	W.isOpen = function () { return S.open; };
	W.invitation = function (id) { S.invitation = id || null; };
	W.channel = function () { return S.channel; };
	if (PREVIEW) { W.build(); ui.closeBtn.hidden = true; tell({ type: 'ready' }); return; }
	if (framed) {
		tell({ type: 'ready' });
		// A loader that never answers (an old copy, a blocked script): start anyway.
		setTimeout(function () { if (!S.booted) { S.booted = true; boot(); } }, 3000);
	} else { S.booted = true; S.open = true; boot(); }
});

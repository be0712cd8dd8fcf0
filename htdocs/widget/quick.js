/* kefu widget quick-send: buttons above the input that let an identified visitor send one of their CRM records to the agent as a card. */
(function () {
	'use strict';
	var W = window.kefuWidget;
	if (!W) return; // not a live chat frame
	var T = {
		zh: { choose: '选择要发送的记录', none: '没有可发送的记录', more: '加载更多', close: '关闭', send: '发送', failed: '加载失败，请重试。' },
		en: { choose: 'Choose a record to send', none: 'Nothing to send', more: 'Load more', close: 'Close', send: 'Send', failed: 'Could not load. Try again.' }
	};
	var t = function (k) { return T[W.lang === 'en' ? 'en' : 'zh'][k]; };
	// Icon names an admin may type; anything else short (an emoji) is shown as it is.
	var ICONS = { order: '📦', orders: '📦', product: '🎁', ticket: '📝', case: '📝', contract: '📄', invoice: '📄', account: '👥' };
	var bar = null, panel = null, shown = 0;
	var h = W.h; // core.js's element builder

	function icon(s) {
		if (!s) return ICONS.order;
		if (ICONS[s]) return ICONS[s];
		return /^https?:/.test(s) || s.length > 4 ? ICONS.order : s;
	}
	function closePanel() {
		if (panel) { panel.remove(); panel = null; }
		if (bar) bar.querySelectorAll('[aria-expanded]').forEach(function (b) { b.setAttribute('aria-expanded', 'false'); });
	}
	function clear() {
		closePanel();
		if (bar) { bar.remove(); bar = null; }
	}
	function send(button, rec) {
		closePanel();
		W.ensureConversation().then(function () {
			return W.api('POST', '/api/v1/widget/conversations/' + W.conversation() + '/messages',
				{ kind: 'card', button_id: button.id, record_id: rec.id });
		}).then(W.render, function (err) {
			if (err.code === 'conflict') W.closed();
			else W.note(W.explain(err), 'error');
		});
	}
	function recordNode(button, rec) {
		return h('li', {}, [h('button', { type: 'button', class: 'kq-rec', onclick: function () { send(button, rec); } },
			[h('strong', { text: rec.title || '' })].concat((rec.lines || []).map(function (l) { return h('span', { text: l }); })))]);
	}
	function loadPage(button, list, more, after) {
		more.hidden = true;
		var q = '?limit=10' + (after ? '&after=' + after : '');
		W.api('GET', '/api/v1/widget/quick-buttons/' + button.id + '/records' + q).then(function (r) {
			var items = r.items || [];
			items.forEach(function (rec) { list.appendChild(recordNode(button, rec)); });
			if (!list.firstChild) list.appendChild(h('li', { class: 'kq-empty', text: t('none') }));
			if (r.next_after) {
				more.hidden = false;
				more.onclick = function () { loadPage(button, list, more, r.next_after); };
			}
			var first = list.querySelector('button');
			if (first && !after) first.focus();
		}, function () {
			list.appendChild(h('li', { class: 'kq-empty', text: t('failed') }));
		});
	}
	function openPanel(button, trigger) {
		var same = panel && panel.getAttribute('data-button') === String(button.id);
		closePanel();
		if (same) return;
		var list = h('ul', { class: 'kq-list', 'aria-label': t('choose') });
		var more = h('button', { type: 'button', class: 'kq-more', hidden: true, text: t('more') });
		panel = h('div', { class: 'kq-panel', role: 'dialog', 'aria-label': button.name, 'data-button': String(button.id) }, [
			h('div', { class: 'kq-head' }, [h('strong', { text: button.name }), h('span', { class: 'kq-hint', text: t('choose') }),
				h('button', { type: 'button', class: 'kq-x', 'aria-label': t('close'), title: t('close'), onclick: function () { closePanel(); trigger.focus(); } }, ['×'])]),
			list, more]);
		trigger.setAttribute('aria-expanded', 'true');
		W.ui.composer.insertBefore(panel, W.ui.composer.firstChild);
		loadPage(button, list, more, 0);
	}
	function draw(items) {
		clear();
		if (!items.length || !W.ui.composer) return;
		bar = h('div', { class: 'kq-bar', role: 'toolbar' }, items.map(function (b) {
			var btn = h('button', { type: 'button', class: 'kq-btn', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'data-button-id': String(b.id) },
				[h('span', { class: 'kq-icon', 'aria-hidden': 'true', text: icon(b.icon) }), h('span', { text: b.name })]);
			btn.addEventListener('click', function () { openPanel(b, btn); });
			return btn;
		}));
		W.ui.composer.insertBefore(bar, W.ui.composer.querySelector('.k-row') || null);
	}
	// Every registration (boot, or a later identify) says who the visitor is
	// now: guests get no buttons, identified visitors their channel's.
	document.addEventListener('kefu:visitor', function (e) {
		var v = e.detail || {}, n = ++shown;
		// Another person: the last one's buttons and records go at once.
		if (v.changed || !v.identified) clear();
		if (!v.identified) return;
		W.api('GET', '/api/v1/widget/quick-buttons?channel_key=' + encodeURIComponent(W.key)).then(function (r) {
			if (n === shown) draw(r.items || []);
		}, function () { /* no buttons: the chat works on */ });
	});
	document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && panel) closePanel(); });
})();

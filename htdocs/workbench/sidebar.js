// htdocs/workbench/sidebar.js: the side panel beside the open conversation: the visitor's facts and pre-chat answers, past conversations with transcripts (notes: notes.js).
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var seq = 0;

	function showVisitor(c) {
		var box = $('wb-visitor');
		box.textContent = '';
		if (!c)
			return;
		var dl = document.createElement('dl');
		function row(k, v) {
			if (v === undefined || v === null || v === '')
				return;
			dl.appendChild(el('dt', '', k));
			dl.appendChild(el('dd', '', v));
		}
		row(t('workbench.visitor'), WB.visitorName(c.visitor, c.prechat));
		row('', c.visitor && c.visitor.identified ? t('workbench.identified') : t('workbench.guest'));
		row(t('workbench.page'), c.visitor && c.visitor.page_url);
		box.appendChild(dl);
		// The answers by the form's labels (a field removed since keeps its name).
		var pre = c.prechat || {}, labels = c.prechat_labels || {};
		var keys = Object.keys(pre);
		if (keys.length) {
			box.appendChild(el('h3', '', t('workbench.prechat')));
			var dl2 = el('dl', 'wb-prechat');
			keys.forEach(function (k) {
				dl2.appendChild(el('dt', '', labels[k] || k));
				dl2.appendChild(el('dd', '', pre[k]));
			});
			box.appendChild(dl2);
		}
	}

	// A visitor's past conversations (without skip), with transcript links; the inbox uses it too.
	function historyInto(box, visitorId, skip) {
		box.textContent = '';
		WB.api('GET', '/api/v1/agent/visitors/' + visitorId + '/conversations?limit=20').then(function (r) {
			var items = r.items.filter(function (c) { return c.id !== skip; });
			WB.itemList(box, items, t('workbench2.noHistory'), 'wb2-history', 'wb2-hist-item', function (li, c) {
				var top = el('div', 'wb2-hist-top');
				top.appendChild(el('span', '', WB.when(c.created_at)));
				top.appendChild(el('span', '', c.agent ? c.agent.name : ''));
				if (c.rating)
					top.appendChild(el('span', 'wb2-stars', WB.stars(c.rating)));
				li.appendChild(top);
				if (c.last_text)
					li.appendChild(el('div', 'wb2-hist-last', c.last_text));
				var links = el('div', 'wb2-hist-links');
				['html', 'txt'].forEach(function (ext) {
					var a = el('a', 'wb2-transcript', ext.toUpperCase());
					a.href = '/api/v1/agent/conversations/' + c.id + '/transcript.' + ext;
					a.setAttribute('download', 'conversation-' + c.id + '.' + ext);
					links.appendChild(a);
				});
				li.appendChild(links);
			});
		}, function (e) { box.appendChild(el('p', 'wb2-empty', e.status === 404 ? t('workbench2.noHistory') : e.message)); });
	}

	// Past conversations (transfer and internal notes are in the message list: notes.js).
	function loadSide(c) {
		var box = $('wb2-side'), id = c.id;
		++seq;
		box.textContent = '';
		box.appendChild(el('h3', '', t('workbench2.history')));
		var hist = el('div', 'wb2-history-box');
		box.appendChild(hist);
		historyInto(hist, c.visitor.id, id);
	}

	var last = null;
	bus.on('conversation.opened', function () {
		++seq;
		last = null;
		showVisitor(null);
		$('wb2-side').textContent = '';
	});
	bus.on('conversation.loaded', function (d) {
		last = d.conversation;
		showVisitor(d.conversation);
		loadSide(d.conversation);
	});
	// Handed to me while open (not away from me): its notes and history are mine to see now.
	bus.on('agent.event', function (d) {
		var ev = d.ev;
		if (ev.type === 'status' && ev.status === 'transferred' && ev.conversation_id === S.current &&
		    ev.agent && ev.agent.id === WB.ME && last)
			loadSide(last);
	});

	// ---- the drawer (at 1000 px and below the panel slides over the conversation) ----
	var side = $('wb-side'), openBtn = $('wb-side-btn'), closeBtn = $('wb-side-close'), backdrop = $('wb-backdrop');
	var drawerMode = window.matchMedia('(max-width: 1000px)');
	function isOpen() { return document.body.classList.contains('wb-side-open'); }
	function openDrawer() {
		document.body.classList.add('wb-side-open');
		side.setAttribute('role', 'dialog');
		side.setAttribute('aria-modal', 'true');
		openBtn.setAttribute('aria-expanded', 'true');
		backdrop.hidden = false;
		closeBtn.focus();
	}
	function closeDrawer(refocus) {
		if (!isOpen())
			return;
		document.body.classList.remove('wb-side-open');
		side.removeAttribute('role');
		side.removeAttribute('aria-modal');
		openBtn.setAttribute('aria-expanded', 'false');
		backdrop.hidden = true;
		if (refocus)
			openBtn.focus();
	}
	function focusables() {
		return Array.prototype.filter.call(
			side.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'),
			function (e) { return !e.disabled && e.offsetParent !== null; });
	}
	openBtn.addEventListener('click', function () { if (isOpen()) closeDrawer(true); else openDrawer(); });
	closeBtn.addEventListener('click', function () { closeDrawer(true); });
	backdrop.addEventListener('click', function () { closeDrawer(true); });
	// While open, Tab and Shift+Tab stay inside the drawer; Escape closes it.
	side.addEventListener('keydown', function (e) {
		if (!isOpen())
			return;
		if (e.key === 'Escape') {
			e.preventDefault();
			closeDrawer(true);
		} else if (e.key === 'Tab') {
			var f = focusables();
			if (!f.length)
				return;
			var first = f[0], last = f[f.length - 1];
			if (e.shiftKey && (document.activeElement === first || !side.contains(document.activeElement))) {
				e.preventDefault();
				last.focus();
			} else if (!e.shiftKey && document.activeElement === last) {
				e.preventDefault();
				first.focus();
			}
		}
	});
	// Widened past the drawer size: the panel is a column again.
	drawerMode.addEventListener('change', function () { if (!drawerMode.matches) closeDrawer(false); });
	bus.on('conversation.opened', function () { closeDrawer(false); });
	$('wb-back').addEventListener('click', function () { closeDrawer(false); });

	WB.historyInto = historyInto;
})();

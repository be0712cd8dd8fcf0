// htdocs/workbench/inbox.js: the leave-message inbox: a button with the open count in the top bar, a dialog listing messages to handle (with a note) and the visitor's past conversations.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, el = WB.el;
	var inboxStatus = 'open';

	function openInbox() {
		var old = WB.$('wb2-inbox');
		if (old) {
			old.remove();
			return;
		}
		var dlg = el('dialog', 'wb2-dialog wb2-inbox');
		dlg.id = 'wb2-inbox';
		var head = el('div', 'wb2-inbox-head');
		head.appendChild(el('h3', '', t('workbench2.inbox')));
		['open', 'handled'].forEach(function (s) {
			var b = WB.button(s === inboxStatus ? 'wb-primary' : '', s === 'open' ? t('workbench2.open') : t('workbench2.handled'), function () {
				inboxStatus = s;
				dlg.remove();
				openInbox();
			});
			b.setAttribute('data-filter', s);
			head.appendChild(b);
		});
		head.appendChild(WB.button('', t('workbench2.close'), function () { dlg.close(); dlg.remove(); }));
		dlg.appendChild(head);
		var list = el('ul', 'wb2-leave-list');
		dlg.appendChild(list);
		document.body.appendChild(dlg);
		if (dlg.showModal)
			dlg.showModal();
		else
			dlg.setAttribute('open', '');
		WB.api('GET', '/api/v1/agent/leave-messages?status=' + inboxStatus).then(function (r) {
			if (!r.items.length)
				list.appendChild(el('li', 'wb2-empty', t('workbench2.noLeave')));
			r.items.forEach(function (m) { list.appendChild(entry(m)); });
		}, function (e) { list.appendChild(el('li', 'wb2-error', e.message)); });
	}

	function entry(m) {
		var li = el('li', 'wb2-leave');
		li.setAttribute('data-id', m.id);
		li.appendChild(el('div', 'wb2-leave-when', WB.when(m.created_at)));
		var dl = el('dl', 'wb2-fields'), labels = m.field_labels || {};
		Object.keys(m.fields || {}).forEach(function (k) {
			dl.appendChild(el('dt', '', labels[k] || k));
			dl.appendChild(el('dd', '', m.fields[k]));
		});
		li.appendChild(dl);
		if (m.status === 'handled') {
			li.appendChild(el('div', 'wb2-leave-note', '✓ ' + t('workbench2.handled') + (m.note ? ': ' + m.note : '')));
		} else {
			var note = el('input', 'wb2-handle-note');
			note.placeholder = t('workbench2.handleNote');
			note.setAttribute('aria-label', t('workbench2.handleNote'));
			note.maxLength = 1000;
			li.appendChild(note);
			li.appendChild(WB.button('wb-primary wb2-handle', t('workbench2.handle'), function () {
				var body = note.value.trim() ? { note: note.value.trim() } : {};
				WB.api('POST', '/api/v1/agent/leave-messages/' + m.id + '/handle', body).then(function () {
					li.remove();
					refreshCount();
				}, function (e) { WB.notice(e.message); });
			}));
		}
		if (m.visitor_id) {
			var hist = el('div', 'wb2-leave-history');
			li.appendChild(WB.button('wb2-show-history', t('workbench2.visitorHistory'), function () {
				WB.historyInto(hist, m.visitor_id);
			}));
			li.appendChild(hist);
		}
		return li;
	}

	var btn = WB.button('wb2-inbox-btn', t('workbench2.inbox'), openInbox);
	btn.id = 'wb2-inbox-btn';
	var top = document.querySelector('.wb-top');
	top.insertBefore(btn, top.querySelector('.wb-status'));
	function refreshCount() {
		WB.api('GET', '/api/v1/agent/leave-messages?status=open').then(function (r) {
			btn.textContent = t('workbench2.inbox') + (r.items.length ? ' (' + r.items.length + ')' : '');
		}, function () {});
	}
	WB.bus.on('start', function () {
		refreshCount();
		setInterval(refreshCount, 30000);
	});
})();

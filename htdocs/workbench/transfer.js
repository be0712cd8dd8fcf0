// htdocs/workbench/transfer.js: the "Transfer" button of the open conversation and its dialog (to an agent or a group, with a note for the receiver).
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, el = WB.el, bus = WB.bus;

	function statusText(s) {
		return s === 'online' ? t('status.online') : s === 'away' ? t('status.away') : t('status.offline');
	}

	function transferDialog() {
		if (!S.current)
			return;
		var id = S.current;
		WB.api('GET', '/api/v1/agent/directory?conversation_id=' + id).then(function (d) {
			var dlg = el('dialog', 'wb2-dialog');
			dlg.id = 'wb2-transfer';
			var form = el('form', 'wb2-form');
			form.method = 'dialog';
			form.appendChild(el('h3', '', t('workbench2.transferTo')));
			function select(label, name, items, fmtItem) {
				var l = el('label', 'wb2-field');
				l.appendChild(el('span', '', label));
				var s = el('select');
				s.name = name;
				s.appendChild(el('option', '', '—')).value = '';
				items.forEach(function (x) {
					var o = el('option', '', fmtItem(x));
					o.value = x.id;
					// Away or offline agents are listed (one may look for a colleague) but cannot be picked:
					// the server refuses them (409); their groups' queues reach them later.
					if (x.available === false)
						o.disabled = true;
					s.appendChild(o);
				});
				l.appendChild(s);
				form.appendChild(l);
				return s;
			}
			// Available first, then by fewest live conversations: who can take it now.
			var others = d.agents.filter(function (a) { return !a.me; }).sort(function (a, b) {
				return (b.available === true) - (a.available === true) || (a.active || 0) - (b.active || 0);
			});
			var agent = select(t('workbench2.toAgent'), 'user_id', others, function (a) {
				var load = a.capacity ? t('transfer.load', { active: a.active || 0, capacity: a.capacity }) :
					t('transfer.active', { active: a.active || 0 });
				return a.name + ' (' + statusText(a.status) + ' · ' + load + ')';
			});
			var group = select(t('workbench2.toGroup'), 'group_id', d.groups, function (g) { return g.name; });
			agent.addEventListener('change', function () { if (agent.value) group.value = ''; });
			group.addEventListener('change', function () { if (group.value) agent.value = ''; });
			var nl = el('label', 'wb2-field');
			nl.appendChild(el('span', '', t('workbench2.note')));
			var note = el('textarea');
			note.name = 'note';
			note.rows = 3;
			note.maxLength = 1000;
			nl.appendChild(note);
			form.appendChild(nl);
			var err = el('p', 'wb2-error');
			form.appendChild(err);
			var row = el('div', 'wb2-actions');
			row.appendChild(WB.button('', t('workbench2.cancel'), function () { dlg.close(); dlg.remove(); }));
			var ok = WB.button('wb-primary', t('workbench2.doTransfer'), function () {
				var body = agent.value ? { user_id: Number(agent.value) } : group.value ? { group_id: Number(group.value) } : null;
				if (!body)
					return;
				if (note.value.trim())
					body.note = note.value.trim();
				ok.disabled = true;
				S.handingOver = id; // stream.js: its "transferred" event may arrive before this answer
				WB.api('POST', '/api/v1/agent/conversations/' + id + '/handover', body).then(function () {
					dlg.close();
					dlg.remove();
					WB.notice(t('workbench2.transferred'));
					bus.emit('conversation.left', { id: id, reason: 'transferred' });
				}, function (e) {
					S.handingOver = 0;
					ok.disabled = false;
					err.textContent = e.status === 409 && e.field === 'user_id' ? t('transfer.unavailable') :
						e.status === 409 && e.code === 'capacity' ? t('transfer.full') : e.message;
				});
			});
			ok.id = 'wb2-transfer-ok';
			row.appendChild(ok);
			form.appendChild(row);
			dlg.appendChild(form);
			dlg.addEventListener('close', function () { dlg.remove(); });
			document.body.appendChild(dlg);
			if (dlg.showModal)
				dlg.showModal();
			else
				dlg.setAttribute('open', '');
		}, function (e) { WB.notice(e.message); });
	}

	var btn = WB.button('', t('workbench2.transfer'), transferDialog);
	btn.id = 'wb2-transfer-btn';
	WB.$('wb-actions').insertBefore(btn, WB.$('wb-actions').firstChild);
	bus.on('conversation.opened', function () { btn.hidden = false; });
	bus.on('conversation.closed', function () { btn.hidden = true; });
	bus.on('conversation.left', function () { btn.hidden = true; });
	bus.on('conversation.loaded', function (d) { btn.hidden = d.conversation.status === 'closed'; });
})();

// htdocs/workbench/crm.js: the side panel's CRM records of the open conversation's visitor (account, contact, tickets, orders...) and linking a guest to a contact.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, el = WB.el, bus = WB.bus;
	var box = WB.$('sb-panel'), current = 0, seq = 0;

	function render(data) {
		box.textContent = '';
		box.appendChild(el('h3', 'sb-title', t('workbench.crm_title')));
		var v = data.visitor || {};
		if (!v.identified)
			box.appendChild(el('p', 'sb-note', t('workbench.crm_unverified')));
		(data.objects || []).forEach(function (o) {
			var sec = el('section', 'sb-object');
			sec.setAttribute('data-object', o.object);
			sec.appendChild(el('h4', 'sb-object-label', o.label));
			if (!o.records.length)
				sec.appendChild(el('p', 'sb-empty', t('workbench.crm_none')));
			o.records.forEach(function (r) {
				var dl = el('dl', 'sb-record');
				dl.setAttribute('data-id', r.id);
				r.fields.forEach(function (f) {
					dl.appendChild(el('dt', '', f.label));
					dl.appendChild(el('dd', '', f.value === null || f.value === undefined ? '—' : f.value));
				});
				sec.appendChild(dl);
			});
			box.appendChild(sec);
		});
		if (!v.contact_id)
			box.appendChild(linkForm());
	}

	function linkForm() {
		var form = el('form', 'sb-link');
		form.appendChild(el('h4', '', t('workbench.crm_link')));
		var q = el('input', 'sb-q');
		q.type = 'search';
		q.placeholder = t('workbench.crm_search');
		q.setAttribute('aria-label', t('workbench.crm_search'));
		var list = el('ul', 'sb-results');
		form.appendChild(q);
		form.appendChild(list);
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			if (!q.value.trim())
				return;
			WB.api('GET', '/api/v1/agent/crm/contacts?q=' + encodeURIComponent(q.value.trim())).then(function (res) {
				list.textContent = '';
				res.items.forEach(function (c) {
					var b = el('button', 'sb-pick', (c.fields.full_name || c.external_id) + ' ' + (c.fields.phone || ''));
					b.type = 'button';
					b.addEventListener('click', function () {
						WB.api('POST', '/api/v1/agent/conversations/' + current + '/link', { contact_id: c.id }).then(load, show);
					});
					var li = el('li');
					li.appendChild(b);
					list.appendChild(li);
				});
				if (!res.items.length)
					list.appendChild(el('li', 'sb-empty', t('workbench.crm_none')));
			}, show);
		});
		return form;
	}

	function show(err) {
		box.appendChild(el('p', 'sb-error', err.message));
	}

	function load() {
		var id = current, mine = ++seq;
		box.textContent = '';
		if (!id)
			return;
		WB.api('GET', '/api/v1/agent/conversations/' + id + '/sidebar').then(function (d) {
			if (mine === seq)
				render(d);
		}, function (e) {
			if (mine === seq) {
				box.textContent = '';
				show(e);
			}
		});
	}

	bus.on('conversation.opened', function (d) {
		current = d.id;
		load();
	});
	bus.on('conversation.left', function () {
		current = 0;
		++seq;
		box.textContent = '';
	});
})();

// htdocs/workbench/sidebar.js: the workbench side panel: the active conversation's CRM records (account, contact, tickets, orders...) and a hand link of a guest to a contact.
(function () {
	'use strict';
	var CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
	var zh = !/^en/.test(document.documentElement.lang || '');
	var T = zh
		? { crm: '客户资料', none: '无记录', link: '关联联系人', search: '手机号或姓名', linked: '已关联', unverified: '未验证身份' }
		: { crm: 'CRM records', none: 'No records', link: 'Link to contact', search: 'Phone or name', linked: 'Linked', unverified: 'Not verified' };
	var box, current = 0, seq = 0;

	function api(method, path, body) {
		var opts = { method: method, credentials: 'same-origin', headers: {} };
		if (body !== undefined) {
			opts.headers['Content-Type'] = 'application/json';
			opts.headers['X-CSRF-Token'] = CSRF;
			opts.body = JSON.stringify(body);
		}
		return fetch(path, opts).then(function (r) {
			return r.json().catch(function () { return {}; }).then(function (j) {
				if (!r.ok)
					throw new Error((j.error && j.error.message) || String(r.status));
				return j;
			});
		});
	}

	// Values reach the page only as textContent.
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	function render(data) {
		box.textContent = '';
		box.appendChild(el('h3', 'sb-title', T.crm));
		var v = data.visitor || {};
		if (!v.identified)
			box.appendChild(el('p', 'sb-note', T.unverified));
		(data.objects || []).forEach(function (o) {
			var sec = el('section', 'sb-object');
			sec.setAttribute('data-object', o.object);
			sec.appendChild(el('h4', 'sb-object-label', o.label));
			if (!o.records.length)
				sec.appendChild(el('p', 'sb-empty', T.none));
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
		form.appendChild(el('h4', '', T.link));
		var q = el('input', 'sb-q');
		q.type = 'search';
		q.placeholder = T.search;
		var list = el('ul', 'sb-results');
		form.appendChild(q);
		form.appendChild(list);
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			if (!q.value.trim())
				return;
			api('GET', '/api/v1/agent/crm/contacts?q=' + encodeURIComponent(q.value.trim())).then(function (res) {
				list.textContent = '';
				res.items.forEach(function (c) {
					var b = el('button', 'sb-pick', (c.fields.full_name || c.external_id) + ' ' + (c.fields.phone || ''));
					b.type = 'button';
					b.addEventListener('click', function () {
						api('POST', '/api/v1/agent/conversations/' + current + '/link', { contact_id: c.id }).then(load, show);
					});
					var li = el('li');
					li.appendChild(b);
					list.appendChild(li);
				});
				if (!res.items.length)
					list.appendChild(el('li', 'sb-empty', T.none));
			}, show);
		});
		return form;
	}

	function show(err) {
		box.appendChild(el('p', 'sb-error', err.message));
	}

	function load() {
		var id = current, mine = ++seq;
		if (!id) {
			box.textContent = '';
			return;
		}
		api('GET', '/api/v1/agent/conversations/' + id + '/sidebar').then(function (d) {
			if (mine === seq)
				render(d);
		}, function (e) {
			if (mine === seq) {
				box.textContent = '';
				show(e);
			}
		});
	}

	// workbench.js marks the open conversation with .wb-active; follow it.
	function watch() {
		var a = document.querySelector('.wb-item.wb-active');
		var id = a ? Number(a.getAttribute('data-id')) : 0;
		if (id !== current) {
			current = id;
			load();
		}
	}

	document.addEventListener('DOMContentLoaded', function () {
		var side = document.getElementById('wb-side');
		if (!side)
			return;
		var css = document.createElement('link'); // its own stylesheet: the page template gains one line only
		css.rel = 'stylesheet';
		css.href = '/static/workbench/sidebar.css';
		document.head.appendChild(css);
		box = el('div', 'sb-panel');
		box.id = 'sb-panel';
		side.appendChild(box);
		new MutationObserver(watch).observe(document.getElementById('wb-groups') || document.body,
			{ subtree: true, attributes: true, attributeFilter: ['class'], childList: true });
		watch();
	});
})();

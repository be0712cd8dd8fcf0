// htdocs/workbench/visitors.js: the "Visitors" view: who is browsing the agent's channels now, kept current from the agent stream (no polling), paged; the visitor profile (page trail, past conversations, CRM records) from the list and from the conversation header; inviting a visitor with a text (canned replies on "/").
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var PAGE = 50;
	// The page shown: its rows by visitor id in order, the cursors that led to each page (pages[0] = null).
	var V = { on: false, rows: [], pages: [null], page: 0, next: null, loading: 0, convVisitor: 0, profileId: 0, inviteFor: null };

	function attrs(e, a) {
		Object.keys(a).forEach(function (k) { e.setAttribute(k, a[k]); });
		return e;
	}
	function host(u) {
		try { return new URL(u).host; } catch (e) { return u || ''; }
	}
	function shortUrl(u) {
		try { var x = new URL(u); return x.host + x.pathname + x.search; } catch (e) { return u || ''; }
	}
	function httpUrl(u) {
		try { var x = new URL(u); return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null; } catch (e) { return null; }
	}
	function since(iso) {
		var d = Date.parse(iso);
		return isNaN(d) ? '' : WB.dur((Date.now() - d) / 1000);
	}
	function name(v) {
		return v.name || t('workbench.visitor_n', { id: v.visitor_id });
	}
	var DEVICE = { desktop: t('visitors.device_desktop'), mobile: t('visitors.device_mobile'), tablet: t('visitors.device_tablet') };
	var COL = {
		visitor: t('visitors.col_visitor'), page: t('visitors.col_page'), time: t('visitors.col_time'), pages: t('visitors.col_pages'),
		referrer: t('visitors.col_referrer'), device: t('visitors.col_device'), status: t('visitors.col_status'), actions: t('visitors.col_actions'),
	};
	function device(v) {
		var b = v.browser || {};
		return (DEVICE[v.device] || DEVICE.desktop) + ' · ' + [b.name, b.version].filter(Boolean).join(' ') +
			(v.os ? ' · ' + v.os : '');
	}
	// What the visitor is doing, as one short label (a class for its colour).
	function state(v) {
		if (v.conversation_id)
			return ['chat', t('visitors.in_conversation')];
		var s = v.invitation && v.invitation.status;
		if (s === 'sent')
			return ['invited', t('visitors.invited')];
		if (s === 'dismissed')
			return ['dismissed', t('visitors.dismissed')];
		if (s === 'accepted')
			return ['chat', t('visitors.accepted')];
		return ['browsing', t('visitors.browsing')];
	}
	function canInvite(v) {
		return v.live !== false && !v.conversation_id && !(v.invitation && v.invitation.status === 'sent');
	}

	// ---- the view: a toggle in the top bar, the list in place of the conversations ----
	var toggle = attrs(el('button', 'wb-btn vis-toggle'), { type: 'button', id: 'vis-toggle', 'aria-pressed': 'false', 'aria-controls': 'vis-view' });
	toggle.appendChild(el('span', '', t('visitors.toggle')));
	toggle.appendChild(document.createTextNode(' '));
	var count = attrs(el('span', 'vis-count'), { id: 'vis-count' });
	toggle.appendChild(count);
	var top = document.querySelector('.wb-top');
	top.insertBefore(toggle, top.querySelector('.wb-spacer'));

	var view = attrs(el('section', 'vis-view'), { id: 'vis-view', 'aria-labelledby': 'vis-title' });
	view.hidden = true;
	var head = el('div', 'vis-head');
	head.appendChild(attrs(el('h2', '', t('visitors.title')), { id: 'vis-title', tabindex: '-1' }));
	var status = attrs(el('p', 'vis-status'), { id: 'vis-status', role: 'status' });
	head.appendChild(status);
	view.appendChild(head);
	var wrap = el('div', 'vis-wrap');
	var table = attrs(el('table', 'vis-table'), { id: 'vis-table' });
	var thead = el('thead'), tr = el('tr');
	var COLS = ['visitor', 'page', 'time', 'pages', 'referrer', 'device', 'status', 'actions'];
	COLS.forEach(function (c) { tr.appendChild(attrs(el('th', 'vis-c-' + c, COL[c]), { scope: 'col' })); });
	thead.appendChild(tr);
	table.appendChild(thead);
	var tbody = attrs(el('tbody'), { id: 'vis-rows' });
	table.appendChild(tbody);
	wrap.appendChild(table);
	view.appendChild(wrap);
	var empty = attrs(el('p', 'vis-empty', t('visitors.empty')), { id: 'vis-empty' });
	view.appendChild(empty);
	var pager = attrs(el('nav', 'vis-pager'), { 'aria-label': t('visitors.pages_nav') });
	var prev = WB.button('', t('visitors.prev'), function () { go(V.page - 1); });
	prev.id = 'vis-prev';
	var pageNo = attrs(el('span', 'vis-pageno'), { id: 'vis-pageno' });
	var next = WB.button('', t('visitors.next'), function () { go(V.page + 1); });
	next.id = 'vis-next';
	[prev, pageNo, next].forEach(function (x) { pager.appendChild(x); });
	view.appendChild(pager);
	var main = document.querySelector('.wb-main');
	main.parentNode.insertBefore(view, main.nextSibling);

	function show(on) {
		V.on = on;
		toggle.setAttribute('aria-pressed', String(on));
		document.body.classList.toggle('vis-on', on);
		view.hidden = !on;
		main.hidden = on;
		if (on) {
			go(0);
			$('vis-title').focus();
		}
	}
	toggle.addEventListener('click', function () { show(!V.on); });

	// ---- rows ----
	function cell(row, col, label) {
		var td = attrs(el('td', 'vis-c-' + col), { 'data-label': label === false ? '' : COL[col] });
		row.appendChild(td);
		return td;
	}
	function rowNode(v) {
		var row = attrs(el('tr', 'vis-row'), { 'data-visitor': String(v.visitor_id) });
		var who = cell(row, 'visitor', false);
		who.appendChild(el('strong', 'vis-name', name(v)));
		who.appendChild(el('span', 'vis-tag' + (v.identified ? ' vis-id' : ''), v.identified ? t('workbench.identified') : t('workbench.guest')));
		if (v.channel && v.channel.name)
			who.appendChild(el('span', 'vis-sub', v.channel.name));
		var pg = cell(row, 'page');
		var url = httpUrl(v.page && v.page.url);
		var a = el(url ? 'a' : 'span', 'vis-title', (v.page && (v.page.title || shortUrl(v.page.url))) || '—');
		if (url)
			attrs(a, { href: url, target: '_blank', rel: 'noopener noreferrer' });
		pg.appendChild(a);
		pg.appendChild(el('span', 'vis-sub', v.page ? shortUrl(v.page.url) : ''));
		attrs(cell(row, 'time'), { 'data-since': (v.page && v.page.since) || '' }).appendChild(el('span', 'vis-since', since(v.page && v.page.since)));
		cell(row, 'pages').appendChild(el('span', '', String(v.pages_viewed || 0)));
		cell(row, 'referrer').appendChild(el('span', '', v.referrer ? host(v.referrer) : t('visitors.direct')));
		cell(row, 'device').appendChild(el('span', '', device(v)));
		var st = state(v);
		cell(row, 'status').appendChild(el('span', 'vis-state vis-' + st[0], st[1]));
		var acts = cell(row, 'actions', false);
		var p = WB.button('vis-profile-btn', t('visitors.profile'), function () { profile(v.visitor_id, p); });
		p.setAttribute('aria-label', t('visitors.profile_of', { name: name(v) }));
		p.setAttribute('data-visitor', String(v.visitor_id));
		acts.appendChild(p);
		var inv = WB.button('wb-primary vis-invite-btn', t('visitors.invite'), function () { invite(v, inv); });
		inv.setAttribute('aria-label', t('visitors.invite_title', { name: name(v) }));
		inv.setAttribute('data-visitor', String(v.visitor_id));
		inv.disabled = !canInvite(v);
		acts.appendChild(inv);
		return row;
	}
	// A row's button in the list as it is now: rows are rebuilt whenever the
	// stream speaks, so a button a keyboard user focused, or that opened a
	// dialog, may have been replaced by its twin in the new row.
	var ACTIONS = ['vis-profile-btn', 'vis-invite-btn'];
	function current(btn) {
		if (!btn || document.contains(btn))
			return btn;
		var act = ACTIONS.filter(function (c) { return btn.classList.contains(c); })[0];
		var row = act && tbody.querySelector('tr[data-visitor="' + btn.getAttribute('data-visitor') + '"]');
		return row ? row.querySelector('.' + act) : null;
	}
	// Rebuilds rows without taking the focus from whoever is on one of them.
	function keepingFocus(rebuild) {
		var had = tbody.contains(document.activeElement) ? document.activeElement : null;
		rebuild();
		var now = had && current(had);
		if (now && now !== had && !now.disabled)
			now.focus();
	}
	function render() {
		keepingFocus(function () {
			tbody.textContent = '';
			V.rows.forEach(function (v) { tbody.appendChild(rowNode(v)); });
		});
		empty.hidden = V.rows.length > 0;
		table.hidden = !V.rows.length;
		prev.disabled = V.page === 0;
		next.disabled = !V.next;
		pageNo.textContent = t('visitors.page', { n: V.page + 1 });
		pager.hidden = V.page === 0 && !V.next;
		counter();
	}
	// The count in the toggle: exact while everyone fits on the first page.
	function counter() {
		if (V.page !== 0)
			return;
		var n = V.rows.length;
		count.textContent = V.next ? n + '+' : String(n);
		toggle.title = t('visitors.count', { n: count.textContent });
	}
	function go(page) {
		if (page < 0 || page >= V.pages.length + (V.next ? 1 : 0))
			return;
		if (page === V.pages.length)
			V.pages.push(V.next);
		var mine = ++V.loading, cursor = V.pages[page];
		WB.api('GET', '/api/v1/agent/visitors/live?limit=' + PAGE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '')).then(function (r) {
			if (mine !== V.loading)
				return;
			V.page = page;
			V.pages.length = page + 1;
			V.rows = r.items || [];
			V.next = r.next_cursor || null;
			render();
		}, function (e) {
			if (mine === V.loading)
				WB.notice(e.message);
		});
	}

	// ---- live: the agent stream says who appeared, changed or left ----
	// Whether visitor a comes before b in the list: the newer appearance, then the higher id (the server's order).
	function later(a, b) {
		var x = a.appeared_at || '', y = b.appeared_at || '';
		return x !== y ? x > y : a.visitor_id > b.visitor_id;
	}
	function replace(v) {
		var old = tbody.querySelector('tr[data-visitor="' + v.visitor_id + '"]');
		if (old)
			keepingFocus(function () { tbody.replaceChild(rowNode(v), old); });
	}
	bus.on('agent.event', function (d) {
		var ev = d.ev, i;
		if (ev.type === 'visitor' && ev.visitor) {
			var v = ev.visitor, at = -1;
			for (i = 0; i < V.rows.length; i++)
				if (V.rows[i].visitor_id === v.visitor_id)
					at = i;
			if (v.live === false) {
				if (at >= 0) {
					V.rows.splice(at, 1);
					if (V.on) render();
				}
			} else if (at >= 0) {
				// Listed by appearance (as the server pages it): a page view updates the row where it is.
				V.rows[at] = v;
				if (V.on)
					replace(v);
			} else if (V.page === 0 && (V.rows.length < PAGE || later(v, V.rows[V.rows.length - 1]))) {
				// Newest appearance first: a visitor who just arrived goes to the top of the first page.
				for (i = 0; i < V.rows.length && !later(v, V.rows[i]); i++)
					;
				V.rows.splice(i, 0, v);
				if (V.rows.length > PAGE) {
					V.rows.length = PAGE;
					// One more than a page: the next page's cursor comes from the server (asked at most every 2 s).
					if (!V.next && !V.refresh)
						V.refresh = setTimeout(function () { V.refresh = 0; if (V.page === 0) go(0); }, 2000);
				}
				if (V.on)
					render();
				else
					counter();
			}
			if (V.profileId === v.visitor_id)
				profileFacts(v);
		} else if (ev.type === 'visitor_left') {
			for (i = 0; i < V.rows.length; i++)
				if (V.rows[i].visitor_id === ev.visitor_id) {
					V.rows.splice(i, 1);
					if (V.on) render();
					else counter();
					break;
				}
		}
	});
	// Time on the page goes on while the list is open.
	setInterval(function () {
		if (!V.on)
			return;
		Array.prototype.forEach.call(tbody.querySelectorAll('td[data-since]'), function (td) {
			td.firstChild.textContent = since(td.getAttribute('data-since'));
		});
	}, 1000);

	// ---- dialogs: the profile and the invitation ----
	function dialog(id, title) {
		var d = attrs(el('dialog', 'vis-dialog'), { id: id, 'aria-labelledby': id + '-title' });
		var h = el('div', 'vis-dhead');
		h.appendChild(attrs(el('h2', '', title), { id: id + '-title' }));
		var x = WB.button('vis-x', '×', function () { d.close(); });
		x.setAttribute('aria-label', t('visitors.close'));
		h.appendChild(x);
		d.appendChild(h);
		var body = el('div', 'vis-dbody');
		d.appendChild(body);
		document.body.appendChild(d);
		d.addEventListener('close', function () {
			var back = current(d.opener);
			if (back && document.contains(back))
				back.focus();
			else if (V.on)
				$('vis-title').focus(); // the opener's row left the page meanwhile: back to the list, not to the page's top
		});
		return { d: d, title: h.firstChild, body: body };
	}
	var P = dialog('vis-profile', t('visitors.profile_title'));
	var facts = el('dl', 'vis-facts');
	var pActions = el('div', 'vis-dactions');
	var trail = el('ol', 'vis-trail'), convs = el('ul', 'vis-convs'), crm = el('div', 'vis-crm');
	[[null, facts], [null, pActions], [t('visitors.trail'), trail], [t('visitors.conversations'), convs], [t('visitors.crm'), crm]].forEach(function (s) {
		var sec = el('section', 'vis-sec');
		if (s[0])
			sec.appendChild(el('h3', '', s[0]));
		sec.appendChild(s[1]);
		P.body.appendChild(sec);
	});
	function fact(k, v) {
		if (v === undefined || v === null || v === '')
			return;
		facts.appendChild(el('dt', '', k));
		facts.appendChild(el('dd', '', v));
	}
	function profileFacts(v) {
		P.title.textContent = name(v);
		facts.textContent = '';
		fact(t('visitors.col_status'), v.live === false ? t('visitors.left') : state(v)[1]);
		fact(t('visitors.identity'), v.identified ? t('workbench.identified') : t('workbench.guest'));
		fact(t('visitors.channel'), v.channel && v.channel.name);
		fact(t('visitors.col_page'), v.page && (v.page.title ? v.page.title + ' — ' : '') + shortUrl(v.page.url));
		fact(t('visitors.col_referrer'), v.referrer || t('visitors.direct'));
		fact(t('visitors.col_device'), device(v));
		fact(t('visitors.col_pages'), String(v.pages_viewed || 0));
		fact(t('visitors.first_seen'), WB.when(v.first_seen_at));
		fact(t('visitors.returning'), v.returning ? t('visitors.yes') : t('visitors.no'));
		fact(t('visitors.locale'), v.locale);
		fact(t('visitors.address'), v.address);
		/* Only with the operator's GeoIP database (docs/visitor-insight.md#geoip). */
		fact(t('visitors.location'), [v.city, v.country].filter(Boolean).join(', '));
		pActions.textContent = '';
		var inv = WB.button('wb-primary', t('visitors.invite'), function () { invite(v, inv); });
		inv.id = 'vis-profile-invite';
		inv.disabled = !canInvite(v);
		pActions.appendChild(inv);
	}
	function profile(id, opener) {
		V.profileId = id;
		P.d.opener = opener;
		P.title.textContent = t('visitors.profile_title');
		[facts, pActions, trail, convs, crm].forEach(function (x) { x.textContent = ''; });
		if (!P.d.open)
			P.d.showModal();
		WB.api('GET', '/api/v1/agent/visitors/' + id).then(function (v) {
			if (V.profileId !== id)
				return;
			profileFacts(v);
			(v.pageviews || []).forEach(function (p) {
				var li = el('li', 'vis-step');
				var url = httpUrl(p.url);
				var a = el(url ? 'a' : 'span', 'vis-title', p.title || shortUrl(p.url));
				if (url)
					attrs(a, { href: url, target: '_blank', rel: 'noopener noreferrer' });
				li.appendChild(a);
				li.appendChild(el('span', 'vis-sub', shortUrl(p.url) + ' · ' + WB.when(p.at) +
					(typeof p.seconds === 'number' ? ' · ' + WB.dur(p.seconds) : '')));
				trail.appendChild(li);
			});
			if (!trail.firstChild)
				trail.appendChild(el('li', 'vis-none', t('visitors.no_pages')));
			var cs = v.conversations || [];
			cs.forEach(function (c) {
				var li = el('li', 'vis-conv');
				li.appendChild(el('span', '', WB.when(c.created_at) + ' · ' + (c.status === 'closed' ? t('visitors.conv_closed') : t('visitors.conv_open'))));
				var tr = attrs(el('a', 'vis-transcript', t('visitors.transcript')), {
					href: '/api/v1/agent/conversations/' + c.id + '/transcript.html', target: '_blank', rel: 'noopener' });
				li.appendChild(tr);
				convs.appendChild(li);
			});
			if (!cs.length)
				convs.appendChild(el('li', 'vis-none', t('visitors.no_conversations')));
			crmOf(id, cs);
		}, function (e) {
			if (V.profileId === id)
				facts.appendChild(el('p', 'vis-error', e.message));
		});
	}
	// CRM records reach the workbench through a conversation's side panel: the visitor's newest one tells them.
	function crmOf(id, cs) {
		if (!cs.length) {
			crm.appendChild(el('p', 'vis-none', t('visitors.no_crm')));
			return;
		}
		var newest = cs.slice().sort(function (a, b) { return b.id - a.id; })[0];
		WB.api('GET', '/api/v1/agent/conversations/' + newest.id + '/sidebar').then(function (d) {
			if (V.profileId !== id)
				return;
			var any = false;
			(d.objects || []).forEach(function (o) {
				if (!o.records.length)
					return;
				any = true;
				var sec = el('section', 'vis-crm-obj');
				sec.appendChild(el('h4', '', o.label));
				o.records.forEach(function (r) {
					var dl = el('dl', 'vis-facts');
					r.fields.forEach(function (f) {
						dl.appendChild(el('dt', '', f.label));
						dl.appendChild(el('dd', '', f.value === null || f.value === undefined ? '—' : String(f.value)));
					});
					sec.appendChild(dl);
				});
				crm.appendChild(sec);
			});
			if (!any)
				crm.appendChild(el('p', 'vis-none', t('visitors.no_crm')));
		}, function () {
			if (V.profileId === id)
				crm.appendChild(el('p', 'vis-none', t('visitors.no_crm')));
		});
	}
	P.d.addEventListener('close', function () { V.profileId = 0; });

	var I = dialog('vis-invite', t('visitors.invite'));
	var form = attrs(el('form', 'vis-iform'), { id: 'vis-invite-form' });
	var field = el('div', 'vis-field');
	field.appendChild(attrs(el('label', '', t('visitors.invite_text')), { for: 'vis-invite-text' }));
	var text = attrs(el('textarea'), { id: 'vis-invite-text', rows: '4', maxlength: '2000', required: 'required', 'aria-describedby': 'vis-invite-hint vis-invite-error' });
	field.appendChild(text);
	field.appendChild(attrs(el('p', 'vis-hint', t('visitors.invite_hint')), { id: 'vis-invite-hint' }));
	var ierr = attrs(el('p', 'vis-error'), { id: 'vis-invite-error', role: 'alert' });
	field.appendChild(ierr);
	form.appendChild(field);
	var acts = el('div', 'vis-dactions');
	var send = attrs(el('button', 'wb-btn wb-primary', t('visitors.invite_send')), { type: 'submit', id: 'vis-invite-send' });
	acts.appendChild(send);
	acts.appendChild(WB.button('', t('visitors.cancel'), function () { I.d.close(); }));
	form.appendChild(acts);
	I.body.appendChild(form);
	// The canned picker of the composer, on this text too.
	WB.cannedPicker(text, field, 'vis-canned');

	function invite(v, opener) {
		V.inviteFor = v;
		I.d.opener = opener;
		I.title.textContent = t('visitors.invite_title', { name: name(v) });
		text.value = '';
		ierr.textContent = '';
		send.disabled = false;
		I.d.showModal();
		text.focus();
	}
	form.addEventListener('submit', function (e) {
		e.preventDefault();
		var v = V.inviteFor, msg = text.value.trim();
		if (!v || !msg) {
			ierr.textContent = t('visitors.invite_empty');
			return text.focus();
		}
		send.disabled = true;
		WB.api('POST', '/api/v1/agent/visitors/' + v.visitor_id + '/invite', { text: msg }).then(function (r) {
			v.invitation = { id: r.id, status: r.status || 'sent' };
			replace(v);
			if (V.profileId === v.visitor_id)
				profileFacts(v);
			I.d.close();
			status.textContent = t('visitors.invite_sent', { name: name(v) });
			WB.notice(status.textContent);
		}, function (err) {
			send.disabled = false;
			ierr.textContent = err.code === 'capacity' ? t('visitors.invite_capacity') :
				err.status === 409 ? t('visitors.invite_gone') : err.message;
		});
	});

	// ---- the conversation header: the open conversation's visitor profile ----
	var convBtn = WB.button('vis-conv-profile', t('visitors.profile_title'), function () { if (V.convVisitor) profile(V.convVisitor, convBtn); });
	convBtn.id = 'vis-conv-profile';
	convBtn.hidden = true;
	var chead = document.querySelector('.wb-conv-head');
	if (chead)
		chead.insertBefore(convBtn, chead.querySelector('.wb-spacer'));
	bus.on('conversation.opened', function () {
		V.convVisitor = 0;
		convBtn.hidden = true;
	});
	bus.on('conversation.loaded', function (d) {
		var v = d.conversation && d.conversation.visitor;
		if (d.id !== S.current || !v || !v.id)
			return;
		V.convVisitor = v.id;
		convBtn.hidden = false;
	});

	// The count in the toggle from the start, before the view is opened.
	bus.on('start', function () { go(0); });
})();

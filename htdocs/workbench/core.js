// htdocs/workbench/core.js: what every workbench module shares (window.kefuWB): texts, the API call, notices, small DOM and format helpers, the open conversation's state.
//
// Module map (plain scripts, loaded in this order by templates/workbench.xhtml; each one
// registers its bus subscriptions when it runs, and stream.js starts polling on DOMContentLoaded):
//   /static/common/bus.js  window.kefuBus: on(topic, fn) / emit(topic, data)
//   core.js           window.kefuWB: texts, api(), notice(), el(), button(), itemList(), formats, shared state S
//   alerts.js         sound on new conversations and messages, the unread count in the tab title
//   stream.js         the agent event stream (long-poll) and the open conversation's event pulls
//   conversations.js  the conversation list (groups, unread badges, "fresh" marks)
//   chat.js           the open conversation: header, messages, close, back, transcript links
//   composer.js       sending text, files and emoji
//   canned.js         canned replies on "/" in the composer
//   typing.js         "the visitor is typing" and the agent's own typing signal
//   read-marks.js     the agent's read position, "read" under the agent's last message
//   ratings.js        the visitor's rating, in the pane and as a notice
//   queue.js          waiting conversations of my groups, with "take" (reloaded on the stream's queue events)
//   waiting.js        waiting times counted on, and long waits marked (queue entries, unanswered conversations)
//   transfer.js       the transfer button and dialog
//   inbox.js          the leave-message inbox
//   presence.js       the status selector and the activity heartbeat
//   sidebar.js        the side panel: visitor facts, past conversations
//   crm.js            the side panel's CRM records and linking a guest to a contact
//   notes.js          internal notes: the composer's note mode, notes and transfer notes among the messages (live: agent.event note)
//   tags.js           the open conversation's tags (chips, add from the team's tags or a new name; live: agent.event tag)
//   facts.js          visitor facts under the header: browser, OS, device, language, referrer, page, returning
//   attachments.js    the image lightbox and file-type icons (WB.fileIcon, used by chat.js)
//   my-history.js     search of the agent's own past conversations in the list pane
//   visitors.js       the Visitors view (live list from agent.event), the visitor profile, invitations
//
// Bus topics (data in braces):
//   agent.event        {ev}                   each live event of the agent stream (all my conversations)
//   conversation.event {id, ev, live}         each event of the open conversation (live false: its history)
//   conversation.pulled {id, next}            a pull of the open conversation finished (next = its cursor)
//   conversation.opened {id}                  the agent opened a conversation (id 0: none)
//   conversation.loaded {id, conversation}    the open conversation's details arrived
//   conversation.closed {id}                  the open conversation was closed
//   conversation.left  {id, reason}           the open conversation is no longer this agent's
//   message.sent       {id, message}          the agent's own message was accepted
//   list.changed       {groups}               the conversation list was (re)loaded
//   queue.changed      {}                     something that may change the queue happened
//   status.changed     {status}               the agent's status changed
//   tags.changed       {id}                   a tag was added to or removed from conversation id
//   presence.settings  {long_wait_s, alert_sound} the first heartbeat's answer: the tenant's long wait, my sound preference
//   queue.rendered     {items}                the queue panel was drawn
(function () {
	'use strict';
	var body = document.body;
	var T = {};
	try { T = JSON.parse(body.getAttribute('data-strings') || '{}'); } catch (e) { T = {}; }
	var CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

	// t(key, vars): the page hands every text the scripts show in data-strings
	// (src/pages/page-workbench.c js_keys); tools/i18n checks every key the modules name against it.
	function t(key, vars) {
		var s = T[key] || key;
		if (vars)
			Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
		return s;
	}

	function api(method, path, data) {
		var opts = { method: method, credentials: 'same-origin', headers: {} };
		if (method !== 'GET')
			opts.headers['X-CSRF-Token'] = CSRF;
		if (data instanceof FormData)
			opts.body = data;
		else if (data !== undefined) {
			opts.headers['Content-Type'] = 'application/json';
			opts.body = JSON.stringify(data);
		}
		return fetch(path, opts).then(function (r) {
			if (r.status === 401) {
				location.href = '/login?next=' + encodeURIComponent(location.pathname);
				throw new Error('signed out');
			}
			return r.text().then(function (text) {
				var json = null;
				try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
				if (!r.ok) {
					var err = new Error((json && json.error && json.error.message) || ('HTTP ' + r.status));
					err.status = r.status;
					err.code = json && json.error && json.error.code;
					err.field = json && json.error && json.error.field;
					throw err;
				}
				return json;
			});
		});
	}

	var $ = function (id) { return document.getElementById(id); };

	// Values reach the page only as textContent.
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}
	function button(cls, text, fn) {
		var b = el('button', 'wb-btn ' + (cls || ''), text);
		b.type = 'button';
		b.addEventListener('click', fn);
		return b;
	}

	// Items into box as a list: the empty note when there are none, then a <ul class=listCls> (empty or not) with an
	// <li class=itemCls data-id=item.id> per item, which fill(li, item) fills.
	function itemList(box, items, emptyText, listCls, itemCls, fill) {
		if (!items.length)
			box.appendChild(el('p', 'wb2-empty', emptyText));
		var ul = el('ul', listCls);
		items.forEach(function (item) {
			var li = el('li', itemCls);
			li.setAttribute('data-id', item.id);
			fill(li, item);
			ul.appendChild(li);
		});
		box.appendChild(ul);
		return ul;
	}

	var noticeTimer = 0;
	function notice(text, sticky) {
		var n = $('wb-notice');
		if (!n)
			return;
		n.textContent = text;
		n.hidden = !text;
		clearTimeout(noticeTimer);
		if (text && !sticky)
			noticeTimer = setTimeout(function () { n.hidden = true; }, 4000);
	}

	// The verified name, else what the visitor typed in the pre-chat form, else "Visitor N".
	function visitorName(v, prechat) {
		return (v && v.name) || (prechat && (prechat.name || prechat.full_name)) ||
			t('workbench.visitor_n', { id: v ? v.id : '?' });
	}
	function preview(m) {
		if (!m)
			return '';
		if (m.kind === 'image')
			return t('workbench.image');
		if (m.kind === 'file')
			return t('workbench.file') + ' ' + (m.attachment ? m.attachment.name : '');
		if (m.kind === 'card' && m.card)
			return m.card.title || '';
		return m.text || '';
	}
	function clock(iso) {
		if (!iso)
			return '';
		var d = new Date(iso);
		return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
	}
	function when(iso) {
		var d = new Date(iso);
		return isNaN(d) ? '' : d.toLocaleString([], { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
	}
	// A length of time in the agent's language: 45s, 3m 5s, 2h 10m (45 秒, 3 分 5 秒, 2 小时 10 分).
	function dur(s) {
		s = Math.max(0, Math.floor(s));
		var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
		if (s < 60)
			return t('workbench.dur_s', { s: s });
		if (s < 3600)
			return s % 60 ? t('workbench.dur_ms', { m: m, s: s % 60 }) : t('workbench.dur_m', { m: m });
		return t('workbench.dur_hm', { h: h, m: m });
	}
	function stars(n) { return new Array(n + 1).join('★') + new Array(6 - n).join('☆'); }

	window.kefuWB = {
		bus: window.kefuBus,
		ME: Number(body.getAttribute('data-user-id')),
		ROLE: body.getAttribute('data-role') || 'agent',
		t: t, api: api, $: $, el: el, button: button, itemList: itemList, notice: notice,
		visitorName: visitorName, preview: preview, clock: clock, when: when, dur: dur, stars: stars,
		// Shared state: the list's conversations and the open one (its id and event cursor).
		S: {
			convs: new Map(),   // id -> conversation (from the list), with unread
			order: [],          // ids in list order
			current: 0,         // open conversation id
			convNext: 0,        // the open conversation's event cursor
			fresh: new Set(),   // conversations not opened since they arrived
			loaded: false,      // the list was loaded after the stream caught up
		},
	};
})();

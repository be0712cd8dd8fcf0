// htdocs/workbench/conversations.js: the list of my live conversations by group, with unread badges and "fresh" marks, kept current from the agent stream.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, bus = WB.bus;

	function renderList(groups) {
		var root = $('wb-groups');
		root.textContent = '';
		S.order = [];
		var count = 0;
		(groups || []).forEach(function (g) {
			var sec = document.createElement('section');
			sec.className = 'wb-group';
			var h = document.createElement('h3');
			h.textContent = g.name + ' (' + g.conversations.length + ')';
			sec.appendChild(h);
			var ul = document.createElement('ul');
			g.conversations.forEach(function (c) {
				count++;
				S.order.push(c.id);
				var old = S.convs.get(c.id);
				S.convs.set(c.id, c);
				if (c.id === S.current)
					c.unread = 0;
				if (!old && S.loaded)
					S.fresh.add(c.id);
				ul.appendChild(listItem(c));
			});
			sec.appendChild(ul);
			root.appendChild(sec);
		});
		S.convs.forEach(function (c, id) { if (S.order.indexOf(id) < 0) S.convs.delete(id); });
		$('wb-empty').hidden = count > 0;
		bus.emit('list.changed', { groups: groups || [] });
	}

	function listItem(c) {
		var li = document.createElement('li');
		li.className = 'wb-item' + (c.id === S.current ? ' wb-active' : '') + (S.fresh.has(c.id) ? ' wb-fresh' : '');
		li.setAttribute('data-id', c.id);
		li.tabIndex = 0;
		var top = document.createElement('div');
		top.className = 'wb-item-top';
		var name = document.createElement('span');
		name.className = 'wb-item-name';
		name.textContent = WB.visitorName(c.visitor, c.prechat);
		top.appendChild(name);
		var time = document.createElement('span');
		time.className = 'wb-item-time';
		time.textContent = WB.clock(c.last_message ? c.last_message.created_at : c.created_at);
		top.appendChild(time);
		li.appendChild(top);
		var bottom = document.createElement('div');
		bottom.className = 'wb-item-bottom';
		var last = document.createElement('span');
		last.className = 'wb-item-last';
		last.textContent = WB.preview(c.last_message);
		bottom.appendChild(last);
		if (c.unread > 0) {
			var badge = document.createElement('span');
			badge.className = 'wb-badge';
			badge.textContent = c.unread > 99 ? '99+' : String(c.unread);
			badge.title = c.unread + ' ' + t('workbench.unread');
			bottom.appendChild(badge);
		}
		li.appendChild(bottom);
		if (WB.tagLine && c.tags && c.tags.length) // tags.js
			li.appendChild(WB.tagLine(c.tags));
		li.addEventListener('click', function () { WB.openConversation(c.id); });
		li.addEventListener('keydown', function (e) {
			if (e.key === 'Enter' || e.key === ' ') {
				e.preventDefault();
				WB.openConversation(c.id);
			}
		});
		return li;
	}

	function refreshItem(id) {
		var c = S.convs.get(id);
		var old = document.querySelector('.wb-item[data-id="' + id + '"]');
		if (c && old)
			old.parentNode.replaceChild(listItem(c), old);
	}

	function loadList() {
		return WB.api('GET', '/api/v1/agent/conversations').then(function (r) { renderList(r.groups); });
	}

	var listTimer = 0;
	function reloadListSoon() {
		clearTimeout(listTimer);
		listTimer = setTimeout(function () { loadList().catch(function () {}); }, 100);
	}

	bus.on('agent.event', function (d) {
		var ev = d.ev, cid = ev.conversation_id;
		if (ev.type === 'status')
			reloadListSoon();
		else if (ev.type === 'message') {
			var c = S.convs.get(cid), m = ev.message;
			if (c) {
				c.last_message = m;
				refreshItem(cid);
			}
			// Unread counts come from the server: counting here as well would
			// count twice a message the list already had when it was loaded.
			if (!c || (m.sender === 'visitor' && cid !== S.current))
				reloadListSoon();
		}
	});

	bus.on('conversation.opened', function (d) {
		S.fresh.delete(d.id);
		Array.prototype.forEach.call(document.querySelectorAll('.wb-item'), function (el) {
			var on = Number(el.getAttribute('data-id')) === d.id;
			el.classList.toggle('wb-active', on);
			if (on)
				el.classList.remove('wb-fresh');
		});
	});

	// What the agent has seen of the open conversation is read.
	bus.on('conversation.pulled', function (d) {
		var c = S.convs.get(d.id);
		if (c && c.unread) {
			c.unread = 0;
			refreshItem(d.id);
		}
	});

	bus.on('conversation.closed', reloadListSoon);
	bus.on('conversation.left', reloadListSoon);

	WB.loadList = loadList;
})();

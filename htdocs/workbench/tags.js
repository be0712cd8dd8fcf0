// htdocs/workbench/tags.js: the open conversation's tags under its header: chips to remove, and a field to add one from the team's tags or a new name.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var seq = 0;
	var vocabulary = []; // the tenant's tags, refreshed whenever the field opens

	function chip(tag, id) {
		var c = el('span', 'wb-tag');
		c.setAttribute('data-tag-id', tag.id);
		if (tag.color) {
			c.style.setProperty('--tag-color', tag.color);
			c.setAttribute('data-color', tag.color);
		}
		c.appendChild(el('span', 'wb-tag-name', tag.name));
		var x = el('button', 'wb-tag-x', '×');
		x.type = 'button';
		x.setAttribute('aria-label', t('tags.remove', { name: tag.name }));
		x.title = t('tags.remove', { name: tag.name });
		x.addEventListener('click', function () {
			WB.api('DELETE', '/api/v1/agent/conversations/' + id + '/tags/' + tag.id).then(function () {
				if (c.parentNode)
					c.parentNode.removeChild(c);
				syncItem(id);
				bus.emit('tags.changed', { id: id });
				$('wb-tag-add').focus();
			}, function (e) { WB.notice(e.message); });
		});
		c.appendChild(x);
		return c;
	}

	// The tags of a conversation in the list: small chips under its last message.
	function tagLine(tags) {
		var line = el('div', 'wb-item-tags');
		tags.forEach(function (tag) {
			var c = el('span', 'wb-tag wb-tag-small', tag.name);
			if (tag.color)
				c.style.setProperty('--tag-color', tag.color);
			line.appendChild(c);
		});
		return line;
	}
	// After a change in the open conversation, its item in the list shows the tags it has now.
	function syncItem(id) {
		var c = S.convs.get(id);
		var item = document.querySelector('.wb-item[data-id="' + id + '"]');
		if (!c || !item)
			return;
		c.tags = Array.prototype.map.call($('wb-tag-list').querySelectorAll('.wb-tag'), function (x) {
			return { id: Number(x.getAttribute('data-tag-id')), name: x.querySelector('.wb-tag-name').textContent,
				color: x.getAttribute('data-color') || null };
		});
		var old = item.querySelector('.wb-item-tags');
		if (old)
			item.removeChild(old);
		if (c.tags.length)
			item.appendChild(tagLine(c.tags));
	}

	function show(id, items) {
		var list = $('wb-tag-list');
		list.textContent = '';
		items.forEach(function (tag) { list.appendChild(chip(tag, id)); });
	}

	function load(id, then) {
		var mine = ++seq;
		if (!then)
			$('wb-tag-list').textContent = '';
		WB.api('GET', '/api/v1/agent/conversations/' + id + '/tags').then(function (r) {
			if (mine === seq && id === S.current) {
				show(id, r.items);
				if (then)
					then();
			}
		}, function () {});
	}

	function openField(on) {
		$('wb-tag-form').hidden = !on;
		$('wb-tag-add').setAttribute('aria-expanded', String(on));
		if (!on)
			return;
		var input = $('wb-tag-input');
		input.value = '';
		input.focus();
		WB.api('GET', '/api/v1/agent/tags').then(function (r) {
			vocabulary = r.items;
			var dl = $('wb-tag-options');
			dl.textContent = '';
			vocabulary.forEach(function (tag) {
				var o = document.createElement('option');
				o.value = tag.name;
				dl.appendChild(o);
			});
		}, function () {});
	}

	function add() {
		var id = S.current, name = $('wb-tag-input').value.trim();
		if (!id || !name)
			return;
		WB.api('POST', '/api/v1/agent/conversations/' + id + '/tags', { name: name }).then(function (tag) {
			if (id !== S.current)
				return;
			if (!$('wb-tag-list').querySelector('[data-tag-id="' + tag.id + '"]'))
				$('wb-tag-list').appendChild(chip(tag, id));
			syncItem(id);
			bus.emit('tags.changed', { id: id });
			openField(false);
			$('wb-tag-add').focus();
		}, function (e) { WB.notice(e.message); });
	}

	(function build() {
		var bar = el('div', 'wb-tags');
		bar.id = 'wb-tags';
		bar.appendChild(el('span', 'wb-tags-label', t('tags.title')));
		var list = el('span', 'wb-tag-list');
		list.id = 'wb-tag-list';
		bar.appendChild(list);
		var btn = WB.button('wb-tag-add', '+ ' + t('tags.add'), function () { openField($('wb-tag-form').hidden); });
		btn.id = 'wb-tag-add';
		bar.appendChild(btn);
		var form = el('form', 'wb-tag-form');
		form.id = 'wb-tag-form';
		form.hidden = true;
		var input = el('input', 'wb-tag-input');
		input.id = 'wb-tag-input';
		input.type = 'text';
		input.maxLength = 64;
		input.setAttribute('list', 'wb-tag-options');
		input.setAttribute('aria-label', t('tags.name'));
		input.placeholder = t('tags.name');
		input.autocomplete = 'off';
		var dl = document.createElement('datalist');
		dl.id = 'wb-tag-options';
		var ok = el('button', 'wb-btn wb-primary', t('tags.ok'));
		ok.type = 'submit';
		form.appendChild(input);
		form.appendChild(dl);
		form.appendChild(ok);
		form.addEventListener('submit', function (e) { e.preventDefault(); add(); });
		input.addEventListener('keydown', function (e) {
			if (e.key === 'Escape') {
				openField(false);
				$('wb-tag-add').focus();
			}
		});
		bar.appendChild(form);
		var head = document.querySelector('.wb-conv-head');
		head.parentNode.insertBefore(bar, head.nextSibling);
	})();

	WB.tagLine = tagLine;

	// Another agent (or an admin) tagged or untagged a conversation I have: the open one is
	// read again, another one in my list has its tag line changed from the event.
	bus.on('agent.event', function (d) {
		var ev = d.ev, id = ev.conversation_id;
		if (ev.type !== 'tag' || !ev.tag)
			return;
		if (id === S.current) {
			load(id, function () { syncItem(id); });
			return;
		}
		var c = S.convs.get(id), item = document.querySelector('.wb-item[data-id="' + id + '"]');
		if (!c)
			return;
		var tags = (c.tags || []).filter(function (x) { return x.id !== ev.tag.id; });
		if (ev.action === 'added')
			tags.push(ev.tag);
		c.tags = tags;
		var old = item && item.querySelector('.wb-item-tags');
		if (old)
			item.removeChild(old);
		if (item && tags.length)
			item.appendChild(tagLine(tags));
	});

	bus.on('conversation.opened', function (d) {
		openField(false);
		if (d.id)
			load(d.id);
	});
})();

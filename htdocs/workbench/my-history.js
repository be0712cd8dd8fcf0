// htdocs/workbench/my-history.js: search of the agent's own past conversations from the list pane (GET /api/v1/agent/history: text, tag), opening a result in the chat pane.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var seq = 0, lastQuery = null;

	function result(c) {
		var li = el('li', 'wb-hist-result');
		var b = el('button', 'wb-hist-open');
		b.type = 'button';
		b.setAttribute('data-id', c.id);
		var top = el('span', 'wb-hist-top');
		top.appendChild(el('span', 'wb-hist-who', c.visitor && c.visitor.name ? c.visitor.name : t('workbench.visitor_n', { id: c.visitor ? c.visitor.id : '?' })));
		top.appendChild(el('span', 'wb-hist-when', WB.when(c.created_at)));
		b.appendChild(top);
		if (c.last_text)
			b.appendChild(el('span', 'wb-hist-last', c.last_text));
		if (c.tags && c.tags.length) {
			var tags = el('span', 'wb-hist-tags');
			c.tags.forEach(function (tag) { tags.appendChild(el('span', 'wb-tag wb-tag-small', tag.name)); });
			b.appendChild(tags);
		}
		b.addEventListener('click', function () { WB.openConversation(c.id); });
		li.appendChild(b);
		return li;
	}

	function search(after) {
		var q = $('wb-hist-q').value.trim(), tag = $('wb-hist-tag').value;
		var mine = ++seq;
		var qs = '?limit=20' + (q ? '&q=' + encodeURIComponent(q) : '') + (tag ? '&tag_id=' + encodeURIComponent(tag) : '') +
			(after ? '&after=' + after : '');
		lastQuery = { q: q, tag: tag };
		var out = $('wb-hist-results');
		if (!after)
			out.textContent = '';
		$('wb-hist-clear').hidden = false;
		WB.api('GET', '/api/v1/agent/history' + qs).then(function (r) {
			if (mine !== seq)
				return;
			var more = out.querySelector('.wb-hist-more');
			if (more)
				more.parentNode.removeChild(more);
			if (!after && !r.items.length)
				out.appendChild(el('li', 'wb-hist-none', t('myhistory.none')));
			r.items.forEach(function (c) { out.appendChild(result(c)); });
			if (r.next_after) {
				var li = el('li', 'wb-hist-more');
				li.appendChild(WB.button('', t('myhistory.more'), function () { search(r.next_after); }));
				out.appendChild(li);
			}
			$('wb-hist-status').textContent = t('myhistory.found', { n: out.querySelectorAll('.wb-hist-result').length });
		}, function (e) { WB.notice(e.message); });
	}

	function clear() {
		seq++;
		$('wb-hist-q').value = '';
		$('wb-hist-tag').value = '';
		$('wb-hist-results').textContent = '';
		$('wb-hist-status').textContent = '';
		$('wb-hist-clear').hidden = true;
		lastQuery = null;
	}

	function loadTags() {
		WB.api('GET', '/api/v1/agent/tags').then(function (r) {
			var sel = $('wb-hist-tag'), keep = sel.value;
			while (sel.options.length > 1)
				sel.remove(1);
			r.items.forEach(function (tag) {
				var o = document.createElement('option');
				o.value = tag.id;
				o.textContent = tag.name;
				sel.appendChild(o);
			});
			sel.value = keep;
		}, function () {});
	}

	(function build() {
		var sec = el('section', 'wb-hist');
		sec.id = 'wb-hist';
		var form = el('form', 'wb-hist-form');
		form.setAttribute('role', 'search');
		form.setAttribute('aria-label', t('myhistory.title'));
		var q = el('input', 'wb-hist-q');
		q.id = 'wb-hist-q';
		q.type = 'search';
		q.placeholder = t('myhistory.placeholder');
		q.setAttribute('aria-label', t('myhistory.title'));
		var tag = el('select', 'wb-hist-tag');
		tag.id = 'wb-hist-tag';
		tag.setAttribute('aria-label', t('myhistory.tag'));
		var any = document.createElement('option');
		any.value = '';
		any.textContent = t('myhistory.any_tag');
		tag.appendChild(any);
		var go = el('button', 'wb-btn', t('myhistory.search'));
		go.type = 'submit';
		var x = WB.button('wb-hist-clear', t('myhistory.clear'), clear);
		x.id = 'wb-hist-clear';
		x.hidden = true;
		form.appendChild(q);
		form.appendChild(tag);
		form.appendChild(go);
		form.appendChild(x);
		form.addEventListener('submit', function (e) { e.preventDefault(); search(0); });
		tag.addEventListener('focus', loadTags);
		var status = el('p', 'wb-sr');
		status.id = 'wb-hist-status';
		status.setAttribute('role', 'status');
		var out = el('ol', 'wb-hist-results');
		out.id = 'wb-hist-results';
		sec.appendChild(form);
		sec.appendChild(status);
		sec.appendChild(out);
		var pane = $('wb-list-pane');
		var h2 = pane.querySelector('h2');
		pane.insertBefore(sec, h2 ? h2.nextSibling : pane.firstChild);
		loadTags();
	})();

	// A tag added or removed may change what the last search found.
	bus.on('tags.changed', function () {
		loadTags();
		if (lastQuery && lastQuery.tag)
			search(0);
	});
})();

// htdocs/workbench/canned.js: canned replies: "/" in a textarea (the composer, the invitation's text) opens a filtered list; arrows choose, Enter or Tab inserts, Escape closes.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, $ = WB.$, el = WB.el;
	var pickers = []; // one per textarea it serves: {ta, box, items, sel, open, token, timer}

	function slashToken(ta) {
		var upto = ta.value.slice(0, ta.selectionStart);
		var m = /(^|\s)\/([^\s/]*)$/.exec(upto);
		return m ? { start: upto.length - m[2].length - 1, q: m[2] } : null;
	}
	function closeCanned(p) {
		p.open = false;
		p.box.hidden = true;
	}
	function renderCanned(p) {
		var box = p.box;
		box.textContent = '';
		box.hidden = false;
		p.open = true;
		if (!p.items.length) {
			box.appendChild(el('li', 'wb2-empty', t('workbench2.noCanned')));
			return;
		}
		p.items.forEach(function (c, i) {
			var li = el('li', 'wb2-canned-item' + (i === p.sel ? ' wb2-sel' : ''));
			li.setAttribute('role', 'option');
			li.setAttribute('data-shortcut', c.shortcut);
			li.setAttribute('aria-selected', i === p.sel ? 'true' : 'false');
			li.appendChild(el('strong', '', '/' + c.shortcut));
			li.appendChild(el('span', 'wb2-canned-text', ' ' + c.text));
			li.addEventListener('mousedown', function (e) {
				e.preventDefault();
				chooseCanned(p, i);
			});
			box.appendChild(li);
		});
	}
	function chooseCanned(p, i) {
		var ta = p.ta, c = p.items[i], tok = p.token;
		if (!c || !tok)
			return closeCanned(p);
		var end = tok.start + 1 + tok.q.length;
		ta.value = ta.value.slice(0, tok.start) + c.text + ta.value.slice(end);
		var pos = tok.start + c.text.length;
		ta.setSelectionRange(pos, pos);
		ta.focus();
		closeCanned(p);
		// The chosen reply is typing (typing.js hears it as input).
		ta.dispatchEvent(new Event('input', { bubbles: true }));
	}
	function onInput(p) {
		var tok = slashToken(p.ta);
		p.token = tok;
		if (!tok)
			return closeCanned(p);
		clearTimeout(p.timer);
		p.timer = setTimeout(function () {
			WB.api('GET', '/api/v1/agent/canned-replies?q=' + encodeURIComponent(tok.q)).then(function (r) {
				if (p.token !== tok)
					return;
				p.items = r.items.slice(0, 8);
				p.sel = 0;
				renderCanned(p);
			}, function () {});
		}, 120);
	}

	// The picker for textarea ta, its list put first in container; returns its close function.
	function attach(ta, container, id) {
		var p = { ta: ta, box: el('ul', 'wb2-canned'), items: [], sel: 0, open: false, token: null, timer: 0 };
		p.box.id = id;
		p.box.setAttribute('role', 'listbox');
		p.box.setAttribute('aria-label', t('workbench2.canned'));
		p.box.hidden = true;
		container.insertBefore(p.box, container.firstChild);
		ta.addEventListener('input', function () { onInput(p); });
		pickers.push(p);
		return function () { closeCanned(p); };
	}

	// Capture phase: runs before composer.js's Enter-to-send on the textarea.
	document.addEventListener('keydown', function (e) {
		var p = pickers.filter(function (x) { return x.ta === e.target; })[0];
		if (!p || !p.open)
			return;
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			var n = p.items.length;
			if (n)
				p.sel = (p.sel + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
			renderCanned(p);
		} else if ((e.key === 'Enter' || e.key === 'Tab') && p.items.length) {
			chooseCanned(p, p.sel);
		} else if (e.key === 'Escape') {
			closeCanned(p);
		} else
			return;
		e.preventDefault();
		e.stopPropagation();
	}, true);

	WB.cannedPicker = attach;
	WB.bus.on('conversation.opened', attach($('wb-text'), $('wb-composer'), 'wb2-canned'));
})();

// htdocs/workbench/canned.js: canned replies: "/" in the composer opens a filtered list; arrows choose, Enter or Tab inserts, Escape closes.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, $ = WB.$, el = WB.el;
	var canned = { box: null, items: [], sel: 0, open: false, token: null, timer: 0 };

	function slashToken(ta) {
		var upto = ta.value.slice(0, ta.selectionStart);
		var m = /(^|\s)\/([^\s/]*)$/.exec(upto);
		return m ? { start: upto.length - m[2].length - 1, q: m[2] } : null;
	}
	function closeCanned() {
		canned.open = false;
		canned.box.hidden = true;
	}
	function renderCanned() {
		var box = canned.box;
		box.textContent = '';
		box.hidden = false;
		canned.open = true;
		if (!canned.items.length) {
			box.appendChild(el('li', 'wb2-empty', t('workbench2.noCanned')));
			return;
		}
		canned.items.forEach(function (c, i) {
			var li = el('li', 'wb2-canned-item' + (i === canned.sel ? ' wb2-sel' : ''));
			li.setAttribute('role', 'option');
			li.setAttribute('data-shortcut', c.shortcut);
			li.setAttribute('aria-selected', i === canned.sel ? 'true' : 'false');
			li.appendChild(el('strong', '', '/' + c.shortcut));
			li.appendChild(el('span', 'wb2-canned-text', ' ' + c.text));
			li.addEventListener('mousedown', function (e) {
				e.preventDefault();
				chooseCanned(i);
			});
			box.appendChild(li);
		});
	}
	function chooseCanned(i) {
		var ta = $('wb-text'), c = canned.items[i], tok = canned.token;
		if (!c || !tok)
			return closeCanned();
		var end = tok.start + 1 + tok.q.length;
		ta.value = ta.value.slice(0, tok.start) + c.text + ta.value.slice(end);
		var pos = tok.start + c.text.length;
		ta.setSelectionRange(pos, pos);
		ta.focus();
		closeCanned();
		// The chosen reply is typing (typing.js hears it as input).
		ta.dispatchEvent(new Event('input', { bubbles: true }));
	}
	function onComposerInput(ta) {
		var tok = slashToken(ta);
		canned.token = tok;
		if (!tok)
			return closeCanned();
		clearTimeout(canned.timer);
		canned.timer = setTimeout(function () {
			WB.api('GET', '/api/v1/agent/canned-replies?q=' + encodeURIComponent(tok.q)).then(function (r) {
				if (canned.token !== tok)
					return;
				canned.items = r.items.slice(0, 8);
				canned.sel = 0;
				renderCanned();
			}, function () {});
		}, 120);
	}

	canned.box = el('ul', 'wb2-canned');
	canned.box.id = 'wb2-canned';
	canned.box.setAttribute('role', 'listbox');
	canned.box.setAttribute('aria-label', t('workbench2.canned'));
	canned.box.hidden = true;
	$('wb-composer').insertBefore(canned.box, $('wb-composer').firstChild);

	// Capture phase: runs before composer.js's Enter-to-send on the textarea.
	document.addEventListener('keydown', function (e) {
		if (!canned.open || !e.target || e.target.id !== 'wb-text')
			return;
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			var n = canned.items.length;
			if (n)
				canned.sel = (canned.sel + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
			renderCanned();
		} else if ((e.key === 'Enter' || e.key === 'Tab') && canned.items.length) {
			chooseCanned(canned.sel);
		} else if (e.key === 'Escape') {
			closeCanned();
		} else
			return;
		e.preventDefault();
		e.stopPropagation();
	}, true);
	$('wb-text').addEventListener('input', function (e) { onComposerInput(e.target); });
	WB.bus.on('conversation.opened', closeCanned);
})();

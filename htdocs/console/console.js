// console.js: small progressive niceties for the console; every page works without it.
'use strict';
document.documentElement.classList.add('js');
document.addEventListener('DOMContentLoaded', function () {
	// Narrow screens: the navigation opens from the menu button (Escape closes it and gives the focus back).
	var menu = document.getElementById('menu-button');
	var nav = document.getElementById('console-nav');
	if (menu && nav) {
		var setOpen = function (open, focus) {
			nav.classList.toggle('open', open);
			menu.setAttribute('aria-expanded', open ? 'true' : 'false');
			if (open && focus) {
				var first = nav.querySelector('a[aria-current]') || nav.querySelector('a');
				if (first) first.focus();
			}
		};
		menu.addEventListener('click', function () { setOpen(!nav.classList.contains('open'), true); });
		document.addEventListener('keydown', function (ev) {
			if (ev.key === 'Escape' && nav.classList.contains('open')) {
				setOpen(false);
				menu.focus();
			}
		});
		document.addEventListener('click', function (ev) {
			if (nav.classList.contains('open') && !nav.contains(ev.target) && !menu.contains(ev.target)) setOpen(false);
		});
	}
	// Destructive forms carry data-confirm (CSP forbids inline handlers).
	document.querySelectorAll('form[data-confirm]').forEach(function (form) {
		form.addEventListener('submit', function (ev) {
			if (!window.confirm(form.getAttribute('data-confirm')))
				ev.preventDefault();
		});
	});
	// Dim the service hours editor while hours are switched off.
	var sw = document.getElementById('hours-enabled');
	var body = document.querySelector('.hours-body');
	if (sw && body) {
		var sync = function () { body.classList.toggle('off', !sw.checked); };
		sw.addEventListener('change', sync);
		sync();
	}
	// A switch that makes other fields matter (data-controls="id"): switched off, they are disabled and not sent
	// (auto-link off needs no contact field).
	document.querySelectorAll('input[type=checkbox][data-controls]').forEach(function (sw) {
		var target = document.getElementById(sw.getAttribute('data-controls'));
		if (!target) return;
		var sync = function () { target.disabled = !sw.checked; };
		sw.addEventListener('change', sync);
		sync();
	});
	// Times come as UTC (<time datetime="...Z">): shown in the viewer's time zone and language, UTC in the tooltip.
	var when = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
		{ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	document.querySelectorAll('time[datetime]').forEach(function (t) {
		var iso = t.getAttribute('datetime');
		var d = new Date(/Z$|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso.replace(' ', 'T') + 'Z');
		if (isNaN(d.getTime())) return;
		t.title = iso + ' (UTC)';
		t.textContent = when.format(d);
	});
	// A table wider than the screen, or taller than its box (a chart's numbers), scrolls inside its box: keyboard
	// users reach it too (WCAG 2.1.1), as a region named by its card's heading.
	var scrollable = function () {
		document.querySelectorAll('.table-wrap').forEach(function (w) {
			if (w.scrollWidth > w.clientWidth + 1 || w.scrollHeight > w.clientHeight + 1) {
				w.setAttribute('tabindex', '0');
				if (!w.hasAttribute('aria-label')) {
					var card = w.closest('section, .card, main');
					var h = card && card.querySelector('h1, h2');
					w.setAttribute('role', 'region');
					w.setAttribute('aria-label', h ? h.textContent.trim() : document.title);
				}
			} else if (w.getAttribute('tabindex') === '0') {
				w.removeAttribute('tabindex');
			}
		});
	};
	scrollable();
	window.addEventListener('resize', scrollable);
	// Copy buttons (data-copy="id of the element with the text"); the button says when it is done.
	document.querySelectorAll('button[data-copy]').forEach(function (btn) {
		btn.addEventListener('click', function () {
			var src = document.getElementById(btn.getAttribute('data-copy'));
			var text = src ? (src.value !== undefined ? src.value : src.textContent).trim() : '';
			var done = function () {
				btn.textContent = btn.getAttribute('data-done') || btn.textContent;
				btn.setAttribute('aria-live', 'polite');
			};
			if (navigator.clipboard && window.isSecureContext)
				navigator.clipboard.writeText(text).then(done, function () { fallback(src); done(); });
			else { fallback(src); done(); }
		});
	});
	function fallback(src) {
		var range = document.createRange();
		range.selectNodeContents(src);
		var sel = window.getSelection();
		sel.removeAllRanges();
		sel.addRange(range);
		try { document.execCommand('copy'); } catch (e) { /* the text stays selected for the user to copy */ }
	}
	// Select the new API key on click so it is easy to copy.
	var key = document.getElementById('new-key');
	if (key)
		key.addEventListener('click', function () {
			var range = document.createRange();
			range.selectNodeContents(key);
			var sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(range);
		});
});

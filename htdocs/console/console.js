// console.js: small progressive niceties for the console; every page works without it.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
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

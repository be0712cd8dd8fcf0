/* customer.js: the demo page's "log in as the demo customer" switch; passes the customer's customParams (customer.json, made by tools/seed-demo-crm) to the widget. */
(function () {
	'use strict';
	var FLAG = 'kefu-demo-customer';
	var on = false;
	try { on = localStorage.getItem(FLAG) === '1'; } catch (e) { /* storage off: a guest */ }
	// Before the loader's async script runs, so an identify command is
	// queued for it; after, window.kefu is the loader's own and takes it at once.
	function identify(params) { (window.kefu = window.kefu || []).push(['identify', params]); }
	// A different person on the same browser: what a site does at its own
	// logout (docs/widget.md), so the widget forgets its visitor and starts over.
	function forgetWidget() { (window.kefu = window.kefu || []).push(['logout']); }
	function draw(customer) {
		var bar = document.createElement('div');
		bar.className = 'demo-login';
		bar.id = 'demo-login';
		var label = document.createElement('label');
		var box = document.createElement('input');
		box.type = 'checkbox';
		box.id = 'demo-customer';
		box.checked = on;
		var text = document.createElement('span');
		text.textContent = on ? '已登录：' + customer.name + '（演示客户）Logged in as the demo customer'
			: '以演示客户 ' + customer.name + ' 登录 Log in as the demo customer';
		label.appendChild(box);
		label.appendChild(text);
		bar.appendChild(label);
		box.addEventListener('change', function () {
			try { localStorage.setItem(FLAG, box.checked ? '1' : '0'); } catch (e) { /* ignore */ }
			forgetWidget();
			location.reload();
		});
		var top = document.querySelector('header.top');
		if (top) top.appendChild(bar);
		else document.body.insertBefore(bar, document.body.firstChild);
	}
	function start() {
		fetch('customer.json', { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : null; })
			.then(function (c) {
				if (!c || !c.custom_params) return;
				if (on) identify(c.custom_params);
				draw(c);
			}).catch(function () { /* no demo customer seeded: no switch */ });
	}
	if (document.body) start();
	else document.addEventListener('DOMContentLoaded', start);
})();

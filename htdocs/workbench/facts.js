// htdocs/workbench/facts.js: the visitor facts under the open conversation's header: browser, OS, device, language, where they came from, the page they are on and for how long, new or returning, identified or a guest.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, el = WB.el, bus = WB.bus;
	var timer = 0;

	// "3 min", "1 h 5 min": how long the current page has been open.
	function since(iso) {
		var s = (Date.now() - Date.parse(iso)) / 1000;
		if (isNaN(s))
			return '';
		if (s < 60)
			return t('facts.under_minute');
		var m = Math.floor(s / 60);
		return m < 60 ? t('facts.minutes', { n: m }) : t('facts.hours', { h: Math.floor(m / 60), m: m % 60 });
	}
	function host(url) {
		try { return new URL(url).host; } catch (e) { return url; }
	}
	function path(url) {
		try { var u = new URL(url); return u.pathname + u.search; } catch (e) { return url; }
	}

	function item(cls, text, title) {
		var x = el('li', 'wb-fact ' + cls, text);
		if (title)
			x.title = title;
		return x;
	}

	function show(c) {
		var box = $('wb-facts');
		clearInterval(timer);
		box.textContent = '';
		var f = c && c.visitor && c.visitor.facts;
		if (!f)
			return;
		if (f.browser || f.os) {
			var b = [f.browser ? f.browser + (f.browser_version ? ' ' + f.browser_version.split('.')[0] : '') : '', f.os || ''].filter(Boolean).join(' · ');
			box.appendChild(item('wb-fact-browser', b));
		}
		var device = { desktop: 'facts.device_desktop', mobile: 'facts.device_mobile', tablet: 'facts.device_tablet' }[f.device];
		if (device)
			box.appendChild(item('wb-fact-device wb-fact-' + f.device, t(device)));
		if (f.language)
			box.appendChild(item('wb-fact-lang', t('facts.language', { lang: f.language })));
		box.appendChild(f.referrer ? item('wb-fact-ref', t('facts.from', { site: host(f.referrer) }), f.referrer) : item('wb-fact-ref', t('facts.direct')));
		if (f.page_url) {
			var page = item('wb-fact-page', '', (f.page_title ? f.page_title + ' — ' : '') + f.page_url);
			var tick = function () {
				page.textContent = f.page_since ? t('facts.on_page', { page: path(f.page_url), time: since(f.page_since) }) : path(f.page_url);
			};
			tick();
			timer = setInterval(tick, 30000);
			box.appendChild(page);
		}
		if (f.live)
			box.appendChild(item('wb-fact-live', t('facts.live')));
		box.appendChild(f.returning ?
			item('wb-fact-returning', f.previous_conversations ? t('facts.returning_n', { n: f.previous_conversations }) : t('facts.returning')) :
			item('wb-fact-new', t('facts.new')));
		box.appendChild(item(f.identified ? 'wb-fact-identified' : 'wb-fact-guest', f.identified ? t('workbench.identified') : t('workbench.guest')));
	}

	(function build() {
		var box = el('ul', 'wb-facts');
		box.id = 'wb-facts';
		box.setAttribute('aria-label', t('facts.title'));
		var head = document.querySelector('.wb-conv-head');
		head.parentNode.insertBefore(box, head.nextSibling);
	})();

	bus.on('conversation.opened', function () { show(null); });
	bus.on('conversation.loaded', function (d) {
		if (d.id === S.current)
			show(d.conversation);
	});
})();

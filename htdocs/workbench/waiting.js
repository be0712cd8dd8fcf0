// htdocs/workbench/waiting.js: long waits made visible: each second (no request) the queue's waiting times are counted on, and queue entries and my conversations whose visitor has waited for an answer longer than the tenant's long_wait_s are marked (a supervisor sees them in every queue).
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, bus = WB.bus;
	var limit = 60; // seconds; the tenant's setting arrives with the first heartbeat

	function mark(node, long, label) {
		node.classList.toggle('wb-long-wait', long);
		var tag = node.querySelector('.wb-long-tag');
		if (long && !tag) {
			tag = WB.el('span', 'wb-long-tag');
			node.appendChild(tag);
		}
		if (tag && !long)
			tag.remove();
		if (tag && long)
			tag.textContent = label;
	}

	function tick() {
		var now = Date.now(), label = t('waiting.longer', { n: limit });
		document.querySelectorAll('#wb2-queue .wb2-queue-item').forEach(function (li) {
			var secs = (now - Number(li.getAttribute('data-since'))) / 1000;
			var w = li.querySelector('.wb2-q-wait');
			if (w)
				w.textContent = t('workbench2.waiting', { t: WB.dur(secs) });
			mark(li, secs >= limit, label);
		});
		// Unanswered: the last message is the visitor's and nobody has replied since.
		document.querySelectorAll('#wb-groups .wb-item').forEach(function (li) {
			var c = S.convs.get(Number(li.getAttribute('data-id')));
			var m = c && c.last_message;
			var secs = m && m.sender === 'visitor' ? (now - new Date(m.created_at).getTime()) / 1000 : 0;
			mark(li, secs >= limit, label);
		});
	}

	bus.on('presence.settings', function (d) {
		limit = d.long_wait_s;
		tick();
	});
	bus.on('queue.rendered', tick);
	bus.on('list.changed', function () { Promise.resolve().then(tick); });
	bus.on('start', function () { setInterval(tick, 1000); });
})();

// htdocs/workbench/queue.js: the queue panel under the list: waiting conversations of my groups, oldest first, with "take"; reloaded when the agent stream says the queue changed (the server sends joins and leaves to every member of the group and to admins), waiting times counted here (waiting.js).
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, el = WB.el, bus = WB.bus;
	var box = el('section', 'wb2-queue'), timer = 0;
	box.id = 'wb2-queue';
	WB.$('wb-list-pane').appendChild(box);

	function load() {
		clearTimeout(timer);
		timer = setTimeout(function () {
			WB.api('GET', '/api/v1/agent/queue').then(render, function () {});
		}, 150);
	}
	function render(r) {
		box.textContent = '';
		var items = (r && r.items) || [];
		box.appendChild(el('h3', 'wb2-queue-title', t('workbench2.queue') + ' (' + items.length + ')'));
		WB.itemList(box, items, t('workbench2.noQueue'), 'wb2-queue-list', 'wb2-queue-item', function (li, q) {
			var name = WB.visitorName(q.visitor, q.prechat);
			li.appendChild(el('span', 'wb2-q-name', q.queue_position + '. ' + name));
			li.setAttribute('data-since', String(Date.now() - q.waiting_seconds * 1000));
			li.appendChild(el('span', 'wb2-q-wait', t('workbench2.waiting', { t: WB.dur(q.waiting_seconds) })));
			li.appendChild(WB.button('wb2-take', t('workbench2.take'), function () {
				// The assignment comes back on the agent stream, which lists it.
				WB.api('POST', '/api/v1/agent/conversations/' + q.id + '/take', {}).then(function () {
					WB.notice(t('workbench2.took'));
					load();
				}, function (e) {
					WB.notice(e.message);
					load();
				});
			}));
		});
		bus.emit('queue.rendered', { items: items });
	}

	bus.on('queue.changed', load);
	bus.on('start', load);
	// After a lost connection the stream resumes from its cursor; a reload of the
	// list means the stream caught up, so the queue is read again too.
	bus.on('list.changed', load);
})();

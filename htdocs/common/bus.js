// htdocs/common/bus.js: the page's event bus (window.kefuBus), shared by the workbench and the widget frame: poll loops publish what they receive, features subscribe.
// Why a bus: features used to wrap window.fetch and re-parse the poll answers by URL, so a changed
// poll URL broke them silently. Now the one module that polls says what arrived, by topic name.
(function () {
	'use strict';
	if (window.kefuBus)
		return;
	var subs = {};
	window.kefuBus = {
		// on(topic, fn) → a function that unsubscribes fn.
		on: function (topic, fn) {
			(subs[topic] = subs[topic] || []).push(fn);
			return function () {
				var l = subs[topic] || [];
				var i = l.indexOf(fn);
				if (i >= 0)
					l.splice(i, 1);
			};
		},
		// emit(topic, data): subscribers run in the order they subscribed (the order of the
		// <script> tags); one that throws is reported and does not stop the others or the publisher.
		emit: function (topic, data) {
			(subs[topic] || []).slice().forEach(function (fn) {
				try {
					fn(data);
				} catch (e) {
					if (window.console)
						console.error('kefuBus ' + topic + ':', e);
				}
			});
		},
	};
})();

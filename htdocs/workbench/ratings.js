// htdocs/workbench/ratings.js: the visitor's rating: a line in the open conversation, a notice for the others.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, bus = WB.bus;
	var seen = {};

	function text(r) { return t('workbench2.rating', { s: WB.stars(r.score) }); }
	bus.on('conversation.event', function (d) {
		var ev = d.ev, key = d.id + ':' + ev.seq;
		if (ev.type !== 'rating' || !ev.rating || seen[key])
			return;
		seen[key] = 1;
		WB.addNote(text(ev.rating) + (ev.rating.comment ? ' — ' + ev.rating.comment : ''), 'wb2-rating');
	});
	bus.on('agent.event', function (d) {
		if (d.ev.type === 'rating' && d.ev.rating)
			WB.notice(text(d.ev.rating));
	});
})();

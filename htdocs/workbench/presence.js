// htdocs/workbench/presence.js: the agent's status: the selector in the top bar, and a heartbeat every heartbeat_s saying whether the agent did anything (the server sets an idle agent away).
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, $ = WB.$, bus = WB.bus;
	var active = false, chosen = false;

	function showStatus(s) {
		$('wb-status').value = s;
		$('wb-dot').className = 'wb-dot wb-dot-' + s;
		bus.emit('status.changed', { status: s });
	}
	$('wb-status').addEventListener('change', function () {
		chosen = true; // the first status answer, if later, must not undo this choice
		WB.api('PUT', '/api/v1/agent/status', { status: $('wb-status').value })
			.then(function (r) { showStatus(r.status); })
			.catch(function (e) { WB.notice(e.message); });
	});

	['keydown', 'pointerdown', 'focus'].forEach(function (type) {
		window.addEventListener(type, function () { active = true; }, true);
	});
	function beat() {
		var was = active;
		active = false;
		WB.api('POST', '/api/v1/agent/presence', { active: was }).then(function (r) {
			if (r.status && $('wb-status').value !== r.status) {
				if (r.status === 'away')
					WB.notice(t('workbench2.away'));
				showStatus(r.status);
			}
			setTimeout(beat, (r.heartbeat_s || 20) * 1000);
		}, function () { setTimeout(beat, 20000); });
	}

	bus.on('start', function () {
		WB.api('GET', '/api/v1/agent/status').then(function (r) { if (!chosen) showStatus(r.status); }).catch(function () {});
		beat();
	});
})();

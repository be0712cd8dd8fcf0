// htdocs/workbench/presence.js: the agent's status: the selector in the top bar, a banner with one "go online" click while not online, and a heartbeat every heartbeat_s saying whether the agent did anything (the server sets an idle agent away).
//
// Opening the workbench is starting work: the first heartbeat of a page says "opening" and the
// server makes an offline agent online (an away agent stays away). A status the agent chose in
// this tab (kept in sessionStorage) survives a reload: only a newly opened workbench comes online.
(function () {
	'use strict';
	var WB = window.kefuWB, t = WB.t, $ = WB.$, bus = WB.bus;
	var active = false, chosen = false, first = true;
	var CHOSEN = 'kefu.wb.chosen.' + WB.ME;

	var bar = WB.el('div', 'wb-presence-bar');
	bar.id = 'wb-presence-bar';
	bar.setAttribute('role', 'status');
	bar.hidden = true;
	var barText = WB.el('span', 'wb-presence-text');
	var goOnline = WB.button('wb-primary', t('presence.go_online'), function () { choose('online'); });
	goOnline.id = 'wb-go-online';
	bar.appendChild(barText);
	bar.appendChild(goOnline);
	var top = document.querySelector('.wb-top');
	top.parentNode.insertBefore(bar, top.nextSibling);

	function showStatus(s) {
		$('wb-status').value = s;
		$('wb-dot').className = 'wb-dot wb-dot-' + s;
		document.body.setAttribute('data-status', s);
		bar.hidden = s === 'online';
		barText.textContent = s === 'away' ? t('presence.away_banner') : t('presence.offline_banner');
		WB.status = s;
		bus.emit('status.changed', { status: s });
	}
	function choose(s) {
		chosen = true; // the first status answer, if later, must not undo this choice
		try { sessionStorage.setItem(CHOSEN, s); } catch (e) { /* private mode */ }
		return WB.api('PUT', '/api/v1/agent/status', { status: s })
			.then(function (r) { showStatus(r.status); })
			.catch(function (e) { WB.notice(e.message); });
	}
	$('wb-status').addEventListener('change', function () { choose($('wb-status').value); });

	['keydown', 'pointerdown', 'focus'].forEach(function (type) {
		window.addEventListener(type, function () { active = true; }, true);
	});
	function beat() {
		var body = { active: active };
		active = false;
		if (first) {
			var kept = null;
			try { kept = sessionStorage.getItem(CHOSEN); } catch (e) { kept = null; }
			// A reload keeps the status chosen in this tab; a new workbench starts work.
			body.opening = !kept || kept === 'online';
		}
		WB.api('POST', '/api/v1/agent/presence', body).then(function (r) {
			if (first || r.status !== WB.status) {
				if (!first && r.status === 'away')
					WB.notice(t('workbench2.away'));
				if (!chosen || !first)
					showStatus(r.status);
			}
			if (first)
				bus.emit('presence.settings', { long_wait_s: r.long_wait_s || 60, alert_sound: r.alert_sound !== false });
			first = false;
			setTimeout(beat, (r.heartbeat_s || 20) * 1000);
		}, function () { setTimeout(beat, 20000); });
	}

	bus.on('start', beat);
})();

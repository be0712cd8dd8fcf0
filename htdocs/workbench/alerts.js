// htdocs/workbench/alerts.js: telling the agent something arrived: a short sound and a notice for new conversations and messages, a sound repeating while a new conversation waits unopened (the agent's preference: on/off), desktop notifications while the tab is hidden, the unread count in the tab title.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t;

	var audio = null;
	function unlockAudio() {
		var AC = window.AudioContext || window.webkitAudioContext;
		if (!audio && AC)
			audio = new AC();
		if (audio && audio.state === 'suspended')
			audio.resume();
	}
	document.addEventListener('pointerdown', unlockAudio);
	document.addEventListener('keydown', unlockAudio);
	// Two short sine notes: a new conversation rises, a new message is one note.
	function ding(rising) {
		if (!audio || audio.state !== 'running')
			return;
		var now = audio.currentTime;
		var notes = rising ? [660, 880] : [880];
		notes.forEach(function (f, i) {
			var o = audio.createOscillator(), g = audio.createGain();
			o.type = 'sine';
			o.frequency.value = f;
			g.gain.setValueAtTime(0.0001, now + i * 0.15);
			g.gain.exponentialRampToValueAtTime(0.2, now + i * 0.15 + 0.02);
			g.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.15 + 0.14);
			o.connect(g);
			g.connect(audio.destination);
			o.start(now + i * 0.15);
			o.stop(now + i * 0.15 + 0.15);
		});
	}

	// ---- the repeating sound: a new conversation rings every RING_MS until it is opened ----
	var RING_MS = 4000, soundOn = true;
	WB.rings = 0; // how many times it rang (the browser test reads it; audio may be locked)
	setInterval(function () {
		if (!soundOn || S.fresh.size === 0)
			return;
		WB.rings++;
		document.body.setAttribute('data-rings', String(WB.rings));
		ding(true);
	}, RING_MS);
	var soundBtn = WB.button('wb-sound', '', function () {
		soundOn = !soundOn;
		showSound();
		WB.api('PUT', '/api/v1/agent/preferences', { alert_sound: soundOn }).catch(function (e) { WB.notice(e.message); });
	});
	soundBtn.id = 'wb-sound';
	// A bell drawn, not an emoji (emoji fonts are missing on many systems); struck through when off.
	function bell(off) {
		var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg');
		svg.setAttribute('viewBox', '0 0 24 24');
		svg.setAttribute('class', 'wb-bell');
		svg.setAttribute('aria-hidden', 'true');
		['M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9', 'M13.7 21a2 2 0 01-3.4 0'].concat(off ? ['M2 2l20 20'] : [])
			.forEach(function (d) {
				var p = document.createElementNS(ns, 'path');
				p.setAttribute('d', d);
				svg.appendChild(p);
			});
		return svg;
	}
	function showSound() {
		soundBtn.textContent = '';
		soundBtn.appendChild(bell(!soundOn));
		soundBtn.setAttribute('aria-pressed', String(soundOn));
		soundBtn.setAttribute('aria-label', t('alerts.sound'));
		soundBtn.title = soundOn ? t('alerts.sound_on') : t('alerts.sound_off');
	}
	showSound();
	var topBar = document.querySelector('.wb-top'), userEl = document.querySelector('.wb-user');
	topBar.insertBefore(soundBtn, userEl);
	WB.bus.on('presence.settings', function (d) {
		soundOn = d.alert_sound;
		showSound();
	});

	// ---- desktop notifications (Notification API): asked for on a click, shown while the tab is hidden ----
	var notifyBtn = WB.button('wb-notify', t('alerts.enable_notifications'), function () {
		window.Notification.requestPermission().then(showNotify, showNotify);
	});
	notifyBtn.id = 'wb-notify';
	function showNotify() {
		notifyBtn.hidden = !('Notification' in window) || window.Notification.permission !== 'default';
	}
	showNotify();
	topBar.insertBefore(notifyBtn, soundBtn);
	function notify(title, body, cid) {
		if (!document.hidden || !('Notification' in window) || window.Notification.permission !== 'granted')
			return;
		try {
			var n = new window.Notification(title, { body: body, tag: 'kefu-' + cid });
			n.onclick = function () {
				window.focus();
				WB.openConversation(cid);
				n.close();
			};
		} catch (e) { /* some browsers only notify from a service worker */ }
	}

	function updateTitle() {
		var n = 0;
		S.convs.forEach(function (c) { n += c.unread || 0; });
		n += S.fresh.size;
		document.title = (n > 0 ? '(' + n + ') ' : '') + 'kefu · ' + t('workbench.title');
	}

	// Runs before conversations.js's subscriber: S.convs is still the list as it was.
	WB.bus.on('agent.event', function (d) {
		var ev = d.ev, cid = ev.conversation_id;
		if (ev.type === 'status' && ev.status === 'assigned' && ev.agent && ev.agent.id === WB.ME && !S.convs.has(cid)) {
			WB.notice(t('workbench.new_conversation'));
			if (soundOn)
				ding(true);
			S.fresh.add(cid);
			notify(t('workbench.new_conversation'), '', cid);
		} else if (ev.type === 'message' && ev.message.sender === 'visitor' && (cid !== S.current || document.hidden)) {
			if (soundOn)
				ding(false);
			notify(t('workbench.new_message'), WB.preview(ev.message), cid);
			if (cid !== S.current)
				WB.notice(t('workbench.new_message') + ': ' + WB.preview(ev.message));
		}
	});
	// After every subscriber of the same topic ran (they change the counts).
	['agent.event', 'list.changed', 'conversation.opened', 'conversation.pulled'].forEach(function (topic) {
		WB.bus.on(topic, function () { Promise.resolve().then(updateTitle); });
	});
	WB.ding = ding;
	updateTitle();
})();

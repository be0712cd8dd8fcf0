// htdocs/workbench/alerts.js: telling the agent something arrived: a short sound and a notice for new conversations and messages, the unread count in the tab title.
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
			ding(true);
			S.fresh.add(cid);
		} else if (ev.type === 'message' && ev.message.sender === 'visitor' && (cid !== S.current || document.hidden)) {
			ding(false);
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

// htdocs/workbench/stream.js: the only code that polls: the agent's event stream (one long-poll) and pulls of the open conversation's events; what arrives is published on the bus.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, bus = WB.bus, t = WB.t;
	var userNext = 0, fetching = false, again = false;
	var KEY = 'kefu.wb.next.' + WB.ME;

	// Pull the open conversation's events from its cursor (wait=0: the agent
	// stream is what waits, and it names the conversation when it moves).
	function pull() {
		// A conversation that left this agent (transferred away) is not polled any more.
		if (!S.current || S.left === S.current)
			return Promise.resolve();
		if (fetching) {
			again = true;
			return Promise.resolve();
		}
		fetching = true;
		var id = S.current;
		var live = S.convNext > 0; // the first pull is the history: not read aloud
		return WB.api('GET', '/api/v1/agent/conversations/' + id + '/events?after=' + S.convNext + '&wait=0')
			.then(function (r) {
				if (id !== S.current)
					return;
				S.convNext = r.next;
				r.events.forEach(function (ev) { bus.emit('conversation.event', { id: id, ev: ev, live: live }); });
				if (r.events.length >= 200)
					again = true;
				bus.emit('conversation.pulled', { id: id, next: r.next });
			})
			.catch(function (e) {
				// Not this agent's any more (transferred away, taken by someone else).
				if (id === S.current && (e.status === 404 || e.status === 403))
					bus.emit('conversation.left', { id: id, reason: 'gone' });
				else if (id === S.current)
					WB.notice(e.message);
			})
			.then(function () {
				fetching = false;
				if (again) {
					again = false;
					return pull();
				}
			});
	}

	function poll(wait) {
		WB.api('GET', '/api/v1/agent/events?after=' + userNext + '&wait=' + wait)
			.then(function (r) {
				WB.notice('');
				if (S.loaded)
					r.events.forEach(function (ev) {
						bus.emit('agent.event', { ev: ev });
						// A conversation changing hands may leave or join the queue.
						if (ev.type === 'status')
							bus.emit('queue.changed', { ev: ev });
						// The open conversation went to someone else: leave it before anything asks
						// for it again (the answer of my own handover may come after this event).
						if (ev.conversation_id === S.current && ev.type === 'status' && ev.agent && ev.agent.id !== WB.ME &&
							(ev.status === 'transferred' || ev.status === 'assigned'))
							bus.emit('conversation.left', { id: S.current, reason: S.handingOver === S.current ? 'transferred' : 'gone' });
						if (ev.conversation_id === S.current)
							pull();
					});
				userNext = r.next;
				try { sessionStorage.setItem(KEY, String(userNext)); } catch (e) { /* private mode */ }
				// Catching up (a fresh page skips history it already has in the list).
				if (!S.loaded && r.events.length >= 200)
					return poll(0);
				if (!S.loaded) {
					S.loaded = true;
					return WB.loadList().then(function () { poll(25); });
				}
				poll(r.events.length >= 200 ? 0 : 25);
			})
			.catch(function (e) {
				if (e.message === 'signed out')
					return;
				WB.notice(t('workbench.reconnecting'), true);
				setTimeout(function () { poll(S.loaded ? 25 : 0); }, 2000);
			});
	}

	WB.pull = pull;

	// Deferred scripts all ran before this: every module has subscribed.
	document.addEventListener('DOMContentLoaded', function () {
		bus.emit('start', {});
		WB.loadList().catch(function (e) { WB.notice(e.message); });
		var saved = 0;
		try { saved = Number(sessionStorage.getItem(KEY)) || 0; } catch (e) { saved = 0; }
		if (saved > 0) {
			// A reload resumes from the last cursor: nothing in between is lost.
			userNext = saved;
			S.loaded = true;
		}
		poll(0);
	});
})();

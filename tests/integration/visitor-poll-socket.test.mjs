// tests/integration/visitor-poll-socket.test.mjs: the visitors' polls on a socket of their own (kefu.conf poll_listen;
// deploy/lighttpd/kefu.conf.in sends a waiting GET /api/v1/widget/visitors/me/events there). A worker of its own, on
// the suite's database, spoken to in FastCGI: its long-poll tailer takes the polls queued there at its tick, so a
// browsing visitor's poll wakes no request thread (each woke one from accept() before), and answers them as the main
// socket does (at the deadline, at once on an invitation, 401 for a bad token); any other route is refused there; a
// stop answers the parked ones and removes the socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fcgiGet, fcgiRequest } from '../lib/fcgi.mjs';
import { api, browsingVisitors, newAgent, sideSocketWorker, stackRequestWakeups, threadWakeups } from '../lib/kefu.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let w, main, polls, child;

before(async () => {
	w = await sideSocketWorker('pollsock', 'KEFU_POLL_LISTEN');
	({ main, side: polls, child } = w);
});

after(() => w.remove());

test('twenty waiting polls on the poll socket are answered at their deadline and wake no request thread; on the main socket each wakes one', async () => {
	const { visitors: vs } = await browsingVisitors('pollsock', 20);
	const s0 = threadWakeups(child.pid);
	const got = await Promise.all(vs.map((v) => fcgiGet(polls, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=1`, v.headers)));
	const s1 = threadWakeups(child.pid);
	for (const r of got) {
		assert.equal(r.status, 200, JSON.stringify(r));
		assert.deepEqual(r.json.events, []);
		assert.ok(r.ms >= 200 && r.ms < 2500, `a poll of wait=1 answered after ${r.ms} ms`);
	}
	const onMain = await Promise.all(vs.map((v) => fcgiGet(main, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=1`, v.headers)));
	const s2 = threadWakeups(child.pid);
	for (const r of onMain)
		assert.equal(r.status, 200, JSON.stringify(r));
	const req = (a, b) => (b['kefu-request'] || 0) - (a['kefu-request'] || 0);
	console.log(`request threads woke ${req(s0, s1)} times for 20 polls on the poll socket, ${req(s1, s2)} times for 20 on the main socket`);
	// The housekeeping and flusher are threads of their own; the request threads wake for requests alone.
	assert.ok(req(s0, s1) <= 3, `the request threads woke ${req(s0, s1)} times for 20 polls on the poll socket`);
	// On the main socket a thread wakes for a connection unless another is already queued when it comes back to
	// accept(): 24 times for the 20 on a quiet machine, 11 with a bench running beside.
	assert.ok(req(s1, s2) >= 5, `the request threads woke only ${req(s1, s2)} times for 20 polls on the main socket (the measure sees nothing)`);
});

test('a poll parked from the poll socket hears an invitation at once; a bad token is answered 401 at once, also beside connections that say nothing', async () => {
	const { tenant: T, visitors: vs } = await browsingVisitors('pollsock-inv', 1);
	const v = vs[0];
	const agent = await newAgent(T, 'Agent P', 'online');
	const parked = fcgiGet(polls, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=20`, v.headers);
	await sleep(500); // parked by now
	const t0 = Date.now();
	const inv = await agent.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'Hello from the poll socket' });
	assert.equal(inv.status, 201, inv.text);
	const got = await parked;
	const ms = Date.now() - t0;
	assert.equal(got.status, 200, JSON.stringify(got));
	assert.ok(got.json.events.some((e) => e.type === 'invitation' && e.invitation.id === inv.json.id), JSON.stringify(got.json));
	assert.ok(ms < 1000, `the poll woke ${ms} ms after the invitation`);
	const bad = await fcgiGet(polls, '/api/v1/widget/visitors/me/events?after=0&wait=20', { 'x-visitor-token': 'not-a-token' });
	assert.equal(bad.status, 401, JSON.stringify(bad));
	assert.ok(bad.ms < 1000, `a bad token answered after ${bad.ms} ms`);
	// Connections that say nothing (a web server that connected and has not written yet) do not hold the tailer:
	// it reads a connection only once its request has begun to arrive (it waited 1 s on each).
	const silent = [];
	for (let i = 0; i < 3; i++) {
		const c = connect(polls);
		c.on('error', () => {});
		await new Promise((r) => c.on('connect', r));
		silent.push(c);
	}
	await sleep(100); // taken by the tailer
	const meanwhile = await fcgiGet(polls, '/api/v1/widget/visitors/me/events?after=0&wait=20', { 'x-visitor-token': 'not-a-token' });
	for (const c of silent)
		c.destroy();
	assert.equal(meanwhile.status, 401, JSON.stringify(meanwhile));
	assert.ok(meanwhile.ms < 500, `beside three silent connections a bad token answered after ${meanwhile.ms} ms`);
});

test('through the stack\'s lighttpd (deploy/lighttpd/kefu.conf.in): a waiting poll goes to a poll socket, one of wait=0 to the request threads', async () => {
	const { visitors: vs } = await browsingVisitors('pollsock-lighttpd', 10);
	const woke = await stackRequestWakeups();
	const w0 = woke();
	for (const r of await Promise.all(vs.map((v) => api('GET', `/api/v1/widget/visitors/me/events?after=${v.after}&wait=1`, { headers: v.headers })))) {
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.events, []);
	}
	const w1 = woke();
	for (const r of await Promise.all(vs.map((v) => api('GET', `/api/v1/widget/visitors/me/events?after=${v.after}&wait=0`, { headers: v.headers }))))
		assert.equal(r.status, 200, r.text);
	const w2 = woke();
	console.log(`through lighttpd the request threads woke ${w1 - w0} times for 10 waiting polls, ${w2 - w1} times for 10 of wait=0`);
	assert.ok(w1 - w0 <= 3, `the request threads woke ${w1 - w0} times for 10 waiting polls`);
	assert.ok(w2 - w1 >= 8, `the request threads woke ${w2 - w1} times for 10 polls of wait=0`);
});

test('any other route that arrives on the poll socket is refused with 404 and does nothing (the tailer would have run it)', async () => {
	const { tenant: T, visitors: vs } = await browsingVisitors('pollsock-route', 1);
	const v = vs[0];
	const agent = await newAgent(T, 'Agent R', 'online');
	const view = await fcgiRequest(polls, 'POST', '/api/v1/widget/visitors/me/pageviews',
		{ ...v.headers, 'content-type': 'application/json' }, JSON.stringify({ url: 'https://shop.example/misrouted' }));
	assert.equal(view.status, 404, JSON.stringify(view));
	assert.equal(view.json.error.code, 'not_found', JSON.stringify(view));
	const me = await fcgiGet(polls, '/api/v1/widget/visitor', v.headers);
	assert.equal(me.status, 404, JSON.stringify(me));
	assert.equal((await fcgiGet(main, '/api/v1/widget/visitor', v.headers)).status, 200);
	// The same page view on the main socket is written: the refusal is the socket's, not the request's.
	const onMain = await fcgiRequest(main, 'POST', '/api/v1/widget/visitors/me/pageviews',
		{ ...v.headers, 'content-type': 'application/json' }, JSON.stringify({ url: 'https://shop.example/main' }));
	assert.equal(onMain.status, 201, JSON.stringify(onMain));
	const profile = await agent.get(`/api/v1/agent/visitors/${v.id}`);
	assert.equal(profile.status, 200, profile.text);
	const urls = profile.json.pageviews.map((p) => p.url);
	assert.ok(urls.includes('https://shop.example/main'), JSON.stringify(urls));
	assert.ok(!urls.includes('https://shop.example/misrouted'), JSON.stringify(urls));
	assert.match(w.log(), /came on the poll socket, which serves waiting visitor polls only/);
	// The visitor's own poll is still served there, at once for wait=0.
	const poll = await fcgiGet(polls, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=0`, v.headers);
	assert.equal(poll.status, 200, JSON.stringify(poll));
});

test('SIGTERM with polls parked from the poll socket: each gets its answer, the socket is removed, exit 0', async () => {
	const { visitors: vs } = await browsingVisitors('pollsock-stop', 3);
	const parked = vs.map((v) => fcgiGet(polls, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=30`, v.headers));
	await sleep(500);
	const t0 = Date.now();
	child.kill('SIGTERM');
	for (const r of await Promise.all(parked)) {
		assert.equal(r.status, 200, JSON.stringify(r));
		assert.deepEqual(r.json.events, []);
	}
	assert.ok(Date.now() - t0 < 10000, 'answered at the stop, not at the deadline');
	const { code, signal } = await Promise.race([w.exited, sleep(20000).then(() => ({ code: 'timeout' }))]);
	assert.equal(signal, null, w.log());
	assert.equal(code, 0, w.log());
	assert.ok(!existsSync(polls), 'poll socket removed');
	assert.ok(!existsSync(main), 'main socket removed');
});

// tests/integration/visitor-pageview-socket.test.mjs: the visitors' page views on a socket of their own (kefu.conf
// pageview_listen; deploy/lighttpd/kefu.conf.in sends POST /api/v1/widget/visitors/me/pageviews there). A worker of
// its own, on the suite's database, spoken to in FastCGI: the page views' batcher takes the views queued there before
// each batch, so a view wakes no request thread (each woke one from accept() before, only to park it), and answers
// them as the main socket does (201 once written, 401 for a bad token, 400 for a bad body); any other route is
// refused there; a stop answers what was taken and removes the socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fcgiGet, fcgiRequest } from '../lib/fcgi.mjs';
import { api, browsingVisitors, newAgent, sideSocketWorker, stackRequestWakeups, threadWakeups } from '../lib/kefu.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const JSON_TYPE = { 'content-type': 'application/json' };

let w, main, views, child;

const view = (sock, v, url) => fcgiRequest(sock, 'POST', '/api/v1/widget/visitors/me/pageviews', { ...v.headers, ...JSON_TYPE }, JSON.stringify({ url, title: 'A page' }));

before(async () => {
	w = await sideSocketWorker('viewsock', 'KEFU_PAGEVIEW_LISTEN');
	({ main, side: views, child } = w);
});

after(() => w.remove());

test('twenty page views on the page views\' socket are written and answered 201 and wake no request thread; on the main socket each wakes one', async () => {
	const { tenant: T, visitors: vs } = await browsingVisitors('viewsock', 20);
	const agent = await newAgent(T, 'Agent V', 'online');
	await sleep(300);
	const s0 = threadWakeups(child.pid);
	const got = await Promise.all(vs.map((v, i) => view(views, v, `https://shop.example/socket/${i}`)));
	const s1 = threadWakeups(child.pid);
	for (const r of got) {
		assert.equal(r.status, 201, JSON.stringify(r));
		assert.ok(r.json.id > 0, JSON.stringify(r));
	}
	const onMain = await Promise.all(vs.map((v, i) => view(main, v, `https://shop.example/main/${i}`)));
	const s2 = threadWakeups(child.pid);
	for (const r of onMain)
		assert.equal(r.status, 201, JSON.stringify(r));
	const req = (a, b) => (b['kefu-request'] || 0) - (a['kefu-request'] || 0);
	console.log(`request threads woke ${req(s0, s1)} times for 20 page views on their socket, ${req(s1, s2)} times for 20 on the main socket`);
	assert.ok(req(s0, s1) <= 3, `the request threads woke ${req(s0, s1)} times for 20 page views on their socket`);
	assert.ok(req(s1, s2) >= 5, `the request threads woke only ${req(s1, s2)} times for 20 page views on the main socket (the measure sees nothing)`);
	assert.equal(new Set(got.map((r) => r.json.id)).size, 20, 'twenty ids');
	// Each view answered is written, with the page it named.
	for (const [i, v] of vs.entries()) {
		const p = await agent.get(`/api/v1/agent/visitors/${v.id}`);
		assert.equal(p.status, 200, p.text);
		assert.ok(p.json.pageviews.some((x) => x.url === `https://shop.example/socket/${i}`), JSON.stringify(p.json.pageviews));
	}
});

test('on the page views\' socket a bad token is answered 401 and a bad body 400, as on the main socket', async () => {
	const { visitors: [v] } = await browsingVisitors('viewsock-bad', 1);
	const bad = await view(views, { headers: { 'x-visitor-token': 'not-a-token' } }, 'https://shop.example/x');
	assert.equal(bad.status, 401, JSON.stringify(bad));
	const body = await fcgiRequest(views, 'POST', '/api/v1/widget/visitors/me/pageviews', { ...v.headers, ...JSON_TYPE }, JSON.stringify({ title: 'no url' }));
	const bodyMain = await fcgiRequest(main, 'POST', '/api/v1/widget/visitors/me/pageviews', { ...v.headers, ...JSON_TYPE }, JSON.stringify({ title: 'no url' }));
	assert.equal(body.status, 400, JSON.stringify(body));
	assert.deepEqual(body.json, bodyMain.json);
});

test('any other route that arrives on the page views\' socket is refused with 404 and does nothing', async () => {
	const { visitors: [v] } = await browsingVisitors('viewsock-route', 1);
	const me = await fcgiGet(views, '/api/v1/widget/visitor', v.headers);
	assert.equal(me.status, 404, JSON.stringify(me));
	assert.equal(me.json.error.code, 'not_found', JSON.stringify(me));
	const poll = await fcgiGet(views, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=0`, v.headers);
	assert.equal(poll.status, 404, JSON.stringify(poll));
	assert.equal((await fcgiGet(main, '/api/v1/widget/visitor', v.headers)).status, 200);
	assert.match(w.log(), /came on the page views' socket, which serves visitors' page views only/);
});

test('through the stack\'s lighttpd (deploy/lighttpd/kefu.conf.in): a page view goes to a page views\' socket and wakes no request thread', async () => {
	const { visitors: vs } = await browsingVisitors('viewsock-lighttpd', 10);
	const woke = await stackRequestWakeups();
	const w0 = woke();
	for (const r of await Promise.all(vs.map((v, i) => api('POST', '/api/v1/widget/visitors/me/pageviews', { headers: v.headers, body: { url: `https://shop.example/l/${i}` } }))))
		assert.equal(r.status, 201, r.text);
	const w1 = woke();
	for (const r of await Promise.all(vs.map((v) => api('GET', '/api/v1/widget/visitor', { headers: v.headers }))))
		assert.equal(r.status, 200, r.text);
	const w2 = woke();
	console.log(`through lighttpd the request threads woke ${w1 - w0} times for 10 page views, ${w2 - w1} times for 10 visitor reads`);
	assert.ok(w1 - w0 <= 3, `the request threads woke ${w1 - w0} times for 10 page views`);
	assert.ok(w2 - w1 >= 5, `the request threads woke ${w2 - w1} times for 10 visitor reads (the measure sees nothing)`);
});

test('SIGTERM: the views taken are answered, the socket is removed, exit 0', async () => {
	const { visitors: vs } = await browsingVisitors('viewsock-stop', 3);
	const sent = vs.map((v, i) => view(views, v, `https://shop.example/stop/${i}`));
	await sleep(300);
	child.kill('SIGTERM');
	for (const r of await Promise.all(sent))
		assert.equal(r.status, 201, JSON.stringify(r));
	const { code, signal } = await Promise.race([w.exited, sleep(20000).then(() => ({ code: 'timeout' }))]);
	assert.equal(signal, null, w.log());
	assert.equal(code, 0, w.log());
	assert.ok(!existsSync(views), 'page views\' socket removed');
	assert.ok(!existsSync(main), 'main socket removed');
});

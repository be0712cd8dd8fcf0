// tests/integration/presence-sweep-once.test.mjs: agents going offline are handed back exactly once whatever the number of workers sweeping: one transfer event per conversation, the right load counters, one webhook per event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { api, newTenant, newAgent } from '../lib/kefu.mjs';
import { generalLog } from '../lib/own-stack.mjs';

const AGENTS = 4;   // going offline together, so that every worker's sweep finds them
const EACH = 4;     // conversations per agent
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const root = (q) => execFileSync('mariadb', ['--no-defaults', '-S', join(process.env.KEFU_STATE, 'mysqld.sock'), '-uroot', '-N',
	'-D', 'kefu', '-e', q], { encoding: 'utf8' }).trim();

let T, channel, group, receiver, port;
const hits = []; // conversation.assigned deliveries the receiver saw: conversation ids

before(async () => {
	receiver = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			hits.push({ event: req.headers['x-kefu-event'], delivery: req.headers['x-kefu-delivery'], body });
			res.writeHead(200).end('ok');
		});
	});
	port = await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(receiver.address().port)));
	T = newTenant('sweep-once');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Sweep shop', allowed_origins: [] } })).json;
});

after(async () => {
	receiver.closeAllConnections?.();
	await new Promise((r) => receiver.close(r));
});

test('agents whose workbenches fall silent: every conversation handed back exactly once', async () => {
	const hook = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${port}/hook`, secret: 'sweep-secret-0123456789abcdef', events: ['conversation.assigned'] } });
	assert.equal(hook.status, 201, hook.text);
	const leaving = [];
	for (let i = 0; i < AGENTS; i++)
		leaving.push(await newAgent(T, `Leaving ${i}`));
	const stay = await newAgent(T, 'Staying'); // an API-only agent: never swept
	group = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Support', member_user_ids: [...leaving.map((a) => a.id), stay.id], member_department_ids: [] } })).json;
	const rule = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'All', priority: 1, channel_ids: [channel.id], max_concurrent: AGENTS * EACH + 5, strategy: 'load', routing: { mode: 'rules', routes: [], fallback_group_id: group.id } } });
	assert.equal(rule.status, 201, rule.text);
	assert.equal((await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { away_after_s: 0, offline_after_s: 20 } })).status, 200); // the least allowed: one workbench heartbeat

	// Each leaving agent alone online while its conversations start.
	const convs = []; // {id, headers, from}
	for (const a of leaving) {
		assert.equal((await a.put('/api/v1/agent/status', { status: 'online' })).status, 200);
		for (let k = 0; k < EACH; k++) {
			const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
			const headers = { 'x-visitor-token': v.json.visitor_token };
			const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } });
			assert.equal(c.status, 201, c.text);
			assert.equal(c.json.agent.id, a.id);
			convs.push({ id: c.json.id, headers, from: a.id });
		}
		assert.equal((await a.put('/api/v1/agent/status', { status: 'away' })).status, 200);
	}
	for (const a of leaving)
		assert.equal((await a.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	assert.equal((await stay.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	// One beat each, together, and then silence: all of them fall due in the same sweeps.
	await Promise.all(leaving.map((a) => a.post('/api/v1/agent/presence', { active: true })));

	const held = async () => (await stay.get('/api/v1/agent/conversations')).json.groups.flatMap((g) => g.conversations).map((x) => x.id);
	const end = Date.now() + 50000;
	while (Date.now() < end && (await held()).length < convs.length)
		await sleep(500);
	// Every worker sweeps every two seconds: long enough for a late second hand-back to show.
	await sleep(5000);
	assert.deepEqual((await held()).sort((x, y) => x - y), convs.map((c) => c.id).sort((x, y) => x - y), 'all with the agent who stayed');
	for (const a of leaving)
		assert.equal((await a.get('/api/v1/agent/status')).json.status, 'offline');

	for (const c of convs) {
		const ev = (await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers })).json.events;
		const statuses = ev.filter((e) => e.type === 'status').map((e) => e.status + (e.agent ? `:${e.agent.id}` : ''));
		assert.deepEqual(statuses, [`assigned:${c.from}`, `transferred:${stay.id}`], `conversation ${c.id}`);
	}

	const load = root(`SELECT user_id, live, assigned_today FROM agent_load WHERE tenant_id = ${T.id} ORDER BY user_id`)
		.split('\n').map((l) => l.split('\t').map(Number));
	for (const [user, live, today] of load) {
		if (user === stay.id)
			assert.deepEqual([live, today], [convs.length, convs.length], 'the staying agent');
		else
			assert.deepEqual([live, today], [0, EACH], `leaving agent ${user}`);
	}

	// One conversation.assigned per assignment: the first, and the hand-back.
	const items = [];
	for (let tries = 0; tries < 40; tries++) {
		const d = await api('GET', `/api/v1/admin/webhooks/${hook.json.id}/deliveries`, { key: T.apiKey });
		items.splice(0, items.length, ...d.json.items);
		if (items.length >= 2 * convs.length && hits.length >= items.length)
			break;
		await sleep(250);
	}
	assert.equal(items.length, 2 * convs.length, 'outbox rows');
	await sleep(1000);
	const perConv = new Map();
	for (const h of hits)
		perConv.set(h.body.data.conversation.id, (perConv.get(h.body.data.conversation.id) || 0) + 1);
	assert.equal(hits.length, 2 * convs.length, 'deliveries received');
	assert.equal(new Set(hits.map((h) => h.delivery)).size, hits.length, 'no delivery twice');
	for (const c of convs)
		assert.equal(perConv.get(c.id), 2, `deliveries for conversation ${c.id}`);
});

test('a sweep whose worker died after the status change: the work still goes back, once', async () => {
	// The state such a death leaves: the agent offline and silent, still
	// holding its conversations (made here with SQL, as no request can).
	const crashed = await newAgent(T, 'Crashed');
	const other = await newAgent(T, 'Other');
	const g = (await api('GET', `/api/v1/admin/groups/${group.id}`, { key: T.apiKey })).json;
	const members = [...g.member_user_ids, crashed.id, other.id];
	assert.equal((await api('PATCH', `/api/v1/admin/groups/${group.id}`, { key: T.apiKey, body: { member_user_ids: members } })).status, 200);
	for (const u of g.member_user_ids)
		root(`UPDATE users SET status = 'offline' WHERE tenant_id = ${T.id} AND id = ${u}`);
	assert.equal((await crashed.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	assert.equal((await crashed.post('/api/v1/agent/presence', { active: true })).status, 200);
	const ids = [];
	for (let k = 0; k < 3; k++) {
		const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
		const headers = { 'x-visitor-token': v.json.visitor_token };
		const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } });
		assert.equal(c.json.agent.id, crashed.id, c.text);
		ids.push({ id: c.json.id, headers });
	}
	assert.equal((await other.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	root(`UPDATE users SET status = 'offline' WHERE tenant_id = ${T.id} AND id = ${crashed.id}`);
	root(`UPDATE agent_presence SET last_poll_at = NOW(3) - INTERVAL 1 HOUR WHERE tenant_id = ${T.id} AND user_id = ${crashed.id}`);

	// Only these three: the members set offline above who still hold work are
	// offline holders too, and theirs go back as well (to "other", the one online).
	const mine = new Set(ids.map((c) => c.id));
	const held = async () => (await other.get('/api/v1/agent/conversations')).json.groups.flatMap((x) => x.conversations).filter((x) => mine.has(x.id)).length;
	const end = Date.now() + 15000;
	while (Date.now() < end && (await held()) < ids.length)
		await sleep(250);
	await sleep(3000); // a second hand-back would show by now
	assert.equal(await held(), ids.length, 'handed back to the agent still online');
	for (const c of ids) {
		const ev = (await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers })).json.events;
		const statuses = ev.filter((e) => e.type === 'status').map((e) => e.status + (e.agent ? `:${e.agent.id}` : ''));
		assert.deepEqual(statuses, [`assigned:${crashed.id}`, `transferred:${other.id}`], `conversation ${c.id}`);
	}
});

test('each periodic job runs about once per interval in all, not once per worker', async () => {
	// Every worker claims every job once it is due; the claims the jobs
	// table records over six seconds are those of one runner per interval (queue_drain: 1 s, it also sends queue positions; presence_sweep: 2 s).
	const runs = new Map(); // job -> Set of last_run_at
	const end = Date.now() + 6000;
	while (Date.now() < end) {
		for (const line of root('SELECT name, last_run_at, owner FROM jobs').split('\n')) {
			const [name, at] = line.split('\t');
			if (!runs.has(name)) runs.set(name, new Set());
			runs.get(name).add(at);
		}
		await sleep(100);
	}
	for (const [job, every] of [['queue_drain', 1000], ['presence_sweep', 2000]]) {
		const n = runs.get(job)?.size ?? 0;
		const want = 6000 / every;
		assert.ok(n >= want / 2 && n <= want + 1, `${job}: ${n} runs in 6 s`);
	}
});

test('a job is asked for only once due: a claim of a job not due is neither sent each tick (it was, every half second per job and worker) nor an INSERT of its known row', async (t) => {
	const log = await generalLog(() => sleep(3000));
	const inserts = log.filter((q) => q.startsWith('INSERT IGNORE INTO jobs')).length;
	const claims = log.filter((q) => q.startsWith('UPDATE jobs SET next_run_at')).length;
	const reads = log.filter((q) => q.includes('FROM jobs WHERE name')).length;
	t.diagnostic(`${claims} claims, ${reads} due-time reads, ${inserts} row inserts in 3 s`);
	// Two workers, nine jobs, two ticks a second: 108 claims in 3 s, when each was asked for at each tick. Now a
	// job's run is one claim by its runner and one claim and one read by the other worker: about 30.
	assert.ok(claims >= 6, `${claims} claims`); // queue_drain alone runs each second
	assert.ok(claims <= 54, `${claims} claims in 3 s`);
	assert.ok(inserts <= 10, `${inserts} INSERTs of job rows in 3 s`); // a worker started meanwhile makes its rows sure once
});

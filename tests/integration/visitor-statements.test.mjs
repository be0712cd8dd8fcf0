// tests/integration/visitor-statements.test.mjs: what a browsing visitor costs the database (a page view, a held
// poll), that the agents hear of a burst of page views once with the newest page, and that a channel's triggers
// changed between two page views apply at the second whichever worker serves it (each keeps them in memory).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generalLog, ownStack, perCall as ownPerCall } from '../lib/own-stack.mjs';

// Statements are counted server-wide: a stack of its own, where the periodic
// jobs are quiet (tests/lib/own-stack.mjs).
const { api, newTenant, newAgent, sql, until } = await ownStack('vstmt');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

let T, agent;

before(async () => {
	T = newTenant('vstmt');
	agent = await newAgent(T, 'Agent S', 'online');
});

async function channel(name) {
	const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name, allowed_origins: [], tracking: true } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function visitor(ch) {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' }, headers: { 'user-agent': UA } });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token, 'user-agent': UA };
	return {
		id: r.json.visitor_id,
		view: (url) => api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url, title: 'T' } }),
		poll: (after = 0, wait = 0) => api('GET', `/api/v1/widget/visitors/me/events?after=${after}&wait=${wait}`, { headers }),
	};
}

// n visitors of ch, made one after another, each through then(v) when given.
async function visitors(ch, n, then = async () => {}) {
	const vs = [];
	for (let i = 0; i < n; i++) {
		const v = await visitor(ch);
		await then(v);
		vs.push(v);
	}
	return vs;
}

// A visitor who has viewed a page (so is live).
const viewed = async (v) => assert.equal((await v.view('https://s.example/')).status, 201);
// Viewed, then polled once: v.next is its stream's head.
async function viewedPolled(v) {
	await viewed(v);
	const r = await v.poll(0, 0);
	assert.equal(r.status, 200, r.text);
	v.next = r.json.next;
}

const NAMES = ['Com_stmt_execute', 'Com_commit', 'Com_update', 'Com_update_multi'];
// Statements per call of fn, the flusher's share of them included (tests/lib/own-stack.mjs).
const perCall = (n, fn, rounds = 3) => ownPerCall(NAMES, n, fn, { rounds, settleMs: 300 });

async function streamHead() {
	let next = 0;
	for (;;) {
		const r = await agent.get(`/api/v1/agent/events?after=${next}&wait=0`);
		assert.equal(r.status, 200, r.text);
		if (r.json.events.length === 0)
			return r.json.next;
		next = r.json.next;
	}
}

test('a page view is at most 7 statements, the agents\' notice and the triggers included (it was 10)', async () => {
	const ch = await channel('Stmt views');
	const vs = await visitors(ch, 20);
	let k = 0;
	const per = await perCall(20, async (i) => {
		const r = await vs[i].view(`https://s.example/p${k++}`);
		assert.equal(r.status, 201, r.text);
	});
	assert.ok(per.Com_stmt_execute <= 7, JSON.stringify(per));
	// and the agent heard of them
	const r = await agent.get('/api/v1/agent/visitors/live?limit=50');
	assert.equal(r.json.items.filter((x) => x.channel.id === ch.id).length, 20, r.text);
});

test('a page view is one round trip from its worker: one call that reads its token and is its whole transaction (it was two: the token, then the call; five before)', async (t) => {
	const ch = await channel('Stmt round trips');
	const vs = await visitors(ch, 20);
	const log = await generalLog(async () => {
		for (const [i, v] of vs.entries()) {
			const r = await v.view(`https://s.example/r${i}`);
			assert.equal(r.status, 201, r.text);
		}
	}, { periodic: false });
	// What the workers sent (a procedure's own statements are not logged): one call a view (views one after the other
	// are batches of one: pageviews_by_token), no token read of its own and none of the call's statements.
	const calls = log.filter((q) => /^CALL pageviews?_by_token\(/.test(q)).length;
	const tokens = log.filter((q) => /\bWHERE v\.token_hash IN \(/.test(q)).length;
	const inserts = log.filter((q) => q.startsWith('INSERT INTO pageviews')).length;
	t.diagnostic(`${calls} calls, ${tokens} token reads, ${inserts} page view INSERTs sent for 20 views`);
	assert.equal(calls, 20);
	assert.equal(tokens, 0);
	assert.equal(inserts, 0);
	assert.equal(log.filter((q) => q.startsWith('CALL pageview_record(')).length, 0);
	// and everything a worker sent, the flushes and periodic jobs included, per view (it was 1.8-2.4, 5.75-6.3 before)
	let k = 0;
	const per = await ownPerCall(['Questions', 'Com_insert_select'], 20, async (i) => {
		const r = await vs[i].view(`https://s.example/q${k++}`);
		assert.equal(r.status, 201, r.text);
	}, { rounds: 3, settleMs: 300 });
	t.diagnostic(JSON.stringify(per));
	assert.ok(per.Com_insert_select >= 0.9, JSON.stringify(per)); // the views were written, inside the procedure
	assert.ok(per.Questions <= 5, JSON.stringify(per)); // 1.0-1.4 as a rule; the periodic jobs make it noisy
});

test('a page view read with its token writes nothing the caller may not: an origin not listed (nor differing in case), tracking off, an unknown token; the product\'s own origin and a listed one write', async () => {
	const made = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Stmt origins', allowed_origins: ['https://host.example'], tracking: true } });
	assert.equal(made.status, 201, made.text);
	const reg = await api('POST', `/api/v1/widget/channels/${made.json.key}/visitors`, { body: {}, headers: { origin: 'https://host.example' } });
	assert.equal(reg.status, 201, reg.text);
	const id = reg.json.visitor_id;
	const views = () => Number(sql(`SELECT COUNT(*) FROM pageviews WHERE visitor_id = ${id}`)[0][0]);
	const view = (origin, token = reg.json.visitor_token, body = { url: 'https://host.example/a' }) =>
		api('POST', '/api/v1/widget/visitors/me/pageviews', { headers: { ...(origin ? { origin } : {}), 'x-visitor-token': token }, body });
	for (const o of ['https://evil.example', 'https://HOST.example', 'https://host.example/', 'null']) {
		const r = await view(o);
		assert.equal(r.status, 403, `${o}: ${r.text}`);
		assert.equal(r.json.error.code, 'origin_not_allowed', o);
	}
	assert.equal(views(), 0);
	assert.equal((await view(null, 'no-such-token')).status, 401);
	assert.equal((await view('https://evil.example', 'no-such-token', { title: 'no url' })).status, 401, 'a bad token answers before a bad body');
	assert.equal((await view('https://host.example', reg.json.visitor_token, { title: 'no url' })).status, 400);
	const listed = await view('https://host.example');
	assert.equal(listed.status, 201, listed.text);
	assert.equal(listed.headers.get('access-control-allow-origin'), 'https://host.example');
	const own = await view(new URL(process.env.KEFU_URL).origin);
	assert.equal(own.status, 201, own.text);
	assert.equal(views(), 2);
	const off = await api('PATCH', `/api/v1/admin/channels/${made.json.id}`, { key: T.apiKey, body: { tracking: false } });
	assert.ok(off.status === 200, off.text);
	const refused = await view('https://host.example');
	assert.equal(refused.status, 403, refused.text);
	assert.equal(views(), 2);
});

test('a poll of a live visitor writes nothing of its own: its liveness is written for many polls at once, and not at each (it was an UPDATE each)', async () => {
	const ch = await channel('Stmt polls');
	const vs = await visitors(ch, 20, viewed);
	// The statements that write a visitor's liveness, as the general log has them: counting all UPDATEs would count
	// the periodic jobs' claims too (about 30 a second), whose noise is as large as what is measured.
	const log = await generalLog(async () => {
		for (const v of vs) {
			const r = await v.poll(0, 0);
			assert.equal(r.status, 200, r.text);
		}
		await sleep(300); // the flusher's turn
	}, { periodic: false });
	const writes = log.filter((q) => /^(UPDATE|INSERT INTO) visitor_live\b/.test(q)).length;
	assert.ok(writes <= 6, `${writes} liveness writes for 20 polls`);
	// a visitor not live yet (no page view) is live after their poll, and the agents hear of it
	const after = await streamHead();
	const fresh = await visitor(ch);
	assert.equal((await fresh.poll(0, 0)).status, 200);
	await until('the polling visitor live', async () => {
		const r = await agent.get(`/api/v1/agent/visitors/${fresh.id}`);
		return r.status === 200 && r.json.live === true;
	}, 10000);
	const r = await agent.get(`/api/v1/agent/events?after=${after}&wait=0`);
	assert.ok(r.json.events.some((e) => e.type === 'visitor' && e.visitor.visitor_id === fresh.id), r.text);
});

test('a visitor poll parked at its stream\'s known head and answered at its deadline reads nothing beyond its token (it read its stream twice: 2.55 statements a poll)', async (t) => {
	const ch = await channel('Stmt parked');
	const vs = await visitors(ch, 20, viewedPolled);
	// each worker learns every stream's head from a parked poll's empty answer (lighttpd spreads them over both)
	for (let i = 0; i < 3; i++)
		await Promise.all(vs.map((v) => v.poll(v.next, 1)));
	// 20 polls parked at once, each answered empty at its deadline
	// reads only: the polls' liveness, which the flusher writes for many at once, is the test above's
	const per = await ownPerCall(['Com_select', 'Com_stmt_execute'], 1, async () => {
		const rs = await Promise.all(vs.map((v) => v.poll(v.next, 1)));
		rs.forEach((r, i) => {
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json, { events: [], next: vs[i].next });
		});
	}, { rounds: 3, settleMs: 300 });
	const perPoll = per.Com_select / vs.length;
	t.diagnostic(`${perPoll} reads a parked poll`);
	assert.ok(perPoll <= 1.5, `${perPoll} reads a poll: ${JSON.stringify(per)}`);
	// and an invitation still wakes a poll parked there at once
	const v = vs[0];
	const t0 = Date.now();
	const parked = v.poll(v.next, 20);
	await sleep(300);
	const inv = await agent.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'Hello there' });
	assert.equal(inv.status, 201, inv.text);
	const r = await parked;
	assert.equal(r.status, 200, r.text);
	assert.ok(r.json.events.some((e) => e.type === 'invitation' && e.invitation.id === inv.json.id), r.text);
	assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
});

test('polls that park resolve their tokens together, one read a tailer tick and worker, not one each (it was a read a poll unless two came within one round trip); a bad token or origin still answers at once', async (t) => {
	const ch = await channel('Stmt deferred');
	const vs = await visitors(ch, 20, viewedPolled);
	// 20 polls, one every 5 ms (each parks: nothing is due); the token reads until all have parked
	const open = [];
	const log = await generalLog(async () => {
		for (const v of vs) {
			open.push(v.poll(v.next, 2));
			await sleep(5);
		}
		await sleep(300);
	});
	await Promise.all(open);
	const reads = log.filter((q) => q.includes('token_hash IN (')).length;
	t.diagnostic(`${reads} token reads for 20 polls`);
	assert.ok(reads <= 10, `${reads} token reads for 20 polls`);
	// what the accept thread answered before is answered by the tailer now, as soon
	const bad = { 'x-visitor-token': 'no-such-token', 'user-agent': UA };
	let t0 = Date.now();
	const r1 = await api('GET', '/api/v1/widget/visitors/me/events?after=0&wait=20', { headers: bad });
	assert.equal(r1.status, 401, r1.text);
	assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
	const own = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Stmt origin', allowed_origins: ['https://host.example'], tracking: true } });
	const reg = await api('POST', `/api/v1/widget/channels/${own.json.key}/visitors`, { body: {}, headers: { origin: 'https://host.example' } });
	t0 = Date.now();
	const r2 = await api('GET', '/api/v1/widget/visitors/me/events?after=0&wait=20', { headers: { origin: 'https://evil.example', 'x-visitor-token': reg.json.visitor_token } });
	assert.equal(r2.status, 403, r2.text);
	assert.equal(r2.json.error.code, 'origin_not_allowed');
	assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
	const r3 = await api('GET', '/api/v1/widget/visitors/me/events?after=0&wait=1', { headers: { origin: 'https://host.example', 'x-visitor-token': reg.json.visitor_token } });
	assert.equal(r3.status, 200, r3.text); // parked, answered at its deadline
	assert.equal(r3.headers.get('access-control-allow-origin'), 'https://host.example');
});

test('a burst of page views reaches the agents as one notice per worker at most, the last with the newest page (each view was a notice)', async () => {
	const ch = await channel('Burst');
	const v = await visitor(ch);
	assert.equal((await v.view('https://b.example/first')).status, 201);
	await sleep(500);
	const after = await streamHead();
	// two workers (tools/stack), each telling of what it served in its window
	const views = await Promise.all(['https://b.example/a', 'https://b.example/b', 'https://b.example/c'].map((u) => v.view(u)));
	views.forEach((r) => assert.equal(r.status, 201, r.text));
	assert.equal((await v.view('https://b.example/last')).status, 201);
	await sleep(1500);
	const r = await agent.get(`/api/v1/agent/events?after=${after}&wait=0`);
	const mine = r.json.events.filter((e) => e.type === 'visitor' && e.visitor.visitor_id === v.id);
	assert.ok(mine.length >= 1 && mine.length <= 2, JSON.stringify(mine.map((e) => e.visitor.page.url)));
	assert.equal(mine.at(-1).visitor.page.url, 'https://b.example/last');
	assert.equal(mine.at(-1).visitor.pages_viewed, 5);
});

test('a trigger made, disabled or deleted between two page views applies at the second, whichever worker serves it', async () => {
	const ch = await channel('Trig cache');
	const v = await visitor(ch);
	const due = () => Number(sql(`SELECT COUNT(*) FROM trigger_due WHERE tenant_id = ${T.id} AND visitor_id = ${v.id}`)[0][0]);
	// both workers read (and keep) the channel's triggers: none
	for (let i = 0; i < 6; i++)
		assert.equal((await v.view(`https://c.example/warm${i}`)).status, 201);
	assert.equal(due(), 0);
	const tr = await api('POST', `/api/v1/admin/channels/${ch.id}/triggers`, { key: T.apiKey, body: { name: 'late', text: 'Hi', after_seconds: 3600, match: 'all' } });
	assert.equal(tr.status, 201, tr.text);
	for (let i = 0; i < 4; i++)
		assert.equal((await v.view(`https://c.example/on${i}`)).status, 201);
	assert.equal(due(), 4, 'every view after the trigger was made schedules it');
	const off = await api('PATCH', `/api/v1/admin/channels/${ch.id}/triggers/${tr.json.id}`, { key: T.apiKey, body: { enabled: false } });
	assert.equal(off.status, 200, off.text);
	for (let i = 0; i < 4; i++)
		assert.equal((await v.view(`https://c.example/off${i}`)).status, 201);
	assert.equal(due(), 4, 'no view after it was disabled schedules it');
	const on = await api('PATCH', `/api/v1/admin/channels/${ch.id}/triggers/${tr.json.id}`, { key: T.apiKey, body: { enabled: true, match: { all: [{ field: 'page.url', op: 'contains', value: '/yes' }] } } });
	assert.equal(on.status, 200, on.text);
	assert.equal((await v.view('https://c.example/no')).status, 201);
	assert.equal((await v.view('https://c.example/yes')).status, 201);
	assert.equal(due(), 5, 'the edited condition applies');
	assert.equal((await api('DELETE', `/api/v1/admin/channels/${ch.id}/triggers/${tr.json.id}`, { key: T.apiKey })).status, 204);
	assert.equal((await v.view('https://c.example/yes/again')).status, 201);
	assert.equal(due(), 0, 'the deleted trigger\'s due rows went with it and nothing new was scheduled');
});

// Last in the file: the give-up below leaves every visitor stream's head forgotten on this stack for two minutes.
test('an event whose row commits after the tailer gave up its hole still reaches a poll at the known head: the give-up forgets the heads', async () => {
	const ch = await channel('Late row');
	const v = await visitor(ch), w = await visitor(ch);
	for (const x of [v, w])
		assert.equal((await x.view('https://l.example/')).status, 201);
	const first = await v.poll(0, 0);
	assert.equal(first.status, 200, first.text);
	const after = first.json.next;
	// both workers learn v's head (an empty parked poll each)
	for (let i = 0; i < 3; i++)
		await Promise.all([v.poll(after, 1), v.poll(after, 1)]);
	// v's next entry, inserted in a transaction held open: its id is a hole once a later row commits
	const conf = readFileSync(process.env.KEFU_CONFIG, 'utf8');
	const get = (name) => ((conf.match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1] || '').trim();
	const p = spawn('mariadb', ['--no-defaults', '-S', get('db_socket'), '-u', get('db_user'), `-p${get('db_password')}`, get('db_name'), '-N', '-B', '--unbuffered'], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	p.stdout.on('data', (d) => { out += d; });
	p.stdin.write(`START TRANSACTION;
INSERT INTO stream_seqs (kind, stream_id, tenant_id, seq) VALUES ('v', ${v.id}, ${T.id}, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + 1);
INSERT INTO visitor_events (tenant_id, visitor_id, seq, type, body) VALUES (${T.id}, ${v.id}, LAST_INSERT_ID(), 'invitation', '{"type": "invitation", "invitation": {"id": 0, "text": "late"}}');
SELECT 'held';
`);
	while (!out.includes('held')) await sleep(10);
	// a later row commits (w's invitation), and the tailers give the hole up after 3 s
	const inv = await agent.post(`/api/v1/agent/visitors/${w.id}/invite`, { text: 'Hi' });
	assert.equal(inv.status, 201, inv.text);
	await sleep(4000);
	p.stdin.end('COMMIT;\n');
	await new Promise((r) => p.on('close', r));
	// at the head it knew, a poll would park without a read and end empty without one, for ever
	const rs = await Promise.all([v.poll(after, 2), v.poll(after, 2)]);
	for (const r of rs) {
		assert.equal(r.status, 200, r.text);
		assert.ok(r.json.events.some((e) => e.type === 'invitation' && e.invitation.text === 'late'), r.text);
	}
});

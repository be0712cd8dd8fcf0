// tests/integration/assign-concurrency.test.mjs: the four assignment invariants under load (4 workers x at least 8 threads), checked from the database after every round, and after a worker is killed with SIGKILL mid-traffic.
//
// On a stack of its own (like resilience.test.mjs): tools/stack start TMP --workers 4.
// Each round starts hundreds of conversations at once into small groups with small
// maxima, while agents close, take, transfer and change status at random; once the
// traffic has settled the checker reads MariaDB directly and fails on any violation:
//   1. no agent holds more live conversations under a rule than its maximum
//      (counted from conversations, and agent_load.live agrees);
//   2. a conversation has at most one agent (assigned ⇔ agent set; queued ⇔ exactly one queue entry);
//   3. no conversation waits while an eligible member of its group (online, below max) has room;
//   4. FIFO: conversations drained from one (rule, group) queue were served in the order they queued.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueOrder } from '../lib/queue-order.mjs';

const SRC = process.env.KEFU_SRCDIR;
const BUILD = process.env.KEFU_BUILDDIR;
const ROUNDS = Number(process.env.KEFU_ASSIGN_ROUNDS || 4);
const PER_ROUND = Number(process.env.KEFU_ASSIGN_PER_ROUND || 240);
let state, url, sql;

const stack = (...args) => execFileSync(join(SRC, 'tools/stack'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

function freePort() {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function conf(name) {
	const m = readFileSync(join(state, 'kefu.conf'), 'utf8').match(new RegExp(`^${name} *= *(.*)$`, 'm'));
	return m ? m[1].trim() : '';
}

// Rows of a query, as arrays of strings (NULL → null).
function query(q) {
	const out = execFileSync('mariadb', ['-S', conf('db_socket'), '-u', conf('db_user'), `-p${conf('db_password')}`, conf('db_name'), '-N', '-B', '-e', q], { encoding: 'utf8', maxBuffer: 64 << 20 });
	return out.split('\n').filter(Boolean).map((l) => l.split('\t').map((c) => (c === 'NULL' ? null : c)));
}

async function api(method, path, { key, body, headers = {}, session } = {}) {
	const h = { ...headers };
	if (body !== undefined) h['content-type'] = 'application/json';
	if (key) h.authorization = `Bearer ${key}`;
	if (session) {
		h.cookie = session.cookie;
		if (method !== 'GET') h['x-csrf-token'] = session.csrf;
	}
	for (let attempt = 0; ; attempt++) {
		try {
			const res = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
			const text = await res.text();
			let json = null;
			try { json = JSON.parse(text); } catch { /* not JSON */ }
			// The web server's own 5xx ("interrupted": the worker died under the
			// request; "unavailable": no worker to answer) in the kill round is
			// retried like a broken connection. kefu's own 500 "internal" is never
			// retried: it fails the test.
			if (res.status >= 500 && json?.error?.code !== 'internal' && attempt <= 5) {
				await sleep(50);
				continue;
			}
			return { status: res.status, json, text };
		} catch (e) {
			if (attempt > 5) throw e; // the connection broke (a killed worker): the client retries, as a browser would
			await sleep(50);
		}
	}
}

async function login(login, password) {
	const res = await fetch(url + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
	const json = await res.json();
	assert.equal(res.status, 200, JSON.stringify(json));
	const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	return { cookie, csrf: json.csrf_token, id: json.user.id };
}

let T, key, agents, rules, groups, channels;

before(async () => {
	state = mkdtempSync(join(tmpdir(), 'kefu-assign-'));
	const port = await freePort();
	stack('start', state, '--port', String(port), '--workers', '4', '--builddir', BUILD);
	url = `http://127.0.0.1:${port}`;
	assert.ok(Number(conf('threads')) >= 8, `at least 8 threads per worker (conf threads = ${conf('threads')})`);
	const ctl = (...a) => execFileSync(join(BUILD, 'src/kefuctl'), ['-c', join(state, 'kefu.conf'), ...a], { encoding: 'utf8' }).trim();
	const name = `conc-${Date.now()}`;
	ctl('tenant', 'create', '--name', name, '--admin-login', `admin-${name}`, '--admin-password', 'pw-conc-admin-1');
	key = ctl('api-key', 'create', '--tenant', name, '--scopes', 'admin', '--name', 'conc').split(/\s+/).pop();
	agents = [];
	for (let i = 0; i < 7; i++) {
		const login_ = `${name}-a${i}`;
		const r = await api('POST', '/api/v1/admin/users', { key, body: { login: login_, name: `A${i}`, password: 'pw-conc-agent-1', role: 'agent', department_ids: [] } });
		assert.equal(r.status, 201, r.text);
		agents.push(await login(login_, 'pw-conc-agent-1'));
	}
	// Two groups of three sharing one agent, and one of two: small maxima.
	const mk = async (ids) => (await api('POST', '/api/v1/admin/groups', { key, body: { name: `g${ids.join('-')}`, member_user_ids: ids, member_department_ids: [] } })).json;
	groups = [await mk([agents[0].id, agents[1].id, agents[2].id]), await mk([agents[2].id, agents[3].id, agents[4].id]), await mk([agents[5].id, agents[6].id])];
	channels = [];
	for (let i = 0; i < 3; i++)
		channels.push((await api('POST', '/api/v1/admin/channels', { key, body: { name: `c${i}`, allowed_origins: [] } })).json);
	rules = [];
	const strategies = ['load', 'round_robin', 'idle'];
	for (let i = 0; i < 3; i++) {
		const r = await api('POST', '/api/v1/admin/rules', { key, body: { name: `r${i}`, priority: i, channel_ids: [channels[i].id], max_concurrent: 2 + (i % 2), strategy: strategies[i], routing: { mode: 'rules', routes: [], fallback_group_id: groups[i].id } } });
		assert.equal(r.status, 201, r.text);
		rules.push(r.json);
	}
	for (const a of agents) assert.equal((await api('PUT', '/api/v1/agent/status', { session: a, body: { status: 'online' } })).status, 200);
});

after(() => {
	if (state) {
		try { stack('stop', state); } catch { /* already down */ }
		rmSync(state, { recursive: true, force: true });
	}
});

async function visitor(ch) {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: {} });
	assert.ok([200, 201].includes(r.status), r.text);
	return { ch, headers: { 'x-visitor-token': r.json.visitor_token } };
}

// Random agent work while conversations arrive.
async function chaos(stopAt) {
	let ops = 0;
	while (Date.now() < stopAt) {
		const a = pick(agents);
		const roll = Math.random();
		if (roll < 0.45) {
			const mine = await api('GET', '/api/v1/agent/conversations', { session: a });
			const list = (mine.json?.groups || []).flatMap((g) => g.conversations);
			if (list.length) await api('POST', `/api/v1/agent/conversations/${pick(list).id}/close`, { session: a, body: {} });
		} else if (roll < 0.65) {
			const q = await api('GET', '/api/v1/agent/queue', { session: a });
			const items = q.json?.items || [];
			if (items.length) {
				const r = await api('POST', `/api/v1/agent/conversations/${pick(items).id}/take`, { session: a, body: {} });
				assert.ok([200, 404, 409].includes(r.status), `take: ${r.status} ${r.text}`);
			}
		} else if (roll < 0.8) {
			const mine = await api('GET', '/api/v1/agent/conversations', { session: a });
			const list = (mine.json?.groups || []).flatMap((g) => g.conversations);
			if (list.length) {
				const body = Math.random() < 0.5 ? { user_id: pick(agents).id } : { group_id: pick(groups).id };
				const r = await api('POST', `/api/v1/agent/conversations/${pick(list).id}/transfer`, { session: a, body });
				assert.ok([200, 404, 409].includes(r.status), `transfer: ${r.status} ${r.text}`);
			}
		} else {
			const status = pick(['online', 'online', 'away', 'offline']);
			assert.equal((await api('PUT', '/api/v1/agent/status', { session: a, body: { status } })).status, 200);
		}
		ops++;
	}
	return ops;
}

function check(label) {
	const tenant = query(`SELECT tenant_id FROM rules WHERE id = ${rules[0].id}`)[0][0];
	const max = Object.fromEntries(query(`SELECT id, max_concurrent FROM rules WHERE tenant_id = ${tenant}`).map(([id, m]) => [id, Number(m)]));
	const problems = [];
	// 1. capacity, from the conversations themselves; and the bookkeeping agrees.
	const live = query(`SELECT rule_id, agent_user_id, COUNT(*) FROM conversations WHERE tenant_id = ${tenant} AND status = 'assigned' GROUP BY rule_id, agent_user_id`);
	const liveOf = new Map(live.map(([r, u, n]) => [`${r}/${u}`, Number(n)]));
	for (const [r, u, n] of live)
		if (Number(n) > max[r]) problems.push(`agent ${u} holds ${n} > max ${max[r]} under rule ${r}`);
	for (const [r, u, l] of query(`SELECT rule_id, user_id, live FROM agent_load WHERE tenant_id = ${tenant}`))
		if (Number(l) !== (liveOf.get(`${r}/${u}`) || 0)) problems.push(`agent_load ${r}/${u} live ${l} but ${liveOf.get(`${r}/${u}`) || 0} assigned`);
	// 2. one agent: assigned ⇔ agent; queued ⇔ exactly one entry, no agent.
	for (const [id, st, ag, q] of query(`SELECT c.id, c.status, c.agent_user_id, (SELECT COUNT(*) FROM queue_entries q WHERE q.conversation_id = c.id) FROM conversations c WHERE c.tenant_id = ${tenant}`)) {
		if (st === 'assigned' && (ag === null || q !== '0')) problems.push(`conversation ${id} assigned with agent ${ag}, ${q} queue entries`);
		if (st === 'queued' && (ag !== null || q !== '1')) problems.push(`conversation ${id} queued with agent ${ag}, ${q} queue entries`);
		if (st !== 'queued' && q !== '0') problems.push(`conversation ${id} ${st} still has a queue entry`);
	}
	// 3. nobody waits while an eligible member has room.
	const online = new Set(query(`SELECT id FROM users WHERE tenant_id = ${tenant} AND status = 'online' AND deleted_at IS NULL`).map(([id]) => Number(id)));
	const members = Object.fromEntries(groups.map((g) => [g.id, g.member_user_ids]));
	for (const [cid, r, g] of query(`SELECT conversation_id, rule_id, group_id FROM queue_entries WHERE tenant_id = ${tenant} AND owner_user_id IS NULL`))
		for (const u of members[g] || [])
			if (online.has(u) && (liveOf.get(`${r}/${u}`) || 0) < max[r])
				problems.push(`conversation ${cid} waits in ${r}/${g} while agent ${u} has room`);
	// 4. FIFO: for each (rule, group), conversations drained from the queue were
	// assigned in the order they queued; none still waiting queued before one drained.
	const { problems: order, waiting } = queueOrder(query, tenant);
	problems.push(...order);
	assert.deepEqual(problems.slice(0, 20), [], `${label}: ${problems.length} violation(s)`);
	return { assigned: live.reduce((s, [, , n]) => s + Number(n), 0), waiting: waiting.size };
}

async function round(label, { kill = false } = {}) {
	// Everyone back online at once: each status change drains the queues concurrently.
	await Promise.all(agents.map((a) => api('PUT', '/api/v1/agent/status', { session: a, body: { status: 'online' } })));
	check(`${label}, all online`);
	// Registration is rate limited per address (200 a minute) and every request
	// here comes from 127.0.0.1: the test empties that bucket between batches.
	const visitors = [];
	for (let i = 0; i < PER_ROUND; i += 100) {
		query("DELETE FROM rate_limits WHERE bucket LIKE 'visitor:%'");
		visitors.push(...await Promise.all(Array.from({ length: Math.min(100, PER_ROUND - i) }, (_, k) => visitor(channels[(i + k) % channels.length]))));
	}
	const stopAt = Date.now() + 1200; // stops while starts still arrive: the check sees queues and load
	const chaosers = Array.from({ length: 6 }, () => chaos(stopAt));
	let killed = false;
	const starts = visitors.map(async (v, i) => {
		await sleep(Math.random() * 1500);
		if (kill && !killed && i > PER_ROUND / 3) {
			killed = true;
			const pid = Number(readFileSync(join(state, 'worker-2.pid'), 'utf8').trim());
			process.kill(pid, 'SIGKILL'); // mid-traffic: its open transactions roll back
		}
		const r = await api('POST', '/api/v1/widget/conversations', { headers: v.headers, body: { channel_key: v.ch.key, prechat: {} } });
		// A request on the killed worker's connection may fail (502/503); the visitor retries once, as the widget does.
		if (![201].includes(r.status)) {
			await sleep(200);
			const again = await api('POST', '/api/v1/widget/conversations', { headers: v.headers, body: { channel_key: v.ch.key, prechat: {} } });
			assert.equal(again.status, 201, again.text);
			return again.json.status;
		}
		return r.json.status;
	});
	const statuses = await Promise.all(starts);
	const ops = (await Promise.all(chaosers)).reduce((a, b) => a + b, 0);
	if (kill) stack('start', state); // a supervisor brings the worker back; nothing was lost with it
	await sleep(300);
	const c = check(label);
	// Every agent closes everything at once: each close drains the queue into
	// the room it frees, concurrently with the other agents' closes.
	await Promise.all(agents.map(async (a) => {
		const mine = await api('GET', '/api/v1/agent/conversations', { session: a });
		await Promise.all((mine.json?.groups || []).flatMap((g) => g.conversations).map((x) =>
			api('POST', `/api/v1/agent/conversations/${x.id}/close`, { session: a, body: {} })));
	}));
	const d = check(`${label}, after concurrent closes`);
	return { statuses, ops, ...c, drained_live: d.assigned, drained_waiting: d.waiting };
}

test('invariants hold under concurrent starts, closes, takes, transfers and status changes', { timeout: 600000 }, async () => {
	for (let i = 1; i <= ROUNDS; i++) {
		const r = await round(`round ${i}`);
		const count = (s) => r.statuses.filter((x) => x === s).length;
		console.log(`# round ${i}: ${PER_ROUND} starts (${count('assigned')} assigned, ${count('queued')} queued, ${count('offline')} offline), ${r.ops} agent ops; now ${r.assigned} live, ${r.waiting} waiting; after concurrent closes ${r.drained_live} live, ${r.drained_waiting} waiting`);
	}
});

test('kill -9 of a worker mid-assignment: invariants hold and nothing is stuck', { timeout: 600000 }, async () => {
	const r = await round('kill round', { kill: true });
	console.log(`# kill round: ${r.assigned} live, ${r.waiting} waiting after SIGKILL`);
	// Nothing stuck: every agent online and closing everything empties every queue.
	for (const a of agents) assert.equal((await api('PUT', '/api/v1/agent/status', { session: a, body: { status: 'online' } })).status, 200);
	for (let pass = 0; pass < 200; pass++) {
		const left = Number(query(`SELECT COUNT(*) FROM conversations c JOIN rules r ON r.id = c.rule_id WHERE r.id IN (${rules.map((x) => x.id).join(',')}) AND c.status IN ('assigned','queued')`)[0][0]);
		if (left === 0) break;
		await Promise.all(agents.map(async (a) => {
			const mine = await api('GET', '/api/v1/agent/conversations', { session: a });
			for (const c of (mine.json?.groups || []).flatMap((g) => g.conversations))
				await api('POST', `/api/v1/agent/conversations/${c.id}/close`, { session: a, body: {} });
		}));
		check(`drain pass ${pass}`);
	}
	assert.equal(Number(query(`SELECT COUNT(*) FROM queue_entries q JOIN rules r ON r.id = q.rule_id WHERE r.id IN (${rules.map((x) => x.id).join(',')})`)[0][0]), 0, 'every queue drained');
	const m = await (await fetch(url + '/metrics')).text();
	const retries = Number((m.match(/^kefu_db_tx_retries_total (\d+)/m) || [])[1] || 0);
	console.log(`# kefu_db_tx_retries_total ${retries}`);
});

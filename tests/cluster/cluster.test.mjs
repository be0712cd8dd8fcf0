// tests/cluster/cluster.test.mjs: the fault phases of tools/cluster test, against the running lab (KEFU_CLUSTER_STATE).
// Phase 1 kills the writer node under load, 2 partitions another, 4 restarts each node in turn, 3 kills an app host
// under parked long-polls; every load is bounded in count and time. KEFU_CLUSTER_QUICK=1 (tools/cluster test --quick)
// runs phases 1 to 3 with shorter loads and leaves out the rolling restart.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, newTenant, newAgent } from '../lib/kefu.mjs';
import { queueOrder } from '../lib/queue-order.mjs';

const STATE = process.env.KEFU_CLUSTER_STATE;
const TOOL = process.env.KEFU_CLUSTER_TOOL;
const DBS = ['db1', 'db2', 'db3'];
const QUICK = process.env.KEFU_CLUSTER_QUICK === '1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cluster(...args) {
	return execFileSync(TOOL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
}

// Rows of one query on one node, read on that node itself (its socket, not the router).
function onNode(node, query) {
	const out = execFileSync('mariadb', ['--no-defaults', '-S', `${STATE}/${node}/mysqld.sock`, '-uroot', 'kefu', '-N', '-B', '-e', query],
		{ encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
	return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

// HAProxy's view: [{backend, server, status, cur}]
function haproxy() {
	const out = execFileSync('socat', ['-t', '2', '-', `UNIX-CONNECT:${STATE}/haproxy.sock`], { input: 'show stat\n', encoding: 'utf8' });
	return out.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(','))
		.map((f) => ({ backend: f[0], server: f[1], cur: Number(f[4]), status: f[17] }))
		.filter((s) => s.server !== 'FRONTEND' && s.server !== 'BACKEND');
}

function writer() {
	const dbs = haproxy().filter((s) => s.backend === 'db' && s.status === 'UP');
	dbs.sort((a, b) => b.cur - a.cur);
	return dbs[0]?.server;
}

// A request that retries what a client would retry (503, 502, no answer) for up to 60 s.
const stats = { unavailable: 0, neterr: 0 };
async function call(fn) {
	for (let attempt = 0; attempt < 120; attempt++) {
		let r;
		try {
			r = await fn();
		} catch {
			stats.neterr++;
			await sleep(500);
			continue;
		}
		if (r.status === 503 || r.status === 502 || r.status === 504) {
			stats.unavailable++;
			await sleep(500);
			continue;
		}
		return r;
	}
	throw new Error('no answer for 60 s');
}

let T, channel, agents;
const convs = [];
// The queue: its own channel and rule (one conversation per agent) with a
// group of two agents, so conversations wait and each close drains the head.
let qchannel, qrule, qgroup, qagents;

async function newVisitor(ch = channel) {
	const r = await call(() => api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' } }));
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	return { headers, req: (method, path, body) => call(() => api(method, '/api/v1/widget' + path, { body, headers })) };
}

before(async () => {
	T = newTenant('cluster');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Cluster', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
	agents = [];
	for (let i = 0; i < 3; i++)
		agents.push(await newAgent(T, `Cluster ${i}`, 'online'));
	for (let i = 0; i < 9; i++) {
		const v = await newVisitor();
		const r = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
		assert.equal(r.status, 201, r.text);
		convs.push({ v, id: r.json.id, agent: r.json.agent ? agents.find((a) => a.id === r.json.agent.id) : null });
	}
	const qc = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Cluster queue', allowed_origins: [] } });
	assert.equal(qc.status, 201, qc.text);
	qchannel = qc.json;
	qagents = [await newAgent(T, 'Cluster queue 0'), await newAgent(T, 'Cluster queue 1')];
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'cluster-queue', member_user_ids: qagents.map((a) => a.id), member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	qgroup = g.json;
	const rr = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'cluster-queue', priority: 0, channel_ids: [qchannel.id], max_concurrent: 1, strategy: 'load', routing: { mode: 'rules', routes: [], fallback_group_id: qgroup.id } } });
	assert.equal(rr.status, 201, rr.text);
	qrule = rr.json;
	for (const a of qagents)
		assert.equal((await call(() => a.put('/api/v1/agent/status', { status: 'online' }))).status, 200);
});

// A phase that failed half way leaves a node down or cut off: heal before the next one.
afterEach(() => {
	try {
		execFileSync(TOOL, ['status'], { stdio: 'ignore', timeout: 60_000 });
	} catch {
		cluster('heal');
	}
});

after(() => {
	console.log(`client view: ${stats.unavailable} answers 502/503/504, ${stats.neterr} requests without an answer (all retried)`);
});

// Visitors post (until c.stopLoad), agents reply, bounded in count and time; every 2xx is recorded.
async function load({ ms, maxPosts, acked }) {
	const until = Date.now() + ms;
	let posts = 0;
	const loops = convs.map(async (c, k) => {
		for (let i = 0; Date.now() < until && posts < maxPosts && !c.stopLoad; i++) {
			posts++;
			const agentTurn = c.agent && i % 3 === 2;
			const text = `${agentTurn ? 'agent' : 'visitor'} ${c.id} #${i}`;
			const t0 = Date.now();
			const r = agentTurn
				? await call(() => c.agent.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text }))
				: await c.v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text });
			assert.equal(r.status, 201, r.text);
			acked.push({ id: r.json.id, conv: c.id, text, t0, t1: Date.now() });
			await sleep(20 + k);
		}
	});
	// Conversations starting and closing beside them (assignment and its
	// bookkeeping under the fault too).
	loops.push((async () => {
		for (let i = 0; Date.now() < until && posts < maxPosts && !convs[0].stopLoad; i++) {
			posts++;
			const v = await newVisitor();
			const r = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
			// 409: a start retried after its answer was lost (the node died after
			// COMMIT) finds the visitor's conversation open already.
			if (r.status === 409)
				continue;
			assert.equal(r.status, 201, r.text);
			const text = `short ${r.json.id}`;
			const m = await v.req('POST', `/conversations/${r.json.id}/messages`, { kind: 'text', text });
			assert.equal(m.status, 201, m.text);
			acked.push({ id: m.json.id, conv: r.json.id, text, t0: Date.now(), t1: Date.now() });
			const c = await v.req('POST', `/conversations/${r.json.id}/close`, {});
			// 409: a close retried after its answer was lost (the node died after COMMIT) finds it closed.
			assert.ok(c.status === 200 || c.status === 409, `close: ${c.status} ${c.text}`);
			await sleep(100);
		}
	})());
	// The queue under the fault: visitors keep arriving on the queue channel
	// (two agents, one conversation each, so most wait) while its agents close
	// what they hold, each close serving the head of the queue.
	let queued = 0;
	// The queue agents are in the default pool of the main channel too: they
	// close only the queue channel's conversations.
	const qconvs = new Set();
	loops.push((async () => {
		for (let i = 0; Date.now() < until && queued < 40 && !convs[0].stopLoad; i++) {
			const v = await newVisitor(qchannel);
			const r = await v.req('POST', '/conversations', { channel_key: qchannel.key, prechat: {} });
			assert.ok(r.status === 201 || r.status === 409, r.text); // 409 as above
			if (r.status === 201)
				qconvs.add(r.json.id);
			queued++;
			await sleep(100);
		}
	})());
	for (const a of qagents)
		loops.push((async () => {
			await sleep(3000); // let a queue build up first
			for (let i = 0; i < 40 && Date.now() < until && !convs[0].stopLoad; i++) {
				const mine = await call(() => a.get('/api/v1/agent/conversations'));
				const list = (mine.json?.groups || []).flatMap((x) => x.conversations).filter((x) => qconvs.has(x.id));
				// A close retried after its answer was lost finds it closed already.
				if (list.length)
					await call(() => a.post(`/api/v1/agent/conversations/${list[0].id}/close`, {}));
				await sleep(2500);
			}
		})());
	await Promise.all(loops);
}

// Queue order kept (tests/lib/kefu.mjs queueOrder, as tests/integration/assign-concurrency) on each node:
// every write goes to one writer at a time, whose auto-increment stays above
// every id it has applied from the previous writer, so the events' ids order them there too.
function queueOrderOn(node) {
	const q = queueOrder((query) => onNode(node, query), T.id);
	queueServed.set(node, q.served);
	return q.problems;
}
const queueServed = new Map();

function checkEveryNode(acked) {
	const ids = acked.map((a) => a.id);
	for (const node of DBS) {
		const rows = ids.length ? onNode(node, `SELECT id, conversation_id, text FROM messages WHERE id IN (${ids.join(',')})`) : [];
		assert.equal(rows.length, ids.length, `${node}: every acknowledged message is there once`);
		const byId = new Map(rows.map((r) => [Number(r[0]), r]));
		for (const a of acked) {
			const r = byId.get(a.id);
			assert.ok(r && Number(r[1]) === a.conv && r[2] === a.text, `${node}: message ${a.id} as acknowledged`);
		}
		// Every conversation of the tenant, the short and queued ones too.
		const mine = `conversation_id IN (SELECT id FROM conversations WHERE tenant_id = ${T.id})`;
		const seqs = onNode(node, `SELECT conversation_id, seq FROM (SELECT conversation_id, seq FROM events WHERE ${mine}
			UNION ALL SELECT conversation_id, seq FROM messages WHERE ${mine}) s ORDER BY conversation_id, seq`);
		const per = new Map();
		for (const [c, s] of seqs) {
			if (!per.has(c))
				per.set(c, []);
			per.get(c).push(Number(s));
		}
		for (const [c, list] of per)
			assert.deepEqual(list, list.map((_, i) => i + 1), `${node}: conversation ${c}'s stream is dense, no seq twice`);
		// The assignment invariants (as tests/integration/assign-concurrency): no
		// agent above the maximum, the live counters agree, assigned ⇔ one agent.
		const problems = [];
		// Rule 0 is the default pool (DEFAULT_MAX in src/domain/assign.c).
		const max = { 0: 1000, ...Object.fromEntries(onNode(node, `SELECT id, max_concurrent FROM rules WHERE tenant_id = ${T.id}`).map(([id, m]) => [id, Number(m)])) };
		const live = onNode(node, `SELECT COALESCE(rule_id, 0), agent_user_id, COUNT(*) FROM conversations WHERE tenant_id = ${T.id} AND status = 'assigned' GROUP BY 1, agent_user_id`);
		const liveOf = new Map(live.map(([r, u, n]) => [`${r}/${u}`, Number(n)]));
		for (const [r, u, n] of live)
			if (Number(n) > max[r]) problems.push(`agent ${u} holds ${n} > max ${max[r]} under rule ${r}`);
		for (const [r, u, l] of onNode(node, `SELECT rule_id, user_id, live FROM agent_load WHERE tenant_id = ${T.id}`))
			if (Number(l) !== (liveOf.get(`${r}/${u}`) || 0)) problems.push(`agent_load ${r}/${u} live ${l} but ${liveOf.get(`${r}/${u}`) || 0} assigned`);
		for (const [id, st, ag, q] of onNode(node, `SELECT c.id, c.status, c.agent_user_id, (SELECT COUNT(*) FROM queue_entries q WHERE q.conversation_id = c.id) FROM conversations c WHERE c.tenant_id = ${T.id}`)) {
			if (st === 'assigned' && (ag === 'NULL' || q !== '0')) problems.push(`conversation ${id} assigned with agent ${ag}, ${q} queue entries`);
			if (st === 'queued' && (ag !== 'NULL' || q !== '1')) problems.push(`conversation ${id} queued with agent ${ag}, ${q} queue entries`);
			if (st !== 'queued' && q !== '0') problems.push(`conversation ${id} ${st} still has a queue entry`);
		}
		// Nobody waits while an eligible member has room (the load has ended: no close is half done).
		const online = new Set(onNode(node, `SELECT id FROM users WHERE tenant_id = ${T.id} AND status = 'online' AND deleted_at IS NULL`).map(([id]) => Number(id)));
		const members = { [qgroup.id]: qgroup.member_user_ids };
		for (const [cid, r, g] of onNode(node, `SELECT conversation_id, rule_id, group_id FROM queue_entries WHERE tenant_id = ${T.id} AND owner_user_id IS NULL`))
			for (const u of members[g] || [])
				if (online.has(u) && (liveOf.get(`${r}/${u}`) || 0) < max[r])
					problems.push(`conversation ${cid} waits in ${r}/${g} while agent ${u} has room`);
		problems.push(...queueOrderOn(node));
		assert.deepEqual(problems.slice(0, 20), [], `${node}: ${problems.length} assignment invariant violation(s)`);
	}
	// The same rows on every node: checksums of the stream tables.
	const sums = DBS.map((n) => onNode(n, 'CHECKSUM TABLE messages, events, user_events, stream_seqs, conversations, queue_entries, agent_load').map((r) => r[1]).join(' '));
	assert.equal(new Set(sums).size, 1, `the nodes hold the same rows: ${sums.join(' | ')}`);
	return queueServed.get(DBS[0]);
}

test('a page view, one call of the stored procedure pageview_by_token (schema/0040), is written on every node', async () => {
	const ch = await call(() => api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Cluster views', allowed_origins: [], tracking: true } }));
	assert.equal(ch.status, 201, ch.text);
	const v = await newVisitor(ch.json);
	const url = `https://shop.example/cluster-${Date.now()}`;
	const r = await v.req('POST', '/visitors/me/pageviews', { url, title: 'Cluster' });
	assert.equal(r.status, 201, r.text);
	for (const node of DBS) {
		let rows = [];
		for (let i = 0; i < 100 && rows.length === 0; i++) {
			rows = onNode(node, `SELECT p.visitor_id, v.pages_viewed FROM pageviews p JOIN visitors v ON v.id = p.visitor_id WHERE p.tenant_id = ${T.id} AND p.url = '${url}'`);
			if (rows.length === 0)
				await sleep(100);
		}
		assert.equal(rows.length, 1, `${node}: the page view`);
		assert.equal(rows[0][1], '1', `${node}: the visitor's pages viewed`);
	}
});

test('phase 1: kill -9 the writer node under load: writes move on, nothing acknowledged is lost or doubled', async () => {
	const acked = [];
	const before = writer();
	assert.ok(before, 'a writer before the fault');
	const loading = load({ ms: QUICK ? 18_000 : 25_000, maxPosts: 1500, acked });
	await sleep(QUICK ? 4000 : 5000);
	const killedAt = Date.now();
	cluster('fault', 'kill', before);
	await loading;
	const after = writer();
	assert.ok(after && after !== before, `writes moved from ${before} (now ${after})`);
	// Failover: the longest time without an acknowledged write around the kill.
	const ends = acked.map((a) => a.t1).sort((x, y) => x - y);
	let gap = 0;
	for (let i = 1; i < ends.length; i++)
		if (ends[i] >= killedAt && ends[i - 1] <= killedAt + 60_000)
			gap = Math.max(gap, ends[i] - Math.max(ends[i - 1], killedAt));
	console.log(`phase 1: writer ${before} killed, writes on ${after}; ${acked.length} messages acknowledged; failover (longest write gap after the kill) ${gap} ms; ${stats.unavailable} 5xx answers and ${stats.neterr} without answer so far`);
	assert.ok(acked.some((a) => a.t0 > killedAt + gap), 'writes acknowledged after the failover');
	cluster('heal');
	const served = checkEveryNode(acked);
	console.log(`phase 1: ${served} conversations served from the queue, in order, on every node`);
	assert.ok(served > 0, 'the queue was drained during the phase (its order was tested)');
});

test('phase 2: partition a non-writer node under load: it drops out, clients only retry, healed it holds the same rows', async () => {
	const acked = [];
	const w = writer();
	const victim = DBS.find((n) => n !== w);
	const bad = stats.unavailable;
	const loading = load({ ms: QUICK ? 9000 : 15_000, maxPosts: 600, acked });
	await sleep(3000);
	cluster('fault', 'partition', victim);
	let size;
	for (let i = 0; i < 60; i++) { // Galera evicts it after evs.suspect_timeout (5 s)
		size = onNode(w, "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'")[0][1];
		if (size === '2')
			break;
		await sleep(500);
	}
	assert.equal(size, '2', `${victim} dropped out of the cluster`);
	await loading;
	assert.equal(writer(), w, 'the writer stayed');
	console.log(`phase 2: ${victim} partitioned; ${acked.length} messages acknowledged; ${stats.unavailable - bad} 5xx answers during the phase`);
	cluster('heal');
	checkEveryNode(acked);
});

test('phase 4: rolling restart of the three DB nodes under load: nothing acknowledged lost', { skip: QUICK && 'left out by --quick' }, async () => {
	const acked = [];
	const bad = stats.unavailable;
	let done = false;
	const loading = load({ ms: 150_000, maxPosts: 3000, acked }).finally(() => (done = true));
	for (const node of DBS) {
		if (done)
			break;
		await sleep(2000);
		cluster('fault', 'stop', node);
		await sleep(2000);
		cluster('heal');
	}
	await sleep(2000);
	// The load is bounded; end it early once the restarts are through.
	convs.forEach((c) => c.stopLoad = true);
	await loading;
	console.log(`phase 4: rolling restart; ${acked.length} messages acknowledged; ${stats.unavailable - bad} 5xx answers during the phase`);
	checkEveryNode(acked);
});

test('phase 3: kill an app host: HAProxy drops it, long-polls resume on the other host and miss nothing', async () => {
	const assignedConvs = convs.filter((c) => c.agent);
	const seen = new Map(agents.map((a) => [a.id, new Set()]));
	let stop = false;
	// One long-poll loop per agent on its stream, resuming by cursor after any failure.
	const polls = agents.map(async (a) => {
		let r = await call(() => a.get('/api/v1/agent/events?after=0'));
		let next = r.json.next;
		while (!stop) {
			try {
				r = await a.get(`/api/v1/agent/events?after=${next}&wait=10`);
			} catch {
				await sleep(200);
				continue;
			}
			if (r.status !== 200) {
				await sleep(200);
				continue;
			}
			for (const e of r.json.events)
				if (e.type === 'message')
					seen.get(a.id).add(e.message.id);
			next = r.json.next;
		}
	});
	await sleep(1500); // parked on both hosts (round robin)
	const victim = 'app2';
	cluster('fault', 'kill', victim);
	const acked = [];
	const texts = new Map();
	const until = Date.now() + 20_000;
	for (let i = 0; i < 30 && Date.now() < until; i++) {
		const c = assignedConvs[i % assignedConvs.length];
		const text = `after the app host died ${c.id} #${i}`;
		const r = await c.v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text });
		assert.equal(r.status, 201, r.text);
		acked.push({ id: r.json.id, agent: c.agent.id });
		texts.set(r.json.id, { conv: c.id, text });
		await sleep(100);
	}
	const down = haproxy().find((s) => s.backend === 'app' && s.server === victim);
	assert.match(down.status, /DOWN/, `HAProxy dropped ${victim}`);
	// Every acknowledged message reaches its agent's long-poll within 15 s.
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline && !acked.every((a) => seen.get(a.agent).has(a.id)))
		await sleep(200);
	stop = true;
	const missing = acked.filter((a) => !seen.get(a.agent).has(a.id));
	assert.deepEqual(missing, [], 'the long-polls on the surviving host delivered every message');
	await Promise.all(polls);
	cluster('heal');
	const up = haproxy().find((s) => s.backend === 'app' && s.server === victim);
	assert.match(up.status, /UP/, `${victim} back in HAProxy after heal`);
	checkEveryNode(acked.map((a) => ({ ...a, ...texts.get(a.id) })));
});

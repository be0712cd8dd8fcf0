// tests/integration/assign-multirow.test.mjs: a batch writes its queue entries, its conversations and its closes, and a drain the heads it serves, in one statement each however many there are, with the places, the load, the queue order, the answers and the streams right; a visitor on no live list costs no read of it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { generalLog, ownStack } from '../lib/own-stack.mjs';

// Statements are counted server-wide: a stack of its own (tests/lib/own-stack.mjs).
const { api, newTenant, Session, unique, newAgent, widgetVisitor, sql, holdRuleLock } = await ownStack('amulti');

let T;

before(async () => {
	T = newTenant('amulti');
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	await admin.put('/api/v1/agent/status', { status: 'offline' });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The statements the requests sent: the periodic queue drain's, which runs each
// second at its own pace (and more of its runs fall in a slower window), left out.
const requestLog = (fn) => generalLog(fn, { periodic: false });

// agents agents in one group under a rule with room for max each.
async function setup(agents, max, channel = {}) {
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: unique('ch'), allowed_origins: [], ...channel } });
	assert.equal(ch.status, 201, ch.text);
	const as = [];
	for (let i = 0; i < agents; i++) as.push(await newAgent(T, unique('A')));
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: unique('g'), member_user_ids: as.map((a) => a.id), member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: unique('rule'), channel_ids: [ch.json.id], max_concurrent: max, routing: { mode: 'rules', fallback_group_id: g.json.id }, welcome_message: 'Hello' } });
	assert.equal(r.status, 201, r.text);
	for (const a of as) assert.equal((await a.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	const tenant = Number(sql(`SELECT tenant_id FROM rules WHERE id = ${r.json.id}`)[0][0]);
	return { key: ch.json.key, agents: as, rule: r.json.id, tenant };
}

// Every conversation's stream numbered 1, 2, ... in order, the welcome first.
function checkStreams(ids) {
	for (const id of ids) {
		const seqs = sql(`SELECT seq FROM events WHERE conversation_id = ${id} UNION ALL SELECT seq FROM messages WHERE conversation_id = ${id} ORDER BY seq`).map((r) => Number(r[0]));
		assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `conversation ${id}'s stream`);
		assert.equal(sql(`SELECT text FROM messages WHERE conversation_id = ${id} AND seq = 1`)[0]?.[0], 'Hello', `conversation ${id}: the welcome first`);
	}
}

// Every agent's stream numbered 1, 2, ... in order (user_events and the
// messages that are their own entries), each entry pointing at an event of
// its conversation that exists.
function checkAgentStreams(s) {
	for (const a of s.agents) {
		const seqs = sql(`SELECT seq FROM user_events WHERE user_id = ${a.id} UNION ALL SELECT stream_user_seq FROM messages WHERE stream_user_id = ${a.id} ORDER BY 1`).map((r) => Number(r[0]));
		assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `agent ${a.id}'s stream`);
		const dangling = Number(sql(`SELECT COUNT(*) FROM user_events u LEFT JOIN events e ON e.conversation_id = u.conversation_id AND e.seq = u.event_seq LEFT JOIN messages m ON m.conversation_id = u.conversation_id AND m.seq = u.event_seq WHERE u.user_id = ${a.id} AND u.conversation_id <> 0 AND e.id IS NULL AND m.id IS NULL`)[0][0]);
		assert.equal(dangling, 0, `agent ${a.id}'s entries each point at an event`);
	}
}

const load = (s) => sql(`SELECT user_id, live FROM agent_load WHERE rule_id = ${s.rule} ORDER BY user_id`).map((r) => Number(r[1]));
const liveCounts = (s) => s.agents.map((a) => Number(sql(`SELECT COUNT(*) FROM conversations WHERE rule_id = ${s.rule} AND status = 'assigned' AND agent_user_id = ${a.id}`)[0][0]));

// n visitors of s's channel.
async function visitors(s, n) {
	const vs = [];
	for (let i = 0; i < n; i++) vs.push(await widgetVisitor(s.key, { locale: 'en' }));
	return vs;
}

// n visitors of s's channel who each start a conversation, one after another: the visitors and the answers.
async function startEach(s, n) {
	const vs = await visitors(s, n);
	const cs = [];
	for (const v of vs) cs.push((await v.req('POST', '/conversations', { channel_key: s.key, prechat: {} })).json);
	return { vs, cs };
}

// Starts while the rule's lock is held elsewhere, so that they gather in
// the workers' batchers: their answers, in the order sent.
async function startTogether(s, vs) {
	const release = await holdRuleLock(s.tenant, s.rule);
	const answers = vs.map((v) => v.req('POST', '/conversations', { channel_key: s.key, prechat: {} }));
	await sleep(500);
	await release();
	const rs = await Promise.all(answers);
	for (const r of rs) assert.equal(r.status, 201, r.text);
	return rs.map((r) => r.json);
}

test('queued starts of a batch: one INSERT of their queue entries, places 1..n as answered', async () => {
	const s = await setup(1, 1);
	const first = await widgetVisitor(s.key, { locale: 'en' });
	assert.equal((await first.req('POST', '/conversations', { channel_key: s.key, prechat: {} })).json.status, 'assigned');
	const N = 24;
	const vs = await visitors(s, N);
	let cs;
	const log = await requestLog(async () => {
		cs = await startTogether(s, vs);
	});
	const adds = log.filter((q) => /^INSERT INTO queue_entries/.test(q)).length;
	console.log(`# ${N} queued starts: ${adds} INSERTs of queue entries`);
	// Before: one INSERT ... SELECT (the entry with its place) per start, 24;
	// now one per batch: each worker's first start waits at the lock alone,
	// the rest gather behind it (2 workers).
	assert.ok(adds <= 6, `${adds} INSERTs of queue entries for ${N} queued starts`);
	assert.deepEqual(cs.map((c) => c.status), cs.map(() => 'queued'));
	const q = sql(`SELECT conversation_id, position FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`);
	assert.deepEqual(q.map((r) => Number(r[1])), cs.map((_, i) => i + 1), 'places 1..n in the order of the entries');
	const byId = new Map(cs.map((c) => [c.id, c.queue_position]));
	for (const [cid, pos] of q) assert.equal(byId.get(Number(cid)), Number(pos), `conversation ${cid}'s answer`);
	// Each one's queued event carries the place it got.
	for (const [cid, pos] of q) {
		const ev = sql(`SELECT body FROM events WHERE conversation_id = ${cid} AND type = 'status' ORDER BY seq`).map((r) => JSON.parse(r[0]));
		assert.deepEqual(ev.map((e) => [e.status, e.queue_position]), [['queued', Number(pos)]], `conversation ${cid}'s events`);
	}
	checkStreams(cs.map((c) => c.id));
});

test('closes that free several rooms: the heads served in one DELETE and one booking, in queue order, the load in step', async () => {
	const s = await setup(3, 4);
	const { vs, cs } = await startEach(s, 24);
	assert.deepEqual(cs.map((c) => c.status), [...Array(12).fill('assigned'), ...Array(12).fill('queued')]);
	const order = sql(`SELECT conversation_id FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`).map((r) => Number(r[0]));
	assert.deepEqual(order, cs.slice(12).map((c) => c.id));
	const log = await requestLog(async () => {
		const release = await holdRuleLock(s.tenant, s.rule);
		const closing = cs.slice(0, 10).map((c, i) => vs[i].req('POST', `/conversations/${c.id}/close`, {}));
		await sleep(500);
		await release();
		for (const r of await Promise.all(closing)) assert.equal(r.status, 200, r.text);
	});
	const deletes = log.filter((q) => /^DELETE .*queue_entries/.test(q)).length;
	const books = log.filter((q) => /agent_load.* SET (l\.)?live = (GREATEST\(l\.live - j\.f, 0\)|(l\.)?live) \+/.test(q)).length;
	console.log(`# 10 closes serving 10 heads: ${deletes} DELETEs of queue entries, ${books} bookings`);
	// Before: a DELETE and a booking of each served entry (10 each); now one
	// of each per drain: each worker's first close alone, then one batch
	// each (2 workers).
	assert.ok(deletes <= 5, `${deletes} DELETEs for 10 heads served`);
	assert.ok(books >= 1 && books <= 5, `${books} bookings for 10 heads served`);
	// The ten at the head were served, in order; the two behind moved up.
	const status = (id) => sql(`SELECT status FROM conversations WHERE id = ${id}`)[0][0];
	assert.deepEqual(order.map(status), [...Array(10).fill('assigned'), 'queued', 'queued']);
	assert.deepEqual(sql(`SELECT conversation_id, position FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`).map((r) => r.map(Number)), [[order[10], 1], [order[11], 2]]);
	assert.deepEqual(liveCounts(s), [4, 4, 4], 'every agent full again');
	assert.deepEqual(load(s), [4, 4, 4], 'agent_load in step');
	// Each served one's events: queued with its place, then assigned from the queue, once.
	for (const [i, id] of order.slice(0, 10).entries()) {
		const ev = sql(`SELECT body FROM events WHERE conversation_id = ${id} AND type = 'status' ORDER BY seq`).map((r) => JSON.parse(r[0]));
		assert.equal(ev[0].status, 'queued');
		assert.equal(ev[0].queue_position, i + 1);
		assert.deepEqual(ev.filter((e) => e.status === 'assigned').map((e) => e.via), ['queue'], `conversation ${id} served once`);
	}
	checkStreams(cs.map((c) => c.id));
	checkAgentStreams(s);
	// The served agents' assignment counts follow their load.
	const today = sql(`SELECT SUM(assigned_today) FROM agent_load WHERE rule_id = ${s.rule}`)[0][0];
	assert.equal(Number(today), 22, 'assigned_today counts every assignment of the day');
});

test('a close that serves the head of its rule\'s one queue: the lock tells which queue, no look for the rule\'s queues', async () => {
	const s = await setup(1, 1);
	const { vs, cs } = await startEach(s, 12);
	assert.deepEqual(cs.map((c) => c.status), ['assigned', ...Array(11).fill('queued')]);
	// Each close frees the agent's room and serves the next in the queue.
	const log = await requestLog(async () => {
		for (let i = 0; i < 8; i++)
			assert.equal((await vs[i].req('POST', `/conversations/${cs[i].id}/close`, {})).status, 200);
	});
	const looks = log.filter((q) => /SELECT DISTINCT rule_id, group_id FROM queue_entries/.test(q)).length;
	const locks = log.filter((q) => /^UPDATE assign_state SET decisions/.test(q)).length;
	const loads = log.filter((q) => /^UPDATE .*\bagent_load\b/.test(q)).length;
	console.log(`# 8 closes serving the head: ${locks} lock statements, ${looks} looks for the rule's queues, ${loads} UPDATEs of agent_load`);
	assert.ok(locks >= 8, `${locks} lock statements`);
	// Before: a SELECT DISTINCT of the rule's queues' groups in each close's
	// lock; now the lock's statement says the one group.
	assert.equal(looks, 0, `${looks} looks for the rule's queues in 8 closes`);
	// Before: each close freed its agent's room in an UPDATE of its own and
	// the drain booked the head's agent in another (16); now the freed room
	// goes with the booking, one UPDATE a close.
	assert.equal(loads, 8, `${loads} UPDATEs of agent_load in 8 closes`);
	// Before: the served conversation given to its agent in an UPDATE of its
	// own after the booking (8); now in the booking's statement.
	const gives = log.filter((q) => /^UPDATE JSON_TABLE\(.* conversations c .*SET .*c\.status = 'assigned'/.test(q));
	console.log(`# 8 closes serving the head: ${gives.filter((q) => !/agent_load/.test(q)).length} UPDATEs giving conversations alone`);
	assert.equal(gives.filter((q) => !/agent_load/.test(q)).length, 0, 'no UPDATE of the served conversations of its own');
	assert.equal(gives.length, 8, 'each served conversation given with its booking');
	// Before: the rule read ahead of the lock in a statement of its own, the
	// group in another (8 each); now the rule's document comes with the group.
	const ruleReads = log.filter((q) => /^SELECT r\.id, r\.doc\b/.test(q)).length;
	const groupReads = log.filter((q) => /FROM agent_groups g WHERE g\.tenant_id/.test(q)).length;
	console.log(`# 8 closes serving the head: ${ruleReads} reads of the rule, ${groupReads} of the group`);
	assert.equal(ruleReads, 0, `${ruleReads} reads of the rule of its own in 8 closes`);
	assert.ok(groupReads <= 8, `${groupReads} reads of the group in 8 closes`);
	// Before: the queue's head read, then the conversation served locked
	// and its status checked in a statement of its own (8); now the head's
	// conversations come locked with the head.
	const heads = log.filter((q) => /FROM queue_entries q LEFT JOIN conversations c .* FOR UPDATE$/.test(q)).length;
	const convLocks = log.filter((q) => /^SELECT c\.id, c\.status FROM conversations c JOIN JSON_TABLE/.test(q)).length;
	console.log(`# 8 closes serving the head: ${heads} head reads with their conversations, ${convLocks} locks of the served conversations alone`);
	assert.equal(convLocks, 0, `${convLocks} statements locking the served conversations in 8 closes`);
	assert.equal(heads, 8, `${heads} head reads in 8 closes`);
	checkStreams(cs.map((c) => c.id));
	checkAgentStreams(s);
	// Each served one: queued with its place, then assigned from the queue, in its agent's stream too.
	for (const c of cs.slice(1, 9)) {
		const ev = sql(`SELECT seq, body FROM events WHERE conversation_id = ${c.id} AND type = 'status' ORDER BY seq`).map((r) => [Number(r[0]), JSON.parse(r[1])]);
		assert.equal(ev[0][1].status, 'queued', `conversation ${c.id}'s first status`);
		const served = ev.filter(([, e]) => e.status === 'assigned' && e.via === 'queue');
		assert.equal(served.length, 1, `conversation ${c.id} served once`);
		assert.equal(Number(sql(`SELECT COUNT(*) FROM user_events WHERE user_id = ${s.agents[0].id} AND conversation_id = ${c.id} AND event_seq = ${served[0][0]}`)[0][0]), 1, `conversation ${c.id}'s assignment in its agent's stream`);
	}
	const today = sql(`SELECT assigned_today, live FROM agent_load WHERE rule_id = ${s.rule}`)[0].map(Number);
	assert.deepEqual(today, [9, 1], 'every assignment counted once, the one served last live');
	assert.deepEqual(cs.slice(0, 9).map((c) => sql(`SELECT status FROM conversations WHERE id = ${c.id}`)[0][0]), [...Array(8).fill('closed'), 'assigned']);
	assert.deepEqual(sql(`SELECT position FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`).map((r) => Number(r[0])), [1, 2, 3]);
	assert.deepEqual(load(s), [1]);
});

// The agents' live-list item of a visitor (store-insight.c's LIVE_COLUMNS).
const liveReads = (log) => log.filter((q) => /COALESCE\(l\.pageview_id, 0\)/.test(q)).length;

test('a start and a close of a visitor on no live list (visitor insight off): no read of its live-list item; with insight on, one each', async () => {
	const s = await setup(1, 2);
	const v = await widgetVisitor(s.key, { locale: 'en' });
	let c;
	const log = await requestLog(async () => {
		c = (await v.req('POST', '/conversations', { channel_key: s.key, prechat: {} })).json;
		assert.equal(c.status, 'assigned');
		assert.equal((await v.req('POST', `/conversations/${c.id}/close`, {})).status, 200);
	});
	console.log(`# a start and a close, insight off: ${liveReads(log)} live-list reads`);
	// Before: one after the start's commit, one after the close's.
	assert.equal(liveReads(log), 0, 'no live-list read');
	// A channel with visitor insight on: its visitors may be listed, each change is read.
	const t = await setup(1, 2, { tracking: true });
	const w = await widgetVisitor(t.key, { locale: 'en' });
	const log2 = await requestLog(async () => {
		c = (await w.req('POST', '/conversations', { channel_key: t.key, prechat: {} })).json;
		assert.equal(c.status, 'assigned');
		assert.equal((await w.req('POST', `/conversations/${c.id}/close`, {})).status, 200);
	});
	assert.equal(liveReads(log2), 2, 'insight on: the start and the close each read the item');
});

test('closes of a batch: one locking read and one UPDATE for all, no read of the closed rows after it, no outbox statement without webhooks, one row each with one; the answers as closed', async () => {
	const s = await setup(1, 12);
	const { vs, cs } = await startEach(s, 22);
	assert.deepEqual(cs.map((c) => c.status), [...Array(12).fill('assigned'), ...Array(10).fill('queued')]);
	// Ten closes gathered behind the rule's lock; the tenant has no webhook.
	const closeTogether = async (from, to) => {
		let answers;
		const log = await requestLog(async () => {
			const release = await holdRuleLock(s.tenant, s.rule);
			const closing = cs.slice(from, to).map((c, i) => vs[from + i].req('POST', `/conversations/${c.id}/close`, {}));
			await sleep(500);
			await release();
			answers = await Promise.all(closing);
		});
		for (const [i, r] of answers.entries()) {
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.id, cs[from + i].id);
			assert.equal(r.json.status, 'closed');
			assert.ok(r.json.closed_at, 'the answer has closed_at');
			// The answer is the row as stored, the agent's name included.
			const [at] = sql(`SELECT DATE_FORMAT(closed_at, '%Y-%m-%dT%H:%i:%s') FROM conversations WHERE id = ${r.json.id}`)[0];
			assert.equal(new Date(r.json.closed_at).getTime(), new Date(`${at.slice(0, 19)}Z`).getTime(), `conversation ${r.json.id}'s closed_at as stored (to the second, as answered)`);
			assert.equal(r.json.agent?.name, s.agents[0].name, `conversation ${r.json.id}'s agent`);
		}
		return log;
	};
	let log = await closeTogether(0, 10);
	const updates = log.filter((q) => /^UPDATE conversations SET closed_from/.test(q)).length;
	const outbox = log.filter((q) => /^INSERT INTO webhook_outbox/.test(q)).length;
	const oneReads = log.filter((q) => /^SELECT c\.id, c\.tenant_id, .* FROM conversations c LEFT JOIN users u .* WHERE c\.tenant_id = \d+ AND c\.id = \d+$/.test(q)).length;
	console.log(`# 10 closes: ${updates} closing UPDATEs, ${outbox} outbox INSERTs, ${oneReads} one-row reads`);
	// Before: per close one UPDATE, one read for the outbox row's body, its
	// INSERT ... SELECT and one read for the answer after the commit (10, 20,
	// 10); now each worker's first close alone, the rest in one batch each.
	assert.ok(updates <= 7, `${updates} closing UPDATEs for 10 closes`);
	assert.equal(outbox, 0, 'no outbox statement: the tenant has no webhook');
	assert.equal(oneReads, 0, 'no one-row read of a closed conversation');
	// Before: the closed rows read after the closing UPDATE, once per batch;
	// now the lock's read brings them (the agent's name, the clock, webhooks).
	const afterReads = log.filter((q) => /^SELECT c\.id, c\.tenant_id, .* FROM conversations c LEFT JOIN users u ON .* c\.id IN \(/.test(q)).length;
	console.log(`# 10 closes: ${afterReads} reads of the closed rows after the UPDATE`);
	assert.equal(afterReads, 0, 'no read of the closed rows after the closing UPDATE');
	assert.deepEqual(cs.slice(0, 10).map((c) => sql(`SELECT status, closed_by FROM conversations WHERE id = ${c.id}`)[0]), Array(10).fill(['closed', 'visitor']));
	// With a webhook for conversation.closed: one outbox row per close, its body the closed conversation.
	const hook = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: 'http://127.0.0.1:9/amulti', events: ['conversation.closed'] } });
	assert.equal(hook.status, 201, hook.text);
	try {
		log = await closeTogether(10, 16);
		for (const c of cs.slice(10, 16)) {
			const rows = sql(`SELECT body FROM webhook_outbox WHERE webhook_id = ${hook.json.id} AND event = 'conversation.closed' AND body LIKE '%"id":${c.id},%'`);
			assert.equal(rows.length, 1, `conversation ${c.id}: one outbox row`);
			const body = JSON.parse(rows[0][0]);
			assert.equal(body.data.conversation.status, 'closed');
			assert.ok(body.data.conversation.closed_at);
		}
	} finally {
		assert.equal((await api('DELETE', `/api/v1/admin/webhooks/${hook.json.id}`, { key: T.apiKey })).status, 204);
	}
	// The ten that waited were served by the first ten closes; the six
	// closed after them leave six of the twelve assigned, the load in step.
	assert.equal(sql(`SELECT COUNT(*) FROM queue_entries WHERE rule_id = ${s.rule}`)[0][0], '0');
	assert.deepEqual(liveCounts(s), [6]);
	assert.deepEqual(load(s), [6]);
	checkStreams(cs.map((c) => c.id));
	checkAgentStreams(s);
});

test('starts of a batch: one INSERT of their conversations; a visitor starting three times at once, and one already in a conversation, each get their one conversation', async () => {
	const s = await setup(2, 20);
	const old = await widgetVisitor(s.key, { locale: 'en' });
	const open = (await old.req('POST', '/conversations', { channel_key: s.key, prechat: {} })).json;
	assert.equal(open.status, 'assigned');
	const N = 16;
	const vs = await visitors(s, N);
	const twice = vs[3];
	let rs;
	const log = await requestLog(async () => {
		const release = await holdRuleLock(s.tenant, s.rule);
		const answers = [...vs, twice, old, twice].map((v) => v.req('POST', '/conversations', { channel_key: s.key, prechat: {} }));
		await sleep(500);
		await release();
		rs = await Promise.all(answers);
	});
	for (const r of rs) assert.equal(r.status, 201, r.text);
	const inserts = log.filter((q) => /^INSERT (IGNORE )?INTO conversations/.test(q)).length;
	console.log(`# ${N + 3} starts of ${N + 1} visitors: ${inserts} INSERTs of conversations`);
	// Before: one INSERT per start (19, the refused ones too); now one per batch.
	assert.ok(inserts <= 8, `${inserts} INSERTs of conversations for ${N + 3} starts`);
	// One conversation each: the three answers of the visitor who started three times name one.
	assert.equal(new Set([rs[3].json.id, rs[N].json.id, rs[N + 2].json.id]).size, 1, 'three starts, one conversation');
	assert.equal(rs[N + 1].json.id, open.id, 'the one in a conversation gets it back');
	assert.equal(rs[N + 1].json.resumed, true);
	assert.equal(new Set(rs.slice(0, N).map((r) => r.json.id)).size, N, 'a conversation of its own for every visitor');
	for (const v of [...vs, old]) {
		const n = sql(`SELECT COUNT(*) FROM conversations WHERE visitor_id = ${v.id}`)[0][0];
		assert.equal(n, '1', 'one conversation a visitor');
	}
	assert.deepEqual(rs.map((r) => r.json.status), rs.map(() => 'assigned'));
	assert.equal(sql(`SELECT SUM(live) FROM agent_load WHERE rule_id = ${s.rule}`)[0][0], String(N + 1), 'the load counts each conversation once');
	checkStreams([...new Set(rs.map((r) => r.json.id))]);
});

test('a close whose agent has no agent_load row (gone since): the freed room that goes with the booking frees nothing, the close and the head\'s service go through', async () => {
	const s = await setup(2, 1);
	const { vs, cs } = await startEach(s, 3);
	assert.deepEqual(cs.map((c) => c.status), ['assigned', 'assigned', 'queued']);
	const first = Number(sql(`SELECT agent_user_id FROM conversations WHERE id = ${cs[0].id}`)[0][0]);
	// The row of the first one's agent is gone; the close frees nothing
	// there, and its room still serves the head (that agent's row made again).
	sql(`DELETE FROM agent_load WHERE rule_id = ${s.rule} AND user_id = ${first}`);
	const r = await vs[0].req('POST', `/conversations/${cs[0].id}/close`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(sql(`SELECT status FROM conversations WHERE id = ${cs[2].id}`)[0][0], 'assigned');
	assert.equal(Number(sql(`SELECT agent_user_id FROM conversations WHERE id = ${cs[2].id}`)[0][0]), first);
	assert.equal(Number(sql(`SELECT live FROM agent_load WHERE rule_id = ${s.rule} AND user_id = ${first}`)[0][0]), 1);
	// A second close, of the other agent's, whose row is gone too, with
	// nobody waiting: a free alone, of no row.
	const other = Number(sql(`SELECT agent_user_id FROM conversations WHERE id = ${cs[1].id}`)[0][0]);
	sql(`DELETE FROM agent_load WHERE rule_id = ${s.rule} AND user_id = ${other}`);
	const r2 = await vs[1].req('POST', `/conversations/${cs[1].id}/close`, {});
	assert.equal(r2.status, 200, r2.text);
	assert.equal(sql(`SELECT SUM(live) FROM agent_load WHERE rule_id = ${s.rule}`)[0][0], '1');
});

test('a close that serves the head: its writes that answer nothing go with the next round trip, so the rule\'s lock is held for 6 round trips', async () => {
	const s = await setup(1, 1);
	const { vs, cs } = await startEach(s, 12);
	assert.deepEqual(cs.map((c) => c.status), ['assigned', ...Array(11).fill('queued')]);
	// Each query as the server got it: a round trip, whatever it holds.
	const log = await generalLog(async () => {
		for (let i = 0; i < 8; i++)
			assert.equal((await vs[i].req('POST', `/conversations/${cs[i].id}/close`, {})).status, 200);
	}, { periodic: false, threads: true, split: false });
	// Per connection, from the lock's statement to the query that commits.
	const held = [];
	const from = new Map();
	for (const [th, q] of log) {
		if (/^UPDATE assign_state SET decisions/.test(q)) from.set(th, []);
		if (!from.has(th)) continue;
		from.get(th).push(q);
		if (/(^|;)\s*COMMIT\s*$/i.test(q)) {
			held.push(from.get(th));
			from.delete(th);
		}
	}
	console.log(`# 8 closes serving the head: round trips holding the rule's lock ${held.map((h) => h.length).join(', ')}`);
	assert.ok(held.length >= 8, `${held.length} holds of the lock`);
	// Before: the lock, the members, the head, the DELETE of its entry, the
	// booking, the new positions, the streams' numbers, the events, the
	// agents' pointers, the COMMIT (10); now the DELETE goes with the
	// booking, the positions with the streams' numbers, the events and the
	// pointers with the COMMIT.
	for (const h of held) assert.ok(h.length <= 6, `${h.length} round trips holding the lock: ${h.map((q) => q.slice(0, 40)).join(' | ')}`);
	// Nothing else changed: each served once, in order, every stream dense.
	const served = sql(`SELECT id FROM conversations WHERE id IN (${cs.slice(1, 9).map((c) => c.id).join(',')}) AND assigned_at IS NOT NULL`).length;
	assert.equal(served, 8);
	assert.deepEqual(load(s), [1]);
	assert.deepEqual(liveCounts(s), [1]);
	checkStreams(cs.map((c) => c.id));
	checkAgentStreams(s);
});

// One connection's transactions in a general log of [connection, text]: the statements between COMMITs.
function transactions(log) {
	const open = new Map(), done = [];
	for (const [th, q] of log) {
		if (!open.has(th)) open.set(th, []);
		if (/^(COMMIT|ROLLBACK)$/i.test(q.trim())) {
			done.push(open.get(th));
			open.set(th, []);
		} else open.get(th).push(q);
	}
	return done;
}

test('starts and closes arriving together: one transaction and one hold of the rule\'s lock for both, the closes first (the heads served), then the starts', async () => {
	// Whether a worker has both kinds behind its first request depends on how
	// lighttpd spreads them over the workers: up to three rounds, each with
	// every check below, for one where they met.
	let mixed = [];
	for (let round = 0; round < 3 && mixed.length === 0; round++) {
		const s = await setup(1, 6);
		const { vs, cs } = await startEach(s, 10); // 6 assigned, 4 queued
		assert.deepEqual(cs.map((c) => c.status), [...Array(6).fill('assigned'), ...Array(4).fill('queued')]);
		const fresh = await visitors(s, 10);
		let rs;
		const log = await generalLog(async () => {
			const release = await holdRuleLock(s.tenant, s.rule);
			// Interleaved, so that every worker has both behind its first.
			const calls = [];
			for (let i = 0; i < 10; i++) {
				if (i < 6) calls.push(vs[i].req('POST', `/conversations/${cs[i].id}/close`, {}));
				calls.push(fresh[i].req('POST', '/conversations', { channel_key: s.key, prechat: {} }));
			}
			await sleep(500);
			await release();
			rs = await Promise.all(calls);
		}, { periodic: false, threads: true });
		for (const r of rs) assert.ok(r.status === 200 || r.status === 201, r.text);
		const txs = transactions(log);
		mixed = txs.filter((t) => t.some((q) => /^UPDATE conversations SET closed_from/.test(q)) && t.some((q) => /^INSERT IGNORE INTO conversations/.test(q)));
		const locks = log.filter(([, q]) => /^UPDATE assign_state SET decisions/.test(q)).length;
		console.log(`# 6 closes and 10 starts together: ${mixed.length} transactions with both, ${locks} lock statements`);
		for (const t of mixed)
			assert.equal(t.filter((q) => /^UPDATE assign_state SET decisions/.test(q)).length, 1, 'one lock statement for both');
		// The closes freed 6 rooms: the 4 that waited were served first (FIFO), 2 of the new starts after them.
		const status = (id) => sql(`SELECT status FROM conversations WHERE id = ${id}`)[0][0];
		assert.deepEqual(cs.map((c) => status(c.id)), [...Array(6).fill('closed'), ...Array(4).fill('assigned')]);
		const started = rs.filter((r) => r.status === 201).map((r) => r.json);
		assert.equal(started.length, 10);
		const now = started.map((c) => status(c.id));
		assert.equal(now.filter((x) => x === 'assigned').length, 2, now.join());
		assert.equal(now.filter((x) => x === 'queued').length, 8, now.join());
		// A drain renumbers the page of the queue it read; entries behind it
		// (when starts decided before the closes queued more than a page) get
		// theirs from the periodic job within a second (docs/assignment.md).
		const entries = () => sql(`SELECT conversation_id, position FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`);
		const dense = (q) => q.every((r, i) => Number(r[1]) === i + 1);
		let q = entries();
		for (let wait = 0; wait < 50 && !dense(q); wait++) {
			await sleep(100);
			q = entries();
		}
		assert.deepEqual(q.map((r) => Number(r[1])), q.map((_, i) => i + 1), 'places 1..8 in queue order');
		const byId = new Map(started.map((c) => [c.id, c]));
		for (const [cid, pos] of q) {
			// A start decided alone before the closes was answered a place further back.
			assert.equal(byId.get(Number(cid)).status, 'queued', `conversation ${cid}'s answer`);
			assert.ok(byId.get(Number(cid)).queue_position >= Number(pos), `conversation ${cid}'s answer`);
		}
		assert.deepEqual(load(s), [6]);
		assert.deepEqual(liveCounts(s), [6]);
		checkStreams([...cs.map((c) => c.id), ...started.map((c) => c.id)]);
		checkAgentStreams(s);
	}
	// Before: starts and closes in two batchers, on two connections, never
	// one transaction; each its own hold of the lock.
	assert.ok(mixed.length >= 1, 'a transaction that closes and starts');
});

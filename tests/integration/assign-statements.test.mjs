// tests/integration/assign-statements.test.mjs: what a queued start and a close cost in statements (the rule's lock is held for all of them), and that the lock statement's answers (something waits, the tenant has webhooks) are right.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack, statusCounters, perCall as ownPerCall } from '../lib/own-stack.mjs';

// Statements are counted server-wide: a stack of its own, where the periodic
// jobs are quiet (tests/lib/own-stack.mjs).
const { api, agentsOnlyTenant, ruledChannel, unique, newAgent, widgetVisitor, sql } = await ownStack('astmt');

let T;

before(async () => {
	T = await agentsOnlyTenant('astmt');
});

const visitor = (key) => widgetVisitor(key, { locale: 'en' });

// One agent with room for one, in a group of its own under a rule.
async function setup() {
	const a = await newAgent(T, unique('A'));
	return { ...(await ruledChannel(T, [a])), agent: a };
}

const NAMES = ['Com_select', 'Com_update', 'Com_insert', 'Com_insert_select', 'Com_stmt_execute'];
const counters = () => statusCounters(NAMES);
// Statements per call of fn (tests/lib/own-stack.mjs).
const perCall = (n, fn, rounds = 1) => ownPerCall(NAMES, n, fn, { rounds });

test('a queued start: no route UPDATE, no queue count, no admins read of its own, and its answer carries the place it got', async () => {
	const s = await setup();
	const first = await visitor(s.key);
	const held = await first.req('POST', '/conversations', { channel_key: s.key, prechat: {} });
	assert.equal(held.json.status, 'assigned', held.text);
	const N = 30;
	const vs = [];
	for (let i = 0; i < N; i++) vs.push(await visitor(s.key));
	const answers = [];
	const per = await perCall(N, async (i) => {
		const r = await vs[i].req('POST', '/conversations', { channel_key: s.key, prechat: {} });
		assert.equal(r.status, 201, r.text);
		answers.push(r.json);
	});
	assert.deepEqual(answers.map((c) => [c.status, c.queue_position]), answers.map((_, i) => ['queued', i + 1]));
	// The row has its rule and group from its INSERT; the entry its place.
	const rows = sql(`SELECT c.rule_id, c.group_id, q.position FROM conversations c JOIN queue_entries q ON q.conversation_id = c.id WHERE c.id IN (${answers.map((c) => c.id).join(',')}) ORDER BY c.id`);
	assert.deepEqual(rows, answers.map((_, i) => [String(s.rule), String(s.group), String(i + 1)]));
	// Before: the lock and the route UPDATE (2 UPDATEs), and the token, rule,
	// group, members, queue count, admins, live-list and after-commit
	// position reads (8 SELECTs). Now: the lock's UPDATE alone, 5 SELECTs.
	console.log(`# queued start: ${JSON.stringify(per)}`);
	assert.ok(per.Com_update < 1.6, `${per.Com_update.toFixed(2)} UPDATEs per queued start`);
	assert.ok(per.Com_select < 6.5, `${per.Com_select.toFixed(2)} SELECTs per queued start`);
});

test('closes: with nobody waiting the rule is not drained; with someone waiting the close serves the head; webhooks still get conversation.assigned from a drain', async () => {
	const s = await setup();
	// Nobody waits: a close frees the room and reads no queue.
	const vs = [];
	for (let i = 0; i < 12; i++) vs.push(await visitor(s.key));
	const per = await perCall(10, async (i) => {
		const c = await vs[i].req('POST', '/conversations', { channel_key: s.key, prechat: {} });
		assert.equal(c.json.status, 'assigned', c.text);
		assert.equal((await vs[i].req('POST', `/conversations/${c.json.id}/close`, {})).status, 200);
	}, 3);
	// A start and a close. Before: the close also read the queue's keys, the
	// rule, the group, the tenant's zone and the members (no one to serve).
	console.log(`# start and close: ${JSON.stringify(per)}`);
	assert.ok(per.Com_select < 11, `${per.Com_select.toFixed(2)} SELECTs per start and close`);

	// Someone waits, and the tenant has a webhook: the close serves the head
	// in its transaction and the drained conversation's outbox row is there.
	const hook = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: 'http://127.0.0.1:9/astmt', events: ['conversation.assigned'] } });
	assert.equal(hook.status, 201, hook.text);
	const a = await vs[10].req('POST', '/conversations', { channel_key: s.key, prechat: {} });
	const b = await vs[11].req('POST', '/conversations', { channel_key: s.key, prechat: {} });
	assert.deepEqual([a.json.status, b.json.status], ['assigned', 'queued']);
	assert.equal((await vs[10].req('POST', `/conversations/${a.json.id}/close`, {})).status, 200);
	const got = await vs[11].req('GET', `/conversations/${b.json.id}`);
	assert.equal(got.json.status, 'assigned', 'the close drained the queue');
	const out = sql(`SELECT COUNT(*) FROM webhook_outbox WHERE tenant_id = ${T.id} AND event = 'conversation.assigned' AND body LIKE '%"id":${b.json.id},%'`);
	assert.equal(out[0][0], '1', 'the drain wrote the conversation.assigned outbox row');
	assert.equal((await api('DELETE', `/api/v1/admin/webhooks/${hook.json.id}`, { key: T.apiKey })).status, 204);
});

test("a close that serves the head: its events, the served one's and the head's new place written together, in order, on every stream", async () => {
	const s = await setup();
	const vs = [];
	for (let i = 0; i < 4; i++) vs.push(await visitor(s.key));
	const cs = [];
	for (const v of vs) cs.push((await v.req('POST', '/conversations', { channel_key: s.key, prechat: {} })).json);
	assert.deepEqual(cs.map((c) => [c.status, c.queue_position ?? null]), [['assigned', null], ['queued', 1], ['queued', 2], ['queued', 3]]);
	const head = (await s.agent.get('/api/v1/agent/events?after=0&wait=0')).json.next;
	const c0 = await counters();
	assert.equal((await vs[0].req('POST', `/conversations/${cs[0].id}/close`, {})).status, 200);
	const inserts = (await counters()).Com_insert - c0.Com_insert;
	// Before: three statements per event (the streams, the event, the
	// agents' pointers) for the close's, the served one's and the positions
	// (two there): 8 INSERTs with the outbox row. Now: 4, whatever the count.
	assert.ok(inserts <= 6, `${inserts} INSERTs for the close`);
	const status = async (v, c) => (await v.req('GET', `/conversations/${c.id}/events?after=0&wait=0`)).json.events.filter((e) => e.type === 'status');
	const closed = await status(vs[0], cs[0]);
	assert.deepEqual(closed.map((e) => e.status), ['assigned', 'closed']);
	const served = await status(vs[1], cs[1]);
	assert.deepEqual(served.map((e) => [e.status, e.via ?? e.queue_position]), [['queued', 1], ['assigned', 'queue']]);
	for (const [k, want] of [[2, [2, 1]], [3, [3, 2]]])
		assert.deepEqual((await status(vs[k], cs[k])).map((e) => e.queue_position), want, 'the head moved up at once');
	// Every conversation's stream stays dense and increasing.
	for (const [k, v] of vs.entries()) {
		const seqs = (await v.req('GET', `/conversations/${cs[k].id}/events?after=0&wait=0`)).json.events.map((e) => e.seq);
		assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), `conversation ${k}: ${seqs}`);
	}
	// The agent's stream: the served conversation's assignment, then the close.
	const mine = (await s.agent.get(`/api/v1/agent/events?after=${head}&wait=0`)).json.events.filter((e) => e.type === 'status');
	assert.deepEqual(mine.map((e) => [e.conversation_id, e.status]), [[cs[1].id, 'assigned'], [cs[0].id, 'closed']]);
});

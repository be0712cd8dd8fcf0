// tests/integration/assign-batch.test.mjs: starts and closes that arrive together are decided under one hold of the rule's lock (fewer lock statements than calls), each keeping its own outcome, with the queue's places, the agent's load and every stream's order right.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { agentsOnlyTenant, ruledChannel, unique, newAgent, widgetVisitor, sql, holdRuleLock } from '../lib/kefu.mjs';

let T;

before(async () => {
	T = await agentsOnlyTenant('abatch');
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The rule's lock statements so far (each adds one to decisions).
const decisions = (tenant, rule) => Number(sql(`SELECT decisions FROM assign_state WHERE tenant_id = ${tenant} AND rule_id = ${rule}`)[0][0]);

async function setup() {
	const a = await newAgent(T, unique('A'));
	return { ...(await ruledChannel(T, [a], { welcome_message: 'Hello' })), agent: a };
}

// Every conversation's stream numbered 1, 2, ... in order, welcome first, its status after.
function checkStreams(ids) {
	for (const id of ids) {
		const seqs = sql(`SELECT seq FROM events WHERE conversation_id = ${id} UNION ALL SELECT seq FROM messages WHERE conversation_id = ${id} ORDER BY seq`).map((r) => Number(r[0]));
		assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `conversation ${id}'s stream`);
		assert.equal(sql(`SELECT text FROM messages WHERE conversation_id = ${id} AND seq = 1`)[0]?.[0], 'Hello', `conversation ${id}: the welcome first`);
	}
}

test('starts arriving together: one lock for several, each its own answer, places 1..n in arrival order, load in step', async () => {
	const s = await setup();
	const first = await widgetVisitor(s.key, { locale: 'en' });
	const held = await first.req('POST', '/conversations', { channel_key: s.key, prechat: {} });
	assert.equal(held.json.status, 'assigned', held.text);
	const N = 12;
	const vs = [];
	for (let i = 0; i < N; i++) vs.push(await widgetVisitor(s.key, { locale: 'en' }));
	const d0 = decisions(s.tenant, s.rule);
	const release = await holdRuleLock(s.tenant, s.rule);
	const answers = vs.map((v) => v.req('POST', '/conversations', { channel_key: s.key, prechat: {} }));
	await sleep(500); // all of them at the lock or waiting in a batcher behind it
	await release();
	const rs = await Promise.all(answers);
	for (const r of rs) assert.equal(r.status, 201, r.text);
	const d1 = decisions(s.tenant, s.rule);
	// One lock statement per start before batching (N); the workers' first
	// starts wait at the lock alone, everything behind them goes in one batch each.
	assert.ok(d1 - d0 < N, `lock statements for ${N} starts: ${d1 - d0}`);
	assert.deepEqual(rs.map((r) => r.json.status), rs.map(() => 'queued'));
	const ids = rs.map((r) => r.json.id);
	// The places the answers carry are those stored, 1..N, in the order of the entries.
	const q = sql(`SELECT conversation_id, position FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`);
	assert.deepEqual(q.map((r) => Number(r[1])), ids.map((_, i) => i + 1));
	const byId = new Map(rs.map((r) => [r.json.id, r.json.queue_position]));
	for (const [cid, pos] of q) assert.equal(byId.get(Number(cid)), Number(pos), `conversation ${cid}'s answer`);
	assert.equal(Number(sql(`SELECT live FROM agent_load WHERE rule_id = ${s.rule} AND user_id = ${s.agent.id}`)[0][0]), 1);
	checkStreams(ids);

	// Closes arriving together: the agent's conversation and three queued
	// ones; the head of the queue is served once, everyone else moves up.
	const order = q.map((r) => Number(r[0])); // the queue, head first
	const visitorOf = new Map(rs.map((r, i) => [r.json.id, vs[i]]));
	const closers = [{ v: first, id: held.json.id }, ...[2, 5, 9].map((i) => ({ v: visitorOf.get(order[i]), id: order[i] }))];
	const c0 = decisions(s.tenant, s.rule);
	const release2 = await holdRuleLock(s.tenant, s.rule);
	const closing = closers.map(({ v, id }) => v.req('POST', `/conversations/${id}/close`, {}));
	// The same conversation closed twice at once: one 200, one 409.
	closing.push(closers[3].v.req('POST', `/conversations/${closers[3].id}/close`, {}));
	await sleep(500);
	await release2();
	const cs = await Promise.all(closing);
	const codes = cs.map((r) => r.status);
	assert.deepEqual(codes.slice(0, 3), [200, 200, 200], codes.join());
	assert.deepEqual([codes[3], codes[4]].sort(), [200, 409], codes.join());
	const dc = decisions(s.tenant, s.rule) - c0;
	assert.ok(dc < closers.length + 1, `lock statements for ${closers.length + 1} closes: ${dc}`);
	const served = sql(`SELECT status, agent_user_id FROM conversations WHERE id = ${order[0]}`)[0];
	assert.deepEqual(served, ['assigned', String(s.agent.id)], 'the head of the queue was served');
	assert.equal(Number(sql(`SELECT COUNT(*) FROM conversations WHERE rule_id = ${s.rule} AND status = 'assigned'`)[0][0]), 1);
	assert.equal(Number(sql(`SELECT live FROM agent_load WHERE rule_id = ${s.rule} AND user_id = ${s.agent.id}`)[0][0]), 1);
	const left = order.filter((_, i) => ![0, 2, 5, 9].includes(i));
	const q2 = sql(`SELECT conversation_id, position FROM queue_entries WHERE rule_id = ${s.rule} ORDER BY id`);
	assert.deepEqual(q2.map((r) => Number(r[0])), left, 'the rest wait in their order');
	// Stored places are right for the head the drain read (the rest follow from the periodic update).
	for (const [i, [, pos]] of q2.entries()) if (i < 8) assert.equal(Number(pos), i + 1, `place ${i + 1}`);
	checkStreams(ids);
});

// tests/integration/reports-rollup.test.mjs: the message counts rollup of schema/0026: the housekeeping job adds each message once (whichever worker claims a run), and a report's message counts are exact before, during and after it catches up.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant, sql, unique, until } from '../lib/kefu.mjs';

let T, A, ch, G;
const convs = [];

async function ok(p) {
	const r = await p;
	assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
	return r.json;
}

before(async () => {
	T = newTenant('rollup');
	A = await newAgent(T, 'Rolly', 'online');
	G = await ok(api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: unique('g'), member_user_ids: [A.id], member_department_ids: [] } }));
	ch = await ok(api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: unique('ch'), allowed_origins: [] } }));
	await ok(api('POST', '/api/v1/admin/rules', {
		key: T.apiKey,
		body: { name: unique('rule'), priority: 1, channel_ids: [ch.id], max_concurrent: 10, routing: { mode: 'visitor_choice', choice_group_ids: [G.id] } },
	}));
	for (let i = 0; i < 3; i++) {
		const v = await ok(api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: {} }));
		const headers = { 'x-visitor-token': v.visitor_token };
		const c = await ok(api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: ch.key, prechat: {}, group_id: G.id } }));
		for (let k = 0; k <= i; k++) {
			await ok(api('POST', `/api/v1/widget/conversations/${c.id}/messages`, { headers, body: { kind: 'text', text: `v${k}` } }));
			await ok(A.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: `a${k}` }));
		}
		convs.push(c.id);
	}
});

const today = () => new Date().toISOString().slice(0, 10);
const counted = () => sql(`SELECT sender, COUNT(*) FROM messages WHERE tenant_id = ${T.id} AND sender IN ('visitor', 'agent') GROUP BY sender`)
	.reduce((o, [s, n]) => ({ ...o, [s]: Number(n) }), { visitor: 0, agent: 0 });
async function reported() {
	return (await ok(api('GET', `/api/v1/reports/summary?from=${today()}&to=${today()}&tz=UTC`, { key: T.apiKey }))).messages;
}

test('a report counts every message once, before and after the job rolls them up', async () => {
	const truth = counted();
	assert.ok(truth.visitor >= 6 && truth.agent >= 6, JSON.stringify(truth));
	// Fresh messages are past the mark (the job waits a minute for a message's transaction to end): read live.
	assert.deepEqual(await reported(), truth);
	const maxId = Number(sql(`SELECT MAX(id) FROM messages WHERE tenant_id = ${T.id}`)[0][0]);
	// Make them old enough; the job (claimed by one of the workers every 2 s) moves the mark past them.
	sql(`UPDATE messages SET created_at = created_at - INTERVAL 5 MINUTE WHERE tenant_id = ${T.id}`);
	await until('the rollup passes the messages', () => Number(sql("SELECT last_id FROM report_rollup_marks WHERE name = 'messages'")[0][0]) >= maxId, 30000);
	assert.deepEqual(await reported(), truth);
	// Each conversation's counts, once each: runs of both workers and retries add nothing twice.
	const rolled = sql(`SELECT conversation_id, visitor, agent FROM report_message_counts WHERE tenant_id = ${T.id} ORDER BY conversation_id`);
	const byConv = sql(`SELECT conversation_id, SUM(sender = 'visitor'), SUM(sender = 'agent') FROM messages WHERE tenant_id = ${T.id}
		GROUP BY conversation_id ORDER BY conversation_id`);
	assert.deepEqual(rolled, byConv);
	assert.deepEqual(rolled.map((r) => Number(r[0])), convs);
	// More runs later change nothing; a filtered report (by agent: the join path) agrees.
	await new Promise((r) => setTimeout(r, 4500));
	assert.deepEqual(sql(`SELECT conversation_id, visitor, agent FROM report_message_counts WHERE tenant_id = ${T.id} ORDER BY conversation_id`), byConv);
	const byAgent = await ok(api('GET', `/api/v1/reports/summary?from=${today()}&to=${today()}&tz=UTC&agent_id=${A.id}`, { key: T.apiKey }));
	assert.deepEqual(byAgent.messages, truth);
	// A new message after the mark is counted from the tail, on top of the rollup.
	await ok(A.post(`/api/v1/agent/conversations/${convs[0]}/messages`, { kind: 'text', text: 'one more' }));
	assert.deepEqual(await reported(), { visitor: truth.visitor, agent: truth.agent + 1 });
});

test('the job passes a gap in message ids wider than its batch', async () => {
	// A multi-row INSERT may reserve ids it never uses; the job must not stop at the hole.
	const next = Number(sql("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'messages'")[0][0]);
	sql(`ALTER TABLE messages AUTO_INCREMENT = ${next + 100000}`);
	await ok(A.post(`/api/v1/agent/conversations/${convs[1]}/messages`, { kind: 'text', text: 'past the gap' }));
	const truth = counted();
	const maxId = Number(sql(`SELECT MAX(id) FROM messages WHERE tenant_id = ${T.id}`)[0][0]);
	assert.ok(maxId >= next + 100000);
	sql(`UPDATE messages SET created_at = created_at - INTERVAL 5 MINUTE WHERE tenant_id = ${T.id} AND id = ${maxId}`);
	await until('the rollup passes the gap', () => Number(sql("SELECT last_id FROM report_rollup_marks WHERE name = 'messages'")[0][0]) >= maxId, 30000);
	assert.deepEqual(await reported(), truth);
	assert.equal(Number(sql(`SELECT agent FROM report_message_counts WHERE conversation_id = ${convs[1]}`)[0][0]),
		Number(sql(`SELECT COUNT(*) FROM messages WHERE conversation_id = ${convs[1]} AND sender = 'agent'`)[0][0]));
});

// tests/integration/reports-packs.test.mjs: the report packs of schema/0027: every report read through the packs equals the same report read live (no mark: every conversation from the table), in three zones (one of a half-hour offset), with filters, while a bucket waits for an open conversation (pending), after a late first response and close, a late rating, and with conversations past the mark; and the guard that reads live when a packed bucket's count is wrong.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant, sql, unique, until } from '../lib/kefu.mjs';

let T, A, B, G, ch, ch2;
const convs = []; // { id, v (visitor headers) }
const DAY = 86400e3;

async function ok(p) {
	const r = await p;
	assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
	return r.json;
}

async function conversation(channel, group_id) {
	const v = await ok(api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} }));
	const headers = { 'x-visitor-token': v.visitor_token };
	const c = await ok(api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {}, group_id } }));
	await ok(api('POST', `/api/v1/widget/conversations/${c.id}/messages`, { headers, body: { kind: 'text', text: 'hello' } }));
	return { id: c.id, headers, agent: c.agent_user_id };
}
const agentOf = (c) => (Number(sql(`SELECT agent_user_id FROM conversations WHERE id = ${c.id}`)[0][0]) === A.id ? A : B);
const reply = (c) => ok(agentOf(c).post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'hi' }));
const close = (c) => ok(agentOf(c).post(`/api/v1/agent/conversations/${c.id}/close`, {}));
const rate = (c, score) => ok(api('POST', `/api/v1/widget/conversations/${c.id}/rating`, { headers: c.headers, body: { score } }));

const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const mark = () => sql(`SELECT next_ms FROM report_pack_marks WHERE tenant_id = ${T.id}`).map((r) => Number(r[0]))[0];
const reset = () => sql(`DELETE FROM report_pack_marks WHERE tenant_id = ${T.id}; DELETE FROM report_packs WHERE tenant_id = ${T.id};
	DELETE FROM report_pack_pending WHERE tenant_id = ${T.id}`);

/** A report's JSON; online and away time (from the status log, not the packs, and growing while the agents are
 * online) are left out. */
async function get(path) {
	const r = await api('GET', path, { key: T.apiKey });
	assert.equal(r.status, 200, r.text);
	for (const x of r.json.items || [])
		delete x.online_seconds, delete x.away_seconds;
	return r.json;
}

// The queries compared; each range covers the moved conversations (2 to 3 days ago) and today.
function queries() {
	const from = day(Date.now() - 4 * DAY), to = day(Date.now());
	const out = [];
	for (const tz of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
		const r = `from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`;
		out.push(`/api/v1/reports/summary?${r}`, `/api/v1/reports/agents?${r}`,
			`/api/v1/reports/timeseries?${r}&metric=wait_p50&interval=hour`,
			`/api/v1/reports/timeseries?${r}&metric=csat_avg`);
	}
	const r = `from=${from}&to=${to}&tz=UTC`;
	out.push(`/api/v1/reports/summary?${r}&group_id=${G.id}`, `/api/v1/reports/summary?${r}&group_id=0`,
		`/api/v1/reports/summary?${r}&channel_id=${ch2.id}`, `/api/v1/reports/agents?${r}&agent_id=${B.id}`,
		`/api/v1/reports/summary?${r}&agent_id=0`);
	return out;
}

/** Every query read live: with the tenant's mark gone the reports read the table; the mark is checked to be still
 * gone after the reads (only the job makes it, every 2 s), else the reads are tried again. */
async function live() {
	for (let i = 0; i < 20; i++) {
		reset();
		const out = [];
		for (const q of queries())
			out.push(await get(q));
		if (mark() === undefined)
			return out;
	}
	throw new Error('the job kept making the mark');
}

/** The job has packed up to the last whole bucket before two minutes ago, with `pending` buckets left. */
async function packed(pending) {
	const limit = Math.floor((Date.now() - 125e3) / 900e3) * 900e3;
	await until('the job packs the tenant', () => mark() >= limit &&
		Number(sql(`SELECT COUNT(*) FROM report_pack_pending WHERE tenant_id = ${T.id}`)[0][0]) === pending, 30000);
}

const all = async () => Promise.all(queries().map(get));

before(async () => {
	T = newTenant('packs');
	A = await newAgent(T, 'Packer A', 'online');
	B = await newAgent(T, 'Packer B', 'online');
	G = await ok(api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: unique('g'), member_user_ids: [A.id, B.id], member_department_ids: [] } }));
	ch = await ok(api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: unique('ch'), allowed_origins: [] } }));
	ch2 = await ok(api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: unique('ch2'), allowed_origins: [] } }));
	for (const c of [ch, ch2])
		await ok(api('POST', '/api/v1/admin/rules', {
			key: T.apiKey,
			body: { name: unique('rule'), priority: 1, channel_ids: [c.id], max_concurrent: 20, routing: { mode: 'visitor_choice', choice_group_ids: [G.id] } },
		}));
	// Twelve conversations: ten answered and closed (some rated), one never replied to (open), one closed by the
	// visitor before any reply.
	for (let i = 0; i < 12; i++) {
		const c = await conversation(i % 3 ? ch : ch2, G.id);
		convs.push(c);
		if (i < 10) {
			await reply(c);
			await close(c);
			if (i % 2 === 0)
				await rate(c, 1 + (i % 5));
		} else if (i === 11)
			await ok(api('POST', `/api/v1/widget/conversations/${c.id}/close`, { headers: c.headers, body: {} }));
	}
	// Spread them over buckets 2 to 3 days ago, each 7 minutes and some seconds after the one before, with
	// different waits, responses and handle times; then the packs start afresh (kefu never moves a start: a
	// test that does must reset them, else the guard below reads live).
	const base = Date.now() - 3 * DAY;
	for (const [i, c] of convs.entries()) {
		const t0 = new Date(base + i * 437e3).toISOString().slice(0, 23).replace('T', ' ');
		const at = (s) => `TIMESTAMP'${t0}' + INTERVAL ${Math.round(s * 1e6)} MICROSECOND`;
		sql(`UPDATE conversations SET created_at = ${at(0)}, assigned_at = IF(assigned_at IS NULL, NULL, ${at(3 + i * 7)}),
			first_assigned_at = IF(first_assigned_at IS NULL, NULL, ${at(3 + i * 7)}),
			first_agent_message_at = IF(first_agent_message_at IS NULL, NULL, ${at(3 + i * 7 + 11 * ((i * 5) % 9) + i * 0.037)}),
			closed_at = IF(closed_at IS NULL, NULL, ${at(600 + i * 61)}) WHERE tenant_id = ${T.id} AND id = ${c.id};
			UPDATE ratings SET created_at = ${at(700 + i * 61)} WHERE conversation_id = ${c.id}`);
	}
	reset();
});

test('packs give every report the figures of a live read, with a bucket pending for an open conversation', async () => {
	const truth = await live();
	const s = truth[0];
	assert.equal(s.conversations, 12);
	assert.equal(s.first_response_seconds.p50 !== null, true);
	await packed(1); // the open conversation's bucket waits
	const packs = Number(sql(`SELECT COUNT(*) FROM report_packs WHERE tenant_id = ${T.id}`)[0][0]);
	assert.ok(packs >= 4, `${packs} packs`);
	assert.deepEqual(await all(), truth);
});

test('a late first response and close: the pending bucket is packed, the figures follow', async () => {
	await reply(convs[10]);
	await close(convs[10]);
	const truth = await live();
	assert.equal(truth[0].first_response_seconds.p50 !== null, true);
	await packed(0);
	assert.deepEqual(await all(), truth);
	// The conversation is in a pack now.
	assert.equal(Number(sql(`SELECT SUM(n) FROM report_packs WHERE tenant_id = ${T.id}`)[0][0]), 12);
});

test('a late rating of a packed conversation and new conversations past the mark are counted', async () => {
	await rate(convs[1], 2);
	const fresh = await conversation(ch, G.id); // today, open: past the mark
	await reply(fresh);
	const truth = await live();
	assert.equal(truth[0].conversations, 13);
	assert.equal(truth[0].csat.count, 6);
	await packed(0);
	assert.ok(mark() <= Date.now());
	assert.deepEqual(await all(), truth);
});

test('a conversation moved into a packed bucket is not missed: the count guard reads live', async () => {
	await packed(0);
	const before = await all();
	// Today's conversation moved back between two packed ones (what kefu never does, an import might).
	const c = convs[3];
	const fresh = Number(sql(`SELECT MAX(id) FROM conversations WHERE tenant_id = ${T.id}`)[0][0]);
	sql(`UPDATE conversations SET created_at = (SELECT created_at FROM (SELECT created_at FROM conversations WHERE id = ${c.id}) x) + INTERVAL 1 SECOND,
		first_assigned_at = NULL, assigned_at = NULL WHERE id = ${fresh}`);
	const after = await all();
	assert.equal(after[0].conversations, before[0].conversations);
	assert.equal(after[0].assigned, before[0].assigned - 1);
	const truth = await live();
	assert.deepEqual(after, truth);
});

// tests/integration/reports-invitations.test.mjs: invitations to chat in the reports' summary (docs/reports.md):
// sent, accepted, dismissed, proactive and by agents, each invitation counted on the day it was sent in the chosen
// time zone (UTC and Asia/Shanghai across a day boundary); the channel, agent and group filters; the CSV.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant, sql } from '../lib/kefu.mjs';

let T, A, B, shop, blog, G, inv = {};

async function channel(name) {
	const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name, allowed_origins: [], tracking: true } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

// A visitor of ch on a page: live, so an agent may invite them.
async function visitor(ch) {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' } });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	const req = (method, path, body) => api(method, '/api/v1/widget' + path, { headers, body });
	assert.equal((await req('POST', '/visitors/me/pageviews', { url: 'https://shop.example/tea', title: 'Tea' })).status, 201);
	return { id: r.json.visitor_id, req };
}

async function invite(agent, v) {
	const r = await agent.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'Can I help?' });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

async function summary(q) {
	const r = await api('GET', `/api/v1/reports/summary?${new URLSearchParams(q)}`, { key: T.apiKey });
	assert.equal(r.status, 200, r.text);
	return r.json.invitations;
}

const counts = (sent, accepted, dismissed, proactive) => ({ sent, accepted, dismissed, proactive, by_agents: sent - proactive });

before(async () => {
	T = newTenant('rep-inv');
	A = await newAgent(T, 'Agent A');
	B = await newAgent(T, 'Agent B');
	shop = await channel('shop');
	blog = await channel('blog');
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Sales' } });
	assert.equal(g.status, 201, g.text);
	G = g.json;

	// a1: Agent A's, dismissed.
	const v1 = await visitor(shop);
	inv.a1 = await invite(A, v1);
	assert.equal((await v1.req('POST', `/invitations/${inv.a1}/dismiss`, {})).json.status, 'dismissed');
	// a2: Agent A's, dismissed and then answered after all: accepted.
	const v2 = await visitor(shop);
	inv.a2 = await invite(A, v2);
	assert.equal((await v2.req('POST', `/invitations/${inv.a2}/dismiss`, {})).status, 200);
	const c = await v2.req('POST', '/conversations', { channel_key: shop.key, invitation_id: inv.a2 });
	assert.equal(c.status, 201, c.text);
	// b1: Agent B's on the blog, left open.
	const v3 = await visitor(blog);
	inv.b1 = await invite(B, v3);
	// p1: a trigger's on the blog, dismissed. A trigger fires only with an agent online and after its sweep; its
	// row is what the report reads, so it is written as the sweep writes it (agent NULL, the trigger named).
	const tr = await api('POST', `/api/v1/admin/channels/${blog.id}/triggers`, { key: T.apiKey, body: { name: 'blog', text: 'Questions?', enabled: false } });
	assert.equal(tr.status, 201, tr.text);
	const v4 = await visitor(blog);
	sql(`INSERT INTO invitations (tenant_id, channel_id, visitor_id, user_id, trigger_id, text, status)
		VALUES (${T.id}, ${blog.id}, ${v4.id}, NULL, ${tr.json.id}, 'Questions?', 'dismissed')`);
	inv.p1 = Number(sql(`SELECT MAX(id) FROM invitations WHERE tenant_id = ${T.id}`)[0][0]);
	// p2: a trigger's on the shop, open, the next day (UTC) as well.
	const v5 = await visitor(shop);
	sql(`INSERT INTO invitations (tenant_id, channel_id, visitor_id, user_id, trigger_id, text, status)
		VALUES (${T.id}, ${shop.id}, ${v5.id}, NULL, ${tr.json.id}, 'Questions?', 'sent')`);
	inv.p2 = Number(sql(`SELECT MAX(id) FROM invitations WHERE tenant_id = ${T.id}`)[0][0]);

	// When they were sent (UTC). Shanghai (+08:00) starts 2026-11-11 at 11-10 16:00Z.
	const at = { a1: '2026-11-10 15:30:00', a2: '2026-11-10 15:59:59.999', b1: '2026-11-10 16:00:00', p1: '2026-11-10 20:00:00', p2: '2026-11-11 03:00:00' };
	for (const [k, t] of Object.entries(at))
		sql(`UPDATE invitations SET created_at = '${t}' WHERE tenant_id = ${T.id} AND id = ${inv[k]}`);
});

test('summary: invitations sent, accepted, dismissed, proactive and by agents, by the day they were sent', async () => {
	// UTC 11-10: a1, a2, b1, p1.
	assert.deepEqual(await summary({ from: '2026-11-10', to: '2026-11-10', tz: 'UTC' }), counts(4, 1, 2, 1));
	// UTC 11-11: p2.
	assert.deepEqual(await summary({ from: '2026-11-11', to: '2026-11-11', tz: 'UTC' }), counts(1, 0, 0, 1));
	// Shanghai 11-10 ends at 16:00Z: a1 and a2 (the last millisecond of it).
	assert.deepEqual(await summary({ from: '2026-11-10', to: '2026-11-10', tz: 'Asia/Shanghai' }), counts(2, 1, 1, 0));
	// Shanghai 11-11 from 16:00Z on: b1, p1, p2.
	assert.deepEqual(await summary({ from: '2026-11-11', to: '2026-11-11', tz: 'Asia/Shanghai' }), counts(3, 0, 1, 2));
	assert.deepEqual(await summary({ from: '2026-11-09', to: '2026-11-12', tz: 'Asia/Shanghai' }), counts(5, 1, 2, 2));
	assert.deepEqual(await summary({ from: '2026-11-12', to: '2026-11-12', tz: 'UTC' }), counts(0, 0, 0, 0));
});

test('summary: invitations by channel, by inviting agent (0: the triggers\'), and under a group filter', async () => {
	const R = { from: '2026-11-09', to: '2026-11-12', tz: 'UTC' };
	assert.deepEqual(await summary({ ...R, channel_id: shop.id }), counts(3, 1, 1, 1));
	assert.deepEqual(await summary({ ...R, channel_id: blog.id }), counts(2, 0, 1, 1));
	assert.deepEqual(await summary({ ...R, agent_id: A.id }), counts(2, 1, 1, 0));
	assert.deepEqual(await summary({ ...R, agent_id: B.id }), counts(1, 0, 0, 0));
	assert.deepEqual(await summary({ ...R, agent_id: 0 }), counts(2, 0, 1, 2));
	assert.deepEqual(await summary({ ...R, agent_id: A.id, channel_id: blog.id }), counts(0, 0, 0, 0));
	// An invitation has no group: only "no group" holds them.
	assert.deepEqual(await summary({ ...R, group_id: G.id }), counts(0, 0, 0, 0));
	assert.deepEqual(await summary({ ...R, group_id: 0 }), counts(5, 1, 2, 2));
});

test('summary CSV: the invitations\' columns equal the JSON', async () => {
	const q = { from: '2026-11-10', to: '2026-11-11', tz: 'Asia/Shanghai', format: 'csv' };
	const r = await api('GET', `/api/v1/reports/summary?${new URLSearchParams(q)}`, { key: T.apiKey });
	assert.equal(r.status, 200, r.text);
	const [head, row] = r.text.trim().split('\r\n').map((l) => l.split(','));
	const cell = (name) => row[head.indexOf(name)];
	assert.deepEqual(['sent', 'accepted', 'dismissed', 'proactive', 'by_agents'].map((k) => cell(`invitations_${k}`)), ['5', '1', '2', '2', '3']);
});

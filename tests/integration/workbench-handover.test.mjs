// tests/integration/workbench-handover.test.mjs: the workbench's transfer with a note (staff-only: never on the visitor's stream), notes access, and the agent directory.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

let T, channel, A1, A2;


before(async () => {
	T = newTenant('handover');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [] } })).json;
	A1 = await newAgent(T, 'Hand Over');
	A2 = await newAgent(T, 'Take Over');
	await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Sales', member_user_ids: [A2.id], member_department_ids: [] } });
	await A1.put('/api/v1/agent/status', { status: 'online' });
});

test('directory, transfer with a note the receiver sees and the visitor does not', async () => {
	const d = await A1.get('/api/v1/agent/directory');
	assert.equal(d.status, 200);
	assert.deepEqual(d.json.agents.filter((a) => a.id === A2.id).map((a) => a.name), ['Take Over']);
	assert.ok(d.json.agents.find((a) => a.id === A1.id).me);
	assert.deepEqual(d.json.groups.map((g) => g.name), ['Sales']);

	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = (await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } })).json;
	assert.equal(c.agent.id, A1.id);
	await A2.put('/api/v1/agent/status', { status: 'online' });
	for (const [body, field] of [[{}, 'user_id'], [{ user_id: A2.id, group_id: 1 }, 'user_id'], [{ user_id: A2.id, note: 5 }, 'note']]) {
		const r = await A1.post(`/api/v1/agent/conversations/${c.id}/handover`, body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.error.field, field);
	}
	const h = await A1.post(`/api/v1/agent/conversations/${c.id}/handover`, { user_id: A2.id, note: 'VIP <b>order</b> 4711, wants a refund' });
	assert.equal(h.status, 200, h.text);
	assert.equal(h.json.agent.id, A2.id);
	const notes = await A2.get(`/api/v1/agent/conversations/${c.id}/notes`);
	assert.equal(notes.status, 200);
	assert.equal(notes.json.items.length, 1);
	assert.equal(notes.json.items[0].text, 'VIP <b>order</b> 4711, wants a refund');
	assert.equal(notes.json.items[0].kind, 'transfer');
	assert.deepEqual(notes.json.items[0].author, { id: A1.id, name: 'Hand Over' });
	// The previous holder no longer sees the conversation, nor its notes.
	assert.equal((await A1.get(`/api/v1/agent/conversations/${c.id}/notes`)).status, 404);
	// The visitor's stream carries no trace of the note.
	const ev = await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers });
	assert.ok(!JSON.stringify(ev.json).includes('4711'));
	assert.ok(ev.json.events.some((e) => e.type === 'status' && e.status === 'transferred'));
	// Back to a group.
	const g = await A2.post(`/api/v1/agent/conversations/${c.id}/handover`, { group_id: d.json.groups[0].id });
	assert.equal(g.status, 200, g.text);
	const o = newTenant('handover-other');
	const os = await Session.login(o.adminLogin, o.adminPassword);
	assert.equal((await os.post(`/api/v1/agent/conversations/${c.id}/handover`, { user_id: A1.id })).status, 404);
	assert.equal(errorCode(await os.get(`/api/v1/agent/conversations/${c.id}/notes`)), 'not_found');
});

test('the workbench add-on texts come from the catalogs in the agent\'s language', async () => {
	const en = await A1.get('/api/v1/agent/strings/workbench2', { headers: { 'accept-language': 'en-US' } });
	assert.equal(en.status, 200);
	assert.equal(en.json.transfer, 'Transfer');
	const zh = await A1.get('/api/v1/agent/strings/workbench2', { headers: { 'accept-language': 'zh-CN' } });
	assert.equal(zh.json.transfer, '转接');
	assert.deepEqual(Object.keys(zh.json).sort(), Object.keys(en.json).sort());
	assert.equal((await api('GET', '/api/v1/agent/strings/workbench2')).status, 401);
});

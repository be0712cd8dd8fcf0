// tests/integration/assign-owner.test.mjs: account/contact owner strategies with both fallbacks, and conditions on identity and CRM account fields, through verified identities auto-linked to CRM records.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

let T, admin, key, channel, owner, other, outsider, g;

function params(json) {
	const k = Buffer.from(key, 'base64');
	return execFileSync('openssl', ['enc', `-aes-${k.length * 8}-ecb`, '-K', k.toString('hex'), '-nosalt'], { input: Buffer.from(json, 'utf8') }).toString('hex');
}


const status = async (s, st) => assert.equal((await s.put('/api/v1/agent/status', { status: st })).status, 200);

async function identified(phone, name = '李四') {
	const r = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: { custom_params: params(JSON.stringify({ full_name: name, phone })) } });
	assert.equal(r.status, 201, r.text);
	return { headers: { 'x-visitor-token': r.json.visitor_token }, account_id: r.json.account_id, contact_id: r.json.contact_id };
}

async function start(v) {
	const r = await api('POST', '/api/v1/widget/conversations', { headers: v.headers, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function closeAll(s) {
	const mine = await s.get('/api/v1/agent/conversations');
	for (const c of mine.json.groups.flatMap((x) => x.conversations))
		await s.post(`/api/v1/agent/conversations/${c.id}/close`, {});
}

before(async () => {
	T = newTenant('owner');
	admin = await Session.login(T.adminLogin, T.adminPassword);
	await status(admin, 'offline');
	channel = (await admin.post('/api/v1/admin/channels', { name: 'Shop', allowed_origins: [] })).json;
	key = (await admin.post(`/api/v1/admin/channels/${channel.id}/identity/key`)).json.key;
	assert.equal((await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, { auto_link: { enabled: true, contact_fields: ['phone'] } })).status, 200);
	[owner, other, outsider] = [await newAgent(T, 'Owner'), await newAgent(T, 'Other'), await newAgent(T, 'Outsider')];
	g = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Accounts', member_user_ids: [other.id, owner.id], member_department_ids: [] } })).json;
	const acc = await api('PUT', '/api/v1/crm/objects/AccountObj/records/acc-1', { key: T.apiKey, body: { fields: { name: 'Big Co', level: 'VIP' }, owner_user_id: owner.id } });
	assert.ok([200, 201].includes(acc.status), acc.text);
	const acc2 = await api('PUT', '/api/v1/crm/objects/AccountObj/records/acc-2', { key: T.apiKey, body: { fields: { name: 'Far Co', level: 'normal' }, owner_user_id: outsider.id } });
	const c1 = await api('PUT', '/api/v1/crm/objects/ContactObj/records/con-1', { key: T.apiKey, body: { fields: { full_name: '李四', phone: '15900000011', account_id: acc.json.id }, owner_user_id: other.id } });
	assert.ok([200, 201].includes(c1.status), c1.text);
	await api('PUT', '/api/v1/crm/objects/ContactObj/records/con-2', { key: T.apiKey, body: { fields: { full_name: '王五', phone: '15900000022', account_id: acc2.json.id } } });
});

test('account_owner: the owner when available; fallback load or wait in the queue; owner outside the group → load', async () => {
	const rule = (await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'owners', channel_ids: [channel.id], max_concurrent: 1, strategy: 'account_owner', owner_fallback: 'load', routing: { mode: 'rules', fallback_group_id: g.id } } })).json;
	await status(owner, 'online');
	await status(other, 'online');
	const v = await identified('15900000011');
	assert.ok(v.account_id, 'auto-linked to the account');
	const c1 = await start(v);
	assert.equal(c1.agent.id, owner.id, 'the account owner, though the other member is idle too and first in order');
	await closeAll(owner);
	// Owner away, fallback load: the other member.
	await status(owner, 'away');
	const c2 = await start(await identified('15900000011'));
	assert.equal(c2.agent.id, other.id);
	await closeAll(other);
	// Fallback queue: the conversation waits for the owner even though the other member is free.
	assert.equal((await api('PATCH', `/api/v1/admin/rules/${rule.id}`, { key: T.apiKey, body: { owner_fallback: 'queue' } })).status, 200);
	const v3 = await identified('15900000011');
	const c3 = await start(v3);
	assert.equal(c3.status, 'queued');
	await status(owner, 'online'); // the owner comes back: the drain gives it to them
	const after = await api('GET', `/api/v1/widget/conversations/${c3.id}`, { headers: v3.headers });
	assert.equal(after.json.status, 'assigned');
	assert.equal(after.json.agent.id, owner.id);
	await closeAll(owner);
	// The account's owner is not in the group: load, whatever the fallback.
	const c4 = await start(await identified('15900000022', '王五'));
	assert.equal(c4.status, 'assigned');
	assert.ok([owner.id, other.id].includes(c4.agent.id));
	await closeAll(owner);
	await closeAll(other);
	assert.equal((await api('DELETE', `/api/v1/admin/rules/${rule.id}`, { key: T.apiKey })).status, 204);
});

test('contact_owner and conditions on identity and account fields', async () => {
	const vipGroup = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'VIP', member_user_ids: [owner.id, other.id], member_department_ids: [] } })).json;
	const plain = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Plain', member_user_ids: [outsider.id], member_department_ids: [] } })).json;
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: {
		name: 'vip', channel_ids: [channel.id], strategy: 'contact_owner',
		routing: { mode: 'rules', routes: [{ group_id: vipGroup.id, match: { all: [{ field: 'account.level', op: 'eq', value: 'VIP' }, { field: 'visitor.identified', op: 'eq', value: true }, { field: 'visitor.full_name', op: 'prefix', value: '李' }] } }], fallback_group_id: plain.id },
	} });
	assert.equal(r.status, 201, r.text);
	await status(owner, 'online');
	await status(other, 'online');
	await status(outsider, 'online');
	const c1 = await start(await identified('15900000011'));
	assert.equal(c1.agent.id, other.id, 'VIP route, then the contact owner');
	const c2 = await start(await identified('15900000022', '王五'));
	assert.equal(c2.agent.id, outsider.id, 'not VIP: the fallback group');
	const guest = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const c3 = await start({ headers: { 'x-visitor-token': guest.json.visitor_token } });
	assert.equal(c3.agent.id, outsider.id, 'a guest has no account');
	for (const s of [owner, other, outsider]) {
		await closeAll(s);
		await status(s, 'offline');
	}
});

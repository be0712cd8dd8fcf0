// tests/integration/workbench-cgroups.test.mjs: conversation groups: admin CRUD and validation, and the agent's list arranged under them (priority, first match wins, default group last).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique } from '../lib/kefu.mjs';

let T, shop, other, A;

before(async () => {
	T = newTenant('cgroups');
	shop = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [], prechat_fields: [{ name: 'topic', label: 'Topic', type: 'select', options: ['sales', 'support'], required: false }] } })).json;
	other = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Other', allowed_origins: [] } })).json;
	const login = unique('cg'), password = 'pw-' + unique('x');
	const u = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'Grouped Agent', password, role: 'agent', department_ids: [] } });
	A = await Session.login(login, password);
	A.id = u.json.id;
	assert.equal((await A.put('/api/v1/agent/status', { status: 'online' })).status, 200);
});

async function chat(channel, { attributes, prechat } = {}) {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: attributes ? { attributes } : {} });
	const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: channel.key, prechat: prechat || {} } });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.status, 'assigned', c.text);
	return c.json.id;
}

test('validation', async () => {
	for (const [body, field] of [
		[{}, 'name'],
		[{ name: '  ' }, 'name'],
		[{ name: 'x', priority: 'high' }, 'priority'],
		[{ name: 'x', match: 'some' }, 'match'],
		[{ name: 'x', match: { any: [] } }, 'match.all'],
		[{ name: 'x', match: { all: [{ field: 'visitor.plan', op: 'like', value: 'x' }] } }, 'match.all[0].op'],
		[{ name: 'x', match: { all: [{ field: 'conversation.colour', op: 'eq', value: 1 }] } }, 'match.all[0].field'],
		[{ name: 'x', match: { all: [{ field: 'conversation.channel_id', op: 'eq', value: 'one' }] } }, 'match.all[0].value'],
		[{ name: 'x', match: { all: [{ field: 'conversation.channel_id', op: 'in', value: [] }] } }, 'match.all[0].value'],
	]) {
		const r = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body });
		assert.equal(r.status, 400, JSON.stringify(body) + r.text);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, field, JSON.stringify(body));
	}
});

test('the agent list follows the groups: priority order, first match wins, default last', async () => {
	// With no groups: one default group.
	const c1 = await chat(shop, { attributes: { plan: 'vip' }, prechat: { topic: 'sales' } });
	let l = (await A.get('/api/v1/agent/conversations')).json;
	assert.deepEqual(l.groups.map((g) => g.id), [null]);

	const vip = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'VIP customers', priority: 10, match: { all: [{ field: 'visitor.plan', op: 'eq', value: 'vip' }] } } });
	assert.equal(vip.status, 201, vip.text);
	assert.equal(vip.json.priority, 10);
	const sales = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'Pre-sales', priority: 20, match: { all: [{ field: 'prechat.topic', op: 'eq', value: 'sales' }] } } });
	const oth = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'Other site', priority: 30, match: { all: [{ field: 'conversation.channel_id', op: 'in', value: [other.id] }] } } });
	const empty = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'Identified', priority: 40, match: { all: [{ field: 'visitor.identified', op: 'eq', value: true }] } } });
	assert.equal(empty.status, 201, empty.text);
	const c2 = await chat(shop, { prechat: { topic: 'sales' } });
	const c3 = await chat(other);
	const c4 = await chat(shop, { prechat: { topic: 'support' } });

	l = (await A.get('/api/v1/agent/conversations')).json;
	assert.deepEqual(l.groups.map((g) => g.name), ['VIP customers', 'Pre-sales', 'Other site', 'Identified', l.groups[4].name]);
	assert.equal(l.groups[4].id, null, 'default group last');
	const ids = (i) => l.groups[i].conversations.map((c) => c.id);
	assert.deepEqual(ids(0), [c1], 'vip and sales: the first match by priority wins');
	assert.deepEqual(ids(1), [c2]);
	assert.deepEqual(ids(2), [c3]);
	assert.deepEqual(ids(3), []);
	assert.deepEqual(ids(4), [c4]);
	assert.deepEqual(l.groups.map((g) => g.count), [1, 1, 1, 0, 1]);
	assert.ok(l.groups[0].conversations[0].visitor, 'the conversation view is kept');

	// Priority change reorders; delete drops the group, its conversation falls through.
	assert.equal((await api('PATCH', `/api/v1/admin/conversation-groups/${sales.json.id}`, { key: T.apiKey, body: { priority: 5 } })).status, 200);
	l = (await A.get('/api/v1/agent/conversations')).json;
	assert.deepEqual(l.groups.slice(0, 2).map((g) => g.name), ['Pre-sales', 'VIP customers']);
	assert.deepEqual(l.groups[0].conversations.map((c) => c.id).sort(), [c1, c2].sort());
	assert.equal((await api('DELETE', `/api/v1/admin/conversation-groups/${oth.json.id}`, { key: T.apiKey })).status, 204);
	l = (await A.get('/api/v1/agent/conversations')).json;
	assert.deepEqual(l.groups[l.groups.length - 1].conversations.map((c) => c.id).sort(), [c3, c4].sort());
	const list = await api('GET', '/api/v1/admin/conversation-groups', { key: T.apiKey });
	assert.deepEqual(list.json.items.map((g) => g.name), ['Pre-sales', 'VIP customers', 'Identified']);
	const o = newTenant('cgroups-other');
	assert.equal((await api('GET', `/api/v1/admin/conversation-groups/${vip.json.id}`, { key: o.apiKey })).status, 404);
	assert.equal((await A.get('/api/v1/admin/conversation-groups')).status, 403);
});

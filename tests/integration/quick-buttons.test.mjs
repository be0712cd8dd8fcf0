// tests/integration/quick-buttons.test.mjs: quick-send buttons (CRUD, visibility by role, filtered records, card messages, 403 outside the filter) and the workbench side panel.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { Session, api, errorCode, newTenant, unique } from '../lib/kefu.mjs';

let t, admin, channel, key, acc, con, orders = [], foreignOrder, button, partner, guest, agent;

function params(identity, keyB64) {
	const k = Buffer.from(keyB64, 'base64');
	const c = createCipheriv(`aes-${k.length * 8}-ecb`, k, null);
	return Buffer.concat([c.update(JSON.stringify(identity), 'utf8'), c.final()]).toString('hex').toUpperCase();
}
const put = (obj, ext, fields) => api('PUT', `/api/v1/crm/objects/${obj}/records/${ext}`, { key: t.apiKey, body: { fields } });
const asVisitor = (v, method, path, body) => api(method, path, { headers: { 'x-visitor-token': v.visitor_token }, body });

before(async () => {
	t = newTenant('quick');
	admin = await Session.login(t.adminLogin, t.adminPassword);
	channel = (await admin.post('/api/v1/admin/channels', { name: 'Shop', allowed_origins: [] })).json;
	key = (await admin.post(`/api/v1/admin/channels/${channel.id}/identity/key`)).json.key;
	await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, { auto_link: { enabled: true, contact_fields: ['full_name', 'phone'] } });
	acc = (await put('AccountObj', 'acc-q', { name: '合作伙伴甲', level: 'A' })).json;
	con = (await put('ContactObj', 'con-q', { full_name: '钱七', phone: '13700000007', account_id: acc.id, roles: 'partner' })).json;
	for (let i = 1; i <= 3; i++)
		orders.push((await put('SalesOrderObj', `so-${i}`, { name: `SO-${i}`, amount: 100 * i, status: 'paid', account_id: acc.id })).json);
	const acc2 = (await put('AccountObj', 'acc-other', { name: 'Other' })).json;
	foreignOrder = (await put('SalesOrderObj', 'so-x', { name: 'SO-X', amount: 1, account_id: acc2.id })).json;
	await put('CaseObj', 'case-1', { title: '发票问题', status: 'open', contact_id: con.id });
	partner = (await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: { custom_params: params({ full_name: '钱七', phone: '13700000007' }, key) } })).json;
	guest = (await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} })).json;
	const login = unique('agent');
	const u = await admin.post('/api/v1/admin/users', { login, name: 'Agent A', role: 'agent', password: 'pw-agent-12345' });
	assert.equal(u.status, 201, u.text);
	agent = await Session.login(login, 'pw-agent-12345');
});

test('the identified partner is linked to contact and account with the contact\'s roles', () => {
	assert.equal(partner.identified, true);
	assert.equal(partner.contact_id, con.id);
	assert.equal(partner.account_id, acc.id);
	assert.deepEqual(partner.roles, ['partner']);
});

test('quick-button CRUD validates object, filter and template', async () => {
	const bad = [
		[{ name: 'x', object: 'NoObj', template: 'a', visible_roles: ['partner'] }, 'object'],
		[{ name: 'x', object: 'SalesOrderObj', template: 'a', visible_roles: ['partner'], filter: { all: [{ field: 'nope', op: 'eq', value: 1 }] } }, 'filter.all.0.field'],
		[{ name: 'x', object: 'SalesOrderObj', template: 'a', visible_roles: ['partner'], filter: { all: [{ field: 'account_id', op: 'like', value: 1 }] } }, 'filter.all.0.op'],
		[{ name: 'x', object: 'SalesOrderObj', template: 'a', visible_roles: ['partner'], filter: { all: [{ field: 'account_id', op: 'eq', value: '$visitor.acount_id' }] } }, 'filter.all.0.value'],
		[{ name: 'x', object: 'SalesOrderObj', visible_roles: ['partner'] }, 'template'],
		[{ name: 'x', object: 'SalesOrderObj', template: 'a', visible_roles: ['partner'], channel_ids: [999999999] }, 'channel_ids.0'],
	];
	for (const [body, field] of bad) {
		const r = await admin.post('/api/v1/admin/quick-buttons', body);
		assert.equal(r.status, 400, JSON.stringify(body) + r.text);
		assert.equal(r.json.error.field, field);
	}
	const c = await admin.post('/api/v1/admin/quick-buttons', {
		name: '发送订单', icon: 'order', channel_ids: [channel.id], visible_roles: ['partner'], object: 'SalesOrderObj',
		filter: { all: [{ field: 'account_id', op: 'eq', value: '$visitor.account_id' }] },
		template: '订单 {{name}}\n金额 {{ amount }}\n状态 {{status}}{{missing}}',
	});
	assert.equal(c.status, 201, c.text);
	button = c.json;
	assert.equal(button.object, 'SalesOrderObj');
	const p = await admin.patch(`/api/v1/admin/quick-buttons/${button.id}`, { icon: 'cart' });
	assert.equal(p.status, 200);
	assert.equal(p.json.icon, 'cart');
	assert.equal(p.json.template, button.template);
	const l = await admin.get('/api/v1/admin/quick-buttons');
	assert.deepEqual(l.json.items.map((b) => b.id), [button.id]);
	const tmp = await admin.post('/api/v1/admin/quick-buttons', { name: 'tmp', object: 'ProductObj', template: '{{name}}', visible_roles: ['x'] });
	assert.equal((await admin.delete(`/api/v1/admin/quick-buttons/${tmp.json.id}`)).status, 204);
	assert.equal((await admin.get(`/api/v1/admin/quick-buttons/${tmp.json.id}`)).status, 404);
	assert.equal((await agent.get('/api/v1/admin/quick-buttons')).status, 403);
});

test('buttons are visible only to identified visitors with a visible role; guests get []', async () => {
	const mine = await asVisitor(partner, 'GET', `/api/v1/widget/quick-buttons?channel_key=${channel.key}`);
	assert.equal(mine.status, 200, mine.text);
	assert.deepEqual(mine.json.items.map((b) => b.id), [button.id]);
	const g = await asVisitor(guest, 'GET', `/api/v1/widget/quick-buttons?channel_key=${channel.key}`);
	assert.deepEqual(g.json.items, []);
	assert.equal((await asVisitor(guest, 'GET', `/api/v1/widget/quick-buttons/${button.id}/records`)).status, 403);
	const noRole = (await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, {
		body: { custom_params: params({ full_name: '孙八', phone: '13700000008' }, key) },
	})).json;
	assert.equal(noRole.identified, true);
	assert.deepEqual((await asVisitor(noRole, 'GET', '/api/v1/widget/quick-buttons')).json.items, []);
	assert.equal((await api('GET', '/api/v1/widget/quick-buttons')).status, 401);
});

test('records: only the filter\'s, rendered, paged', async () => {
	const r = await asVisitor(partner, 'GET', `/api/v1/widget/quick-buttons/${button.id}/records?limit=2`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items.map((x) => x.id), orders.slice(0, 2).map((o) => o.id));
	assert.deepEqual(r.json.items[0], { id: orders[0].id, title: '订单 SO-1', lines: ['金额 100', '状态 paid'] });
	const r2 = await asVisitor(partner, 'GET', `/api/v1/widget/quick-buttons/${button.id}/records?limit=2&after=${r.json.next_after}`);
	assert.deepEqual(r2.json.items.map((x) => x.id), [orders[2].id]);
	assert.equal(r2.json.next_after, null);
});

test('a card message: rendered from the record; a record outside the filter is 403', async () => {
	const conv = await asVisitor(partner, 'POST', '/api/v1/widget/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(conv.status, 201, conv.text);
	const m = await asVisitor(partner, 'POST', `/api/v1/widget/conversations/${conv.json.id}/messages`, { kind: 'card', button_id: button.id, record_id: orders[1].id });
	assert.equal(m.status, 201, m.text);
	assert.equal(m.json.kind, 'card');
	assert.equal(m.json.sender, 'visitor');
	assert.deepEqual(m.json.card, { object: 'SalesOrderObj', record_id: orders[1].id, button_id: button.id, title: '订单 SO-2', lines: ['金额 200', '状态 paid'] });
	const ev = await asVisitor(partner, 'GET', `/api/v1/widget/conversations/${conv.json.id}/events?after=0`);
	assert.ok(ev.json.events.some((e) => e.type === 'message' && e.message.kind === 'card'));
	const outside = await asVisitor(partner, 'POST', `/api/v1/widget/conversations/${conv.json.id}/messages`, { kind: 'card', button_id: button.id, record_id: foreignOrder.id });
	assert.equal(outside.status, 403);
	const wrongObj = await asVisitor(partner, 'POST', `/api/v1/widget/conversations/${conv.json.id}/messages`, { kind: 'card', button_id: button.id, record_id: con.id });
	assert.equal(wrongObj.status, 403);
	const noIds = await asVisitor(partner, 'POST', `/api/v1/widget/conversations/${conv.json.id}/messages`, { kind: 'card' });
	assert.equal(noIds.status, 400);
	const gconv = await asVisitor(guest, 'POST', '/api/v1/widget/conversations', { channel_key: channel.key, prechat: {} });
	const gm = await asVisitor(guest, 'POST', `/api/v1/widget/conversations/${gconv.json.id}/messages`, { kind: 'card', button_id: button.id, record_id: orders[0].id });
	assert.equal(gm.status, 403);
	const notMine = await asVisitor(guest, 'POST', `/api/v1/widget/conversations/${conv.json.id}/messages`, { kind: 'card', button_id: button.id, record_id: orders[0].id });
	assert.equal(notMine.status, 404);
});

test('side panel: configured objects, records by link; admins and the assigned agent only', async () => {
	const bad = await admin.put('/api/v1/admin/sidebar', { objects: [{ object: 'AccountObj', fields: ['nope'] }] });
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.field, 'objects.0.fields.0');
	const s = await admin.put('/api/v1/admin/sidebar', { objects: [
		{ object: 'AccountObj', fields: ['name', 'level'] }, { object: 'ContactObj', fields: ['full_name', 'phone'] },
		{ object: 'CaseObj', fields: ['title', 'status'] }, { object: 'SalesOrderObj', fields: ['name', 'amount'] },
	] });
	assert.equal(s.status, 200, s.text);
	assert.equal((await admin.get('/api/v1/admin/sidebar')).json.objects.length, 4);
	const conv = (await asVisitor(partner, 'GET', '/api/v1/widget/conversations')).json;
	const convId = (conv.items || conv.conversations || [])[0]?.id;
	assert.ok(convId, JSON.stringify(conv));
	const p = await admin.get(`/api/v1/agent/conversations/${convId}/sidebar`);
	assert.equal(p.status, 200, p.text);
	const by = Object.fromEntries(p.json.objects.map((o) => [o.object, o]));
	assert.deepEqual(by.AccountObj.records[0].fields, [{ name: 'name', label: '客户名称', value: '合作伙伴甲' }, { name: 'level', label: '客户级别', value: 'A' }]);
	assert.equal(by.ContactObj.records[0].id, con.id);
	assert.equal(by.CaseObj.records[0].fields[0].value, '发票问题');
	assert.equal(by.SalesOrderObj.records.length, 3);
	assert.equal((await agent.get(`/api/v1/agent/conversations/${convId}/sidebar`)).status, 404);
});

test('an agent links a guest to a contact by hand; the search finds contacts by phone prefix or name', async () => {
	const gconv = (await asVisitor(guest, 'GET', '/api/v1/widget/conversations')).json;
	const convId = (gconv.items || [])[0]?.id;
	const found = await admin.get('/api/v1/agent/crm/contacts?q=1370000');
	assert.ok(found.json.items.some((c) => c.id === con.id));
	assert.ok((await admin.get(`/api/v1/agent/crm/contacts?q=${encodeURIComponent('钱')}`)).json.items.some((c) => c.id === con.id));
	const l = await admin.post(`/api/v1/agent/conversations/${convId}/link`, { contact_id: con.id });
	assert.equal(l.status, 200, l.text);
	assert.equal(l.json.contact_id, con.id);
	assert.equal(l.json.account_id, acc.id);
	const p = await admin.get(`/api/v1/agent/conversations/${convId}/sidebar`);
	assert.equal(p.json.objects.find((o) => o.object === 'AccountObj').records[0].id, acc.id);
	const bad = await admin.post(`/api/v1/agent/conversations/${convId}/link`, { contact_id: acc.id });
	assert.equal(bad.status, 400);
});

// tests/integration/console-validation.test.mjs: a refused rule or conversation group names every field at fault
// ("fields" in the error body, beside the first in "field"), the console form marks each with its own message and
// keeps everything typed, and a conversation group is edited in the console.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newTenant, Session } from '../lib/kefu.mjs';

let T, s;
const form = (o) => new URLSearchParams({ csrf_token: s.csrf, ...o });
const post = (path, o) => s.request('POST', path, { body: form(o) });

before(async () => {
	T = newTenant('valid');
	s = await Session.login(T.adminLogin, T.adminPassword);
});

test('API: a rule with several faults answers every one of them, the first in field', async () => {
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: {
		name: '', priority: 'high', max_concurrent: 0,
		routing: { routes: [{ group_id: 999999999, match: 'all' }, { match: { all: [{ field: 'visitor.plan', op: 'zz' }] } }] },
		leave_message: { fields: [{ name: 'email' }, { name: 'email' }, { name: 'pick', type: 'select' }] },
	} });
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.error.code, 'invalid_field');
	assert.equal(r.json.error.field, 'name');
	const fields = r.json.error.fields.map((f) => f.field);
	assert.deepEqual(fields, ['name', 'priority', 'max_concurrent', 'routing.routes[1].group_id',
		'routing.routes[1].match.all[0].op', 'leave_message.fields[1].name', 'leave_message.fields[2].options']);
	for (const f of r.json.error.fields) assert.ok(f.message.length > 3, `a message for ${f.field}`);
	// Group references are checked once the document is well-formed: both unknown groups are named.
	const g = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: {
		name: 'refs', routing: { routes: [{ group_id: 999999998 }, { group_id: 999999999 }] } } });
	assert.equal(g.status, 400);
	assert.deepEqual(g.json.error.fields.map((f) => f.field), ['routing.routes[0].group_id', 'routing.routes[1].group_id']);
});

test('API: a conversation group with several faults answers every one of them', async () => {
	const r = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey,
		body: { name: ' ', priority: 'x', match: { all: [{ field: 'conversation.channel_id', op: 'eq', value: 'a' }] } } });
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.error.field, 'name');
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['name', 'priority', 'match.all[0].value']);
	// One fault: the list holds just it.
	const one = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'ok', priority: 'x' } });
	assert.equal(one.status, 400);
	assert.deepEqual(one.json.error.fields.map((f) => f.field), ['priority']);
});

test('console: a refused rule form marks every field with its own message and keeps what was typed', async () => {
	const grp = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Sales' } })).json.id;
	const routes = JSON.stringify([{ group_id: grp, match: { all: [{ field: 'visitor.plan', op: 'eq', value: 'gold' }] } }, { group_id: 0, match: 'all' }]);
	const leave = JSON.stringify([{ name: 'bad name', label: 'Name', type: 'text', required: true }]);
	const r = await post('/console/rules', { name: 'Web', priority: '1', max_concurrent: 'lots', routes, leave_fields: leave,
		routing_mode: 'rules', strategy: 'load', owner_fallback: 'load' });
	assert.equal(r.status, 200);
	// Each fault with its message (not the generic one), max_concurrent on its own field.
	assert.match(r.text, /name="max_concurrent"[^>]*aria-invalid/);
	assert.match(r.text, /请输入 1 到 1000 之间的整数/);
	assert.ok(!/该项缺失或无效/.test(r.text), 'no generic message');
	const faults = JSON.parse(r.text.match(/data-faults="([^"]*)"/)[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
	assert.deepEqual(faults.map((f) => f.field), ['max_concurrent', 'routing.routes[1].group_id', 'leave_message.fields[0].name']);
	assert.equal(faults[1].message, '请为此路由选择一个客服组。');
	// The routes and fields as posted go back to the builders (the old form reset routes to []).
	const routesBack = r.text.match(/id="routes-input" value="([^"]*)"/)[1].replace(/&quot;/g, '"');
	assert.deepEqual(JSON.parse(routesBack), JSON.parse(routes));
	const leaveBack = r.text.match(/id="leave-fields-input" value="([^"]*)"/)[1].replace(/&quot;/g, '"');
	assert.deepEqual(JSON.parse(leaveBack), JSON.parse(leave));
	assert.match(r.text, /name="max_concurrent" [^>]*value="lots"|value="lots"[^>]*name="max_concurrent"/);
});

test('console: a conversation group is edited in place', async () => {
	const c = await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'Old', priority: 7 } });
	assert.equal(c.status, 201);
	const page = await s.request('GET', `/console/conversation-groups/${c.json.id}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /name="name"[^>]*value="Old"|value="Old"[^>]*name="name"/);
	assert.match(page.text, new RegExp(`action="/console/conversation-groups/${c.json.id}"`));
	let r = await post(`/console/conversation-groups/${c.json.id}`, { name: 'Typed', priority: 'soon', match: '"all"' });
	assert.equal(r.status, 200, 'refused: shown again');
	assert.match(r.text, /value="Typed"/);
	assert.match(r.text, /value="soon"/);
	r = await post(`/console/conversation-groups/${c.json.id}`, { name: 'New', priority: '3',
		match: JSON.stringify({ all: [{ field: 'visitor.identified', op: 'eq', value: true }] }) });
	assert.equal(r.status, 303);
	const g = await api('GET', `/api/v1/admin/conversation-groups/${c.json.id}`, { key: T.apiKey });
	assert.equal(g.json.name, 'New');
	assert.equal(g.json.priority, 3);
	assert.deepEqual(g.json.match, { all: [{ field: 'visitor.identified', op: 'eq', value: true }] });
});

test('users: every field at fault at once, by the API and in the console form', async () => {
	const r = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login: ' x', name: '', password: 'short', role: 'boss', email: 'nope' } });
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.error.field, 'login');
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['login', 'name', 'password', 'role', 'email']);
	const p = await post('/console/users', { login: 'new-user', name: '', password: 'short', role: 'agent' });
	assert.equal(p.status, 200);
	assert.match(p.text, /name="name"[^>]*aria-invalid/);
	assert.match(p.text, /name="password"[^>]*aria-invalid/);
	assert.match(p.text, /密码至少需要 8 个字符/);
	assert.match(p.text, /value="new-user"/);
});

test('channels: every part at fault at once (API "fields"), and the console form marks each with its message', async () => {
	const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: '', style: { theme_color: 'blue' },
		prechat_fields: [{ name: 'Bad Name', label: 'x', type: 'text' }], notify_email: 'nobody' } });
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.error.field, 'name');
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['name', 'style.theme_color', 'prechat_fields.0.name', 'notify_email']);
	const p = await post('/console/channels', { name: '', theme_color: '#0b5ed7', button_label: '咨询', button_style: 'bubble',
		icon: 'chat', position: 'right', prechat_fields: JSON.stringify([{ name: 'Bad Name', label: '订单', type: 'text', required: false }]),
		notify_email: 'nobody' });
	assert.equal(p.status, 200);
	assert.match(p.text, /请填写名称/);
	assert.match(p.text, /字段名须以小写字母开头/);
	assert.match(p.text, /name="notify_email"[^>]*aria-invalid|aria-invalid[^>]*name="notify_email"/);
	// A fault inside the origins ("allowed_origins.1") is shown on their one control.
	const o = await post('/console/channels', { name: 'Shop', allowed_origins: 'https://a.example\nnot an origin', theme_color: '#0b5ed7',
		button_label: '咨询', button_style: 'bubble', icon: 'chat', position: 'right', prechat_fields: '[]' });
	assert.equal(o.status, 200);
	assert.match(o.text, /name="allowed_origins"[^>]*aria-invalid|aria-invalid[^>]*name="allowed_origins"/);
});

test('agent groups: the name and the service hours at fault together', async () => {
	const r = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: '', service_hours: { timezone: 'Mars/Base', weekly: {} } } });
	assert.equal(r.status, 400, r.text);
	assert.deepEqual(r.json.error.fields.map((f) => f.field), ['name', 'service_hours.timezone']);
});

// tests/integration/console-forms.test.mjs: the console's admin form pages through the generic resource machinery: field errors keep what was typed, saves redirect where each page always went, deletes and their refusals, another tenant's ids are 404, the audit log records the changes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant, Session, unique } from '../lib/kefu.mjs';

let T, O, s;

const form = (o) => new URLSearchParams({ csrf_token: s.csrf, ...o });
const post = (path, o) => s.request('POST', path, { body: form(o) });

before(async () => {
	T = newTenant('forms');
	O = newTenant('forms-other');
	s = await Session.login(T.adminLogin, T.adminPassword);
});

test('conversation groups: number and JSON fields shown again as typed, errors inside the JSON on its field', async () => {
	let r = await post('/console/conversation-groups', { name: 'VIP', priority: 'ten', match: '"all"' });
	assert.equal(r.status, 200);
	assert.match(r.text, /value="ten"/);
	assert.match(r.text, /aria-invalid="[^"]+"[^>]*>|field-error/);
	r = await post('/console/conversation-groups', { name: 'VIP', priority: '5', match: '{"all": [' });
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('{&quot;all&quot;: ['), 'what was posted is given back to the builder');
	assert.match(r.text, /class="field-error"/);
	// A condition the rules refuse: its path (match.all[0]...) goes to the condition builder, which marks that condition.
	r = await post('/console/conversation-groups', { name: 'VIP', priority: '5', match: '{"all": [{"field": "visitor.plan", "op": "zz", "value": 1}]}' });
	assert.equal(r.status, 200);
	assert.match(r.text, /data-fault="all\[0\]\.op"/);
	r = await post('/console/conversation-groups', { name: 'VIP', priority: '5', match: '{"all": [{"field": "visitor.plan", "op": "eq", "value": "vip"}]}' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/console/conversation-groups?saved=1');
	const list = await api('GET', '/api/v1/admin/conversation-groups', { key: T.apiKey });
	const g = list.json.items.find((x) => x.name === 'VIP');
	assert.equal(g.priority, 5);
	assert.deepEqual(g.match, { all: [{ field: 'visitor.plan', op: 'eq', value: 'vip' }] });
	const other = await api('POST', '/api/v1/admin/conversation-groups', { key: O.apiKey, body: { name: 'Theirs' } });
	assert.equal(other.status, 201, other.text);
	assert.equal((await post(`/console/conversation-groups/${other.json.id}/delete`, {})).status, 404);
	r = await post(`/console/conversation-groups/${g.id}/delete`, {});
	assert.equal(r.status, 303);
	assert.equal((await api('GET', `/api/v1/admin/conversation-groups/${g.id}`, { key: T.apiKey })).status, 404);
});

test('departments: update goes back to the department, a parent delete is refused on its page', async () => {
	const parent = unique('Dept');
	let r = await post('/console/departments', { name: parent });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/console/departments?saved=1');
	const p = (await api('GET', '/api/v1/admin/departments', { key: T.apiKey })).json.items.find((d) => d.name === parent);
	r = await post('/console/departments', { name: `${parent} / East`, parent_id: String(p.id) });
	assert.equal(r.status, 303);
	r = await post(`/console/departments/${p.id}`, { name: `${parent} HQ`, external_id: 'hq-1' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/console/departments/${p.id}?saved=1`);
	const got = await api('GET', `/api/v1/admin/departments/${p.id}`, { key: T.apiKey });
	assert.equal(got.json.name, `${parent} HQ`);
	assert.equal(got.json.external_id, 'hq-1');
	r = await post(`/console/departments/${p.id}`, { name: '' });
	assert.equal(r.status, 200);
	assert.match(r.text, /class="field-error"/);
	r = await post(`/console/departments/${p.id}/delete`, {});
	assert.equal(r.status, 200, 'it has a sub-department: the page again, with why');
	assert.match(r.text, /class="flash error"/);
	const od = await api('POST', '/api/v1/admin/departments', { key: O.apiKey, body: { name: 'Theirs' } });
	assert.equal((await post(`/console/departments/${od.json.id}`, { name: 'Mine now' })).status, 404);
});

test('users: an admin cannot delete themselves from the console; a new user and its deletion are audited', async () => {
	const me = s.user.id;
	let r = await post(`/console/users/${me}/delete`, {});
	assert.equal(r.status, 200);
	assert.match(r.text, /users-form|<form/);
	const login = unique('form-agent');
	r = await post('/console/users', { login, name: 'Form Agent', role: 'agent', password: 'long-enough-1', external_id: '' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/console/users?saved=1');
	const u = (await api('GET', '/api/v1/admin/users', { key: T.apiKey })).json.items.find((x) => x.login === login);
	assert.equal(u.external_id, null);
	r = await post(`/console/users/${u.id}`, { login, name: 'Renamed', role: 'agent', password: '' });
	assert.equal(r.status, 303);
	assert.equal((await api('GET', `/api/v1/admin/users/${u.id}`, { key: T.apiKey })).json.name, 'Renamed');
	r = await post(`/console/users/${u.id}/delete`, {});
	assert.equal(r.status, 303);
	const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
	const mine = audit.json.items.filter((x) => x.object_type === 'user' && x.object_id === u.id).map((x) => x.action);
	assert.deepEqual(mine, ['delete', 'update', 'create']);
});

test('users: the e-mail address and the digest checkbox, a bad address shown on its field as typed', async () => {
	const login = unique('form-mail');
	const email = `${unique('fm')}@kefu.test`;
	let r = await post('/console/users', { login, name: 'Mail Agent', role: 'agent', password: 'long-enough-1', email: 'not an address', leave_digest: '1' });
	assert.equal(r.status, 200, 'the form again');
	assert.match(r.text, /<input[^>]*name="email"[^>]*value="not an address"[^>]*aria-invalid="true"/);
	assert.match(r.text, /<input[^>]*name="leave_digest"[^>]*checked="checked"/, 'the checkbox as it was sent');
	assert.equal((await api('GET', '/api/v1/admin/users', { key: T.apiKey })).json.items.find((x) => x.login === login), undefined);
	r = await post('/console/users', { login, name: 'Mail Agent', role: 'agent', password: 'long-enough-1', email: ` ${email} `, leave_digest: '1' });
	assert.equal(r.status, 303, r.text);
	let u = (await api('GET', '/api/v1/admin/users', { key: T.apiKey })).json.items.find((x) => x.login === login);
	assert.equal(u.email, email, 'trimmed');
	assert.equal(u.leave_digest, true);
	r = await s.get(`/console/users/${u.id}`);
	assert.match(r.text, new RegExp(`<input[^>]*name="email"[^>]*value="${email}"`));
	assert.match(r.text, /<input[^>]*name="leave_digest"[^>]*checked="checked"/);
	// an unchecked box is not sent: the digest goes off; an empty address clears it
	r = await post(`/console/users/${u.id}`, { login, name: 'Mail Agent', role: 'agent', password: '', email: '' });
	assert.equal(r.status, 303, r.text);
	u = (await api('GET', `/api/v1/admin/users/${u.id}`, { key: T.apiKey })).json;
	assert.equal(u.email, null);
	assert.equal(u.leave_digest, false);
	r = await s.get(`/console/users/${u.id}`);
	assert.doesNotMatch(r.text, /<input[^>]*name="leave_digest"[^>]*checked/);
});

test('channels: the left-message address, a bad one shown on its field as typed, emptied to clear', async () => {
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Mail desk', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	assert.equal(ch.json.notify_email, null);
	const fields = { name: 'Mail desk', allowed_origins: '', theme_color: '#1677ff', button_label: 'Chat', button_style: 'bubble', position: 'right', icon: 'chat', icon_url: '', prechat_fields: '[]' };
	let r = await post(`/console/channels/${ch.json.id}`, { ...fields, notify_email: 'desk at kefu' });
	assert.equal(r.status, 200);
	assert.match(r.text, /<input[^>]*name="notify_email"[^>]*value="desk at kefu"[^>]*aria-invalid="true"/);
	const desk = `${unique('desk')}@kefu.test`;
	r = await post(`/console/channels/${ch.json.id}`, { ...fields, notify_email: ` ${desk} ` });
	assert.equal(r.status, 303, r.text);
	assert.equal((await api('GET', `/api/v1/admin/channels/${ch.json.id}`, { key: T.apiKey })).json.notify_email, desk, 'trimmed');
	r = await s.request('GET', `/console/channels/${ch.json.id}`);
	assert.match(r.text, new RegExp(`<input[^>]*name="notify_email"[^>]*value="${desk}"`));
	r = await post(`/console/channels/${ch.json.id}`, { ...fields, notify_email: '' });
	assert.equal(r.status, 303, r.text);
	assert.equal((await api('GET', `/api/v1/admin/channels/${ch.json.id}`, { key: T.apiKey })).json.notify_email, null);
});

test("list pages show the tenant's own rows: canned replies (not an agent's own) with the presence settings, conversation groups, webhooks with their deliveries", async () => {
	const shortcut = unique('tw');
	assert.equal((await api('POST', '/api/v1/admin/canned-replies', { key: T.apiKey, body: { shortcut, text: 'Tenant-wide reply' } })).status, 201);
	const agent = await newAgent(T, 'Canned Agent');
	const mine = unique('mine');
	assert.equal((await agent.post('/api/v1/agent/canned-replies', { shortcut: mine, text: 'Personal reply' })).status, 201);
	assert.equal((await api('POST', '/api/v1/admin/canned-replies', { key: O.apiKey, body: { shortcut: 'theirs-x', text: 'Other tenant' } })).status, 201);
	assert.equal((await post('/console/presence', { away_after_s: '321', offline_after_s: '654' })).status, 303);
	let r = await s.get('/console/canned-replies');
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(shortcut));
	assert.ok(!r.text.includes(mine), "an agent's own reply is theirs");
	assert.ok(!r.text.includes('theirs-x'));
	assert.match(r.text, /name="away_after_s"[^>]*value="321"/);
	assert.match(r.text, /name="offline_after_s"[^>]*value="654"/);
	const gname = unique('CG');
	assert.equal((await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: gname } })).status, 201);
	r = await s.get('/console/conversation-groups');
	assert.ok(r.text.includes(gname));
	// A subscription nobody answers (a closed port on this host) still lists its queued delivery.
	const url = `http://127.0.0.1:9/${unique('hook')}`;
	const h = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url, events: ['conversation.created'] } });
	assert.equal(h.status, 201, h.text);
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Forms shop', allowed_origins: [] } });
	const v = await api('POST', `/api/v1/widget/channels/${ch.json.key}/visitors`, { body: {} });
	const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: ch.json.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	const d = await api('GET', `/api/v1/admin/webhooks/${h.json.id}/deliveries`, { key: T.apiKey });
	assert.equal(d.status, 200);
	assert.equal(d.json.items.length, 1);
	assert.equal(d.json.items[0].event, 'conversation.created');
	assert.ok(Array.isArray(d.json.items[0].attempt_log));
	assert.equal(d.json.next_before, null);
	const oh = await api('GET', `/api/v1/admin/webhooks/${h.json.id}/deliveries`, { key: O.apiKey });
	assert.equal(oh.status, 404, "another tenant's subscription");
	r = await s.get('/console/webhooks');
	assert.ok(r.text.includes(url));
	assert.match(r.text, new RegExp(`<td class="mono">${d.json.items[0].id}</td>\\s*<td><code>conversation.created</code>`));
	await api('DELETE', `/api/v1/admin/webhooks/${h.json.id}`, { key: T.apiKey });
});

test('rules and groups: a broken JSON field keeps the form, a save goes to the saved object', async () => {
	let r = await post('/console/groups', { name: unique('G') });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /^\/console\/groups\/\d+\?saved=1$/);
	const gid = Number(r.headers.get('location').match(/(\d+)/)[1]);
	const name = unique('Rule');
	r = await post('/console/rules', { name, routing_mode: 'rules', routes: '[', fallback_group_id: String(gid) });
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`value="${name}"`));
	r = await post('/console/rules', { name, routing_mode: 'rules', routes: '[]', fallback_group_id: String(gid) });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.match(r.headers.get('location'), /^\/console\/rules\/\d+\?saved=1$/);
	const rid = Number(r.headers.get('location').match(/(\d+)/)[1]);
	assert.equal((await api('GET', `/api/v1/admin/rules/${rid}`, { key: T.apiKey })).json.name, name);
	const og = await api('POST', '/api/v1/admin/groups', { key: O.apiKey, body: { name: 'Theirs' } });
	assert.equal((await s.get(`/console/groups/${og.json.id}`)).status, 404);
	assert.equal((await post(`/console/rules/${rid}/delete`, {})).status, 303);
	assert.equal((await api('GET', `/api/v1/admin/rules/${rid}`, { key: T.apiKey })).status, 404);
	assert.equal((await post(`/console/groups/${gid}/delete`, {})).status, 303);
	assert.equal((await post(`/console/groups/${gid}/delete`, {})).status, 404);
});

test('webhooks and quick buttons: toggle, delete, and another tenant\'s are 404', async () => {
	const h = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: 'http://127.0.0.1:9/hook', events: ['conversation.closed'], enabled: false } });
	assert.equal(h.status, 201, h.text);
	assert.ok(h.json.secret, 'the secret is shown once, at creation');
	assert.equal((await api('GET', `/api/v1/admin/webhooks/${h.json.id}`, { key: T.apiKey })).json.secret, undefined);
	let r = await post(`/console/webhooks/${h.json.id}/toggle`, {});
	assert.equal(r.status, 303);
	assert.equal((await api('GET', `/api/v1/admin/webhooks/${h.json.id}`, { key: T.apiKey })).json.enabled, true);
	const oh = await api('POST', '/api/v1/admin/webhooks', { key: O.apiKey, body: { url: 'http://127.0.0.1:9/other', events: ['conversation.closed'], enabled: false } });
	assert.equal((await post(`/console/webhooks/${oh.json.id}/toggle`, {})).status, 404);
	assert.equal((await post(`/console/webhooks/${oh.json.id}/delete`, {})).status, 404);
	r = await post(`/console/webhooks/${h.json.id}/delete`, {});
	assert.equal(r.status, 303);
	assert.equal((await api('GET', `/api/v1/admin/webhooks/${h.json.id}`, { key: T.apiKey })).status, 404);
	const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
	const acts = audit.json.items.filter((x) => x.object_type === 'webhook' && x.object_id === h.json.id).map((x) => x.action);
	assert.deepEqual(acts, ['delete', 'update', 'create']);
	assert.ok(!JSON.stringify(audit.json).includes(h.json.secret), 'never the secret');

	const ob = await api('POST', '/api/v1/admin/quick-buttons', { key: O.apiKey, body: { name: 'Theirs', object: 'WebImVisitorObj', template: '{{name}}' } });
	if (ob.status === 201) {
		assert.equal((await s.get(`/console/quick-buttons/${ob.json.id}`)).status, 404);
		assert.equal((await post(`/console/quick-buttons/${ob.json.id}/delete`, {})).status, 404);
	}
});

test('quick buttons: the form keeps what was typed on an error and a save goes to the button', async () => {
	let r = await post('/console/quick-buttons', { name: 'Orders', icon: 'order', object: 'NoSuchObj', template: '{{name}}' });
	assert.equal(r.status, 200);
	assert.match(r.text, /value="Orders"/);
	assert.match(r.text, /class="field-error"/);
	r = await post('/console/quick-buttons', { name: 'Orders', icon: 'order', object: 'SalesOrderObj', template: '{{name}}', channel_ids: 'x' });
	assert.equal(r.status, 200);
	assert.match(r.text, /class="field-error"/);
	r = await post('/console/quick-buttons', { name: 'Orders', icon: 'order', object: 'SalesOrderObj', template: '{{name}}' });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /^\/console\/quick-buttons\/\d+\?saved=1$/);
	const id = Number(r.headers.get('location').match(/(\d+)/)[1]);
	r = await post(`/console/quick-buttons/${id}`, { name: 'Orders 2', icon: 'order', object: 'SalesOrderObj', template: '{{name}}' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/console/quick-buttons/${id}?saved=1`);
	assert.equal((await api('GET', `/api/v1/admin/quick-buttons/${id}`, { key: T.apiKey })).json.name, 'Orders 2');
	assert.equal((await s.get(`/console/quick-buttons/${id}`)).status, 200);
	r = await post(`/console/quick-buttons/${id}/delete`, {});
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/console/quick-buttons?saved=1');
	assert.equal((await s.get(`/console/quick-buttons/${id}`)).status, 404);
});

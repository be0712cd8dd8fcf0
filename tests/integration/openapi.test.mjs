// tests/integration/openapi.test.mjs: GET /api/v1/openapi.json is docs/openapi.json, and real answers of every area (admin, CRM, widget, agent, privacy, errors) match its schemas.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, newTenant, newAgent, Session, unique, validateResponses } from '../lib/kefu.mjs';
import { DOC_PATH, checkResponse, findOperation } from '../lib/openapi.mjs';

const SRC = join(DOC_PATH, '../..');
let T, admin, agent;

before(async () => {
	// Every answer below goes through the check (tests/lib/kefu.mjs): a
	// mismatch throws at the call.
	validateResponses(true);
	T = newTenant('openapi');
	admin = await Session.login(T.adminLogin, T.adminPassword);
	agent = await newAgent(T, 'Open Api', 'online');
});

test('the served document is docs/openapi.json, public, and what its source gives', async () => {
	const r = await api('GET', '/api/v1/openapi.json');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	assert.deepEqual(r.json, JSON.parse(readFileSync(DOC_PATH, 'utf8')));
	assert.equal(r.json.openapi, '3.1.0');
	// Not stale against docs/openapi/source.mjs (tools/openapi-gen --check exits 1 when it is).
	execFileSync(join(SRC, 'tools/openapi-gen'), ['--check'], { stdio: 'pipe' });
});

test('the document is well-formed: references resolve, ids are unique, path parameters declared', () => {
	const doc = JSON.parse(readFileSync(DOC_PATH, 'utf8'));
	const refs = [];
	(function walk(x) {
		if (x && typeof x === 'object') {
			if (typeof x.$ref === 'string')
				refs.push(x.$ref);
			Object.values(x).forEach(walk);
		}
	})(doc);
	for (const r of new Set(refs)) {
		assert.match(r, /^#\/components\/(schemas|responses)\/\w+$/);
		const [, kind, name] = r.split('/').slice(1);
		assert.ok(doc.components[kind][name], `dangling ${r}`);
	}
	const ids = new Set();
	for (const [path, item] of Object.entries(doc.paths)) {
		const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const [method, op] of Object.entries(item)) {
			assert.ok(['get', 'put', 'post', 'delete', 'patch'].includes(method), method);
			assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} twice`);
			ids.add(op.operationId);
			const declared = (op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name).sort();
			assert.deepEqual(declared, inPath, `${method} ${path}`);
			assert.ok(op.summary && op.tags?.length === 1, `${method} ${path}: summary and tag`);
			assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${path}: a 2xx`);
		}
	}
});

test('the checker itself refuses what does not match', () => {
	const bad = checkResponse('GET', '/api/v1/admin/users/5', 200, 'application/json', { id: 'five', login: 'x', name: 'y' });
	assert.ok(bad.some((e) => /\$\.id: .* not integer/.test(e)), bad.join('\n'));
	assert.ok(bad.some((e) => /missing role/.test(e)), bad.join('\n'));
	const err = checkResponse('POST', '/api/v1/admin/users', 400, 'application/json', { error: { message: 'm' } });
	assert.ok(err.some((e) => /missing code/.test(e)), err.join('\n'));
	assert.ok(checkResponse('GET', '/api/v1/agent/me', 200, 'text/html', null, '<p>').length > 0);
	assert.equal(findOperation('GET', '/api/v1/agent/conversations/12/transcript.txt').template,
		'/api/v1/agent/conversations/{id}/transcript.txt');
});

test('admin: the collections, channels, identity, webhooks, settings', async () => {
	const k = { key: T.apiKey };
	const dept = await api('POST', '/api/v1/admin/departments', { ...k, body: { name: unique('d'), external_id: unique('ext') } });
	assert.equal(dept.status, 201);
	const user = await api('POST', '/api/v1/admin/users', { ...k, body: { login: unique('u'), name: '李雷', password: 'pw-' + unique('p'), role: 'agent', department_ids: [dept.json.id] } });
	assert.equal(user.status, 201);
	const group = await api('POST', '/api/v1/admin/groups', {
		...k, body: { name: unique('g'), member_user_ids: [user.json.id], member_department_ids: [dept.json.id],
			service_hours: { timezone: 'Asia/Shanghai', weekly: { mon: [['09:00', '18:00']] }, closed_dates: ['2026-10-01'] } },
	});
	assert.equal(group.status, 201);
	assert.equal((await api('GET', `/api/v1/admin/groups/${group.json.id}`, k)).status, 200);
	const ch = await api('POST', '/api/v1/admin/channels', {
		...k, body: { name: 'Docs', allowed_origins: ['https://shop.example'], style: { theme_color: '#1677ff', button_style: 'tab' },
			prechat_fields: [{ name: 'phone', label: 'Phone', type: 'phone', required: false }] },
	});
	assert.equal(ch.status, 201);
	for (const path of ['/api/v1/admin/departments', '/api/v1/admin/users', '/api/v1/admin/groups', '/api/v1/admin/channels',
		`/api/v1/admin/channels/${ch.json.id}/embed`, `/api/v1/admin/channels/${ch.json.id}/identity`, '/api/v1/admin/api-keys',
		'/api/v1/admin/audit', '/api/v1/admin/sidebar', '/api/v1/admin/retention', '/api/v1/admin/presence', '/api/v1/admin/rules',
		'/api/v1/admin/quick-buttons', '/api/v1/admin/conversation-groups', '/api/v1/admin/webhooks', '/api/v1/admin/canned-replies',
		'/api/v1/admin/conversations', '/healthz'])
		assert.equal((await api('GET', path, k)).status, 200, path);
	assert.equal((await api('POST', `/api/v1/admin/channels/${ch.json.id}/identity/key`, { ...k, body: {} })).status, 201);
	assert.equal((await api('GET', `/api/v1/admin/channels/${ch.json.id}/identity/key`, k)).status, 200);
	assert.equal((await api('PATCH', `/api/v1/admin/channels/${ch.json.id}`, { ...k, body: { name: 'Docs 2' } })).status, 200);
	const rule = await api('POST', '/api/v1/admin/rules', {
		...k, body: { name: unique('r'), priority: 10, channel_ids: [ch.json.id], strategy: 'load',
			routing: { mode: 'rules', routes: [{ group_id: group.json.id, match: 'all' }] } },
	});
	assert.equal(rule.status, 201, rule.text);
	const cg = await api('POST', '/api/v1/admin/conversation-groups', {
		...k, body: { name: unique('cg'), priority: 1, match: { all: [{ field: 'visitor.identified', op: 'eq', value: true }] } },
	});
	assert.equal(cg.status, 201, cg.text);
	const key = await api('POST', '/api/v1/admin/api-keys', { ...k, body: { name: unique('k'), scopes: ['crm'] } });
	assert.equal(key.status, 201);
	assert.equal(typeof key.json.key, 'string');
	const hook = await api('POST', '/api/v1/admin/webhooks', { ...k, body: { url: 'http://127.0.0.1:9/hook', events: ['conversation.closed'] } });
	assert.equal(hook.status, 201, hook.text);
	assert.equal((await api('GET', `/api/v1/admin/webhooks/${hook.json.id}/deliveries`, k)).status, 200);
	assert.equal((await api('PUT', '/api/v1/admin/retention', { ...k, body: { messages_days: 0, attachments_days: 30, pageviews_days: 0, leave_messages_days: 0 } })).status, 200);
	assert.equal((await api('PUT', '/api/v1/admin/sidebar', { ...k, body: { objects: [{ object: 'AccountObj', fields: ['name'] }] } })).status, 200);
	// Errors carry the error body: validated as the document's Error.
	const bad = await api('POST', '/api/v1/admin/users', { ...k, body: { login: '', role: 'boss' } });
	assert.equal(bad.status, 400);
	assert.equal((await api('GET', '/api/v1/admin/users/999999999', k)).status, 404);
	assert.equal((await api('GET', '/api/v1/admin/users')).status, 401);
	for (const [path, id] of [['departments', dept.json.id], ['webhooks', hook.json.id], ['api-keys', key.json.id]])
		assert.equal((await api('DELETE', `/api/v1/admin/${path}/${id}`, k)).status, 204);
});

test('crm: objects, records, the organisation chart', async () => {
	const k = { key: T.apiKey };
	assert.equal((await api('GET', '/api/v1/crm/objects', k)).status, 200);
	const ext = unique('acc');
	const put = await api('PUT', `/api/v1/crm/objects/AccountObj/records/${ext}`, { ...k, body: { fields: { name: '示例公司' } } });
	assert.equal(put.status, 201, put.text);
	assert.equal((await api('PUT', `/api/v1/crm/objects/AccountObj/records/${ext}`, { ...k, body: { fields: { name: '示例公司 2' } } })).status, 200);
	const c = await api('PUT', `/api/v1/crm/objects/ContactObj/records/${unique('c')}`, {
		...k, body: { fields: { full_name: '王五', phone: '15900000000', account_id: { external_id: ext } } },
	});
	assert.equal(c.status, 201, c.text);
	assert.equal((await api('GET', `/api/v1/crm/objects/AccountObj/records/${ext}`, k)).status, 200);
	assert.equal((await api('GET', '/api/v1/crm/objects/ContactObj/records?field.phone=1590&limit=5', k)).status, 200);
	assert.equal((await api('PUT', `/api/v1/crm/objects/AccountObj/fields/${unique('f').replace(/-/g, '_')}`, { ...k, body: { label: 'Tier', type: 'text' } })).status >= 200, true);
	const dept = await api('PUT', `/api/v1/crm/departments/${unique('dx')}`, { ...k, body: { name: 'Sales' } });
	assert.equal(dept.status, 201, dept.text);
	const u = await api('PUT', `/api/v1/crm/users/${unique('ux')}`, { ...k, body: { login: unique('crm'), name: 'CRM Agent', role: 'agent', department_external_ids: [] } });
	assert.equal(u.status, 201, u.text);
	assert.equal((await api('DELETE', `/api/v1/crm/objects/AccountObj/records/${ext}`, k)).status, 204);
	assert.equal((await api('GET', `/api/v1/crm/objects/AccountObj/records/${ext}`, k)).status, 404);
});

test('widget and agent: a conversation from start to rating, and privacy export', async () => {
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Chat', allowed_origins: [] } });
	assert.equal(ch.status, 201);
	const key = ch.json.key;
	assert.equal((await api('GET', `/api/v1/widget/channels/${key}`)).status, 200);
	const v = await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: { locale: 'en', page_url: 'https://shop.example/a', attributes: { plan: 'gold' } } });
	assert.equal(v.status, 201);
	const h = { headers: { 'x-visitor-token': v.json.visitor_token } };
	assert.equal((await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: { visitor_token: v.json.visitor_token } })).status, 200);
	assert.equal((await api('GET', '/api/v1/widget/visitor', h)).status, 200);
	const c = await api('POST', '/api/v1/widget/conversations', { ...h, body: { channel_key: key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.status, 'assigned');
	const id = c.json.id;
	assert.equal((await api('POST', `/api/v1/widget/conversations/${id}/messages`, { ...h, body: { kind: 'text', text: '你好 👋' } })).status, 201);
	const fd = new FormData();
	fd.append('file', new Blob([Buffer.from('hello')], { type: 'text/plain' }), 'a.txt');
	const att = await api('POST', `/api/v1/widget/conversations/${id}/attachments`, { ...h, body: fd });
	assert.equal(att.status, 201, att.text);
	for (const path of ['/api/v1/widget/conversations', `/api/v1/widget/conversations/${id}`, `/api/v1/widget/conversations/${id}/events?after=0&wait=0`,
		`/api/v1/widget/quick-buttons?channel_key=${key}`])
		assert.equal((await api('GET', path, h)).status, 200, path);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${id}/typing`, { ...h, body: {} })).status < 300, true);

	for (const path of ['/api/v1/agent/me', '/api/v1/auth/me', '/api/v1/agent/status', '/api/v1/agent/conversations', '/api/v1/agent/events?after=0&wait=0',
		'/api/v1/agent/queue', `/api/v1/agent/conversations/${id}`, `/api/v1/agent/conversations/${id}/events?after=0`,
		`/api/v1/agent/conversations/${id}/sidebar`, `/api/v1/agent/conversations/${id}/notes`, '/api/v1/agent/directory',
		'/api/v1/agent/leave-messages?status=open', '/api/v1/agent/canned-replies', `/api/v1/agent/visitors/${v.json.visitor_id}/conversations`])
		assert.equal((await agent.get(path)).status, 200, path);
	const m = await agent.post(`/api/v1/agent/conversations/${id}/messages`, { kind: 'text', text: 'Hi' });
	assert.equal(m.status, 201);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${id}/read`, { seq: 2 })).status, 200);
	assert.equal((await api('GET', att.json.attachment.url, h)).status, 200);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${id}/close`, {})).status, 200);
	const closed = await api('POST', `/api/v1/widget/conversations/${id}/messages`, { ...h, body: { kind: 'text', text: 'late' } });
	assert.equal(closed.status, 409);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${id}/rating`, { ...h, body: { score: 5, comment: 'good' } })).status, 201);
	assert.equal((await api('GET', `/api/v1/widget/conversations/${id}/rating`, h)).status, 200);
	assert.equal((await agent.get(`/api/v1/agent/conversations/${id}/rating`)).status, 200);
	assert.equal((await agent.get(`/api/v1/agent/conversations/${id}/transcript.txt`)).status, 200);
	assert.equal((await api('GET', `/api/v1/widget/conversations/${id}`, { headers: { 'x-visitor-token': 'nope' } })).status, 401);

	const rec = (await api('GET', '/api/v1/crm/objects/WebImVisitorObj/records?limit=50', { key: T.apiKey })).json.items;
	assert.ok(rec.length > 0);
	const exp = await api('GET', `/api/v1/crm/visitors/${rec[rec.length - 1].id}/export`, { key: T.apiKey });
	assert.equal(exp.status, 200, exp.text);
	assert.equal((await admin.get('/api/v1/admin/reports/ratings')).status, 200);
});

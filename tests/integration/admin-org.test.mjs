// tests/integration/admin-org.test.mjs: the admin API for departments, users, groups, API keys, audit and the CRM upserts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newTenant, unique, errorCode, Session } from '../lib/kefu.mjs';

let T, U; // two tenants: everything of U must be invisible to T

const as = (t) => ({
	get: (p) => api('GET', p, { key: t.apiKey }),
	post: (p, body) => api('POST', p, { key: t.apiKey, body }),
	patch: (p, body) => api('PATCH', p, { key: t.apiKey, body }),
	put: (p, body) => api('PUT', p, { key: t.apiKey, body }),
	del: (p) => api('DELETE', p, { key: t.apiKey }),
});

before(() => {
	T = newTenant('org');
	U = newTenant('org-other');
});

test('departments: CRUD, tree, cycle and children rules', async () => {
	const t = as(T);
	const root = await t.post('/api/v1/admin/departments', { name: '销售部', external_id: unique('d') });
	assert.equal(root.status, 201, root.text);
	assert.equal(root.json.name, '销售部');
	assert.equal(root.json.parent_id, null);
	const child = await t.post('/api/v1/admin/departments', { name: 'East', parent_id: root.json.id });
	assert.equal(child.status, 201);
	assert.equal(child.json.parent_id, root.json.id);
	const list = await t.get('/api/v1/admin/departments');
	assert.equal(list.status, 200);
	assert.ok(list.json.items.some((d) => d.id === child.json.id));
	const got = await t.get(`/api/v1/admin/departments/${child.json.id}`);
	assert.equal(got.json.name, 'East');
	const renamed = await t.patch(`/api/v1/admin/departments/${child.json.id}`, { name: 'East China' });
	assert.equal(renamed.status, 200);
	assert.equal(renamed.json.name, 'East China');
	assert.equal(renamed.json.parent_id, root.json.id, 'PATCH is partial');
	// root under its own child: a cycle
	const cyc = await t.patch(`/api/v1/admin/departments/${root.json.id}`, { parent_id: child.json.id });
	assert.equal(cyc.status, 400);
	assert.equal(errorCode(cyc), 'invalid_field');
	assert.equal(cyc.json.error.field, 'parent_id');
	const self = await t.patch(`/api/v1/admin/departments/${root.json.id}`, { parent_id: root.json.id });
	assert.equal(self.status, 400);
	const withKids = await t.del(`/api/v1/admin/departments/${root.json.id}`);
	assert.equal(withKids.status, 409);
	assert.equal((await t.del(`/api/v1/admin/departments/${child.json.id}`)).status, 204);
	assert.equal((await t.get(`/api/v1/admin/departments/${child.json.id}`)).status, 404);
	assert.equal((await t.del(`/api/v1/admin/departments/${root.json.id}`)).status, 204);
	const bad = await t.post('/api/v1/admin/departments', { name: '' });
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.field, 'name');
	const wrongType = await t.post('/api/v1/admin/departments', { name: 'x', parent_id: '1' });
	assert.equal(wrongType.json.error.field, 'parent_id');
});

test('users: CRUD, password never returned, validation, duplicate login, soft delete frees the login', async () => {
	const t = as(T);
	const dept = (await t.post('/api/v1/admin/departments', { name: 'Support' })).json;
	const login = unique('agent');
	const created = await t.post('/api/v1/admin/users', {
		login, name: '张三', password: 'secret-pass-1', role: 'agent', department_ids: [dept.id], external_id: unique('x'),
	});
	assert.equal(created.status, 201, created.text);
	assert.equal(created.json.login, login);
	assert.deepEqual(created.json.department_ids, [dept.id]);
	assert.ok(!('password' in created.json) && !('password_hash' in created.json));
	assert.doesNotMatch(created.text, /secret-pass-1|scrypt/);
	const id = created.json.id;
	const listed = await t.get('/api/v1/admin/users');
	assert.ok(listed.json.items.some((u) => u.id === id));
	assert.doesNotMatch(listed.text, /scrypt/);
	const s = await Session.login(login, 'secret-pass-1');
	assert.equal(s.user.role, 'agent');
	// validation
	for (const [body, field] of [
		[{ login: unique('a'), name: 'n', role: 'boss' }, 'role'],
		[{ login: unique('a'), name: 'n', role: 'agent', password: 'short' }, 'password'],
		[{ name: 'n', role: 'agent' }, 'login'],
		[{ login: unique('a'), name: 'n', role: 'agent', department_ids: ['x'] }, 'department_ids'],
		[{ login: unique('a'), name: 'n', role: 'agent', department_ids: [999999999] }, 'department_ids'],
	]) {
		const r = await t.post('/api/v1/admin/users', body);
		assert.equal(r.status, 400, `${field}: ${r.text}`);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, field);
	}
	const dup = await t.post('/api/v1/admin/users', { login, name: 'again', role: 'agent' });
	assert.equal(dup.status, 409);
	assert.equal(errorCode(dup), 'conflict');
	// a department of another tenant is an invalid field, not a leak
	const foreign = (await as(U).post('/api/v1/admin/departments', { name: 'Theirs' })).json;
	const cross = await t.patch(`/api/v1/admin/users/${id}`, { department_ids: [foreign.id] });
	assert.equal(cross.status, 400);
	assert.equal(cross.json.error.field, 'department_ids');
	const patched = await t.patch(`/api/v1/admin/users/${id}`, { name: '张三丰', role: 'admin' });
	assert.equal(patched.status, 200);
	assert.equal(patched.json.name, '张三丰');
	assert.equal(patched.json.role, 'admin');
	assert.deepEqual(patched.json.department_ids, [dept.id], 'PATCH is partial');
	// delete: 204, gone, sessions die, login free again
	assert.equal((await t.del(`/api/v1/admin/users/${id}`)).status, 204);
	assert.equal((await t.get(`/api/v1/admin/users/${id}`)).status, 404);
	assert.equal((await s.get('/api/v1/auth/me')).status, 401);
	const again = await t.post('/api/v1/admin/users', { login, name: 'New 张三', role: 'agent', password: 'another-pass' });
	assert.equal(again.status, 201);
	assert.notEqual(again.json.id, id);
});

test('users: e-mail address and the left-message digest, validated, kept by a partial PATCH, cleared with null', async () => {
	const t = as(T);
	const email = `${unique('mailto')}@kefu.test`;
	const created = await t.post('/api/v1/admin/users', { login: unique('m'), name: 'Mail', role: 'agent', email, leave_digest: true });
	assert.equal(created.status, 201, created.text);
	assert.equal(created.json.email, email);
	assert.equal(created.json.leave_digest, true);
	const id = created.json.id;
	const plain = await t.post('/api/v1/admin/users', { login: unique('m'), name: 'No mail', role: 'agent' });
	assert.equal(plain.json.email, null, 'no address unless given');
	assert.equal(plain.json.leave_digest, false, 'the digest is opt-in');
	for (const bad of ['', 'no-at-sign', 'two@@kefu.test', 'Name <a@kefu.test>', 'a b@kefu.test', 'a@kefu', 'a@kefu.test,b@kefu.test', `${'x'.repeat(250)}@kefu.test`, 7]) {
		const r = await t.patch(`/api/v1/admin/users/${id}`, { email: bad });
		assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, 'email');
	}
	const badNew = await t.post('/api/v1/admin/users', { login: unique('m'), name: 'n', role: 'agent', email: 'nope' });
	assert.equal(badNew.status, 400);
	assert.equal(badNew.json.error.field, 'email');
	const badDigest = await t.patch(`/api/v1/admin/users/${id}`, { leave_digest: 1 });
	assert.equal(badDigest.status, 400);
	assert.equal(badDigest.json.error.field, 'leave_digest');
	assert.equal((await t.get(`/api/v1/admin/users/${id}`)).json.email, email, 'a refused PATCH changes nothing');
	// a PATCH of other fields keeps both; each one alone changes only itself
	let r = await t.patch(`/api/v1/admin/users/${id}`, { name: 'Renamed' });
	assert.equal(r.json.email, email);
	assert.equal(r.json.leave_digest, true);
	r = await t.patch(`/api/v1/admin/users/${id}`, { leave_digest: false });
	assert.equal(r.json.leave_digest, false);
	assert.equal(r.json.email, email);
	const other = `${unique('other')}@kefu.test`;
	r = await t.patch(`/api/v1/admin/users/${id}`, { email: other });
	assert.equal(r.json.email, other);
	assert.equal(r.json.leave_digest, false);
	const got = await t.get(`/api/v1/admin/users/${id}`);
	assert.equal(got.json.email, other);
	assert.ok((await t.get('/api/v1/admin/users')).json.items.some((u) => u.id === id && u.email === other && u.leave_digest === false));
	r = await t.patch(`/api/v1/admin/users/${id}`, { email: null });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.email, null);
	// the change is audited, as every user change is
	const audit = (await t.get('/api/v1/admin/audit?limit=200')).json.items.filter((x) => x.object_type === 'user' && x.object_id === id);
	assert.ok(audit.some((x) => JSON.stringify(x.summary).includes(other)), JSON.stringify(audit[0]));
});

test('groups: members, departments, service hours, effective members follow the organisation chart', async () => {
	const t = as(T);
	const sales = (await t.post('/api/v1/admin/departments', { name: 'Sales' })).json;
	const east = (await t.post('/api/v1/admin/departments', { name: 'Sales East', parent_id: sales.id })).json;
	const other = (await t.post('/api/v1/admin/departments', { name: 'Other' })).json;
	const mk = async (name, depts) => (await t.post('/api/v1/admin/users',
		{ login: unique(name), name, role: 'agent', department_ids: depts })).json;
	const a = await mk('a', []);
	const b = await mk('b', [sales.id]);
	const c = await mk('c', [other.id]);
	const d = await mk('d', [east.id]);
	const hours = { timezone: 'Asia/Shanghai', weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']], sat: [['10:00', '24:00']] }, closed_dates: ['2026-10-01'] };
	const g = await t.post('/api/v1/admin/groups', {
		name: '售前', member_user_ids: [c.id, a.id], member_department_ids: [sales.id], service_hours: hours,
	});
	assert.equal(g.status, 201, g.text);
	assert.deepEqual(g.json.member_user_ids, [c.id, a.id]);
	assert.deepEqual(g.json.member_department_ids, [sales.id]);
	assert.deepEqual(g.json.service_hours, hours);
	// explicit members in order, then department members (sub-departments included) by id
	assert.deepEqual(g.json.effective_member_ids, [c.id, a.id, b.id, d.id]);
	// moving b out of Sales removes b from the group with no group edit
	await t.patch(`/api/v1/admin/users/${b.id}`, { department_ids: [other.id] });
	let got = await t.get(`/api/v1/admin/groups/${g.json.id}`);
	assert.deepEqual(got.json.effective_member_ids, [c.id, a.id, d.id]);
	// and moving c into Sales does not duplicate c
	await t.patch(`/api/v1/admin/users/${c.id}`, { department_ids: [sales.id] });
	got = await t.get(`/api/v1/admin/groups/${g.json.id}`);
	assert.deepEqual(got.json.effective_member_ids, [c.id, a.id, d.id]);
	await t.patch(`/api/v1/admin/users/${b.id}`, { department_ids: [east.id] });
	got = await t.get(`/api/v1/admin/groups/${g.json.id}`);
	assert.deepEqual(got.json.effective_member_ids, [c.id, a.id, b.id, d.id]);
	// a deleted user leaves every group
	await t.del(`/api/v1/admin/users/${a.id}`);
	got = await t.get(`/api/v1/admin/groups/${g.json.id}`);
	assert.deepEqual(got.json.member_user_ids, [c.id]);
	assert.deepEqual(got.json.effective_member_ids, [c.id, b.id, d.id]);
	// service hours validation
	for (const [sh, field] of [
		[{ timezone: 'Mars/Olympus' }, 'service_hours.timezone'],
		[{ timezone: '../../etc/passwd' }, 'service_hours.timezone'],
		[{ weekly: { mon: [['18:00', '09:00']] } }, 'service_hours.weekly.mon'],
		[{ weekly: { tue: [['9:00', '10:00']] } }, 'service_hours.weekly.tue'],
		[{ weekly: { mon: [['24:00', '24:00']] } }, 'service_hours.weekly.mon'],
		[{ weekly: { funday: [] } }, 'service_hours.weekly'],
		[{ closed_dates: ['2026-02-30'] }, 'service_hours.closed_dates'],
	]) {
		const r = await t.patch(`/api/v1/admin/groups/${g.json.id}`, { service_hours: sh });
		assert.equal(r.status, 400, JSON.stringify(sh));
		assert.equal(r.json.error.code, 'invalid_field');
		assert.equal(r.json.error.field, field);
	}
	const cleared = await t.patch(`/api/v1/admin/groups/${g.json.id}`, { service_hours: null, name: '售后' });
	assert.equal(cleared.status, 200);
	assert.equal(cleared.json.service_hours, null);
	assert.equal(cleared.json.name, '售后');
	const badMember = await t.patch(`/api/v1/admin/groups/${g.json.id}`, { member_user_ids: [999999999] });
	assert.equal(badMember.json.error.field, 'member_user_ids');
	const list = await t.get('/api/v1/admin/groups');
	assert.ok(list.json.items.some((x) => x.id === g.json.id && Array.isArray(x.effective_member_ids)));
	assert.equal((await t.del(`/api/v1/admin/groups/${g.json.id}`)).status, 204);
	assert.equal((await t.get(`/api/v1/admin/groups/${g.json.id}`)).status, 404);
});

test('API keys: shown once, listed by prefix, renamed, revoked', async () => {
	const t = as(T);
	const k = await t.post('/api/v1/admin/api-keys', { name: 'crm sync', scopes: ['crm'] });
	assert.equal(k.status, 201, k.text);
	assert.match(k.json.key, /^kefu_/);
	assert.equal(k.json.prefix, k.json.key.slice(0, 12));
	assert.deepEqual(k.json.scopes, ['crm']);
	const list = await t.get('/api/v1/admin/api-keys');
	assert.ok(list.json.items.some((x) => x.id === k.json.id && !('key' in x)));
	assert.ok(!list.text.includes(k.json.key));
	const one = await t.get(`/api/v1/admin/api-keys/${k.json.id}`);
	assert.equal(one.json.prefix, k.json.prefix);
	assert.ok(!('key' in one.json));
	const renamed = await t.patch(`/api/v1/admin/api-keys/${k.json.id}`, { name: 'CRM' });
	assert.equal(renamed.status, 200);
	assert.equal(renamed.json.name, 'CRM');
	assert.ok(!('key' in renamed.json), 'only the answer to the POST carries the key');
	const rescope = await t.patch(`/api/v1/admin/api-keys/${k.json.id}`, { scopes: ['admin'] });
	assert.equal(rescope.status, 400, rescope.text);
	assert.equal(rescope.json.error.field, 'scopes');
	assert.match(rescope.json.error.message, /make a new key/);
	// a crm key may not use the admin API
	const forbidden = await api('GET', '/api/v1/admin/users', { key: k.json.key });
	assert.equal(forbidden.status, 403);
	assert.equal(errorCode(forbidden), 'forbidden');
	const bad = await t.post('/api/v1/admin/api-keys', { name: 'x', scopes: ['root'] });
	assert.equal(bad.json.error.field, 'scopes');
	const none = await t.post('/api/v1/admin/api-keys', { name: 'x', scopes: [] });
	assert.equal(none.json.error.field, 'scopes');
	assert.equal((await t.del(`/api/v1/admin/api-keys/${k.json.id}`)).status, 204);
	assert.equal((await api('PUT', `/api/v1/crm/departments/${unique('d')}`, { key: k.json.key, body: { name: 'x' } })).status, 401);
	assert.equal((await t.get(`/api/v1/admin/api-keys/${k.json.id}`)).status, 404);
});

test('audit log: every admin change, newest first, paged', async () => {
	const t = as(T);
	const d = (await t.post('/api/v1/admin/departments', { name: 'Audited' })).json;
	await t.patch(`/api/v1/admin/departments/${d.id}`, { name: 'Audited 2' });
	await t.del(`/api/v1/admin/departments/${d.id}`);
	const page = await t.get('/api/v1/admin/audit?limit=3');
	assert.equal(page.status, 200);
	assert.deepEqual(page.json.items.map((x) => x.action), ['delete', 'update', 'create']);
	assert.ok(page.json.items.every((x) => x.object_type === 'department' && x.object_id === d.id));
	assert.equal(page.json.items[1].summary.before.name, 'Audited');
	assert.equal(page.json.items[1].summary.after.name, 'Audited 2');
	assert.equal(page.json.items[0].actor.type, 'api_key');
	assert.match(page.json.items[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	const next = await t.get(`/api/v1/admin/audit?limit=3&after=${page.json.next_after}`);
	assert.ok(next.json.items.every((x) => x.id < page.json.items[2].id));
	assert.doesNotMatch((await t.get('/api/v1/admin/audit?limit=200')).text, /scrypt|password_hash/);
	assert.equal((await t.get('/api/v1/admin/audit?limit=0')).status, 400);
});

test('CRM upserts of users and departments by external_id', async () => {
	const t = as(T);
	const dx = unique('dept');
	const d1 = await t.put(`/api/v1/crm/departments/${dx}`, { name: 'CRM Dept' });
	assert.equal(d1.status, 201, d1.text);
	assert.equal(d1.json.external_id, dx);
	const cx = unique('dept');
	const c1 = await t.put(`/api/v1/crm/departments/${cx}`, { name: 'CRM Child', parent_external_id: dx });
	assert.equal(c1.status, 201);
	assert.equal(c1.json.parent_id, d1.json.id);
	const d2 = await t.put(`/api/v1/crm/departments/${dx}`, { name: 'CRM Dept renamed' });
	assert.equal(d2.status, 200);
	assert.equal(d2.json.id, d1.json.id);
	const badParent = await t.put(`/api/v1/crm/departments/${unique('d')}`, { name: 'x', parent_external_id: 'nope' });
	assert.equal(badParent.json.error.field, 'parent_external_id');
	const ux = unique('user');
	const login = unique('crm-user');
	const u1 = await t.put(`/api/v1/crm/users/${ux}`, { login, name: 'CRM 用户', role: 'agent', department_external_ids: [cx] });
	assert.equal(u1.status, 201, u1.text);
	assert.deepEqual(u1.json.department_ids, [c1.json.id]);
	const u2 = await t.put(`/api/v1/crm/users/${ux}`, { name: 'CRM 用户 2', department_external_ids: [dx] });
	assert.equal(u2.status, 200);
	assert.equal(u2.json.id, u1.json.id);
	assert.equal(u2.json.login, login);
	assert.deepEqual(u2.json.department_ids, [d1.json.id]);
	const missing = await t.put(`/api/v1/crm/users/${unique('u')}`, { name: 'no login', role: 'agent' });
	assert.equal(missing.json.error.field, 'login');
	const unknown = await t.put(`/api/v1/crm/users/${ux}`, { department_external_ids: ['nope'] });
	assert.equal(unknown.json.error.field, 'department_external_ids');
	// an admin-only key may not use the CRM routes
	const adminKey = (await t.post('/api/v1/admin/api-keys', { name: 'admin only', scopes: ['admin'] })).json.key;
	assert.equal((await api('PUT', `/api/v1/crm/departments/${dx}`, { key: adminKey, body: { name: 'x' } })).status, 403);
});

test('another tenant\'s ids are 404 for every collection', async () => {
	const u = as(U), t = as(T);
	const d = (await u.post('/api/v1/admin/departments', { name: 'U dept' })).json;
	const usr = (await u.post('/api/v1/admin/users', { login: unique('u'), name: 'U user', role: 'agent' })).json;
	const g = (await u.post('/api/v1/admin/groups', { name: 'U group', member_user_ids: [usr.id] })).json;
	const k = (await u.post('/api/v1/admin/api-keys', { name: 'U key', scopes: ['crm'] })).json;
	for (const [coll, id] of [['departments', d.id], ['users', usr.id], ['groups', g.id], ['api-keys', k.id]]) {
		for (const r of [
			await t.get(`/api/v1/admin/${coll}/${id}`),
			await t.patch(`/api/v1/admin/${coll}/${id}`, { name: 'stolen' }),
			await t.del(`/api/v1/admin/${coll}/${id}`),
		]) {
			assert.equal(r.status, 404, `${coll} ${r.text}`);
			assert.equal(errorCode(r), 'not_found');
		}
		const list = await t.get(`/api/v1/admin/${coll}`);
		assert.ok(!list.json.items.some((x) => x.id === id), coll);
	}
	// using them as references is an invalid field, never a link across tenants
	const r = await t.post('/api/v1/admin/groups', { name: 'x', member_user_ids: [usr.id] });
	assert.equal(r.json.error.field, 'member_user_ids');
	const r2 = await t.post('/api/v1/admin/groups', { name: 'x', member_department_ids: [d.id] });
	assert.equal(r2.json.error.field, 'member_department_ids');
	// and U's objects are untouched
	assert.equal((await u.get(`/api/v1/admin/groups/${g.id}`)).json.name, 'U group');
	assert.equal((await u.get(`/api/v1/admin/api-keys/${k.id}`)).status, 200);
});

// tests/integration/admin-auth.test.mjs: sessions and keys on the admin API and console: CSRF, logout, rate limit, scopes, login page, language.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newTenant, unique, errorCode, Session } from '../lib/kefu.mjs';

let T, U;
before(() => {
	T = newTenant('auth');
	U = newTenant('auth-other');
});

// A console form post with the session's cookie (and its CSRF token unless told otherwise).
function form(s, path, fields, { csrf = true } = {}) {
	const body = new URLSearchParams(fields);
	if (csrf)
		body.set('csrf_token', s.csrf);
	return api('POST', path, { body, headers: { cookie: s.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': '' } });
}

test('a session POST without X-CSRF-Token is 403 csrf; with it, it works', async () => {
	const s = await Session.login(T.adminLogin, T.adminPassword);
	const bad = await api('POST', '/api/v1/admin/departments', { body: { name: 'x' }, headers: { cookie: s.cookieHeader() } });
	assert.equal(bad.status, 403);
	assert.equal(errorCode(bad), 'csrf');
	const wrong = await api('POST', '/api/v1/admin/departments', { body: { name: 'x' }, headers: { cookie: s.cookieHeader(), 'x-csrf-token': 'nope' } });
	assert.equal(errorCode(wrong), 'csrf');
	const ok = await s.post('/api/v1/admin/departments', { name: 'by session' });
	assert.equal(ok.status, 201);
	// and the console form without its hidden field
	const page = await api('POST', '/console/departments', { body: new URLSearchParams({ name: 'x' }), headers: { cookie: s.cookieHeader() } });
	assert.equal(page.status, 403);
});

test('an agent session may not use the admin API; a crm key neither', async () => {
	const login = unique('agent');
	await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'Agent', role: 'agent', password: 'agent-pass-1' } });
	const s = await Session.login(login, 'agent-pass-1');
	assert.equal((await s.get('/api/v1/admin/users')).status, 403);
	assert.equal((await s.get('/console/users')).status, 403);
	assert.equal((await s.get('/console')).status, 200);
	assert.equal((await api('GET', '/api/v1/admin/users')).status, 401);
	const crm = (await api('POST', '/api/v1/admin/api-keys', { key: T.apiKey, body: { name: 'c', scopes: ['crm'] } })).json.key;
	assert.equal((await api('POST', '/api/v1/admin/departments', { key: crm, body: { name: 'x' } })).status, 403);
});

test('logout kills the session server-side', async () => {
	const s = await Session.login(T.adminLogin, T.adminPassword);
	const cookie = s.cookieHeader();
	assert.equal((await s.get('/api/v1/admin/users')).status, 200);
	assert.equal((await s.logout()).status, 204);
	const replay = await api('GET', '/api/v1/admin/users', { headers: { cookie } });
	assert.equal(replay.status, 401);
	// the console's logout form too
	const s2 = await Session.login(T.adminLogin, T.adminPassword);
	const cookie2 = s2.cookieHeader();
	const out = await form(s2, '/logout', {});
	assert.equal(out.status, 303);
	assert.equal(out.headers.get('location'), '/login');
	const replay2 = await api('GET', '/console', { headers: { cookie: cookie2 } });
	assert.equal(replay2.status, 303);
	assert.match(replay2.headers.get('location'), /^\/login\?next=/);
});

test('too many failed logins: 429 with Retry-After', async () => {
	const login = unique('victim');
	await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'V', role: 'agent', password: 'right-pass-1' } });
	let last;
	for (let i = 0; i < 12; i++) {
		last = await api('POST', '/api/v1/auth/login', { body: { login, password: `wrong-${i}` } });
		if (last.status === 429)
			break;
		assert.equal(last.status, 401);
	}
	assert.equal(last.status, 429);
	assert.equal(errorCode(last), 'rate_limited');
	assert.ok(Number(last.headers.get('retry-after')) > 0);
	// even the right password waits now
	assert.equal((await api('POST', '/api/v1/auth/login', { body: { login, password: 'right-pass-1' } })).status, 429);
});

test('the HTML login form: wrong password keeps the login, success redirects only to a local next', async () => {
	const page = await api('GET', '/login?next=/console/users');
	assert.equal(page.status, 200);
	assert.match(page.headers.get('content-type'), /text\/html/);
	assert.match(page.headers.get('content-security-policy') || '', /script-src 'self'/);
	assert.match(page.text, /name="next" value="\/console\/users"/);
	const body = (fields) => ({ body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	const wrong = await api('POST', '/login', body({ login: T.adminLogin, password: 'nope-nope', next: '/console' }));
	assert.equal(wrong.status, 401);
	assert.ok(wrong.text.includes(`value="${T.adminLogin}"`));
	assert.doesNotMatch(wrong.text, /nope-nope/);
	for (const [next, want] of [['/console/users', '/console/users'], ['//evil.example/', '/console'],
		['https://evil.example/', '/console'], ['/\\evil.example', '/console']]) {
		const ok = await api('POST', '/login', body({ login: T.adminLogin, password: T.adminPassword, next }));
		assert.equal(ok.status, 303, next);
		assert.equal(ok.headers.get('location'), want, next);
		assert.match(ok.headers.get('set-cookie') || '', /HttpOnly/);
		assert.match(ok.headers.get('set-cookie') || '', /SameSite=Lax/);
	}
});

test('console pages: another tenant\'s objects are 404, the language switch sticks', async () => {
	const other = (await api('POST', '/api/v1/admin/departments', { key: U.apiKey, body: { name: 'Theirs' } })).json;
	const otherUser = (await api('POST', '/api/v1/admin/users', { key: U.apiKey, body: { login: unique('x'), name: 'X', role: 'agent' } })).json;
	const otherGroup = (await api('POST', '/api/v1/admin/groups', { key: U.apiKey, body: { name: 'G' } })).json;
	const s = await Session.login(T.adminLogin, T.adminPassword);
	assert.equal((await s.get(`/console/departments/${other.id}`)).status, 404);
	assert.equal((await s.get(`/console/users/${otherUser.id}`)).status, 404);
	assert.equal((await s.get(`/console/groups/${otherGroup.id}`)).status, 404);
	assert.equal((await form(s, `/console/groups/${otherGroup.id}/delete`, {})).status, 404);
	assert.equal((await api('GET', `/api/v1/admin/groups/${otherGroup.id}`, { key: U.apiKey })).status, 200);

	const en = await form(s, '/console/lang', { lang: 'en', next: '/console/users' });
	assert.equal(en.status, 303);
	assert.equal(en.headers.get('location'), '/console/users');
	let page = await s.get('/console/users');
	assert.match(page.text, /<html lang="en"/);
	assert.match(page.text, />Users</);
	await form(s, '/console/lang', { lang: 'zh-CN', next: '/console' });
	page = await s.get('/console/users', { headers: { 'accept-language': 'en' } });
	assert.match(page.text, /<html lang="zh-CN"/);
	assert.match(page.text, /用户/);
	const me = await s.put('/api/v1/agent/lang', { lang: 'en' });
	assert.equal(me.status, 200);
	assert.equal(me.json.lang, 'en');
	assert.equal((await s.put('/api/v1/agent/lang', { lang: 'fr' })).json.error.field, 'lang');
});

test('console forms share the API validation and keep the input on an error', async () => {
	const s = await Session.login(T.adminLogin, T.adminPassword);
	const login = unique('form-user');
	const bad = await form(s, '/console/users', { login, name: '李四', role: 'agent', password: 'short' });
	assert.equal(bad.status, 200);
	assert.ok(bad.text.includes(`value="${login}"`));
	assert.ok(bad.text.includes('value="李四"'));
	assert.match(bad.text, /class="field-error"/);
	assert.doesNotMatch(bad.text, /value="short"/);
	const good = await form(s, '/console/users', { login, name: '李四', role: 'agent', password: 'long-enough-1' });
	assert.equal(good.status, 303);
	const users = await api('GET', '/api/v1/admin/users', { key: T.apiKey });
	assert.ok(users.json.items.some((u) => u.login === login && u.name === '李四'));
	const g = await form(s, '/console/groups', { name: 'Hours', hours_enabled: '1', timezone: 'Asia/Shanghai', hours_mon: '09:00-18:00', hours_tue: '18:00-09:00' });
	assert.equal(g.status, 200);
	assert.ok(g.text.includes('value="18:00-09:00"'));
	const audit = await s.get('/console/audit');
	assert.equal(audit.status, 200);
	assert.match(audit.text, /form-user|李四/);
});

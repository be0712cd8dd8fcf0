// tests/integration/pipeline.test.mjs: the request pipeline's answers to bad input, methods, auth and limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, Session, api, ctl, errorCode, newTenant } from '../lib/kefu.mjs';

const login = (body, headers = {}) =>
	api('POST', '/api/v1/auth/login', { body, headers: { 'content-type': 'application/json', ...headers } });

test('wrong method: 405 with Allow, and OPTIONS lists the methods', async () => {
	const r = await api('PUT', '/healthz');
	assert.equal(r.status, 405);
	assert.equal(errorCode(r), 'method_not_allowed');
	assert.match(r.headers.get('allow'), /GET/);
	const o = await api('OPTIONS', '/api/v1/auth/login');
	assert.equal(o.status, 204);
	assert.match(o.headers.get('allow'), /POST/);
	const none = await api('OPTIONS', '/api/v1/nope');
	assert.equal(none.status, 404);
});

test('HEAD answers like GET without a body', async () => {
	const r = await api('HEAD', '/healthz');
	assert.equal(r.status, 200);
	assert.equal(r.text, '');
});

test('broken JSON is 400 invalid_json', async () => {
	for (const body of ['{"login":', '{"login":"a"} trailing', '[1,2', 'NaN', '{"a":1,}']) {
		const r = await login(body);
		assert.equal(r.status, 400, body);
		assert.equal(errorCode(r), 'invalid_json', body);
	}
});

test('invalid UTF-8 is 400 invalid_utf8', async () => {
	const bad = Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","password":"x"}')]);
	const r = await login(bad);
	assert.equal(r.status, 400);
	assert.equal(errorCode(r), 'invalid_utf8');
});

test('a missing or mistyped field is 400 invalid_field naming the field', async () => {
	let r = await login({ password: 'x' });
	assert.equal(r.status, 400);
	assert.equal(errorCode(r), 'invalid_field');
	assert.equal(r.json.error.field, 'login');
	r = await login({ login: 'someone', password: 42 });
	assert.equal(r.json.error.field, 'password');
	r = await login('');
	assert.equal(r.status, 400);
	assert.equal(r.json.error.field, 'login');
});

test('a body over the JSON limit is 413 too_large, whatever it holds', async () => {
	const big = JSON.stringify({ login: 'x'.repeat(70 * 1024), password: 'y' });
	const r = await login(big);
	assert.equal(r.status, 413);
	assert.equal(errorCode(r), 'too_large');
});

test('a non-JSON content type on a JSON route is 415', async () => {
	const r = await api('POST', '/api/v1/auth/login', {
		body: 'login=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' },
	});
	assert.equal(r.status, 415);
	assert.equal(errorCode(r), 'unsupported_type');
});

test('SQL and HTML in input are data, never code', async () => {
	const r = await login({ login: "' OR '1'='1' -- <script>alert(1)</script>", password: "'; DROP TABLE users; --" });
	assert.equal(r.status, 401);
	assert.equal(errorCode(r), 'unauthenticated');
	assert.equal((await api('GET', '/healthz')).status, 200);
});

test('credentials: none → 401, bad key → 401, CSRF enforced on session writes', async () => {
	assert.equal((await api('GET', '/api/v1/auth/me')).status, 401);
	const bad = await api('GET', '/api/v1/auth/me', { key: 'kefu_not-a-real-key' });
	assert.equal(bad.status, 401);
	const t = newTenant('pipe');
	const s = await Session.login(t.adminLogin, t.adminPassword);
	const me = await s.get('/api/v1/auth/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.role, 'admin');
	const noCsrf = await api('POST', '/api/v1/auth/logout', {
		body: {}, headers: { cookie: s.cookieHeader(), 'x-csrf-token': 'wrong' },
	});
	assert.equal(noCsrf.status, 403);
	assert.equal(errorCode(noCsrf), 'csrf');
	assert.equal((await s.get('/api/v1/auth/me')).status, 200, 'a refused logout leaves the session alive');
	assert.equal((await s.logout()).status, 204);
	const after = await api('GET', '/api/v1/auth/me', { headers: { cookie: `kefu_session=${'x'.repeat(10)}` } });
	assert.equal(after.status, 401);
});

test('logout kills the session server-side', async () => {
	const t = newTenant('pipe');
	const s = await Session.login(t.adminLogin, t.adminPassword);
	const cookie = s.cookieHeader();
	assert.equal((await s.logout()).status, 204);
	const replay = await api('GET', '/api/v1/auth/me', { headers: { cookie } });
	assert.equal(replay.status, 401);
});

test('wrong password and unknown login get the same 401', async () => {
	const t = newTenant('pipe');
	const a = await login({ login: t.adminLogin, password: 'wrong-password' });
	const b = await login({ login: `${t.adminLogin}-nobody`, password: 'wrong-password' });
	assert.equal(a.status, 401);
	assert.equal(b.status, 401);
	assert.deepEqual(a.json, b.json);
});

test('security headers on every answer', async () => {
	for (const path of ['/healthz', '/api/v1/nope']) {
		const r = await api('GET', path);
		assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
		assert.equal(r.headers.get('cache-control'), 'no-store', path);
	}
});

test('/metrics: loopback callers and admin keys, never crm-only keys', async () => {
	const r = await api('GET', '/metrics');
	assert.equal(r.status, 200);
	assert.match(r.text, /kefu_http_requests_total\{method="GET",route="\/healthz",code="2xx"\} \d+/);
	assert.match(r.text, /kefu_http_request_duration_seconds_bucket/);
	assert.match(r.text, /kefu_db_tx_retries_total \d+/);
	assert.match(r.text, /kefu_longpoll_parked \d+/);
	assert.match(r.text, /# TYPE kefu_queue_length gauge/);
	assert.match(r.text, /# TYPE kefu_live_conversations gauge/);
	const t = newTenant('pipe');
	const crmKey = ctl('api-key', 'create', '--tenant', t.name, '--scopes', 'crm').trim();
	assert.equal((await api('GET', '/metrics', { key: crmKey })).status, 403);
	assert.equal((await api('GET', '/metrics', { key: t.apiKey })).status, 200);
});

test('an API key is not a session: session-only routes refuse it', async () => {
	const t = newTenant('pipe');
	const r = await api('GET', '/api/v1/auth/me', { key: t.apiKey });
	assert.equal(r.status, 401);
});

test('many requests on one keep-alive connection stay correct', async () => {
	const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
		api('GET', i % 2 ? '/healthz' : '/api/v1/nope')));
	results.forEach((r, i) => assert.equal(r.status, i % 2 ? 200 : 404));
	assert.ok(KEFU_URL.startsWith('http://127.0.0.1'));
});

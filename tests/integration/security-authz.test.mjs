// tests/integration/security-authz.test.mjs: the security rules (docs/security.md): what a crm-only key may do to users, login throttling under concurrency and X-Forwarded-For, attachments only for who may read their conversation, read marks clamped to the stream's head, login CSRF by Origin, presence thresholds above the heartbeat.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KEFU_URL, api, ctl, errorCode, newAgent, newTenant, Session, unique } from '../lib/kefu.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
// domain/login.h LOGIN_MAX_PER_LOGIN
const LOGIN_LIMIT = 10;

let T, crmKey, channel;

function lastToken(out) {
	const words = out.trim().split(/\s+/);
	return words[words.length - 1];
}

async function newVisitor(key = channel.key) {
	const r = await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: { locale: 'en' } });
	assert.ok(r.status === 201 || r.status === 200, r.text);
	return { id: r.json.visitor_id, headers: { 'x-visitor-token': r.json.visitor_token } };
}

async function startConversation(v) {
	const r = await api('POST', '/api/v1/widget/conversations', { headers: v.headers, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

before(async () => {
	T = newTenant('authz');
	crmKey = lastToken(ctl('api-key', 'create', '--tenant', T.name, '--scopes', 'crm', '--name', 'crm only'));
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Authz shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
});

// ---- 1: a crm-only key cannot make or take over admins ----

test('crm-only key: creates and updates agents, but never admins, roles or passwords of existing users', async () => {
	const put = (ext, body, key = crmKey) => api('PUT', `/api/v1/crm/users/${ext}`, { key, body });
	const forbidden = (r, field) => {
		assert.equal(r.status, 403, r.text);
		assert.equal(errorCode(r), 'forbidden');
		assert.equal(r.json.error.field, field, r.text);
	};
	const dept = await api('PUT', '/api/v1/crm/departments/authz-d1', { key: crmKey, body: { name: 'Sales' } });
	assert.equal(dept.status, 201, dept.text);

	// A new agent with a password: allowed.
	const ext = unique('crm-agent'), login = unique('crm-agent'), pw = 'pw-' + randomBytes(6).toString('hex');
	const made = await put(ext, { login, name: 'Cee Agent', role: 'agent', password: pw });
	assert.equal(made.status, 201, made.text);
	// Name and departments of an agent: allowed.
	const upd = await put(ext, { name: 'Cee Renamed', department_external_ids: ['authz-d1'] });
	assert.equal(upd.status, 200, upd.text);
	assert.equal(upd.json.name, 'Cee Renamed');

	// A new admin: refused, and nothing made.
	const adminExt = unique('crm-admin');
	forbidden(await put(adminExt, { login: unique('crm-admin'), name: 'Evil', role: 'admin', password: 'pw-evil-123456' }), 'role');
	const users = (await api('GET', '/api/v1/admin/users', { key: T.apiKey })).json.items;
	assert.ok(!users.some((u) => u.external_id === adminExt), 'no admin was made');

	// An agent promoted: refused. "role": "agent" for an agent is no change.
	forbidden(await put(ext, { role: 'admin' }), 'role');
	assert.equal((await put(ext, { role: 'agent', name: 'Cee Again' })).status, 200);
	// A password for an existing user: refused; the old one still works, the new one does not.
	forbidden(await put(ext, { password: 'pw-taken-over-1' }), 'password');
	const s = new Session();
	assert.equal((await s.login(login, pw)).status, 200);
	const me = await s.get('/api/v1/auth/me');
	assert.equal(me.json.role, 'agent');
	// Where an existing user's mail goes: refused (it would carry every left message).
	forbidden(await put(ext, { email: 'thief@example.com' }), 'email');
	forbidden(await put(ext, { leave_digest: true }), 'leave_digest');

	// An existing admin: any change refused (name, departments, the same role).
	const aExt = unique('real-admin');
	const admin = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login: unique('real-admin'), name: 'Real Admin', role: 'admin', password: 'pw-admin-123456', external_id: aExt, department_ids: [] } });
	assert.equal(admin.status, 201, admin.text);
	forbidden(await put(aExt, { name: 'Hijacked' }), 'external_id');
	forbidden(await put(aExt, { department_external_ids: ['authz-d1'] }), 'external_id');
	forbidden(await put(aExt, { role: 'agent' }), 'role');
	forbidden(await put(aExt, { password: 'pw-hijack-12345' }), 'password');
	const still = (await api('GET', `/api/v1/admin/users/${admin.json.id}`, { key: T.apiKey })).json;
	assert.equal(still.name, 'Real Admin');
	assert.equal(still.role, 'admin');

	// A key with scope admin (and crm) may do all of it.
	const full = await put(unique('crm-admin'), { login: unique('crm-admin'), name: 'Made Admin', role: 'admin', password: 'pw-made-123456' }, T.apiKey);
	assert.equal(full.status, 201, full.text);
	assert.equal((await put(ext, { role: 'admin', password: 'pw-new-1234567' }, T.apiKey)).status, 200);
	assert.equal((await put(aExt, { name: 'Renamed Admin' }, T.apiKey)).status, 200);
});

// ---- 5: login throttling holds under concurrency; X-Forwarded-For only from trusted proxies ----

test('simultaneous wrong passwords on one login: at most the limit answer 401, the rest 429 with Retry-After', async () => {
	const login = unique('burst'), password = 'pw-' + randomBytes(6).toString('hex');
	const u = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'Burst', role: 'agent', password, department_ids: [] } });
	assert.equal(u.status, 201, u.text);
	const n = LOGIN_LIMIT + 6;
	const all = await Promise.all(Array.from({ length: n }, (_, i) =>
		api('POST', '/api/v1/auth/login', { body: { login, password: `wrong-${i}` } })));
	const by = (s) => all.filter((r) => r.status === s);
	assert.equal(by(401).length + by(429).length, n, all.map((r) => r.status).join(' '));
	assert.ok(by(401).length <= LOGIN_LIMIT, `${by(401).length} answered 401`);
	assert.ok(by(429).length >= n - LOGIN_LIMIT);
	for (const r of by(429)) {
		assert.equal(errorCode(r), 'rate_limited');
		assert.ok(Number(r.headers.get('retry-after')) > 0);
	}
	// The login is locked now, even with the right password.
	assert.equal((await api('POST', '/api/v1/auth/login', { body: { login, password } })).status, 429);
});

test('X-Forwarded-For from an untrusted peer is ignored: per-address limits count the peer', async () => {
	// Identity failures are limited per (channel, address) (domain/identity.h: 20 a minute);
	// a fresh channel keeps this test to itself.
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'XFF', allowed_origins: [] } })).json;
	assert.equal((await api('POST', `/api/v1/admin/channels/${ch.id}/identity/key`, { key: T.apiKey })).status, 201);
	let last;
	for (let i = 0; i < 25; i++) {
		last = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, {
			body: { custom_params: '00'.repeat(16) },
			headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
		});
		if (last.status === 429)
			break;
	}
	assert.equal(last.status, 429, last.text);
	assert.equal(errorCode(last), 'rate_limited');
});

test('simultaneous wrong identities on one channel: at most the limit answer 400, the rest 429', async () => {
	// The identity-failure limit (domain/identity.h: 20 a minute per channel and
	// address) holds under concurrency too; a fresh channel keeps it to this test.
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Identity burst', allowed_origins: [] } })).json;
	assert.equal((await api('POST', `/api/v1/admin/channels/${ch.id}/identity/key`, { key: T.apiKey })).status, 201);
	const all = await Promise.all(Array.from({ length: 32 }, () =>
		api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { custom_params: '00'.repeat(16) } })));
	const bad = all.filter((r) => r.status === 400).length, limited = all.filter((r) => r.status === 429).length;
	assert.equal(bad + limited, all.length, all.map((r) => r.status).join(' '));
	assert.ok(bad <= 20, `${bad} answered 400`);
	assert.ok(limited >= 12, `${limited} answered 429`);
});

// ---- 7: attachments follow their conversation ----

test('attachments: the visitor of the conversation and staff who may read it; anyone else 404', async () => {
	const A1 = await newAgent(T, 'Att One', 'online');
	const A2 = await newAgent(T, 'Att Two');
	const v = await newVisitor(), w = await newVisitor();
	const c = await startConversation(v);
	assert.equal(c.agent && c.agent.id, A1.id, JSON.stringify(c));
	const fd = new FormData();
	fd.append('file', new Blob([PNG], { type: 'image/png' }), 'a.png');
	const up = await api('POST', `/api/v1/widget/conversations/${c.id}/attachments`, { body: fd, headers: v.headers });
	assert.equal(up.status, 201, up.text);
	const url = up.json.attachment.url, bare = url.replace(/\?.*$/, '');

	// The conversation itself is 404 to the other agent: so is its attachment.
	assert.equal((await A2.get(`/api/v1/agent/conversations/${c.id}`)).status, 404);
	assert.equal((await A2.get(bare)).status, 404);
	assert.equal((await A1.get(bare)).status, 200);
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	assert.equal((await admin.get(bare)).status, 200);
	// The visitor by id with the visitor token; another visitor not.
	assert.equal((await api('GET', bare, { headers: v.headers })).status, 200);
	assert.equal((await api('GET', bare, { headers: w.headers })).status, 404);
	assert.equal((await api('GET', bare)).status, 404);
	// The URL with its token stays what the two sides' <img> use.
	assert.equal((await api('GET', url)).status, 200);
	// Another tenant's staff: 404.
	const U = newTenant('authz-other');
	const other = await Session.login(U.adminLogin, U.adminPassword);
	assert.equal((await other.get(bare)).status, 404);
	await A1.put('/api/v1/agent/status', { status: 'offline' });
});

// ---- 8: read marks ----

test('read marks: beyond the head is the head; a read position never moves backwards', async () => {
	const A = await newAgent(T, 'Reader', 'online');
	const v = await newVisitor();
	const c = await startConversation(v);
	assert.equal(c.agent && c.agent.id, A.id, JSON.stringify(c));
	assert.equal((await api('POST', `/api/v1/widget/conversations/${c.id}/messages`, { headers: v.headers, body: { kind: 'text', text: 'hello' } })).status, 201);
	const head = async () => {
		const ev = await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: v.headers });
		return Math.max(...ev.json.events.map((e) => e.seq));
	};
	const h1 = await head();
	const big = '{"seq": 9223372036854775807}';
	const vr = await api('POST', `/api/v1/widget/conversations/${c.id}/read`, { headers: { ...v.headers, 'content-type': 'application/json' }, body: big });
	assert.equal(vr.status, 200, vr.text);
	const ar = await A.request('POST', `/api/v1/agent/conversations/${c.id}/read`, { headers: { 'content-type': 'application/json' }, body: big });
	assert.equal(ar.status, 200, ar.text);
	let got = (await A.get(`/api/v1/agent/conversations/${c.id}`)).json;
	assert.ok(got.visitor_read_seq >= 1 && got.visitor_read_seq <= h1, `visitor_read_seq ${got.visitor_read_seq}, head ${h1}`);
	assert.ok(got.agent_read_seq >= 1 && got.agent_read_seq <= await head(), `agent_read_seq ${got.agent_read_seq}`);
	// The agent's messages after it are unread to the visitor until read.
	assert.equal((await A.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'hi there' })).status, 201);
	const h2 = await head();
	assert.ok(h2 > got.visitor_read_seq);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${c.id}/read`, { headers: v.headers, body: { seq: h2 } })).status, 200);
	got = (await A.get(`/api/v1/agent/conversations/${c.id}`)).json;
	assert.equal(got.visitor_read_seq, h2);
	// Backwards: no change.
	assert.equal((await api('POST', `/api/v1/widget/conversations/${c.id}/read`, { headers: v.headers, body: { seq: 1 } })).status, 200);
	assert.equal((await A.get(`/api/v1/agent/conversations/${c.id}`)).json.visitor_read_seq, h2);
	await A.put('/api/v1/agent/status', { status: 'offline' });
});

// ---- 9a: login CSRF ----

test('login from another origin or a cross-site form: 403, no session', async () => {
	const login = unique('csrf-login'), password = 'pw-' + randomBytes(6).toString('hex');
	assert.equal((await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'Csrf', role: 'agent', password, department_ids: [] } })).status, 201);
	const json = (headers) => api('POST', '/api/v1/auth/login', { body: { login, password }, headers });
	const form = (headers) => api('POST', '/login', {
		body: new URLSearchParams({ login, password, next: '/console' }).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
	});
	const refused = (r) => {
		assert.equal(r.status, 403, r.text);
		assert.equal(r.headers.getSetCookie().filter((c) => /^kefu_session=[^;]/.test(c)).length, 0);
	};
	for (const send of [json, form]) {
		refused(await send({ origin: 'https://evil.example' }));
		refused(await send({ origin: 'null' }));
		refused(await send({ 'sec-fetch-site': 'cross-site' }));
		refused(await send({ origin: KEFU_URL, 'sec-fetch-site': 'cross-site' }));
	}
	assert.equal(errorCode(await json({ origin: 'https://evil.example' })), 'forbidden');
	// The product's own origin, and callers that send no Origin (scripts): fine.
	assert.equal((await json({ origin: KEFU_URL, 'sec-fetch-site': 'same-origin' })).status, 200);
	assert.equal((await json({})).status, 200);
	const ok = await form({ origin: KEFU_URL });
	assert.ok(ok.status === 302 || ok.status === 303, `${ok.status}`);
	assert.ok(ok.headers.getSetCookie().some((c) => /^kefu_session=[^;]/.test(c)));
});

// ---- 9b: presence thresholds ----

test('offline_after_s below the workbench heartbeat: 400 invalid_field', async () => {
	const g = (await api('GET', '/api/v1/admin/presence', { key: T.apiKey })).json;
	const beat = g.heartbeat_s;
	assert.equal(beat, 20); // htdocs/workbench/presence.js beats every heartbeat_s
	for (const offline of [2, beat - 1]) {
		const r = await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { offline_after_s: offline } });
		assert.equal(r.status, 400, r.text);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, 'offline_after_s');
	}
	assert.equal((await api('GET', '/api/v1/admin/presence', { key: T.apiKey })).json.offline_after_s, g.offline_after_s);
	const ok = await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { offline_after_s: beat } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.offline_after_s, beat);
});

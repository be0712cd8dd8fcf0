// tests/integration/identity-verify.test.mjs: identity keys (generate, mask, audited reveal, rotation), legacy custom_params made by the openssl CLI, v2 tokens, auto-link, and one 400 for every malformed input with nothing created.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { Session, api, errorCode, newTenant } from '../lib/kefu.mjs';

let t, admin, channel, other;

// customParams exactly as the docs' shell sample makes it.
function opensslParams(json, keyB64) {
	const key = Buffer.from(keyB64, 'base64');
	const out = execFileSync('openssl', ['enc', `-aes-${key.length * 8}-ecb`, '-K', key.toString('hex'), '-nosalt'], { input: Buffer.from(json, 'utf8') });
	return out.toString('hex').toUpperCase();
}

function v2Token(keyB64, kid, identity, aud, { ttl = 300, jti = randomUUID(), now = Math.floor(Date.now() / 1000) } = {}) {
	const signingKey = createHmac('sha256', Buffer.from(keyB64, 'base64')).update('kefu-identity-v2').digest();
	const b64 = (o) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
	const h = b64({ alg: 'HS256', typ: 'JWT', kid });
	const c = b64({ ...identity, aud, iat: now, exp: now + ttl, jti });
	return `${h}.${c}.${createHmac('sha256', signingKey).update(`${h}.${c}`).digest('base64url')}`;
}

const register = (key, body) => api('POST', `/api/v1/widget/channels/${key}/visitors`, { body });
async function visitorCount() {
	let n = 0, after = 0;
	for (;;) {
		const r = await api('GET', `/api/v1/crm/objects/WebImVisitorObj/records?limit=200&after=${after}`, { key: t.apiKey });
		n += r.json.items.length;
		if (!r.json.next_after)
			return n;
		after = r.json.next_after;
	}
}

before(async () => {
	t = newTenant('ident');
	other = newTenant('ident-other');
	admin = await Session.login(t.adminLogin, t.adminPassword);
	const c = await admin.post('/api/v1/admin/channels', { name: 'Shop', allowed_origins: [] });
	assert.equal(c.status, 201, c.text);
	channel = c.json;
});

test('generate (201), masked after, reveal is audited, regenerate retires the old key at once', async () => {
	const none = await admin.get(`/api/v1/admin/channels/${channel.id}/identity`);
	assert.equal(none.status, 200);
	assert.equal(none.json.key_masked, null);
	assert.deepEqual(none.json.match_fields, ['full_name', 'phone']);
	const g = await admin.post(`/api/v1/admin/channels/${channel.id}/identity/key`);
	assert.equal(g.status, 201, g.text);
	assert.equal(Buffer.from(g.json.key, 'base64').length, 16);
	assert.equal(g.json.kid, 'k1');
	const s = await admin.get(`/api/v1/admin/channels/${channel.id}/identity`);
	assert.equal(s.json.enabled, true);
	assert.equal(s.json.key_masked, `${g.json.key.slice(0, 4)}…${g.json.key.slice(-4)}`);
	assert.ok(!s.text.includes(g.json.key));
	const rev = await admin.get(`/api/v1/admin/channels/${channel.id}/identity/key`);
	assert.equal(rev.status, 200);
	assert.equal(rev.json.key, g.json.key);
	const audit = await admin.get('/api/v1/admin/audit?limit=20');
	assert.ok(audit.json.items.some((i) => i.action === 'reveal_key' && i.object_id === channel.id), audit.text);
	assert.ok(!audit.text.includes(g.json.key));
	// Key via API key with scope admin, bits 256.
	const g2 = await api('POST', `/api/v1/admin/channels/${channel.id}/identity/key`, { key: t.apiKey, body: { bits: 256 } });
	assert.equal(g2.status, 201);
	assert.equal(Buffer.from(g2.json.key, 'base64').length, 32);
	assert.equal(g2.json.kid, 'k2');
	const oldParams = opensslParams('{"full_name":"张三","phone":"15912345678"}', g.json.key);
	const r = await register(channel.key, { custom_params: oldParams });
	assert.equal(r.status, 400);
	assert.equal(errorCode(r), 'identity_invalid');
	const newParams = opensslParams('{"full_name":"张三","phone":"15912345678"}', g2.json.key);
	assert.equal((await register(channel.key, { custom_params: newParams })).status, 201);
	const bad = await api('POST', `/api/v1/admin/channels/${channel.id}/identity/key`, { key: t.apiKey, body: { bits: 100 } });
	assert.equal(bad.status, 400);
	// Another tenant's channel: 404. An agent: 403.
	assert.equal((await api('GET', `/api/v1/admin/channels/${channel.id}/identity/key`, { key: other.apiKey })).status, 404);
	const crmOnly = await api('GET', `/api/v1/admin/channels/${channel.id}/identity/key`, { key: 'nope' });
	assert.equal(crmOnly.status, 401);
});

test('legacy custom_params from openssl: matched to one visitor record, auto-linked to contact and account', async () => {
	const key = (await admin.post(`/api/v1/admin/channels/${channel.id}/identity/key`)).json.key;
	const p = await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, { auto_link: { enabled: true, contact_fields: ['phone'] } });
	assert.equal(p.status, 200, p.text);
	assert.deepEqual(p.json.auto_link, { enabled: true, contact_fields: ['phone'] });
	const acc = await api('PUT', '/api/v1/crm/objects/AccountObj/records/acc-zs', { key: t.apiKey, body: { fields: { name: '张三贸易' } } });
	const con = await api('PUT', '/api/v1/crm/objects/ContactObj/records/con-zs', {
		key: t.apiKey, body: { fields: { full_name: '张三', phone: '15900000001', account_id: acc.json.id, roles: 'partner, vip' } },
	});
	const json = '{"full_name":"张三","phone":"15900000001","email":"z@example.com"}';
	const params = opensslParams(json, key);
	const before = await visitorCount();
	const r1 = await register(channel.key, { custom_params: params });
	assert.equal(r1.status, 201, r1.text);
	assert.equal(r1.json.identified, true);
	assert.equal(r1.json.name, '张三');
	assert.equal(r1.json.contact_id, con.json.id);
	assert.equal(r1.json.account_id, acc.json.id);
	assert.deepEqual(r1.json.roles, ['partner', 'vip']);
	const r2 = await register(channel.key, { custom_params: params.toLowerCase() });
	assert.equal(r2.status, 201);
	assert.equal(await visitorCount(), before + 1, 'one WebImVisitorObj for the same name + phone');
	const found = await api('GET', '/api/v1/crm/objects/WebImVisitorObj/records?field.phone=15900000001', { key: t.apiKey });
	assert.equal(found.json.items.length, 1);
	assert.equal(found.json.items[0].fields.email, 'z@example.com');
	assert.equal(found.json.items[0].fields.contact_id, con.json.id);
	// Roles from the identity win over the contact's.
	const r3 = await register(channel.key, { custom_params: opensslParams('{"full_name":"张三","phone":"15900000001","roles":["gold"]}', key) });
	assert.deepEqual(r3.json.roles, ['gold']);
	// Resuming with a token and identity makes the guest identified.
	const guest = await register(channel.key, {});
	assert.equal(guest.json.identified, false);
	const resumed = await register(channel.key, { visitor_token: guest.json.visitor_token, custom_params: params });
	assert.equal(resumed.status, 200);
	assert.equal(resumed.json.identified, true);
});

test('guests get a WebImVisitorObj record too', async () => {
	const before = await visitorCount();
	const g = await register(channel.key, { page_url: 'https://shop.example/' });
	assert.equal(g.status, 201);
	assert.deepEqual(g.json.roles, ['guest']);
	assert.equal(await visitorCount(), before + 1);
});

test('every malformed custom_params is the same 400 identity_invalid, and nothing is created', async () => {
	const key = (await admin.get(`/api/v1/admin/channels/${channel.id}/identity/key`)).json.key;
	const wrongKey = Buffer.alloc(16, 7).toString('base64');
	const cases = [
		'', 'zz', 'ABC', '00'.repeat(16), opensslParams('{"full_name":"x","phone":"1"}', wrongKey),
		opensslParams('not json', key), opensslParams('["full_name","phone"]', key), opensslParams('{"full_name":"x"}', key),
		opensslParams('{"full_name":"x","phone":""}', key), opensslParams('{"full_name":"x","phone":"1","roles":"vip"}', key),
		opensslParams('{"full_name":"x","phone":"1"} {}', key), 'A'.repeat(20000),
		opensslParams('{"full_name":"x","phone":"1"}', key).slice(0, -2), 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJ9.',
	];
	const before = await visitorCount();
	let message;
	for (const c of cases) {
		const r = await register(channel.key, { custom_params: c });
		assert.equal(r.status, 400, `case ${c.slice(0, 40)}: ${r.text}`);
		assert.equal(errorCode(r), 'identity_invalid');
		message ??= r.json.error.message;
		assert.equal(r.json.error.message, message, 'one message for every cause');
	}
	assert.equal(await visitorCount(), before);
});

test('v2 tokens: accepted once, replay refused, wrong aud/kid refused; require_v2 refuses legacy', async () => {
	const other2 = await admin.post('/api/v1/admin/channels', { name: 'V2', allowed_origins: [] });
	const ch = other2.json;
	const g = await admin.post(`/api/v1/admin/channels/${ch.id}/identity/key`);
	const id = { full_name: '赵六', phone: '15911112222', roles: ['vip'] };
	const tok = v2Token(g.json.key, g.json.kid, id, ch.key);
	const r = await register(ch.key, { custom_params: tok });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.identified, true);
	assert.deepEqual(r.json.roles, ['vip']);
	const replay = await register(ch.key, { custom_params: tok });
	assert.equal(replay.status, 400);
	assert.equal(errorCode(replay), 'identity_invalid');
	assert.equal((await register(ch.key, { custom_params: v2Token(g.json.key, g.json.kid, id, channel.key) })).status, 400);
	assert.equal((await register(ch.key, { custom_params: v2Token(g.json.key, 'k9', id, ch.key) })).status, 400);
	assert.equal((await register(ch.key, { custom_params: v2Token(g.json.key, g.json.kid, id, ch.key, { ttl: 3600 }) })).status, 400);
	const p = await admin.patch(`/api/v1/admin/channels/${ch.id}/identity`, { require_v2: true });
	assert.equal(p.json.require_v2, true);
	const legacy = await register(ch.key, { custom_params: opensslParams(JSON.stringify(id), g.json.key) });
	assert.equal(legacy.status, 400);
	assert.equal((await register(ch.key, { custom_params: v2Token(g.json.key, g.json.kid, id, ch.key) })).status, 201);
	// Rotation: the old kid stops at once.
	const g2 = await admin.post(`/api/v1/admin/channels/${ch.id}/identity/key`);
	assert.equal((await register(ch.key, { custom_params: v2Token(g.json.key, g.json.kid, id, ch.key) })).status, 400);
	assert.equal((await register(ch.key, { custom_params: v2Token(g2.json.key, g2.json.kid, id, ch.key) })).status, 201);
});

test('PATCH validates the settings document', async () => {
	for (const body of [{ match_fields: [] }, { match_fields: ['Bad Name'] }, { match_fields: ['phone', 'phone'] },
		{ enabled: 'yes' }, { auto_link: { contact_fields: 'phone' } }]) {
		const r = await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(errorCode(r), 'invalid_field');
	}
	const ok = await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, { match_fields: ['phone'] });
	assert.deepEqual(ok.json.match_fields, ['phone']);
	await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, { match_fields: ['full_name', 'phone'] });
});

test('failures are rate limited per channel and address (429)', async () => {
	const ch = (await admin.post('/api/v1/admin/channels', { name: 'RL', allowed_origins: [] })).json;
	await admin.post(`/api/v1/admin/channels/${ch.id}/identity/key`);
	let last;
	for (let i = 0; i < 25; i++)
		last = await register(ch.key, { custom_params: '00'.repeat(16) });
	assert.equal(last.status, 429);
	assert.equal(errorCode(last), 'rate_limited');
	assert.ok(Number(last.headers.get('retry-after')) > 0);
});

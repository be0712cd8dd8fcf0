// tests/integration/channels.test.mjs: web channels (admin CRUD, validation, embed) and the public widget channel/visitor API.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newTenant, errorCode } from '../lib/kefu.mjs';

const ORIGIN = 'https://shop.example';
let A, B;

before(() => {
	A = newTenant('chan-a');
	B = newTenant('chan-b');
});

const admin = (t, method, path, body) => api(method, `/api/v1/admin/channels${path}`, { key: t.apiKey, body });

async function newChannel(t, extra = {}) {
	const r = await admin(t, 'POST', '', { name: 'Shop', allowed_origins: [ORIGIN], ...extra });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

test('create fills style defaults and gives an id and a public key', async () => {
	const c = await newChannel(A, { prechat_fields: [{ name: 'phone', label: '电话', type: 'phone', required: true }] });
	assert.equal(typeof c.id, 'number');
	assert.match(c.key, /^[A-Za-z0-9_-]{20,}$/);
	assert.deepEqual(c.allowed_origins, [ORIGIN]);
	assert.deepEqual(c.style, { theme_color: '#1677ff', button_label: '在线咨询', button_style: 'bubble', icon: 'chat', position: 'right' });
	assert.deepEqual(c.prechat_fields, [{ name: 'phone', label: '电话', type: 'phone', required: true }]);
	assert.match(c.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('list, get, patch (partial) and delete', async () => {
	const c = await newChannel(A);
	const list = await admin(A, 'GET', '');
	assert.equal(list.status, 200);
	assert.ok(list.json.items.some((x) => x.id === c.id));
	const got = await admin(A, 'GET', `/${c.id}`);
	assert.equal(got.status, 200);
	assert.equal(got.json.key, c.key);

	const p = await admin(A, 'PATCH', `/${c.id}`, { style: { theme_color: '#FF0000', position: 'left' } });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.name, 'Shop', 'absent fields keep their value');
	assert.deepEqual(p.json.allowed_origins, [ORIGIN]);
	assert.equal(p.json.style.theme_color, '#ff0000');
	assert.equal(p.json.style.position, 'left');
	assert.equal(p.json.style.button_style, 'bubble', 'absent style keys keep their value');
	assert.equal(p.json.key, c.key, 'the key never changes');

	const p2 = await admin(A, 'PATCH', `/${c.id}`, { name: 'Renamed', prechat_fields: [] });
	assert.equal(p2.json.name, 'Renamed');
	assert.equal(p2.json.style.theme_color, '#ff0000');

	assert.equal((await admin(A, 'DELETE', `/${c.id}`)).status, 204);
	assert.equal((await admin(A, 'GET', `/${c.id}`)).status, 404);
	assert.equal((await admin(A, 'DELETE', `/${c.id}`)).status, 404);
	assert.ok(!(await admin(A, 'GET', '')).json.items.some((x) => x.id === c.id));
	// A deleted channel's key no longer works for the widget.
	assert.equal((await api('GET', `/api/v1/widget/channels/${c.key}`)).status, 404);
});

test('validation: 400 invalid_field naming the field, nothing created', async () => {
	const before = (await admin(A, 'GET', '')).json.items.length;
	const cases = [
		[{}, 'name'],
		[{ name: '' }, 'name'],
		[{ name: 'x'.repeat(101) }, 'name'],
		[{ name: 7 }, 'name'],
		[{ name: 'ok', allowed_origins: 'https://a.example' }, 'allowed_origins'],
		[{ name: 'ok', allowed_origins: ['https://a.example/path'] }, 'allowed_origins.0'],
		[{ name: 'ok', allowed_origins: ['https://a.example', 'ftp://b.example'] }, 'allowed_origins.1'],
		[{ name: 'ok', allowed_origins: ['https://a.example/'] }, 'allowed_origins.0'],
		[{ name: 'ok', allowed_origins: ['https://a.example:99999'] }, 'allowed_origins.0'],
		[{ name: 'ok', allowed_origins: ['https://a b.example'] }, 'allowed_origins.0'],
		[{ name: 'ok', allowed_origins: Array.from({ length: 51 }, (_, i) => `https://s${i}.example`) }, 'allowed_origins'],
		[{ name: 'ok', style: { theme_color: 'red' } }, 'style.theme_color'],
		[{ name: 'ok', style: { theme_color: '#12345' } }, 'style.theme_color'],
		[{ name: 'ok', style: { button_label: '' } }, 'style.button_label'],
		[{ name: 'ok', style: { button_label: '一二三四五六七八九十一二三四五六七八九十一' } }, 'style.button_label'],
		[{ name: 'ok', style: { button_style: 'round' } }, 'style.button_style'],
		[{ name: 'ok', style: { icon: 'http://cdn.example/i.png' } }, 'style.icon'],
		[{ name: 'ok', style: { icon: 'javascript:alert(1)' } }, 'style.icon'],
		[{ name: 'ok', style: { position: 'top' } }, 'style.position'],
		[{ name: 'ok', style: { colour: '#000000' } }, 'style.colour'],
		[{ name: 'ok', style: [] }, 'style'],
		[{ name: 'ok', prechat_fields: {} }, 'prechat_fields'],
		[{ name: 'ok', prechat_fields: [{ name: 'Phone', label: 'P', type: 'text' }] }, 'prechat_fields.0.name'],
		[{ name: 'ok', prechat_fields: [{ name: 'a', label: 'A', type: 'text' }, { name: 'a', label: 'B', type: 'text' }] }, 'prechat_fields.1.name'],
		[{ name: 'ok', prechat_fields: [{ name: 'a', label: '', type: 'text' }] }, 'prechat_fields.0.label'],
		[{ name: 'ok', prechat_fields: [{ name: 'a', label: 'A', type: 'date' }] }, 'prechat_fields.0.type'],
		[{ name: 'ok', prechat_fields: [{ name: 'a', label: 'A', type: 'select' }] }, 'prechat_fields.0.options'],
		[{ name: 'ok', prechat_fields: [{ name: 'a', label: 'A', type: 'select', options: [] }] }, 'prechat_fields.0.options'],
		[{ name: 'ok', prechat_fields: [{ name: 'a', label: 'A', type: 'text', required: 'yes' }] }, 'prechat_fields.0.required'],
	];
	for (const [body, field] of cases) {
		const r = await admin(A, 'POST', '', body);
		assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
		assert.equal(errorCode(r), 'invalid_field', JSON.stringify(body));
		assert.equal(r.json.error.field, field, JSON.stringify(body));
	}
	const c = await newChannel(A);
	const bad = await admin(A, 'PATCH', `/${c.id}`, { name: 'changed', style: { theme_color: 'nope' } });
	assert.equal(bad.status, 400);
	assert.equal((await admin(A, 'GET', `/${c.id}`)).json.name, 'Shop', 'a refused PATCH changes nothing');
	assert.equal((await admin(A, 'GET', '')).json.items.length, before + 1);
});

test('accepted edge values: IPv6 and ports, https icon, upper-case origins normalised, select options', async () => {
	const c = await newChannel(A, {
		allowed_origins: ['HTTPS://Shop.Example:8443', 'http://[::1]:8080', 'http://localhost'],
		style: { icon: 'https://cdn.example/icon.png', button_style: 'bar', button_label: '一二三四五六七八九十一二三四五六七八九十' },
		prechat_fields: [{ name: 'topic_1', label: '主题 <b>', type: 'select', options: ['售前', '售后'] }],
	});
	assert.deepEqual(c.allowed_origins, ['https://shop.example:8443', 'http://[::1]:8080', 'http://localhost']);
	assert.equal(c.style.icon, 'https://cdn.example/icon.png');
	assert.deepEqual(c.prechat_fields[0], { name: 'topic_1', label: '主题 <b>', type: 'select', options: ['售前', '售后'], required: false });
});

test('another tenant\'s channel is 404 for every verb', async () => {
	const c = await newChannel(A);
	for (const [m, p, body] of [['GET', `/${c.id}`], ['PATCH', `/${c.id}`, { name: 'x' }], ['DELETE', `/${c.id}`], ['GET', `/${c.id}/embed`]]) {
		const r = await admin(B, m, p, body);
		assert.equal(r.status, 404, `${m} ${p}`);
		assert.equal(errorCode(r), 'not_found');
	}
	assert.ok(!(await admin(B, 'GET', '')).json.items.some((x) => x.id === c.id));
	assert.equal((await admin(A, 'GET', `/${c.id}`)).json.name, 'Shop');
});

test('admin routes need an admin', async () => {
	assert.equal((await api('GET', '/api/v1/admin/channels')).status, 401);
	assert.equal((await api('GET', '/api/v1/admin/channels', { key: 'nope' })).status, 401);
});

test('embed: one async script tag with the public URL and the key', async () => {
	const c = await newChannel(A);
	const r = await admin(A, 'GET', `/${c.id}/embed`);
	assert.equal(r.status, 200);
	const m = /^<script async src="([^"]+)" data-kefu-channel="([^"]+)"><\/script>$/.exec(r.json.html);
	assert.ok(m, r.json.html);
	assert.equal(m[1], `${KEFU_URL}/static/widget/loader.js`);
	assert.equal(m[2], c.key);
	const js = await fetch(m[1]);
	assert.equal(js.status, 200);
	assert.match(js.headers.get('content-type'), /javascript/);
});

test('widget channel settings: public, by key', async () => {
	const c = await newChannel(A, { style: { theme_color: '#00aa00' }, prechat_fields: [{ name: 'n', label: 'N', type: 'text', required: false }] });
	const r = await api('GET', `/api/v1/widget/channels/${c.key}`);
	assert.equal(r.status, 200);
	assert.equal(r.json.name, 'Shop');
	assert.equal(r.json.style.theme_color, '#00aa00');
	assert.deepEqual(r.json.prechat_fields, c.prechat_fields);
	assert.equal(r.json.online, false);
	assert.equal(r.json.open_now, true);
	assert.equal(r.json.choice, null);
	assert.equal(r.json.leave_message, null);
	assert.equal(r.json.allowed_origins, undefined, 'no admin settings leak');
	assert.equal((await api('GET', '/api/v1/widget/channels/no-such-key')).status, 404);
});

test('widget origin check: foreign origin 403, allowed origin echoed, preflight', async () => {
	const c = await newChannel(A);
	const bad = await api('GET', `/api/v1/widget/channels/${c.key}`, { headers: { origin: 'https://evil.example' } });
	assert.equal(bad.status, 403);
	assert.equal(errorCode(bad), 'origin_not_allowed');
	assert.equal(bad.headers.get('access-control-allow-origin'), null);
	const badPost = await api('POST', `/api/v1/widget/channels/${c.key}/visitors`, { headers: { origin: 'https://evil.example' }, body: {} });
	assert.equal(badPost.status, 403);
	assert.equal(errorCode(badPost), 'origin_not_allowed');

	const ok = await api('GET', `/api/v1/widget/channels/${c.key}`, { headers: { origin: ORIGIN } });
	assert.equal(ok.status, 200);
	assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
	assert.match(ok.headers.get('vary') || '', /Origin/);
	// kefu's own origin (the widget frame's POSTs carry it) is always allowed.
	const self = await api('POST', `/api/v1/widget/channels/${c.key}/visitors`, { headers: { origin: new URL(KEFU_URL).origin }, body: {} });
	assert.equal(self.status, 201, self.text);

	const pre = await fetch(`${KEFU_URL}/api/v1/widget/channels/${c.key}/visitors`, {
		method: 'OPTIONS',
		headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-visitor-token' },
	});
	assert.equal(pre.status, 204);
	assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
	assert.match(pre.headers.get('access-control-allow-headers'), /X-Visitor-Token/i);
	assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
});

test('the frame page may only be framed by the channel\'s origins', async () => {
	const c = await newChannel(A, { allowed_origins: [ORIGIN, 'http://localhost:3000'] });
	const r = await fetch(`${KEFU_URL}/widget/frame/${c.key}`);
	assert.equal(r.status, 200);
	const csp = r.headers.get('content-security-policy');
	assert.match(csp, /frame-ancestors https:\/\/shop\.example http:\/\/localhost:3000$/);
	assert.match(csp, /script-src 'self'/);
	assert.equal(r.headers.get('x-frame-options'), null);
	const none = await newChannel(A, { allowed_origins: [] });
	assert.match((await fetch(`${KEFU_URL}/widget/frame/${none.key}`)).headers.get('content-security-policy'), /frame-ancestors 'none'$/);
	assert.equal((await fetch(`${KEFU_URL}/widget/frame/nope`)).status, 404);
});

test('visitor registration: new 201, resumed 200, unknown token new 201, other channel new', async () => {
	const c = await newChannel(A);
	const path = `/api/v1/widget/channels/${c.key}/visitors`;
	const first = await api('POST', path, { body: { page_url: 'https://shop.example/p/1', referrer: 'https://search.example/', locale: 'zh-CN', attributes: { plan: 'gold', n: 3, vip: true } } });
	assert.equal(first.status, 201, first.text);
	assert.equal(typeof first.json.visitor_id, 'number');
	assert.ok(first.json.visitor_token.length >= 32);
	assert.equal(first.json.identified, false);
	assert.deepEqual(first.json.roles, ['guest']);

	const again = await api('POST', path, { body: { visitor_token: first.json.visitor_token, page_url: 'https://shop.example/p/2' } });
	assert.equal(again.status, 200, again.text);
	assert.equal(again.json.visitor_id, first.json.visitor_id);
	assert.equal(again.json.visitor_token, first.json.visitor_token);

	const unknown = await api('POST', path, { body: { visitor_token: 'no-such-token' } });
	assert.equal(unknown.status, 201);
	assert.notEqual(unknown.json.visitor_id, first.json.visitor_id);
	assert.notEqual(unknown.json.visitor_token, 'no-such-token');

	const other = await newChannel(A);
	const elsewhere = await api('POST', `/api/v1/widget/channels/${other.key}/visitors`, { body: { visitor_token: first.json.visitor_token } });
	assert.equal(elsewhere.status, 201, 'a token is only good for its own channel');

	const empty = await api('POST', path, {});
	assert.equal(empty.status, 201, 'an empty body registers a guest');
});

test('visitor registration validation', async () => {
	const c = await newChannel(A);
	const path = `/api/v1/widget/channels/${c.key}/visitors`;
	const cases = [
		[{ attributes: 'x' }, 'attributes'],
		[{ attributes: { nested: { a: 1 } } }, 'attributes.nested'],
		[{ attributes: { list: [1] } }, 'attributes.list'],
		[{ attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, 'attributes'],
		[{ page_url: 5 }, 'page_url'],
		[{ locale: 'x'.repeat(36) }, 'locale'],
		[{ visitor_token: '' }, 'visitor_token'],
	];
	for (const [body, field] of cases) {
		const r = await api('POST', path, { body });
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.error.field, field, JSON.stringify(body));
	}
	// Identity verification is not there yet: any custom_params is refused, never ignored.
	const id = await api('POST', path, { body: { custom_params: 'A1B2C3D4' } });
	assert.equal(id.status, 400);
	assert.equal(errorCode(id), 'identity_invalid');
});

test('broken bodies: invalid JSON, invalid UTF-8, oversized', async () => {
	const c = await newChannel(A);
	const path = `/api/v1/widget/channels/${c.key}/visitors`;
	const send = (body) => api('POST', path, { body, headers: { 'content-type': 'application/json' } });
	const j = await send('{"page_url": ');
	assert.equal(j.status, 400);
	assert.equal(errorCode(j), 'invalid_json');
	const u = await send(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
	assert.equal(u.status, 400);
	assert.equal(errorCode(u), 'invalid_utf8');
	const big = await send(JSON.stringify({ page_url: 'x'.repeat(70 * 1024) }));
	assert.equal(big.status, 413);
	assert.equal(errorCode(big), 'too_large');
	const adm = await api('POST', '/api/v1/admin/channels', { key: A.apiKey, body: '[1,', headers: { 'content-type': 'application/json' } });
	assert.equal(adm.status, 400);
	assert.equal(errorCode(adm), 'invalid_json');
	const arr = await api('POST', '/api/v1/admin/channels', { key: A.apiKey, body: '[]', headers: { 'content-type': 'application/json' } });
	assert.equal(arr.status, 400);
});

test('visitor routes need X-Visitor-Token (missing, unknown, foreign origin)', async () => {
	const c = await newChannel(A);
	const v = (await api('POST', `/api/v1/widget/channels/${c.key}/visitors`, { body: {} })).json;
	const none = await api('GET', '/api/v1/widget/visitor');
	assert.equal(none.status, 401);
	assert.equal(errorCode(none), 'unauthenticated');
	const bad = await api('GET', '/api/v1/widget/visitor', { headers: { 'x-visitor-token': 'nope' } });
	assert.equal(bad.status, 401);
	const ok = await api('GET', '/api/v1/widget/visitor', { headers: { 'x-visitor-token': v.visitor_token, origin: ORIGIN } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.visitor_id, v.visitor_id);
	assert.equal(ok.json.visitor_token, undefined);
	assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
	const foreign = await api('GET', '/api/v1/widget/visitor', { headers: { 'x-visitor-token': v.visitor_token, origin: 'https://evil.example' } });
	assert.equal(foreign.status, 403);
	assert.equal(errorCode(foreign), 'origin_not_allowed');
	// Deleting the channel ends its visitors' sessions.
	await admin(A, 'DELETE', `/${c.id}`);
	assert.equal((await api('GET', '/api/v1/widget/visitor', { headers: { 'x-visitor-token': v.visitor_token } })).status, 401);
});

// A text message looks its token up in the transaction that writes it (not in a
// lookup of its own first): the answers must be exactly those of every other
// visitor route, in the same order of precedence.
test('message posts: token, origin and body checks answer as on every visitor route', async () => {
	const c = await newChannel(A);
	const visitor = async () => (await api('POST', `/api/v1/widget/channels/${c.key}/visitors`, { body: {} })).json;
	const v = await visitor(), w = await visitor();
	const conv = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.visitor_token }, body: { channel_key: c.key, prechat: {} } });
	assert.equal(conv.status, 201, conv.text);
	const path = `/api/v1/widget/conversations/${conv.json.id}/messages`;
	const post = (token, body, origin) => api('POST', path, {
		body, headers: { 'content-type': 'application/json', ...(token ? { 'x-visitor-token': token } : {}), ...(origin ? { origin } : {}) },
	});
	const good = JSON.stringify({ kind: 'text', text: 'hello' });

	for (const [token, body] of [[null, good], ['nope', good], ['nope', '{"kind":'], ['nope', JSON.stringify({ kind: 'text', text: '' })],
		['nope', JSON.stringify({ kind: 'card', button_id: 1, record_id: 1 })], ['x'.repeat(201), good]]) {
		const r = await post(token, body, ORIGIN);
		assert.equal(r.status, 401, `${token} ${body}: ${r.text}`);
		assert.equal(errorCode(r), 'unauthenticated');
		assert.equal(r.headers.get('access-control-allow-origin'), null);
	}
	const foreign = await post(v.visitor_token, good, 'https://evil.example');
	assert.equal(foreign.status, 403, foreign.text);
	assert.equal(errorCode(foreign), 'origin_not_allowed');
	assert.equal(foreign.headers.get('access-control-allow-origin'), null);
	const foreignBad = await post(v.visitor_token, '{"kind":', 'https://evil.example');
	assert.equal(foreignBad.status, 403, 'the origin is refused before the body is looked at');

	const bad = await post(v.visitor_token, JSON.stringify({ kind: 'text', text: '   ' }), ORIGIN);
	assert.equal(bad.status, 400, bad.text);
	assert.equal(bad.json.error.field, 'text');
	assert.equal(bad.headers.get('access-control-allow-origin'), ORIGIN, 'a known caller may read its error');

	const ok = await post(v.visitor_token, good, ORIGIN);
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.text, 'hello');
	assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
	const self = await post(v.visitor_token, good, new URL(KEFU_URL).origin);
	assert.equal(self.status, 201, 'kefu\'s own origin (the widget frame) is always allowed');
	const notMine = await post(w.visitor_token, good, ORIGIN);
	assert.equal(notMine.status, 404, notMine.text);
	assert.equal(errorCode(notMine), 'not_found');
	assert.equal(notMine.headers.get('access-control-allow-origin'), ORIGIN);

	// Deleting the channel ends its visitors' sessions, for messages too.
	await admin(A, 'DELETE', `/${c.id}`);
	const gone = await post(v.visitor_token, good, ORIGIN);
	assert.equal(gone.status, 401, gone.text);
	const evs = await api('GET', `/api/v1/admin/channels/${c.id}`, { key: A.apiKey });
	assert.equal(evs.status, 404);
});

// tests/integration/visitor-identity.test.mjs: a visitor token is bound to one person: resuming an identified visitor with another identity (legacy customParams or v2 token) or none is a new visitor that reaches nothing of the first; a guest who becomes identified keeps the guest's conversations.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomUUID } from 'node:crypto';
import { Session, api, newTenant } from '../lib/kefu.mjs';

let t, admin, channel, key, kid, button, ordersA;

const ALICE = { full_name: '王五', phone: '13800000005' };
const BOB = { full_name: '赵六', phone: '13900000006' };

// The site's side, as docs/identity.md describes both formats.
function legacy(identity) {
	const k = Buffer.from(key, 'base64');
	const c = createCipheriv(`aes-${k.length * 8}-ecb`, k, null);
	return Buffer.concat([c.update(JSON.stringify(identity), 'utf8'), c.final()]).toString('hex').toUpperCase();
}
function v2(identity) {
	const signing = createHmac('sha256', Buffer.from(key, 'base64')).update('kefu-identity-v2').digest();
	const b64 = (o) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
	const now = Math.floor(Date.now() / 1000);
	const h = b64({ alg: 'HS256', typ: 'JWT', kid });
	const c = b64({ ...identity, aud: channel.key, iat: now, exp: now + 300, jti: randomUUID() });
	return `${h}.${c}.${createHmac('sha256', signing).update(`${h}.${c}`).digest('base64url')}`;
}
const FORMATS = { 'legacy customParams': legacy, 'v2 token': v2 };

const register = (body) => api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body });
const as = (v, method, path, body) => api(method, path, { headers: { 'x-visitor-token': v.visitor_token }, body });
const put = (obj, ext, fields) => api('PUT', `/api/v1/crm/objects/${obj}/records/${ext}`, { key: t.apiKey, body: { fields } });

// A visitor with a conversation holding one message of its own; returns {visitor, conv}.
async function chatting(body, text) {
	const r = await register(body);
	assert.equal(r.status, 201, r.text);
	const c = await as(r.json, 'POST', '/api/v1/widget/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(c.status, 201, c.text);
	const m = await as(r.json, 'POST', `/api/v1/widget/conversations/${c.json.id}/messages`, { kind: 'text', text });
	assert.equal(m.status, 201, m.text);
	return { visitor: r.json, conv: c.json.id };
}

// Nothing of the conversation conv is reachable with visitor v's token.
async function unreachable(v, conv, secret) {
	const list = await as(v, 'GET', '/api/v1/widget/conversations');
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.items.map((c) => c.id).filter((id) => id === conv), []);
	assert.ok(!list.text.includes(secret));
	for (const [method, path, body] of [
		['GET', `/api/v1/widget/conversations/${conv}`],
		['GET', `/api/v1/widget/conversations/${conv}/events?after=0`],
		['POST', `/api/v1/widget/conversations/${conv}/messages`, { kind: 'text', text: 'hi' }],
		['POST', `/api/v1/widget/conversations/${conv}/read`, { seq: 1 }],
		['POST', `/api/v1/widget/conversations/${conv}/close`, {}],
	]) {
		const r = await as(v, method, path, body);
		assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
		assert.ok(!r.text.includes(secret));
	}
}

before(async () => {
	t = newTenant('visid');
	admin = await Session.login(t.adminLogin, t.adminPassword);
	channel = (await admin.post('/api/v1/admin/channels', { name: 'Shared browser', allowed_origins: [] })).json;
	const g = (await admin.post(`/api/v1/admin/channels/${channel.id}/identity/key`)).json;
	({ key, kid } = g);
	const p = await admin.patch(`/api/v1/admin/channels/${channel.id}/identity`, { auto_link: { enabled: true, contact_fields: ['phone'] } });
	assert.equal(p.status, 200, p.text);
	// Alice's company has orders her quick button shows; Bob's has none.
	const accA = (await put('AccountObj', 'acc-alice', { name: 'Alice Ltd' })).json;
	const accB = (await put('AccountObj', 'acc-bob', { name: 'Bob Ltd' })).json;
	await put('ContactObj', 'con-alice', { ...ALICE, account_id: accA.id, roles: 'customer' });
	await put('ContactObj', 'con-bob', { ...BOB, account_id: accB.id, roles: 'customer' });
	ordersA = [(await put('SalesOrderObj', 'so-alice', { name: 'SO-ALICE-1', amount: 99, account_id: accA.id })).json];
	const b = await admin.post('/api/v1/admin/quick-buttons', {
		name: 'My orders', icon: 'order', channel_ids: [channel.id], visible_roles: ['customer'], object: 'SalesOrderObj',
		filter: { all: [{ field: 'account_id', op: 'eq', value: '$visitor.account_id' }] }, template: '{{name}}',
	});
	assert.equal(b.status, 201, b.text);
	button = b.json;
});

for (const [format, make] of Object.entries(FORMATS)) {
	test(`${format}: an identified visitor resumed as another person is a new visitor that reaches nothing of the first`, async () => {
		const a = await chatting({ custom_params: make(ALICE) }, `alice's secret (${format})`);
		const recA = await as(a.visitor, 'GET', `/api/v1/widget/quick-buttons/${button.id}/records`);
		assert.equal(recA.status, 200, recA.text);
		assert.deepEqual(recA.json.items.map((i) => i.id), ordersA.map((o) => o.id), 'Alice sees her orders');

		const b = await register({ visitor_token: a.visitor.visitor_token, custom_params: make(BOB) });
		assert.equal(b.status, 201, b.text);
		assert.notEqual(b.json.visitor_id, a.visitor.visitor_id);
		assert.notEqual(b.json.visitor_token, a.visitor.visitor_token);
		assert.equal(b.json.identified, true);
		assert.equal(b.json.name, BOB.full_name);
		await unreachable(b.json, a.conv, 'secret');
		const recB = await as(b.json, 'GET', `/api/v1/widget/quick-buttons/${button.id}/records`);
		assert.equal(recB.status, 200, recB.text);
		assert.deepEqual(recB.json.items, [], 'none of Alice\'s orders');
		const me = await as(b.json, 'GET', '/api/v1/widget/visitor');
		assert.equal(me.json.visitor_id, b.json.visitor_id);

		// Alice's visitor is untouched: still hers, with her conversation.
		const still = await as(a.visitor, 'GET', '/api/v1/widget/visitor');
		assert.equal(still.status, 200);
		assert.equal(still.json.name, ALICE.full_name);
		assert.equal((await as(a.visitor, 'GET', `/api/v1/widget/conversations/${a.conv}`)).status, 200);
		// And Alice coming back as herself resumes it (200, same visitor).
		const again = await register({ visitor_token: a.visitor.visitor_token, custom_params: make(ALICE) });
		assert.equal(again.status, 200, again.text);
		assert.equal(again.json.visitor_id, a.visitor.visitor_id);
	});

	test(`${format}: an identified visitor resumed with no identity is a new guest`, async () => {
		const a = await chatting({ custom_params: make(ALICE) }, `alice again (${format})`);
		const g = await register({ visitor_token: a.visitor.visitor_token });
		assert.equal(g.status, 201, g.text);
		assert.notEqual(g.json.visitor_id, a.visitor.visitor_id);
		assert.notEqual(g.json.visitor_token, a.visitor.visitor_token);
		assert.equal(g.json.identified, false);
		assert.deepEqual(g.json.roles, ['guest']);
		assert.equal(g.json.name, undefined);
		await unreachable(g.json, a.conv, 'alice again');
		const recG = await as(g.json, 'GET', `/api/v1/widget/quick-buttons/${button.id}/records`);
		assert.ok(recG.status !== 200 || recG.json.items.length === 0, recG.text);
		assert.ok(!recG.text.includes('SO-ALICE'));
	});

	test(`${format}: a guest who becomes identified keeps the guest's conversations`, async () => {
		const g = await chatting({}, `guest question (${format})`);
		assert.equal(g.visitor.identified, false);
		const a = await register({ visitor_token: g.visitor.visitor_token, custom_params: make(ALICE) });
		assert.equal(a.status, 200, a.text);
		assert.equal(a.json.visitor_id, g.visitor.visitor_id);
		assert.equal(a.json.visitor_token, g.visitor.visitor_token);
		assert.equal(a.json.identified, true);
		const ev = await as(a.json, 'GET', `/api/v1/widget/conversations/${g.conv}/events?after=0`);
		assert.equal(ev.status, 200, ev.text);
		assert.ok(ev.text.includes('guest question'));
		// The same person again: still the same visitor.
		const again = await register({ visitor_token: g.visitor.visitor_token, custom_params: make(ALICE) });
		assert.equal(again.status, 200, again.text);
		assert.equal(again.json.visitor_id, g.visitor.visitor_id);
	});
}

test('the legacy and v2 formats of one person are one person', async () => {
	const a = await register({ custom_params: legacy(ALICE) });
	assert.equal(a.status, 201, a.text);
	const b = await register({ visitor_token: a.json.visitor_token, custom_params: v2(ALICE) });
	assert.equal(b.status, 200, b.text);
	assert.equal(b.json.visitor_id, a.json.visitor_id);
});

// tests/integration/crm-objects.test.mjs: the CRM object API: upsert idempotency, references by external id, filters, paging, custom fields, scopes, tenant isolation.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, ctl, errorCode, newTenant, unique } from '../lib/kefu.mjs';

let t, other;
const R = (obj, ext = '') => `/api/v1/crm/objects/${obj}/records${ext ? '/' + encodeURIComponent(ext) : ''}`;

before(() => {
	t = newTenant('crm');
	other = newTenant('crm-other');
});

test('PUT creates (201) then updates (200) the same record, idempotently', async () => {
	const body = { fields: { name: '华东贸易', phone: '021-5555', level: 'A' } };
	const a = await api('PUT', R('AccountObj', 'acc-1'), { key: t.apiKey, body });
	assert.equal(a.status, 201, a.text);
	assert.equal(typeof a.json.id, 'number');
	assert.equal(a.json.external_id, 'acc-1');
	assert.equal(a.json.owner_user_id, null);
	assert.deepEqual(a.json.fields, body.fields);
	const b = await api('PUT', R('AccountObj', 'acc-1'), { key: t.apiKey, body });
	assert.equal(b.status, 200);
	assert.equal(b.json.id, a.json.id);
	assert.deepEqual(b.json.fields, body.fields);
	const g = await api('GET', R('AccountObj', 'acc-1'), { key: t.apiKey });
	assert.equal(g.status, 200);
	assert.deepEqual(g.json, b.json);
});

test('references take our id or {"external_id"} and come back as our id', async () => {
	const acc = await api('PUT', R('AccountObj', 'acc-ref'), { key: t.apiKey, body: { fields: { name: 'Ref Co' } } });
	const c1 = await api('PUT', R('ContactObj', 'c-ref-1'), {
		key: t.apiKey, body: { fields: { full_name: '李四', phone: '13800000001', account_id: { external_id: 'acc-ref' } } },
	});
	assert.equal(c1.status, 201, c1.text);
	assert.equal(c1.json.fields.account_id, acc.json.id);
	const c2 = await api('PUT', R('ContactObj', 'c-ref-2'), {
		key: t.apiKey, body: { fields: { full_name: '王五', account_id: acc.json.id } },
	});
	assert.equal(c2.json.fields.account_id, acc.json.id);
	const bad = await api('PUT', R('ContactObj', 'c-ref-3'), {
		key: t.apiKey, body: { fields: { account_id: { external_id: 'no-such' } } },
	});
	assert.equal(bad.status, 400);
	assert.equal(errorCode(bad), 'invalid_field');
	assert.equal(bad.json.error.field, 'fields.account_id');
	// A contact is not an account.
	const wrong = await api('PUT', R('ContactObj', 'c-ref-4'), { key: t.apiKey, body: { fields: { account_id: c1.json.id } } });
	assert.equal(wrong.status, 400);
});

test('fields are validated against the definitions', async () => {
	for (const [fields, field] of [
		[{ nope: 'x' }, 'fields.nope'],
		[{ amount: '12' }, 'fields.amount'],
		[{ order_date: '2026-02-30' }, 'fields.order_date'],
		[{ name: 5 }, 'fields.name'],
	]) {
		const r = await api('PUT', R('SalesOrderObj', unique('o')), { key: t.apiKey, body: { fields } });
		assert.equal(r.status, 400, JSON.stringify(fields));
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, field);
	}
	const ok = await api('PUT', R('SalesOrderObj', 'o-ok'), {
		key: t.apiKey, body: { fields: { name: 'SO-1', amount: 99.5, order_date: '2026-02-28' } },
	});
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.fields.amount, 99.5);
	const noFields = await api('PUT', R('SalesOrderObj', 'o-x'), { key: t.apiKey, body: {} });
	assert.equal(noFields.status, 400);
	const broken = await api('PUT', R('SalesOrderObj', 'o-x'), { key: t.apiKey, body: '{"fields":', headers: { 'content-type': 'application/json' } });
	assert.equal(broken.status, 400);
	const unknownObj = await api('PUT', R('NoSuchObj', 'x'), { key: t.apiKey, body: { fields: {} } });
	assert.equal(unknownObj.status, 404);
});

test('custom fields: define, write, list in definitions', async () => {
	const f = await api('PUT', '/api/v1/crm/objects/AccountObj/fields/vip_since', { key: t.apiKey, body: { label: 'VIP 起始', type: 'date' } });
	assert.equal(f.status, 201, f.text);
	const again = await api('PUT', '/api/v1/crm/objects/AccountObj/fields/vip_since', { key: t.apiKey, body: { label: 'VIP since', type: 'date' } });
	assert.equal(again.status, 200);
	const clash = await api('PUT', '/api/v1/crm/objects/AccountObj/fields/vip_since', { key: t.apiKey, body: { label: 'x', type: 'number' } });
	assert.equal(clash.status, 409);
	const builtin = await api('PUT', '/api/v1/crm/objects/AccountObj/fields/name', { key: t.apiKey, body: { label: 'x', type: 'text' } });
	assert.equal(builtin.status, 409);
	const w = await api('PUT', R('AccountObj', 'acc-vip'), { key: t.apiKey, body: { fields: { name: 'V', vip_since: '2025-01-01' } } });
	assert.equal(w.status, 201, w.text);
	const defs = await api('GET', '/api/v1/crm/objects', { key: t.apiKey });
	assert.equal(defs.status, 200);
	const acc = defs.json.items.find((o) => o.object === 'AccountObj');
	assert.ok(acc.fields.some((x) => x.name === 'vip_since' && x.type === 'date' && x.custom));
	for (const name of ['AccountObj', 'ContactObj', 'LeadObj', 'CaseObj', 'ProductObj', 'SalesOrderObj', 'WebImVisitorObj'])
		assert.ok(defs.json.items.some((o) => o.object === name), name);
	// Another tenant does not see it.
	const w2 = await api('PUT', R('AccountObj', 'acc-vip'), { key: other.apiKey, body: { fields: { vip_since: '2025-01-01' } } });
	assert.equal(w2.status, 400);
});

test('list: exact filters by field, keyset paging with next_after', async () => {
	const phone = '1591234' + Math.floor(Math.random() * 1e4);
	const ids = [];
	for (let i = 0; i < 5; i++) {
		const r = await api('PUT', R('ContactObj', `page-${i}`), { key: t.apiKey, body: { fields: { full_name: `P${i}`, phone } } });
		ids.push(r.json.id);
	}
	await api('PUT', R('ContactObj', 'page-other'), { key: t.apiKey, body: { fields: { full_name: 'P0', phone: phone + '9' } } });
	const p1 = await api('GET', `${R('ContactObj')}?field.phone=${phone}&limit=2`, { key: t.apiKey });
	assert.equal(p1.status, 200);
	assert.deepEqual(p1.json.items.map((x) => x.id), ids.slice(0, 2));
	assert.equal(p1.json.next_after, ids[1]);
	const p2 = await api('GET', `${R('ContactObj')}?field.phone=${phone}&limit=2&after=${p1.json.next_after}`, { key: t.apiKey });
	assert.deepEqual(p2.json.items.map((x) => x.id), ids.slice(2, 4));
	const p3 = await api('GET', `${R('ContactObj')}?field.phone=${phone}&limit=2&after=${p2.json.next_after}`, { key: t.apiKey });
	assert.deepEqual(p3.json.items.map((x) => x.id), ids.slice(4));
	assert.equal(p3.json.next_after, null);
	const two = await api('GET', `${R('ContactObj')}?field.phone=${phone}&field.full_name=P3`, { key: t.apiKey });
	assert.deepEqual(two.json.items.map((x) => x.id), [ids[3]]);
	const prefixIsNotEnough = await api('GET', `${R('ContactObj')}?field.phone=${phone.slice(0, 7)}`, { key: t.apiKey });
	assert.deepEqual(prefixIsNotEnough.json.items, []);
	const badField = await api('GET', `${R('ContactObj')}?field.nope=1`, { key: t.apiKey });
	assert.equal(badField.status, 400);
	const badLimit = await api('GET', `${R('ContactObj')}?limit=0`, { key: t.apiKey });
	assert.equal(badLimit.status, 400);
	const sqlish = await api('GET', `${R('ContactObj')}?field.phone=${encodeURIComponent("1' OR '1'='1")}`, { key: t.apiKey });
	assert.equal(sqlish.status, 200);
	assert.deepEqual(sqlish.json.items, []);
});

test('DELETE removes the record (204), then 404', async () => {
	await api('PUT', R('LeadObj', 'lead-del'), { key: t.apiKey, body: { fields: { name: 'L', phone: '1' } } });
	const d = await api('DELETE', R('LeadObj', 'lead-del'), { key: t.apiKey });
	assert.equal(d.status, 204);
	assert.equal((await api('GET', R('LeadObj', 'lead-del'), { key: t.apiKey })).status, 404);
	assert.equal((await api('DELETE', R('LeadObj', 'lead-del'), { key: t.apiKey })).status, 404);
	const l = await api('GET', `${R('LeadObj')}?field.phone=1`, { key: t.apiKey });
	assert.deepEqual(l.json.items, []);
});

test('owners by external id or user id', async () => {
	const u = await api('POST', '/api/v1/admin/users', {
		key: t.apiKey, body: { login: unique('owner'), name: 'Owner', role: 'agent', password: 'pw-123456789', external_id: 'emp-7' },
	});
	assert.equal(u.status, 201, u.text);
	const r = await api('PUT', R('AccountObj', 'acc-owned'), { key: t.apiKey, body: { fields: { name: 'O' }, owner_external_id: 'emp-7' } });
	assert.equal(r.json.owner_user_id, u.json.id);
	const kept = await api('PUT', R('AccountObj', 'acc-owned'), { key: t.apiKey, body: { fields: { name: 'O2' } } });
	assert.equal(kept.json.owner_user_id, u.json.id);
	const bad = await api('PUT', R('AccountObj', 'acc-owned'), { key: t.apiKey, body: { fields: {}, owner_external_id: 'nobody' } });
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.field, 'owner_external_id');
	const foreign = await api('PUT', R('AccountObj', 'acc-owned'), { key: other.apiKey, body: { fields: {}, owner_user_id: u.json.id } });
	assert.equal(foreign.status, 400);
});

test('scopes: no key 401, admin-only key 403; tenants are isolated', async () => {
	assert.equal((await api('GET', '/api/v1/crm/objects')).status, 401);
	const adminOnly = ctl('api-key', 'create', '--tenant', t.name, '--scopes', 'admin', '--name', 'adm').split(/\s+/).pop();
	const f = await api('GET', '/api/v1/crm/objects', { key: adminOnly });
	assert.equal(f.status, 403);
	assert.equal(errorCode(f), 'forbidden');
	assert.equal((await api('GET', R('AccountObj', 'acc-1'), { key: other.apiKey })).status, 404);
	const mine = await api('PUT', R('AccountObj', 'acc-1'), { key: other.apiKey, body: { fields: { name: 'theirs' } } });
	assert.equal(mine.status, 201); // same external id, another tenant: another record
	const again = await api('GET', R('AccountObj', 'acc-1'), { key: t.apiKey });
	assert.equal(again.json.fields.name, '华东贸易');
	assert.notEqual(again.json.id, mine.json.id);
	const list = await api('GET', `${R('AccountObj')}?field.name=theirs`, { key: t.apiKey });
	assert.deepEqual(list.json.items, []);
});

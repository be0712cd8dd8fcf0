// tests/integration/identity-autolink.test.mjs: auto-link switched off needs no contact field (API and console form);
// switched on it still needs one.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newTenant, Session } from '../lib/kefu.mjs';

let T, s, ch;
before(async () => {
	T = newTenant('autolink');
	s = await Session.login(T.adminLogin, T.adminPassword);
	ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'web' } })).json;
});

const patch = (body) => api('PATCH', `/api/v1/admin/channels/${ch.id}/identity`, { key: T.apiKey, body });

test('API: auto-link off with no contact field is accepted; on with none is refused', async () => {
	let r = await patch({ auto_link: { enabled: true, contact_fields: ['phone'] } });
	assert.equal(r.status, 200, r.text);
	r = await patch({ auto_link: { enabled: false, contact_fields: [] } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.auto_link, { enabled: false, contact_fields: [] });
	r = await patch({ auto_link: { enabled: true } });
	assert.equal(r.status, 400, 'on again with no field stored');
	assert.equal(r.json.error.field, 'auto_link.contact_fields');
	r = await patch({ auto_link: { enabled: true, contact_fields: [] } });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.field, 'auto_link.contact_fields');
	r = await patch({ auto_link: { enabled: true, contact_fields: ['full_name', 'phone'] } });
	assert.equal(r.status, 200, r.text);
});

test('console: the form turns auto-link off without naming a contact field', async () => {
	await patch({ auto_link: { enabled: true, contact_fields: ['phone'] } });
	const r = await s.request('POST', `/console/channels/${ch.id}/identity`, {
		body: new URLSearchParams({ csrf_token: s.csrf, enabled: '1', match_fields: 'full_name, phone' }) });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	const g = await api('GET', `/api/v1/admin/channels/${ch.id}/identity`, { key: T.apiKey });
	assert.equal(g.json.auto_link.enabled, false);
});

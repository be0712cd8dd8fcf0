// tests/integration/workbench-canned.test.mjs: canned replies: an agent's own and the tenant's, search by shortcut and text, who may change what, validation, tenant isolation.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

let T, A1, A2;


before(async () => {
	T = newTenant('canned');
	A1 = await newAgent(T, 'Canned One');
	A2 = await newAgent(T, 'Canned Two');
});

test('tenant-wide and personal replies, search, ownership', async () => {
	const t1 = await api('POST', '/api/v1/admin/canned-replies', { key: T.apiKey, body: { shortcut: 'hello', title: 'Greeting', text: '您好，很高兴为您服务！' } });
	assert.equal(t1.status, 201, t1.text);
	assert.equal(t1.json.scope, 'tenant');
	const t2 = await api('POST', '/api/v1/admin/canned-replies', { key: T.apiKey, body: { shortcut: 'refund', text: 'Refunds take 3-5 days (100% guaranteed).' } });
	assert.equal(t2.json.title, 'refund', 'title defaults to the shortcut');
	const mine = await A1.post('/api/v1/agent/canned-replies', { shortcut: 'help', text: 'How can I help?' });
	assert.equal(mine.status, 201, mine.text);
	assert.equal(mine.json.scope, 'personal');
	assert.equal(mine.json.owner_user_id, A1.id);

	const all1 = await A1.get('/api/v1/agent/canned-replies');
	assert.deepEqual(all1.json.items.map((x) => x.shortcut), ['hello', 'help', 'refund']);
	const all2 = await A2.get('/api/v1/agent/canned-replies');
	assert.deepEqual(all2.json.items.map((x) => x.shortcut), ['hello', 'refund'], 'not another agent\'s');
	// Search: shortcut prefix (with or without the slash), title or text substring, wildcards literal.
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=hel')).json.items.map((x) => x.shortcut), ['hello', 'help']);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=%2Fhel')).json.items.map((x) => x.shortcut), ['hello', 'help']);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=' + encodeURIComponent('高兴'))).json.items.map((x) => x.shortcut), ['hello']);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=100%25')).json.items.map((x) => x.shortcut), ['refund']);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=%25')).json.items.map((x) => x.shortcut), ['refund']);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=zzz')).json.items, []);

	// An agent edits only their own; tenant-wide ones are the admins'.
	assert.equal((await A1.patch(`/api/v1/agent/canned-replies/${mine.json.id}`, { text: 'What can I do for you?' })).json.text, 'What can I do for you?');
	assert.equal((await A2.patch(`/api/v1/agent/canned-replies/${mine.json.id}`, { text: 'x' })).status, 404);
	assert.equal((await A2.get(`/api/v1/agent/canned-replies/${mine.json.id}`)).status, 404);
	assert.equal((await A2.delete(`/api/v1/agent/canned-replies/${mine.json.id}`)).status, 404);
	const f = await A1.patch(`/api/v1/agent/canned-replies/${t1.json.id}`, { text: 'x' });
	assert.equal(f.status, 403);
	assert.equal(errorCode(f), 'forbidden');
	assert.equal((await A1.get('/api/v1/admin/canned-replies')).status, 403);
	// The admin collection holds only tenant-wide ones.
	const adm = await api('GET', '/api/v1/admin/canned-replies', { key: T.apiKey });
	assert.deepEqual(adm.json.items.map((x) => x.shortcut), ['hello', 'refund']);
	assert.equal((await api('GET', `/api/v1/admin/canned-replies/${mine.json.id}`, { key: T.apiKey })).status, 404);
	const p = await api('PATCH', `/api/v1/admin/canned-replies/${t2.json.id}`, { key: T.apiKey, body: { title: 'Refunds' } });
	assert.equal(p.status, 200);
	assert.equal(p.json.title, 'Refunds');
	assert.equal((await api('DELETE', `/api/v1/admin/canned-replies/${t2.json.id}`, { key: T.apiKey })).status, 204);
	assert.equal((await A1.delete(`/api/v1/agent/canned-replies/${mine.json.id}`)).status, 204);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies')).json.items.map((x) => x.shortcut), ['hello']);
	// Audited (tenant-wide only).
	const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
	assert.ok(audit.json.items.some((x) => x.object_type === 'canned_reply' && x.action === 'delete'));
});

test('validation and isolation', async () => {
	for (const [body, field] of [
		[{ text: 'x' }, 'shortcut'],
		[{ shortcut: 'two words', text: 'x' }, 'shortcut'],
		[{ shortcut: 'a/b', text: 'x' }, 'shortcut'],
		[{ shortcut: 'ok' }, 'text'],
		[{ shortcut: 'ok', text: '   ' }, 'text'],
		[{ shortcut: 'ok', text: 'x'.repeat(5001) }, 'text'],
		[{ shortcut: 5, text: 'x' }, 'shortcut'],
	]) {
		const r = await A1.post('/api/v1/agent/canned-replies', body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.error.field, field);
	}
	const other = newTenant('canned-other');
	const o = await api('POST', '/api/v1/admin/canned-replies', { key: other.apiKey, body: { shortcut: 'secret', text: 'other tenant' } });
	assert.equal((await A1.get(`/api/v1/agent/canned-replies/${o.json.id}`)).status, 404);
	assert.ok(!(await A1.get('/api/v1/agent/canned-replies?q=secret')).json.items.length);
	const noCsrf = await A1.post('/api/v1/agent/canned-replies', { shortcut: 'x', text: 'y' }, { headers: { 'x-csrf-token': 'bad' } });
	assert.equal(noCsrf.status, 403);
});

test('console: workbench settings page adds and deletes tenant-wide replies and sets presence thresholds', async () => {
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	const form = (o) => new URLSearchParams({ csrf_token: admin.csrf, ...o });
	let r = await admin.request('POST', '/console/canned-replies', { body: form({ shortcut: 'bye', title: 'Bye', text: 'Goodbye <b>and thanks</b>' }) });
	assert.equal(r.status, 303);
	r = await admin.request('POST', '/console/canned-replies', { body: form({ shortcut: 'two words', text: 'x' }) });
	assert.equal(r.status, 200);
	assert.match(r.text, /field-error/);
	r = await admin.request('POST', '/console/presence', { body: form({ away_after_s: '300', offline_after_s: '45' }) });
	assert.equal(r.status, 303);
	const page = await admin.get('/console/canned-replies');
	assert.equal(page.status, 200);
	assert.ok(page.text.includes('Goodbye &lt;b&gt;and thanks&lt;/b&gt;'), 'escaped');
	assert.deepEqual((await api('GET', '/api/v1/admin/presence', { key: T.apiKey })).json, { away_after_s: 300, offline_after_s: 45, long_wait_s: 60, heartbeat_s: 20 });
	// The long-wait mark beside them; out of range is refused with its field marked.
	r = await admin.request('POST', '/console/presence', { body: form({ away_after_s: '300', offline_after_s: '45', long_wait_s: '2' }) });
	assert.equal(r.status, 200);
	assert.match(r.text, /name="long_wait_s"[^>]*aria-invalid="true"/);
	r = await admin.request('POST', '/console/presence', { body: form({ away_after_s: '300', offline_after_s: '45', long_wait_s: '120' }) });
	assert.equal(r.status, 303);
	assert.equal((await api('GET', '/api/v1/admin/presence', { key: T.apiKey })).json.long_wait_s, 120);
	const bye = (await A1.get('/api/v1/agent/canned-replies?q=bye')).json.items[0];
	assert.equal(bye.scope, 'tenant');
	const del = bye && (await admin.request('POST', `/console/canned-replies/${bye.id}/delete`, { body: form({}) }));
	assert.equal(del.status, 303);
	assert.deepEqual((await A1.get('/api/v1/agent/canned-replies?q=bye')).json.items, []);
	assert.equal((await A1.get('/console/canned-replies')).status, 403);
});

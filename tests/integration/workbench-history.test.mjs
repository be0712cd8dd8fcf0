// tests/integration/workbench-history.test.mjs: history and transcripts: a visitor's past conversations, the admins' search (text, phone, agent, dates, status, keyset pages), transcript downloads as text and escaped HTML, who may read what.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent, widgetVisitor } from '../lib/kefu.mjs';

let T, channel, A1, A2, admin;


const visitor = () => widgetVisitor(channel.key);

async function chat(v, prechat, lines) {
	const c = await v.req('POST', '/conversations', { channel_key: channel.key, prechat });
	assert.equal(c.status, 201, c.text);
	for (const [who, text] of lines) {
		const r = who === 'v' ? await v.req('POST', `/conversations/${c.json.id}/messages`, { kind: 'text', text })
			: await (who === 1 ? A1 : A2).post(`/api/v1/agent/conversations/${c.json.id}/messages`, { kind: 'text', text });
		assert.equal(r.status, 201, r.text);
	}
	return c.json;
}

let v1, conv1, conv2, conv3;

before(async () => {
	T = newTenant('history');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'History shop', allowed_origins: [], prechat_fields: [{ name: 'phone', label: 'Phone', type: 'phone', required: false }] } })).json;
	A1 = await newAgent(T, 'Hanna History');
	A2 = await newAgent(T, 'Otto Other');
	admin = await Session.login(T.adminLogin, T.adminPassword);
	await A1.put('/api/v1/agent/status', { status: 'online' });
	v1 = await visitor();
	conv1 = await chat(v1, { phone: '15912345678' }, [['v', 'My order 4711 is late'], [1, 'Sorry! <script>alert(1)</script> & checking']]);
	await A1.post(`/api/v1/agent/conversations/${conv1.id}/close`, {});
	conv2 = await chat(v1, {}, [['v', 'Second visit']]);
	await A1.put('/api/v1/agent/status', { status: 'offline' });
	await A2.put('/api/v1/agent/status', { status: 'online' });
	const v2 = await visitor();
	conv3 = await chat(v2, { phone: '13800000000' }, [['v', 'Unrelated question'], [2, 'Answer']]);
	await A2.post(`/api/v1/agent/conversations/${conv3.id}/close`, {});
});

test('a visitor\'s history for the agent serving them', async () => {
	const r = await A1.get(`/api/v1/agent/visitors/${v1.id}/conversations`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items.map((c) => c.id), [conv2.id, conv1.id]);
	const old = r.json.items[1];
	assert.equal(old.status, 'closed');
	assert.equal(old.messages, 2);
	assert.deepEqual(old.agent, { id: A1.id, name: 'Hanna History' });
	assert.equal(old.channel.name, 'History shop');
	assert.match(old.last_text, /checking/);
	assert.equal(r.json.next_after, null);
	const p1 = await A1.get(`/api/v1/agent/visitors/${v1.id}/conversations?limit=1`);
	assert.deepEqual(p1.json.items.map((c) => c.id), [conv2.id]);
	const p2 = await A1.get(`/api/v1/agent/visitors/${v1.id}/conversations?limit=1&after=${p1.json.next_after}`);
	assert.deepEqual(p2.json.items.map((c) => c.id), [conv1.id]);
	// An agent not serving this visitor sees nothing (404); an admin does.
	assert.equal((await A2.get(`/api/v1/agent/visitors/${v1.id}/conversations`)).status, 404);
	assert.equal((await admin.get(`/api/v1/agent/visitors/${v1.id}/conversations`)).json.items.length, 2);
	const o = newTenant('history-other');
	const os = await Session.login(o.adminLogin, o.adminPassword);
	assert.equal((await os.get(`/api/v1/agent/visitors/${v1.id}/conversations`)).status, 404);
});

test('admin search: text, phone, agent, status, dates, keyset paging, validation', async () => {
	const ids = async (qs) => {
		const r = await api('GET', '/api/v1/admin/conversations' + qs, { key: T.apiKey });
		assert.equal(r.status, 200, r.text);
		return r.json.items.map((c) => c.id);
	};
	assert.deepEqual(await ids(''), [conv3.id, conv2.id, conv1.id]);
	assert.deepEqual(await ids('?status=closed'), [conv3.id, conv1.id]);
	assert.deepEqual(await ids('?q=4711'), [conv1.id]);
	assert.deepEqual(await ids('?q=' + encodeURIComponent('<script>')), [conv1.id]);
	assert.deepEqual(await ids('?q=%25'), []);
	assert.deepEqual(await ids('?phone=1591234'), [conv1.id]);
	assert.deepEqual(await ids(`?agent_id=${A2.id}`), [conv3.id]);
	assert.deepEqual(await ids(`?agent_id=${A1.id}&status=closed`), [conv1.id]);
	const today = new Date().toISOString().slice(0, 10);
	assert.deepEqual(await ids(`?from=${today}&to=${today}&status=closed`), [conv3.id, conv1.id]);
	assert.deepEqual(await ids('?to=2020-01-01'), []);
	const p1 = await api('GET', '/api/v1/admin/conversations?limit=2', { key: T.apiKey });
	assert.deepEqual(p1.json.items.map((c) => c.id), [conv3.id, conv2.id]);
	assert.equal(p1.json.next_after, conv2.id);
	assert.deepEqual(await ids(`?limit=2&after=${p1.json.next_after}`), [conv1.id]);
	for (const qs of ['?status=gone', '?from=yesterday', '?limit=0', '?agent_id=x']) {
		const r = await api('GET', '/api/v1/admin/conversations' + qs, { key: T.apiKey });
		assert.equal(r.status, 400, qs);
		assert.equal(errorCode(r), 'invalid_field');
	}
	assert.equal((await A1.get('/api/v1/admin/conversations')).status, 403);
	const o = newTenant('history-other2');
	assert.deepEqual((await api('GET', '/api/v1/admin/conversations?q=4711', { key: o.apiKey })).json.items, []);
});

test('transcripts: text and escaped HTML as attachments; who may download', async () => {
	const t = await A1.get(`/api/v1/agent/conversations/${conv1.id}/transcript.txt`);
	assert.equal(t.status, 200, t.text);
	assert.match(t.headers.get('content-type'), /^text\/plain; charset=utf-8/);
	assert.equal(t.headers.get('content-disposition'), `attachment; filename="conversation-${conv1.id}.txt"`);
	assert.match(t.text, /My order 4711 is late/);
	assert.match(t.text, /Hanna History: Sorry! <script>alert\(1\)<\/script> & checking/);
	const h = await A1.get(`/api/v1/agent/conversations/${conv1.id}/transcript.html`);
	assert.equal(h.status, 200);
	assert.match(h.headers.get('content-type'), /^text\/html/);
	assert.equal(h.headers.get('content-disposition'), `attachment; filename="conversation-${conv1.id}.html"`);
	assert.ok(!h.text.includes('<script>alert'), 'escaped');
	assert.match(h.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; checking/);
	// Another agent: not theirs, not serving the visitor.
	assert.equal((await A2.get(`/api/v1/agent/conversations/${conv1.id}/transcript.txt`)).status, 404);
	assert.equal((await A2.get(`/api/v1/agent/conversations/${conv3.id}/transcript.txt`)).status, 200);
	assert.equal((await admin.get(`/api/v1/agent/conversations/${conv3.id}/transcript.html`)).status, 200);
	assert.equal((await A1.get('/api/v1/agent/conversations/999999999/transcript.txt')).status, 404);
});

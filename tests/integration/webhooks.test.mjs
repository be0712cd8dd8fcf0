// tests/integration/webhooks.test.mjs: webhooks to the CRM: admin CRUD and validation, signed delivery by kefu-webhookd to a receiver on 127.0.0.1, retries while it refuses connections and answers 500, one successful delivery per event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { api, errorCode, newTenant, Session, waitFor } from '../lib/kefu.mjs';

let T, channel, receiver, port;
const got = []; // every request the receiver saw: {event, delivery, signature, body, status}
let mode = 'ok'; // 'ok' | '500'

function startReceiver(p = 0) {
	return new Promise((resolve) => {
		receiver = http.createServer((req, res) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks);
				const status = mode === 'ok' ? 200 : 500;
				got.push({
					event: req.headers['x-kefu-event'], delivery: req.headers['x-kefu-delivery'],
					signature: req.headers['x-kefu-signature'], attempt: req.headers['x-kefu-attempt'],
					type: req.headers['content-type'], raw, status,
				});
				res.writeHead(status, { 'content-type': 'text/plain' });
				res.end(status === 200 ? 'ok' : 'nope');
			});
		});
		receiver.listen(p, '127.0.0.1', () => resolve(receiver.address().port));
	});
}

function stopReceiver() {
	return new Promise((resolve) => { receiver.closeAllConnections?.(); receiver.close(() => resolve()); });
}

const SECRET = 'test-secret-0123456789abcdef';

before(async () => {
	T = newTenant('hooks');
	port = await startReceiver();
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Hook shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
});

after(async () => { if (receiver.listening) await stopReceiver(); });

async function startConversation() {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	assert.ok([200, 201].includes(v.status), v.text);
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	return { id: c.json.id, headers };
}

let hook;

test('admin CRUD with validation; the secret is shown once', async () => {
	const bad = [
		[{ url: 'ftp://x.example/', events: ['conversation.closed'] }, 'url'],
		[{ url: 'http://user:pw@x.example/', events: ['conversation.closed'] }, 'url'],
		[{ url: 'http://x.example/\nfoo', events: ['conversation.closed'] }, 'url'],
		[{ url: 'http://x.example/', events: ['conversation.exploded'] }, 'events'],
		[{ url: 'http://x.example/', events: [] }, 'events'],
		[{ url: 'http://x.example/' }, 'events'],
		[{ url: 'http://x.example/', events: ['conversation.closed'], secret: 'short' }, 'secret'],
	];
	for (const [body, field] of bad) {
		const r = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body });
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, field, JSON.stringify(body));
	}
	// The test receiver's own address (loopback, listed for the test stack),
	// and disabled: nothing is sent anywhere.
	const gen = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${port}/generated`, events: ['visitor.identified'], enabled: false } });
	assert.equal(gen.status, 201, gen.text);
	assert.ok(gen.json.secret.length >= 24, 'a secret is generated');
	const del = await api('DELETE', `/api/v1/admin/webhooks/${gen.json.id}`, { key: T.apiKey });
	assert.equal(del.status, 204);

	const r = await api('POST', '/api/v1/admin/webhooks', {
		key: T.apiKey,
		body: { url: `http://127.0.0.1:${port}/kefu?x=1`, secret: SECRET, events: ['conversation.created', 'conversation.closed', 'conversation.created'] },
	});
	assert.equal(r.status, 201, r.text);
	hook = r.json;
	assert.equal(hook.secret, SECRET);
	assert.deepEqual(hook.events, ['conversation.created', 'conversation.closed']);
	const g = await api('GET', `/api/v1/admin/webhooks/${hook.id}`, { key: T.apiKey });
	assert.equal(g.status, 200);
	assert.equal(g.json.secret, undefined, 'never shown again');
	assert.equal(g.json.secret_hint, SECRET.slice(0, 4));
	const list = await api('GET', '/api/v1/admin/webhooks', { key: T.apiKey });
	assert.deepEqual(list.json.items.map((x) => x.id), [hook.id]);
	// Another tenant sees nothing of it.
	const other = newTenant('hooks-other');
	assert.equal((await api('GET', `/api/v1/admin/webhooks/${hook.id}`, { key: other.apiKey })).status, 404);
	assert.equal((await api('PATCH', `/api/v1/admin/webhooks/${hook.id}`, { key: other.apiKey, body: { enabled: false } })).status, 404);
	// Agents may not manage webhooks.
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	const p = await admin.patch(`/api/v1/admin/webhooks/${hook.id}`, { events: ['conversation.created', 'conversation.closed', 'leave_message.created'] });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.events.length, 3);
});

test('delivery with a valid signature, event and delivery headers', async () => {
	const c = await startConversation();
	const hit = await waitFor(() => got.find((g) => g.event === 'conversation.created' && JSON.parse(g.raw).data.conversation.id === c.id));
	const expected = 'sha256=' + createHmac('sha256', SECRET).update(hit.raw).digest('hex');
	assert.equal(hit.signature, expected);
	assert.match(hit.type, /^application\/json/);
	assert.match(hit.delivery, /^\d+$/);
	const body = JSON.parse(hit.raw);
	assert.equal(body.event, 'conversation.created');
	assert.equal(body.tenant_id, T.id);
	assert.match(body.occurred_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.equal(body.data.conversation.channel_id, channel.id);
	// conversation.assigned is not subscribed: nothing else arrives for it.
	assert.ok(!got.some((g) => g.event === 'conversation.assigned'));
});

test('receiver down (refusing, then 500): retried with backoff and delivered once it is back', async () => {
	const c = await startConversation();
	await stopReceiver(); // connections refused from now on
	const close = await api('POST', `/api/v1/widget/conversations/${c.id}/close`, { headers: c.headers, body: {} });
	assert.equal(close.status, 200, close.text);
	const isClose = (g) => g.event === 'conversation.closed' && JSON.parse(g.raw).data.conversation.id === c.id;
	// The outbox shows failed attempts without an HTTP status while it refuses.
	const pending = await waitFor(async () => {
		const d = await api('GET', `/api/v1/admin/webhooks/${hook.id}/deliveries`, { key: T.apiKey });
		const x = d.json.items.find((i) => i.event === 'conversation.closed');
		return x && x.attempts >= 2 ? x : null;
	});
	assert.equal(pending.status, 'pending');
	assert.equal(pending.attempt_log[0].status_code, null);
	assert.match(pending.attempt_log[0].error, /connect/);
	// Back, but failing with 500 for a while.
	mode = '500';
	port = await startReceiver(port);
	await waitFor(() => got.filter(isClose).length >= 1);
	await new Promise((r) => setTimeout(r, 1000));
	mode = 'ok';
	const ok = await waitFor(() => got.find((g) => isClose(g) && g.status === 200));
	assert.ok(Number(ok.attempt) >= 3, `attempt ${ok.attempt}`);
	const d = await waitFor(async () => {
		const r = await api('GET', `/api/v1/admin/webhooks/${hook.id}/deliveries`, { key: T.apiKey });
		const x = r.json.items.find((i) => i.event === 'conversation.closed' && String(i.id) === ok.delivery);
		return x && x.status === 'delivered' ? x : null;
	});
	assert.equal(d.last_status, 200);
	assert.ok(d.attempt_log.some((a) => a.status_code === 500));
	assert.ok(d.attempt_log.every((a, i) => a.attempt === i + 1 && a.duration_ms >= 0));
	// Every retry carried the same bytes and signature.
	const tries = got.filter(isClose);
	assert.ok(tries.every((t) => t.raw.equals(tries[0].raw) && t.signature === tries[0].signature && t.delivery === ok.delivery));
	// No duplicate delivery: wait a moment; still exactly one 200 per delivery id.
	await new Promise((r) => setTimeout(r, 1500));
	const okByDelivery = new Map();
	for (const g of got.filter((x) => x.status === 200))
		okByDelivery.set(g.delivery, (okByDelivery.get(g.delivery) || 0) + 1);
	for (const [id, n] of okByDelivery)
		assert.equal(n, 1, `delivery ${id} delivered ${n} times`);
});

test('a disabled webhook queues nothing; deleting stops deliveries', async () => {
	const p = await api('PATCH', `/api/v1/admin/webhooks/${hook.id}`, { key: T.apiKey, body: { enabled: false } });
	assert.equal(p.status, 200);
	assert.equal(p.json.enabled, false);
	const before = (await api('GET', `/api/v1/admin/webhooks/${hook.id}/deliveries`, { key: T.apiKey })).json.items.length;
	await startConversation();
	const afterList = (await api('GET', `/api/v1/admin/webhooks/${hook.id}/deliveries`, { key: T.apiKey })).json.items.length;
	assert.equal(afterList, before);
	assert.equal((await api('DELETE', `/api/v1/admin/webhooks/${hook.id}`, { key: T.apiKey })).status, 204);
	assert.equal((await api('GET', `/api/v1/admin/webhooks/${hook.id}`, { key: T.apiKey })).status, 404);
});

test('leave_message.created is delivered with the fields', async () => {
	const h = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${port}/leave`, secret: SECRET, events: ['leave_message.created'] } });
	assert.equal(h.status, 201, h.text);
	const rule = await api('POST', '/api/v1/admin/rules', {
		key: T.apiKey,
		body: { name: 'Leave', priority: 1, channel_ids: [channel.id], leave_message: { enabled: true, fields: [{ name: 'phone', label: 'Phone', type: 'phone', required: true }] } },
	});
	assert.equal(rule.status, 201, rule.text);
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const l = await api('POST', `/api/v1/widget/channels/${channel.key}/leave-messages`, { headers: { 'x-visitor-token': v.json.visitor_token }, body: { fields: { phone: '15912345678' } } });
	assert.equal(l.status, 201, l.text);
	const hit = await waitFor(() => got.find((g) => g.event === 'leave_message.created' && g.status === 200));
	const body = JSON.parse(hit.raw);
	assert.equal(body.data.leave_message.id, l.json.id);
	assert.equal(body.data.leave_message.fields.phone, '15912345678');
	assert.equal(hit.signature, 'sha256=' + createHmac('sha256', SECRET).update(hit.raw).digest('hex'));
});

test('https: TLS with certificate verification (a self-signed receiver is refused, and says why)', async (t) => {
	const { execFileSync } = await import('node:child_process');
	const { mkdtempSync, readFileSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const { join } = await import('node:path');
	const https = await import('node:https');
	const dir = mkdtempSync(join(tmpdir(), 'kefu-tls-'));
	try {
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1',
			'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
	} catch {
		t.skip('no openssl command');
		return;
	}
	let hits = 0;
	const srv = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => { hits++; res.end('ok'); });
	const p = await new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv.address().port)));
	try {
		const h = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `https://127.0.0.1:${p}/tls`, secret: SECRET, events: ['conversation.created'] } });
		assert.equal(h.status, 201, h.text);
		await startConversation();
		const d = await waitFor(async () => {
			const r = await api('GET', `/api/v1/admin/webhooks/${h.json.id}/deliveries`, { key: T.apiKey });
			return r.json.items.find((x) => x.attempts >= 1);
		});
		assert.equal(d.status, 'pending');
		assert.equal(d.last_status, null);
		assert.match(d.last_error, /^tls: /);
		assert.equal(hits, 0, 'nothing was sent over an unverified connection');
		assert.equal((await api('DELETE', `/api/v1/admin/webhooks/${h.json.id}`, { key: T.apiKey })).status, 204);
	} finally {
		srv.close();
	}
});

// tests/integration/webhooks-ssrf.test.mjs: webhook URLs reach only public addresses or what webhook_allow_hosts lists: refused when saved (literal addresses and a name), refused again by the sender at connect, and redirects are not followed.
//
// Every non-loopback address below is only validated, never connected to:
// the worker refuses it before anything is stored. The only connections go
// to receivers on 127.0.0.1, which the test stack lists in webhook_allow_hosts
// (tools/stack). The one name used is `localhost` (from /etc/hosts, no DNS),
// only while nothing non-public is allowed, so it is refused when saved.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { api, errorCode, newTenant, KEFU_URL, waitFor } from '../lib/kefu.mjs';

let T, channel;

function receiver(handler) {
	const hits = [];
	const srv = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			hits.push({ url: req.url, event: req.headers['x-kefu-event'] });
			handler(req, res);
		});
	});
	return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, hits, port: srv.address().port })));
}

async function startConversation() {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	assert.ok([200, 201].includes(v.status), v.text);
	const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	return c.json.id;
}

const deliveries = async (id) => (await api('GET', `/api/v1/admin/webhooks/${id}/deliveries`, { key: T.apiKey })).json.items;

// Restart the stack's workers and kefu-webhookd with webhook_allow_hosts set
// through the environment (KEFU_WEBHOOK_ALLOW_HOSTS wins over kefu.conf), or
// back to kefu.conf's list with undefined.
function restartWithAllowList(list) {
	const env = { ...process.env };
	delete env.KEFU_WEBHOOK_ALLOW_HOSTS;
	if (list !== undefined) env.KEFU_WEBHOOK_ALLOW_HOSTS = list;
	execFileSync(join(process.env.KEFU_SRCDIR, 'tools/stack'), ['restart-workers', process.env.KEFU_STATE], { env, stdio: 'ignore' });
}

async function healthy() {
	await waitFor(async () => (await fetch(`${KEFU_URL}/healthz`).catch(() => null))?.status === 200, 30000);
}

before(async () => {
	T = newTenant('ssrf');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'SSRF shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
});

test('URLs whose host is a loopback, private, link-local, shared, multicast or reserved address are refused (400 url)', async () => {
	const refused = [
		'http://10.0.0.1/hook',
		'http://169.254.169.254/latest/meta-data/',
		'http://[::1]:8080/',
		'http://127.0.0.2:8080/', // loopback, but not the listed 127.0.0.1
		'http://192.168.1.1/',
		'http://172.16.5.4/',
		'http://100.64.0.1/',
		'http://0.0.0.0:8080/',
		'http://[::]/',
		'http://[fe80::1]/',
		'http://[fd00::1]/',
		'http://[::ffff:169.254.169.254]/', // IPv4-mapped forms
		'http://[::ffff:a00:1]/',
		'http://[64:ff9b::a9fe:a9fe]/', // NAT64 of 169.254.169.254
		'http://224.0.0.1/',
		'http://255.255.255.255/',
		'http://198.18.0.1/',
		'http://192.0.0.8/',
		'http://203.0.113.5/',
		'http://[2001:db8::1]/',
		'https://167772161/', // 10.0.0.1 in the decimal form resolvers accept
		'http://0x7f.2/', // 127.0.0.2 in hex-and-short form
	];
	for (const url of refused) {
		// Disabled, and deleted at once should it be stored: even a server
		// without the rule then has nothing to send to these addresses.
		const r = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url, events: ['conversation.created'], enabled: false } });
		if (r.status === 201)
			await api('DELETE', `/api/v1/admin/webhooks/${r.json.id}`, { key: T.apiKey });
		assert.equal(r.status, 400, `${url}: ${r.text}`);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, 'url', url);
	}
	// An update is held to the same rule.
	const ok = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: 'http://127.0.0.1:9/parked', events: ['conversation.created'], enabled: false } });
	assert.equal(ok.status, 201, ok.text);
	try {
		const p = await api('PATCH', `/api/v1/admin/webhooks/${ok.json.id}`, { key: T.apiKey, body: { url: 'http://169.254.169.254/' } });
		assert.equal(p.status, 400, p.text);
		assert.equal(p.json.error.field, 'url');
		assert.equal((await api('GET', `/api/v1/admin/webhooks/${ok.json.id}`, { key: T.apiKey })).json.url, 'http://127.0.0.1:9/parked');
	} finally {
		assert.equal((await api('DELETE', `/api/v1/admin/webhooks/${ok.json.id}`, { key: T.apiKey })).status, 204);
	}
	const list = await api('GET', '/api/v1/admin/webhooks', { key: T.apiKey });
	assert.deepEqual(list.json.items, [], 'nothing refused was stored');
});

test('redirects are not followed: a 302 is a failed attempt and its Location gets nothing', async () => {
	const target = await receiver((req, res) => res.end('ok'));
	const hop = await receiver((req, res) => {
		res.writeHead(302, { location: `http://127.0.0.1:${target.port}/stolen` });
		res.end();
	});
	try {
		const h = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${hop.port}/hop`, events: ['conversation.created'] } });
		assert.equal(h.status, 201, h.text);
		await startConversation();
		const d = await waitFor(async () => (await deliveries(h.json.id)).find((x) => x.attempts >= 1));
		assert.equal(d.last_status, 302);
		assert.equal(d.status, 'pending', 'a redirect is retried like any other non-2xx answer');
		assert.ok(hop.hits.length >= 1);
		assert.equal(target.hits.length, 0, 'the Location was never requested');
		assert.equal((await api('DELETE', `/api/v1/admin/webhooks/${h.json.id}`, { key: T.apiKey })).status, 204);
	} finally {
		hop.srv.close();
		target.srv.close();
	}
});

test('the sender checks again at connect: webhooks saved while allowed are not sent once their address is not', async () => {
	const rcv = await receiver((req, res) => res.end('ok'));
	const del = (id) => api('DELETE', `/api/v1/admin/webhooks/${id}`, { key: T.apiKey });
	const hooks = [];
	try {
		// Allowed now: the stack lists 127.0.0.1. (Not `localhost`, which may
		// also resolve to ::1, which the stack does not list.)
		const byAddress = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${rcv.port}/late`, events: ['conversation.created'] } });
		assert.equal(byAddress.status, 201, byAddress.text);
		hooks.push(byAddress.json.id);
		try {
			// The operator lists the name localhost instead: a URL with that
			// host is allowed, the address itself no longer is.
			restartWithAllowList('localhost');
			await healthy();
			const byName = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://localhost:${rcv.port}/late-name`, events: ['conversation.created'] } });
			assert.equal(byName.status, 201, byName.text);
			hooks.push(byName.json.id);
			const r = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${rcv.port}/x`, events: ['conversation.created'] } });
			assert.equal(r.status, 400, r.text);

			// Then empties webhook_allow_hosts (the default).
			restartWithAllowList('');
			await healthy();
			// Saving is refused now, for the name and the address.
			for (const url of [`http://localhost:${rcv.port}/x`, `http://127.0.0.1:${rcv.port}/x`]) {
				const r2 = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url, events: ['conversation.created'] } });
				assert.equal(r2.status, 400, `${url}: ${r2.text}`);
				assert.equal(r2.json.error.field, 'url');
			}
			// Both webhooks saved earlier are refused by the sender, without connecting.
			await startConversation();
			for (const id of hooks) {
				const d = await waitFor(async () => (await deliveries(id)).find((x) => x.status !== 'pending' || x.attempts >= 1));
				assert.equal(d.status, 'failed', `webhook ${id}`);
				assert.equal(d.attempts, 1, 'not retried');
				assert.equal(d.last_status, null);
				assert.equal(d.last_error, 'address not allowed');
				assert.equal(d.attempt_log[0].error, 'address not allowed');
			}
			await new Promise((r3) => setTimeout(r3, 500));
			assert.equal(rcv.hits.length, 0, 'the receiver got nothing');
		} finally {
			restartWithAllowList(undefined);
			await healthy();
		}
		// With the stack's list back, the webhook to 127.0.0.1 is delivered again.
		assert.equal((await del(hooks.pop())).status, 204);
		await startConversation();
		await waitFor(() => rcv.hits.find((x) => x.url === '/late' && x.event === 'conversation.created'));
	} finally {
		for (const id of hooks)
			await del(id);
		rcv.srv.close();
	}
});

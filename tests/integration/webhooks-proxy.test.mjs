// tests/integration/webhooks-proxy.test.mjs: webhooks through the operator's proxy (webhook_proxy): sent through it, the address rule still applied to the URL's host before the proxy sees anything, and the environment's http_proxy ignored.
//
// The proxy is a small forward proxy in this file on 127.0.0.1; the receiver
// too. The stack's workers and kefu-webhookd are restarted with the settings
// through KEFU_* (and http_proxy) variables, and put back afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { api, newTenant, KEFU_URL, waitFor } from '../lib/kefu.mjs';

let T, channel, receiver, proxy;

function listen(srv) {
	return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv.address().port)));
}

// A receiver recording the paths it was sent.
async function startReceiver() {
	const hits = [];
	const srv = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => { hits.push(req.url); res.end('ok'); });
	});
	return { srv, hits, port: await listen(srv) };
}

// A forward proxy for http:// URLs (absolute-form requests), recording each URL.
async function startProxy() {
	const hits = [];
	const srv = http.createServer((req, res) => {
		hits.push(req.url);
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			let u;
			try { u = new URL(req.url); } catch { res.writeHead(400); res.end(); return; }
			const up = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers: req.headers }, (r) => {
				res.writeHead(r.statusCode, r.headers);
				r.pipe(res);
			});
			up.on('error', () => { res.writeHead(502); res.end(); });
			up.end(Buffer.concat(chunks));
		});
	});
	return { srv, hits, port: await listen(srv) };
}

// Asynchronous, so the proxy in this process keeps serving meanwhile
// (tools/stack's own health checks use curl, which does use http_proxy).
async function restart(env) {
	const e = { ...process.env };
	for (const k of ['KEFU_WEBHOOK_PROXY', 'KEFU_WEBHOOK_ALLOW_HOSTS', 'http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'])
		delete e[k];
	await promisify(execFile)(join(process.env.KEFU_SRCDIR, 'tools/stack'), ['restart-workers', process.env.KEFU_STATE], { env: { ...e, ...env } });
}

async function healthy() {
	await waitFor(async () => (await fetch(`${KEFU_URL}/healthz`).catch(() => null))?.status === 200, 30000);
}

async function startConversation() {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	assert.ok([200, 201].includes(v.status), v.text);
	const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
}

async function hook(path) {
	const h = await api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url: `http://127.0.0.1:${receiver.port}${path}`, events: ['conversation.created'] } });
	assert.equal(h.status, 201, h.text);
	return h.json.id;
}

const deliveries = async (id) => (await api('GET', `/api/v1/admin/webhooks/${id}/deliveries`, { key: T.apiKey })).json.items;
const drop = (id) => api('DELETE', `/api/v1/admin/webhooks/${id}`, { key: T.apiKey });

before(async () => {
	T = newTenant('proxy');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Proxy shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
	receiver = await startReceiver();
	proxy = await startProxy();
});

after(async () => {
	await restart({});
	await healthy();
	receiver.srv.close();
	proxy.srv.close();
});

test('with webhook_proxy set, webhooks go through the proxy', async () => {
	const id = await hook('/via-proxy');
	try {
		await restart({ KEFU_WEBHOOK_PROXY: `http://127.0.0.1:${proxy.port}` });
		await healthy();
		await startConversation();
		await waitFor(() => receiver.hits.includes('/via-proxy'));
		assert.ok(proxy.hits.includes(`http://127.0.0.1:${receiver.port}/via-proxy`), JSON.stringify(proxy.hits));
		const d = await waitFor(async () => (await deliveries(id)).find((x) => x.status === 'delivered'));
		assert.equal(d.last_status, 200);
	} finally {
		await drop(id);
	}
});

test('through the proxy the address rule still holds: refused before the proxy sees anything, not retried', async () => {
	const id = await hook('/refused'); // saved while the stack allows 127.0.0.1
	try {
		await restart({ KEFU_WEBHOOK_PROXY: `http://127.0.0.1:${proxy.port}`, KEFU_WEBHOOK_ALLOW_HOSTS: '' });
		await healthy();
		await startConversation();
		const d = await waitFor(async () => (await deliveries(id)).find((x) => x.attempts >= 1));
		assert.equal(d.status, 'failed');
		assert.equal(d.attempts, 1);
		assert.equal(d.last_error, 'address not allowed');
		await new Promise((r) => setTimeout(r, 500));
		assert.ok(!proxy.hits.some((u) => u.endsWith('/refused')), 'the proxy was not asked');
		assert.ok(!receiver.hits.includes('/refused'));
	} finally {
		await drop(id);
	}
});

test('the environment\'s http_proxy is not used: without webhook_proxy webhooks go direct', async () => {
	const p = `http://127.0.0.1:${proxy.port}`;
	await restart({ http_proxy: p, HTTP_PROXY: p, all_proxy: p, ALL_PROXY: p });
	await healthy();
	const id = await hook('/direct');
	try {
		await startConversation();
		await waitFor(() => receiver.hits.includes('/direct'));
		assert.ok(!proxy.hits.some((u) => u.endsWith('/direct')), JSON.stringify(proxy.hits));
	} finally {
		await drop(id);
	}
});

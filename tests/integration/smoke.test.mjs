// tests/integration/smoke.test.mjs: the stack answers through lighttpd: health, 404 shape, static files, pipelining.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { KEFU_URL, Session, api, errorCode, newTenant } from '../lib/kefu.mjs';

test('GET /healthz is ok through lighttpd', async () => {
	const r = await api('GET', '/healthz');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type') || '', /application\/json/);
	assert.deepEqual({ status: r.json.status, db: r.json.db }, { status: 'ok', db: 'ok' });
});

test('an unknown API route is a JSON 404', async () => {
	const r = await api('GET', '/api/v1/no-such-thing');
	assert.equal(r.status, 404);
	assert.match(r.headers.get('content-type') || '', /application\/json/);
	assert.equal(errorCode(r), 'not_found');
	assert.equal(typeof r.json.error.message, 'string');
});

test('an unknown path outside the API is a 404, never a 500', async () => {
	const r = await api('GET', '/no/such/page');
	assert.equal(r.status, 404);
});

test('static files come from htdocs under /static/', async () => {
	const r = await api('GET', '/static/demo/index.html');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type') || '', /text\/html/);
	assert.match(r.text, /Demo Shop/);
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
	const css = await api('GET', '/static/demo/demo.css');
	assert.equal(css.status, 200);
	assert.match(css.headers.get('content-type') || '', /text\/css/);
	const missing = await api('GET', '/static/demo/missing.html');
	assert.equal(missing.status, 404);
	const listing = await api('GET', '/static/');
	assert.ok([403, 404].includes(listing.status), `directory listing answered ${listing.status}`);
});

// Send raw bytes on one connection; resolve with everything the server sent back.
function rawExchange(payload, timeoutMs = 10000) {
	const { hostname, port } = new URL(KEFU_URL);
	return new Promise((resolve, reject) => {
		const sock = connect({ host: hostname, port: Number(port) || 80 }, () => sock.write(payload));
		const chunks = [];
		sock.setTimeout(timeoutMs, () => { sock.destroy(); reject(new Error('timed out')); });
		sock.on('data', (d) => chunks.push(d));
		sock.on('end', () => resolve(Buffer.concat(chunks)));
		sock.on('error', reject);
	});
}

// Split a byte stream of HTTP/1.1 responses (Content-Length or chunked bodies).
function parseResponses(buf) {
	const out = [];
	let at = 0;
	while (at < buf.length) {
		const end = buf.indexOf('\r\n\r\n', at);
		if (end < 0)
			throw new Error(`truncated response head at byte ${at}`);
		const head = buf.subarray(at, end).toString('latin1');
		const status = Number(head.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
		let bodyAt = end + 4, body;
		const len = head.match(/\r\ncontent-length:\s*(\d+)/i);
		if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
			const parts = [];
			for (;;) {
				const eol = buf.indexOf('\r\n', bodyAt);
				const size = parseInt(buf.subarray(bodyAt, eol).toString('latin1'), 16);
				bodyAt = eol + 2;
				if (size === 0) {
					bodyAt += 2;
					break;
				}
				parts.push(buf.subarray(bodyAt, bodyAt + size));
				bodyAt += size + 2;
			}
			body = Buffer.concat(parts);
		} else {
			const n = len ? Number(len[1]) : 0;
			body = buf.subarray(bodyAt, bodyAt + n);
			bodyAt += n;
		}
		out.push({ status, head, body: body.toString('utf8') });
		at = bodyAt;
	}
	return out;
}

test('pipelined HTTP/1.1 requests are answered in order on one connection', async () => {
	const host = new URL(KEFU_URL).host;
	const out = await rawExchange(
		`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
		`GET /api/v1/no-such-thing HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
		`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
	const responses = parseResponses(out);
	assert.deepEqual(responses.map((r) => r.status), [200, 404, 200]);
	assert.equal(JSON.parse(responses[0].body).status, 'ok');
	assert.equal(JSON.parse(responses[1].body).error.code, 'not_found');
});

test('kefuctl makes a tenant whose admin can log in and out (the Session helper)', async () => {
	const t = newTenant('smoke');
	assert.ok(Number.isInteger(t.id) && t.id > 0, `tenant id ${t.id}`);
	assert.ok(t.apiKey.length >= 20, 'an API key was printed');

	const wrong = await new Session().login(t.adminLogin, `${t.adminPassword}-wrong`);
	assert.equal(wrong.status, 401);
	assert.equal(errorCode(wrong), 'unauthenticated');

	const s = await Session.login(t.adminLogin, t.adminPassword);
	assert.equal(s.user.role, 'admin');
	assert.ok(s.csrf, 'login returns a csrf_token');
	assert.ok(s.cookies.size > 0, 'login sets a session cookie');
	const me = await s.get('/api/v1/auth/me');
	assert.equal(me.status, 200);

	const out = await s.logout();
	assert.equal(out.status, 204);
	const after = await s.get('/api/v1/auth/me');
	assert.equal(after.status, 401);
});

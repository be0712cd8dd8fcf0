// tests/integration/websrv.test.mjs: the web server's own answers (bad URL, header or body too large, build files) are the documented JSON errors, and a body over the limit is refused before it is spooled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KEFU_URL } from '../lib/kefu.mjs';
import { assertJsonError, rawRequest } from '../lib/raw-http.mjs';

const STATE = process.env.KEFU_STATE;
// kefu's largest route limit: upload_limit, 10M by default (the stack keeps the default).
const LIMIT = 10 * 1024 * 1024;

const raw = (head, body) => rawRequest(KEFU_URL, head, body);

// The directories lighttpd spools request bodies to, as its configuration says.
function uploadDirs() {
	const conf = readFileSync(join(STATE, 'lighttpd.conf'), 'utf8');
	const m = conf.match(/^\s*server\.upload-dirs\s*=\s*\(([^)]*)\)/m);
	return m ? [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : ['/var/tmp']; // lighttpd's default
}

function spooled(dirs) {
	let total = 0;
	for (const d of dirs) {
		if (!existsSync(d))
			continue;
		for (const f of readdirSync(d)) {
			try {
				total += statSync(join(d, f)).size;
			} catch { /* removed meanwhile */ }
		}
	}
	return total;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a NUL or a non-UTF-8 byte escaped in the URL path is a JSON 400', async () => {
	for (const path of ['/api/v1/widget/x%00y', '/api/v1/widget/x%FFy', '/static/x%00.js', '/static/%FF.js'])
		assertJsonError(await raw(`GET ${path} HTTP/1.1`), 400);
});

test('a header too large is a JSON 431', async () => {
	const r = await raw(`GET /healthz HTTP/1.1\r\nX-Big: ${'a'.repeat(70000)}`);
	assertJsonError(r, 431, 'too_large');
});

test('a Content-Length just over the largest route limit is a JSON 413 at once, nothing spooled', async () => {
	const dirs = uploadDirs();
	const before = spooled(dirs);
	const r = await raw(`POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${LIMIT + 1}`,
		async (write) => {
			write(Buffer.alloc(64 * 1024, 0x20));
		});
	assertJsonError(r, 413, 'too_large');
	assert.ok(r.ms < 5000, `answered after ${r.ms} ms`);
	assert.ok(spooled(dirs) <= before, 'no body was kept');
});

test('a 2 GB Content-Length sent slowly is refused before it is read', async () => {
	const dirs = uploadDirs();
	const r = await raw(`POST /api/v1/widget/upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${2 * 1024 ** 3}`,
		async (write) => {
			for (let i = 0; i < 20; i++) {
				if (!write(Buffer.alloc(256 * 1024, 0x61)))
					return;
				await sleep(50);
			}
		});
	assertJsonError(r, 413, 'too_large');
	assert.ok(r.ms < 5000, `answered after ${r.ms} ms`);
	assert.ok(spooled(dirs) < 1024 * 1024, 'nothing big in the upload directory');
});

test('a chunked body that grows past the limit is cut off at the limit and its spool removed', async () => {
	const dirs = uploadDirs();
	let most = 0;
	const r = await raw('POST /api/v1/widget/upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked',
		async (write) => {
			const chunk = Buffer.alloc(1024 * 1024, 0x61);
			for (let i = 0; i < 14; i++) {
				if (!write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])))
					return;
				await sleep(30);
				most = Math.max(most, spooled(dirs));
			}
			write(Buffer.from('0\r\n\r\n'));
		});
	assertJsonError(r, 413, 'too_large');
	assert.ok(most <= LIMIT + 1024 * 1024, `at most the limit was spooled (${most} bytes)`);
	await sleep(200);
	assert.ok(spooled(dirs) < 1024 * 1024, 'the spooled part is gone');
});

test('a body of exactly the limit still reaches the worker (the two limits agree)', async () => {
	const r = await raw(`POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${LIMIT}`,
		async (write) => {
			const chunk = Buffer.alloc(1024 * 1024, 0x20);
			for (let i = 0; i < 10; i++)
				if (!write(chunk))
					return;
		});
	// The worker's own answer (login takes 64 KiB of JSON): JSON too, with its security headers.
	assertJsonError(r, 413, 'too_large');
	assert.equal(r.headers['referrer-policy'], 'same-origin', 'answered by the worker, not lighttpd');
});

test('build files in htdocs are not served; a missing static file is a JSON 404', async () => {
	const mk = await raw('GET /static/local.mk HTTP/1.1');
	assert.ok([403, 404].includes(mk.status), `GET /static/local.mk answered ${mk.status}`);
	assertJsonError(mk, mk.status);
	assert.doesNotMatch(mk.text, /nobase_dist|pkgdata/);
	assertJsonError(await raw('GET /static/widget/nope.js HTTP/1.1'), 404, 'not_found');
	const ok = await raw('GET /static/widget/loader.js HTTP/1.1');
	assert.equal(ok.status, 200);
	assert.match(ok.headers['content-type'], /javascript/);
});

test('a route of the worker still answers its own errors', async () => {
	const r = await raw('GET /api/v1/no-such-thing HTTP/1.1');
	assertJsonError(r, 404, 'not_found');
	assert.equal(r.headers['referrer-policy'], 'same-origin');
});

// tests/lib/raw-http.mjs: HTTP requests written byte by byte, for what fetch refuses or repairs (bad escapes, huge headers, lying Content-Length, slow bodies).
import assert from 'node:assert/strict';
import { connect } from 'node:net';

// A whole chunked body decoded, or null while its last chunk has not arrived.
function unchunk(b) {
	const parts = [];
	for (let at = 0;;) {
		const eol = b.indexOf('\r\n', at);
		if (eol < 0)
			return null;
		const n = parseInt(b.subarray(at, eol).toString('latin1'), 16);
		if (n === 0)
			return Buffer.concat(parts);
		if (eol + 2 + n + 2 > b.length)
			return null;
		parts.push(b.subarray(eol + 2, eol + 2 + n));
		at = eol + 2 + n + 2;
	}
}

/**
 * One HTTP/1.1 request written by hand to the server at base (fetch would refuse or fix most of these).
 * head: the request line and headers, without the blank line. body: an
 * async function given write(buf) that returns false once the server has
 * answered. Resolves {status, headers, text, ms} from the first response.
 */
export function rawRequest(base, head, body) {
	const { hostname: HOST, port: PORT } = new URL(base);
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const s = connect(Number(PORT), HOST);
		let buf = Buffer.alloc(0), done = false;
		const finish = (err) => {
			if (done)
				return;
			const str = buf.toString('latin1');
			const end = str.indexOf('\r\n\r\n');
			if (end < 0) {
				if (err) {
					done = true;
					s.destroy();
					reject(err);
				}
				return;
			}
			const lines = str.slice(0, end).split('\r\n');
			const headers = {};
			for (const l of lines.slice(1)) {
				const i = l.indexOf(':');
				headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
			}
			const len = Number(headers['content-length'] ?? -1);
			let rest = buf.subarray(end + 4);
			if (/chunked/i.test(headers['transfer-encoding'] || '')) {
				const body = unchunk(rest);
				if (body === null && !err)
					return;
				rest = body ?? rest;
			} else if (!err && len >= 0 && rest.length < len) {
				return;
			}
			done = true;
			s.destroy();
			resolve({ status: Number(lines[0].split(' ')[1]), headers, text: rest.toString('utf8'), ms: Date.now() - t0 });
		};
		s.setTimeout(20000, () => finish(new Error('no answer within 20 s')));
		s.on('data', (d) => {
			buf = Buffer.concat([buf, d]);
			finish();
		});
		s.on('end', () => finish(new Error('connection closed without an answer')));
		s.on('close', () => finish(new Error('connection closed without an answer')));
		s.on('error', (e) => finish(e));
		s.once('connect', async () => {
			s.write(`${head}\r\nHost: ${HOST}:${PORT}\r\n\r\n`);
			if (body) {
				const write = (b) => {
					if (done || s.destroyed)
						return false;
					s.write(b);
					return true;
				};
				try {
					await body(write);
				} catch { /* the server may close while we write */ }
			}
		});
	});
}

/** r (from rawRequest) is status with the documented JSON error body, of code if given; returns the body. */
export function assertJsonError(r, status, code) {
	assert.equal(r.status, status, r.text);
	assert.match(r.headers['content-type'] || '', /^application\/json/, `Content-Type of a ${status}`);
	const j = JSON.parse(r.text);
	assert.equal(typeof j.error.message, 'string');
	if (code)
		assert.equal(j.error.code, code);
	return j;
}

// tests/lib/fcgi.mjs: speaking FastCGI to a worker's socket directly, as the web server does.
import { connect } from 'node:net';

// A FastCGI record: version 1, type, request id 1, content, no padding.
export function record(type, content) {
	const h = Buffer.alloc(8);
	h.writeUInt8(1, 0);
	h.writeUInt8(type, 1);
	h.writeUInt16BE(1, 2);
	h.writeUInt16BE(content.length, 4);
	return Buffer.concat([h, content]);
}

function pairs(params) {
	const len = (n) => (n < 128 ? Buffer.from([n]) : Buffer.from([(n >>> 24) | 0x80, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]));
	return Buffer.concat(Object.entries(params).flatMap(([k, v]) => [len(Buffer.byteLength(k)), len(Buffer.byteLength(v)), Buffer.from(k), Buffer.from(v)]));
}

// One request over a new connection to the unix socket sock, as lighttpd sends it (no FCGI_KEEP_CONN):
// {status, json, ms}.
export function fcgiGet(sock, uri, headers = {}) {
	return fcgiRequest(sock, 'GET', uri, headers);
}

// As fcgiGet, with a method and a body (a string or Buffer, sent as stdin with its CONTENT_LENGTH; content-type
// among the headers becomes CONTENT_TYPE): {status, json, ms}.
export function fcgiRequest(sock, method, uri, headers = {}, body = null) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const c = connect(sock);
		let buf = Buffer.alloc(0), out = Buffer.alloc(0), done = false;
		c.on('error', reject);
		c.on('connect', () => {
			const params = { REQUEST_METHOD: method, REQUEST_URI: uri, QUERY_STRING: uri.split('?')[1] || '', REMOTE_ADDR: '127.0.0.1', SERVER_PROTOCOL: 'HTTP/1.1' };
			const stdin = body === null ? Buffer.alloc(0) : Buffer.from(body);
			if (body !== null)
				params.CONTENT_LENGTH = String(stdin.length);
			for (const [k, v] of Object.entries(headers))
				params[k.toLowerCase() === 'content-type' ? 'CONTENT_TYPE' : 'HTTP_' + k.toUpperCase().replace(/-/g, '_')] = v;
			// stdin in records of at most 65,535 bytes, then the empty record that ends it
			const chunks = [];
			for (let i = 0; i < stdin.length; i += 65535)
				chunks.push(record(5, stdin.subarray(i, i + 65535)));
			c.write(Buffer.concat([record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])), record(4, pairs(params)), record(4, Buffer.alloc(0)), ...chunks, record(5, Buffer.alloc(0))]));
		});
		c.on('data', (d) => {
			buf = Buffer.concat([buf, d]);
			while (buf.length >= 8) {
				const type = buf[1], n = buf.readUInt16BE(4), pad = buf[6];
				if (buf.length < 8 + n + pad)
					break;
				if (type === 6)
					out = Buffer.concat([out, buf.subarray(8, 8 + n)]);
				if (type === 3)
					done = true;
				buf = buf.subarray(8 + n + pad);
			}
		});
		c.on('close', () => {
			if (!done)
				return reject(new Error(`no FCGI_END_REQUEST from ${sock}`));
			const text = out.toString();
			const split = text.indexOf('\r\n\r\n');
			const status = Number(/^Status: (\d+)/m.exec(text.slice(0, split))?.[1]);
			let json = null;
			try { json = JSON.parse(text.slice(split + 4)); } catch { /* not JSON */ }
			resolve({ status, json, ms: Date.now() - t0 });
		});
	});
}

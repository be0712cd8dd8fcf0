// bench/lib/http.mjs: the benches' HTTP client: request() over a node http.Agent, JSON in and out, no checks of its own.
import http from 'node:http';

/**
 * request(method, path, {headers, body}) against url (a URL) through agent. Resolves
 * {status, json, text, headers, at}: json null when the answer is not JSON, at opts.clock() (default
 * performance.now()) when the answer ended. An object body is sent as JSON.
 * opts.localAddress: the source address. opts.timeout (ms): a socket idle that long is destroyed.
 * opts.softErrors: a failed request resolves {status: 0, json: null, text: the error, at} instead of rejecting.
 */
export function requester(url, agent, opts = {}) {
	const clock = opts.clock || (() => performance.now());
	return function request(method, path, { headers = {}, body } = {}) {
		return new Promise((resolve, reject) => {
			const o = { host: url.hostname, port: url.port, method, path, agent, headers };
			if (opts.localAddress)
				o.localAddress = opts.localAddress;
			if (opts.timeout)
				o.timeout = opts.timeout;
			const req = http.request(o, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString();
					let json = null;
					try { json = JSON.parse(text); } catch { /* not JSON */ }
					resolve({ status: res.statusCode, json, text, headers: res.headers, at: clock() });
				});
			});
			req.on('error', opts.softErrors ? (e) => resolve({ status: 0, json: null, text: String(e), at: clock() }) : reject);
			if (opts.timeout)
				req.on('timeout', () => req.destroy());
			if (body !== undefined) {
				req.setHeader('content-type', 'application/json');
				req.end(JSON.stringify(body));
			} else
				req.end();
		});
	};
}

// webhook-receiver.mjs: a kefu webhook receiver for Node.js (18+, no packages): verifies X-Kefu-Signature, drops repeats by X-Kefu-Delivery.
//
//   KEFU_WEBHOOK_SECRET=... PORT=8000 node webhook-receiver.mjs
//
// kefu signs the raw body: X-Kefu-Signature is "sha256=" and the hex
// HMAC-SHA256 of the body's bytes under the webhook's secret. Verify the bytes
// as received, before parsing them. Delivery is at least once: a repeat has
// the same X-Kefu-Delivery id (and the same body and signature).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Whether header (X-Kefu-Signature) is the signature of body (a Buffer) under secret. */
export function verify(secret, body, header) {
	if (typeof header !== 'string' || !header.startsWith('sha256='))
		return false;
	const want = createHmac('sha256', secret).update(body).digest();
	const got = Buffer.from(header.slice(7), 'hex');
	return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * A request handler for http.createServer. onEvent(event, delivery) is called
 * once per delivery id, with the parsed body ({event, tenant_id, occurred_at,
 * data}). seen remembers the ids handled: a Set here; in production, a table
 * with the delivery id as its primary key, written in the same transaction
 * as what onEvent does.
 */
export function receiver({ secret, onEvent, seen = new Set() }) {
	return (req, res) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > 1 << 20)
				req.destroy(); // kefu's bodies are small; refuse anything huge
			else
				chunks.push(c);
		});
		req.on('end', async () => {
			const body = Buffer.concat(chunks);
			if (req.method !== 'POST' || !verify(secret, body, req.headers['x-kefu-signature'])) {
				res.writeHead(401).end();
				return;
			}
			const id = req.headers['x-kefu-delivery'];
			if (seen.has(id)) {
				res.writeHead(200).end(); // a repeat: done already, say so
				return;
			}
			try {
				await onEvent(JSON.parse(body.toString('utf8')), id);
				seen.add(id);
				res.writeHead(204).end();
			} catch (e) {
				// Not handled: any answer but 2xx makes kefu try again later.
				res.writeHead(500).end();
			}
		});
	};
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const secret = process.env.KEFU_WEBHOOK_SECRET;
	if (!secret)
		throw new Error('set KEFU_WEBHOOK_SECRET to the webhook\'s secret');
	const handler = receiver({
		secret,
		onEvent(e, id) {
			console.log(`${id} ${e.event} ${JSON.stringify(e.data)}`);
		},
	});
	createServer(handler).listen(Number(process.env.PORT || 8000), process.env.HOST || '127.0.0.1');
}

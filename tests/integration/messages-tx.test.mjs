// tests/integration/messages-tx.test.mjs: a batch of text messages is one transaction that needs no START TRANSACTION round trip, and still all or nothing per post.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack } from '../lib/own-stack.mjs';

// START TRANSACTIONs are counted server-wide: a stack of its own, where the
// periodic jobs are quiet (tests/lib/own-stack.mjs).
const { api, staffedChannel, widgetVisitor, startConversation, sql } = await ownStack('msgtx');

let conv, headers;

before(async () => {
	const { channel } = await staffedChannel('msgtx');
	const v = await widgetVisitor(channel.key, { locale: 'en' });
	headers = v.headers;
	conv = (await startConversation(v, channel.key)).id;
});

const begins = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Com_begin'")[0][1]);

test('message posts commit without a START TRANSACTION each', async () => {
	const n = 60;
	const b0 = begins(), t0 = Date.now();
	for (let i = 0; i < n; i++) {
		const r = await api('POST', `/api/v1/widget/conversations/${conv}/messages`, { headers, body: { kind: 'text', text: `m${i}` } });
		assert.equal(r.status, 201, r.text);
	}
	const b1 = begins(), t1 = Date.now();
	// What other clients begin meanwhile (housekeeping, presence), over as long a quiet time.
	await new Promise((res) => setTimeout(res, t1 - t0));
	const quiet = begins() - b1;
	const perPost = (b1 - b0 - quiet) / n;
	assert.ok(perPost < 0.5, `${perPost.toFixed(2)} START TRANSACTION per post`);
	// Every message is there once, in order.
	const ev = await api('GET', `/api/v1/widget/conversations/${conv}/events?after=0`, { headers });
	const texts = ev.json.events.filter((e) => e.type === 'message').map((e) => e.message.text);
	assert.deepEqual(texts, Array.from({ length: n }, (_, i) => `m${i}`));
});

test('a post refused inside the batch leaves no transaction open on the connection', async () => {
	// A post to a conversation that does not exist is refused (404) inside the
	// batch; the next posts still commit and are read back by a new connection.
	const bad = await api('POST', '/api/v1/widget/conversations/999999999/messages', { headers, body: { kind: 'text', text: 'nowhere' } });
	assert.equal(bad.status, 404, bad.text);
	const ok = await api('POST', `/api/v1/widget/conversations/${conv}/messages`, { headers, body: { kind: 'text', text: 'after' } });
	assert.equal(ok.status, 201, ok.text);
	const rows = sql(`SELECT COUNT(*) FROM messages WHERE conversation_id = ${Number(conv)} AND text = 'after'`);
	assert.equal(rows[0][0], '1');
});

// tests/integration/messages-tx.test.mjs: a batch of text messages is one transaction of two round trips (no START TRANSACTION, the COMMIT sent with the rows), and still all or nothing per post.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack, generalLog } from '../lib/own-stack.mjs';

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

test("a batch's stream claim, rows and COMMIT are one round trip: two a batch with its locking read", async () => {
	// One post at a time, so each is a batch of its own. Before, a batch was
	// four commands on the batcher's connection (the locking read, the
	// claim, the INSERT, the COMMIT); now the claim, the INSERT and the
	// COMMIT go as one text.
	const n = 20;
	const log = await generalLog(async () => {
		for (let i = 0; i < n; i++) {
			const r = await api('POST', `/api/v1/widget/conversations/${conv}/messages`, { headers, body: { kind: 'text', text: `rt-${i}` } });
			assert.equal(r.status, 201, r.text);
		}
	}, { periodic: false, threads: true });
	const writes = log.filter(([, q]) => /INSERT INTO messages/i.test(q) && q.includes("'rt-"));
	assert.equal(writes.length, n, 'one write a post');
	for (const [, q] of writes)
		assert.match(q, /^INSERT INTO stream_seqs .*; INSERT INTO messages .* RETURNING .*; COMMIT$/s);
	// Every command of the connections that wrote them (the batchers'), per batch.
	const writers = new Set(writes.map(([t]) => t));
	const perBatch = log.filter(([t]) => writers.has(t)).length / n;
	assert.ok(perBatch <= 2.2, `${perBatch.toFixed(2)} commands a batch`);
	const ev = await api('GET', `/api/v1/widget/conversations/${conv}/events?after=0`, { headers });
	const texts = ev.json.events.filter((e) => e.type === 'message' && e.message.text.startsWith('rt-')).map((e) => e.message.text);
	assert.deepEqual(texts, Array.from({ length: n }, (_, i) => `rt-${i}`));
	assert.deepEqual(ev.json.events.map((e) => e.seq), ev.json.events.map((_, i) => i + 1), 'the stream is dense');
});

test('a post whose text needs escaping is written as sent', async () => {
	// The rows go to MariaDB as SQL text: quotes, backslashes, a NUL-free
	// mix of scripts and what looks like SQL come back byte for byte.
	const text = "it's \\ \"quoted\" ?; COMMIT; -- 你好 😀 \n\t'); DROP TABLE messages; --";
	const r = await api('POST', `/api/v1/widget/conversations/${conv}/messages`, { headers, body: { kind: 'text', text } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.text, text);
	const ev = await api('GET', `/api/v1/widget/conversations/${conv}/events?after=0`, { headers });
	const last = ev.json.events.filter((e) => e.type === 'message').pop();
	assert.equal(last.message.id, r.json.id);
	assert.equal(last.message.text, text);
	assert.equal(sql(`SELECT COUNT(*) FROM messages WHERE id = ${Number(r.json.id)} AND CAST(text AS BINARY) = FROM_BASE64('${Buffer.from(text).toString('base64')}')`)[0][0], '1');
});

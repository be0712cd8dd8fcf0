// tests/integration/messages-cells.test.mjs: a read's text cells come back whole whatever their length.
//
// A text read (db_query in src/store/db.c) takes each row's cells up to TEXT_CELL bytes with the row's fetch and
// fetches a longer one again on its own (README, "Message POST, the batch's client side"). Messages whose text
// ends just before, at and after that length, with a character of several bytes across it, and a long one,
// are read back from the conversation's stream exactly as posted, with the times' text as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, staffedChannel, widgetVisitor, startConversation } from '../lib/kefu.mjs';

test('message texts around a read buffer\'s length, and longer, are read back whole', async () => {
	const { channel } = await staffedChannel('msgcells');
	const v = await widgetVisitor(channel.key, { locale: 'en' });
	const conv = await startConversation(v, channel.key);
	const texts = [];
	for (const n of [1, 94, 95, 96, 97, 98, 191, 192, 193])
		texts.push('a'.repeat(n));
	for (const n of [93, 94, 95, 96]) // a three-byte character across the boundary
		texts.push('b'.repeat(n) + '\u20ac' + 'c');
	texts.push('\u4f60\u597d'.repeat(600)); // 3,600 bytes
	const posted = [];
	for (const text of texts) {
		const r = await api('POST', `/api/v1/widget/conversations/${conv.id}/messages`,
			{ headers: v.headers, body: { kind: 'text', text } });
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.text, text);
		assert.match(r.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
		posted.push(r.json);
	}
	const ev = await api('GET', `/api/v1/widget/conversations/${conv.id}/events?after=0`, { headers: v.headers });
	assert.equal(ev.status, 200, ev.text);
	const read = new Map(ev.json.events.filter((e) => e.type === 'message').map((e) => [e.message.id, e.message]));
	for (const p of posted) {
		const m = read.get(p.id);
		assert.ok(m, `message ${p.id} in the stream`);
		assert.equal(m.text, p.text, `a text of ${Buffer.byteLength(p.text)} bytes`);
		assert.equal(m.created_at, p.created_at);
	}
});

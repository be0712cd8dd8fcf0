// tests/integration/messages-parked.test.mjs: a visitor's text post waits for its batch parked, not on a worker's thread.
//
// A worker's batch of text posts is written by the batcher's own thread; each
// post's accept thread parks it and goes back to accept the next request
// (README, "Message POST, parked posts"). While a batch waits for a lock, the
// posts behind it hold no thread, so the workers keep answering; all of them
// are answered once it moves, each once, dense and in order in their stream.
// Runs on a stack of its own: it holds every worker's batch on purpose.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack } from '../lib/own-stack.mjs';

const { api, staffedChannel, widgetVisitor, startConversation, holdConversation } = await ownStack('msgpark');

let channel, v, conv;

before(async () => {
	({ channel } = await staffedChannel('msgpark'));
	v = await widgetVisitor(channel.key, { locale: 'en' });
	conv = await startConversation(v, channel.key);
});

test('posts waiting for their batch hold no worker thread; each is answered once, in order', async () => {
	const release = await holdConversation(conv.id);
	let released = false;
	try {
		// More posts than the two workers have threads (2 x 16): before, each
		// post's thread slept until its batch was written, so with the batch
		// held every thread was taken and nothing else was answered.
		const n = 40;
		const posts = [];
		for (let i = 0; i < n; i++)
			posts.push(api('POST', `/api/v1/widget/conversations/${conv.id}/messages`,
				{ headers: v.headers, body: { kind: 'text', text: `held ${i}` } }));
		await new Promise((r) => setTimeout(r, 300)); // let them reach the workers
		const t0 = Date.now();
		const other = await api('GET', `/api/v1/widget/channels/${channel.key}`);
		const took = Date.now() - t0;
		assert.equal(other.status, 200, other.text);
		assert.ok(took < 1000, `another request took ${took} ms while the posts waited for their batch`);
		await release();
		released = true;
		const rs = await Promise.all(posts);
		for (const r of rs)
			assert.equal(r.status, 201, r.text);
		const ids = new Set(rs.map((r) => r.json.id));
		assert.equal(ids.size, n, 'every post its own message');
		// The conversation's stream holds each once, densely numbered.
		const ev = await api('GET', `/api/v1/widget/conversations/${conv.id}/events?after=0`, { headers: v.headers });
		assert.equal(ev.status, 200, ev.text);
		const seqs = ev.json.events.map((e) => e.seq);
		for (let i = 1; i < seqs.length; i++)
			assert.equal(seqs[i], seqs[i - 1] + 1, `dense stream: ${seqs.join(',')}`);
		const texts = ev.json.events.filter((e) => e.type === 'message').map((e) => e.message.text);
		assert.deepEqual([...texts].sort(), Array.from({ length: n }, (_, i) => `held ${i}`).sort());
	} finally {
		if (!released)
			await release();
	}
});

test('a parked post refused keeps its own answer: a wrong conversation is 404, a bad token 401', async () => {
	const other = await startConversation(await widgetVisitor(channel.key, { locale: 'en' }), channel.key);
	const r = await api('POST', `/api/v1/widget/conversations/${other.id}/messages`,
		{ headers: v.headers, body: { kind: 'text', text: 'not mine' } });
	assert.equal(r.status, 404, r.text);
	assert.equal(r.json.error.code, 'not_found');
	const bad = await api('POST', `/api/v1/widget/conversations/${conv.id}/messages`,
		{ headers: { 'x-visitor-token': 'x'.repeat(43) }, body: { kind: 'text', text: 'who' } });
	assert.equal(bad.status, 401, bad.text);
	const ok = await api('POST', `/api/v1/widget/conversations/${conv.id}/messages`,
		{ headers: v.headers, body: { kind: 'text', text: 'mine' } });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.text, 'mine');
	assert.equal(ok.json.sender, 'visitor');
});

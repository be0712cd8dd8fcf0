// tests/integration/messages-linger.test.mjs: posts in flight together are written as one batch, even when the batch before took them all.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

// The batcher's wait for the posts it has just answered, stretched from 1 ms
// so that the count below does not hang on this machine's speed (the
// workers inherit the environment).
process.env.KEFU_BATCH_LINGER_US = '200000';
const { ownStack, generalLog } = await import('../lib/own-stack.mjs');
// One worker: all posts go through one batcher.
const { agentsOnlyTenant, newChannel, widgetVisitor, startConversation, unique, holdConversation } = await ownStack('msglinger', { workers: 1 });

const CLIENTS = 4, ROUNDS = 10;
let convs;

before(async () => {
	const t = await agentsOnlyTenant('msglinger');
	const ch = await newChannel(t, { name: unique('msglinger'), allowed_origins: [] });
	convs = [];
	for (let i = 0; i < CLIENTS; i++) {
		const v = await widgetVisitor(ch.key, { locale: 'en' });
		convs.push({ v, id: (await startConversation(v, ch.key)).id });
	}
});

const post = async (c, text) => {
	const r = await c.v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text });
	assert.equal(r.status, 201, r.text);
};

// Rows per messages INSERT (one a batch) among the statements, counting the rows whose text starts with tag.
const batchSizes = (log, tag) => log.filter((q) => /^INSERT INTO messages/i.test(q)).map((q) => q.split(`'${tag}`).length - 1).filter((n) => n > 0);

test('clients that post again as soon as they are answered are written together', async () => {
	// Each client posts again once answered: after a batch of all of them the
	// queue is empty, and the first to come back used to be written on its
	// own, the rest in a second batch (about two posts a batch here).
	// They start together: the first client's first post is held in its batch
	// (its conversation's lock) while the others' queue behind it, so that
	// the rest is one group, not two taking turns from the start.
	const log = await generalLog(async () => {
		const release = await holdConversation(convs[0].id);
		const clients = convs.map(async (c, i) => {
			for (let r = 0; r < ROUNDS; r++)
				await post(c, `lg-${i}-${r}`);
		});
		await new Promise((r) => setTimeout(r, 500));
		await release();
		await Promise.all(clients);
	});
	const sizes = batchSizes(log, 'lg-');
	assert.equal(sizes.reduce((a, b) => a + b, 0), CLIENTS * ROUNDS, `rows in ${JSON.stringify(sizes)}`);
	const mean = (CLIENTS * ROUNDS) / sizes.length;
	assert.ok(mean >= 3, `${mean.toFixed(2)} posts a batch (${JSON.stringify(sizes)}), ${CLIENTS} clients`);
	// Each conversation's posts in the order they were sent.
	for (const [i, c] of convs.entries()) {
		const ev = await c.v.req('GET', `/conversations/${c.id}/events?after=0`);
		const texts = ev.json.events.filter((e) => e.type === 'message' && e.message.sender === 'visitor').map((e) => e.message.text);
		assert.deepEqual(texts, Array.from({ length: ROUNDS }, (_, r) => `lg-${i}-${r}`));
	}
});

test('a lone client does not wait for the others', async () => {
	// After a batch of one the next post goes at once: ten posts in a row
	// take far less than ten of the (stretched) waits.
	await new Promise((r) => setTimeout(r, 300)); // any wait left from the test before over
	const t0 = Date.now();
	for (let r = 0; r < 10; r++)
		await post(convs[0], `lone-${r}`);
	const ms = Date.now() - t0;
	assert.ok(ms < 1000, `ten lone posts took ${ms} ms (one wait is 200 ms)`);
});

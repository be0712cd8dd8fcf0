// tests/integration/messages-plan.test.mjs: a batch of visitors' posts reads its conversations, then their visitors and channel, by key: no join buffer, no sort, and of the caller only what a post needs.
//
// The joins and sorts MariaDB does are counted server-wide, so this file runs on a
// stack of its own (tools/stack, a fresh database), as longpoll-head does.
// A stack that cannot start fails the file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack, perCall } from '../lib/own-stack.mjs';

const { api, staffedChannel, widgetVisitor, startConversation, sql } = await ownStack('msgplan');

const convs = [];

// Few visitors in one channel, as on a fresh install or in bench/run: then
// MariaDB, left to itself, started the batch's locking read from the channel
// and joined the conversations through a join buffer, sorted afterwards.
before(async () => {
	const { channel } = await staffedChannel('msgplan');
	for (let i = 0; i < 8; i++) {
		const v = await widgetVisitor(channel.key, { locale: 'en' });
		convs.push({ id: (await startConversation(v, channel.key)).id, headers: v.headers });
	}
});

// Joins through a buffer over a range and sorts of a scan's rows, server-wide so far.
function buffered() {
	const r = Object.fromEntries(sql("SHOW GLOBAL STATUS WHERE Variable_name IN ('Select_full_range_join', 'Sort_scan')"));
	return Number(r.Select_full_range_join) + Number(r.Sort_scan);
}

// Those over `rounds` rounds of one post into each conversation at once (the
// workers batch them), less what the server did meanwhile without us
// (tailers, housekeeping), measured just after over as long a time.
async function bufferedWhilePosting(rounds) {
	const t0 = Date.now(), b0 = buffered();
	for (let i = 0; i < rounds; i++) {
		const rs = await Promise.all(convs.map((c) => api('POST', `/api/v1/widget/conversations/${c.id}/messages`,
			{ headers: c.headers, body: { kind: 'text', text: `m${i}` } })));
		for (const r of rs)
			assert.equal(r.status, 201, r.text);
	}
	const t1 = Date.now(), b1 = buffered();
	await new Promise((res) => setTimeout(res, t1 - t0));
	return b1 - b0 - (buffered() - b1);
}

test('a batch of visitors\' posts locks its conversations by key, with no join buffer and no sort', async () => {
	let n = 0;
	for (let i = 0; i < 5; i++)
		n += await bufferedWhilePosting(4);
	// Before, about every other batch of these 160 posts joined through a
	// buffer and sorted (36 of those in one run); now none does.
	assert.ok(n < 3, `${n} buffered joins and sorts while posting`);
});

test("a visitor's post reads of its caller only what it needs: no visitor_live read", async () => {
	// One post at a time: its batch's locking read, stream claim and INSERT.
	// The caller's read was the full widget caller's, with a correlated
	// read of visitor_live (its liveness) per caller: 6.4 index lookups a
	// post; now the visitor and its channel by key, about 5.0.
	const c = convs[0];
	const per = await perCall(['Handler_read_key'], 40, async (i) => {
		const r = await api('POST', `/api/v1/widget/conversations/${c.id}/messages`,
			{ headers: c.headers, body: { kind: 'text', text: `one ${i}` } });
		assert.equal(r.status, 201, r.text);
	}, { rounds: 3 });
	assert.ok(per.Handler_read_key < 5.7, `${per.Handler_read_key.toFixed(2)} index lookups per post`);
});

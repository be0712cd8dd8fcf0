// tests/integration/visitor-pageview-batch.test.mjs: page views arriving together are written in one round trip a
// batch (pageviews_by_token, schema/0041), each committed before it is answered, and a bad one among them is answered
// alone.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

// The page views' batcher's wait between batches, stretched from 20 ms so that what arrives together is counted as
// together on a loaded machine too (the workers inherit the environment).
process.env.KEFU_PAGEVIEW_GATHER_US = '300000';
const { ownStack, generalLog } = await import('../lib/own-stack.mjs');
const { api, newTenant, sql } = await ownStack('vbatch');

let T;

before(() => {
	T = newTenant('vbatch');
});

async function visitors(ch, n) {
	const vs = [];
	for (let i = 0; i < n; i++) {
		const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' } });
		assert.equal(r.status, 201, r.text);
		const headers = { 'x-visitor-token': r.json.visitor_token };
		vs.push({ id: r.json.visitor_id, view: (url) => api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url, title: 'T' } }) });
	}
	return vs;
}

test('30 page views at once send at most 10 calls (the tree before: one each), every view answered 201 is in pageviews with the visitor and page it named, and an unknown token among them answers 401 alone', async (t) => {
	const made = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Batches', allowed_origins: [], tracking: true } });
	assert.equal(made.status, 201, made.text);
	const vs = await visitors(made.json, 30);
	let answers;
	const log = await generalLog(async () => {
		answers = await Promise.all([...vs.map((v, i) => v.view(`https://s.example/b${i}`)),
			api('POST', '/api/v1/widget/visitors/me/pageviews', { headers: { 'x-visitor-token': 'v'.repeat(43) }, body: { url: 'https://s.example/x' } })]);
	}, { periodic: false });
	const calls = log.filter((q) => /^CALL pageviews?_by_token\(/.test(q)).length;
	t.diagnostic(`${calls} calls for 31 views arriving together`);
	assert.deepEqual(answers.slice(0, 30).map((r) => r.status), Array(30).fill(201), answers.map((r) => r.text).join(' '));
	assert.equal(answers[30].status, 401, answers[30].text);
	assert.ok(calls >= 1 && calls <= 10, `${calls} calls`);
	// Acknowledged means committed: each id answered is its visitor's view of that page.
	const rows = sql(`SELECT id, visitor_id, url FROM pageviews WHERE id IN (${answers.slice(0, 30).map((r) => r.json.id).join(',')})`);
	const by = new Map(rows.map(([id, visitor, url]) => [Number(id), [Number(visitor), url]]));
	for (const [i, v] of vs.entries())
		assert.deepEqual(by.get(answers[i].json.id), [v.id, `https://s.example/b${i}`]);
});

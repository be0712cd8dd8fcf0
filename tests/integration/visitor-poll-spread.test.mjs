// tests/integration/visitor-poll-spread.test.mjs: visitors' polls parked together do not all end together
// (docs/visitor-insight.md, "The visitor's stream and invitations"): each empty poll ends between 80 % and 100 % of
// its wait, at a point that differs from visitor to visitor, so they do not come back to the workers as one wave; and a
// poll asked again at once waits its whole wait (the visitor's phase), so a browsing visitor polls no more than it asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, newTenant } from '../lib/kefu.mjs';

// Twelve browsing visitors of a new tracking channel, each with a page view and its stream's head read:
// [{headers, after}], ready to park a poll.
async function twelveBrowsing(prefix) {
	const T = newTenant(prefix);
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'shop', allowed_origins: [], tracking: true } });
	assert.equal(ch.status, 201, ch.text);
	const vs = [];
	for (let i = 0; i < 12; i++) {
		const r = await api('POST', `/api/v1/widget/channels/${ch.json.key}/visitors`, { body: { locale: 'en' } });
		assert.equal(r.status, 201, r.text);
		const headers = { 'x-visitor-token': r.json.visitor_token };
		assert.equal((await api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url: 'https://shop.example/' } })).status, 201);
		const first = await api('GET', '/api/v1/widget/visitors/me/events?after=0&wait=0', { headers });
		assert.equal(first.status, 200, first.text);
		vs.push({ headers, after: first.json.next });
	}
	return vs;
}

test('twelve polls parked at once with wait=10 end between 8 and 10 s, not all at the same second', async () => {
	const vs = await twelveBrowsing('vis-spread');
	const t0 = Date.now();
	const ends = await Promise.all(vs.map(async (v) => {
		const r = await api('GET', `/api/v1/widget/visitors/me/events?after=${v.after}&wait=10`, { headers: v.headers });
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.events, []);
		return (Date.now() - t0) / 1000;
	}));
	for (const s of ends)
		assert.ok(s >= 7.8 && s < 11, `a poll ended after ${s} s`);
	const spread = Math.max(...ends) - Math.min(...ends);
	assert.ok(spread >= 0.8, `the twelve polls ended within ${spread.toFixed(2)} s of each other: ${ends.map((s) => s.toFixed(2))}`);
});

test('polls asked again at once wait their whole wait: twelve visitors, three polls of wait=10 each, every one after the first 9.5 to 10 s (a random 0 to 2 s came off each)', async () => {
	const vs = await twelveBrowsing('vis-phase');
	const polls = await Promise.all(vs.map(async (v) => {
		const each = [];
		for (let k = 0; k < 3; k++) {
			const t1 = Date.now();
			const r = await api('GET', `/api/v1/widget/visitors/me/events?after=${v.after}&wait=10`, { headers: v.headers });
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json.events, []);
			each.push((Date.now() - t1) / 1000);
		}
		return each;
	}));
	// wait=10: the visitor's phase within 2 s, and up to 0.4 s off the end at random; the first poll ends on the
	// phase (8 to 10 s), the ones asked again at once wait the whole wait less the trims
	const took = polls.flatMap((p) => p.slice(1));
	for (const s of took)
		assert.ok(s >= 9.5 && s < 11, `a poll took ${s} s: ${took.map((x) => x.toFixed(2))}`);
});

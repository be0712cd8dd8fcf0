// tests/integration/visitor-live-paging.test.mjs: paging the live visitors list by cursor while the visitors browse
// (docs/visitor-insight.md, "The lists"): a visitor's page view between two page fetches must not make the walk skip
// or repeat them; every live visitor is seen exactly once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant } from '../lib/kefu.mjs';

const N = 15;
const LIMIT = 4;
let T, agent, shop, visitors = [];

async function visitor(ch, i) {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' } });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	const view = async (path) => {
		const p = await api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url: `https://shop.example/${path}`, title: path } });
		assert.equal(p.status, 201, p.text);
	};
	await view(`landing-${i}`);
	return { id: r.json.visitor_id, view };
}

before(async () => {
	T = newTenant('vis-paging');
	agent = await newAgent(T, 'Paging Agent');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'shop', allowed_origins: [], tracking: true } });
	assert.equal(ch.status, 201, ch.text);
	shop = ch.json;
	for (let i = 0; i < N; i++)
		visitors.push(await visitor(shop, i));
});

// Walk the list page by page; before each next page, move calls the visitors to browse on.
async function walk(move) {
	const seen = [];
	let cursor = null, pages = 0;
	do {
		const r = await agent.get(`/api/v1/agent/visitors/live?limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(r.status, 200, r.text);
		seen.push(...r.json.items.map((x) => x.visitor_id));
		cursor = r.json.next_cursor;
		if (cursor)
			await move(++pages, seen);
	} while (cursor && pages < 50);
	return seen;
}

function once(seen) {
	const count = new Map();
	for (const id of seen)
		count.set(id, (count.get(id) || 0) + 1);
	const ids = visitors.map((v) => v.id);
	assert.deepEqual(ids.filter((id) => count.get(id) !== 1).map((id) => [id, count.get(id) || 0]), [], 'every live visitor once');
	assert.deepEqual([...count.keys()].filter((id) => !ids.includes(id)), [], 'no one else');
	assert.equal(seen.length, N);
}

test('a walk with nobody moving sees every live visitor once', async () => {
	once(await walk(async () => {}));
});

test('visitors not yet seen who view a page between two fetches are still seen, once', async () => {
	once(await walk(async (page, seen) => {
		// the two oldest-listed not yet seen, and one already seen, browse on
		const unseen = visitors.filter((v) => !seen.includes(v.id));
		for (const v of unseen.slice(0, 2))
			await v.view(`moved-${page}`);
		const done = visitors.find((v) => seen.includes(v.id));
		if (done)
			await done.view(`again-${page}`);
	}));
});

test('every visitor viewing a page between every two fetches: still each once', async () => {
	once(await walk(async (page) => {
		for (const v of [...visitors].reverse())
			await v.view(`all-${page}`);
	}));
});

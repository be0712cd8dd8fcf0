// tests/browser/widget-api.test.mjs: the loader's command API on a site of another origin: the queue before load, open, close, page, set, and the on() events ready, open, close, page, message, unread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, newAgent, sql, until as untilIn } from '../lib/kefu.mjs';
import { newPage, onPage, shot } from '../lib/browser.mjs';
import { browserSuite, shopPage } from './lib-shop.mjs';

// The site is another origin than kefu (shopSite).
let SITE, shop;
let browser, T, channel, agent;

// Every on() event the page hears lands in window.heard as [name, data].
const LISTEN = ['ready', 'open', 'close', 'page', 'message', 'unread']
	.map((e) => `kefu('on', '${e}', function (d) { heard.push(['${e}', d === undefined ? null : d]); });`).join('\n');

const sitePage = (page, path, head) => shopPage(page, shop, path, `window.heard = [];
		${head}`, '<h1>Shop</h1><p>Products</p>');

const STUB = "window.kefu = window.kefu || function () { (kefu.q = kefu.q || []).push(arguments); };";
const heard = (page) => page.evaluate(() => window.heard);
const names = async (page) => (await heard(page)).map(([n]) => n);
const widget = (page) => page.frameLocator('#kefu-widget iframe');
const kefuFrame = (page) => page.frames().find((f) => f.url().startsWith(`${KEFU_URL}/widget/frame/`));

const until = (what, fn, ms = 10000) => untilIn(what, fn, ms);

function visitorRow(id) {
	const [row] = sql(`SELECT page_url, attributes FROM visitors WHERE id = ${Number(id)}`);
	return row ? { page_url: row[0], attributes: row[1] ? JSON.parse(row[1]) : null } : null;
}

browserSuite('widget-api', { shop: { name: 'API shop' } }, async (s) => {
	({ browser, T, shop } = s);
	({ url: SITE, channel } = shop);
	agent = await newAgent(T, 'Li Lei', 'online');
});

test('commands queued before the loader, events, page and set reaching the server', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		// Everything below is given before loader.js has run (the stub queues it).
		await sitePage(page, 'spa.html', `${STUB}
			${LISTEN}
			kefu('set', { plan: 'gold', seats: 5, vip: true, nested: { no: 1 }, '': 'no key' });
			kefu('page', { url: '/spa/checkout', title: 'Checkout' });`);
		await until('ready', async () => (await names(page)).includes('ready'));
		let h = await heard(page);
		// 'ready' first; then the queued commands run, in order.
		assert.equal(h[0][0], 'ready');
		assert.equal(h[0][1].online, true);
		h = await until('page', async () => ((await heard(page)).length > 1 ? heard(page) : null));
		assert.deepEqual(h[1], ['page', { url: `${SITE}/spa/checkout`, title: 'Checkout', referrer: `${SITE}/spa.html` }]);
		assert.equal(await page.locator('#kefu-widget .p').isVisible(), false);

		// open / close by command, each heard once.
		await page.evaluate(() => window.kefu('open'));
		await page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
		await page.evaluate(() => window.kefu('open')); // already open: no second event
		await widget(page).locator('.k-text').waitFor({ state: 'visible' });
		await page.evaluate(() => window.kefu('close'));
		await page.locator('#kefu-widget .p').waitFor({ state: 'hidden' });
		assert.deepEqual((await names(page)).slice(2), ['open', 'close']);
		// The launcher button is the same path: its open and close are heard too.
		await page.locator('#kefu-widget button').first().click();
		await page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
		assert.deepEqual((await names(page)).slice(-1), ['open']);

		// The registration carried the page and the attributes that are allowed.
		const vid = await kefuFrame(page).evaluate((k) => JSON.parse(localStorage.getItem(`kefu:visitor:${k}`)), channel.key);
		assert.ok(vid > 0);
		const row = await until('the visitor row', () => visitorRow(vid));
		assert.equal(row.page_url, `${SITE}/spa/checkout`);
		assert.deepEqual(row.attributes, { plan: 'gold', seats: 5, vip: true });

		// set after start: the same visitor, registered again, has the merged attributes.
		await page.evaluate(() => window.kefu('set', { plan: 'platinum', vip: null }));
		await until('attributes updated', () => visitorRow(vid)?.attributes?.plan === 'platinum');
		assert.deepEqual(visitorRow(vid).attributes, { plan: 'platinum', seats: 5 });
		assert.equal(await kefuFrame(page).evaluate((k) => JSON.parse(localStorage.getItem(`kefu:visitor:${k}`)), channel.key), vid);

		// message: the visitor's own and the agent's, with sender and text.
		const w = widget(page);
		await w.locator('.k-text').fill('Where is my order?');
		await w.locator('.k-text').press('Enter');
		await until('the visitor message heard', async () => (await heard(page)).some(([n, d]) => n === 'message' && d.sender === 'visitor'));
		const visitorMsg = (await heard(page)).find(([n, d]) => n === 'message' && d.sender === 'visitor')[1];
		assert.equal(visitorMsg.text, 'Where is my order?');
		assert.equal(visitorMsg.kind, 'text');
		assert.ok(visitorMsg.id > 0);
		const list = await agent.get('/api/v1/agent/conversations');
		const conv = list.json.groups.flatMap((g) => g.conversations)[0];
		assert.ok(conv, list.text);

		// unread: the panel closed, the agent answers: count 1, then 0 on open.
		await page.evaluate(() => window.kefu('close'));
		await page.locator('#kefu-widget .p').waitFor({ state: 'hidden' });
		assert.equal((await agent.post(`/api/v1/agent/conversations/${conv.id}/messages`, { kind: 'text', text: 'It ships today' })).status, 201);
		await until('unread 1', async () => (await heard(page)).some(([n, d]) => n === 'unread' && d.count === 1));
		h = await heard(page);
		const agentMsg = h.find(([n, d]) => n === 'message' && d.sender === 'agent' && d.text === 'It ships today');
		assert.ok(agentMsg, JSON.stringify(h));
		assert.equal(agentMsg[1].agent.name, 'Li Lei');
		assert.equal(await page.locator('#kefu-widget .u.s').innerText(), '1');
		await shot(page, 'widget-api-unread');
		await page.evaluate(() => window.kefu('open'));
		await until('unread 0', async () => (await heard(page)).slice(-2).some(([n, d]) => n === 'unread' && d.count === 0));

		// A page in the SPA after start: heard, and the frame keeps it for its next registration.
		await page.evaluate(() => window.kefu('page'));
		h = await heard(page);
		assert.deepEqual(h[h.length - 1], ['page', { url: `${SITE}/spa.html`, title: 'Shop', referrer: `${SITE}/spa/checkout` }]);

		// Next page load: the conversation resumes, its messages are not told again.
		const before = (await heard(page)).filter(([n]) => n === 'message').length;
		assert.equal(before, 2, 'the visitor\'s and the agent\'s message');
		await sitePage(page, 'spa2.html', `${STUB}\n${LISTEN}`);
		await until('ready again', async () => (await names(page)).includes('ready'));
		await widget(page).locator('.k-msg.k-agent .k-bubble', { hasText: 'It ships today' }).waitFor();
		assert.deepEqual((await heard(page)).filter(([n]) => n === 'message'), []);
		assert.equal((await agent.post(`/api/v1/agent/conversations/${conv.id}/messages`, { kind: 'text', text: 'Anything else?' })).status, 201);
		await until('the new message only', async () => (await heard(page)).some(([n, d]) => n === 'message' && d.text === 'Anything else?'));
		assert.equal((await heard(page)).filter(([n]) => n === 'message').length, 1);
	});
});

test('the array queue form, a late ready listener and a throwing listener', async () => {
	const { context, page } = await newPage(browser, { locale: 'en-US' });
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));
	try {
		await sitePage(page, 'array.html', `window.kefu = window.kefu || [];
			kefu.push(['on', 'open', function () { throw new Error('site bug'); }]);
			kefu.push(['on', 'open', function () { heard.push(['open', null]); }]);
			kefu.push(['open']);`);
		await page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
		await until('open heard', async () => (await names(page)).includes('open'));
		// The site's throwing listener did not stop the one after it; its error is the page's.
		await until('the listener error reported', () => errors.includes('site bug'));
		// After ready, a new 'ready' listener is called at once.
		await page.evaluate(() => window.kefu('on', 'ready', function (d) { heard.push(['late-ready', d]); }));
		await until('late ready', async () => (await names(page)).includes('late-ready'));
		// Unknown commands and bad arguments are ignored.
		await page.evaluate(() => { window.kefu('nope'); window.kefu('on', 'open', 'not a function'); window.kefu('set', 'x'); window.kefu('close'); });
		await page.locator('#kefu-widget .p').waitFor({ state: 'hidden' });
	} finally {
		await context.close();
	}
});

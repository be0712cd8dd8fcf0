// tests/browser/visitor-logout.test.mjs: a shared browser: a site (on another origin than kefu) identifies customer A, who chats; after kefu('logout'), or when the site names customer B, B's widget shows nothing of A's chat and holds another visitor token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { KEFU_URL, api, newAgent } from '../lib/kefu.mjs';
import { onPage, shot } from '../lib/browser.mjs';
import { browserSuite, shopPage } from './lib-shop.mjs';

// The site is another origin than kefu (shopSite), so it cannot touch the widget's storage itself.
let shop;
const ALICE = { full_name: 'Alice Wong', phone: '13800000011' };
const BOB = { full_name: 'Bob Li', phone: '13900000022' };
let browser, T, channel, key, agent;

function params(identity) {
	const k = Buffer.from(key, 'base64');
	const c = createCipheriv(`aes-${k.length * 8}-ecb`, k, null);
	return Buffer.concat([c.update(JSON.stringify(identity), 'utf8'), c.final()]).toString('hex').toUpperCase();
}

// One page of the site at path: the command stub of docs/widget.md, the
// commands the page gives on load, then the embed snippet.
function sitePage(page, path, commands = []) {
	const calls = commands.map((c) => `kefu(${c.map((a) => JSON.stringify(a)).join(', ')});`).join('\n');
	return shopPage(page, shop, path, `window.kefu = window.kefu || function () { (kefu.q = kefu.q || []).push(arguments); };
		${calls}`);
}

const widget = (page) => page.frameLocator('#kefu-widget iframe');
const kefuFrame = (page) => page.frames().find((f) => f.url().startsWith(`${KEFU_URL}/widget/frame/`));
const storedToken = (page) => kefuFrame(page).evaluate((k) => JSON.parse(localStorage.getItem(`kefu:token:${k}`)), channel.key);

// Open (a panel left open on the last page is open again already).
async function openPanel(page) {
	if (!await page.locator('#kefu-widget .p').isVisible())
		await page.locator('#kefu-widget button').first().click();
	await page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
	await widget(page).locator('.k-text').waitFor({ state: 'visible' });
}

// A says something and the agent answers: both on A's screen.
async function aliceChats(page, text) {
	await openPanel(page);
	const w = widget(page);
	await w.locator('.k-text').fill(text);
	await w.locator('.k-text').press('Enter');
	await w.locator('.k-visitor .k-bubble', { hasText: text }).waitFor();
	const list = await agent.get('/api/v1/agent/conversations');
	const conv = list.json.groups.flatMap((g) => g.conversations).find((c) => JSON.stringify(c).includes(text));
	assert.ok(conv, `the agent has A's conversation: ${list.text}`);
	const reply = `Order SO-77 for ${ALICE.full_name} ships today`;
	const r = await agent.post(`/api/v1/agent/conversations/${conv.id}/messages`, { kind: 'text', text: reply });
	assert.equal(r.status, 201, r.text);
	await w.locator('.k-msg.k-agent .k-bubble', { hasText: reply }).waitFor();
	return { conv: conv.id, token: await storedToken(page) };
}

// Nothing of A's chat on B's screen, and another visitor behind it.
async function nothingOfAlice(page, alice) {
	await openPanel(page);
	const w = widget(page);
	await page.waitForTimeout(1500); // a resumed conversation would have drawn by now
	const text = await w.locator('.k-list').innerText();
	assert.ok(!/SO-77|Alice|secret/.test(text), `B sees A's chat: ${text}`);
	assert.equal(await w.locator('.k-msg').count(), 0, text);
	const token = await storedToken(page);
	assert.ok(token && token !== alice.token, 'the widget holds another visitor token');
	const me = await api('GET', '/api/v1/widget/visitor', { headers: { 'x-visitor-token': token } });
	assert.equal(me.status, 200, me.text);
	const conv = await api('GET', `/api/v1/widget/conversations/${alice.conv}`, { headers: { 'x-visitor-token': token } });
	assert.equal(conv.status, 404);
	return me.json;
}

browserSuite('logout', { shop: { name: 'Shared shop', keepQuery: true } }, async (s) => {
	({ browser, T, shop } = s);
	channel = shop.channel;
	key = (await api('POST', `/api/v1/admin/channels/${channel.id}/identity/key`, { key: T.apiKey })).json.key;
	agent = await newAgent(T, 'Han Mei', 'online');
});

test('kefu(\'logout\') on the same page, then B identified: B sees nothing of A', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await sitePage(page, 'shop-a.html', [['identify', params(ALICE)]]);
		const alice = await aliceChats(page, 'Alice secret question 1');
		await shot(page, 'logout-alice-chat');
		await page.evaluate(() => window.kefu('logout'));
		await page.locator('#kefu-widget .p').waitFor({ state: 'hidden' });
		await page.evaluate((p) => window.kefu('identify', p), params(BOB));
		const bob = await nothingOfAlice(page, alice);
		assert.equal(bob.identified, true);
		assert.equal(bob.name, BOB.full_name);
		await shot(page, 'logout-bob-empty');
		// B chats on in a conversation of B's own.
		const w = widget(page);
		await w.locator('.k-text').fill('Bob here');
		await w.locator('.k-text').press('Enter');
		await w.locator('.k-visitor .k-bubble', { hasText: 'Bob here' }).waitFor();
		assert.equal(await w.locator('.k-msg', { hasText: 'Alice' }).count(), 0);
		assert.deepEqual(page.kefuErrors.filter((e) => !/status of 40[14]/.test(e)), []);
	});
});

test('a logged-out page calls kefu(\'logout\') before the loader; the next customer starts clean', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await sitePage(page, 'shop-a.html', [['identify', params(ALICE)]]);
		const alice = await aliceChats(page, 'Alice secret question 2');
		// The site's logout lands on a page that says so to kefu, queued by the stub.
		await sitePage(page, 'logged-out.html', [['logout']]);
		assert.equal(await page.locator('#kefu-widget .p').isVisible(), false);
		const guest = await nothingOfAlice(page, alice);
		assert.equal(guest.identified, false);
		// And the next customer's page.
		await sitePage(page, 'shop-b.html', [['identify', params(BOB)]]);
		const bob = await nothingOfAlice(page, alice);
		assert.equal(bob.name, BOB.full_name);
	});
});

test('a site that forgets kefu(\'logout\'): the next identity, or none, alone gets a clean widget', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await sitePage(page, 'shop-a.html', [['identify', params(ALICE)]]);
		let alice = await aliceChats(page, 'Alice secret question 3');
		await sitePage(page, 'shop-b.html', [['identify', params(BOB)]]);
		const bob = await nothingOfAlice(page, alice);
		assert.equal(bob.name, BOB.full_name);
		// A again on this browser, then a page that names nobody.
		await sitePage(page, 'shop-a.html', [['identify', params(ALICE)]]);
		alice = await aliceChats(page, 'Alice secret question 4');
		await sitePage(page, 'home.html');
		const guest = await nothingOfAlice(page, alice);
		assert.equal(guest.identified, false);
	});
});

test('a page that names B right after A (no logout, no reload): the panel clears', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await sitePage(page, 'shop-a.html', [['identify', params(ALICE)]]);
		const alice = await aliceChats(page, 'Alice secret question 5');
		await page.evaluate((p) => window.kefu('identify', p), params(BOB));
		await widget(page).locator('.k-msg').first().waitFor({ state: 'detached' });
		const bob = await nothingOfAlice(page, alice);
		assert.equal(bob.name, BOB.full_name);
	});
});

test('the composer waits for the registration: the first words, typed at once, reach the agent', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		// A slow registration (a busy server): the panel is open before it is answered.
		let answered = false;
		await page.route('**/api/v1/widget/channels/*/visitors', async (route) => {
			await new Promise((ok) => setTimeout(ok, 2000));
			await route.continue();
			answered = true;
		});
		await sitePage(page, 'shop-a.html', [['identify', params(ALICE)]]);
		await page.locator('#kefu-widget button').first().click();
		await page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
		const w = widget(page);
		await w.locator('.k-panel').waitFor();
		assert.equal(answered, false, 'the registration is still under way');
		assert.equal(await w.locator('.k-text').isVisible(), false, 'no composer before the visitor is known');
		await w.locator('.k-text').waitFor({ state: 'visible' });
		await w.locator('.k-text').fill('Alice first words');
		await w.locator('.k-text').press('Enter');
		await w.locator('.k-visitor .k-bubble', { hasText: 'Alice first words' }).waitFor();
		const list = await agent.get('/api/v1/agent/conversations');
		assert.ok(list.text.includes('Alice first words'), list.text);
	});
});

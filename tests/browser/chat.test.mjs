// tests/browser/chat.test.mjs: a whole chat in Chromium: a visitor on the demo page (widget) and an agent in the workbench, live both ways, on desktop and phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEFU_URL, api, embeddedChannel, newTenant, Session, unique } from '../lib/kefu.mjs';
import { launch, newPage, shot, assertAccessible } from '../lib/browser.mjs';
import { png } from '../lib/png.mjs';

const SRCDIR = process.env.KEFU_SRCDIR || process.cwd();
const DEMO = `${KEFU_URL}/static/demo/index.html`;
let browser, T, channel, snippet, agent, demoHtml;

// The demo shop page, with this test's channel snippet in place of the demo channel's.
async function openDemo(page) {
	await page.route(DEMO, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: demoHtml }));
	await page.goto(DEMO, { waitUntil: 'load' });
}

async function agentPage(opts = {}) {
	const { context, page } = await newPage(browser, { locale: 'en-US', ...opts });
	const token = agent.cookies.get('kefu_session');
	await context.addCookies([{ name: 'kefu_session', value: token, url: KEFU_URL }]);
	await page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
	await page.locator('#wb-status').waitFor();
	return { context, page };
}

// The visitor: open the widget, fill the pre-chat form, start.
async function visitorStarts(page, name) {
	await page.locator('#kefu-widget button').first().click();
	const frame = page.frameLocator('#kefu-widget iframe');
	await frame.getByLabel('Your name').fill(name);
	await frame.getByLabel('Phone').fill('15912345678');
	await frame.getByRole('button', { name: 'Start chat' }).click();
	await frame.locator('.k-text').waitFor({ state: 'visible' });
	return frame;
}

async function visitorSays(frame, text) {
	await frame.locator('.k-text').fill(text);
	await frame.locator('.k-text').press('Enter');
	await frame.locator('.k-visitor .k-bubble', { hasText: text }).waitFor();
}

before(async () => {
	browser = await launch();
	T = newTenant('chat');
	const origin = new URL(KEFU_URL).origin;
	({ channel, snippet } = await embeddedChannel(T, {
		name: 'Chat shop', allowed_origins: [origin],
		prechat_fields: [
			{ name: 'name', label: 'Your name', type: 'text', required: true },
			{ name: 'phone', label: 'Phone', type: 'phone', required: true },
		],
	}));
	const login = unique('wb-agent'), password = 'pw-' + unique('p');
	const u = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'Li Lei', password, role: 'agent', department_ids: [] } });
	assert.equal(u.status, 201, u.text);
	agent = await Session.login(login, password);
	agent.id = u.json.id;
	let html;
	const live = await fetch(DEMO);
	html = live.status === 200 ? await live.text() : readFileSync(join(SRCDIR, 'htdocs', 'demo', 'index.html'), 'utf8');
	const re = /<script[^>]*data-kefu-channel[^>]*><\/script>/;
	if (re.test(html))
		demoHtml = html.replace(re, snippet);
	else if (html.includes('<!--kefu-snippet-->'))
		demoHtml = html.replace('<!--kefu-snippet-->', snippet);
	else {
		const at = html.lastIndexOf('</body>');
		demoHtml = html.slice(0, at) + snippet + '\n' + html.slice(at);
	}
});
after(async () => { await browser?.close(); });

test('visitor and agent chat live: text, emoji, image, reply, reload keeps history', async () => {
	const A = await agentPage();
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		// The agent goes online from the workbench.
		const put = A.page.waitForResponse((r) => r.url().endsWith('/api/v1/agent/status') && r.request().method() === 'PUT');
		await A.page.locator('#wb-status').selectOption('online');
		assert.equal((await put).status(), 200);
		assert.equal((await agent.get('/api/v1/agent/status')).json.status, 'online');
		await shot(A.page, 'workbench-empty');

		await openDemo(V.page);
		const frame = await visitorStarts(V.page, '韩梅梅');
		await visitorSays(frame, 'Hello, is my order shipped?');
		await frame.getByRole('button', { name: /Emoji/ }).click();
		await frame.locator('.k-e').first().click();
		await frame.locator('.k-text').press('Enter');
		await frame.locator('.k-visitor .k-bubble', { hasText: '😀' }).waitFor();
		await frame.locator('input.k-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png(120, 80) });
		await frame.locator('.k-visitor a.k-img img').waitFor();

		// The agent sees the conversation appear, with unread count, without a reload.
		const item = A.page.locator('.wb-item').first();
		await item.waitFor({ timeout: 10000 });
		await A.page.locator('.wb-item .wb-badge', { hasText: '3' }).waitFor({ timeout: 10000 });
		assert.match(await A.page.title(), /^\(\d+\) kefu/);
		// The keyboard opens it: Tab to the item (it shows a focus ring), then Enter.
		let ring = null;
		for (let i = 0; i < 30 && !ring; i++) {
			await A.page.keyboard.press('Tab');
			ring = await A.page.evaluate(() => {
				const e = document.activeElement;
				if (!e.classList.contains('wb-item')) return null;
				const cs = getComputedStyle(e);
				return `${cs.outlineStyle} ${cs.outlineWidth}`;
			});
		}
		assert.ok(ring, 'Tab reaches the conversation in the list');
		assert.match(ring, /^solid [2-9]/, 'the focused conversation shows a focus ring');
		await A.page.keyboard.press('Enter');
		const msgs = A.page.locator('#wb-messages');
		await msgs.locator('.wb-visitor .wb-bubble', { hasText: 'Hello, is my order shipped?' }).waitFor();
		await msgs.locator('.wb-visitor .wb-bubble', { hasText: '😀' }).waitFor();
		const img = msgs.locator('.wb-visitor img.wb-img');
		await img.waitFor();
		await A.page.waitForFunction(() => { const i = document.querySelector('#wb-messages img.wb-img'); return i && i.complete && i.naturalWidth === 120; });
		await A.page.locator('#wb-visitor', { hasText: '15912345678' }).waitFor();
		assert.equal(await A.page.locator('.wb-item .wb-badge').count(), 0, 'opening marks it read');
		assert.doesNotMatch(await A.page.title(), /^\(/);

		// The agent replies; the visitor sees it without a reload.
		const t0 = Date.now();
		await A.page.locator('#wb-text').fill('Yes, it left our warehouse today 🚚');
		await A.page.locator('#wb-text').press('Enter');
		await frame.locator('.k-agent .k-bubble', { hasText: 'Yes, it left our warehouse today 🚚' }).waitFor({ timeout: 5000 });
		console.log(`# agent reply shown in the widget after ${Date.now() - t0} ms`);
		await msgs.locator('.wb-agent .wb-bubble', { hasText: 'warehouse' }).waitFor();
		await shot(A.page, 'workbench-chat');
		await shot(V.page, 'chat-visitor');
		// Screen readers hear the agent's reply through the widget's polite live region.
		const kLive = frame.locator('#k-live');
		assert.equal(await kLive.getAttribute('aria-live'), 'polite');
		assert.match(await kLive.textContent(), /: Yes, it left our warehouse today 🚚$/);
		// Both pages, with the conversation on them, pass the audit too.
		await assertAccessible(A.page, 'the workbench with a conversation open');
		await assertAccessible(V.page, 'the widget in a conversation');
		// No script reads the poll answers by wrapping window.fetch (a changed poll URL broke that
		// silently): the poll loops publish on the page's event bus and the features subscribe.
		const native = () => /\[native code\]/.test(Function.prototype.toString.call(window.fetch)) && typeof window.kefuBus.on === 'function';
		assert.equal(await A.page.evaluate(native), true, 'the workbench keeps the browser\'s fetch');
		const widgetFrame = V.page.frames().find((f) => f.url().includes('/widget/frame/'));
		assert.equal(await widgetFrame.evaluate(native), true, 'the widget frame keeps the browser\'s fetch');

		// A further visitor message arrives live in the open conversation, and is announced
		// through the workbench's polite live region (the history before it was not).
		const wbLive = A.page.locator('#wb-live');
		assert.equal(await wbLive.getAttribute('aria-live'), 'polite');
		assert.doesNotMatch(await wbLive.textContent(), /Hello, is my order shipped\?/);
		await visitorSays(frame, 'Thanks!');
		await msgs.locator('.wb-visitor .wb-bubble', { hasText: 'Thanks!' }).waitFor({ timeout: 5000 });
		assert.match(await wbLive.textContent(), /: Thanks!$/);

		// The visitor reloads: the history is intact.
		await V.page.reload({ waitUntil: 'load' });
		await V.page.locator('#kefu-widget button').first().waitFor();
		// The widget remembers it was open; open it only if it did not.
		if (!(await V.page.locator('#kefu-widget .p.o').waitFor({ timeout: 3000 }).then(() => true, () => false)))
			await V.page.locator('#kefu-widget button').first().click();
		const again = V.page.frameLocator('#kefu-widget iframe');
		await again.locator('.k-agent .k-bubble', { hasText: 'warehouse' }).waitFor({ timeout: 10000 });
		await again.locator('.k-visitor .k-bubble', { hasText: 'Hello, is my order shipped?' }).waitFor();
		await again.locator('.k-visitor a.k-img img').waitFor();
		assert.equal(await again.locator('.k-visitor .k-bubble', { hasText: 'Thanks!' }).count(), 1, 'no duplicates after resuming');
		await shot(V.page, 'chat-visitor-reloaded');

		// The agent closes it; the visitor is told.
		A.page.once('dialog', (d) => d.accept());
		await A.page.locator('#wb-close').click();
		await A.page.locator('#wb-closed').waitFor({ state: 'visible' });
		await again.locator('.k-new').waitFor({ timeout: 5000 });
		assert.deepEqual(A.page.kefuErrors, []);
	} finally {
		await V.context.close();
		await A.context.close();
	}
});

test('the same on a phone: widget full screen, workbench one pane at a time', async () => {
	const phone = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true };
	const A = await agentPage(phone);
	const V = await newPage(browser, { locale: 'en-US', ...phone });
	try {
		await agent.put('/api/v1/agent/status', { status: 'online' });
		await openDemo(V.page);
		const frame = await visitorStarts(V.page, 'Phone user');
		await visitorSays(frame, 'Hi from my phone 📱');
		const item = A.page.locator('.wb-item', { hasText: 'Hi from my phone' });
		await item.waitFor({ timeout: 10000 });
		await shot(A.page, 'workbench-mobile-list');
		await item.tap();
		await A.page.locator('#wb-messages .wb-visitor .wb-bubble', { hasText: 'Hi from my phone' }).waitFor();
		assert.equal(await A.page.locator('#wb-list-pane').isVisible(), false, 'the chat replaces the list');
		await A.page.locator('#wb-text').fill('Hello phone 👋');
		await A.page.locator('#wb-send').tap();
		await frame.locator('.k-agent .k-bubble', { hasText: 'Hello phone 👋' }).waitFor({ timeout: 5000 });
		await frame.locator('input.k-file').setInputFiles({ name: 'shot.png', mimeType: 'image/png', buffer: png(60, 60) });
		await A.page.locator('#wb-messages img.wb-img').waitFor({ timeout: 5000 });
		await shot(V.page, 'chat-mobile-visitor');
		await shot(A.page, 'workbench-mobile-chat');
		await A.page.locator('#wb-back').tap();
		await A.page.locator('#wb-list-pane').waitFor({ state: 'visible' });
	} finally {
		await V.context.close();
		await A.context.close();
	}
});

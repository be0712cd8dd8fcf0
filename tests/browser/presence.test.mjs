// tests/browser/presence.test.mjs: presence and attention in the workbench, in Chromium: opening it makes the agent available, the status banner with one "go online" click, a sound repeating until a new conversation is opened (and its off switch), desktop notifications while the tab is hidden, the live queue panel, long waits marked, and the transfer list with load (zh-CN and en).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newTenant, until, startConversation, widgetVisitor } from '../lib/kefu.mjs';
import { launch, newPage, shot } from '../lib/browser.mjs';
import { routedChannel } from './lib-shop.mjs';

let browser, T, channel, group, A, B;

async function workbench(agent, locale, viewport) {
	const { context, page } = await newPage(browser, { locale, ...(viewport ? { viewport } : {}) });
	await context.addCookies([{ name: 'kefu_session', value: agent.cookies.get('kefu_session'), url: KEFU_URL }]);
	page.queueGets = 0;
	page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/agent/queue') page.queueGets++; });
	// The Notification API as the page sees it once permission is granted; what it shows is recorded.
	await context.addInitScript(() => {
		window.__notes = [];
		window.Notification = class {
			constructor(title, o) { window.__notes.push({ title, body: (o && o.body) || '' }); }
			close() {}
			static requestPermission() { window.Notification.permission = 'granted'; return Promise.resolve('granted'); }
		};
		window.Notification.permission = 'default';
	});
	await page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
	await page.waitForFunction(() => document.body.getAttribute('data-status'));
	return { context, page };
}

const visitor = () => widgetVisitor(channel.key);
const start = (v, name) => startConversation(v, channel.key, { name });

before(async () => {
	browser = await launch();
	T = newTenant('wb-presence');
	({ channel, group, agents: [A, B] } = await routedChannel(T, {
		channel: { name: 'Presence shop', allowed_origins: [] }, group: 'Desk', agents: ['Alice Present', 'Bob Present'],
		rule: { name: 'Desk', max_concurrent: 1 },
	}));
	assert.equal((await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { long_wait_s: 5 } })).status, 200);
});
after(async () => { await browser?.close(); });

test('opening the workbench makes the agent available; the status banner offers one click back (zh-CN)', async () => {
	assert.equal((await A.get('/api/v1/agent/status')).json.status, 'offline');
	const W = await workbench(A, 'zh-CN');
	try {
		await W.page.waitForFunction(() => document.body.getAttribute('data-status') === 'online');
		assert.equal((await A.get('/api/v1/agent/status')).json.status, 'online');
		assert.equal(await W.page.locator('#wb-presence-bar').isHidden(), true);
		for (const [w, h] of [[1440, 900], [768, 1024], [390, 844]]) {
			await W.page.setViewportSize({ width: w, height: h });
			assert.ok(await W.page.locator('#wb-status').isVisible(), `status visible at ${w}`);
			await shot(W.page, `presence-online-${w}`);
		}
		await W.page.setViewportSize({ width: 1440, height: 900 });
		// Offline by choice: the banner says so, in Chinese, with the way back.
		await W.page.locator('#wb-status').selectOption('offline');
		await W.page.locator('#wb-presence-bar').waitFor();
		assert.match(await W.page.locator('#wb-presence-bar').textContent(), /您当前离线/);
		for (const [w, h] of [[1440, 900], [768, 1024], [390, 844]]) {
			await W.page.setViewportSize({ width: w, height: h });
			assert.ok(await W.page.locator('#wb-go-online').isVisible(), `go online visible at ${w}`);
			await shot(W.page, `presence-offline-${w}`);
		}
		await until('offline saved', async () => (await A.get('/api/v1/agent/status')).json.status === 'offline');
		// A reload keeps what the agent chose in this tab.
		await W.page.reload({ waitUntil: 'load' });
		await W.page.waitForFunction(() => document.body.getAttribute('data-status') === 'offline');
		assert.equal((await A.get('/api/v1/agent/status')).json.status, 'offline');
		await W.page.locator('#wb-go-online').click();
		await W.page.waitForFunction(() => document.body.getAttribute('data-status') === 'online');
		assert.equal((await A.get('/api/v1/agent/status')).json.status, 'online');
		// The reload aborts the long poll in flight: that is no error.
		assert.deepEqual(W.page.kefuErrors.filter((e) => !/requestfailed: .*\/agent\/events.* net::ERR_ABORTED/.test(e)), []);
	} finally {
		await W.context.close();
	}
});

test('a new conversation rings until opened; the sound can be switched off; notifications while hidden; the queue is live and long waits are marked; the transfer list shows load (en)', async () => {
	await B.put('/api/v1/agent/status', { status: 'offline' });
	const W = await workbench(A, 'en-US');
	try {
		await W.page.waitForFunction(() => document.body.getAttribute('data-status') === 'online');
		// Notifications: asked for on a click, then shown for what arrives while the tab is hidden.
		await W.page.locator('#wb-notify').click();
		await W.page.locator('#wb-notify').waitFor({ state: 'hidden' });
		await W.page.evaluate(() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }); });
		const v1 = await visitor();
		const c1 = await start(v1, 'Ringing Rita');
		assert.equal(c1.agent.id, A.id);
		await W.page.locator(`.wb-item[data-id="${c1.id}"]`).waitFor({ timeout: 10000 });
		await v1.req('POST', `/conversations/${c1.id}/messages`, { kind: 'text', text: 'Anyone there?' });
		await until('two notifications', () => W.page.evaluate(() => window.__notes.length >= 2), 10000);
		const notes = await W.page.evaluate(() => window.__notes);
		assert.equal(notes[0].title, 'New conversation');
		assert.ok(notes.some((n) => n.body === 'Anyone there?'), JSON.stringify(notes));
		await W.page.evaluate(() => { delete document.hidden; });
		// It rings again and again while unopened...
		await W.page.waitForFunction(() => Number(document.body.getAttribute('data-rings') || 0) >= 2, null, { timeout: 12000 });
		// ...and the unanswered conversation is marked after long_wait_s (5 s here).
		await W.page.locator(`.wb-item.wb-long-wait[data-id="${c1.id}"] .wb-long-tag`, { hasText: 'waiting longer than 5 s' }).waitFor({ timeout: 10000 });
		await shot(W.page, 'presence-long-wait-1440');
		// Opening it stops the ringing.
		await W.page.locator(`.wb-item[data-id="${c1.id}"]`).click();
		const rings = Number(await W.page.getAttribute('body', 'data-rings'));
		await new Promise((r) => setTimeout(r, 5000));
		assert.equal(Number(await W.page.getAttribute('body', 'data-rings')), rings, 'no ring once opened');

		// The queue: A is at the maximum (1), so the next visitor waits; the panel shows it at once, from the stream.
		const before = W.page.queueGets;
		const v2 = await visitor();
		const c2 = await start(v2, 'Queued Quinn');
		assert.equal(c2.status, 'queued');
		const qi = W.page.locator(`.wb2-queue-item[data-id="${c2.id}"]`);
		await qi.waitFor({ timeout: 3000 });
		await qi.locator('.wb-long-tag').waitFor({ timeout: 10000 });
		assert.ok(await qi.evaluate((n) => n.classList.contains('wb-long-wait')));
		await shot(W.page, 'presence-queue-long-wait-1440');
		// No polling: idle, the queue is not asked for again.
		const idle = W.page.queueGets;
		await new Promise((r) => setTimeout(r, 11000));
		assert.equal(W.page.queueGets, idle, 'the queue is not polled');
		assert.ok(idle - before <= 3, `queue reads: ${idle - before}`);
		// The visitor gives up: the entry goes.
		await v2.req('POST', `/conversations/${c2.id}/close`, {});
		await qi.waitFor({ state: 'detached', timeout: 3000 });

		// Sound off: the preference is saved, and a new conversation does not ring.
		await W.page.locator('#wb-sound').click();
		assert.equal(await W.page.getAttribute('#wb-sound', 'aria-pressed'), 'false');
		await until('preference saved', async () => (await A.get('/api/v1/agent/preferences')).json.alert_sound === false);

		// The transfer list: Bob is offline, listed with his load but not selectable.
		await W.page.locator('#wb2-transfer-btn').click();
		const bob = W.page.locator('#wb2-transfer select[name="user_id"] option', { hasText: 'Bob Present' });
		await bob.waitFor({ state: 'attached' });
		assert.match(await bob.textContent(), /Offline · 0\/1 conversations/);
		assert.equal(await bob.evaluate((o) => o.disabled), true);
		await shot(W.page, 'presence-transfer-1440');
		await W.page.keyboard.press('Escape');
		assert.deepEqual(W.page.kefuErrors, []);
	} finally {
		await W.context.close();
		await A.put('/api/v1/agent/preferences', { alert_sound: true });
	}
});

// tests/browser/smoke.test.mjs: Chromium opens the demo shop through lighttpd and takes a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { KEFU_URL } from '../lib/kefu.mjs';
import { launch, onPage, shot } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the demo shop page renders in Chromium', async () => {
	await onPage(browser, {}, async (page) => {
		const res = await page.goto(`${KEFU_URL}/static/demo/index.html`, { waitUntil: 'load' });
		assert.equal(res.status(), 200);
		assert.match(await page.title(), /Demo Shop/);
		await page.getByRole('heading', { name: '秋季新品上市' }).waitFor();
		const path = await shot(page, 'demo');
		assert.ok(existsSync(path));
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('the demo shop page works on a phone-sized screen', async () => {
	await onPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
		const res = await page.goto(`${KEFU_URL}/static/demo/index.html`, { waitUntil: 'load' });
		assert.equal(res.status(), 200);
		await shot(page, 'demo-mobile');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
	});
});

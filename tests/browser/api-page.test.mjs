// tests/browser/api-page.test.mjs: an admin browses the REST API on the console's API page (/console/api), rendered from the served OpenAPI document with nothing loaded from elsewhere; at 1440, 768 and 390 px wide, with the axe-core audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, newTenant, newAgent, api } from '../lib/kefu.mjs';
import { launch, newPage, shot, axeViolations } from '../lib/browser.mjs';

let browser, T, doc, nops;
before(async () => {
	browser = await launch();
	T = newTenant('api-page');
	doc = (await api('GET', '/api/v1/openapi.json')).json;
	nops = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
});
after(async () => { await browser?.close(); });

async function signIn(page, login, password) {
	await page.goto(`${KEFU_URL}/console/api`);
	await page.fill('input[name=login]', login);
	await page.fill('input[name=password]', password);
	await page.click('button[type=submit]');
}

for (const [width, height, locale] of [[1440, 900, 'en'], [768, 1024, 'zh-CN'], [390, 844, 'en']]) {
	test(`API page at ${width}px (${locale}): every operation, schemas, no outside requests, accessible`, async () => {
		const { context, page } = await newPage(browser, { viewport: { width, height }, locale, bypassCSP: true });
		const foreign = [];
		page.on('request', (r) => { if (!r.url().startsWith(KEFU_URL) && !r.url().startsWith('data:')) foreign.push(r.url()); });
		try {
			await signIn(page, T.adminLogin, T.adminPassword);
			await page.waitForURL(/\/console\/api$/);
			const nav = page.locator('nav.sidebar a[href="/console/api"]');
			assert.equal(await nav.getAttribute('aria-current'), 'page');
			// One row per operation of the document, each under its tag.
			assert.equal(await page.locator('section.api-tag details.api-op').count(), nops);
			assert.equal(await page.locator('#schemas details').count(), Object.keys(doc.components.schemas).length);
			const login = page.locator('details#postApiV1AuthLogin');
			assert.match(await login.locator('summary').innerText(), /POST\s+\/api\/v1\/auth\/login/);
			await login.locator('summary').click();
			assert.match(await login.locator('pre.api-schema').first().innerText(), /"password"/);
			const users = page.locator('details#getApiV1AdminUsersById');
			await users.locator('summary').click();
			assert.match(await users.innerText(), /#\/components\/schemas\/User/);
			assert.match(await users.locator('.api-errs').innerText(), /404/);
			assert.equal(await page.locator('#webhooks details').count(), Object.keys(doc.webhooks).length);
			await page.locator('details#webhook-visitor\\.erased summary').click();
			assert.match(await page.locator('details#webhook-visitor\\.erased pre').innerText(), /"visitor_ids"/);
			await page.locator('details#schema-Error summary').click();
			assert.match(await page.locator('details#schema-Error pre').innerText(), /"code"/);
			// The download link is the served document.
			assert.equal(await page.locator('#api-download').getAttribute('href'), '/api/v1/openapi.json');
			await shot(page, `console-api-${width}`);
			const v = await axeViolations(page);
			assert.deepEqual(v, [], v.join('\n'));
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
			assert.deepEqual(foreign, []);
			assert.deepEqual(page.kefuErrors, []);
		} finally {
			await context.close();
		}
	});
}

test('an agent does not get the API page', async () => {
	const a = await newAgent(T, 'Page Agent');
	const r = await a.get('/console/api');
	assert.notEqual(r.status, 200);
});

// tests/browser/privacy.test.mjs: an admin sets retention periods on the console's Privacy page, finds a person, downloads the export and erases it after the confirm step; at 1440, 768 and 390 px wide, with the axe-core audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, newTenant, api } from '../lib/kefu.mjs';
import { launch, onPage, newPage, shot, axeViolations } from '../lib/browser.mjs';

let browser, T, channel;
before(async () => {
	browser = await launch();
	T = newTenant('privacy-ui');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
});
after(async () => { await browser?.close(); });

async function person() {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: { locale: 'zh-CN' } });
	assert.equal(v.status, 201, v.text);
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${c.json.id}/messages`, { headers, body: { kind: 'text', text: '我的订单号 88123' } })).status, 201);
	return { id: v.json.visitor_id, headers, conversation: c.json.id };
}

async function audit(page, name) {
	const v = await axeViolations(page);
	assert.deepEqual(v, [], `${name}: ${v.join('\n')}`);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px`);
}

for (const [width, height, locale] of [[1440, 900, 'en'], [768, 1024, 'zh-CN'], [390, 844, 'zh-CN']]) {
	test(`privacy page at ${width}px (${locale}): retention, lookup, export, confirm, erase`, async () => {
		const p = await person();
		const { context, page } = await newPage(browser, { viewport: { width, height }, locale, bypassCSP: true, acceptDownloads: true });
		try {
			await page.goto(`${KEFU_URL}/console/privacy`);
			await page.fill('input[name=login]', T.adminLogin);
			await page.fill('input[name=password]', T.adminPassword);
			await page.click('button[type=submit]');
			await page.waitForURL(/\/console\/privacy$/);
			assert.equal(await page.getAttribute('a[href="/console/privacy"]', 'aria-current'), 'page');
			await audit(page, `privacy-${width}`);

			// retention: saved through the same validation as the API, audited
			await page.fill('input[name=messages_days]', '365');
			await page.fill('input[name=attachments_days]', '90');
			await page.click('#retention-form button[type=submit]');
			await page.waitForURL(/saved=1/);
			assert.equal(await page.inputValue('input[name=messages_days]'), '365');
			assert.equal(await page.inputValue('input[name=attachments_days]'), '90');
			const r = await api('GET', '/api/v1/admin/retention', { key: T.apiKey });
			assert.deepEqual(r.json, { messages_days: 365, attachments_days: 90, pageviews_days: 0, leave_messages_days: 0, mask_visitor_address: true });
			// the address masking: on by default, the checkbox turns it off and on
			assert.equal(await page.isChecked('input[name=mask_visitor_address]'), true);
			await page.uncheck('input[name=mask_visitor_address]');
			await Promise.all([page.waitForResponse((x) => x.url().endsWith('/console/privacy/retention')), page.click('#retention-form button[type=submit]')]);
			await page.waitForURL(/saved=1/);
			assert.equal(await page.isChecked('input[name=mask_visitor_address]'), false);
			assert.equal((await api('GET', '/api/v1/admin/retention', { key: T.apiKey })).json.mask_visitor_address, false);
			assert.equal((await api('GET', '/api/v1/admin/retention', { key: T.apiKey })).json.messages_days, 365);
			await page.check('input[name=mask_visitor_address]');
			await Promise.all([page.waitForResponse((x) => x.url().endsWith('/console/privacy/retention')), page.click('#retention-form button[type=submit]')]);
			await page.waitForURL(/saved=1/);
			assert.equal((await api('GET', '/api/v1/admin/retention', { key: T.apiKey })).json.mask_visitor_address, true);
			// a value the browser would stop is refused by the server too
			await page.$eval('input[name=leave_messages_days]', (e) => { e.removeAttribute('max'); e.value = '99999'; });
			await page.click('#retention-form button[type=submit]');
			await page.locator('.field-error').first().waitFor();
			assert.ok(await page.getAttribute('input[name=leave_messages_days]', 'aria-invalid'));
			await audit(page, `privacy-error-${width}`);
			assert.equal((await api('GET', '/api/v1/admin/retention', { key: T.apiKey })).json.leave_messages_days, 0);

			// lookup by external id; nothing for a stranger's
			await page.goto(`${KEFU_URL}/console/privacy?q=nobody-${width}`);
			await page.locator('#not-found').waitFor();
			await page.fill('input[name=q]', `visitor-${p.id}`);
			await page.click('form[role=search] button[type=submit]');
			await page.locator('#found').waitFor();
			await shot(page, `privacy-found-${width}`);
			await audit(page, `privacy-found-${width}`);

			// the export downloads as a file and holds the message
			const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
			assert.match(download.suggestedFilename(), /^visitor-\d+\.json$/);
			const body = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
			assert.equal(body.visitor.external_id, `visitor-${p.id}`);
			assert.equal(body.conversations[0].messages.find((m) => m.sender === 'visitor').text, '我的订单号 88123');

			// erase asks first; nothing happens before the confirm
			await page.click('#erase');
			await page.locator('#erase-confirm').waitFor();
			await shot(page, `privacy-confirm-${width}`);
			await audit(page, `privacy-confirm-${width}`);
			assert.equal((await api('GET', '/api/v1/widget/conversations', { headers: p.headers })).status, 200);
			await page.click('#erase-confirm button[type=submit]');
			await page.waitForURL(/erased=1/);
			assert.equal(await page.locator('p.flash.ok').count(), 1);
			assert.equal((await api('GET', '/api/v1/widget/conversations', { headers: p.headers })).status, 401);
			assert.equal((await api('GET', `/api/v1/crm/visitors/${body.visitor.id}/export`, { key: T.apiKey })).status, 404);
			await page.goto(`${KEFU_URL}/console/privacy?q=${body.visitor.id}`);
			await page.locator('#not-found').waitFor();
			assert.deepEqual(page.kefuErrors, []);
		} finally {
			await context.close();
		}
	});
}

test('the erase form without the confirm step erases nothing; without the CSRF token it is refused', async () => {
	const p = await person();
	await onPage(browser, { bypassCSP: true }, async (page) => {
		await page.goto(`${KEFU_URL}/login`);
		await page.fill('input[name=login]', T.adminLogin);
		await page.fill('input[name=password]', T.adminPassword);
		await page.click('button[type=submit]');
		await page.waitForURL(/\/console/);
		const rec = (await api('GET', `/api/v1/crm/objects/WebImVisitorObj/records/visitor-${p.id}`, { key: T.apiKey })).json.id;
		await page.goto(`${KEFU_URL}/console/privacy?q=${rec}`);
		const csrf = await page.getAttribute('#retention-form input[name=csrf_token]', 'value');
		const noConfirm = await page.request.post(`${KEFU_URL}/console/privacy/visitors/${rec}/erase`, { form: { csrf_token: csrf }, maxRedirects: 0 });
		assert.equal(noConfirm.status(), 303);
		assert.match(noConfirm.headers().location, /confirm=1/);
		const noCsrf = await page.request.post(`${KEFU_URL}/console/privacy/visitors/${rec}/erase`, { form: { confirm: 'yes' }, maxRedirects: 0 });
		assert.equal(noCsrf.status(), 403);
		assert.equal((await api('GET', '/api/v1/widget/conversations', { headers: p.headers })).status, 200);
		const ok = await page.request.post(`${KEFU_URL}/console/privacy/visitors/${rec}/erase`, { form: { csrf_token: csrf, confirm: 'yes' }, maxRedirects: 0 });
		assert.equal(ok.status(), 303);
		assert.equal((await api('GET', '/api/v1/widget/conversations', { headers: p.headers })).status, 401);
	});
});

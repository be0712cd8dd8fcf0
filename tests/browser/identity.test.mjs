// tests/browser/identity.test.mjs: an identified visitor (legacy customParams made with openssl) sends an order card with a quick button; the agent sees the card and the CRM side panel; the console's identity page masks the key and reveals it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEFU_URL, api, newTenant, Session, unique } from '../lib/kefu.mjs';
import { launch, onPage, newPage, shot } from '../lib/browser.mjs';

const SRCDIR = process.env.KEFU_SRCDIR || process.cwd();
const DEMO = `${KEFU_URL}/static/demo/index.html`;
let browser, T, channel, key, agent, demoHtml;

// The site's side, as docs/identity.md tells a developer: AES-128-ECB with openssl, hex, uppercase.
function customParams(identity, b64key) {
	const hex = Buffer.from(b64key, 'base64').toString('hex');
	return execFileSync('openssl', ['enc', '-aes-128-ecb', '-K', hex], { input: JSON.stringify(identity) })
		.toString('hex').toUpperCase();
}

async function must(method, path, body, status) {
	const r = await api(method, path, { key: T.apiKey, body });
	assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
	return r.json;
}

before(async () => {
	browser = await launch();
	T = newTenant('ident');
	const origin = new URL(KEFU_URL).origin;
	channel = await must('POST', '/api/v1/admin/channels', { name: 'Identity shop', allowed_origins: [origin] }, 201);
	key = (await must('POST', `/api/v1/admin/channels/${channel.id}/identity/key`, {}, 201)).key;
	await must('PATCH', `/api/v1/admin/channels/${channel.id}/identity`,
		{ match_fields: ['full_name', 'phone'], auto_link: { enabled: true, contact_fields: ['phone'] } }, 200);
	const rec = (object, ext, fields) => must('PUT', `/api/v1/crm/objects/${object}/records/${ext}`, { fields }, 201);
	await rec('AccountObj', 'acc-1', { name: 'Demo Trading', level: 'VIP', phone: '021-55550100' });
	await rec('ContactObj', 'con-1', { full_name: '张三', phone: '15912345678', account_id: { external_id: 'acc-1' }, roles: 'partner' });
	await rec('SalesOrderObj', 'so-1', { name: 'SO-1001', amount: 1280, status: 'Shipped', account_id: { external_id: 'acc-1' } });
	await rec('SalesOrderObj', 'so-2', { name: 'SO-1002', amount: 356, status: 'Awaiting payment', account_id: { external_id: 'acc-1' } });
	await rec('CaseObj', 'case-1', { title: 'Return request SO-1001', status: 'Open', account_id: { external_id: 'acc-1' }, contact_id: { external_id: 'con-1' } });
	await must('POST', '/api/v1/admin/quick-buttons', {
		name: 'My orders', icon: 'order', channel_ids: [channel.id], visible_roles: ['partner'], object: 'SalesOrderObj',
		filter: { all: [{ field: 'account_id', op: 'eq', value: '$visitor.account_id' }] },
		template: 'Order {{name}}\nAmount {{amount}}\nStatus {{status}}',
	}, 201);
	await must('PUT', '/api/v1/admin/sidebar', { objects: [
		{ object: 'AccountObj', fields: ['name', 'level'] },
		{ object: 'ContactObj', fields: ['full_name', 'phone'] },
		{ object: 'CaseObj', fields: ['title', 'status'] },
		{ object: 'SalesOrderObj', fields: ['name', 'amount'] }] }, 200);
	const login = unique('id-agent'), password = 'pw-' + unique('p');
	const u = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login, name: 'Han Mei', password, role: 'agent', department_ids: [] } });
	assert.equal(u.status, 201, u.text);
	agent = await Session.login(login, password);
	// The demo page with this test's snippet, carrying the identity as a site would.
	const snippet = (await must('GET', `/api/v1/admin/channels/${channel.id}/embed`, undefined, 200)).html
		.replace('></script>', ` data-kefu-custom-params="${customParams({ full_name: '张三', phone: '15912345678' }, key)}"></script>`);
	const page = readFileSync(join(SRCDIR, 'htdocs', 'demo', 'index.html'), 'utf8')
		.replace('<script src="customer.js"></script>', '');
	demoHtml = page.replace('<!--kefu-snippet-->', snippet);
});
after(async () => { await browser?.close(); });

test('an identified visitor sends an order card; the agent sees it with the CRM side panel', async () => {
	const A = await newPage(browser, { locale: 'en-US' });
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		assert.equal((await agent.request('PUT', '/api/v1/agent/status', { body: { status: 'online' } })).status, 200);
		await A.context.addCookies([{ name: 'kefu_session', value: agent.cookies.get('kefu_session'), url: KEFU_URL }]);
		await A.page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
		await A.page.locator('#wb-status').waitFor();

		await V.page.route(DEMO, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: demoHtml }));
		await V.page.goto(DEMO, { waitUntil: 'load' });
		await V.page.locator('#kefu-widget button').first().click();
		const frame = V.page.frameLocator('#kefu-widget iframe');
		const btn = frame.locator('.kq-btn', { hasText: 'My orders' });
		await btn.waitFor({ timeout: 10000 });
		await shot(V.page, 'identity-widget-buttons');
		await btn.click();
		await frame.locator('.kq-rec', { hasText: 'SO-1002' }).waitFor();
		assert.equal(await frame.locator('.kq-rec').count(), 2, 'both orders of the account, nothing else');
		await shot(V.page, 'identity-widget-records');
		await frame.locator('.kq-rec', { hasText: 'SO-1001' }).click();
		const card = frame.locator('.k-visitor .k-card');
		await card.locator('strong', { hasText: 'Order SO-1001' }).waitFor();
		assert.match(await card.innerText(), /Amount 1280/);
		await shot(V.page, 'identity-widget-card');

		// The agent: the conversation, the card as a card, and the side panel's records.
		const item = A.page.locator('.wb-item').first();
		await item.waitFor({ timeout: 10000 });
		await item.click();
		const wbCard = A.page.locator('#wb-messages .wb-visitor .wb-card');
		await wbCard.locator('strong', { hasText: 'Order SO-1001' }).waitFor();
		assert.match(await wbCard.innerText(), /Status Shipped/);
		const side = A.page.locator('#sb-panel');
		await side.getByText('Demo Trading').waitFor({ timeout: 10000 });
		await side.getByText('15912345678').first().waitFor();
		await side.getByText('Return request SO-1001').waitFor();
		await shot(A.page, 'identity-workbench-card');
	} finally {
		await A.context.close();
		await V.context.close();
	}
});

test('guests never see quick buttons', async () => {
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		const guest = demoHtml.replace(/ data-kefu-custom-params="[0-9A-F]+"/, '');
		await V.page.route(DEMO, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: guest }));
		await V.page.goto(DEMO, { waitUntil: 'load' });
		await V.page.locator('#kefu-widget button').first().click();
		const frame = V.page.frameLocator('#kefu-widget iframe');
		await frame.locator('.k-text').waitFor({ state: 'visible' });
		await V.page.waitForTimeout(800);
		assert.equal(await frame.locator('.kq-btn').count(), 0);
	} finally {
		await V.context.close();
	}
});

test('console: the identity page shows a new key once, masks it after a reload, and reveals it (audited)', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page, context) => {
		const admin = await Session.login(T.adminLogin, T.adminPassword);
		await context.addCookies([{ name: 'kefu_session', value: admin.cookies.get('kefu_session'), url: KEFU_URL }]);
		await page.goto(`${KEFU_URL}/console/channels/${channel.id}`, { waitUntil: 'load' });
		await page.locator('#identity-link').click();
		await page.waitForURL(/\/identity$/);
		page.once('dialog', (d) => d.accept()); // the "old key stops at once" warning
		await page.locator('#generate-form select[name=bits]').selectOption('256');
		await page.locator('#regenerate-key').click();
		const full = (await page.locator('#full-key').innerText()).trim();
		assert.equal(Buffer.from(full, 'base64').length, 32, 'AES-256 key shown in full once');
		key = full;
		await page.goto(`${KEFU_URL}/console/channels/${channel.id}/identity`, { waitUntil: 'load' });
		assert.equal(await page.locator('#full-key').count(), 0, 'not shown after a reload');
		const masked = await page.locator('#masked-key').innerText();
		assert.ok(masked.includes('…') && !masked.includes(full), masked);
		assert.ok(full.startsWith(masked.slice(0, 4)) && full.endsWith(masked.slice(-4)));
		await shot(page, 'identity-console-masked');
		await page.locator('#reveal-key').click();
		assert.equal((await page.locator('#full-key').innerText()).trim(), full);
		await shot(page, 'identity-console-revealed');
		const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
		assert.ok(JSON.stringify(audit.json).includes('reveal_key'), 'the reveal is in the audit log');
		// Settings: a wrong match field is refused beside the field, with the input kept.
		await page.locator('#identity-settings input[name=match_fields]').fill('Bad Name!');
		await page.locator('#identity-settings button[type=submit]').click();
		await page.locator('#identity-settings .field-error').first().waitFor();
		assert.equal(await page.locator('#identity-settings input[name=match_fields]').inputValue(), 'Bad Name!');
		assert.deepEqual(page.kefuErrors, []);
	});
});

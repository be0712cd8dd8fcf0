// tests/browser/console.test.mjs: an admin uses the console in Chromium: departments, users, a group with service hours, language, logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, newTenant, unique, api } from '../lib/kefu.mjs';
import { launch, onPage, shot, assertAccessible } from '../lib/browser.mjs';

let browser, T;
before(async () => {
	browser = await launch();
	T = newTenant('console');
});
after(async () => { await browser?.close(); });

test('an admin builds an organisation in the console', async () => {
	await onPage(browser, { locale: 'zh-CN' }, async (page) => {
		page.on('dialog', (d) => d.accept());
		await page.goto(`${KEFU_URL}/console/departments`);
		assert.match(page.url(), /\/login\?next=/);
		await shot(page, 'console-login');
		await page.fill('input[name=login]', T.adminLogin);
		await page.fill('input[name=password]', T.adminPassword);
		await page.click('button[type=submit]');
		await page.waitForURL(/\/console\/departments$/);

		// a department tree: 客服中心 > 售前
		await page.fill('input[name=name]', '客服中心');
		await page.click('form[action="/console/departments"] button[type=submit]');
		await page.waitForURL(/saved=1/);
		await page.fill('input[name=name]', '售前');
		await page.selectOption('select[name=parent_id]', { label: '客服中心' });
		await page.click('form[action="/console/departments"] button[type=submit]');
		await page.waitForURL(/saved=1/);
		await page.getByRole('link', { name: '售前' }).waitFor();
		await shot(page, 'console-departments');

		// two users, one in 售前; a validation error first keeps the input
		const login1 = unique('zhang'), login2 = unique('li');
		await page.goto(`${KEFU_URL}/console/users/new`);
		await page.fill('input[name=login]', login1);
		await page.fill('input[name=name]', '张三');
		await page.fill('input[name=password]', 'short');
		await page.check('label:has-text("售前") input[name=department_ids]');
		await page.click('form.form button[type=submit]');
		await page.locator('.field-error').first().waitFor();
		assert.equal(await page.inputValue('input[name=login]'), login1);
		assert.ok(await page.isChecked('label:has-text("售前") input[name=department_ids]'));
		await shot(page, 'console-user-error');
		// A form sent back with errors (a POST answer, not a goto): aria-invalid must hold a valid value.
		await assertAccessible(page, 'the user form with errors');
		await page.fill('input[name=password]', 'zhangsan-pass');
		await page.click('form.form button[type=submit]');
		await page.waitForURL(/\/console\/users\?saved=1/);
		await page.goto(`${KEFU_URL}/console/users/new`);
		await page.fill('input[name=login]', login2);
		await page.fill('input[name=name]', '李四');
		await page.fill('input[name=password]', 'lisi-pass-123');
		await page.click('form.form button[type=submit]');
		await page.waitForURL(/\/console\/users\?saved=1/);
		await page.getByRole('link', { name: '李四' }).waitFor();
		await shot(page, 'console-users');

		// a group: 李四 explicitly, plus the 客服中心 department (張三 via 售前), with service hours
		await page.goto(`${KEFU_URL}/console/groups/new`);
		await page.fill('input[name=name]', '售前咨询');
		await page.check('.member-row:has-text("李四") input[type=checkbox]');
		await page.check('label:has-text("客服中心") input[name=member_department_ids]');
		await page.check('#hours-enabled');
		await page.fill('input[name=timezone]', 'Asia/Shanghai');
		await page.fill('input[name=hours_sat]', '10:00-16:00');
		await page.fill('textarea[name=closed_dates]', '2026-10-01');
		await page.click('form.form > .actions button[type=submit]');
		await page.waitForURL(/\/console\/groups\/\d+\?saved=1/);
		const effective = await page.locator('ol.numbered li').allInnerTexts();
		assert.equal(effective.length, 2);
		assert.match(effective[0], /李四/);
		assert.match(effective[1], /张三/);
		await shot(page, 'console-group');
		const id = Number(page.url().match(/groups\/(\d+)/)[1]);
		const g = await api('GET', `/api/v1/admin/groups/${id}`, { key: T.apiKey });
		assert.equal(g.json.service_hours.timezone, 'Asia/Shanghai');
		assert.deepEqual(g.json.service_hours.weekly.sat, [['10:00', '16:00']]);
		assert.deepEqual(g.json.service_hours.closed_dates, ['2026-10-01']);

		// API keys: the new key is shown once
		await page.goto(`${KEFU_URL}/console/api-keys`);
		await page.fill('form[action="/console/api-keys"] input[name=name]', 'CRM');
		await page.check('input[name=scopes][value=crm]');
		await page.click('form[action="/console/api-keys"] button[type=submit]');
		const key = await page.locator('#new-key').innerText();
		assert.match(key, /^kefu_/);
		await shot(page, 'console-apikeys');
		// and revoked from its row (the form posts to the key's own link; the page accepts the confirmation)
		assert.equal((await api('GET', '/api/v1/crm/objects', { key })).status, 200);
		const row = page.locator('tbody tr', { hasText: key.slice(0, 12) });
		assert.match(await row.locator('form').getAttribute('action'), /^\/console\/api-keys\/\d+\/revoke$/);
		await Promise.all([page.waitForNavigation(), row.locator('button[type=submit]').click()]);
		assert.equal((await api('GET', '/api/v1/crm/objects', { key })).status, 401);

		await page.goto(`${KEFU_URL}/console/audit`);
		await page.locator('table.audit tbody tr').first().waitFor();
		await shot(page, 'console-audit');
		await page.goto(`${KEFU_URL}/console`);
		await shot(page, 'console-overview');

		// switch to English and back on the same page
		await page.click('.lang-switch button[value=en]');
		await page.waitForURL(/\/console$/);
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await page.getByRole('heading', { name: 'Overview' }).waitFor();
		await shot(page, 'console-overview-en');

		// narrow screen
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${KEFU_URL}/console/groups/${id}`);
		await shot(page, 'console-group-mobile');
		await page.setViewportSize({ width: 1280, height: 800 });

		await page.click('form.logout button');
		await page.waitForURL(/\/login$/);
		await page.goto(`${KEFU_URL}/console`);
		assert.match(page.url(), /\/login\?next=/);
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('keyboard: Tab reaches every control of the rule form (labelled, audited) and each shows a visible focus ring', async () => {
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await page.goto(`${KEFU_URL}/login`);
		const res = await page.request.post(`${KEFU_URL}/api/v1/auth/login`, { data: { login: T.adminLogin, password: T.adminPassword } });
		assert.equal(res.status(), 200);
		// goto audits the page: the rule form's message texts need their labels.
		await page.goto(`${KEFU_URL}/console/rules/new`);
		const want = await page.locator('form.form').evaluate((f) =>
			Array.from(f.querySelectorAll('input:not([type=hidden]), select, textarea, button')).filter((e) => !e.disabled && e.offsetParent).length);
		assert.ok(want >= 10, `the rule form has ${want} controls`);
		const seen = new Set(), bad = [];
		for (let i = 0; i < 200 && seen.size < want; i++) {
			await page.keyboard.press('Tab');
			const f = await page.evaluate(() => {
				const e = document.activeElement, cs = getComputedStyle(e);
				if (e === document.body) return { inForm: false, id: -1, ring: true };
				const inForm = !!e.closest('form.form');
				const id = inForm ? Array.from(e.closest('form.form').querySelectorAll('input, select, textarea, button')).indexOf(e) : -1;
				return { inForm, id, what: e.outerHTML.slice(0, 80), ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
			});
			if (!f.ring) bad.push(f.what);
			if (f.inForm) seen.add(f.id);
		}
		assert.deepEqual(bad, [], 'focused without a visible focus ring');
		assert.equal(seen.size, want, 'Tab reached every control of the form');
	});
});

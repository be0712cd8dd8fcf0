// tests/browser/console-settings.test.mjs: the console's identity key page (POST-redirect-GET, warning only over an
// existing key, the AES size kept, copy), auto-link switched off, times in the viewer's zone, styled inputs, the
// ratings empty state, the console at 390 px with its menu button, and the overview's numbers of today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, newTenant, api } from '../lib/kefu.mjs';
import { launch, newPage, onPage, shot, assertAccessible, adminLogin } from '../lib/browser.mjs';

let browser, T;
before(async () => {
	browser = await launch();
	T = newTenant('csettings');
});
after(async () => { await browser?.close(); });

const login = (page) => adminLogin(page, T);

test('identity key: generated once (a refresh does not rotate it), no warning for a first key, size kept, copied', async () => {
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'keys' } })).json;
	await onPage(browser, { locale: 'zh-CN' }, async (page, context) => {
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: KEFU_URL });
		let dialogs = 0;
		page.on('dialog', (d) => { dialogs += 1; d.accept(); });
		await login(page);
		await page.goto(`${KEFU_URL}/console/channels/${ch.id}/identity`);
		// A first key invalidates nothing: no warning, no confirmation.
		assert.equal(await page.getByText('当前密钥').count(), 0);
		assert.equal(await page.locator('#identity-key .hint', { hasText: /失效|invalid/ }).count(), 0);
		await page.locator('#generate-form select[name=bits]').selectOption('192');
		await page.locator('#generate-key').click();
		await page.waitForURL(/identity\?generated=1$/);
		assert.equal(dialogs, 0, 'no confirmation for a first key');
		const full = (await page.locator('#full-key').innerText()).trim();
		assert.equal(Buffer.from(full, 'base64').length, 24);
		// The size selector shows the key's size, not AES-128 again.
		assert.equal(await page.locator('#generate-form select[name=bits]').inputValue(), '192');
		await page.getByRole('button', { name: '复制' }).click();
		await page.getByRole('button', { name: '已复制' }).waitFor();
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), full);
		await shot(page, 'console-identity-key');
		// A refresh: the same page without the key, and no new key.
		await page.reload();
		assert.equal(await page.locator('#full-key').count(), 0);
		const masked = (await page.locator('#masked-key').innerText()).trim();
		assert.ok(full.startsWith(masked.slice(0, 4)) && full.endsWith(masked.slice(-4)), 'still the same key');
		const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
		assert.equal(audit.json.items.filter((x) => x.action === 'generate_key').length, 1, 'generated once');
		// With a key, the warning shows, and regenerating asks first.
		assert.equal(await page.locator('#identity-key .hint', { hasText: '失效' }).count(), 1);
		await page.locator('#regenerate-key').click();
		await page.waitForURL(/generated=1/);
		assert.equal(dialogs, 1);
		assert.notEqual((await page.locator('#full-key').innerText()).trim(), full);
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('identity settings: auto-link switched off without a contact field', async () => {
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'autolink' } })).json;
	await api('PATCH', `/api/v1/admin/channels/${ch.id}/identity`, { key: T.apiKey, body: { auto_link: { enabled: true, contact_fields: ['phone'] } } });
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console/channels/${ch.id}/identity`);
		await page.locator('#identity-settings input[name=auto_link]').uncheck();
		assert.ok(await page.locator('#contact-fields').isDisabled(), 'the contact fields do not apply');
		await page.locator('#identity-settings button[type=submit]').click();
		await page.waitForURL(/saved=1/);
		const g = await api('GET', `/api/v1/admin/channels/${ch.id}/identity`, { key: T.apiKey });
		assert.deepEqual(g.json.auto_link, { enabled: false, contact_fields: [] });
		await page.locator('#identity-settings input[name=auto_link]').check();
		await page.locator('#identity-settings button[type=submit]').click();
		await page.waitForURL(/saved=1/);
		const g2 = await api('GET', `/api/v1/admin/channels/${ch.id}/identity`, { key: T.apiKey });
		assert.deepEqual(g2.json.auto_link, { enabled: true, contact_fields: ['phone'] });
	});
});

test('overview: today\'s numbers first, as the reports count them, linking to the reports', async () => {
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'today' } })).json;
	// Two visitors start conversations today (nobody is online: they are not served).
	for (let i = 0; i < 2; i++) {
		const v = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'zh-CN' } });
		const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: ch.key } });
		assert.equal(c.status, 201, c.text);
	}
	const rt = (await api('GET', '/api/v1/reports/realtime', { key: T.apiKey })).json;
	for (const [lang, labels] of [['zh-CN', ['正在排队', '进行中的会话', '在线客服', '今日会话', '今日未接待', '平均首次响应']],
		['en-US', ['Waiting now', 'Live conversations', 'Agents online', 'Conversations today', 'Missed today', 'Average first response']]]) {
		const { context, page } = await newPage(browser, { locale: lang });
		try {
			await login(page);
			await page.goto(`${KEFU_URL}/console`);
			for (const l of labels) await page.locator('.today .stat', { hasText: l }).waitFor();
			assert.equal(await page.locator('#today-conversations').innerText(), '2');
			assert.equal(await page.locator('#today-waiting').innerText(), String(rt.waiting));
			assert.equal(await page.locator('#today-live').innerText(), String(rt.live_conversations));
			assert.equal(await page.locator('#today-online').innerText(), String(rt.agents.online));
			assert.equal(await page.locator('#today-first-response').innerText(), '—');
			const hrefs = await page.locator('.today a.stat').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			assert.ok(hrefs.length === 6 && hrefs.every((h) => h.startsWith('/console/reports')), hrefs.join());
			if (lang === 'zh-CN') for (const w of [1440, 768]) {
				await page.setViewportSize({ width: w, height: 900 });
				await shot(page, `console-overview-${w}`);
			}
		} finally {
			await context.close();
		}
	}
});

test('console at 390 px: a menu button opens the navigation, the overview fits the screen', async () => {
	await onPage(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console`);
		const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
		assert.ok(await fits(), 'the overview does not overflow sideways');
		const menu = page.getByRole('button', { name: '菜单' });
		assert.equal(await menu.getAttribute('aria-expanded'), 'false');
		assert.ok(!(await page.locator('#console-nav').isVisible()), 'the navigation is folded away');
		await shot(page, 'console-overview-390');
		await menu.click();
		assert.equal(await menu.getAttribute('aria-expanded'), 'true');
		await page.locator('#console-nav').getByRole('link', { name: '会话分配规则' }).waitFor();
		// Every entry is reachable (not clipped into a strip) and the focus went into the menu.
		assert.ok(await page.locator('#console-nav').getByRole('link', { name: '审计日志', exact: true }).isVisible());
		assert.equal(await page.evaluate(() => document.activeElement.closest('#console-nav') !== null), true);
		await assertAccessible(page, 'the console with its menu open');
		await shot(page, 'console-menu-390');
		await page.keyboard.press('Escape');
		assert.equal(await menu.getAttribute('aria-expanded'), 'false');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'menu-button');
		await menu.click();
		await page.locator('#console-nav').getByRole('link', { name: '会话分配规则' }).click();
		await page.waitForURL(/\/console\/rules$/);
		assert.ok(await fits(), 'the rules list fits');
		await page.goto(`${KEFU_URL}/console/rules/new`);
		assert.ok(await fits(), 'the rule form fits');
		await shot(page, 'console-rule-form-390');
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('times in the viewer\'s zone, styled inputs on history, CRM and webhooks, the ratings empty state', async () => {
	await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'audited' } }); // an audit entry to show
	for (const [lang, tz, empty] of [['zh-CN', 'Asia/Shanghai', '这段时间还没有评价'], ['en-US', 'America/New_York', 'No ratings in this period yet']]) {
		const { context, page } = await newPage(browser, { locale: lang, timezoneId: tz, viewport: { width: 1440, height: 900 } });
		try {
			await login(page);
			await page.goto(`${KEFU_URL}/console/audit`);
			const t = page.locator('table time[datetime]').first();
			const iso = await t.getAttribute('datetime');
			const shown = await t.innerText();
			// What the viewer's clock says for that instant, not the raw UTC text.
			const want = new Intl.DateTimeFormat(lang, { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
			assert.ok(shown.includes(want), `${shown} shows ${want} (${tz}) for ${iso}`);
			assert.ok(!/T\d\d:\d\d|Z$|UTC/.test(shown), `no raw UTC text: ${shown}`);
			for (const path of ['/console/history', '/console/crm', '/console/webhooks', '/console/reports/ratings']) {
				await page.goto(`${KEFU_URL}${path}`);
				// Every visible text-like input has the console's border and padding, not the browser's default.
				const bare = await page.evaluate(() => Array.from(document.querySelectorAll('main input:not([type=checkbox]):not([type=radio]):not([type=hidden]), main select'))
					.filter((e) => e.offsetParent !== null)
					.filter((e) => { const s = getComputedStyle(e); return s.borderTopLeftRadius !== '6px' || parseFloat(s.paddingLeft) < 8; })
					.map((e) => e.name || e.type));
				assert.deepEqual(bare, [], `${path}: unstyled inputs`);
				if (lang === 'zh-CN' && path !== '/console/reports/ratings') await shot(page, `console-${path.split('/').pop()}-1440`);
			}
			// No ratings: a sentence, not "分（满分 5 分）· 0 条评价".
			await page.locator('#report-empty .empty', { hasText: empty }).waitFor();
			assert.equal(await page.locator('#report-stats, #chart-csat-dist, #csat-comments').count(), 0);
			if (lang === 'zh-CN') await shot(page, 'console-ratings-empty-1440');
		} finally {
			await context.close();
		}
	}
});

test('console pages at 1440, 768 and 390 px: nothing overflows sideways (screenshots kept)', async () => {
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'shots',
		prechat_fields: [{ name: 'topic', label: '咨询类型', type: 'select', options: ['退货', '换货'], required: true },
			{ name: 'order', label: '订单号', type: 'text', required: false }] } })).json;
	const grp = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: '售后组' } })).json;
	const rule = (await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: '售后规则', channel_ids: [ch.id],
		routing: { routes: [{ group_id: grp.id, match: { all: [{ field: 'prechat.topic', op: 'in', value: ['退货', '换货'] }] } }] },
		leave_message: { enabled: true, fields: [{ name: 'phone', label: '电话', type: 'phone', required: true }] } } })).json;
	await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: '已验证', match: { all: [{ field: 'visitor.identified', op: 'eq', value: true }] } } });
	const pages = { overview: '/console', rules: `/console/rules/${rule.id}`, cgroups: '/console/conversation-groups',
		identity: `/console/channels/${ch.id}/identity`, history: '/console/history', audit: '/console/audit',
		channel: `/console/channels/${ch.id}`, users: '/console/users/new' };
	for (const w of [1440, 768, 390]) {
		const { context, page } = await newPage(browser, { locale: 'zh-CN', viewport: { width: w, height: 900 } });
		try {
			await login(page);
			for (const [name, path] of Object.entries(pages)) {
				await page.goto(`${KEFU_URL}${path}`);
				const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				assert.ok(over <= 0, `${name} at ${w}px overflows by ${over}px`);
				await shot(page, `console-${name}-${w}`);
			}
		} finally {
			await context.close();
		}
	}
});

// tests/browser/workbench.test.mjs: the workbench an agent uses all day, in Chinese and English: answers shown by their labels, the side panel, the transfer dialog, leaving a transferred conversation, the login heading, the console's history and audit in words, and the layout at 1440, 768 and 390 px (drawer, separate views, touch targets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newTenant, newAgent, Session, startConversation, widgetVisitor } from '../lib/kefu.mjs';
import { launch, onPage, newPage, shot, assertAccessible } from '../lib/browser.mjs';

let browser, T, channel, support, billing, ruleId;

// The pre-chat form and the leave-message form in the language of the test that uses them.
const PRECHAT = {
	'zh-CN': [{ name: 'name', label: '您的称呼', type: 'text', required: true }, { name: 'order_no', label: '订单号', type: 'text', required: false }],
	en: [{ name: 'name', label: 'Your name', type: 'text', required: true }, { name: 'order_no', label: 'Order number', type: 'text', required: false }],
};

async function workbench(agent, opts = {}) {
	const { context, page } = await newPage(browser, { locale: 'zh-CN', ...opts });
	await context.addCookies([{ name: 'kefu_session', value: agent.cookies.get('kefu_session'), url: KEFU_URL }]);
	page.kefuHttp = [];
	page.on('response', (r) => { if (r.status() >= 400) page.kefuHttp.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
	await page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
	await page.locator('#wb2-queue .wb2-queue-title').waitFor();
	return { context, page };
}

const visitor = () => widgetVisitor(channel.key);

async function start(prechat) {
	const v = await visitor();
	return { v, c: await startConversation(v, channel.key, prechat) };
}

async function setPrechat(lang) {
	const r = await api('PATCH', `/api/v1/admin/channels/${channel.id}`, { key: T.apiKey, body: { prechat_fields: PRECHAT[lang] } });
	assert.equal(r.status, 200, r.text);
}

before(async () => {
	browser = await launch();
	T = newTenant('wbcore');
	const origin = new URL(KEFU_URL).origin;
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [origin], prechat_fields: PRECHAT['zh-CN'] } })).json;
	support = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Support', member_user_ids: [], member_department_ids: [] } })).json;
	billing = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Billing', member_user_ids: [], member_department_ids: [] } })).json;
	const rule = await api('POST', '/api/v1/admin/rules', {
		key: T.apiKey,
		body: {
			name: 'Shop', priority: 1, channel_ids: [channel.id], max_concurrent: 1, strategy: 'load',
			routing: { mode: 'rules', routes: [], fallback_group_id: support.id },
			leave_message: { enabled: true, fields: [{ name: 'phone', label: '联系电话', type: 'phone', required: true }, { name: 'message', label: '留言内容', type: 'text', required: true }] },
		},
	});
	assert.equal(rule.status, 201, rule.text);
	ruleId = rule.json.id;
});
after(async () => { await browser?.close(); });

// Room for every conversation the tests leave waiting (the first two keep one each to fill the queue).
async function roomy() {
	const r = await api('PATCH', `/api/v1/admin/rules/${ruleId}`, { key: T.apiKey, body: { max_concurrent: 50 } });
	assert.equal(r.status, 200, r.text);
}

// Puts the agents of a test in the groups (each test has its own, so no other test's agent gets work).
async function members(group, ids) {
	const r = await api('PATCH', `/api/v1/admin/groups/${group.id}`, { key: T.apiKey, body: { member_user_ids: ids } });
	assert.equal(r.status, 200, r.text);
}

test('zh-CN: answers by their labels, the queue by name, a tidy side panel, "离开" in the transfer dialog, a clean exit after transferring', async () => {
	await setPrechat('zh-CN');
	const A = await newAgent(T, '李娜', 'online'), away = await newAgent(T, '王伟', 'away'), B = await newAgent(T, '赵敏', 'online');
	await members(support, [A.id, away.id]);
	await members(billing, [B.id]);
	const first = await start({ name: '韩梅梅', order_no: 'A-1001' });
	assert.equal(first.c.status, 'assigned');
	const second = await start({ name: '李雷' });
	assert.equal(second.c.status, 'queued', 'Li Na is at her maximum of one');
	const W = await workbench(A);
	try {
		const item = W.page.locator('.wb-item', { hasText: '韩梅梅' });
		await item.click();
		const side = W.page.locator('#wb-side');
		await side.locator('dt', { hasText: '订单号' }).waitFor();
		assert.equal(await side.locator('dt', { hasText: 'order_no' }).count(), 0, 'the pre-chat answer by its label, not its key');
		assert.doesNotMatch(await side.textContent(), /将在此处提供/, 'no placeholder text');
		// The queue names the waiting visitor by the name they gave.
		const q = W.page.locator(`.wb2-queue-item[data-id="${second.c.id}"]`);
		await q.waitFor();
		assert.match(await q.locator('.wb2-q-name').textContent(), /李雷/);
		assert.doesNotMatch(await q.locator('.wb2-q-name').textContent(), /#\d/);

		// The transfer dialog speaks Chinese, statuses too.
		await W.page.locator('#wb2-transfer-btn').click();
		const dlg = W.page.locator('#wb2-transfer');
		await dlg.locator('select[name="user_id"] option', { hasText: '王伟' }).waitFor({ state: 'attached' });
		const options = await dlg.locator('select[name="user_id"] option').allTextContents();
		assert.ok(options.some((o) => o.startsWith('王伟 (离开 · ')), options.join(' | ')); // with the load: "王伟 (离开 · 0/1 个会话)"
		assert.ok(!options.some((o) => /away|online|offline/.test(o)), options.join(' | '));
		await shot(W.page, 'workbench-transfer-zh');
		await dlg.locator('select[name="group_id"]').selectOption(String(billing.id));
		// A busy server: the handover's answer and the agent stream both come late, and a pull of
		// the conversation (the visitor wrote just before) is about to mark it read: it must not
		// ask after the handover left it (404).
		const late = async (route) => {
			const answer = await route.fetch();
			await new Promise((ok) => setTimeout(ok, 1500));
			await route.fulfill({ response: answer });
		};
		await W.page.route('**/api/v1/agent/conversations/*/handover', late);
		await W.page.route('**/api/v1/agent/events?*', late);
		assert.equal((await first.v.req('POST', `/conversations/${first.c.id}/messages`, { kind: 'text', text: '还有一个问题' })).status, 201);
		await W.page.locator('#wb-messages', { hasText: '还有一个问题' }).waitFor();
		await dlg.locator('#wb2-transfer-ok').click();
		await dlg.waitFor({ state: 'detached' });
		await W.page.locator('#wb-left', { hasText: '您已转接此会话' }).waitFor();
		await W.page.unrouteAll({ behavior: 'ignoreErrors' });
		for (const sel of ['#wb-composer', '#wb-close', '#wb2-transfer-btn'])
			assert.equal(await W.page.locator(sel).isVisible(), false, `${sel} is gone after the transfer`);
		await shot(W.page, 'workbench-transferred-zh');
		// The list moves on (the queued visitor comes to Li Na now she has room), and nothing polls the old one.
		await W.page.locator('.wb-item', { hasText: '李雷' }).waitFor({ timeout: 10000 });
		await W.page.waitForTimeout(1500);
		assert.deepEqual(W.page.kefuHttp, []);
		assert.doesNotMatch(await W.page.locator('#wb-notice').textContent(), /Not found/);

		// A left message in the inbox, by the form's labels.
		const lv = await visitor();
		const left = await lv.req('POST', `/channels/${channel.key}/leave-messages`, { fields: { phone: '13800138000', message: '请回电' } });
		assert.equal(left.status, 201, left.text);
		await W.page.locator('#wb2-inbox-btn').click();
		const entry = W.page.locator(`.wb2-leave[data-id="${left.json.id}"]`);
		await entry.waitFor();
		assert.deepEqual(await entry.locator('dt').allTextContents(), ['联系电话', '留言内容']);
		await assertAccessible(W.page, 'the inbox');
		await W.page.locator('#wb2-inbox button', { hasText: '关闭' }).click();
		assert.deepEqual(W.page.kefuErrors, []);
	} finally {
		await W.context.close();
		for (const s of [A, away, B]) await s.put('/api/v1/agent/status', { status: 'offline' });
	}
});

test('en: answers and left messages by their labels, the queue by name, statuses in words', async () => {
	await setPrechat('en');
	const A = await newAgent(T, 'Lucy Li', 'online'), away = await newAgent(T, 'Tom Wu', 'away');
	await members(support, [A.id, away.id]);
	await members(billing, []);
	const first = await start({ name: 'Jim Green', order_no: 'B-2002' });
	assert.equal(first.c.status, 'assigned');
	const second = await start({ name: 'Kate Brown' });
	assert.equal(second.c.status, 'queued');
	const W = await workbench(A, { locale: 'en-US' });
	try {
		await W.page.locator('.wb-item', { hasText: 'Jim Green' }).click();
		await W.page.locator('#wb-side dt', { hasText: 'Order number' }).waitFor();
		assert.equal(await W.page.locator('#wb-side dt', { hasText: 'order_no' }).count(), 0);
		assert.match(await W.page.locator(`.wb2-queue-item[data-id="${second.c.id}"] .wb2-q-name`).textContent(), /Kate Brown/);
		await W.page.locator('#wb2-transfer-btn').click();
		await W.page.locator('#wb2-transfer select[name="user_id"] option', { hasText: 'Tom Wu' }).waitFor({ state: 'attached' });
		const options = await W.page.locator('#wb2-transfer select[name="user_id"] option').allTextContents();
		assert.ok(options.some((o) => o.startsWith('Tom Wu (Away · ')), options.join(' | '));
		await W.page.locator('#wb2-transfer button', { hasText: 'Cancel' }).click();
		await shot(W.page, 'workbench-labels-en');
	} finally {
		await W.context.close();
		for (const s of [A, away]) await s.put('/api/v1/agent/status', { status: 'offline' });
	}
});

test('the login page names where it leads, for agents and admins alike', async () => {
	const cases = [
		['zh-CN', '/login?next=%2Fworkbench', '客服工作台'],
		['zh-CN', '/login?next=%2Fconsole%2Fusers', '管理控制台'],
		['zh-CN', '/login', 'kefu 客服系统'],
		['en-US', '/login?next=%2Fworkbench', 'Agent workbench'],
		['en-US', '/login?next=%2Fconsole', 'Admin console'],
	];
	for (const [locale, path, heading] of cases) {
		const { context, page } = await newPage(browser, { locale });
		try {
			await page.goto(KEFU_URL + path);
			assert.equal((await page.locator('h1').textContent()).trim(), heading, `${locale} ${path}`);
		} finally {
			await context.close();
		}
	}
	// An admin following the workbench link signs in and lands there.
	await onPage(browser, { locale: 'zh-CN' }, async (page) => {
		await page.goto(`${KEFU_URL}/workbench`);
		assert.match(page.url(), /\/login\?next=(%2F|\/)workbench$/);
		assert.equal((await page.locator('h1').textContent()).trim(), '客服工作台');
		await shot(page, 'workbench-login-zh');
		await page.fill('input[name=login]', T.adminLogin);
		await page.fill('input[name=password]', T.adminPassword);
		await page.click('button[type=submit]');
		await page.waitForURL(/\/workbench$/);
	});
});

test('the console: history names guests by the name they gave; the audit log in words (zh-CN and en)', async () => {
	await setPrechat('zh-CN');
	await roomy();
	const A = await newAgent(T, '周杰', 'online');
	await members(support, [A.id]);
	const { c } = await start({ name: '访客小张' });
	assert.equal((await A.post(`/api/v1/agent/conversations/${c.id}/close`, {})).status, 200);
	await A.put('/api/v1/agent/status', { status: 'offline' });
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	for (const [locale, words] of [['zh-CN', ['创建', '渠道']], ['en-US', ['Created', 'Channel']]]) {
		const { context, page } = await newPage(browser, { locale });
		try {
			await context.addCookies([{ name: 'kefu_session', value: admin.cookies.get('kefu_session'), url: KEFU_URL }]);
			await page.goto(`${KEFU_URL}/console/history`);
			const row = page.locator('tr', { hasText: '访客小张' });
			await row.first().waitFor();
			await page.goto(`${KEFU_URL}/console/audit`);
			const actions = await page.locator('table.audit tbody td:nth-child(3)').allTextContents();
			const objects = await page.locator('table.audit tbody td:nth-child(4)').allTextContents();
			assert.ok(actions.some((a) => a.trim() === words[0]), actions.join(' | '));
			assert.ok(objects.some((o) => o.startsWith(words[1] + ' #')), objects.join(' | '));
			assert.ok(!actions.some((a) => /^(create|update|delete)$/.test(a.trim())), actions.join(' | '));
			await shot(page, `workbench-audit-${locale.slice(0, 2)}`);
		} finally {
			await context.close();
		}
	}
});

// Every control the agent can reach on screen is at least 44 × 44 px (WCAG 2.5.5's target size).
async function smallTargets(page, scope) {
	return page.evaluate((scope) => {
		const bad = [];
		for (const root of document.querySelectorAll(scope))
			for (const e of root.querySelectorAll('button, select, a[href], input:not([type=file]), textarea, [tabindex="0"]')) {
				const r = e.getBoundingClientRect();
				const cs = getComputedStyle(e);
				if (!r.width || !r.height || cs.visibility === 'hidden') continue;
				if (r.width < 44 || r.height < 44) bad.push(`${e.id || e.className || e.tagName} ${Math.round(r.width)}x${Math.round(r.height)}`);
			}
		return bad;
	}, scope);
}

for (const [width, height] of [[1440, 900], [768, 1024], [390, 844]]) {
	test(`the workbench at ${width} px: list, conversation and the customer panel all reachable`, async () => {
		await setPrechat('zh-CN');
		await roomy();
		const phone = width < 700;
		const A = await newAgent(T, `Agent ${width}`, 'online');
		await members(support, [A.id]);
		await members(billing, []);
		const { c } = await start({ name: `访客${width}`, order_no: `W-${width}` });
		const W = await workbench(A, { viewport: { width, height }, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
		try {
			const item = W.page.locator('.wb-item', { hasText: `访客${width}` });
			await item.waitFor();
			if (phone) await shot(W.page, `workbench-list-${width}`);
			await item.click();
			await W.page.locator('#wb-conv-title', { hasText: `访客${width}` }).waitFor();
			if (phone)
				assert.equal(await W.page.locator('#wb-list-pane').isVisible(), false, 'the conversation is its own view on a phone');
			const side = W.page.locator('#wb-side'), btn = W.page.locator('#wb-side-btn');
			if (width > 1000) {
				assert.equal(await side.isVisible(), true, 'the side panel is a column on a wide screen');
				assert.equal(await btn.isVisible(), false);
				await side.locator('dt', { hasText: '订单号' }).waitFor();
				await shot(W.page, `workbench-chat-${width}`);
				return;
			}
			// A drawer on tablets and phones: closed, then opened by its button, with the focus inside.
			assert.equal(await side.isVisible(), false, 'the panel starts closed');
			await shot(W.page, `workbench-chat-${width}`);
			assert.deepEqual(await smallTargets(W.page, '.wb-top, .wb-conv-head, .wb-composer'), [], 'touch targets in the bar, the head and the composer');
			await btn.click();
			await side.locator('dt', { hasText: '订单号' }).waitFor();
			assert.equal(await btn.getAttribute('aria-expanded'), 'true');
			assert.equal(await W.page.evaluate(() => document.activeElement.id), 'wb-side-close');
			// Tab and Shift+Tab stay in the drawer.
			for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
				await W.page.keyboard.press(key);
				assert.equal(await W.page.evaluate(() => document.getElementById('wb-side').contains(document.activeElement)), true, `focus after ${key}`);
			}
			assert.deepEqual(await smallTargets(W.page, '#wb-side'), [], 'touch targets in the drawer');
			await assertAccessible(W.page, `the drawer at ${width} px`);
			await shot(W.page, `workbench-drawer-${width}`);
			await W.page.keyboard.press('Escape');
			await side.waitFor({ state: 'hidden' });
			assert.equal(await W.page.evaluate(() => document.activeElement.id), 'wb-side-btn', 'Escape gives the focus back');
			assert.equal(await btn.getAttribute('aria-expanded'), 'false');
			if (phone) {
				await W.page.locator('#wb-back').tap();
				await W.page.locator('#wb-list-pane').waitFor({ state: 'visible' });
				assert.equal(await W.page.locator('#wb-chat').isVisible(), false);
			}
			assert.deepEqual(W.page.kefuErrors, []);
		} finally {
			await W.context.close();
			await A.put('/api/v1/agent/status', { status: 'offline' });
		}
	});
}

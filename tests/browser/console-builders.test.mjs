// tests/browser/console-builders.test.mjs: the console's builders instead of JSON boxes (conversation groups, rule
// routes, leave-message fields, channel fields), per-field validation, and a conversation group edited in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api } from '../lib/kefu.mjs';
import { onPage, shot, assertAccessible, adminLogin } from '../lib/browser.mjs';
import { browserSuite } from './lib-shop.mjs';

let browser, T;
browserSuite('cbuild', {}, (s) => ({ browser, T } = s));

const login = (page) => adminLogin(page, T);

// No JSON anywhere in a form: no textarea or visible input holds a JSON document.
async function assertNoJsonBox(page, what) {
	const boxes = await page.evaluate(() => Array.from(document.querySelectorAll('form textarea, form input:not([type=hidden])'))
		.filter((e) => e.offsetParent !== null && /^\s*[[{"]/.test(e.value)).map((e) => e.name || e.className));
	assert.deepEqual(boxes, [], `${what}: visible JSON boxes`);
	const labels = await page.locator('text=/JSON/').count();
	assert.equal(labels, 0, `${what}: a label mentions JSON`);
}

test('conversation groups: conditions built from a field list, then the group edited', async () => {
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: '官网' } });
	assert.equal(ch.status, 201);
	await onPage(browser, { locale: 'zh-CN' }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console/conversation-groups`);
		await assertNoJsonBox(page, 'conversation groups');
		await page.fill('input[name=name]', 'VIP 客户');
		const b = page.locator('#cgroup-form .cond-builder');
		await b.getByRole('button', { name: '添加条件' }).click();
		// A field family: the key is typed after the prefix.
		await b.locator('.cb-field').nth(0).selectOption({ label: '访客属性…' });
		await b.locator('.cb-key').nth(0).fill('plan');
		await b.locator('.cb-op').nth(0).selectOption('in');
		await b.locator('.cb-val').nth(0).fill('gold, vip');
		// An id field: channels by name, from a select.
		await b.getByRole('button', { name: '添加条件' }).click();
		await b.locator('.cb-field').nth(1).selectOption({ label: '渠道' });
		await b.locator('.cb-val').nth(1).selectOption({ label: '官网' });
		// Reorder by keyboard: the channel condition moves first.
		await b.getByRole('button', { name: '上移 条件 2' }).click();
		// The move is announced, and the focus stays on the moved condition's arrows.
		assert.equal(await b.getByRole('status').first().innerText(), '已移到 条件 1');
		assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), '下移 条件 1');
		await assertAccessible(page, 'the group form with two conditions');
		await shot(page, 'console-cgroups-builder');
		await page.click('#cgroup-form button[type=submit]');
		await page.waitForURL(/saved=1/);
		let list = await api('GET', '/api/v1/admin/conversation-groups', { key: T.apiKey });
		const g = list.json.items.find((x) => x.name === 'VIP 客户');
		assert.deepEqual(g.match, { all: [
			{ field: 'conversation.channel_id', op: 'eq', value: ch.json.id },
			{ field: 'visitor.plan', op: 'in', value: ['gold', 'vip'] }] });

		// Edit: the stored conditions come back into the builder; remove one and rename.
		await page.getByRole('row', { name: /VIP 客户/ }).getByRole('link', { name: '编辑' }).click();
		await page.waitForURL(new RegExp(`/console/conversation-groups/${g.id}$`));
		assert.equal(await page.inputValue('input[name=name]'), 'VIP 客户');
		assert.equal(await b.locator('.cb-item').count(), 2);
		assert.equal(await b.locator('.cb-key').nth(1).inputValue(), 'plan');
		await page.fill('input[name=name]', '金牌客户');
		await b.getByRole('button', { name: '删除 条件 1' }).click();
		await page.click('#cgroup-form button[type=submit]');
		await page.waitForURL(/saved=1/);
		list = await api('GET', '/api/v1/admin/conversation-groups', { key: T.apiKey });
		assert.equal(list.json.items.length, 1);
		assert.equal(list.json.items[0].name, '金牌客户');
		assert.deepEqual(list.json.items[0].match, { all: [{ field: 'visitor.plan', op: 'in', value: ['gold', 'vip'] }] });
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('rules: routes and leave-message fields built, a refused form keeps them, a rule without channels warns', async () => {
	const mk = async (name) => (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name } })).json.id;
	const pre = await mk('售前组'), vip = await mk('VIP 组');
	await onPage(browser, { locale: 'zh-CN' }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console/rules/new`);
		await assertNoJsonBox(page, 'the rule form');
		await page.fill('input[name=name]', '官网规则');
		const routes = page.locator('#routes-builder');
		await routes.getByRole('button', { name: '添加路由' }).click();
		await routes.locator('select.route-group').nth(0).selectOption({ label: '售前组' });
		await routes.getByRole('button', { name: '添加路由' }).click();
		// The second route is left without a group: the server refuses it, on that route.
		const r2 = routes.locator('> .cb-list > .cb-item').nth(1);
		await r2.getByRole('button', { name: '添加条件' }).click();
		await r2.locator('.cb-field').selectOption({ label: '已验证身份' });
		await r2.locator('.cb-val').selectOption({ label: '是' });
		const lf = page.locator('#leave-fields-builder');
		await lf.getByRole('button', { name: '添加字段' }).click();
		await lf.locator('.lf-name').fill('email');
		await lf.locator('.lf-label').fill('邮箱');
		await lf.locator('.lf-type').selectOption('email');
		await lf.locator('input.lf-required').check();
		await page.click('form.form > .actions button[type=submit]');
		await page.locator('.flash.error').waitFor();
		await assertAccessible(page, 'the refused rule form');
		await shot(page, 'console-rule-refused');
		// Everything typed is still there; the route without a group is marked.
		assert.equal(await page.inputValue('input[name=name]'), '官网规则');
		assert.equal(await routes.locator('> .cb-list > .cb-item').count(), 2);
		assert.equal(await routes.locator('select.route-group').nth(0).inputValue(), String(pre));
		assert.equal(await r2.locator('.cb-field').inputValue() !== '', true);
		assert.equal(await lf.locator('.lf-name').inputValue(), 'email');
		assert.equal(await r2.locator('select.route-group').getAttribute('aria-invalid'), 'true');
		// A rule without channels warns.
		await page.locator('.flash.warn').waitFor();
		// Fix it, move the identified route first with the keyboard, and save.
		await r2.locator('select.route-group').selectOption({ label: 'VIP 组' });
		await routes.getByRole('button', { name: '上移 路由 2' }).focus();
		await page.keyboard.press('Enter');
		await page.click('form.form > .actions button[type=submit]');
		await page.waitForURL(/\/console\/rules\/\d+\?saved=1/);
		const id = Number(page.url().match(/rules\/(\d+)/)[1]);
		const rule = (await api('GET', `/api/v1/admin/rules/${id}`, { key: T.apiKey })).json;
		assert.deepEqual(rule.routing.routes, [
			{ group_id: vip, match: { all: [{ field: 'visitor.identified', op: 'eq', value: true }] } },
			{ group_id: pre, match: 'all' }]);
		assert.deepEqual(rule.leave_message.fields, [{ name: 'email', label: '邮箱', type: 'email', required: true }]);
		assert.ok(await page.locator('.flash.warn').isVisible(), 'saved without channels: still warned');
		await shot(page, 'console-rule-builders');
		await page.goto(`${KEFU_URL}/console/rules`);
		await page.getByRole('row', { name: /官网规则/ }).getByText('未生效：没有渠道').waitFor();
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('channels: pre-chat fields from the row editor only, no JSON box beside it', async () => {
	await onPage(browser, { locale: 'zh-CN' }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console/channels/new`);
		await assertNoJsonBox(page, 'the channel form');
		await page.fill('input[name=name]', '帮助中心');
		await page.click('.prechat-add');
		await page.locator('.prechat-row .f-name').fill('order');
		await page.locator('.prechat-row .f-label').fill('订单号');
		await page.click('.prechat-add');
		await page.locator('.prechat-row .f-name').nth(1).fill('city');
		await page.locator('.prechat-row .f-label').nth(1).fill('城市');
		// Reordered with the keyboard: city first, then removed again.
		await page.getByRole('button', { name: '上移 字段 2' }).click();
		assert.equal(await page.locator('.prechat-row .f-name').nth(0).inputValue(), 'city');
		await page.getByRole('button', { name: '删除 字段 1' }).click();
		await page.click('#channel-form > .actions button[type=submit], #channel-form button.primary[type=submit]');
		await page.waitForURL(/saved=1|\/console\/channels\/\d+/);
		const list = await api('GET', '/api/v1/admin/channels', { key: T.apiKey });
		const ch = list.json.items.find((x) => x.name === '帮助中心');
		assert.deepEqual(ch.prechat_fields.map((f) => [f.name, f.label]), [['order', '订单号']]);
		await page.goto(`${KEFU_URL}/console/channels/${ch.id}`);
		await assertNoJsonBox(page, 'the saved channel form');
		assert.equal(await page.locator('.prechat-row .f-name').inputValue(), 'order');
		assert.deepEqual(page.kefuErrors, []);
	});
});

test('the builder in English: operators by field type, enum values from a select, reorder by dragging', async () => {
	await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Website' } });
	await onPage(browser, { locale: 'en-US' }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console/conversation-groups`);
		await page.getByRole('button', { name: 'English' }).click();
		await page.waitForURL(/conversation-groups/);
		const b = page.locator('#cgroup-form .cond-builder');
		await b.getByText('No conditions: always matches.').waitFor();
		await b.getByRole('button', { name: 'Add a condition' }).click();
		await b.getByRole('button', { name: 'Add a condition' }).click();
		// A yes/no field offers "is" and "is set / not set" only, and its value is a yes/no select.
		await b.locator('.cb-field').nth(0).selectOption({ label: 'Identified' });
		assert.deepEqual(await b.locator('.cb-op').nth(0).locator('option').allInnerTexts(), ['is', 'is set / not set']);
		assert.deepEqual(await b.locator('.cb-val').nth(0).locator('option').allInnerTexts(), ['yes', 'no']);
		// An id field ("is one of") lists the names to tick.
		await b.locator('.cb-field').nth(1).selectOption({ label: 'Channel' });
		await b.locator('.cb-op').nth(1).selectOption('in');
		assert.ok(await b.locator('.cb-multi').nth(0).getByRole('checkbox').count() >= 1);
		// A text field has every operator.
		await b.locator('.cb-field').nth(1).selectOption({ label: 'Visitor phone' });
		assert.deepEqual(await b.locator('.cb-op').nth(1).locator('option').allInnerTexts(),
			['is', 'is not', 'contains', 'starts with', 'is one of', 'is set / not set']);
		await b.locator('.cb-op').nth(1).selectOption('prefix');
		await b.locator('.cb-val').nth(1).fill('+86');
		// Drag the second condition above the first by its handle.
		await b.locator('.cb-handle').nth(1).dragTo(b.locator('.cb-item').nth(0), { targetPosition: { x: 20, y: 5 } });
		assert.equal(await b.locator('.cb-field').nth(0).inputValue() !== await b.locator('.cb-field').nth(1).inputValue(), true);
		assert.equal(await b.locator('.cb-val').nth(0).inputValue(), '+86', 'the phone condition is first now');
		await page.fill('input[name=name]', 'Mainland');
		await page.click('#cgroup-form button[type=submit]');
		await page.waitForURL(/saved=1/);
		const list = await api('GET', '/api/v1/admin/conversation-groups', { key: T.apiKey });
		const g = list.json.items.find((x) => x.name === 'Mainland');
		assert.deepEqual(g.match, { all: [{ field: 'visitor.phone', op: 'prefix', value: '+86' },
			{ field: 'visitor.identified', op: 'eq', value: true }] });
		await shot(page, 'console-cgroups-builder-en');
		assert.deepEqual(page.kefuErrors, []);
		// The language is the user's setting: back to Chinese for the tests after this one.
		await page.getByRole('button', { name: '简体中文' }).click();
		await page.waitForURL(/conversation-groups/);
	});
});

test('a pre-chat field of a channel is offered by its label, a choice\'s options from a select', async () => {
	await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: '售后渠道',
		prechat_fields: [{ name: 'topic', label: '咨询类型', type: 'select', options: ['退货', '换货'], required: true }] } });
	const g = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: '退货组' } })).json.id;
	await onPage(browser, { locale: 'zh-CN' }, async (page) => {
		await login(page);
		await page.goto(`${KEFU_URL}/console/rules/new`);
		await page.fill('input[name=name]', '售后分流');
		const routes = page.locator('#routes-builder');
		await routes.getByRole('button', { name: '添加路由' }).click();
		await routes.locator('select.route-group').selectOption({ label: '退货组' });
		await routes.getByRole('button', { name: '添加条件' }).click();
		await routes.locator('.cb-field').selectOption({ label: '咨询前表单：咨询类型' });
		assert.deepEqual(await routes.locator('.cb-val').locator('option').allInnerTexts(), ['退货', '换货']);
		await routes.locator('.cb-val').selectOption('换货');
		await page.click('form.form > .actions button[type=submit]');
		await page.waitForURL(/\/console\/rules\/\d+\?saved=1/);
		const id = Number(page.url().match(/rules\/(\d+)/)[1]);
		const rule = (await api('GET', `/api/v1/admin/rules/${id}`, { key: T.apiKey })).json;
		assert.deepEqual(rule.routing.routes, [{ group_id: g, match: { all: [{ field: 'prechat.topic', op: 'eq', value: '换货' }] } }]);
		// Shown again from the stored rule: the same field and value, not the raw key.
		assert.equal(await page.locator('#routes-builder .cb-key').isVisible(), false);
		assert.equal(await page.locator('#routes-builder .cb-val').inputValue(), '换货');
	});
});

// tests/browser/assign.test.mjs: the widget and the assignment engine in Chromium: live queue positions when all agents are busy, leave-a-message when all are offline, visitor choice of group.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';
import { launch, newPage, shot } from '../lib/browser.mjs';

let browser, T;

before(async () => {
	browser = await launch();
	T = newTenant('wassign');
	// The tenant's admin is staff too; keep it out of every decision.
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	await admin.put('/api/v1/agent/status', { status: 'offline' });
});
after(async () => { await browser?.close(); });


async function channel() {
	const r = await api('POST', '/api/v1/admin/channels', {
		key: T.apiKey, body: { name: unique('Shop'), allowed_origins: [new URL(KEFU_URL).origin], prechat_fields: [] },
	});
	assert.equal(r.status, 201, r.text);
	const embed = await api('GET', `/api/v1/admin/channels/${r.json.id}/embed`, { key: T.apiKey });
	assert.equal(embed.status, 200, embed.text);
	return { ...r.json, snippet: embed.json.html };
}

async function group(name, members) {
	const r = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name, member_user_ids: members, member_department_ids: [] } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function rule(body) {
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: unique('rule'), priority: 1, ...body } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

// A visitor in a fresh browser context on a host page of kefu's origin (which
// the channel allows) carrying the channel's embed snippet; the panel is opened.
async function visitor(ch, locale = 'en-US') {
	const { context, page } = await newPage(browser, { locale });
	const url = `${KEFU_URL}/static/test-assign-${Date.now()}-${Math.random().toString(36).slice(2)}.html`;
	await page.route(url, (route) => route.fulfill({
		contentType: 'text/html; charset=utf-8',
		body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>shop</title></head><body><h1>Shop</h1>${ch.snippet}</body></html>`,
	}));
	await page.goto(url, { waitUntil: 'load' });
	await page.locator('#kefu-widget button').first().click();
	await page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
	const frame = page.frameLocator('#kefu-widget iframe');
	return { context, page, frame };
}

async function says(frame, text) {
	await frame.locator('.k-text').waitFor({ state: 'visible' });
	await frame.locator('.k-text').fill(text);
	await frame.locator('.k-text').press('Enter');
	await frame.locator('.k-visitor .k-bubble', { hasText: text }).waitFor();
}

// The widget's conversation id, as it keeps it for resuming.
async function convOf(v, key) {
	const h = await v.page.locator('#kefu-widget iframe').elementHandle();
	const f = await h.contentFrame();
	return f.evaluate((k) => JSON.parse(localStorage.getItem('kefu:conv:' + k)).id, key);
}

test('all busy: the busy message and a live queue position that counts down, then the agent', async () => {
	const ch = await channel();
	const a = await newAgent(T, 'Wang Fang', 'online');
	const g = await group(unique('Support'), [a.id]);
	await rule({
		channel_ids: [ch.id], max_concurrent: 1,
		routing: { mode: 'rules', routes: [{ group_id: g.id, match: 'all' }] },
		messages: { all_busy: { enabled: true, text: 'All our agents are busy, please wait.' } },
		leave_message: { enabled: true, fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] },
	});
	// The agent's one place is taken by a visitor through the API.
	const reg = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' } });
	const v0 = { 'x-visitor-token': reg.json.visitor_token };
	const c0 = await api('POST', '/api/v1/widget/conversations', { headers: v0, body: { channel_key: ch.key, prechat: {} } });
	assert.equal(c0.json.status, 'assigned', c0.text);

	const V1 = await visitor(ch);
	const V2 = await visitor(ch, 'zh-CN');
	try {
		await says(V1.frame, 'Is anyone there?');
		await V1.frame.locator('.k-system .k-bubble', { hasText: 'All our agents are busy, please wait.' }).waitFor();
		await V1.frame.locator('.k-banner[data-position="1"]', { hasText: 'You are number 1 in the queue (0 ahead of you)' }).waitFor();
		// While waiting the visitor may leave a message instead.
		assert.equal(await V1.frame.getByRole('button', { name: 'Leave a message' }).isVisible(), true);

		await says(V2.frame, '有人吗？');
		await V2.frame.locator('.k-system .k-bubble', { hasText: 'All our agents are busy' }).waitFor();
		await V2.frame.locator('.k-banner[data-position="2"]', { hasText: '您排在第 2 位，前面还有 1 位' }).waitFor();
		await shot(V2.page, 'assign-queued-2');

		// The agent closes the first conversation: V1 gets the agent, V2 moves up, live.
		const id1 = await convOf(V1, ch.key);
		const close0 = await a.post(`/api/v1/agent/conversations/${c0.json.id}/close`, {});
		assert.equal(close0.status, 200, close0.text);
		await V1.frame.locator('.k-agent', { hasText: 'Wang Fang' }).waitFor({ timeout: 10000 });
		await V1.frame.locator('.k-note', { hasText: 'Wang Fang is here to help' }).waitFor();
		await V1.frame.locator('.k-banner').waitFor({ state: 'hidden' });
		assert.equal(await V1.frame.locator('.k-leavebar').isVisible(), false, 'no form offered once served');
		await V2.frame.locator('.k-banner[data-position="1"]', { hasText: '您排在第 1 位，前面还有 0 位' }).waitFor({ timeout: 10000 });
		await shot(V2.page, 'assign-queued-1');
		await shot(V1.page, 'assign-served');

		// The agent closes V1's conversation: V2 is served.
		const close1 = await a.post(`/api/v1/agent/conversations/${id1}/close`, {});
		assert.equal(close1.status, 200, close1.text);
		await V1.frame.locator('.k-new').waitFor({ timeout: 10000 });
		await V2.frame.locator('.k-agent', { hasText: 'Wang Fang' }).waitFor({ timeout: 10000 });
		await V2.frame.locator('.k-note', { hasText: 'Wang Fang 为您服务' }).waitFor();
		await V2.frame.locator('.k-banner').waitFor({ state: 'hidden' });
		const mine = await a.get('/api/v1/agent/conversations');
		const ids = mine.json.groups.flatMap((x) => x.conversations.map((c) => c.id));
		assert.deepEqual(ids, [await convOf(V2, ch.key)]);
		await shot(V2.page, 'assign-served-2');
		assert.deepEqual(V1.page.kefuErrors, []);
		assert.deepEqual(V2.page.kefuErrors, []);
		await a.post(`/api/v1/agent/conversations/${ids[0]}/close`, {});
	} finally {
		await V1.context.close();
		await V2.context.close();
	}
});

test('all offline: the offline message and a leave-a-message form, validated, in the agents\' inbox', async () => {
	const ch = await channel();
	const a = await newAgent(T, 'Zhao Lei', 'offline');
	const g = await group(unique('Support'), [a.id]);
	const r = await rule({
		channel_ids: [ch.id],
		routing: { mode: 'rules', routes: [], fallback_group_id: g.id },
		messages: { all_offline: { enabled: true, text: 'Nobody is here right now.' } },
		leave_message: { enabled: true, fields: [
			{ name: 'name', label: 'Your name', type: 'text', required: true },
			{ name: 'phone', label: 'Phone', type: 'phone', required: true },
			{ name: 'email', label: 'Email', type: 'email', required: false },
			{ name: 'topic', label: 'Topic', type: 'select', options: ['Orders', 'Returns'], required: false },
			{ name: 'company', label: 'Company', type: 'text', required: false },
		] },
	});
	const V = await visitor(ch);
	try {
		const f = V.frame;
		// Before typing: the rule's offline text, once, and the form in place of the composer
		// (messages into an offline conversation would reach nobody).
		await f.locator('.k-note.k-offline', { hasText: 'Nobody is here right now.' }).waitFor();
		const form = f.locator('form.k-leave');
		await form.waitFor();
		assert.equal(await f.locator('.k-note.k-offline').count(), 1);
		assert.equal(await f.locator('.k-compose').isHidden(), true);
		assert.equal(await form.locator('select[name="topic"] option').count(), 3);
		await shot(V.page, 'assign-offline-form');

		// Client-side checks: required and formats.
		await form.getByRole('button', { name: 'Send message' }).click();
		await form.locator('.k-err', { hasText: 'This field is required' }).first().waitFor();
		assert.equal(await form.getByLabel('Your name').getAttribute('aria-invalid'), 'true');
		await form.getByLabel('Your name').fill('Han Meimei');
		await form.getByLabel('Phone').fill('not a phone');
		await form.getByLabel('Email').fill('han@');
		await form.getByRole('button', { name: 'Send message' }).click();
		await form.locator('.k-err', { hasText: 'Enter a valid phone number' }).waitFor();
		await form.locator('.k-err', { hasText: 'Enter a valid email address' }).waitFor();
		await form.getByLabel('Phone').fill('159 1234 5678');
		await form.getByLabel('Email').fill('han@example.com');
		await form.getByLabel('Topic').selectOption('Returns');
		await form.getByLabel('Company').fill('ACME');

		// The server's word wins: the rule changed meanwhile (company must now be a
		// phone number), and its 400 lands beside the field it names.
		const fields = r.leave_message.fields.map((x) => (x.name === 'company' ? { ...x, type: 'phone' } : x));
		const p = await api('PATCH', `/api/v1/admin/rules/${r.id}`, { key: T.apiKey, body: { leave_message: { enabled: true, fields } } });
		assert.equal(p.status, 200, p.text);
		const refused = V.page.waitForResponse((x) => x.url().endsWith('/leave-messages'));
		await form.getByRole('button', { name: 'Send message' }).click();
		const rr = await refused;
		assert.equal(rr.status(), 400);
		assert.equal((await rr.json()).error.field, 'fields.company');
		await form.locator('#' + await form.getByLabel('Company').getAttribute('aria-describedby'), { hasText: 'Check this field' }).waitFor();
		assert.equal(await form.getByLabel('Company').getAttribute('aria-invalid'), 'true');
		await shot(V.page, 'assign-offline-server-error');

		await form.getByLabel('Company').fill('');
		await form.getByRole('button', { name: 'Send message' }).click();
		await f.locator('.k-thanks', { hasText: 'Thank you!' }).waitFor();
		assert.equal(await f.locator('form.k-leave').count(), 0);
		assert.equal(await f.locator('.k-leavebar').isVisible(), false);
		await shot(V.page, 'assign-offline-thanks');
		// Only the refused POST above, which Chromium logs.
		assert.deepEqual(V.page.kefuErrors, ['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
		// A reload (it aborts the long poll) replays the conversation, offline again, without asking twice.
		await V.page.reload({ waitUntil: 'load' });
		if (!(await V.page.locator('#kefu-widget .p.o').waitFor({ timeout: 3000 }).then(() => true, () => false)))
			await V.page.locator('#kefu-widget button').first().click();
		const again = V.page.frameLocator('#kefu-widget iframe');
		await again.locator('.k-thanks').waitFor();
		assert.equal(await again.locator('form.k-leave').count(), 0);

		const inbox = await a.get('/api/v1/agent/leave-messages?status=open');
		assert.equal(inbox.status, 200, inbox.text);
		const left = inbox.json.items.find((m) => m.channel_id === ch.id);
		assert.ok(left, inbox.text);
		assert.deepEqual(left.fields, { name: 'Han Meimei', phone: '159 1234 5678', email: 'han@example.com', topic: 'Returns' });
		assert.equal(left.status, 'open');
	} finally {
		await V.context.close();
	}
});

test('visitor choice: the widget shows the groups, the keyboard picks one, and that group\'s agent gets it', async () => {
	const ch = await channel();
	const pre = await newAgent(T, 'Sun Li (pre-sales)', 'online');
	const post = await newAgent(T, 'Qian Yu (after-sales)', 'online');
	const gPre = await group('Pre-sales', [pre.id]);
	const gPost = await group('After-sales', [post.id]);
	await rule({
		channel_ids: [ch.id],
		routing: { mode: 'visitor_choice', choice_prompt: 'Which team would you like?', choice_group_ids: [gPre.id, gPost.id] },
	});
	const V = await visitor(ch);
	try {
		const f = V.frame;
		await f.getByRole('group', { name: 'Which team would you like?' }).waitFor();
		const names = await f.locator('.k-choicebtn').allTextContents();
		assert.deepEqual(names, ['Pre-sales', 'After-sales']);
		assert.equal(await f.locator('.k-compose').isVisible(), false, 'no composer before the choice');
		await shot(V.page, 'assign-choice');
		// Keyboard only: from the first group, Tab to the second, Enter.
		await f.locator('.k-choicebtn').first().focus();
		await f.locator('.k-choicebtn').first().press('Tab');
		assert.equal(await f.locator('.k-choicebtn').nth(1).evaluate((b) => b === document.activeElement), true);
		await f.locator('.k-choicebtn').nth(1).press('Enter');
		await f.locator('.k-note', { hasText: 'You chose: After-sales' }).waitFor();
		await says(f, 'My parcel arrived broken');
		await f.locator('.k-agent', { hasText: 'Qian Yu (after-sales)' }).waitFor({ timeout: 10000 });
		const id = await convOf(V, ch.key);
		const mine = await post.get('/api/v1/agent/conversations');
		assert.ok(mine.json.groups.some((x) => x.conversations.some((c) => c.id === id)), mine.text);
		const theirs = await pre.get('/api/v1/agent/conversations');
		assert.ok(!theirs.json.groups.some((x) => x.conversations.some((c) => c.id === id)));
		await shot(V.page, 'assign-choice-served');
		assert.deepEqual(V.page.kefuErrors, []);
		await post.post(`/api/v1/agent/conversations/${id}/close`, {});
	} finally {
		await V.context.close();
	}
});

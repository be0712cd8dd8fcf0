// tests/browser/shift.test.mjs: a whole agent shift in Chromium: two agents, visitors arriving into conversation groups, a take from the queue, a transfer with a note, canned replies, typing and read marks, a leave-message handled, a rating from the widget, history and a transcript download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KEFU_URL, api, newTenant, Session, unique, startConversation, widgetVisitor } from '../lib/kefu.mjs';
import { launch, newPage, shot } from '../lib/browser.mjs';
import { routedChannel } from './lib-shop.mjs';

let browser, T, channel, group, A1, A2;


async function workbench(agent) {
	const { context, page } = await newPage(browser, { locale: 'en-US', acceptDownloads: true });
	await context.addCookies([{ name: 'kefu_session', value: agent.cookies.get('kefu_session'), url: KEFU_URL }]);
	page.kefuHttp = [];
	page.on('response', (r) => { if (r.status() >= 400) page.kefuHttp.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
	await page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
	await page.locator('#wb-status').waitFor();
	await page.locator('#wb2-queue').waitFor();
	return { context, page };
}

const apiVisitor = (attributes) => widgetVisitor(channel.key, attributes ? { attributes } : {});

const start = (v, name) => startConversation(v, channel.key, { name });

before(async () => {
	browser = await launch();
	T = newTenant('shift');
	({ channel, group, agents: [A1, A2] } = await routedChannel(T, {
		channel: { name: 'Shift shop', allowed_origins: [new URL(KEFU_URL).origin], prechat_fields: [{ name: 'name', label: 'Your name', type: 'text', required: true }] },
		group: 'Support',
		agents: ['Alice Agent', 'Bob Agent'],
		rule: {
			name: 'Shop', max_concurrent: 2,
			leave_message: { enabled: true, fields: [{ name: 'phone', label: 'Phone', type: 'phone', required: true }, { name: 'message', label: 'Message', type: 'text', required: true }] },
		},
	}));
	assert.equal((await api('POST', '/api/v1/admin/conversation-groups', { key: T.apiKey, body: { name: 'VIP customers', priority: 10, match: { all: [{ field: 'visitor.plan', op: 'eq', value: 'vip' }] } } })).status, 201);
	assert.equal((await api('POST', '/api/v1/admin/canned-replies', { key: T.apiKey, body: { shortcut: 'hi', title: 'Greeting', text: 'Hello! How can I help you today?' } })).status, 201);
});
after(async () => { await browser?.close(); });

test('a full shift', async () => {
	const W1 = await workbench(A1);
	const W2 = await workbench(A2);
	// Opening the workbench makes an agent available: Bob starts his shift later, so he goes offline.
	for (const W of [W1, W2])
		await W.page.waitForFunction(() => document.body.getAttribute('data-status') === 'online');
	await Promise.all([W2.page.waitForResponse((r) => r.url().endsWith('/api/v1/agent/status') && r.request().method() === 'PUT'), W2.page.locator('#wb-status').selectOption('offline')]);
	await Promise.all([W1.page.waitForResponse((r) => r.url().endsWith('/api/v1/agent/status') && r.request().method() === 'PUT'), W1.page.locator('#wb-status').selectOption('offline')]);
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		// Alice starts her shift; Bob is still offline.
		await Promise.all([W1.page.waitForResponse((r) => r.url().endsWith('/api/v1/agent/status') && r.request().method() === 'PUT'), W1.page.locator('#wb-status').selectOption('online')]);
		await W1.page.waitForFunction(() => document.getElementById('wb-status').value === 'online');
		assert.equal((await A1.get('/api/v1/agent/status')).json.status, 'online');

		// A VIP customer with a past conversation comes back, and a visitor in the browser widget arrives.
		const vip = await apiVisitor({ plan: 'vip' });
		const old = await start(vip, 'Zhao VIP');
		await vip.req('POST', `/conversations/${old.id}/messages`, { kind: 'text', text: 'Where is order 4711?' });
		await vip.req('POST', `/conversations/${old.id}/close`, {});
		await V.page.goto(`${KEFU_URL}/widget/frame/${channel.key}`, { waitUntil: 'load' });
		await V.page.getByLabel('Your name').fill('Wang Fang');
		await V.page.getByRole('button', { name: 'Start chat' }).click();
		await V.page.locator('.k-text').waitFor({ state: 'visible' });
		await V.page.locator('.k-text').fill('Hi, I need help with my bill');
		await V.page.locator('.k-text').press('Enter');
		const vipConv = await start(vip, 'Zhao VIP');
		assert.equal(vipConv.agent.id, A1.id);

		// Alice's list: the VIP in its group first, the widget visitor in the default group last.
		const groups = W1.page.locator('#wb-groups .wb-group h3');
		await W1.page.locator('#wb-groups .wb-group h3', { hasText: 'VIP customers (1)' }).waitFor({ timeout: 10000 });
		await W1.page.locator('#wb-groups .wb-item').nth(1).waitFor({ timeout: 10000 });
		assert.match(await groups.first().textContent(), /VIP customers/);
		// A third arrives while Alice is full and Bob offline: queued.
		const q = await apiVisitor();
		const queued = await start(q, 'Queue Visitor');
		assert.equal(queued.status, 'queued');
		await shot(W1.page, 'shift-alice-groups');

		// Bob, still offline, sees the queue with the waiting time and takes it.
		const qi = W2.page.locator(`.wb2-queue-item[data-id="${queued.id}"]`);
		await qi.waitFor({ timeout: 15000 });
		assert.match(await qi.locator('.wb2-q-wait').textContent(), /waiting \d+s/);
		await shot(W2.page, 'shift-bob-queue');
		await qi.locator('button.wb2-take').click();
		await W2.page.locator(`.wb-item[data-id="${queued.id}"]`).waitFor({ timeout: 10000 });
		await W2.page.locator(`.wb2-queue-item[data-id="${queued.id}"]`).waitFor({ state: 'detached' });
		await Promise.all([W2.page.waitForResponse((r) => r.url().endsWith('/api/v1/agent/status') && r.request().method() === 'PUT'), W2.page.locator('#wb-status').selectOption('online')]);

		// Alice answers the widget visitor with a canned reply; both sides see typing and read marks.
		const wItem = W1.page.locator('#wb-groups .wb-item').filter({ hasText: 'Wang Fang' });
		await wItem.click();
		await W1.page.locator('#wb-messages .wb-visitor .wb-bubble', { hasText: 'my bill' }).waitFor();
		await V.page.locator('.k-msg.k-visitor .k-readmark').waitFor({ timeout: 10000 }); // Alice opened it: "Read"
		// Typing signals go at most once per 3 s, and the visitor's first message sent one moments
		// ago (the queue now shows at once: the test no longer waits for a 10 s queue poll).
		await new Promise((r) => setTimeout(r, 3100));
		await V.page.locator('.k-text').fill('It is about the');
		await W1.page.locator('#wb2-typing').waitFor({ state: 'visible', timeout: 10000 });
		await W1.page.locator('#wb-text').fill('');
		await W1.page.locator('#wb-text').pressSequentially('/h');
		await W1.page.locator('#wb2-canned .wb2-canned-item[data-shortcut="hi"]').waitFor();
		await shot(W1.page, 'shift-canned');
		await W1.page.locator('#wb-text').press('Enter');
		assert.equal(await W1.page.locator('#wb-text').inputValue(), 'Hello! How can I help you today?');
		await V.page.locator('.k-typing').waitFor({ timeout: 10000 }); // Alice typed
		await W1.page.locator('#wb-text').press('Enter');
		await V.page.locator('.k-agent .k-bubble', { hasText: 'How can I help you today?' }).waitFor({ timeout: 10000 });
		await V.page.locator('.k-text').fill('It is about the March invoice');
		await V.page.locator('.k-text').press('Enter');
		await W1.page.locator('#wb-messages .wb-visitor .wb-bubble', { hasText: 'March invoice' }).waitFor({ timeout: 10000 });
		await W1.page.locator('#wb-messages .wb-agent .wb2-read').waitFor({ timeout: 10000 }); // the visitor read Alice's reply

		// Alice transfers the VIP to Bob with a note; Bob sees it in its group, with the note and the history.
		await W1.page.locator('#wb-groups .wb-item').filter({ hasText: 'Zhao VIP' }).click();
		await W1.page.locator('#wb2-transfer-btn').click();
		const dlg = W1.page.locator('#wb2-transfer');
		await dlg.locator('select[name="user_id"]').selectOption(String(A2.id));
		await dlg.locator('textarea[name="note"]').fill('VIP asking about order 4711 again');
		await shot(W1.page, 'shift-transfer');
		await dlg.locator('#wb2-transfer-ok').click();
		await dlg.waitFor({ state: 'detached' });
		// Alice's pane says it is no longer hers, offers nothing to act with, and stops polling it.
		await W1.page.locator('#wb-left', { hasText: 'You transferred this conversation' }).waitFor();
		for (const sel of ['#wb-composer', '#wb-close', '#wb2-transfer-btn'])
			assert.equal(await W1.page.locator(sel).isVisible(), false, `${sel} is gone after the transfer`);
		assert.doesNotMatch(await W1.page.locator('#wb-notice').textContent(), /Not found/);
		const bobVip = W2.page.locator('#wb-groups .wb-item').filter({ hasText: 'Zhao VIP' });
		await bobVip.waitFor({ timeout: 10000 });
		assert.match(await W2.page.locator('#wb-groups .wb-group h3').first().textContent(), /VIP customers \(1\)/);
		await bobVip.click();
		await W2.page.locator('#wb-messages .wb-internal-transfer', { hasText: 'VIP asking about order 4711 again' }).waitFor({ timeout: 10000 }); // among the messages (notes.js)
		await W2.page.locator(`.wb2-hist-item[data-id="${old.id}"]`).waitFor({ timeout: 10000 });
		await shot(W2.page, 'shift-bob-transfer');

		// A message left while nobody could chat; Alice handles it from the inbox.
		const lv = await apiVisitor();
		const left = await lv.req('POST', `/channels/${channel.key}/leave-messages`, { fields: { phone: '13800138000', message: 'Please call me back about delivery' } });
		assert.equal(left.status, 201, left.text);
		await W1.page.reload({ waitUntil: 'load' });
		await W1.page.locator('#wb2-inbox-btn', { hasText: '(1)' }).waitFor({ timeout: 10000 });
		await W1.page.locator('#wb2-inbox-btn').click();
		const entry = W1.page.locator(`.wb2-leave[data-id="${left.json.id}"]`);
		await entry.waitFor();
		assert.match(await entry.textContent(), /call me back about delivery/);
		await shot(W1.page, 'shift-inbox');
		await entry.locator('.wb2-handle-note').fill('Called back, delivery tomorrow');
		await entry.locator('button.wb2-handle').click();
		await entry.waitFor({ state: 'detached' });
		await W1.page.locator('#wb2-inbox [data-filter="handled"]').click();
		await W1.page.locator(`.wb2-leave[data-id="${left.json.id}"]`, { hasText: 'Called back, delivery tomorrow' }).waitFor();
		await W1.page.locator('#wb2-inbox button', { hasText: 'Close' }).click();
		assert.equal((await A1.get('/api/v1/agent/leave-messages?status=open')).json.items.length, 0);

		// Alice closes the widget chat; the visitor rates it; Alice downloads the transcript.
		await W1.page.locator('#wb-groups .wb-item').filter({ hasText: 'Wang Fang' }).click();
		W1.page.once('dialog', (d) => d.accept());
		await W1.page.locator('#wb-close').click();
		await W1.page.locator('#wb-closed').waitFor({ state: 'visible' });
		const prompt = V.page.locator('.k-rate');
		await prompt.waitFor({ timeout: 10000 });
		await prompt.locator('.k-star[data-score="4"]').click();
		await prompt.locator('textarea').fill('Quick and friendly');
		await shot(V.page, 'shift-rating');
		await prompt.locator('.k-rsend').click();
		await V.page.locator('.k-rthanks').waitFor();
		const convId = Number(await W1.page.locator('#wb2-transcript-html').getAttribute('href').then((h) => h.match(/conversations\/(\d+)\//)[1]));
		await W1.page.locator('#wb-messages .wb2-rating', { hasText: '★★★★☆' }).waitFor({ timeout: 10000 });
		const [download] = await Promise.all([W1.page.waitForEvent('download'), W1.page.locator('#wb2-transcript-html').click()]);
		assert.equal(download.suggestedFilename(), `conversation-${convId}.html`);
		const html = readFileSync(await download.path(), 'utf8');
		assert.match(html, /March invoice/);
		assert.match(html, /How can I help you today\?/);
		await shot(W1.page, 'shift-closed-rated');

		const rep = await api('GET', '/api/v1/admin/reports/ratings', { key: T.apiKey });
		assert.deepEqual(rep.json.by_agent, [{ agent: { id: A1.id, name: 'Alice Agent' }, count: 1, average: 4 }]);
		// No failed request: after the transfer nothing asks for the VIP conversation any more.
		assert.deepEqual(W1.page.kefuHttp, []);
		assert.deepEqual(W2.page.kefuHttp, []);
		const real = (p) => p.kefuErrors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e) && !/agent\/events.*ERR_ABORTED/.test(e));
		assert.deepEqual(real(W1.page), []);
		assert.deepEqual(W2.page.kefuErrors, []);
		assert.deepEqual(V.page.kefuErrors, []);
	} finally {
		await V.context.close();
		await W1.context.close();
		await W2.context.close();
	}
});

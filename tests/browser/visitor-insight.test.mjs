// tests/browser/visitor-insight.test.mjs: visitor insight in Chromium: the workbench's live Visitors list (a visitor within 2 s of their page load, gone after they leave), an agent's invitation opening the widget (a bubble on phones), answering it, a proactive trigger, tracking off sending nothing new, the console's tracking switch and trigger editor; screenshots at 1440/768/390 in zh-CN and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newAgent, newTenant, Session, until as untilIn } from '../lib/kefu.mjs';
import { hostSite, launch, newPage, shot, assertAccessible } from '../lib/browser.mjs';

// The site is another origin than kefu: a server of this test on another loopback port.
let SITE, site, browser, T, tracked, quiet, agent, other;
const pages = new Map();
const until = (what, fn, ms = 10000) => untilIn(what, fn, ms);
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

function snippetOf(ch) {
	return `<script async src="${KEFU_URL}/static/widget/loader.js" data-kefu-channel="${ch.key}"></script>`;
}
function sitePage(path, title, ch) {
	pages.set(`/${path}`, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
		<body><main><h1>${title}</h1><p>Tea cups, scarves and bamboo boards.</p></main>${snippetOf(ch)}</body></html>`);
	return `${SITE}/${path}`;
}
const widget = (page) => page.frameLocator('#kefu-widget iframe');

// The agent's workbench with the Visitors view open.
async function workbench(who, opts = {}) {
	const { context, page } = await newPage(browser, { locale: 'en-US', viewport: { width: 1440, height: 900 }, ...opts });
	await context.addCookies([{ name: 'kefu_session', value: who.cookies.get('kefu_session'), url: KEFU_URL }]);
	await page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
	await page.locator('#vis-toggle').click();
	await page.locator('#vis-view').waitFor();
	await assertAccessible(page, 'the Visitors view');
	return { context, page };
}
// A test's two sides: the agent's workbench (A) and a visitor's browser (V), both closed after fn.
async function agentAndVisitor(fn) {
	const A = await workbench(agent);
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		await fn(A, V);
	} finally {
		await A.context.close();
		await V.context.close();
	}
}
const row = (page, title) => page.locator('#vis-rows tr', { hasText: title });
// Focus a row's button as a keyboard user would. The stream may rebuild the
// row between finding the button and focusing it (the focus then lands on
// a detached node): try again until the focus is on the list's button.
async function focusOn(page, button) {
	await until('the button focused', async () => {
		await button.focus();
		return button.evaluate((b) => b === document.activeElement);
	});
}

before(async () => {
	({ server: site, url: SITE } = await hostSite(pages));
	browser = await launch();
	T = newTenant('vis-ui');
	const mk = async (name, tracking) => {
		const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name, allowed_origins: [SITE], tracking } });
		assert.equal(r.status, 201, r.text);
		return r.json;
	};
	tracked = await mk('Tea shop', true);
	quiet = await mk('Quiet shop', false);
	const c = await api('POST', '/api/v1/admin/canned-replies', { key: T.apiKey, body: { shortcut: 'tea', text: 'Our spring tea has just arrived. May I help you choose?' } });
	assert.equal(c.status, 201, c.text);
	// Two agents online: the answer must go to the one who invited, not to whoever the rules pick.
	other = await newAgent(T, 'Han Mei', 'online');
	agent = await newAgent(T, 'Li Lei', 'online');
});
after(async () => {
	await browser?.close();
	site?.close();
});

test('the live list shows a visitor within 2 s of their page load, follows their pages and drops them after they leave', async () => {
	await agentAndVisitor(async (A, V) => {
		const url = sitePage('scarf.html', 'Wool scarf', tracked);
		await V.page.goto(url, { waitUntil: 'load' });
		const loaded = Date.now();
		await row(A.page, 'Wool scarf').waitFor({ timeout: 4000 });
		const took = Date.now() - loaded;
		assert.ok(took < 2000, `the visitor appeared ${took} ms after their page load`);
		const r = row(A.page, 'Wool scarf');
		assert.match(await r.locator('.vis-c-device').innerText(), /Desktop · Chrome/);
		assert.equal(await r.locator('.vis-c-pages').innerText(), '1');
		assert.match(await r.locator('.vis-c-status').innerText(), /Browsing/);
		assert.match(await r.locator('.vis-c-visitor').innerText(), /Guest/);
		// No polling of the list: after the first load only the stream speaks.
		let listed = 0;
		A.page.on('request', (q) => { if (q.url().includes('/api/v1/agent/visitors/live')) listed++; });

		// A single-page app's navigation: the same row, now on the cart, two pages viewed.
		await V.page.evaluate(() => window.kefu('page', { url: '/cart', title: 'Cart' }));
		await until('the row on the cart', async () => (await row(A.page, 'Cart').count()) === 1);
		assert.equal(await row(A.page, 'Cart').locator('.vis-c-pages').innerText(), '2');
		assert.equal(await row(A.page, 'Wool scarf').count(), 0);
		assert.equal(listed, 0, 'the list is not fetched again');

		// The profile: the page trail, newest first.
		await row(A.page, 'Cart').locator('.vis-profile-btn').click();
		const dlg = A.page.locator('#vis-profile');
		await dlg.locator('.vis-step', { hasText: 'Wool scarf' }).waitFor();
		assert.deepEqual(await dlg.locator('.vis-step .vis-title').allInnerTexts(), ['Cart', 'Wool scarf']);
		await assertAccessible(A.page, 'the visitor profile');
		await A.page.keyboard.press('Escape');
		await dlg.waitFor({ state: 'hidden' });

		// Leaving: the visitor's page closes; the list drops them (the stream says so).
		await V.page.close();
		await until('the visitor dropped', async () => (await row(A.page, 'Cart').count()) === 0, 20000);
		assert.equal(listed, 0, 'still no polling of the list');
	});
});

test('a row rebuilt by the stream keeps the keyboard focus on its button, and a dialog closing returns it there', async () => {
	await agentAndVisitor(async (A, V) => {
		await V.page.goto(sitePage('kettle.html', 'Iron kettle', tracked), { waitUntil: 'load' });
		await row(A.page, 'Iron kettle').waitFor();
		const focused = () => A.page.evaluate(() => {
			const f = document.activeElement;
			return f && f.closest('tr') ? `${f.closest('tr').textContent.includes('Teapot') ? 'Teapot' : '?'} ${f.className}` : f.tagName;
		});
		await focusOn(A.page, row(A.page, 'Iron kettle').locator('.vis-invite-btn'));
		// The visitor moves on: the stream rebuilds their row (at the top of the list).
		await V.page.evaluate(() => window.kefu('page', { url: '/teapot', title: 'Teapot' }));
		await until('the row on the teapot', async () => (await row(A.page, 'Teapot').count()) === 1);
		assert.equal(await focused(), 'Teapot wb-btn wb-primary vis-invite-btn');
		// The profile opened from the row; the row is rebuilt meanwhile; Escape returns to its new button.
		await row(A.page, 'Teapot').locator('.vis-profile-btn').click();
		await A.page.locator('#vis-profile .vis-step').first().waitFor();
		await V.page.evaluate(() => window.kefu('page', { url: '/teapot?colour=black', title: 'Teapot' }));
		await until('the row rebuilt', async () => (await row(A.page, 'Teapot').locator('.vis-c-pages').innerText()) === '3');
		await A.page.keyboard.press('Escape');
		await A.page.locator('#vis-profile').waitFor({ state: 'hidden' });
		// The dialog's "close" event, which puts the focus on the new button, is a task of its own after Escape.
		await until('the focus back on the new profile button', async () => (await focused()) === 'Teapot wb-btn vis-profile-btn', 2000);
	});
});

test("an agent's invitation opens the widget with it; the answer starts a conversation with the inviting agent", async () => {
	await agentAndVisitor(async (A, V) => {
		await V.page.goto(sitePage('cups.html', 'Tea cup set', tracked), { waitUntil: 'load' });
		const r = row(A.page, 'Tea cup set');
		await r.waitFor();
		assert.equal(await V.page.locator('#kefu-widget .p').isVisible(), false, 'the panel waits closed');

		// Invite with a canned reply: "/tea" and Enter in the invitation's text.
		await r.locator('.vis-invite-btn').click();
		const text = A.page.locator('#vis-invite-text');
		await text.waitFor();
		await assertAccessible(A.page, 'the invitation dialog');
		await text.pressSequentially('/tea');
		await A.page.locator('#vis-canned [data-shortcut="tea"]').waitFor();
		await text.press('Enter');
		assert.equal(await text.inputValue(), 'Our spring tea has just arrived. May I help you choose?');
		const sent = Date.now();
		await A.page.locator('#vis-invite-send').click();

		// The visitor's parked poll brings it: the panel opens with the agent's message.
		await V.page.locator('#kefu-widget .p').waitFor({ state: 'visible', timeout: 5000 });
		const inv = widget(V.page).locator('.k-invite');
		await inv.waitFor();
		const took = Date.now() - sent;
		assert.match(await inv.innerText(), /Li Lei[\s\S]*Our spring tea has just arrived/);
		// The visitor did not ask for it: the focus stays on their page.
		await V.page.waitForTimeout(300);
		assert.equal(await V.page.evaluate(() => document.activeElement === document.body), true, 'the focus stays on the page');
		await until('invited in the list', async () => /Invited/.test(await r.locator('.vis-c-status').innerText()));
		assert.equal(await r.locator('.vis-invite-btn').isDisabled(), true, 'no second invitation while one is out');
		await shot(V.page, 'visitors-widget-invitation-1440-en');
		await shot(A.page, 'visitors-invited-1440-en');
		assert.ok(took < 5000, `the invitation took ${took} ms`);

		// The answer: a conversation with Li Lei, not Han Mei.
		await widget(V.page).locator('.k-text').fill('Yes please, which tea is best cold?');
		await widget(V.page).locator('.k-text').press('Enter');
		await widget(V.page).locator('.k-visitor .k-bubble', { hasText: 'which tea is best cold' }).waitFor();
		await until('in a conversation in the list', async () => /In a conversation/.test(await r.locator('.vis-c-status').innerText()));
		const mine = await until('the conversation in my list', async () => {
			const l = await agent.get('/api/v1/agent/conversations');
			return l.json.groups.flatMap((g) => g.conversations).find((c) => c.visitor && c.last_message);
		});
		const conv = await agent.get(`/api/v1/agent/conversations/${mine.id}`);
		assert.equal(conv.json.agent.id, agent.id, 'assigned to the inviting agent');
		const theirs = await other.get('/api/v1/agent/conversations');
		assert.equal(theirs.json.groups.flatMap((g) => g.conversations).length, 0, 'not to the other agent');

		// The conversation's header opens the same profile.
		await A.page.locator('#vis-toggle').click();
		await A.page.locator('.wb-item').first().click();
		await A.page.locator('#vis-conv-profile').click();
		await A.page.locator('#vis-profile .vis-step', { hasText: 'Tea cup set' }).waitFor();
		await A.page.locator('#vis-profile .vis-conv').first().waitFor();
		await A.page.keyboard.press('Escape');
	});
});

test('on a phone the invitation is a small bubble; dismissing it is recorded', async () => {
	const V = await newPage(browser, { locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, userAgent: IPHONE });
	try {
		await V.page.goto(sitePage('board.html', 'Bamboo board', tracked), { waitUntil: 'load' });
		const live = await until('the phone visitor live', async () => {
			const l = await agent.get('/api/v1/agent/visitors/live');
			return l.json.items.find((x) => x.page && x.page.title === 'Bamboo board');
		});
		assert.equal(live.device, 'mobile');
		const inv = await agent.post(`/api/v1/agent/visitors/${live.visitor_id}/invite`, { text: 'Free engraving today!' });
		assert.equal(inv.status, 201, inv.text);
		const bubble = V.page.locator('#kefu-widget .ib');
		await bubble.waitFor({ state: 'visible', timeout: 5000 });
		assert.match(await bubble.innerText(), /Li Lei[\s\S]*Free engraving today!/);
		assert.equal(await V.page.locator('#kefu-widget .p').isVisible(), false, 'the page stays usable');
		await assertAccessible(V.page, 'the invitation bubble');
		await shot(V.page, 'visitors-widget-bubble-390-en');
		await bubble.getByRole('button', { name: 'Dismiss' }).click();
		await bubble.waitFor({ state: 'hidden' });
		await until('dismissed', async () => {
			const p = await agent.get(`/api/v1/agent/visitors/${live.visitor_id}`);
			return p.json.invitation && p.json.invitation.status === 'dismissed';
		});
		// Tapping the bubble instead opens the panel with the message.
		const again = await agent.post(`/api/v1/agent/visitors/${live.visitor_id}/invite`, { text: 'Or a gift box?' });
		assert.equal(again.status, 201, again.text);
		await bubble.waitFor({ state: 'visible' });
		await bubble.locator('.it').click();
		await V.page.locator('#kefu-widget .p').waitFor({ state: 'visible' });
		await widget(V.page).locator('.k-invite', { hasText: 'Or a gift box?' }).waitFor();
	} finally {
		await V.context.close();
	}
});

test('a proactive trigger fires in the widget', async () => {
	const tr = await api('POST', `/api/v1/admin/channels/${tracked.id}/triggers`, { key: T.apiKey, body: {
		name: 'Pricing help', enabled: true, after_seconds: 1, once_per_hours: 24, text: 'Questions about our prices?',
		match: { all: [{ field: 'page.url', op: 'contains', value: '/pricing' }] } } });
	assert.equal(tr.status, 201, tr.text);
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		await V.page.goto(sitePage('pricing.html', 'Pricing', tracked), { waitUntil: 'load' });
		await V.page.locator('#kefu-widget .p').waitFor({ state: 'visible', timeout: 8000 });
		const inv = widget(V.page).locator('.k-invite');
		await inv.waitFor();
		assert.match(await inv.innerText(), /Tea shop[\s\S]*Questions about our prices\?/);
		await assertAccessible(V.page, 'the trigger invitation');
	} finally {
		await V.context.close();
		await api('DELETE', `/api/v1/admin/channels/${tracked.id}/triggers/${tr.json.id}`, { key: T.apiKey });
	}
});

test('tracking off: the loader sends nothing beyond its usual calls; tracking on: the page view and the poll', async () => {
	const calls = async (ch, path, title) => {
		const V = await newPage(browser, { locale: 'en-US' });
		const seen = [];
		V.page.on('request', (q) => { if (q.url().startsWith(KEFU_URL)) seen.push(`${q.method()} ${q.url().slice(KEFU_URL.length).split('?')[0]}`); });
		try {
			await V.page.goto(sitePage(path, title, ch), { waitUntil: 'load' });
			await V.page.locator('#kefu-widget button').first().waitFor();
			await V.page.waitForTimeout(3000);
			await V.page.evaluate(() => window.kefu('page', { url: '/elsewhere', title: 'Elsewhere' }));
			await V.page.waitForTimeout(1000);
			return seen;
		} finally {
			await V.context.close();
		}
	};
	const off = await calls(quiet, 'quiet.html', 'Quiet');
	assert.deepEqual(off, ['GET /static/widget/loader.js', `GET /api/v1/widget/channels/${quiet.key}`],
		'with tracking off: the loader and its channel, nothing else');
	const on = await calls(tracked, 'busy.html', 'Busy');
	for (const want of [`GET /widget/frame/${tracked.key}`, `POST /api/v1/widget/channels/${tracked.key}/visitors`,
		'POST /api/v1/widget/visitors/me/pageviews', 'GET /api/v1/widget/visitors/me/events'])
		assert.ok(on.includes(want), `with tracking on: ${want} (saw ${on.join(', ')})`);
	assert.equal(on.filter((x) => x === 'POST /api/v1/widget/visitors/me/pageviews').length, 2, 'the page and the SPA navigation');
});

test('screenshots: the Visitors view and the profile at 1440, 768 and 390 in zh-CN and en', async () => {
	const V1 = await newPage(browser, { locale: 'zh-CN' });
	const V2 = await newPage(browser, { locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, userAgent: IPHONE });
	try {
		await V1.page.goto(sitePage('tea.html', '龙井绿茶 Longjing tea', tracked), { waitUntil: 'load' });
		await V2.page.goto(sitePage('gift.html', 'Gift boxes', tracked), { waitUntil: 'load' });
		for (const [lang, locale] of [['en', 'en-US'], ['zh-CN', 'zh-CN']])
			for (const [w, h] of [[1440, 900], [768, 1024], [390, 844]]) {
				const A = await workbench(agent, { locale, viewport: { width: w, height: h } });
				try {
					await row(A.page, 'Gift boxes').waitFor();
					await row(A.page, 'Longjing').waitFor();
					// Time on the page in the agent's language (45s / 45 秒).
					const onPage = await row(A.page, 'Gift boxes').locator('.vis-since').innerText();
					assert.match(onPage, lang === 'en' ? /^\d+[smh]( \d+[sm])?$/ : /^\d+ (秒|分钟|分 \d+ 秒|小时 \d+ 分)$/);
					await shot(A.page, `visitors-list-${w}-${lang}`);
					await row(A.page, 'Gift boxes').locator('.vis-profile-btn').click();
					await A.page.locator('#vis-profile .vis-step').first().waitFor();
					await assertAccessible(A.page, `the profile at ${w} (${lang})`);
					await shot(A.page, `visitors-profile-${w}-${lang}`);
					// Keyboard: Escape closes the dialog and the focus goes back to the button that opened it.
					// The live list may rebuild the row meanwhile; the "close" event's task finds its new button.
					await A.page.keyboard.press('Escape');
					await until('the focus back on the profile button', () => A.page.evaluate(() => document.activeElement.classList.contains('vis-profile-btn')), 2000);
					await focusOn(A.page, row(A.page, 'Gift boxes').locator('.vis-invite-btn'));
					await A.page.keyboard.press('Enter');
					await A.page.locator('#vis-invite-text').waitFor();
					assert.equal(await A.page.evaluate(() => document.activeElement.id), 'vis-invite-text');
					await shot(A.page, `visitors-invite-${w}-${lang}`);
					await A.page.keyboard.press('Escape');
				} finally {
					await A.context.close();
				}
			}
	} finally {
		await V1.context.close();
		await V2.context.close();
	}
});

test('console: the tracking switch says what it records; a trigger built without JSON, with its sentence', async () => {
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Console shop', allowed_origins: [SITE] } });
	assert.equal(ch.status, 201, ch.text);
	assert.equal(ch.json.tracking, false, 'off for a new channel');
	for (const [lang, locale] of [['en', 'en-US'], ['zh-CN', 'zh-CN']]) {
		const { context, page } = await newPage(browser, { locale, viewport: { width: 1440, height: 1000 } });
		try {
			await context.addCookies([{ name: 'kefu_session', value: admin.cookies.get('kefu_session'), url: KEFU_URL }]);
			if (lang === 'en') {
				await page.goto(`${KEFU_URL}/console/channels/${ch.json.id}`, { waitUntil: 'load' });
				const sw = page.getByLabel('Track visitors on this channel');
				assert.equal(await sw.isChecked(), false);
				assert.match(await page.locator('#tracking-hint').innerText(), /each page a visitor views.*User-Agent/s);
				await sw.check();
				await page.locator('#channel-form button[type=submit]').click();
				await page.waitForURL(/saved=1/);
				assert.equal((await api('GET', `/api/v1/admin/channels/${ch.json.id}`, { key: T.apiKey })).json.tracking, true);
				assert.equal(await page.getByLabel('Track visitors on this channel').isChecked(), true);
				await page.locator('#triggers-link').click();
				await page.waitForURL(/\/triggers$/);
			} else
				await page.goto(`${KEFU_URL}/console/channels/${ch.json.id}/triggers`, { waitUntil: 'load' });
			assert.equal(await page.locator('#tracking-off').count(), 0, 'no warning: tracking is on');
			const form = page.locator('#trigger-form');
			await form.locator('input[name=name]').fill(lang === 'en' ? 'Pricing help' : '价格咨询');
			await form.locator('.cb-add').click();
			const cond = form.locator('.cb-cond').first();
			await cond.locator('.cb-field').selectOption({ index: 0 }); // the page's address
			await cond.locator('.cb-op').selectOption('contains');
			await cond.locator('.cb-val').fill('/pricing');
			await form.locator('.cb-add').click();
			const second = form.locator('.cb-cond').nth(1);
			await second.locator('.cb-field').selectOption({ index: 3 }); // pages viewed
			await second.locator('.cb-op').selectOption('gte');
			await second.locator('.cb-val').fill('2');
			await form.locator('input[name=after_seconds]').fill('15');
			await form.locator('textarea[name=text]').fill(lang === 'en' ? 'Questions about our prices?' : '对价格有疑问吗？');
			await form.locator('input[name=once_per_hours]').fill('12');
			const sentence = page.locator('#trigger-preview');
			if (lang === 'en')
				await until('the sentence', async () => (await sentence.innerText()) ===
					'When a visitor is on a page where Page address contains “/pricing” and Pages viewed is at least 2, after 15 seconds on that page the chat opens with “Questions about our prices?”. At most once every 12 hours per visitor, and only while an agent of this channel is online.');
			else
				await until('the sentence', async () => /页面地址 包含 “\/pricing”，且 已浏览页数 至少为 2/.test(await sentence.innerText()) &&
					/停留 15 秒后/.test(await sentence.innerText()));
			// No JSON anywhere on the page a manager sees.
			assert.doesNotMatch(await page.locator('body').innerText(), /[{[]"|"all"/);
			await shot(page, `visitors-console-trigger-form-1440-${lang}`);
			await form.locator('button[type=submit]').click();
			await page.waitForURL(/saved=1/);
			const row = page.locator('#triggers tbody tr', { hasText: lang === 'en' ? 'Pricing help' : '价格咨询' });
			assert.match(await row.locator('.trigger-sentence').innerText(), lang === 'en' ? /Page address contains “\/pricing”/ : /页面地址 包含/);
			assert.doesNotMatch(await page.locator('body').innerText(), /[{[]"|"all"/);
			await shot(page, `visitors-console-triggers-1440-${lang}`);
			for (const w of [768, 390]) {
				await page.setViewportSize({ width: w, height: 1000 });
				await assertAccessible(page, `the triggers page at ${w}`);
				await shot(page, `visitors-console-triggers-${w}-${lang}`);
			}
		} finally {
			await context.close();
		}
	}
	const list = await api('GET', `/api/v1/admin/channels/${ch.json.id}/triggers`, { key: T.apiKey });
	const t = list.json.items.find((x) => x.name === 'Pricing help');
	assert.deepEqual(t.match, { all: [{ field: 'page.url', op: 'contains', value: '/pricing' }, { field: 'visitor.pages_viewed', op: 'gte', value: 2 }] });
	assert.equal(t.after_seconds, 15);
	assert.equal(t.once_per_hours, 12);
	assert.equal(t.enabled, true);
});

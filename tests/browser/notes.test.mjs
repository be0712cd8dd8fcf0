// tests/browser/notes.test.mjs: the workbench's internal notes (staff only), tags, visitor facts in the header, image lightbox, file-type icons and the search of the agent's own history, in Chromium, in English and Chinese, at 1440, 768 and 390 px; the console's history filtered by tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newTenant, newAgent, Session } from '../lib/kefu.mjs';
import { launch, newPage, shot, assertAccessible } from '../lib/browser.mjs';
import { png } from '../lib/png.mjs';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
let browser, T, channel, agent, admin;

// A small real PNG: one hue, green along x, blue along y.
const huePng = (w, h, hue) => png(w, h, (x, y) => [hue, (x * 255 / w) | 0, (y * 255 / h) | 0]);

async function upload(id, headers, bytes, name, type) {
	const fd = new FormData();
	fd.append('file', new Blob([bytes], { type }), name);
	const r = await api('POST', `/api/v1/widget/conversations/${id}/attachments`, { headers, body: fd });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

// A visitor on an iPhone who came from a search engine, with a conversation holding text, two images and a PDF.
async function visitorWithConversation(text, files = true) {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, {
		headers: { 'user-agent': IPHONE },
		body: { page_url: 'https://shop.example/cart?step=2', referrer: 'https://www.baidu.com/s?wd=shoes', locale: 'zh-CN' },
	});
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = (await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } })).json;
	assert.equal(c.agent.id, agent.id);
	await api('POST', `/api/v1/widget/conversations/${c.id}/messages`, { headers, body: { kind: 'text', text } });
	if (files) {
		await upload(c.id, headers, huePng(320, 200, 40), 'broken-box.png', 'image/png');
		await upload(c.id, headers, huePng(200, 320, 200), 'label.png', 'image/png');
		await upload(c.id, headers, Buffer.from('%PDF-1.4\n% invoice\n'), 'invoice-4711.pdf', 'application/pdf');
	}
	return { id: c.id, headers };
}

async function workbench(locale, viewport) {
	const { context, page } = await newPage(browser, { locale, viewport });
	await context.addCookies([{ name: 'kefu_session', value: agent.cookies.get('kefu_session'), url: KEFU_URL }]);
	await page.goto(`${KEFU_URL}/workbench`, { waitUntil: 'load' });
	await page.locator('#wb-status').waitFor();
	return { context, page };
}

async function open(page, id, files = true) {
	await page.locator(`[data-id="${id}"]`).first().click();
	await page.locator('#wb-facts .wb-fact').first().waitFor();
	if (files)
		await page.locator('.wb-fileicon').first().waitFor();
}

before(async () => {
	browser = await launch();
	T = newTenant('notes-ui');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [] } })).json;
	agent = await newAgent(T, 'Lin Notes', 'online');
	admin = await Session.login(T.adminLogin, T.adminPassword);
});
after(async () => { await browser?.close(); });

test('notes, tags, facts, lightbox and file icons in the workbench (English, 1440 px)', async () => {
	const c = await visitorWithConversation('My parcel arrived broken, I want a refund');
	const { context, page } = await workbench('en-US', { width: 1440, height: 900 });
	await open(page, c.id);

	// Visitor facts under the header.
	const facts = await page.locator('#wb-facts .wb-fact').allTextContents();
	assert.ok(facts.includes('Safari 17 · iOS'), facts.join(' | '));
	assert.ok(facts.includes('Phone'), facts.join(' | '));
	assert.ok(facts.includes('Language: zh-CN'), facts.join(' | '));
	assert.ok(facts.includes('From www.baidu.com'), facts.join(' | '));
	assert.ok(facts.some((f) => /^On \/cart\?step=2 · (under a minute|\d+ min)$/.test(f)), facts.join(' | '));
	assert.ok(facts.includes('New visitor') && facts.some((f) => f.startsWith('Guest')), facts.join(' | '));

	// File-type icon for the PDF; the images are links to the lightbox.
	const icon = page.locator('.wb-file .wb-fileicon');
	assert.equal(await icon.getAttribute('data-kind'), 'pdf');
	assert.equal(await icon.textContent(), 'PDF');
	assert.equal(await page.locator('.wb-file .wb-file-name').textContent(), 'invoice-4711.pdf');

	// An internal note: the composer's note mode; it appears among the messages, marked, and not as a message.
	await page.getByRole('button', { name: 'Internal note' }).click();
	assert.equal(await page.locator('#wb-mode-note').getAttribute('aria-pressed'), 'true');
	assert.equal(await page.locator('#wb-text').getAttribute('placeholder'), 'Internal note: only your team sees it, never the visitor');
	await page.locator('#wb-text').fill('Reseller 4711: check the contract before refunding');
	await page.locator('#wb-text').press('Enter');
	const note = page.locator('.wb-internal');
	await note.waitFor();
	assert.equal(await note.locator('.wb-internal-text').textContent(), 'Reseller 4711: check the contract before refunding');
	assert.match(await note.locator('.wb-internal-head').textContent(), /^Internal note · Lin Notes · /);
	assert.equal(await page.locator('#wb-mode-reply').getAttribute('aria-pressed'), 'true', 'back to replying after the note');
	assert.equal(await page.locator('.wb-msg.wb-agent').count(), 0, 'no message was sent');
	// A reply after the note comes after it; a reload shows the note at its place among the messages.
	await page.locator('#wb-text').fill('Sorry to hear that, we will sort it out');
	await page.locator('#wb-text').press('Enter');
	await page.locator('.wb-msg.wb-agent').waitFor();
	const order = async () => page.locator('#wb-messages > li').evaluateAll((ls) => ls.map((l) => l.classList.contains('wb-internal') ? 'note' : l.classList.contains('wb-agent') ? 'agent' : l.classList.contains('wb-visitor') ? 'visitor' : 'other'));
	const before = await order();
	assert.deepEqual(before.filter((x) => x !== 'other').slice(-2), ['note', 'agent'], before.join(','));
	// The visitor sees none of it.
	const ev = await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers });
	assert.ok(ev.text.includes('Sorry to hear that') && !ev.text.includes('Reseller 4711'));

	// Tags: add two (one new to the team), remove one.
	await page.getByRole('button', { name: '+ Tag' }).click();
	await page.getByLabel('Tag name').fill('Damaged');
	await page.getByLabel('Tag name').press('Enter');
	await page.locator('#wb-tags .wb-tag', { hasText: 'Damaged' }).waitFor();
	await page.getByRole('button', { name: '+ Tag' }).click();
	await page.getByLabel('Tag name').fill('Refund');
	await page.getByRole('button', { name: 'Add', exact: true }).click();
	await page.locator('#wb-tags .wb-tag', { hasText: 'Refund' }).waitFor();
	await page.getByRole('button', { name: '+ Tag' }).click();
	await page.getByLabel('Tag name').fill('Wrong size');
	await page.getByLabel('Tag name').press('Enter');
	await page.getByRole('button', { name: 'Remove tag Wrong size' }).click();
	await page.locator('#wb-tags .wb-tag', { hasText: 'Wrong size' }).waitFor({ state: 'detached' });
	assert.deepEqual((await agent.get(`/api/v1/agent/conversations/${c.id}/tags`)).json.items.map((t) => t.name), ['Damaged', 'Refund']);
	// The conversation's item in the list shows them too.
	assert.deepEqual(await page.locator(`.wb-item[data-id="${c.id}"] .wb-item-tags .wb-tag`).allTextContents(), ['Damaged', 'Refund']);
	await assertAccessible(page, 'workbench with notes, tags and facts');
	await shot(page, 'notes-workbench-1440');

	// The lightbox: the first image, then the next by arrow key, closed by Escape with the focus back.
	await page.locator('img.wb-img').first().click();
	const box = page.locator('#wb-lightbox');
	await box.waitFor({ state: 'visible' });
	assert.equal(await page.locator('#wb-lightbox-img').getAttribute('alt'), 'broken-box.png');
	assert.ok(await page.locator('#wb-lightbox-img').evaluate((i) => i.complete && i.naturalWidth === 320));
	assert.equal(await page.locator('.wb-lightbox-prev').isDisabled(), true);
	await assertAccessible(page, 'the lightbox');
	await shot(page, 'notes-lightbox-1440');
	await page.keyboard.press('ArrowRight');
	assert.equal(await page.locator('#wb-lightbox-img').getAttribute('alt'), 'label.png');
	assert.equal(await page.locator('.wb-lightbox-next').isDisabled(), true);
	await page.keyboard.press('Escape');
	await box.waitFor({ state: 'hidden' });
	assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.tagName), 'A', 'the focus is back on the image link');

	await page.reload({ waitUntil: 'load' });
	assert.deepEqual(await page.locator(`.wb-item[data-id="${c.id}"] .wb-item-tags .wb-tag`).allTextContents(), ['Damaged', 'Refund'], 'from the list\'s answer after a reload');
	await open(page, c.id);
	await page.locator('.wb-internal').waitFor();
	const after = await order();
	assert.deepEqual(after.filter((x) => x !== 'other').slice(-2), ['note', 'agent'], after.join(','));
	// (the reload aborts the long-poll it interrupted: not an error of the page)
	assert.deepEqual(page.kefuErrors.filter((e) => !/net::ERR_ABORTED/.test(e)), []);
	await context.close();
});

test('own history search from the workbench, and the console\'s history by tag', async () => {
	const c = await visitorWithConversation('The zipper of my jacket 8841 broke', false);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.id}/tags`, { name: 'Zipper' })).status, 201);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.id}/notes`, { text: 'Sent a new zipper 8841' })).status, 201);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.id}/close`, {})).status, 200);
	const { context, page } = await workbench('en-US', { width: 1440, height: 900 });
	await page.getByRole('searchbox', { name: 'Search my conversations' }).fill('8841');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	const hit = page.locator('.wb-hist-open');
	await hit.first().waitFor();
	assert.equal(await hit.count(), 1);
	assert.match(await hit.textContent(), /The zipper of my jacket 8841 broke/);
	assert.equal(await hit.locator('.wb-tag').textContent(), 'Zipper');
	await hit.click();
	await page.locator('#wb-closed').waitFor({ state: 'visible' });
	await page.locator('.wb-internal', { hasText: 'Sent a new zipper 8841' }).waitFor();
	await page.locator('#wb-tags .wb-tag', { hasText: 'Zipper' }).waitFor();
	await assertAccessible(page, 'workbench with a past conversation open');
	await shot(page, 'notes-history-search-1440');
	// By tag only.
	await page.getByRole('searchbox', { name: 'Search my conversations' }).fill('');
	await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'Zipper' });
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page.locator('.wb-hist-open').first().waitFor();
	assert.equal(await page.locator('.wb-hist-open').count(), 1);
	await page.getByRole('button', { name: 'Clear' }).click();
	assert.equal(await page.locator('.wb-hist-open').count(), 0);
	await context.close();

	// The console's history page: a tag filter and a tags column.
	const tags = (await api('GET', '/api/v1/admin/tags', { key: T.apiKey })).json.items;
	const zipper = tags.find((t) => t.name === 'Zipper');
	const con = await newPage(browser, { locale: 'en-US', viewport: { width: 1440, height: 900 } });
	await con.context.addCookies([{ name: 'kefu_session', value: admin.cookies.get('kefu_session'), url: KEFU_URL }]);
	await con.page.goto(`${KEFU_URL}/console/history?status=&tag_id=${zipper.id}`, { waitUntil: 'load' });
	const rows = con.page.locator('#history tbody tr');
	assert.equal(await rows.count(), 1);
	assert.equal(await rows.first().locator('.tag-chip').textContent(), 'Zipper');
	assert.equal(await con.page.getByLabel('Tag').inputValue(), String(zipper.id));
	await shot(con.page, 'notes-console-history-1440');
	await con.context.close();
});

test('Chinese, tablet and phone: the same tools in 中文 at 768 and 390 px', async () => {
	const c = await visitorWithConversation('快递盒子破了，我要退款');
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.id}/notes`, { text: '老客户，优先处理' })).status, 201);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.id}/tags`, { name: '退款' })).status, 201);
	for (const [w, h] of [[768, 1024], [390, 844]]) {
		const { context, page } = await workbench('zh-CN', { width: w, height: h });
		await open(page, c.id);
		const facts = await page.locator('#wb-facts .wb-fact').allTextContents();
		assert.ok(facts.includes('手机') && facts.includes('来自 www.baidu.com') && facts.includes('语言：zh-CN'), facts.join(' | '));
		assert.ok(facts.includes('新访客') || facts.some((f) => f.startsWith('回访')), facts.join(' | '));
		await page.locator('.wb-internal', { hasText: '老客户，优先处理' }).waitFor();
		assert.match(await page.locator('.wb-internal-head').first().textContent(), /^内部备注 · Lin Notes/);
		await page.locator('#wb-tags .wb-tag', { hasText: '退款' }).waitFor();
		assert.equal(await page.locator('#wb-mode-note').textContent(), '内部备注');
		await page.locator('#wb-mode-note').click();
		assert.equal(await page.locator('#wb-text').getAttribute('placeholder'), '内部备注：仅团队成员可见，访客看不到');
		assert.equal(await page.locator('#wb-send').textContent(), '添加备注');
		assert.equal(await page.locator('.wb-fileicon-pdf').textContent(), 'PDF');
		// Nothing is wider than the screen.
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `page wider than ${w} px by ${overflow}`);
		await assertAccessible(page, `workbench zh-CN ${w}`);
		await shot(page, `notes-workbench-zh-${w}`);
		if (w === 390) {
			await page.locator('img.wb-img').first().click();
			await page.locator('#wb-lightbox').waitFor({ state: 'visible' });
			assert.equal(await page.locator('#wb-lightbox-close').getAttribute('aria-label'), '关闭');
			await shot(page, 'notes-lightbox-390');
			await page.keyboard.press('Escape');
		}
		assert.deepEqual(page.kefuErrors, []);
		await context.close();
	}
});

test('the console\'s tags page: list with counts, a new tag with its colour, delete (en and 中文)', async () => {
	const con = await newPage(browser, { locale: 'en-US', viewport: { width: 1440, height: 900 } });
	await con.context.addCookies([{ name: 'kefu_session', value: admin.cookies.get('kefu_session'), url: KEFU_URL }]);
	const page = con.page;
	await page.goto(`${KEFU_URL}/console/tags`, { waitUntil: 'load' });
	assert.equal(await page.locator('h1').textContent(), 'Conversation tags');
	assert.equal(await page.locator('nav a[aria-current="page"]').textContent(), 'Tags');
	// The tags agents added in the workbench are here, with their conversation counts linking to history.
	const damaged = page.locator('#tags tbody tr', { hasText: 'Damaged' });
	assert.equal(await damaged.locator('a').textContent(), '1');
	await page.getByLabel('Name').fill('Warranty');
	await page.getByLabel('Colour').fill('#15803d');
	await page.getByRole('button', { name: 'Create' }).click();
	await page.waitForURL(/\/console\/tags/);
	const row = page.locator('#tags tbody tr', { hasText: 'Warranty' });
	await row.waitFor();
	assert.equal(await row.locator('circle').getAttribute('fill'), '#15803d');
	// A name taken (case-insensitively) is refused beside the field, keeping what was typed.
	await page.getByLabel('Name').fill('warranty');
	await page.getByRole('button', { name: 'Create' }).click();
	await page.waitForLoadState('load');
	assert.equal(await page.getByLabel('Name').inputValue(), 'warranty');
	assert.equal(await page.locator('#tags tbody tr td:first-child span', { hasText: 'Warranty' }).count(), 1);
	assert.ok((await page.locator('.field-error').first().textContent()).length > 0, 'the reason beside the field');
	await shot(page, 'notes-console-tags-1440');
	page.once('dialog', (d) => d.accept());
	await row.getByRole('button', { name: 'Delete' }).click();
	await row.waitFor({ state: 'detached' });
	await page.setViewportSize({ width: 390, height: 844 });
	await shot(page, 'notes-console-tags-390');
	await con.context.close();
	const zh = await newPage(browser, { locale: 'zh-CN', viewport: { width: 768, height: 1024 } });
	await zh.context.addCookies([{ name: 'kefu_session', value: admin.cookies.get('kefu_session'), url: KEFU_URL }]);
	await zh.page.goto(`${KEFU_URL}/console/tags`, { waitUntil: 'load' });
	assert.equal(await zh.page.locator('h1').textContent(), '会话标签');
	await shot(zh.page, 'notes-console-tags-zh-768');
	await zh.context.close();
});

test('a note and tag changes another staff member makes show live in the agent\'s open conversation, never in the visitor\'s widget stream', async () => {
	const c = await visitorWithConversation('Is my order on its way?', false);
	const { context, page } = await workbench('en-US', { width: 1440, height: 900 });
	await open(page, c.id, false);
	assert.equal(await page.locator('.wb-internal').count(), 0);
	// The admin (a supervisor) writes a note and tags the conversation; the agent does not reload.
	const n = await admin.post(`/api/v1/agent/conversations/${c.id}/notes`, { text: 'Supervisor: offer express shipping' });
	assert.equal(n.status, 201, n.text);
	const note = page.locator(`.wb-internal[data-note-id="${n.json.id}"]`);
	await note.waitFor({ timeout: 5000 });
	assert.equal(await note.locator('.wb-internal-text').textContent(), 'Supervisor: offer express shipping');
	const tag = await admin.post(`/api/v1/agent/conversations/${c.id}/tags`, { name: 'Priority' });
	assert.equal(tag.status, 201, tag.text);
	const chip = page.locator(`#wb-tag-list .wb-tag[data-tag-id="${tag.json.id}"]`);
	await chip.waitFor({ timeout: 5000 });
	// The conversation's item in the list shows it too.
	await page.locator(`.wb-item[data-id="${c.id}"] .wb-item-tags`, { hasText: 'Priority' }).waitFor({ timeout: 5000 });
	await shot(page, 'notes-live-1440-en');
	assert.equal((await admin.delete(`/api/v1/agent/conversations/${c.id}/tags/${tag.json.id}`)).status, 204);
	await chip.waitFor({ state: 'detached', timeout: 5000 });
	assert.equal(await page.locator('.wb-internal').count(), 1, 'the note once, not twice');
	await assertAccessible(page, 'workbench with a live note');
	// The visitor's stream has neither.
	const ev = await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers });
	assert.ok(ev.text.includes('Is my order on its way?'));
	assert.ok(!ev.text.includes('express shipping') && !ev.text.includes('Priority') && !/"type":"(note|tag)"/.test(ev.text));
	await context.close();
});

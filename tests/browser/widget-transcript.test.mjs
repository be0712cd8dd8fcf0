// tests/browser/widget-transcript.test.mjs: after a chat closes, the widget offers to e-mail the transcript: the form (pre-filled with the identity's address), a refused address, the queued mail, and the per-conversation limit as the visitor sees them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newAgent, newTenant, sql } from '../lib/kefu.mjs';
import { launch, newPage, shot } from '../lib/browser.mjs';

let browser, T, channel, agent;

before(async () => {
	browser = await launch();
	T = newTenant('wtranscript');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Transcript shop', allowed_origins: [new URL(KEFU_URL).origin] } })).json;
	agent = await newAgent(T, 'Tina Agent', 'online');
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Support', member_user_ids: [agent.id], member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	const rule = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'Shop', priority: 1, channel_ids: [channel.id], routing: { mode: 'rules', routes: [{ group_id: g.json.id, match: 'all' }] } } });
	assert.equal(rule.status, 201, rule.text);
});
after(async () => { await browser?.close(); });

test('the widget offers the transcript by e-mail after close, pre-filled, and shows the refusal and the limit', async () => {
	const V = await newPage(browser, { locale: 'en-US' });
	try {
		await V.page.goto(`${KEFU_URL}/widget/frame/${channel.key}`, { waitUntil: 'load' });
		await V.page.locator('.k-text').waitFor({ state: 'visible' });
		await V.page.locator('.k-text').fill('Where is parcel 8080?');
		await V.page.locator('.k-text').press('Enter');
		const conv = await V.page.waitForFunction(() => window.kefuWidget && window.kefuWidget.conversation(), null, { polling: 200 }).then((h) => h.jsonValue());
		assert.equal((await agent.post(`/api/v1/agent/conversations/${conv}/messages`, { kind: 'text', text: 'On its way, arrives Monday' })).status, 201);
		// What an identified visitor's registration answer says (the server side is in tests/integration/mail.test.mjs).
		await V.page.evaluate(() => document.dispatchEvent(new CustomEvent('kefu:visitor', { detail: { email: 'fang@kefu.test' } })));
		assert.equal((await agent.post(`/api/v1/agent/conversations/${conv}/close`, {})).status, 200);

		const box = V.page.locator('.k-mailt');
		await box.waitFor({ timeout: 10000 });
		await box.getByRole('button', { name: 'E-mail me the transcript' }).click();
		const addr = box.getByLabel('E-mail address');
		assert.equal(await addr.inputValue(), 'fang@kefu.test', 'pre-filled from the identity');
		await addr.fill('not an address');
		await box.getByRole('button', { name: 'Send' }).click();
		await box.locator('.k-mmsg', { hasText: 'Please enter a valid e-mail address' }).waitFor();
		await addr.fill('wang.fang@kefu.test');
		await shot(V.page, 'widget-transcript-form');
		await box.getByRole('button', { name: 'Send' }).click();
		await box.locator('.k-mmsg', { hasText: 'The transcript will be sent to wang.fang@kefu.test' }).waitFor();
		assert.ok(await box.locator('form').isHidden());
		assert.deepEqual(sql(`SELECT to_addr, lang, to_user_id FROM mail_outbox WHERE tenant_id = ${T.id} AND kind = 'transcript' AND ref_id = ${conv}`),
			[['wang.fang@kefu.test', 'en', null]], 'queued once, in the widget\'s language');
		await shot(V.page, 'widget-transcript-sent');

		// Two more from the same visitor (the API, with the widget's token), then the widget's own is refused.
		const token = await V.page.evaluate(() => { for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); if (/token/.test(k)) return JSON.parse(localStorage.getItem(k)); } return null; });
		assert.ok(token, 'the widget keeps its token');
		for (let i = 0; i < 2; i++)
			assert.equal((await api('POST', `/api/v1/widget/conversations/${conv}/transcript-email`, { headers: { 'x-visitor-token': token }, body: { email: 'wang.fang@kefu.test' } })).status, 202);
		await V.page.evaluate(() => { const f = document.querySelector('.k-mailt form'); f.hidden = false; f.querySelector('button').disabled = false; });
		await box.getByRole('button', { name: 'Send' }).click();
		await box.locator('.k-mmsg', { hasText: 'This transcript was sent too often already' }).waitFor();
		assert.equal(sql(`SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = ${T.id} AND kind = 'transcript' AND ref_id = ${conv}`)[0][0], '3');
		assert.deepEqual(V.page.kefuErrors.filter((e) => !/status of (400|429)/.test(e)), []);
	} finally {
		await V.context.close();
	}
});

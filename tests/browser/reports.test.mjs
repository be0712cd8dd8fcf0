// tests/browser/reports.test.mjs: the console's Reports section in Chromium at 1440 and 390 px: every page draws its charts (server-laid-out SVG) and tables, passes the axe audit, shows the Reports API's numbers, links CSV that answers, and prints without the console around it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KEFU_URL, api, newAgent, newTenant, unique } from '../lib/kefu.mjs';
import { launch, newPage, shot } from '../lib/browser.mjs';

let browser, T, A, B, G, ch;
const agents = new Map();

async function ok(p) {
	const r = await p;
	assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
	return r.json;
}
const adminPost = (path, body) => ok(api('POST', path, { key: T.apiKey, body }));

async function visitor() {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'en' } });
	assert.ok(r.status === 201 || r.status === 200, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	return (m, p, body) => api(m, '/api/v1/widget' + p, { body, headers });
}

async function start(v) {
	const r = await v('POST', '/conversations', { channel_key: ch.key, prechat: {}, group_id: G.id });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

/** A conversation served to the end: the visitor asks, its agent answers and closes, the visitor rates. */
async function served(score, comment) {
	const v = await visitor();
	const c = await start(v);
	assert.equal(c.status, 'assigned');
	const s = agents.get(c.agent.id);
	await ok(v('POST', `/conversations/${c.id}/messages`, { kind: 'text', text: 'hello' }));
	await ok(s.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'how can I help?' }));
	await ok(s.post(`/api/v1/agent/conversations/${c.id}/close`, {}));
	await ok(v('POST', `/conversations/${c.id}/rating`, { score, comment }));
}

before(async () => {
	browser = await launch();
	T = newTenant('reports-ui');
	A = await newAgent(T, 'Alice Report', 'online');
	B = await newAgent(T, 'Bob Report', 'online');
	agents.set(A.id, A).set(B.id, B);
	G = await adminPost('/api/v1/admin/groups', { name: unique('Sales'), member_user_ids: [A.id, B.id], member_department_ids: [] });
	ch = await adminPost('/api/v1/admin/channels', { name: unique('Web'), allowed_origins: [] });
	await adminPost('/api/v1/admin/rules', {
		name: unique('rule'), priority: 1, channel_ids: [ch.id], max_concurrent: 1,
		routing: { mode: 'visitor_choice', choice_group_ids: [G.id] },
		messages: { all_offline: { enabled: true, text: 'All offline' } },
		leave_message: { enabled: true, fields: [{ name: 'name', label: 'Name', type: 'text', required: true }] },
	});
	await served(5, 'Very helpful, thanks');
	await served(2, 'Too slow');
	await served(4);
	// Both agents busy (and staying so): a third visitor queues and leaves (missed); a fourth still waits.
	const v1 = await visitor(), v2 = await visitor(), v3 = await visitor(), v4 = await visitor();
	const c1 = await start(v1), c2 = await start(v2), c3 = await start(v3);
	assert.equal(c3.status, 'queued');
	await ok(v3('POST', `/conversations/${c3.id}/close`, {}));
	const c4 = await start(v4);
	assert.equal(c4.status, 'queued');
	assert.deepEqual([c1.status, c2.status], ['assigned', 'assigned']);
	// Everyone away: the next one is offline and leaves a message.
	await ok(A.put('/api/v1/agent/status', { status: 'away' }));
	await ok(B.put('/api/v1/agent/status', { status: 'offline' }));
	const v5 = await visitor();
	assert.equal((await start(v5)).status, 'offline');
	assert.equal((await v5('POST', `/channels/${ch.key}/leave-messages`, { fields: { name: 'Zoe' } })).status, 201);
});
after(async () => { await browser?.close(); });

async function report(name, q = '') {
	return ok(api('GET', `/api/v1/reports/${name}${q}`, { key: T.apiKey }));
}
const num = (s) => Number(String(s).replace(/[^\d.-]/g, ''));
/** A shown number against the API's: pages print at most three significant digits below 10, one decimal above. */
function near(shown, want, what) {
	if (want === null)
		return assert.equal(shown.trim(), '–', what);
	assert.ok(Math.abs(num(shown) - want) <= Math.max(0.05, Math.abs(want) * 0.005), `${what}: ${shown} vs ${want}`);
}
/** The page's figure: the .num of the stat with that id. */
const figure = (page, id) => page.locator(`#${id} .num`).innerText();
/** A table's body rows as arrays of cell texts. */
const rows = (page, sel) => page.locator(`${sel} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));

async function login(page) {
	await page.goto(`${KEFU_URL}/login`);
	await page.fill('input[name=login]', T.adminLogin);
	await page.fill('input[name=password]', T.adminPassword);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/console/);
}

test('the reports pages show the API numbers with charts and CSV, at 1440 px', async () => {
	const { page } = await newPage(browser, { locale: 'en-US', viewport: { width: 1440, height: 900 } });
	await login(page);
	const rt = await report('realtime');
	await page.goto(`${KEFU_URL}/console/reports`);
	assert.equal(num(await figure(page, 'rt-waiting')), rt.waiting);
	assert.equal(rt.waiting, 1);
	assert.equal(num(await figure(page, 'rt-live')), rt.live_conversations);
	assert.equal(num(await figure(page, 'rt-online')), rt.agents.online);
	assert.equal(num(await figure(page, 'rt-away')), rt.agents.away);
	const groupRow = (await rows(page, '#rt-groups')).find((r) => r[0] === G.name);
	const apiGroup = rt.by_group.find((g) => g.group.id === G.id);
	assert.deepEqual(groupRow.slice(1).map(Number), [apiGroup.waiting, apiGroup.live, apiGroup.agents_online]);
	assert.equal(await page.locator('#chart-agents-status svg rect.bar').count(), [rt.agents.online, rt.agents.away, rt.agents.offline].filter(Boolean).length);
	await shot(page, 'reports-live-1440');

	// The form's defaults are the API's: the last 7 days in the tenant's zone.
	await page.goto(`${KEFU_URL}/console/reports/volume`);
	const from = await page.inputValue('input[name=from]'), to = await page.inputValue('input[name=to]'), tz = await page.inputValue('input[name=tz]');
	const q = `?from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`;
	const s = await report('summary', q);
	assert.equal(s.conversations, 8);
	for (const [id, v] of [['st-conversations', s.conversations], ['st-assigned', s.assigned], ['st-transfers', s.transfers],
		['st-msg-visitor', s.messages.visitor], ['st-msg-agent', s.messages.agent]])
		assert.equal(num(await figure(page, id)), v, id);
	const days = (await report('timeseries', `${q}&metric=conversations&interval=day`)).points;
	assert.equal(await page.locator('#chart-by-day svg').count(), 1);
	assert.equal(await page.locator('#chart-by-day svg rect.bar').count(), days.filter((p) => p.value > 0).length);
	assert.deepEqual((await rows(page, '#chart-by-day')).map((r) => Number(r[1])), days.map((p) => p.value));
	// The invitations to chat: sent, accepted, dismissed, by agents, by triggers, as the summary counts them.
	const inv = s.invitations;
	assert.deepEqual((await rows(page, '#tb-invitations')).map((r) => Number(r[1])),
		[inv.sent, inv.accepted, inv.dismissed, inv.by_agents, inv.proactive]);
	// The heat map: 7 x 24 cells, adding up to the total.
	assert.equal(await page.locator('#chart-heat svg g rect').count(), 168);
	const heat = (await rows(page, '#chart-heat')).flatMap((r) => r.slice(1).map(Number));
	assert.equal(heat.reduce((a, b) => a + b, 0), s.conversations);
	// Its CSV link is the API's CSV of the same range.
	const href = await page.locator('#chart-by-day a.csv').getAttribute('href');
	const csv = await page.request.get(KEFU_URL + href);
	assert.equal(csv.status(), 200);
	assert.match(csv.headers()['content-type'], /^text\/csv/);
	assert.equal((await csv.text()).trim().split(/\r?\n/).length, days.length + 1);
	await shot(page, 'reports-volume-1440');

	await page.goto(`${KEFU_URL}/console/reports/missed${q}`);
	for (const [id, v] of [['st-missed', s.missed], ['st-offline', s.offline], ['st-out-of-hours', s.out_of_hours], ['st-leave', s.leave_messages]])
		assert.equal(num(await figure(page, id)), v, id);
	assert.deepEqual([s.missed, s.offline, s.leave_messages], [1, 1, 1]);
	await shot(page, 'reports-missed-1440');

	await page.goto(`${KEFU_URL}/console/reports/times${q}`);
	const times = await rows(page, '#times-table');
	for (const [i, st] of [[0, s.wait_seconds], [1, s.first_response_seconds], [2, s.handle_seconds]]) {
		near(times[i][2], st.avg, `row ${i} average`);
		near(times[i][3], st.p50, `row ${i} median`);
		near(times[i][4], st.p90, `row ${i} 90th percentile`);
	}
	assert.equal(await page.locator('#chart-wait-day svg path.line').count(), 1);
	await shot(page, 'reports-times-1440');

	await page.goto(`${KEFU_URL}/console/reports/ratings${q}`);
	assert.equal(num(await figure(page, 'st-csat-count')), s.csat.count);
	near(await figure(page, 'st-csat-avg'), s.csat.avg, 'average rating');
	assert.deepEqual((await rows(page, '#chart-csat-dist')).map((r) => Number(r[1])), [1, 2, 3, 4, 5].map((k) => s.csat.distribution[k]));
	const comments = await rows(page, '#csat-comments');
	assert.deepEqual(comments.map((r) => r[3]).sort(), ['Too slow', 'Very helpful, thanks']);
	await shot(page, 'reports-ratings-1440');

	await page.goto(`${KEFU_URL}/console/reports/agents${q}`);
	const ag = (await report('agents', q)).items;
	const table = await rows(page, '#agents-table');
	for (const who of [A, B]) {
		const j = ag.find((x) => x.agent.id === who.id), r = table.find((x) => x[0] === who.name);
		assert.equal(Number(r[1]), j.conversations, who.name);
		near(r[6], j.csat.avg, `${who.name} average rating`);
		near(r[3], j.first_response_seconds.p50, `${who.name} first response median`);
	}
	assert.equal(ag.find((x) => x.agent.id === A.id).conversations + ag.find((x) => x.agent.id === B.id).conversations, s.assigned);
	await shot(page, 'reports-agents-1440');

	// Per group: the rows (with "no group") add up to the total; each row (all from one read of the range) is the
	// API's summary filtered by that channel or group.
	await page.goto(`${KEFU_URL}/console/reports/channels${q}`);
	const groups = await rows(page, '#groups-table');
	assert.equal(groups.reduce((n, r) => n + Number(r[1]), 0), s.conversations);
	assert.equal(Number((await rows(page, '#channels-table')).find((r) => r[0] === ch.name)[1]), s.conversations);
	for (const [r, filter] of [[(await rows(page, '#channels-table')).find((x) => x[0] === ch.name), `channel_id=${ch.id}`],
		[groups.find((x) => x[0] === G.name), `group_id=${G.id}`], [groups.at(-1), 'group_id=0']]) {
		const j = await report('summary', `${q}&${filter}`);
		assert.deepEqual([Number(r[1]), Number(r[2]), Number(r[3])], [j.conversations, j.missed, j.transfers], filter);
		near(r[4], j.wait_seconds.p50, `${filter} wait median`);
		near(r[5], j.first_response_seconds.p50, `${filter} first response median`);
		near(r[6], j.handle_seconds.p50, `${filter} handle median`);
		near(r[7], j.csat.avg, `${filter} average rating`);
	}
	await shot(page, 'reports-channels-1440');

	// A filter narrows every figure the way the API's does; a bad zone is a field error, not a failure.
	await page.selectOption('select[name=agent_id]', String(A.id));
	await page.click('#report-filters button[type=submit]');
	await page.waitForURL(/agent_id=/);
	await page.goto(`${KEFU_URL}/console/reports/volume${q}&agent_id=${A.id}`);
	assert.equal(num(await figure(page, 'st-conversations')), (await report('summary', `${q}&agent_id=${A.id}`)).conversations);
	await page.goto(`${KEFU_URL}/console/reports/volume?tz=Mars/Olympus`);
	assert.equal(await page.locator('input[name=tz][aria-invalid]').count(), 1);

	// Print: no console around the report, every number of a chart's table shown.
	await page.goto(`${KEFU_URL}/console/reports/volume${q}`);
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.sidebar').isVisible(), false);
	assert.equal(await page.locator('#chart-by-day .chart-numbers').evaluate((e) => getComputedStyle(e).maxHeight), 'none');
	await shot(page, 'reports-volume-print');
	assert.deepEqual(page.kefuErrors, []);
});

test('the reports pages fit a 390 px phone', async () => {
	const { page } = await newPage(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	await login(page);
	for (const name of ['', 'volume', 'missed', 'times', 'ratings', 'agents', 'channels']) {
		await page.goto(`${KEFU_URL}/console/reports${name ? '/' + name : ''}`);
		assert.ok(await page.locator('svg.chart-svg').count() >= 1, `${name || 'live'}: a chart`);
		// Wide tables and the tabs scroll inside their boxes; the page itself does not.
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `${name || 'live'}: the page is ${overflow} px wider than the screen`);
		const box = await page.locator('svg.chart-svg').first().boundingBox();
		assert.ok(box.width <= 390 && box.width > 250, `${name || 'live'}: chart ${box.width} px wide`);
		await shot(page, `reports-${name || 'live'}-390`);
	}
	assert.deepEqual(page.kefuErrors, []);
});

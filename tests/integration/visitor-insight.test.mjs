// tests/integration/visitor-insight.test.mjs: visitor insight (docs/visitor-insight.md): page views with the parsed
// User-Agent, the live list and the agents' stream, the visitor's parked poll and invitations, proactive triggers,
// the tracking switch.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, newAgent, until, sql } from '../lib/kefu.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1';
const WECHAT_ANDROID = 'Mozilla/5.0 (Linux; Android 12; V2049A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220805 Mobile Safari/537.36 MMWEBID/6170 MicroMessenger/8.0.27.2220(0x28001B3B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

async function channel(t, name, tracking = true) {
	const r = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body: { name, allowed_origins: [], tracking } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.tracking, tracking);
	return r.json;
}

// A registered visitor of ch that browses with user agent ua.
async function visitor(ch, ua = CHROME_WIN) {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: { locale: 'zh-CN', referrer: 'https://www.baidu.com/s?wd=kefu' }, headers: { 'user-agent': ua } });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token, 'user-agent': ua };
	return {
		id: r.json.visitor_id,
		view: (url, title, referrer) => api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url, title, referrer } }),
		poll: (after = 0, wait = 25) => api('GET', `/api/v1/widget/visitors/me/events?after=${after}&wait=${wait}`, { headers }),
		leave: () => api('POST', '/api/v1/widget/visitors/me/leave', { headers, body: {} }),
		req: (method, path, body) => api(method, '/api/v1/widget' + path, { headers, body }),
	};
}

// Everything in the agent's stream from after on, within ms, until pred holds for one event.
async function streamUntil(agent, after, pred, ms = 5000) {
	const deadline = Date.now() + ms;
	const seen = [];
	let next = after;
	while (Date.now() < deadline) {
		const r = await agent.get(`/api/v1/agent/events?after=${next}&wait=1`);
		assert.equal(r.status, 200, r.text);
		seen.push(...r.json.events);
		next = r.json.next;
		const hit = r.json.events.find(pred);
		if (hit)
			return { hit, next, seen };
	}
	return { hit: null, next, seen };
}

async function head(agent) {
	const r = await agent.get('/api/v1/agent/events?after=0&wait=0');
	assert.equal(r.status, 200, r.text);
	let next = r.json.next;
	for (;;) {
		const m = await agent.get(`/api/v1/agent/events?after=${next}&wait=0`);
		if (m.json.events.length === 0)
			return m.json.next;
		next = m.json.next;
	}
}

let T, agentA, agentB, shop;

before(async () => {
	T = newTenant('insight');
	shop = await channel(T, 'Shop');
	agentA = await newAgent(T, 'Agent A', 'online');
	agentB = await newAgent(T, 'Agent B', 'online');
});

test('a page view is recorded with the browser, OS and device the User-Agent gives', async () => {
	for (const [ua, browser, os, device] of [[CHROME_WIN, 'Chrome', 'Windows', 'desktop'], [SAFARI_IPHONE, 'Safari', 'iOS', 'mobile'], [WECHAT_ANDROID, 'WeChat', 'Android', 'mobile']]) {
		const v = await visitor(shop, ua);
		const p = await v.view('https://shop.example/products/1', 'Product 1', 'https://shop.example/');
		assert.equal(p.status, 201, p.text);
		assert.ok(p.json.id > 0);
		const g = await agentA.get(`/api/v1/agent/visitors/${v.id}`);
		assert.equal(g.status, 200, g.text);
		assert.equal(g.json.browser.name, browser, ua);
		assert.equal(g.json.os, os, ua);
		assert.equal(g.json.device, device, ua);
		assert.equal(g.json.pages_viewed, 1);
		assert.equal(g.json.page.url, 'https://shop.example/products/1');
		assert.equal(g.json.address, '127.0.0.x'); // masked unless the tenant turns it off
		assert.equal(g.json.pageviews.length, 1);
		assert.equal(g.json.pageviews[0].title, 'Product 1');
		assert.equal(g.json.pageviews[0].seconds, null);
	}
	// the time on a page is the gap to the next view
	const v = await visitor(shop);
	await v.view('https://shop.example/a', 'A');
	await sleep(1100);
	await v.view('https://shop.example/b', 'B');
	const g = await agentA.get(`/api/v1/agent/visitors/${v.id}`);
	assert.deepEqual(g.json.pageviews.map((p) => p.url), ['https://shop.example/b', 'https://shop.example/a']);
	assert.ok(g.json.pageviews[1].seconds >= 1, JSON.stringify(g.json.pageviews));
	assert.equal(g.json.pages_viewed, 2);
	assert.equal(g.json.returning, false);
	assert.equal(g.json.referrer, 'https://www.baidu.com/s?wd=kefu');
	// bad input
	assert.equal(errorCode(await v.view('', 'x')), 'invalid_field');
});

test('the address is masked unless the tenant turns masking off, per tenant, in the list, the profile and the stream', async () => {
	const U = newTenant('unmasked');
	const uch = await channel(U, 'Open');
	const uag = await newAgent(U, 'Unmasked Agent', 'online');
	const put = await api('PUT', '/api/v1/admin/retention', { key: U.apiKey, body: { mask_visitor_address: false } });
	assert.equal(put.status, 200, put.text);
	assert.equal(put.json.mask_visitor_address, false);
	assert.equal(put.json.messages_days, 0); // the periods are kept
	const after = await head(uag);
	const u = await visitor(uch);
	assert.equal((await u.view('https://open.example/', 'Open')).status, 201);
	assert.equal((await uag.get(`/api/v1/agent/visitors/${u.id}`)).json.address, '127.0.0.1');
	const list = await uag.get('/api/v1/agent/visitors/live');
	assert.equal(list.json.items.find((x) => x.visitor_id === u.id).address, '127.0.0.1');
	const heard = await streamUntil(uag, after, (e) => e.type === 'visitor' && e.visitor.visitor_id === u.id);
	assert.equal(heard.hit.visitor.address, '127.0.0.1');
	// the other tenant still masks
	const m = await visitor(shop);
	assert.equal((await m.view('https://shop.example/m', 'M')).status, 201);
	assert.equal((await agentA.get(`/api/v1/agent/visitors/${m.id}`)).json.address, '127.0.0.x');
	const mlist = await agentA.get('/api/v1/agent/visitors/live?limit=200');
	assert.equal(mlist.json.items.find((x) => x.visitor_id === m.id).address, '127.0.0.x');
	// and masking on again hides it
	assert.equal((await api('PUT', '/api/v1/admin/retention', { key: U.apiKey, body: { mask_visitor_address: true } })).json.mask_visitor_address, true);
	assert.equal((await uag.get(`/api/v1/agent/visitors/${u.id}`)).json.address, '127.0.0.x');
});

test('tracking off: page views and the visitor stream are refused', async () => {
	const quiet = await channel(T, 'Quiet', false);
	// the loader learns it from the channel's widget settings
	assert.equal((await api('GET', `/api/v1/widget/channels/${quiet.key}`)).json.tracking, false);
	assert.equal((await api('GET', `/api/v1/widget/channels/${shop.key}`)).json.tracking, true);
	const v = await visitor(quiet);
	const p = await v.view('https://quiet.example/', 'Home');
	assert.equal(p.status, 403, p.text);
	assert.equal(errorCode(p), 'forbidden');
	const e = await v.poll(0, 0);
	assert.equal(e.status, 403, e.text);
	// switched on, the same visitor is tracked
	const on = await api('PATCH', `/api/v1/admin/channels/${quiet.id}`, { key: T.apiKey, body: { tracking: true } });
	assert.equal(on.status, 200, on.text);
	assert.equal(on.json.tracking, true);
	assert.equal((await v.view('https://quiet.example/', 'Home')).status, 201);
	const off = await api('PATCH', `/api/v1/admin/channels/${quiet.id}`, { key: T.apiKey, body: { name: 'Quiet 2' } });
	assert.equal(off.json.tracking, true, 'absent keeps it');
});

test('the live list shows a visitor within 2 s of the page load, the agents hear of it, and drops them after they leave', async () => {
	const from = await head(agentA);
	const v = await visitor(shop, SAFARI_IPHONE);
	const t0 = Date.now();
	assert.equal((await v.view('https://shop.example/live', 'Live')).status, 201);
	await until('the visitor in the live list', async () => {
		const l = await agentA.get('/api/v1/agent/visitors/live?limit=200');
		assert.equal(l.status, 200, l.text);
		return l.json.items.some((x) => x.visitor_id === v.id && x.page.url === 'https://shop.example/live' && x.device === 'mobile');
	}, 2000);
	assert.ok(Date.now() - t0 < 2000);
	const s = await streamUntil(agentA, from, (e) => e.type === 'visitor' && e.visitor.visitor_id === v.id);
	assert.ok(s.hit, 'a "visitor" event in the agent stream: ' + JSON.stringify(s.seen));
	assert.equal(s.hit.visitor.page.title, 'Live');
	assert.equal(s.hit.conversation_id, undefined);
	// most recent first, and paged
	const w = await visitor(shop);
	await w.view('https://shop.example/newer', 'Newer');
	const p1 = await agentA.get('/api/v1/agent/visitors/live?limit=1');
	assert.equal(p1.json.items.length, 1);
	assert.equal(p1.json.items[0].visitor_id, w.id);
	assert.equal(typeof p1.json.next_cursor, 'string');
	const p2 = await agentA.get(`/api/v1/agent/visitors/live?limit=1&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
	assert.equal(p2.json.items[0].visitor_id, v.id);
	assert.equal(errorCode(await agentA.get('/api/v1/agent/visitors/live?cursor=nonsense')), 'invalid_field');
	// leaving: gone after the grace, and the agents hear it
	assert.equal((await v.leave()).status, 204);
	await until('the visitor off the live list', async () => {
		const l = await agentA.get('/api/v1/agent/visitors/live?limit=200');
		return !l.json.items.some((x) => x.visitor_id === v.id);
	}, 12000);
	const left = await streamUntil(agentA, s.next, (e) => e.type === 'visitor_left' && e.visitor_id === v.id, 5000);
	assert.ok(left.hit, 'a "visitor_left" event: ' + JSON.stringify(left.seen.map((e) => e.type)));
	assert.equal((await agentA.get(`/api/v1/agent/visitors/${v.id}`)).json.live, false);
});

test('an invitation reaches the visitor\'s parked poll at once; answering starts a conversation with the inviting agent', async () => {
	const v = await visitor(shop);
	await v.view('https://shop.example/pricing-a', 'Pricing');
	const first = await v.poll(0, 0);
	assert.equal(first.status, 200, first.text);
	assert.deepEqual(first.json.events, []);
	const parked = v.poll(first.json.next, 25);
	await sleep(400); // parked by now
	const t0 = Date.now();
	const inv = await agentB.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'Can I help you with pricing?' });
	assert.equal(inv.status, 201, inv.text);
	assert.equal(inv.json.status, 'sent');
	const got = await parked;
	const ms = Date.now() - t0;
	assert.equal(got.status, 200, got.text);
	const ev = got.json.events.find((e) => e.type === 'invitation');
	assert.ok(ev, got.text);
	assert.equal(ev.invitation.id, inv.json.id);
	assert.equal(ev.invitation.text, 'Can I help you with pricing?');
	assert.deepEqual(ev.invitation.agent, { id: agentB.id, name: 'Agent B' });
	console.log(`invitation to the parked poll: ${ms} ms after the invite answered`);
	assert.ok(ms < 1000, `the poll woke ${ms} ms later`);
	const item = (await agentA.get(`/api/v1/agent/visitors/${v.id}`)).json;
	assert.deepEqual(item.invitation, { id: inv.json.id, status: 'sent' });
	// Agent A is first by the rule (lower id, same load); the answer still goes to B.
	const c = await v.req('POST', '/conversations', { channel_key: shop.key, invitation_id: inv.json.id });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.status, 'assigned', c.text);
	assert.equal(c.json.agent.id, agentB.id);
	const after = (await agentB.get(`/api/v1/agent/visitors/${v.id}`)).json;
	assert.equal(after.conversation_id, c.json.id);
	assert.deepEqual(after.invitation, { id: inv.json.id, status: 'accepted' });
	assert.equal(after.conversations[0].id, c.json.id);
	// in a conversation: no invitation
	assert.equal(errorCode(await agentA.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'hi' })), 'conflict');
	assert.equal((await v.req('POST', `/conversations/${c.json.id}/close`, {})).status, 200);
	// someone else's invitation is refused
	const w = await visitor(shop);
	await w.view('https://shop.example/', 'Home');
	const c2 = await w.req('POST', '/conversations', { channel_key: shop.key, invitation_id: inv.json.id });
	assert.equal(errorCode(c2), 'invalid_field');
	assert.equal(c2.json.error.field, 'invitation_id');
});

test('dismiss is recorded; a visitor who is not live cannot be invited; an agent at capacity gets 409 capacity', async () => {
	const v = await visitor(shop);
	await v.view('https://shop.example/d', 'D');
	const inv = await agentA.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'Hello' });
	assert.equal(inv.status, 201, inv.text);
	const d = await v.req('POST', `/invitations/${inv.json.id}/dismiss`, {});
	assert.equal(d.status, 200, d.text);
	assert.deepEqual(d.json, { id: inv.json.id, status: 'dismissed' });
	assert.deepEqual((await agentA.get(`/api/v1/agent/visitors/${v.id}`)).json.invitation, { id: inv.json.id, status: 'dismissed' });
	const other = await visitor(shop);
	assert.equal((await other.req('POST', `/invitations/${inv.json.id}/dismiss`, {})).status, 404);
	// answering after all: accepted, to the inviting agent
	const c0 = await v.req('POST', '/conversations', { channel_key: shop.key, invitation_id: inv.json.id });
	assert.equal(c0.status, 201, c0.text);
	assert.equal(c0.json.agent.id, agentA.id);
	assert.deepEqual((await agentA.get(`/api/v1/agent/visitors/${v.id}`)).json.invitation, { id: inv.json.id, status: 'accepted' });
	assert.deepEqual((await v.req('POST', `/invitations/${inv.json.id}/dismiss`, {})).json, { id: inv.json.id, status: 'accepted' });
	assert.equal((await v.req('POST', `/conversations/${c0.json.id}/close`, {})).status, 200);
	// never seen browsing: not live
	const ghost = await visitor(shop);
	assert.equal(errorCode(await agentA.post(`/api/v1/agent/visitors/${ghost.id}/invite`, { text: 'Hello' })), 'conflict');
	// capacity: a rule of at most one conversation on a channel of its own, and Agent A holding one
	const T2 = newTenant('insight-cap');
	const ch = await channel(T2, 'Cap');
	const solo = await newAgent(T2, 'Solo', 'online');
	const rule = await api('POST', '/api/v1/admin/rules', { key: T2.apiKey, body: { name: 'One', priority: 1, channel_ids: [ch.id], max_concurrent: 1 } });
	assert.equal(rule.status, 201, rule.text);
	const busy = await visitor(ch);
	const c = await busy.req('POST', '/conversations', { channel_key: ch.key });
	assert.equal(c.json.status, 'assigned', c.text);
	const x = await visitor(ch);
	await x.view('https://cap.example/', 'Cap');
	const r = await solo.post(`/api/v1/agent/visitors/${x.id}/invite`, { text: 'Hello' });
	assert.equal(r.status, 409, r.text);
	assert.equal(errorCode(r), 'capacity');
});

async function trigger(t, ch, body) {
	const r = await api('POST', `/api/v1/admin/channels/${ch.id}/triggers`, { key: t.apiKey, body });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

// The invitations in the visitor's stream from after on, polled for ms.
async function invitations(v, after, ms) {
	const out = [];
	const deadline = Date.now() + ms;
	let next = after;
	while (Date.now() < deadline) {
		const r = await v.poll(next, Math.max(0, Math.min(5, Math.ceil((deadline - Date.now()) / 1000))));
		assert.equal(r.status, 200, r.text);
		out.push(...r.json.events.filter((e) => e.type === 'invitation').map((e) => ({ ...e, at: Date.now() })));
		next = r.json.next;
	}
	return { out, next };
}

test('a trigger with a URL condition and a delay fires once, not again within its period, not after the visitor left the page', async () => {
	const ch = await channel(T, 'Triggered');
	const tr = await trigger(T, ch, {
		name: 'Pricing help', enabled: true, after_seconds: 2, once_per_hours: 24, text: 'Questions about our prices?',
		match: { all: [{ field: 'page.url', op: 'contains', value: '/pricing' }, { field: 'visitor.pages_viewed', op: 'gte', value: 2 }] },
	});
	assert.equal(tr.after_seconds, 2);
	assert.deepEqual((await api('GET', `/api/v1/admin/channels/${ch.id}/triggers`, { key: T.apiKey })).json.items.map((x) => x.id), [tr.id]);
	// the condition's fields are checked
	const bad = await api('POST', `/api/v1/admin/channels/${ch.id}/triggers`, { key: T.apiKey, body: { name: 'x', text: 'y', match: { all: [{ field: 'page.colour', op: 'zz' }] } } });
	assert.equal(errorCode(bad), 'invalid_field');
	assert.equal(bad.json.error.field, 'match.all[0].op');
	assert.equal((await api('POST', `/api/v1/admin/channels/${ch.id}/triggers`, { key: T.apiKey, body: { name: 'x', text: 'y', after_seconds: 3601 } })).json.error.field, 'after_seconds');

	const v = await visitor(ch);
	await v.view('https://t.example/', 'Home'); // no match: not /pricing
	await v.view('https://t.example/about', 'About');
	const t0 = Date.now();
	await v.view('https://t.example/pricing', 'Pricing'); // third page: matches
	const first = await invitations(v, 0, 6000);
	assert.equal(first.out.length, 1, JSON.stringify(first.out));
	const inv = first.out[0].invitation;
	assert.equal(inv.text, 'Questions about our prices?');
	assert.equal(inv.agent, null);
	assert.equal(inv.trigger_id, tr.id);
	assert.ok(first.out[0].at - t0 >= 1800, `fired after ${first.out[0].at - t0} ms, before its 2 s`);
	// the same page again: not within once_per_hours
	await v.view('https://t.example/pricing?plan=pro', 'Pricing');
	const again = await invitations(v, first.next, 4500);
	assert.deepEqual(again.out, []);
	// another visitor who moves on before the delay is not invited
	const w = await visitor(ch);
	await w.view('https://t.example/', 'Home');
	await w.view('https://t.example/pricing', 'Pricing');
	await sleep(500);
	await w.view('https://t.example/contact', 'Contact');
	assert.deepEqual((await invitations(w, 0, 4000)).out, []);
	// disabled: nothing
	const off = await api('PATCH', `/api/v1/admin/channels/${ch.id}/triggers/${tr.id}`, { key: T.apiKey, body: { enabled: false } });
	assert.equal(off.status, 200, off.text);
	assert.equal(off.json.enabled, false);
	// another channel's id does not reach it
	assert.equal((await api('GET', `/api/v1/admin/channels/${shop.id}/triggers/${tr.id}`, { key: T.apiKey })).status, 404);
	assert.equal((await api('DELETE', `/api/v1/admin/channels/${ch.id}/triggers/${tr.id}`, { key: T.apiKey })).status, 204);
});

test('no trigger fires when no agent of the channel is online', async () => {
	const T3 = newTenant('insight-nobody');
	const ch = await channel(T3, 'Nobody home');
	await trigger(T3, ch, { name: 'Any', text: 'Hello?', after_seconds: 0, match: { all: [{ field: 'page.url', op: 'prefix', value: 'https://n.example/' }] } });
	const away = await newAgent(T3, 'Away', 'away');
	const v = await visitor(ch);
	await v.view('https://n.example/x', 'X');
	assert.deepEqual((await invitations(v, 0, 3500)).out, []);
	// the same with an agent online fires
	assert.equal((await away.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	const w = await visitor(ch);
	await w.view('https://n.example/y', 'Y');
	assert.equal((await invitations(w, 0, 4000)).out.length, 1);
});

test('privacy: page views and invitations are in the export, go with the erase and with the retention period', async () => {
	const T4 = newTenant('insight-privacy');
	const ch = await channel(T4, 'Private');
	const ag = await newAgent(T4, 'Privacy Agent', 'online');
	const v = await visitor(ch);
	await v.view('https://p.example/secret-page', 'Secret title');
	const inv = await ag.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'secret invitation words' });
	assert.equal(inv.status, 201, inv.text);
	const rec = await api('GET', `/api/v1/crm/objects/WebImVisitorObj/records/visitor-${v.id}`, { key: T4.apiKey });
	assert.equal(rec.status, 200, rec.text);
	const exp = await api('GET', `/api/v1/crm/visitors/${rec.json.id}/export`, { key: T4.apiKey });
	assert.equal(exp.status, 200, exp.text);
	assert.deepEqual(exp.json.pageviews.map((p) => [p.url, p.title, p.visitor_id]), [['https://p.example/secret-page', 'Secret title', v.id]]);
	assert.deepEqual(exp.json.invitations.map((i) => [i.text, i.status]), [['secret invitation words', 'sent']]);
	// what was recorded of the browser, as stored: the address unmasked (masking is for agents), nothing made up
	const reg = exp.json.registrations.find((x) => x.id === v.id);
	assert.deepEqual([reg.browser?.name, reg.os, reg.device, reg.address, reg.pages_viewed, reg.sessions, reg.country],
		['Chrome', 'Windows', 'desktop', '127.0.0.1', 1, 1, null], JSON.stringify(reg));
	// retention: a page view older than the period goes, the invitation keeps its row without the text
	const w = await visitor(ch);
	await w.view('https://p.example/old', 'Old');
	const winv = await ag.post(`/api/v1/agent/visitors/${w.id}/invite`, { text: 'old invitation words' });
	assert.equal(winv.status, 201, winv.text);
	sql(`UPDATE pageviews SET created_at = NOW(3) - INTERVAL 3 DAY WHERE tenant_id = ${T4.id} AND visitor_id = ${w.id}`);
	sql(`UPDATE invitations SET created_at = NOW(3) - INTERVAL 3 DAY WHERE tenant_id = ${T4.id} AND visitor_id = ${w.id}`);
	const put = await api('PUT', '/api/v1/admin/retention', { key: T4.apiKey, body: { pageviews_days: 1 } });
	assert.equal(put.status, 200, put.text);
	await until('the old page view purged', () => Number(sql(`SELECT COUNT(*) FROM pageviews WHERE tenant_id = ${T4.id} AND visitor_id = ${w.id}`)[0][0]) === 0, 30000);
	await until('the old invitation text purged', () => sql(`SELECT text FROM invitations WHERE tenant_id = ${T4.id} AND visitor_id = ${w.id}`)[0][0] === null, 30000);
	assert.equal(Number(sql(`SELECT COUNT(*) FROM pageviews WHERE tenant_id = ${T4.id} AND visitor_id = ${v.id}`)[0][0]), 1, 'a recent one stays');
	// erase
	const del = await api('DELETE', `/api/v1/crm/visitors/${rec.json.id}`, { key: T4.apiKey });
	assert.equal(del.status, 204, del.text);
	assert.equal(Number(sql(`SELECT COUNT(*) FROM pageviews WHERE tenant_id = ${T4.id} AND visitor_id = ${v.id}`)[0][0]), 0);
	assert.deepEqual(sql(`SELECT text, status FROM invitations WHERE tenant_id = ${T4.id} AND visitor_id = ${v.id}`), [[null, 'sent']]);
	assert.deepEqual(sql(`SELECT browser, os, device, address FROM visitors WHERE tenant_id = ${T4.id} AND id = ${v.id}`), [[null, null, null, null]]);
	assert.equal(Number(sql(`SELECT COUNT(*) FROM visitor_live WHERE tenant_id = ${T4.id} AND visitor_id = ${v.id}`)[0][0]), 0);
	// nothing of them left in their own stream nor in what the agents' streams said
	assert.equal(Number(sql(`SELECT COUNT(*) FROM visitor_events WHERE tenant_id = ${T4.id} AND visitor_id = ${v.id}`)[0][0]), 0);
	const notices = sql(`SELECT body FROM user_events WHERE tenant_id = ${T4.id} AND conversation_id = 0`).map((r) => r[0]);
	assert.ok(notices.some((b) => b === '{"type":"visitor_erased"}'), JSON.stringify(notices));
	assert.ok(!notices.some((b) => b.includes('secret-page')), 'a notice still names the page');
	// what reports read: the counts
	const counts = sql(`SELECT COUNT(*) FROM invitations WHERE tenant_id = ${T4.id}`)[0][0];
	assert.equal(Number(counts), 2);
});

test('the loader on the host page reaches the visitor routes across origins: its own origin only', async () => {
	const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Cors', allowed_origins: ['https://host.example'], tracking: true } });
	assert.equal(r.status, 201, r.text);
	const reg = await api('POST', `/api/v1/widget/channels/${r.json.key}/visitors`, { body: {}, headers: { origin: 'https://host.example' } });
	assert.equal(reg.status, 201, reg.text);
	const pre = await api('OPTIONS', '/api/v1/widget/visitors/me/pageviews', { headers: { origin: 'https://host.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-visitor-token' } });
	assert.equal(pre.status, 204);
	assert.match(pre.headers.get('access-control-allow-headers') || '', /X-Visitor-Token/i);
	const ok = await api('POST', '/api/v1/widget/visitors/me/pageviews', { headers: { origin: 'https://host.example', 'x-visitor-token': reg.json.visitor_token }, body: { url: 'https://host.example/' } });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.headers.get('access-control-allow-origin'), 'https://host.example');
	const foreign = await api('POST', '/api/v1/widget/visitors/me/pageviews', { headers: { origin: 'https://evil.example', 'x-visitor-token': reg.json.visitor_token }, body: { url: 'https://evil.example/' } });
	assert.equal(foreign.status, 403, foreign.text);
	assert.equal(errorCode(foreign), 'origin_not_allowed');
});

test('holding the visitor poll makes a visitor live, page view or not; a leave is undone by the next poll', async () => {
	const v = await visitor(shop, SAFARI_IPHONE);
	const from = await head(agentA);
	const p = await v.poll(0, 0);
	assert.equal(p.status, 200, p.text);
	const l = await agentA.get('/api/v1/agent/visitors/live?limit=200');
	const item = l.json.items.find((x) => x.visitor_id === v.id);
	assert.ok(item, 'a polling visitor is live');
	assert.equal(item.pages_viewed, 0);
	assert.ok((await streamUntil(agentA, from, (e) => e.type === 'visitor' && e.visitor.visitor_id === v.id)).hit);
	// left (the tab's pagehide), then polling again (another tab of the site): live again
	await v.leave();
	await until('the visitor off the live list', async () => !(await agentA.get('/api/v1/agent/visitors/live?limit=200')).json.items.some((x) => x.visitor_id === v.id), 12000);
	await v.poll(p.json.next, 0);
	assert.ok((await agentA.get('/api/v1/agent/visitors/live?limit=200')).json.items.some((x) => x.visitor_id === v.id));
});

test('page views are limited to 60 a minute per visitor; another visitor is not held by it', async () => {
	const v = await visitor(shop);
	for (let i = 0; i < 60; i++)
		assert.equal((await v.view(`https://shop.example/spa/${i}`, 'SPA')).status, 201, `view ${i}`);
	const over = await v.view('https://shop.example/spa/60', 'SPA');
	assert.equal(over.status, 429, over.text);
	assert.equal(errorCode(over), 'rate_limited');
	const wait = Number(over.headers.get('retry-after'));
	assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
	assert.equal((await agentA.get(`/api/v1/agent/visitors/${v.id}`)).json.pages_viewed, 60);
	const w = await visitor(shop);
	assert.equal((await w.view('https://shop.example/', 'Home')).status, 201);
});

test('the agents\' notices about visitors are trimmed after 10 minutes; conversation events stay', async () => {
	const v = await visitor(shop);
	await v.view('https://shop.example/trim', 'Trim');
	await until('a notice about the visitor', () => sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id = 0 AND body LIKE '%shop.example/trim%'`)[0][0] !== '0', 5000);
	sql(`UPDATE user_events SET created_at = NOW(3) - INTERVAL 11 MINUTE WHERE tenant_id = ${T.id} AND conversation_id = 0 AND body LIKE '%shop.example/trim%'`);
	const before = Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id <> 0`)[0][0]);
	await until('the old notices trimmed', () => sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id = 0 AND body LIKE '%shop.example/trim%'`)[0][0] === '0', 15000);
	assert.ok(Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id = 0`)[0][0]) > 0, 'newer notices stay');
	assert.equal(Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id <> 0`)[0][0]), before);
});

test('an agent sees the visitors of the channels they serve, and a visitor whose conversation came to them', async () => {
	const T5 = newTenant('insight-serve');
	const ch = await channel(T5, 'Sales only');
	const seller = await newAgent(T5, 'Seller', 'online');
	const helper = await newAgent(T5, 'Helper', 'online');
	const g = await api('POST', '/api/v1/admin/groups', { key: T5.apiKey, body: { name: 'Sales', member_user_ids: [seller.id], member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	const rule = await api('POST', '/api/v1/admin/rules', { key: T5.apiKey, body: { name: 'Sales', priority: 1, channel_ids: [ch.id], routing: { mode: 'rules', routes: [], fallback_group_id: g.json.id } } });
	assert.equal(rule.status, 201, rule.text);
	const v = await visitor(ch);
	await v.view('https://sales.example/', 'Sales');
	assert.ok((await seller.get('/api/v1/agent/visitors/live')).json.items.some((x) => x.visitor_id === v.id));
	assert.ok(!(await helper.get('/api/v1/agent/visitors/live')).json.items.some((x) => x.visitor_id === v.id));
	assert.equal((await helper.get(`/api/v1/agent/visitors/${v.id}`)).status, 404);
	assert.equal(errorCode(await helper.post(`/api/v1/agent/visitors/${v.id}/invite`, { text: 'hi' })), 'not_found');
	const c = await v.req('POST', '/conversations', { channel_key: ch.key });
	assert.equal(c.json.agent.id, seller.id, c.text);
	const tr = await seller.post(`/api/v1/agent/conversations/${c.json.id}/transfer`, { user_id: helper.id });
	assert.equal(tr.status, 200, tr.text);
	const p = await helper.get(`/api/v1/agent/visitors/${v.id}`);
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.conversation_id, c.json.id);
});

// tests/integration/workbench-notes-tags.test.mjs: internal notes (staff only: never on the visitor's stream, in the visitor's conversation or in the transcript the visitor is mailed), tags on conversations (vocabulary, add by name or id, remove, admin resource, tenant scoping), history filtered by tag, and an agent's search of their own history.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, newAgent } from '../lib/kefu.mjs';

let T, channel, A1, A2, admin;

async function visitorConversation(text) {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	if (text)
		assert.equal((await api('POST', `/api/v1/widget/conversations/${c.json.id}/messages`, { headers, body: { kind: 'text', text } })).status, 201);
	return { id: c.json.id, headers, agent: c.json.agent };
}

before(async () => {
	T = newTenant('notes');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [] } })).json;
	A1 = await newAgent(T, 'Note Taker', 'online');
	A2 = await newAgent(T, 'Other Agent');
	admin = await Session.login(T.adminLogin, T.adminPassword);
});

test('an internal note is for staff: the author and admins read it, the visitor never sees it', async () => {
	const c = await visitorConversation('I want my money back');
	assert.equal(c.agent.id, A1.id);
	const url = `/api/v1/agent/conversations/${c.id}/notes`;
	for (const [body, field] of [[{}, 'text'], [{ text: '' }, 'text'], [{ text: '   \n' }, 'text'], [{ text: 5 }, 'text'], [{ text: 'x'.repeat(2001) }, 'text']]) {
		const r = await A1.post(url, body);
		assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
		assert.equal(r.json.error.field, field);
	}
	const n = await A1.post(url, { text: 'Customer 4711 is a <b>reseller</b>; check the contract' });
	assert.equal(n.status, 201, n.text);
	assert.equal(n.json.kind, 'note');
	assert.equal(n.json.text, 'Customer 4711 is a <b>reseller</b>; check the contract');
	assert.deepEqual(n.json.author, { id: A1.id, name: 'Note Taker' });
	assert.ok(n.json.created_at);
	const list = await A1.get(url);
	assert.deepEqual(list.json.items.map((x) => x.id), [n.json.id]);
	assert.equal((await admin.get(url)).json.items.length, 1, 'admins read every note of the tenant');
	// Another agent, another tenant, the visitor: no.
	assert.equal((await A2.get(url)).status, 404);
	assert.equal((await A2.post(url, { text: 'sneaky' })).status, 404);
	const o = newTenant('notes-other');
	const os = await Session.login(o.adminLogin, o.adminPassword);
	assert.equal(errorCode(await os.get(url)), 'not_found');
	assert.equal(errorCode(await os.post(url, { text: 'x' })), 'not_found');
	assert.equal((await api('GET', url, { headers: c.headers })).status, 401, 'a visitor token is no staff session');
	assert.equal((await api('POST', url, { headers: c.headers, body: { text: 'x' } })).status, 401);

	// The visitor's stream and conversation carry no trace of it, before and after the close.
	const widget = async () => JSON.stringify([
		(await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers })).json,
		(await api('GET', `/api/v1/widget/conversations/${c.id}`, { headers: c.headers })).json,
		(await api('GET', '/api/v1/widget/conversations', { headers: c.headers })).json,
	]);
	assert.ok(!(await widget()).includes('4711'));
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c.id}/close`, {})).status, 200);
	// A note after the close (a follow-up in history) is allowed.
	assert.equal((await A1.post(url, { text: 'Called back 4711: resolved' })).status, 201);
	const after = await widget();
	assert.ok(after.includes('I want my money back'));
	assert.ok(!after.includes('4711') && !after.includes('reseller'));
	// The transcript (what the visitor's transcript mail renders: transcript_data) leaves notes out.
	for (const kind of ['txt', 'html']) {
		const t = await A1.get(`/api/v1/agent/conversations/${c.id}/transcript.${kind}`);
		assert.equal(t.status, 200);
		assert.ok(t.text.includes('I want my money back'), kind);
		assert.ok(!t.text.includes('4711') && !t.text.includes('reseller'), kind);
	}
	assert.deepEqual((await A1.get(url)).json.items.map((x) => x.text), ['Customer 4711 is a <b>reseller</b>; check the contract', 'Called back 4711: resolved']);
});

test('tags: added by name into the vocabulary or by id, removed, listed; admins curate the vocabulary', async () => {
	const c = await visitorConversation('hello tags');
	const url = `/api/v1/agent/conversations/${c.id}/tags`;
	assert.deepEqual((await A1.get(url)).json, { items: [] });
	for (const [body, field] of [[{}, 'name'], [{ name: '   ' }, 'name'], [{ name: 'x'.repeat(65) }, 'name'], [{ name: 'a\u0001b' }, 'name'], [{ tag_id: 999999999 }, 'tag_id'], [{ tag_id: 'x' }, 'tag_id'], [{ name: 'a', tag_id: 1 }, 'name']]) {
		const r = await A1.post(url, body);
		assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
		assert.equal(r.json.error.field, field, JSON.stringify(body));
	}
	const vip = await A1.post(url, { name: '  VIP  ' });
	assert.equal(vip.status, 201, vip.text);
	assert.equal(vip.json.name, 'VIP', 'trimmed');
	const again = await A1.post(url, { name: 'vip' });
	assert.equal(again.status, 200, 'the same tag, case-insensitively, already on the conversation');
	assert.equal(again.json.id, vip.json.id);
	const refund = await A1.post(url, { name: '退款' });
	assert.equal(refund.status, 201);
	assert.deepEqual((await A1.get(url)).json.items.map((t) => t.name), ['VIP', '退款']);
	// The workbench's list carries each conversation's tags.
	const listed = (await A1.get('/api/v1/agent/conversations')).json.groups.flatMap((g) => g.conversations);
	assert.deepEqual(listed.find((x) => x.id === c.id).tags.map((t) => t.name), ['VIP', '退款']);
	assert.ok(listed.filter((x) => x.id !== c.id).every((x) => Array.isArray(x.tags)));
	const voc = await A2.get('/api/v1/agent/tags');
	assert.equal(voc.status, 200);
	assert.deepEqual(voc.json.items.map((t) => [t.name, t.conversations]), [['VIP', 1], ['退款', 1]]);
	// By id, on another conversation; then off again.
	const c2 = await visitorConversation('second');
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c2.id}/tags`, { tag_id: vip.json.id })).status, 201);
	assert.equal((await A1.delete(`${url}/${refund.json.id}`)).status, 204);
	assert.equal((await A1.delete(`${url}/${refund.json.id}`)).status, 404, 'not carried any more');
	assert.deepEqual((await A1.get(url)).json.items.map((t) => t.name), ['VIP']);
	// Only those who may see the conversation tag it; another tenant sees nothing.
	assert.equal((await A2.post(url, { name: 'x' })).status, 404);
	assert.equal((await A2.get(url)).status, 404);
	assert.equal((await A2.delete(`${url}/${vip.json.id}`)).status, 404);
	const o = newTenant('tags-other');
	const os = await Session.login(o.adminLogin, o.adminPassword);
	assert.equal((await os.post(url, { tag_id: vip.json.id })).status, 404);
	assert.deepEqual((await os.get('/api/v1/agent/tags')).json.items, []);
	assert.equal((await api('GET', '/api/v1/admin/tags', { key: o.apiKey })).json.items.length, 0);
	// The visitor sees no tags.
	const ev = await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers });
	assert.ok(!ev.text.includes('VIP'));

	// The admin resource: create, duplicate, rename, colour, delete (which untags).
	const mk = await api('POST', '/api/v1/admin/tags', { key: T.apiKey, body: { name: 'Complaint', color: '#c0392b' } });
	assert.equal(mk.status, 201, mk.text);
	assert.equal(mk.json.color, '#c0392b');
	const dup = await api('POST', '/api/v1/admin/tags', { key: T.apiKey, body: { name: 'complaint' } });
	assert.equal(dup.status, 409, dup.text);
	assert.equal((await api('POST', '/api/v1/admin/tags', { key: T.apiKey, body: { name: 'Bad', color: 'red' } })).json.error.field, 'color');
	assert.equal((await A1.request('POST', '/api/v1/admin/tags', { body: { name: 'agent made' } })).status, 403, 'agents tag; admins curate');
	const ren = await api('PATCH', `/api/v1/admin/tags/${vip.json.id}`, { key: T.apiKey, body: { name: 'Key account' } });
	assert.equal(ren.status, 200, ren.text);
	assert.deepEqual((await A1.get(url)).json.items.map((t) => t.name), ['Key account']);
	assert.equal((await api('DELETE', `/api/v1/admin/tags/${vip.json.id}`, { key: T.apiKey })).status, 204);
	assert.deepEqual((await A1.get(url)).json.items, []);
	assert.deepEqual((await A1.get(`/api/v1/agent/conversations/${c2.id}/tags`)).json.items, []);
	const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
	assert.ok(audit.json.items.some((a) => a.object_type === 'tag' && a.action === 'delete'));
});

test('history: filtered by tag (admins) and an agent\'s search of their own conversations', async () => {
	const a = await visitorConversation('order 8801 broken');
	const b = await visitorConversation('order 8802 late');
	const tag = (await A1.post(`/api/v1/agent/conversations/${a.id}/tags`, { name: 'Broken item' })).json;
	const h = await api('GET', `/api/v1/admin/conversations?status=&tag_id=${tag.id}`, { key: T.apiKey });
	assert.equal(h.status, 200, h.text);
	assert.deepEqual(h.json.items.map((x) => x.id), [a.id]);
	assert.deepEqual(h.json.items[0].tags.map((t) => t.name), ['Broken item']);
	const all = await api('GET', '/api/v1/admin/conversations?q=880', { key: T.apiKey });
	assert.deepEqual(all.json.items.map((x) => x.id), [b.id, a.id]);
	assert.deepEqual(all.json.items[0].tags, []);
	assert.equal((await api('GET', '/api/v1/admin/conversations?tag_id=x', { key: T.apiKey })).status, 400);

	// The agent's own history: theirs only, with the same filters.
	const mine = await A1.get('/api/v1/agent/history?q=880');
	assert.equal(mine.status, 200, mine.text);
	assert.deepEqual(mine.json.items.map((x) => x.id), [b.id, a.id]);
	assert.deepEqual((await A1.get(`/api/v1/agent/history?tag_id=${tag.id}`)).json.items.map((x) => x.id), [a.id]);
	assert.deepEqual((await A1.get('/api/v1/agent/history?q=8802')).json.items.map((x) => x.id), [b.id]);
	assert.deepEqual((await A2.get('/api/v1/agent/history?q=880')).json.items, [], 'another agent\'s conversations are not theirs');
	assert.deepEqual((await A2.get(`/api/v1/agent/history?q=880&agent_id=${A1.id}`)).json.items, [], 'agent_id cannot widen it');
	assert.equal((await A1.get('/api/v1/agent/history?status=nope')).status, 400);
	assert.equal((await api('GET', '/api/v1/agent/history')).status, 401);
	// Paging keeps to the caller.
	const p1 = await A1.get('/api/v1/agent/history?q=880&limit=1');
	assert.equal(p1.json.next_after, b.id);
	assert.deepEqual((await A1.get(`/api/v1/agent/history?q=880&limit=1&after=${p1.json.next_after}`)).json.items.map((x) => x.id), [a.id]);
});

test('the conversation header\'s visitor facts: browser, OS, device, language, referrer, page and since when, new or returning', async () => {
	const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
	const reg = async (body, token) => api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, {
		headers: { 'user-agent': IPHONE }, body: { ...body, ...(token ? { visitor_token: token } : {}) },
	});
	const v = await reg({ page_url: 'https://shop.example/cart', referrer: 'https://www.baidu.com/s?wd=shoes', locale: 'zh-CN' });
	assert.ok(v.status === 201, v.text);
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = (await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } })).json;
	const d = await A1.get(`/api/v1/agent/conversations/${c.id}`);
	assert.equal(d.status, 200, d.text);
	const f = d.json.visitor.facts;
	assert.equal(f.browser, 'Safari');
	assert.equal(f.browser_version, '17.4');
	assert.equal(f.os, 'iOS');
	assert.equal(f.device, 'mobile');
	assert.equal(f.language, 'zh-CN');
	assert.equal(f.referrer, 'https://www.baidu.com/s?wd=shoes');
	assert.equal(f.page_url, 'https://shop.example/cart');
	assert.ok(Date.parse(f.page_since) > Date.now() - 60000, f.page_since);
	assert.equal(f.previous_conversations, 0);
	assert.equal(f.returning, false, 'first seen just now, no earlier conversation');
	assert.equal(f.identified, false);

	// The next page moves the page and its time; a second conversation makes the visitor a returning one.
	await new Promise((r) => setTimeout(r, 1100)); // times are to the second
	assert.equal((await reg({ page_url: 'https://shop.example/checkout' }, v.json.visitor_token)).status, 200);
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c.id}/close`, {})).status, 200);
	const c2 = (await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } })).json;
	const f2 = (await A1.get(`/api/v1/agent/conversations/${c2.id}`)).json.visitor.facts;
	assert.equal(f2.page_url, 'https://shop.example/checkout');
	assert.ok(Date.parse(f2.page_since) > Date.parse(f.page_since), `${f2.page_since} after ${f.page_since}`);
	assert.equal(f2.referrer, 'https://www.baidu.com/s?wd=shoes', 'the referrer the visit came with stays');
	assert.equal(f2.previous_conversations, 1);
	assert.equal(f2.returning, true);
	// Without a User-Agent nothing is made up.
	const bare = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { headers: { 'user-agent': '' }, body: {} });
	const bh = { 'x-visitor-token': bare.json.visitor_token };
	const c3 = (await api('POST', '/api/v1/widget/conversations', { headers: bh, body: { channel_key: channel.key, prechat: {} } })).json;
	const f3 = (await A1.get(`/api/v1/agent/conversations/${c3.id}`)).json.visitor.facts;
	assert.equal(f3.browser, null);
	assert.equal(f3.device, null);
	assert.equal(f3.language, null);
});

test('visitor facts from visitor insight\'s page views when the channel tracks visitors', async () => {
	const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
	const tracked = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Tracked', allowed_origins: [], tracking: true } })).json;
	const v = await api('POST', `/api/v1/widget/channels/${tracked.key}/visitors`, { headers: { 'user-agent': CHROME }, body: { page_url: 'https://shop.example/' } });
	const headers = { 'x-visitor-token': v.json.visitor_token, 'user-agent': CHROME };
	const pv = await api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url: 'https://shop.example/p/42', title: 'Blue shoes', referrer: 'https://news.example/' } });
	assert.ok(pv.status === 201 || pv.status === 200, pv.text);
	const c = (await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: tracked.key, prechat: {} } })).json;
	const f = (await A1.get(`/api/v1/agent/conversations/${c.id}`)).json.visitor.facts;
	assert.equal(f.browser, 'Chrome');
	assert.equal(f.os, 'Windows');
	assert.equal(f.device, 'desktop');
	assert.equal(f.page_url, 'https://shop.example/p/42');
	assert.equal(f.page_title, 'Blue shoes');
	assert.equal(f.live, true);
	assert.equal(f.visits, 1);
	assert.ok(f.page_since);
});

test('a person\'s export carries the staff\'s notes on their conversations; erasing the person blanks them', async () => {
	const c = await visitorConversation('erase me later');
	const vid = (await A1.get(`/api/v1/agent/conversations/${c.id}`)).json.visitor.id;
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c.id}/notes`, { text: 'Wang, order 9911, angry' })).status, 201);
	const rec = await api('GET', `/api/v1/crm/objects/WebImVisitorObj/records/visitor-${vid}`, { key: T.apiKey });
	assert.equal(rec.status, 200, rec.text);
	const x = await api('GET', `/api/v1/crm/visitors/${rec.json.id}/export`, { key: T.apiKey });
	assert.equal(x.status, 200, x.text);
	const conv = x.json.conversations.find((k) => k.id === c.id);
	assert.deepEqual(conv.notes.map((n) => [n.kind, n.text, n.author.name]), [['note', 'Wang, order 9911, angry', 'Note Taker']]);
	assert.equal((await api('DELETE', `/api/v1/crm/visitors/${rec.json.id}`, { key: T.apiKey })).status, 204);
	assert.deepEqual((await admin.get(`/api/v1/agent/conversations/${c.id}/notes`)).json.items.map((n) => n.text), ['']);
});

test('notes and tag changes reach the other staff who may have the conversation open live, on their agent streams, never the visitor\'s', async () => {
	const c = await visitorConversation('live notes please');
	assert.equal(c.agent.id, A1.id);
	const other = await newAgent(T, 'Bystander', 'online'); // present, but not this conversation's
	assert.equal((await admin.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	try {
		const head = async (s) => (await s.get('/api/v1/agent/events?after=0')).json.next;
		const [h1, hAdmin, hOther] = [await head(A1), await head(admin), await head(other)];
		const since = async (s, h) => (await s.get(`/api/v1/agent/events?after=${h}`)).json.events.filter((e) => e.conversation_id === c.id);

		const n = await A1.post(`/api/v1/agent/conversations/${c.id}/notes`, { text: 'Watch 0815 closely' });
		assert.equal(n.status, 201);
		const tag = await admin.post(`/api/v1/agent/conversations/${c.id}/tags`, { name: 'Escalated' });
		assert.equal(tag.status, 201, tag.text);
		assert.equal((await admin.post(`/api/v1/agent/conversations/${c.id}/tags`, { name: 'escalated' })).status, 200, 'no event for a tag it had');
		assert.equal((await admin.delete(`/api/v1/agent/conversations/${c.id}/tags/${tag.json.id}`)).status, 204);

		const seenByAdmin = await since(admin, hAdmin);
		const note = seenByAdmin.find((e) => e.type === 'note');
		assert.ok(note, JSON.stringify(seenByAdmin));
		assert.equal(note.note.id, n.json.id);
		assert.equal(note.note.text, 'Watch 0815 closely');
		assert.deepEqual(note.note.author, { id: A1.id, name: 'Note Taker' });
		const tagsForA1 = (await since(A1, h1)).filter((e) => e.type === 'tag');
		assert.deepEqual(tagsForA1.map((e) => [e.action, e.tag.id]), [['added', tag.json.id], ['removed', tag.json.id]]);
		assert.equal(tagsForA1[0].tag.name, 'Escalated');
		assert.deepEqual(await since(other, hOther), [], 'an agent who may not see the conversation hears nothing of it');

		// The visitor's stream: messages and statuses only, no note or tag, no note text.
		const v = await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers });
		assert.equal(v.status, 200);
		assert.ok(v.json.events.length > 0);
		assert.ok(v.json.events.every((e) => e.type !== 'note' && e.type !== 'tag'), JSON.stringify(v.json.events));
		assert.ok(!v.text.includes('0815') && !v.text.includes('Escalated'));
	} finally {
		await admin.put('/api/v1/agent/status', { status: 'offline' });
		await other.put('/api/v1/agent/status', { status: 'offline' });
	}
});

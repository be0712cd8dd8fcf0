// tests/integration/workbench-receipts.test.mjs: typing signals (throttled), read receipts both ways, and the satisfaction rating after close with its report.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

let T, channel, A1, A2;


async function visitorChat() {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const req = (method, path, body) => api(method, '/api/v1/widget' + path, { headers, body });
	const c = await req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(c.status, 201, c.text);
	return { req, id: c.json.id, agent: c.json.agent };
}

const events = async (get, after = 0) => (await get(after)).json;

before(async () => {
	T = newTenant('receipts');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Shop', allowed_origins: [] } });
	channel = ch.json;
	A1 = await newAgent(T, 'Rita Receipts');
	A2 = await newAgent(T, 'Other Agent');
	assert.equal((await A1.put('/api/v1/agent/status', { status: 'online' })).status, 200);
});

test('typing: an event for the other side, throttled, 409 once closed, 404 for strangers', async () => {
	const head = (await A1.get('/api/v1/agent/events?after=0')).json.next;
	const v = await visitorChat();
	assert.equal(v.agent.id, A1.id);
	const t1 = await v.req('POST', `/conversations/${v.id}/typing`, {});
	assert.equal(t1.status, 200, t1.text);
	assert.equal(t1.json.sent, true);
	assert.equal(t1.json.interval_ms, 3000);
	const t2 = await v.req('POST', `/conversations/${v.id}/typing`, {});
	assert.equal(t2.json.sent, false, 'a second signal within 2 s is dropped');
	// The agent sees it on their stream, with the conversation id.
	const s = await A1.get(`/api/v1/agent/events?after=${head}&wait=5`);
	const ev = s.json.events.find((e) => e.type === 'typing');
	assert.ok(ev, JSON.stringify(s.json));
	assert.equal(ev.sender, 'visitor');
	assert.equal(ev.conversation_id, v.id);
	// The agent types; the visitor sees it.
	const at = await A1.post(`/api/v1/agent/conversations/${v.id}/typing`, {});
	assert.equal(at.status, 200, at.text);
	const ve = await v.req('GET', `/conversations/${v.id}/events?after=0`);
	assert.ok(ve.json.events.some((e) => e.type === 'typing' && e.sender === 'agent'));
	// "stopped typing" is never throttled.
	assert.equal((await A1.post(`/api/v1/agent/conversations/${v.id}/typing`, { typing: false })).json.sent, true);
	assert.equal((await A1.post(`/api/v1/agent/conversations/${v.id}/typing`, { typing: 'yes' })).status, 400);
	assert.equal((await A2.post(`/api/v1/agent/conversations/${v.id}/typing`, {})).status, 404);
	const stranger = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	assert.equal((await api('POST', `/api/v1/widget/conversations/${v.id}/typing`, { headers: { 'x-visitor-token': stranger.json.visitor_token }, body: {} })).status, 404);
	await v.req('POST', `/conversations/${v.id}/close`, {});
	const late = await v.req('POST', `/conversations/${v.id}/typing`, {});
	assert.equal(late.status, 409);
	assert.equal(errorCode(late), 'conflict');
});

test('read receipts: a read event when messages of the other side are read, never for reading read events', async () => {
	const v = await visitorChat();
	const m = await A1.post(`/api/v1/agent/conversations/${v.id}/messages`, { kind: 'text', text: 'Hello from Rita' });
	assert.equal(m.status, 201, m.text);
	let ev = (await v.req('GET', `/conversations/${v.id}/events?after=0`)).json;
	const r1 = await v.req('POST', `/conversations/${v.id}/read`, { seq: ev.next });
	assert.equal(r1.status, 200, r1.text);
	const after1 = (await v.req('GET', `/conversations/${v.id}/events?after=${ev.next}`)).json;
	assert.equal(after1.events.length, 1);
	assert.equal(after1.events[0].type, 'read');
	assert.equal(after1.events[0].reader, 'visitor');
	assert.equal(after1.events[0].read_seq, ev.next);
	// Reading up to the read event itself: no new event.
	await v.req('POST', `/conversations/${v.id}/read`, { seq: after1.next });
	assert.equal((await v.req('GET', `/conversations/${v.id}/events?after=${after1.next}`)).json.events.length, 0);
	// The agent reads the visitor's message: the visitor sees "read".
	await v.req('POST', `/conversations/${v.id}/messages`, { kind: 'text', text: 'Thanks' });
	const conv = await A1.get('/api/v1/agent/conversations');
	const line = conv.json.groups.flatMap((g) => g.conversations).find((c) => c.id === v.id);
	assert.equal(line.unread, 1);
	const all = (await A1.get(`/api/v1/agent/conversations/${v.id}/events?after=0`)).json;
	assert.equal((await A1.post(`/api/v1/agent/conversations/${v.id}/read`, { seq: all.next })).status, 200);
	const seen = (await v.req('GET', `/conversations/${v.id}/events?after=${all.next}`)).json.events;
	assert.deepEqual(seen.map((e) => [e.type, e.reader, e.read_seq]), [['read', 'agent', all.next]]);
	const conv2 = await A1.get('/api/v1/agent/conversations');
	assert.equal(conv2.json.groups.flatMap((g) => g.conversations).find((c) => c.id === v.id).unread, 0);
	// A lower mark never lowers it, and adds nothing.
	await A1.post(`/api/v1/agent/conversations/${v.id}/read`, { seq: 1 });
	assert.equal((await v.req('GET', `/conversations/${v.id}/events?after=${all.next + 1}`)).json.events.length, 0);
	await v.req('POST', `/conversations/${v.id}/close`, {});
});

test('rating: only after close, once, 1-5, an event for the agent, and the report', async () => {
	const v = await visitorChat();
	const early = await v.req('POST', `/conversations/${v.id}/rating`, { score: 5 });
	assert.equal(early.status, 409);
	const head = (await A1.get('/api/v1/agent/events?after=0')).json.next;
	assert.equal((await A1.post(`/api/v1/agent/conversations/${v.id}/close`, {})).status, 200);
	for (const body of [{}, { score: 0 }, { score: 6 }, { score: '5' }, { score: 4.5 }, { score: 4, comment: 7 }, { score: 4, comment: 'x'.repeat(1001) }]) {
		const r = await v.req('POST', `/conversations/${v.id}/rating`, body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(errorCode(r), 'invalid_field');
	}
	const r = await v.req('POST', `/conversations/${v.id}/rating`, { score: 4, comment: '<b>很好</b>' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.score, 4);
	assert.equal(r.json.comment, '<b>很好</b>');
	assert.equal(r.json.agent_id, A1.id);
	const again = await v.req('POST', `/conversations/${v.id}/rating`, { score: 1 });
	assert.equal(again.status, 409);
	assert.equal((await v.req('GET', `/conversations/${v.id}/rating`)).json.score, 4);
	assert.equal((await A1.get(`/api/v1/agent/conversations/${v.id}/rating`)).json.score, 4);
	const s = await A1.get(`/api/v1/agent/events?after=${head}&wait=5`);
	const ev = s.json.events.find((e) => e.type === 'rating' && e.conversation_id === v.id);
	assert.ok(ev, JSON.stringify(s.json));
	assert.deepEqual(ev.rating, { score: 4, comment: '<b>很好</b>' });

	const v2 = await visitorChat();
	await v2.req('POST', `/conversations/${v2.id}/close`, {});
	assert.equal((await v2.req('POST', `/conversations/${v2.id}/rating`, { score: 1 })).status, 201);
	// Not this visitor's conversation: 404.
	assert.equal((await v2.req('POST', `/conversations/${v.id}/rating`, { score: 1 })).status, 404);

	const rep = await api('GET', '/api/v1/admin/reports/ratings', { key: T.apiKey });
	assert.equal(rep.status, 200, rep.text);
	assert.deepEqual(rep.json.overall, { count: 2, average: 2.5 });
	assert.deepEqual(rep.json.by_agent, [{ agent: { id: A1.id, name: 'Rita Receipts' }, count: 2, average: 2.5 }]);
	const today = new Date().toISOString().slice(0, 10);
	assert.deepEqual(rep.json.by_day, [{ day: today, count: 2, average: 2.5 }]);
	const none = await api('GET', '/api/v1/admin/reports/ratings?from=2020-01-01&to=2020-01-31', { key: T.apiKey });
	assert.deepEqual(none.json.overall, { count: 0, average: null });
	const todayOnly = await api('GET', `/api/v1/admin/reports/ratings?from=${today}&to=${today}`, { key: T.apiKey });
	assert.equal(todayOnly.json.overall.count, 2);
	assert.equal((await api('GET', '/api/v1/admin/reports/ratings?from=2020-13-01', { key: T.apiKey })).status, 400);
	assert.equal((await A1.get('/api/v1/admin/reports/ratings')).status, 403);
	const other = newTenant('receipts-other');
	assert.equal((await api('GET', '/api/v1/admin/reports/ratings', { key: other.apiKey })).json.overall.count, 0);
});

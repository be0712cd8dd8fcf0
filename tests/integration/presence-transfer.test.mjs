// tests/integration/presence-transfer.test.mjs: work goes only to people who are there: opening the workbench makes an agent available, transfers show load and refuse away or offline agents (409), work held by someone offline returns to the queue (also for an admin who never opens the workbench), queue joins and leaves reach the agent stream, the long-wait mark and the alert preference.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, newAgent, sql, until } from '../lib/kefu.mjs';

let T, channel, pool, group, A, B, C;

const status = async (s) => (await s.get('/api/v1/agent/status')).json.status;
const visitor = async (key) => {
	const v = await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: {} });
	return { 'x-visitor-token': v.json.visitor_token };
};
const start = async (key) => {
	const headers = await visitor(key);
	const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	return { ...c.json, headers };
};
const conv = async (c) => (await api('GET', `/api/v1/widget/conversations/${c.id}`, { headers: c.headers })).json;
const streamOf = async (s) => (await s.get('/api/v1/agent/events?after=0')).json.events;

before(async () => {
	T = newTenant('presence-transfer');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Ruled shop', allowed_origins: [] } })).json;
	pool = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Pool shop', allowed_origins: [] } })).json; // no rule: every staff member
	A = await newAgent(T, 'Ana Transfer');
	B = await newAgent(T, 'Ben Transfer');
	C = await newAgent(T, 'Cat Transfer'); // in no group
	group = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Front desk', member_user_ids: [A.id, B.id], member_department_ids: [] } })).json;
	const rule = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'Desk', priority: 1, channel_ids: [channel.id], max_concurrent: 3, strategy: 'load', routing: { mode: 'rules', routes: [], fallback_group_id: group.id } } });
	assert.equal(rule.status, 201, rule.text);
	assert.equal((await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { away_after_s: 0, offline_after_s: 20 } })).status, 200);
});

test('opening the workbench makes an offline agent available; away stays away', async () => {
	assert.equal(await status(A), 'offline');
	// A plain beat (an open page) changes nothing; the first beat of a page ("opening") does.
	assert.equal((await A.post('/api/v1/agent/presence', { active: true })).json.status, 'offline');
	const o = await A.post('/api/v1/agent/presence', { active: true, opening: true });
	assert.equal(o.status, 200, o.text);
	assert.equal(o.json.status, 'online');
	assert.equal(await status(A), 'online');
	assert.equal(o.json.long_wait_s, 60);
	assert.equal(o.json.alert_sound, true);
	// Someone who went away (their choice) and reopens the workbench is still away.
	await B.put('/api/v1/agent/status', { status: 'away' });
	assert.equal((await B.post('/api/v1/agent/presence', { active: true, opening: true })).json.status, 'away');
	assert.equal((await B.post('/api/v1/agent/presence', { opening: 'yes' })).status, 400);
	await B.put('/api/v1/agent/status', { status: 'offline' });
});

test('transfer lists show status and load; a transfer to an away or offline agent is refused with 409', async () => {
	await A.put('/api/v1/agent/status', { status: 'online' });
	await B.put('/api/v1/agent/status', { status: 'offline' });
	await C.put('/api/v1/agent/status', { status: 'away' });
	const c = await start(channel.key);
	assert.equal(c.agent.id, A.id);
	const d = await A.get(`/api/v1/agent/directory?conversation_id=${c.id}`);
	assert.equal(d.status, 200, d.text);
	const me = d.json.agents.find((x) => x.id === A.id);
	assert.ok(me.active >= 1, JSON.stringify(me));
	assert.equal(me.capacity, 3);
	assert.equal(me.available, true);
	const b = d.json.agents.find((x) => x.id === B.id);
	assert.deepEqual([b.status, b.active, b.capacity, b.available], ['offline', 0, 3, false]);
	assert.equal(d.json.agents.find((x) => x.id === C.id).available, false);
	// Without a conversation: no capacity to compare with.
	const plain = await A.get('/api/v1/agent/directory');
	assert.equal(plain.json.agents.find((x) => x.id === A.id).capacity, null);
	assert.equal((await A.get('/api/v1/agent/directory?conversation_id=abc')).status, 400);

	for (const target of [B, C]) {
		const r = await A.post(`/api/v1/agent/conversations/${c.id}/transfer`, { user_id: target.id });
		assert.equal(r.status, 409, r.text);
		assert.equal(errorCode(r), 'conflict');
		assert.equal(r.json.error.field, 'user_id');
		const h = await A.post(`/api/v1/agent/conversations/${c.id}/handover`, { user_id: target.id, note: 'for you' });
		assert.equal(h.status, 409, h.text);
	}
	assert.equal((await conv(c)).agent.id, A.id, 'nothing moved');
	// Online: accepted.
	await C.put('/api/v1/agent/status', { status: 'online' });
	const ok = await A.post(`/api/v1/agent/conversations/${c.id}/transfer`, { user_id: C.id });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.agent.id, C.id);
	// To their group by design: nobody there is available, so it waits in that group's queue.
	await A.put('/api/v1/agent/status', { status: 'offline' });
	const back = await C.post(`/api/v1/agent/conversations/${c.id}/transfer`, { group_id: group.id });
	assert.equal(back.status, 200, back.text);
	assert.equal(back.json.status, 'queued');
	assert.equal((await conv(c)).status, 'queued');
	await C.put('/api/v1/agent/status', { status: 'offline' });
	await api('POST', `/api/v1/widget/conversations/${c.id}/close`, { headers: c.headers, body: {} });
});

test('a conversation held by someone offline returns to the queue: an admin who never opens the workbench, from a group and from the default pool', async () => {
	// The admin (no workbench: no heartbeat ever) is the only one online: both conversations go to them.
	const adm = await newAgent(T, 'Ada Admin');
	await api('PATCH', `/api/v1/admin/users/${adm.id}`, { key: T.apiKey, body: { role: 'admin' } });
	await api('PATCH', `/api/v1/admin/groups/${group.id}`, { key: T.apiKey, body: { member_user_ids: [A.id, B.id, adm.id] } });
	for (const s of [A, B, C]) await s.put('/api/v1/agent/status', { status: 'offline' });
	assert.equal((await adm.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	const inGroup = await start(channel.key), inPool = await start(pool.key);
	assert.equal(inGroup.agent.id, adm.id, JSON.stringify(inGroup));
	assert.equal(inPool.agent.id, adm.id, JSON.stringify(inPool));
	await adm.put('/api/v1/agent/status', { status: 'offline' });
	// Within the offline threshold (20 s here) nothing moves: a reload or a short break is no hand-back.
	await new Promise((r) => setTimeout(r, 2500));
	assert.equal((await conv(inGroup)).status, 'assigned');
	// The admin has been offline past the threshold (dated back instead of waiting).
	sql(`UPDATE users SET status_changed_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ${adm.id}`);
	await until('both conversations back in a queue', async () => {
		const [g, p] = [await conv(inGroup), await conv(inPool)];
		return g.status === 'queued' && p.status === 'queued';
	}, 15000);
	const q = (await B.get('/api/v1/agent/queue')).json.items.map((i) => i.id);
	assert.ok(q.includes(inGroup.id) && q.includes(inPool.id), JSON.stringify(q));
	// Exactly once: one "transferred" event each.
	for (const c of [inGroup, inPool]) {
		const ev = (await api('GET', `/api/v1/widget/conversations/${c.id}/events?after=0`, { headers: c.headers })).json.events;
		assert.equal(ev.filter((e) => e.type === 'status' && e.status === 'transferred').length, 1, JSON.stringify(ev));
	}
	// Someone coming online gets them, in order.
	await B.post('/api/v1/agent/presence', { active: true, opening: true });
	assert.equal((await conv(inGroup)).agent.id, B.id);
	assert.equal((await conv(inPool)).agent.id, B.id);
	await B.put('/api/v1/agent/status', { status: 'offline' });
});

test('queue joins and leaves reach the agent streams of the group and of admins, not of others', async () => {
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Queue shop', allowed_origins: [] } })).json;
	const D = await newAgent(T, 'Dan Queue'), E = await newAgent(T, 'Eve Queue'), F = await newAgent(T, 'Fay Outside');
	const adm = await newAgent(T, 'Al Admin');
	await api('PATCH', `/api/v1/admin/users/${adm.id}`, { key: T.apiKey, body: { role: 'admin' } });
	const g = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Queue desk', member_user_ids: [D.id, E.id], member_department_ids: [] } })).json;
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'Q', priority: 2, channel_ids: [ch.id], max_concurrent: 1, strategy: 'load', routing: { mode: 'rules', routes: [], fallback_group_id: g.id } } });
	assert.equal(r.status, 201, r.text);
	await D.put('/api/v1/agent/status', { status: 'online' });
	const first = await start(ch.key);
	assert.equal(first.agent.id, D.id);
	const waiting = await start(ch.key); // D at its maximum (1), E offline: it queues
	assert.equal(waiting.status, 'queued');
	const joined = (s) => streamOf(s).then((evs) => evs.some((e) => e.conversation_id === waiting.id && e.type === 'status' && e.status === 'queued'));
	assert.ok(await joined(D), 'a member (busy) hears the join');
	assert.ok(await joined(E), 'a member (offline) hears the join');
	assert.ok(await joined(adm), 'an admin hears the join');
	assert.equal(await joined(F), false, 'an agent outside the group does not');
	// E takes it: the others hear it leave.
	const take = await E.post(`/api/v1/agent/conversations/${waiting.id}/take`, {});
	assert.equal(take.status, 200, take.text);
	const left = (s) => streamOf(s).then((evs) => evs.some((e) => e.conversation_id === waiting.id && e.type === 'status' && e.status === 'assigned'));
	assert.ok(await left(D));
	assert.ok(await left(adm));
	assert.equal(await left(F), false);
	// A visitor who gives up while queued: the close reaches the watchers.
	const gaveUp = await start(ch.key); // both at max
	assert.equal(gaveUp.status, 'queued');
	assert.equal((await api('POST', `/api/v1/widget/conversations/${gaveUp.id}/close`, { headers: gaveUp.headers, body: {} })).status, 200);
	const closed = (await streamOf(D)).filter((e) => e.conversation_id === gaveUp.id).map((e) => e.status);
	assert.deepEqual(closed, ['queued', 'closed']);
	// The queue item says how long it has waited (the workbench marks long waits with it).
	const again = await start(ch.key);
	const item = (await adm.get('/api/v1/agent/queue')).json.items.find((i) => i.id === again.id);
	assert.equal(typeof item.waiting_seconds, 'number');
	for (const s of [D, E]) await s.put('/api/v1/agent/status', { status: 'offline' });
});

test('the long-wait mark is a tenant setting; the alert sound an agent preference', async () => {
	const p = await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { long_wait_s: 90 } });
	assert.equal(p.status, 200, p.text);
	assert.deepEqual(p.json, { away_after_s: 0, offline_after_s: 20, long_wait_s: 90, heartbeat_s: 20 });
	for (const v of [0, 4, 86401, 'x']) {
		const r = await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { long_wait_s: v } });
		assert.equal(r.status, 400);
		assert.equal(r.json.error.field, 'long_wait_s');
	}
	assert.equal((await A.post('/api/v1/agent/presence', { active: false })).json.long_wait_s, 90);
	assert.deepEqual((await A.get('/api/v1/agent/preferences')).json, { alert_sound: true });
	const off = await A.put('/api/v1/agent/preferences', { alert_sound: false });
	assert.equal(off.status, 200, off.text);
	assert.deepEqual(off.json, { alert_sound: false });
	assert.equal((await A.post('/api/v1/agent/presence', { active: false })).json.alert_sound, false);
	assert.deepEqual((await B.get('/api/v1/agent/preferences')).json, { alert_sound: true }, 'per user');
	assert.equal((await A.put('/api/v1/agent/preferences', { alert_sound: 1 })).status, 400);
	await A.put('/api/v1/agent/status', { status: 'offline' });
});

test('the widget learns before the visitor types: the greeting texts, the offline text, and which choice groups have someone online', async () => {
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Choice shop', allowed_origins: [] } })).json;
	const G = await newAgent(T, 'Gus Choice');
	const here = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Here', member_user_ids: [G.id], member_department_ids: [] } })).json;
	const gone = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Gone', member_user_ids: [B.id], member_department_ids: [] } })).json;
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: {
		name: 'Choice', priority: 3, channel_ids: [ch.id], welcome_message: 'Welcome to the choice shop', promo_message: 'Free shipping today',
		routing: { mode: 'visitor_choice', choice_prompt: 'Who?', choice_group_ids: [here.id, gone.id] },
		messages: { all_offline: { enabled: true, text: 'Nobody here, leave a note' }, out_of_hours: { enabled: false, text: '' } },
		leave_message: { enabled: true, fields: [{ name: 'msg', label: 'Message', type: 'textarea', required: true }] },
	} });
	assert.equal(r.status, 201, r.text);
	const view = async () => (await api('GET', `/api/v1/widget/channels/${ch.key}`)).json;
	await G.put('/api/v1/agent/status', { status: 'offline' });
	let v = await view();
	assert.equal(v.online, false);
	assert.deepEqual(v.choice.groups.map((g) => [g.name, g.online]), [['Here', false], ['Gone', false]]);
	assert.deepEqual(v.texts, { welcome: 'Welcome to the choice shop', promo: 'Free shipping today', offline: 'Nobody here, leave a note', out_of_hours: '' });
	await G.put('/api/v1/agent/status', { status: 'online' });
	v = await view();
	assert.equal(v.online, true);
	assert.deepEqual(v.choice.groups.map((g) => [g.name, g.online]), [['Here', true], ['Gone', false]]);
	// No rule: the built-in texts (null), no greeting.
	const bare = (await api('GET', `/api/v1/widget/channels/${pool.key}`)).json;
	assert.deepEqual(bare.texts, { welcome: '', promo: '', offline: null, out_of_hours: null });
	await G.put('/api/v1/agent/status', { status: 'offline' });
});

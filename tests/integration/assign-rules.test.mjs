// tests/integration/assign-rules.test.mjs: assignment rules end to end: CRUD and validation, routing by conditions, fallback and visitor choice, the three messages, leave-a-message, take/transfer capacity, queue positions.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

let T, admin, other;


async function setStatus(s, status) {
	const r = await s.put('/api/v1/agent/status', { status });
	assert.equal(r.status, 200, r.text);
}

async function channel(tenant, prechat_fields = []) {
	const r = await api('POST', '/api/v1/admin/channels', { key: tenant.apiKey, body: { name: unique('ch'), allowed_origins: [], prechat_fields } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function group(tenant, member_user_ids, extra = {}) {
	const r = await api('POST', '/api/v1/admin/groups', { key: tenant.apiKey, body: { name: unique('g'), member_user_ids, member_department_ids: [], ...extra } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function rule(tenant, body) {
	const r = await api('POST', '/api/v1/admin/rules', { key: tenant.apiKey, body: { name: unique('rule'), ...body } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

// A channel whose rule (room for one, then `fields`) sends to a group of one new agent, `name`.
async function desk(name, fields = {}) {
	const ch = await channel(T);
	const a = await newAgent(T, name);
	const g = await group(T, [a.id]);
	const r = await rule(T, { priority: 1, channel_ids: [ch.id], max_concurrent: 1, ...fields, routing: { mode: 'rules', fallback_group_id: g.id, ...fields.routing } });
	return { ch, a, g, r };
}

async function visitor(key, extra = {}) {
	const r = await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: { locale: 'en', ...extra } });
	assert.ok(r.status === 201 || r.status === 200, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	return { id: r.json.visitor_id, headers, key, req: (m, p, body) => api(m, '/api/v1/widget' + p, { body, headers }) };
}

async function start(v, body = {}) {
	return v.req('POST', '/conversations', { channel_key: v.key, prechat: {}, ...body });
}

async function events(v, id, after = 0) {
	const r = await v.req('GET', `/conversations/${id}/events?after=${after}&wait=0`);
	assert.equal(r.status, 200, r.text);
	return r.json.events;
}

before(async () => {
	T = newTenant('assign');
	other = newTenant('assign-other');
	admin = await Session.login(T.adminLogin, T.adminPassword);
	await setStatus(admin, 'offline');
});

test('rules CRUD: defaults filled, ordered by priority, PATCH merges, DELETE, audit', async () => {
	const ch = await channel(T);
	const a = await newAgent(T, 'Crud');
	const g = await group(T, [a.id]);
	const created = await rule(T, { priority: 20, channel_ids: [ch.id], routing: { mode: 'rules', routes: [{ group_id: g.id, match: 'all' }], fallback_group_id: g.id } });
	assert.equal(created.max_concurrent, 5);
	assert.equal(created.strategy, 'load');
	assert.equal(created.owner_fallback, 'load');
	assert.deepEqual(created.messages.all_busy, { enabled: false, text: '' });
	assert.equal(created.leave_message.enabled, false);
	const first = await rule(T, { priority: 10, channel_ids: [] });
	const list = await api('GET', '/api/v1/admin/rules', { key: T.apiKey });
	assert.equal(list.status, 200);
	const ids = list.json.items.map((r) => r.id);
	assert.ok(ids.indexOf(first.id) < ids.indexOf(created.id), 'ascending priority');
	const p = await api('PATCH', `/api/v1/admin/rules/${created.id}`, { key: T.apiKey, body: { max_concurrent: 7, messages: { all_busy: { enabled: true, text: 'busy' } } } });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.max_concurrent, 7);
	assert.deepEqual(p.json.messages.all_busy, { enabled: true, text: 'busy' });
	assert.deepEqual(p.json.messages.all_offline, { enabled: false, text: '' }, 'untouched sibling kept');
	assert.deepEqual(p.json.channel_ids, [ch.id]);
	const got = await api('GET', `/api/v1/admin/rules/${created.id}`, { key: T.apiKey });
	assert.deepEqual(got.json, p.json);
	// Another tenant sees nothing.
	assert.equal((await api('GET', `/api/v1/admin/rules/${created.id}`, { key: other.apiKey })).status, 404);
	assert.equal((await api('PATCH', `/api/v1/admin/rules/${created.id}`, { key: other.apiKey, body: { name: 'x' } })).status, 404);
	assert.equal((await api('DELETE', `/api/v1/admin/rules/${first.id}`, { key: T.apiKey })).status, 204);
	assert.equal((await api('GET', `/api/v1/admin/rules/${first.id}`, { key: T.apiKey })).status, 404);
	const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
	if (audit.status === 200)
		assert.ok(JSON.stringify(audit.json).includes('"rule"'), 'rule changes are audited');
	// An agent may not touch rules.
	assert.equal((await a.get('/api/v1/admin/rules')).status, 403);
});

test('rules validation: 400 invalid_field naming the field, nothing written', async () => {
	const foreignGroup = await group(other, []);
	const foreignChannel = await channel(other);
	const g = await group(T, []);
	const cases = [
		[{}, 'name'],
		[{ name: 'x', max_concurrent: 0 }, 'max_concurrent'],
		[{ name: 'x', max_concurrent: 1001 }, 'max_concurrent'],
		[{ name: 'x', max_concurrent: '5' }, 'max_concurrent'],
		[{ name: 'x', strategy: 'random' }, 'strategy'],
		[{ name: 'x', owner_fallback: 'nobody' }, 'owner_fallback'],
		[{ name: 'x', channel_ids: [foreignChannel.id] }, 'channel_ids[0]'],
		[{ name: 'x', routing: { mode: 'rules', routes: [{ group_id: foreignGroup.id, match: 'all' }] } }, 'routing.routes[0].group_id'],
		[{ name: 'x', routing: { mode: 'rules', routes: [], fallback_group_id: foreignGroup.id } }, 'routing.fallback_group_id'],
		[{ name: 'x', routing: { mode: 'visitor_choice', choice_group_ids: [] } }, 'routing.choice_group_ids'],
		[{ name: 'x', routing: { mode: 'visitor_choice', choice_group_ids: [foreignGroup.id] } }, 'routing.choice_group_ids[0]'],
		[{ name: 'x', routing: { mode: 'sometimes' } }, 'routing.mode'],
		[{ name: 'x', routing: { routes: [{ group_id: g.id, match: { all: [{ field: 'visitor.phone', op: 'like', value: '1' }] } }] } }, 'routing.routes[0].match.all[0].op'],
		[{ name: 'x', routing: { routes: [{ group_id: g.id, match: { all: [{ field: 'crm.x', op: 'eq', value: '1' }] } }] } }, 'routing.routes[0].match.all[0].field'],
		[{ name: 'x', routing: { routes: [{ group_id: g.id, match: { all: [{ field: 'visitor.plan', op: 'in', value: 'gold' }] } }] } }, 'routing.routes[0].match.all[0].value'],
		[{ name: 'x', routing: { routes: [{ group_id: g.id, match: 'some' }] } }, 'routing.routes[0].match'],
		[{ name: 'x', messages: { all_busy: { enabled: 'yes' } } }, 'messages.all_busy.enabled'],
		[{ name: 'x', leave_message: { enabled: true, fields: [{ name: 'bad name', label: 'x' }] } }, 'leave_message.fields[0].name'],
		[{ name: 'x', leave_message: { enabled: true, fields: [{ name: 'a', type: 'select', options: [] }] } }, 'leave_message.fields[0].options'],
	];
	const before = (await api('GET', '/api/v1/admin/rules', { key: T.apiKey })).json.items.length;
	for (const [body, field] of cases) {
		const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body });
		assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, field, JSON.stringify(body));
	}
	assert.equal((await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: '{"name":' , headers: { 'content-type': 'application/json' } })).status, 400);
	assert.equal((await api('GET', '/api/v1/admin/rules', { key: T.apiKey })).json.items.length, before);
});

test('routing: conditions on visitor attributes and prechat pick the group, else the fallback', async () => {
	const ch = await channel(T, [{ name: 'topic', label: 'Topic', type: 'select', options: ['sales', 'support'], required: false }]);
	const [gold, sales, rest] = [await newAgent(T, 'Gold'), await newAgent(T, 'Sales'), await newAgent(T, 'Rest')];
	for (const a of [gold, sales, rest]) await setStatus(a, 'online');
	const [gGold, gSales, gRest] = [await group(T, [gold.id]), await group(T, [sales.id]), await group(T, [rest.id])];
	await rule(T, {
		priority: 1, channel_ids: [ch.id],
		welcome_message: 'Welcome!', promo_message: 'Promo 10% off',
		routing: {
			mode: 'rules',
			routes: [
				{ group_id: gGold.id, match: { all: [{ field: 'visitor.plan', op: 'eq', value: 'gold' }, { field: 'visitor.page_url', op: 'prefix', value: 'https://shop.example/' }] } },
				{ group_id: gSales.id, match: { all: [{ field: 'prechat.topic', op: 'in', value: ['sales'] }] } },
			],
			fallback_group_id: gRest.id,
		},
	});
	const v1 = await visitor(ch.key, { attributes: { plan: 'gold' }, page_url: 'https://shop.example/cart' });
	const c1 = await start(v1);
	assert.equal(c1.status, 201, c1.text);
	assert.equal(c1.json.status, 'assigned');
	assert.equal(c1.json.agent.id, gold.id);
	const ev = await events(v1, c1.json.id);
	const texts = ev.filter((e) => e.type === 'message').map((e) => [e.message.sender, e.message.text]);
	assert.deepEqual(texts.slice(0, 2), [['system', 'Welcome!'], ['system', 'Promo 10% off']]);
	assert.ok(ev.some((e) => e.type === 'status' && e.status === 'assigned' && e.agent.id === gold.id));

	const v2 = await visitor(ch.key, { attributes: { plan: 'gold' }, page_url: 'https://other.example/' });
	const c2 = await start(v2, { prechat: { topic: 'sales' } });
	assert.equal(c2.json.agent.id, sales.id, 'first route fails on page_url, second matches prechat');
	const v3 = await visitor(ch.key);
	const c3 = await start(v3, { prechat: { topic: 'support' } });
	assert.equal(c3.json.agent.id, rest.id, 'fallback group');
	for (const a of [gold, sales, rest]) await setStatus(a, 'offline');
});

test('visitor choice: the widget sees the prompt and groups; group_id must be one of them', async () => {
	const ch = await channel(T);
	const [pre, post] = [await newAgent(T, 'Pre'), await newAgent(T, 'Post')];
	await setStatus(pre, 'online');
	await setStatus(post, 'online');
	const [gPre, gPost, gOther] = [await group(T, [pre.id]), await group(T, [post.id]), await group(T, [])];
	await rule(T, { priority: 1, channel_ids: [ch.id], routing: { mode: 'visitor_choice', choice_prompt: 'Which team?', choice_group_ids: [gPre.id, gPost.id] } });
	const info = await api('GET', `/api/v1/widget/channels/${ch.key}`);
	assert.equal(info.status, 200);
	assert.equal(info.json.choice.prompt, 'Which team?');
	assert.deepEqual(info.json.choice.groups.map((g) => g.id), [gPre.id, gPost.id]);
	assert.equal(info.json.online, true);
	const v = await visitor(ch.key);
	for (const bad of [gOther.id, undefined]) {
		const r = await start(v, bad === undefined ? {} : { group_id: bad });
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.error.field, 'group_id');
	}
	const ok = await start(v, { group_id: gPost.id });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.agent.id, post.id);
	await setStatus(pre, 'offline');
	await setStatus(post, 'offline');
});

test('nobody available: all_offline, out_of_hours and all_busy messages with statuses; require_identity', async () => {
	const { ch, a, g, r } = await desk('Solo', {
		routing: { routes: [] },
		messages: { all_busy: { enabled: true, text: 'All busy' }, all_offline: { enabled: true, text: 'All offline' }, out_of_hours: { enabled: true, text: 'Closed now' } },
		leave_message: { enabled: true, fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] },
	});
	const off = await start(await visitor(ch.key));
	assert.equal(off.json.status, 'offline');
	let v = await visitor(ch.key);
	await setStatus(a, 'online');
	const c1 = await start(v);
	assert.equal(c1.json.status, 'assigned');
	const v2 = await visitor(ch.key);
	const busy = await start(v2);
	assert.equal(busy.json.status, 'queued');
	assert.equal(busy.json.queue_position, 1);
	const ev = await events(v2, busy.json.id);
	assert.ok(ev.some((e) => e.type === 'status' && e.status === 'queued' && e.queue_position === 1));
	assert.ok(ev.some((e) => e.type === 'message' && e.message.text === 'All busy' && e.message.sender === 'system'));
	const evOff = await events(await (async () => v)(), c1.json.id);
	assert.ok(evOff.length > 0);
	// The widget offers the form while busy.
	const info = await api('GET', `/api/v1/widget/channels/${ch.key}`);
	assert.deepEqual(info.json.leave_message.fields.map((f) => f.name), ['email']);
	// Out of hours: a group closed every day.
	await api('PATCH', `/api/v1/admin/groups/${g.id}`, { key: T.apiKey, body: { service_hours: { timezone: 'Asia/Shanghai', weekly: {} } } });
	const v3 = await visitor(ch.key);
	const closed = await start(v3);
	assert.equal(closed.json.status, 'out_of_hours');
	assert.ok((await events(v3, closed.json.id)).some((e) => e.type === 'message' && e.message.text === 'Closed now'));
	assert.equal((await api('GET', `/api/v1/widget/channels/${ch.key}`)).json.open_now, false);
	await api('PATCH', `/api/v1/admin/groups/${g.id}`, { key: T.apiKey, body: { service_hours: null } });
	// Offline message text.
	await a.post(`/api/v1/agent/conversations/${c1.json.id}/close`, {});
	await setStatus(a, 'offline');
	const v4 = await visitor(ch.key);
	const off2 = await start(v4);
	assert.equal(off2.json.status, 'offline');
	assert.ok((await events(v4, off2.json.id)).some((e) => e.type === 'message' && e.message.text === 'All offline'));
	// require_identity: a guest gets 403 identity_required and nothing is created.
	await api('PATCH', `/api/v1/admin/rules/${r.id}`, { key: T.apiKey, body: { require_identity: true } });
	const g5 = await visitor(ch.key);
	const denied = await start(g5);
	assert.equal(denied.status, 403);
	assert.equal(errorCode(denied), 'identity_required');
	assert.equal((await g5.req('GET', '/conversations')).json.items.length, 0);
	await api('PATCH', `/api/v1/admin/rules/${r.id}`, { key: T.apiKey, body: { require_identity: false } });
	// Drain what is left: the queued visitor leaves.
	await v2.req('POST', `/conversations/${busy.json.id}/close`, {});
});

test('leave-a-message: validated against the form, stored, inbox and handle', async () => {
	const ch = await channel(T);
	const g = await group(T, []);
	await rule(T, {
		priority: 1, channel_ids: [ch.id], routing: { mode: 'rules', fallback_group_id: g.id },
		leave_message: { enabled: true, fields: [
			{ name: 'name', label: 'Name', type: 'text', required: true },
			{ name: 'phone', label: 'Phone', type: 'phone', required: false },
			{ name: 'topic', label: 'Topic', type: 'select', options: ['a', 'b'], required: false },
		] },
	});
	const v = await visitor(ch.key);
	const post = (fields) => api('POST', `/api/v1/widget/channels/${ch.key}/leave-messages`, { headers: v.headers, body: { fields } });
	for (const [fields, field] of [[{}, 'fields.name'], [{ name: '   ' }, 'fields.name'], [{ name: 'x', phone: 'abc' }, 'fields.phone'], [{ name: 'x', topic: 'c' }, 'fields.topic'], [{ name: 5 }, 'fields.name']]) {
		const r = await post(fields);
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.error.field, field);
	}
	assert.equal((await api('POST', `/api/v1/widget/channels/${ch.key}/leave-messages`, { headers: v.headers, body: {} })).status, 400);
	const ok = await post({ name: '<b>张三</b>', phone: '+86 159 1234 5678', extra: 'dropped' });
	assert.equal(ok.status, 201, ok.text);
	assert.deepEqual(ok.json.fields, { name: '<b>张三</b>', phone: '+86 159 1234 5678' });
	assert.equal(ok.json.status, 'open');
	// Without a token: 401; another channel's key: 404.
	assert.equal((await api('POST', `/api/v1/widget/channels/${ch.key}/leave-messages`, { body: { fields: { name: 'x' } } })).status, 401);
	const agent = await newAgent(T, 'Inbox');
	const inbox = await agent.get('/api/v1/agent/leave-messages?status=open');
	assert.equal(inbox.status, 200);
	assert.ok(inbox.json.items.some((m) => m.id === ok.json.id));
	const h = await agent.post(`/api/v1/agent/leave-messages/${ok.json.id}/handle`, {});
	assert.equal(h.status, 200, h.text);
	assert.equal(h.json.status, 'handled');
	assert.equal(h.json.handled_by, agent.id);
	assert.ok(!(await agent.get('/api/v1/agent/leave-messages?status=open')).json.items.some((m) => m.id === ok.json.id));
	// Another tenant's staff cannot handle it.
	const otherAdmin = await Session.login(other.adminLogin, other.adminPassword);
	assert.equal((await otherAdmin.post(`/api/v1/agent/leave-messages/${ok.json.id}/handle`, {})).status, 404);
});

test('take and transfer: capacity 409, queue positions count down as agents free up', async () => {
	const ch = await channel(T);
	const [a, b] = [await newAgent(T, 'Alpha'), await newAgent(T, 'Beta')];
	const g = await group(T, [a.id, b.id]);
	const g2 = await group(T, [b.id]);
	const r = await rule(T, { priority: 1, channel_ids: [ch.id], max_concurrent: 1, strategy: 'round_robin', routing: { mode: 'rules', fallback_group_id: g.id } });
	await setStatus(a, 'online');
	await setStatus(b, 'online');
	const vs = [];
	for (let i = 0; i < 5; i++) vs.push(await visitor(ch.key));
	const cs = [];
	for (const v of vs) cs.push((await start(v)).json);
	assert.equal(cs[0].agent.id, a.id, 'round robin starts at the first member');
	assert.equal(cs[1].agent.id, b.id);
	assert.deepEqual(cs.slice(2).map((c) => [c.status, c.queue_position]), [['queued', 1], ['queued', 2], ['queued', 3]]);
	// The queue view, in order.
	const q = await a.get('/api/v1/agent/queue');
	assert.equal(q.status, 200);
	assert.deepEqual(q.json.items.map((i) => i.id), cs.slice(2).map((c) => c.id));
	assert.ok(q.json.items.every((i) => typeof i.waiting_seconds === 'number'));
	// Taking at the maximum: 409 capacity; transferring to a full agent: 409 capacity.
	const take = await a.post(`/api/v1/agent/conversations/${cs[3].id}/take`, {});
	assert.equal(take.status, 409);
	assert.equal(errorCode(take), 'capacity');
	const tr = await a.post(`/api/v1/agent/conversations/${cs[0].id}/transfer`, { user_id: b.id });
	assert.equal(tr.status, 409);
	assert.equal(errorCode(tr), 'capacity');
	assert.equal((await a.post(`/api/v1/agent/conversations/${cs[0].id}/transfer`, {})).status, 400);
	// A raised maximum lets an agent take out of order; the others move up.
	await api('PATCH', `/api/v1/admin/rules/${r.id}`, { key: T.apiKey, body: { max_concurrent: 2 } });
	// The PATCH drained the queue: two waiting conversations were assigned, in order.
	const after = await Promise.all(cs.slice(2).map((c, i) => vs[i + 2].req('GET', `/conversations/${c.id}`)));
	assert.deepEqual(after.map((x) => x.json.status), ['assigned', 'assigned', 'queued']);
	assert.equal(after[2].json.queue_position, 1);
	const ev = await events(vs[4], cs[4].id);
	const positions = ev.filter((e) => e.type === 'status' && e.status === 'queued').map((e) => e.queue_position);
	assert.deepEqual(positions, [3, 1], 'position events only when it changed');
	// Back to max 1 for the rest; close one: nobody has room yet (each has 2).
	await api('PATCH', `/api/v1/admin/rules/${r.id}`, { key: T.apiKey, body: { max_concurrent: 2 } });
	const mine = (await a.get('/api/v1/agent/conversations')).json.groups.flatMap((g) => g.conversations);
	assert.equal(mine.length, 2);
	assert.equal((await a.post(`/api/v1/agent/conversations/${mine[0].id}/close`, {})).status, 200);
	const last = await vs[4].req('GET', `/conversations/${cs[4].id}`);
	assert.equal(last.json.status, 'assigned', 'the close drained the queue');
	assert.equal(last.json.agent.id, a.id);
	// Transfer to a group with room: b has 2 (max 2), so it queues in g2.
	const t2 = await a.post(`/api/v1/agent/conversations/${cs[4].id}/transfer`, { group_id: g2.id });
	assert.equal(t2.status, 200, t2.text);
	assert.equal(t2.json.status, 'queued');
	const tev = await events(vs[4], cs[4].id);
	assert.ok(tev.some((e) => e.type === 'status' && e.status === 'transferred' && e.group && e.group.id === g2.id));
	// b frees room: the transferred conversation goes to b.
	const bs = (await b.get('/api/v1/agent/conversations')).json.groups.flatMap((g) => g.conversations);
	assert.equal((await b.post(`/api/v1/agent/conversations/${bs[0].id}/close`, {})).status, 200);
	const moved = await vs[4].req('GET', `/conversations/${cs[4].id}`);
	assert.equal(moved.json.status, 'assigned');
	assert.equal(moved.json.agent.id, b.id);
	// Take: a has room (1 of 2) now; take needs a queued conversation, else 409 conflict.
	assert.equal(errorCode(await a.post(`/api/v1/agent/conversations/${cs[4].id}/take`, {})), 'conflict');
	// Another tenant: 404.
	const otherAdmin = await Session.login(other.adminLogin, other.adminPassword);
	assert.equal((await otherAdmin.post(`/api/v1/agent/conversations/${cs[4].id}/take`, {})).status, 404);
	assert.equal((await otherAdmin.post(`/api/v1/agent/conversations/${cs[4].id}/transfer`, { user_id: a.id })).status, 404);
	await setStatus(a, 'offline');
	await setStatus(b, 'offline');
});

test('agent coming online drains the queue first-come-first-served', async () => {
	const ch = await channel(T);
	const [a, b] = [await newAgent(T, 'One'), await newAgent(T, 'Two')];
	const g = await group(T, [a.id, b.id]);
	await rule(T, { priority: 1, channel_ids: [ch.id], max_concurrent: 1, routing: { mode: 'rules', fallback_group_id: g.id } });
	await setStatus(a, 'online');
	const vs = [await visitor(ch.key), await visitor(ch.key), await visitor(ch.key)];
	const cs = [];
	for (const v of vs) cs.push((await start(v)).json);
	assert.deepEqual(cs.map((c) => c.status), ['assigned', 'queued', 'queued']);
	await setStatus(b, 'online');
	const st = await Promise.all(cs.map((c, i) => vs[i].req('GET', `/conversations/${c.id}`)));
	assert.deepEqual(st.map((x) => x.json.status), ['assigned', 'assigned', 'queued']);
	assert.equal(st[1].json.agent.id, b.id, 'the oldest waiting goes first');
	assert.equal(st[2].json.queue_position, 1);
	// A taken conversation: b takes? b is full. Admin takes (any status, capacity applies).
	const t = await admin.post(`/api/v1/agent/conversations/${cs[2].id}/take`, {});
	assert.equal(t.status, 200, t.text);
	assert.equal(t.json.status, 'assigned');
	assert.equal(t.json.agent.id, admin.user.id);
	await setStatus(a, 'offline');
	await setStatus(b, 'offline');
});

test('service hours opening: the periodic check drains a queue nobody else touches', async () => {
	const { ch, a, g } = await desk('Timer');
	await a.get('/api/v1/agent/queue'); // starts the worker's timer, as any assignment request does
	await setStatus(a, 'online');
	const v1 = await visitor(ch.key), v2 = await visitor(ch.key);
	const c1 = (await start(v1)).json, c2 = (await start(v2)).json;
	assert.deepEqual([c1.status, c2.status], ['assigned', 'queued']);
	// Closed all week: the close frees room but the group is closed, so c2 keeps waiting.
	assert.equal((await api('PATCH', `/api/v1/admin/groups/${g.id}`, { key: T.apiKey, body: { service_hours: { timezone: 'UTC', weekly: {} } } })).status, 200);
	assert.equal((await a.post(`/api/v1/agent/conversations/${c1.id}/close`, {})).status, 200);
	assert.equal((await v2.req('GET', `/conversations/${c2.id}`)).json.status, 'queued');
	// Hours open again (an edit of the group, which does not call the engine): the timer drains within seconds.
	assert.equal((await api('PATCH', `/api/v1/admin/groups/${g.id}`, { key: T.apiKey, body: { service_hours: null } })).status, 200);
	let st;
	for (let i = 0; i < 50; i++) {
		st = (await v2.req('GET', `/conversations/${c2.id}`)).json;
		if (st.status === 'assigned') break;
		await new Promise((r) => setTimeout(r, 200));
	}
	assert.equal(st.status, 'assigned');
	assert.equal(st.agent.id, a.id);
	const ev = await events(v2, c2.id);
	assert.ok(ev.some((e) => e.type === 'status' && e.status === 'assigned' && e.via === 'queue'));
	await setStatus(a, 'offline');
});

test('a deleted group: whoever waits in its queue is told offline, new conversations too', async () => {
	const { ch, a, g } = await desk('Gone');
	await a.get('/api/v1/agent/queue'); // the timer
	await setStatus(a, 'online');
	const v1 = await visitor(ch.key), v2 = await visitor(ch.key);
	const c1 = (await start(v1)).json, c2 = (await start(v2)).json;
	assert.deepEqual([c1.status, c2.status], ['assigned', 'queued']);
	const del = await api('DELETE', `/api/v1/admin/groups/${g.id}`, { key: T.apiKey });
	assert.equal(del.status, 204, del.text);
	let st;
	for (let i = 0; i < 50; i++) {
		st = (await v2.req('GET', `/conversations/${c2.id}`)).json;
		if (st.status !== 'queued') break;
		await new Promise((r) => setTimeout(r, 200));
	}
	assert.equal(st.status, 'offline');
	assert.equal((await start(await visitor(ch.key))).json.status, 'offline');
	await a.post(`/api/v1/agent/conversations/${c1.id}/close`, {});
	await setStatus(a, 'offline');
});

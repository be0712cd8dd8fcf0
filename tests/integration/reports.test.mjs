// tests/integration/reports.test.mjs: the Reports API against a hand-computed scenario (docs/reports.md): every figure of
// summary, agents, timeseries and realtime, in UTC, Asia/Shanghai and America/New_York across a day boundary; the
// facts recorded by the real flows (first assignment, first agent message, transfers, missed, offline, status log);
// CSV equal to JSON; filters that partition the total; empty ranges.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newAgent, newTenant, Session, sql, unique } from '../lib/kefu.mjs';

let T, admin, A, B, ch, ch2, G1, G2, G3, c = {};

async function setStatus(s, status) {
	const r = await s.put('/api/v1/agent/status', { status });
	assert.equal(r.status, 200, r.text);
}

async function post(path, body) {
	const r = await api('POST', path, { key: T.apiKey, body });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function visitor(key) {
	const r = await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: { locale: 'en' } });
	assert.ok(r.status === 201 || r.status === 200, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	return { id: r.json.visitor_id, headers, req: (m, p, body) => api(m, '/api/v1/widget' + p, { body, headers }) };
}

async function start(v, group_id) {
	const r = await v.req('POST', '/conversations', { channel_key: ch.key, prechat: {}, group_id });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function ok(p) {
	const r = await p;
	assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
	return r.json;
}

const say = (s, id, text) => ok(s.post(`/api/v1/agent/conversations/${id}/messages`, { kind: 'text', text }));
const vsay = (v, id, text) => ok(v.req('POST', `/conversations/${id}/messages`, { kind: 'text', text }));

/** GET a report as the tenant's admin key. */
async function report(name, q = {}) {
	const qs = new URLSearchParams(q).toString();
	const r = await api('GET', `/api/v1/reports/${name}${qs ? '?' + qs : ''}`, { key: T.apiKey });
	assert.equal(r.status, 200, r.text);
	return r.json;
}

const stat = (avg, p50, p90) => ({ avg, p50, p90 });
const NULLSTAT = stat(null, null, null);
const csat = (count, avg, d = {}) => ({ count, avg, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, ...d } });

/** The JSON flattened as the CSV is: nested names joined with _, lists left out. */
function flat(o, prefix = '', out = {}) {
	for (const [k, v] of Object.entries(o)) {
		const name = prefix ? `${prefix}_${k}` : k;
		if (Array.isArray(v))
			continue;
		if (v !== null && typeof v === 'object')
			flat(v, name, out);
		else
			out[name] = v === null ? '' : String(v);
	}
	return out;
}

function parseCsv(text) {
	const rows = [];
	let row = [], cell = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (q) {
			if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') q = false; else cell += ch;
		} else if (ch === '"') q = true;
		else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
	}
	assert.equal(cell, '', 'the CSV ends with CRLF');
	return rows;
}

async function csvOf(name, q) {
	const qs = new URLSearchParams({ ...q, format: 'csv' }).toString();
	const r = await api('GET', `/api/v1/reports/${name}?${qs}`, { key: T.apiKey });
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition') || '', /attachment; filename="kefu-[a-z]+\.csv"/);
	return parseCsv(r.text);
}

/** CSV rows as objects by header, and JSON rows flattened, must be equal (numbers compared as numbers). */
function sameRows(csvRows, jsonRows) {
	const [head, ...rows] = csvRows;
	assert.equal(rows.length, jsonRows.length);
	jsonRows.forEach((j, i) => {
		const f = flat(j);
		assert.deepEqual(head, Object.keys(f), 'columns are the JSON names');
		head.forEach((h, k) => {
			const a = rows[i][k], b = f[h];
			if (a !== '' && !Number.isNaN(Number(a)) && b !== '')
				assert.equal(Number(a), Number(b), h);
			else
				assert.equal(a, b, h);
		});
	});
}

const U = (s) => `'${s}'`; // a UTC DATETIME literal
function at(iso, plusSeconds = 0) {
	return new Date(Date.parse(iso) + plusSeconds * 1000).toISOString().replace('T', ' ').replace('Z', '');
}

/** Give conversation id the timing (UTC ISO start; offsets in seconds, null: never). */
function timing(id, startIso, { assign = null, reply = null, close = null } = {}) {
	const t = (s) => (s === null ? 'NULL' : U(at(startIso, s)));
	sql(`UPDATE conversations SET created_at = ${t(0)}, first_assigned_at = ${t(assign)},
	     assigned_at = COALESCE(${t(assign)}, assigned_at), first_agent_message_at = ${t(reply)},
	     closed_at = ${close === null ? 'closed_at' : t(close)} WHERE tenant_id = ${T.id} AND id = ${id}`);
}

before(async () => {
	T = newTenant('reports');
	admin = await Session.login(T.adminLogin, T.adminPassword);
	await setStatus(admin, 'offline');
	A = await newAgent(T, 'Alice');
	B = await newAgent(T, 'Bob');
	G1 = await post('/api/v1/admin/groups', { name: 'G1 ' + unique('g'), member_user_ids: [A.id], member_department_ids: [] });
	G2 = await post('/api/v1/admin/groups', { name: 'G2 ' + unique('g'), member_user_ids: [B.id], member_department_ids: [] });
	G3 = await post('/api/v1/admin/groups', {
		name: 'G3 ' + unique('g'), member_user_ids: [A.id], member_department_ids: [],
		service_hours: { timezone: 'UTC', weekly: {} },
	});
	ch = await post('/api/v1/admin/channels', { name: unique('ch'), allowed_origins: [] });
	ch2 = await post('/api/v1/admin/channels', { name: unique('ch'), allowed_origins: [] });
	await post('/api/v1/admin/rules', {
		name: unique('rule'), priority: 1, channel_ids: [ch.id], max_concurrent: 1, welcome_message: 'Welcome!',
		routing: { mode: 'visitor_choice', choice_group_ids: [G1.id, G2.id, G3.id] },
		messages: { all_offline: { enabled: true, text: 'All offline' } },
		leave_message: { enabled: true, fields: [{ name: 'name', label: 'Name', type: 'text', required: true }] },
	});

	// The real flows, in order; their timing is set below.
	await setStatus(A, 'online');
	await setStatus(B, 'online');
	const v1 = await visitor(ch.key), v2 = await visitor(ch.key), v3 = await visitor(ch.key);
	const v4 = await visitor(ch.key), v5 = await visitor(ch.key), v7 = await visitor(ch.key);
	c.c1 = await start(v1, G1.id);
	assert.equal(c.c1.status, 'assigned');
	await vsay(v1, c.c1.id, 'hello');
	await say(A, c.c1.id, 'hi, Alice here');
	c.c4 = await start(v4, G1.id); // Alice is at her maximum of 1: it waits
	assert.equal(c.c4.status, 'queued');
	await ok(v4.req('POST', `/conversations/${c.c4.id}/close`, {})); // and leaves: missed
	await ok(A.post(`/api/v1/agent/conversations/${c.c1.id}/close`, {}));
	await ok(v1.req('POST', `/conversations/${c.c1.id}/rating`, { score: 5 }));
	c.c2 = await start(v2, G1.id);
	assert.equal(c.c2.status, 'assigned');
	await say(A, c.c2.id, 'Alice first');
	await ok(A.post(`/api/v1/agent/conversations/${c.c2.id}/transfer`, { user_id: B.id }));
	await say(B, c.c2.id, 'Bob now');
	await vsay(v2, c.c2.id, 'thanks');
	await ok(B.post(`/api/v1/agent/conversations/${c.c2.id}/close`, {}));
	await ok(v2.req('POST', `/conversations/${c.c2.id}/rating`, { score: 3 }));
	c.c3 = await start(v3, G2.id);
	assert.equal(c.c3.status, 'assigned');
	await say(B, c.c3.id, 'Bob here');
	await ok(B.post(`/api/v1/agent/conversations/${c.c3.id}/close`, {}));
	await setStatus(B, 'away');
	await setStatus(B, 'offline');
	c.c5 = await start(v5, G2.id);
	assert.equal(c.c5.status, 'offline');
	c.c7 = await start(v7, G3.id);
	assert.equal(c.c7.status, 'out_of_hours');
	const lm = await api('POST', `/api/v1/widget/channels/${ch.key}/leave-messages`, { headers: v5.headers, body: { fields: { name: 'Zoe' } } });
	assert.equal(lm.status, 201, lm.text);
	c.leave = lm.json;
});

test('the flows record the facts reports need, when they happen', () => {
	const row = (id) => sql(`SELECT first_assigned_at IS NOT NULL, first_agent_message_at IS NOT NULL,
		first_agent_message_at >= first_assigned_at, transfers, closed_from, unserved
		FROM conversations WHERE tenant_id = ${T.id} AND id = ${id}`)[0];
	assert.deepEqual(row(c.c1.id), ['1', '1', '1', '0', 'assigned', null]);
	assert.deepEqual(row(c.c2.id), ['1', '1', '1', '1', 'assigned', null], 'one transfer');
	assert.deepEqual(row(c.c3.id), ['1', '1', '1', '0', 'assigned', null]);
	// The queued one got the welcome (a system message): no first response, never assigned, closed while queued.
	assert.deepEqual(row(c.c4.id), ['0', '0', null, '0', 'queued', null]);
	assert.deepEqual(row(c.c5.id), ['0', '0', null, '0', null, 'offline']);
	assert.deepEqual(row(c.c7.id), ['0', '0', null, '0', null, 'out_of_hours']);
	assert.ok(Number(sql(`SELECT COUNT(*) FROM messages WHERE tenant_id = ${T.id} AND conversation_id = ${c.c4.id} AND sender = 'system'`)[0][0]) >= 1);
	// The first agent message is Alice's, not Bob's after the transfer: a transfer does not reset it.
	const [[first, alice]] = sql(`SELECT c.first_agent_message_at, (SELECT MIN(created_at) FROM messages m WHERE m.conversation_id = c.id
		AND m.agent_user_id = ${A.id}) FROM conversations c WHERE c.id = ${c.c2.id}`);
	assert.equal(first, alice);
	// Every status change, in order.
	assert.deepEqual(sql(`SELECT status FROM agent_status_log WHERE tenant_id = ${T.id} AND user_id = ${B.id} ORDER BY at, id`).map((r) => r[0]),
		['online', 'away', 'offline']);
});

// The scenario's timing (UTC). 2026-11-10 is a Tuesday; New York is at -05:00 then, Shanghai at +08:00.
const DAY = '2026-11-10';
function setTiming() {
	timing(c.c1.id, '2026-11-10T15:00:00Z', { assign: 30, reply: 90, close: 600 });
	timing(c.c4.id, '2026-11-10T16:00:00Z', { close: 45 });
	timing(c.c2.id, '2026-11-10T17:00:00Z', { assign: 10, reply: 30, close: 310 });
	timing(c.c5.id, '2026-11-10T20:00:00Z');
	timing(c.c7.id, '2026-11-10T22:00:00Z');
	timing(c.c3.id, '2026-11-11T03:00:00Z', { assign: 120, reply: 160, close: 1120 });
	sql(`UPDATE leave_messages SET created_at = '2026-11-10 21:00:00' WHERE tenant_id = ${T.id} AND id = ${c.leave.id}`);
	// Presence: Alice online 08-12, away 12-13, online 13-18, then offline; Bob online from 16:30 on.
	sql(`DELETE FROM agent_status_log WHERE tenant_id = ${T.id} AND user_id IN (${A.id}, ${B.id})`);
	sql(`INSERT INTO agent_status_log (tenant_id, user_id, status, at) VALUES
		(${T.id}, ${A.id}, 'offline', '2026-11-09 00:00:00'), (${T.id}, ${A.id}, 'online', '2026-11-10 08:00:00'),
		(${T.id}, ${A.id}, 'away', '2026-11-10 12:00:00'), (${T.id}, ${A.id}, 'online', '2026-11-10 13:00:00'),
		(${T.id}, ${A.id}, 'offline', '2026-11-10 18:00:00'), (${T.id}, ${B.id}, 'online', '2026-11-10 16:30:00')`);
}

test('summary: every figure of a UTC day, by hand', async () => {
	setTiming();
	// Business hours of G1 for the *_business figures: every day 09:00-15:01 UTC.
	const hours = { timezone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['09:00', '15:01']]])) };
	assert.equal((await api('PATCH', `/api/v1/admin/groups/${G1.id}`, { key: T.apiKey, body: { service_hours: hours } })).status, 200);
	const s = await report('summary', { from: DAY, to: DAY, tz: 'UTC' });
	// c1 (15:00), c4 (16:00), c2 (17:00), c5 (20:00), c7 (22:00); c3 starts the next day.
	assert.deepEqual(s, {
		conversations: 5, assigned: 2, missed: 1, offline: 1, out_of_hours: 1, leave_messages: 1, transfers: 1,
		messages: { visitor: 2, agent: 3 },
		wait_seconds: stat(20, 10, 30), // c1 30, c2 10
		first_response_seconds: stat(40, 20, 60), // c1 60, c2 20 (Alice's, before the transfer)
		handle_seconds: stat(435, 300, 570), // c1 570, c2 300
		// G1 is open 09:00-15:01: c1 waits 15:00:00-15:00:30 inside, answers by 15:01:30 (30 s inside), handles
		// until 15:10 (30 s inside); c2 (17:00) is all outside.
		wait_seconds_business: stat(15, 0, 30),
		first_response_seconds_business: stat(15, 0, 30),
		handle_seconds_business: stat(15, 0, 30),
		csat: csat(2, 4, { 3: 1, 5: 1 }),
		invitations: { sent: 0, accepted: 0, dismissed: 0, proactive: 0, by_agents: 0 },
	});
});

test('summary: the same conversations by day in Shanghai and New York', async () => {
	setTiming();
	// Shanghai 2026-11-10 is 11-09 16:00Z .. 11-10 16:00Z: only c1.
	const sh = await report('summary', { from: DAY, to: DAY, tz: 'Asia/Shanghai' });
	assert.equal(sh.conversations, 1);
	assert.equal(sh.missed, 0);
	assert.equal(sh.leave_messages, 0);
	assert.deepEqual(sh.wait_seconds, stat(30, 30, 30));
	assert.deepEqual(sh.csat, csat(1, 5, { 5: 1 }));
	// Shanghai 2026-11-11: c4, c2, c5, c7, c3 and the leave message.
	const sh2 = await report('summary', { from: '2026-11-11', to: '2026-11-11', tz: 'Asia/Shanghai' });
	assert.equal(sh2.conversations, 5);
	assert.equal(sh2.assigned, 2);
	assert.equal(sh2.missed, 1);
	assert.equal(sh2.leave_messages, 1);
	assert.deepEqual(sh2.wait_seconds, stat(65, 10, 120)); // c2 10, c3 120
	assert.deepEqual(sh2.first_response_seconds, stat(30, 20, 40));
	assert.deepEqual(sh2.handle_seconds, stat(650, 300, 1000));
	// New York 2026-11-10 is 11-10 05:00Z .. 11-11 05:00Z: all six.
	const ny = await report('summary', { from: DAY, to: DAY, tz: 'America/New_York' });
	assert.equal(ny.conversations, 6);
	assert.deepEqual(ny.wait_seconds, stat(53.333, 30, 120));
	assert.deepEqual(ny.handle_seconds, stat(623.333, 570, 1000));
	assert.deepEqual(ny.messages, { visitor: 2, agent: 4 });
	// Both Shanghai days together are the union.
	const both = await report('summary', { from: DAY, to: '2026-11-11', tz: 'Asia/Shanghai' });
	assert.equal(both.conversations, 6);
	assert.equal(both.transfers, 1);
});

test('agents: per agent, with online and away time in the zone\'s days', async () => {
	setTiming();
	const utc = await report('agents', { from: DAY, to: DAY, tz: 'UTC' });
	const by = Object.fromEntries(utc.items.map((x) => [x.agent.id, x]));
	assert.ok(by[admin.user.id], 'every staff member is listed');
	assert.deepEqual(by[A.id], {
		agent: { id: A.id, name: 'Alice' }, conversations: 1,
		first_response_seconds: stat(60, 60, 60), handle_seconds: stat(570, 570, 570), csat: csat(1, 5, { 5: 1 }),
		online_seconds: 9 * 3600, away_seconds: 3600,
		first_response_seconds_business: stat(30, 30, 30), handle_seconds_business: stat(30, 30, 30),
	});
	// c2 ended with Bob: it is his, first response included.
	assert.deepEqual(by[B.id], {
		agent: { id: B.id, name: 'Bob' }, conversations: 1,
		first_response_seconds: stat(20, 20, 20), handle_seconds: stat(300, 300, 300), csat: csat(1, 3, { 3: 1 }),
		online_seconds: 7.5 * 3600, away_seconds: 0,
		first_response_seconds_business: stat(0, 0, 0), handle_seconds_business: stat(0, 0, 0),
	});
	assert.equal(by[admin.user.id].conversations, 0);
	assert.deepEqual(by[admin.user.id].handle_seconds, NULLSTAT);
	assert.deepEqual(by[admin.user.id].csat, csat(0, null));
	// Shanghai's 2026-11-10 ends at 16:00Z: Alice online 08-12 and 13-16; Bob not yet.
	const sh = Object.fromEntries((await report('agents', { from: DAY, to: DAY, tz: 'Asia/Shanghai' })).items.map((x) => [x.agent.id, x]));
	assert.equal(sh[A.id].online_seconds, 7 * 3600);
	assert.equal(sh[A.id].away_seconds, 3600);
	assert.equal(sh[B.id].online_seconds, 0);
	assert.equal(sh[B.id].conversations, 0);
	// agent_id narrows to one row.
	const one = await report('agents', { from: DAY, to: DAY, tz: 'UTC', agent_id: A.id });
	assert.deepEqual(one.items.map((x) => x.agent.id), [A.id]);
});

test('timeseries: every interval present, with the zone\'s offset, 0 or null where nothing happened', async () => {
	setTiming();
	const d = await report('timeseries', { from: DAY, to: '2026-11-11', tz: 'Asia/Shanghai', metric: 'conversations' });
	assert.deepEqual(d.points, [{ t: '2026-11-10T00:00:00+08:00', value: 1 }, { t: '2026-11-11T00:00:00+08:00', value: 5 }]);
	const m = await report('timeseries', { from: DAY, to: '2026-11-11', tz: 'Asia/Shanghai', metric: 'missed', interval: 'day' });
	assert.deepEqual(m.points.map((p) => p.value), [0, 1]);
	const w = await report('timeseries', { from: DAY, to: '2026-11-11', tz: 'Asia/Shanghai', metric: 'wait_p50' });
	assert.deepEqual(w.points.map((p) => p.value), [30, 10]);
	const f = await report('timeseries', { from: DAY, to: '2026-11-11', tz: 'Asia/Shanghai', metric: 'first_response_p50' });
	assert.deepEqual(f.points.map((p) => p.value), [60, 20]);
	const cs = await report('timeseries', { from: '2026-11-09', to: '2026-11-11', tz: 'Asia/Shanghai', metric: 'csat_avg' });
	assert.deepEqual(cs.points.map((p) => p.value), [null, 5, 3]);
	// Hours of New York's 2026-11-10: 24 of them at -05:00.
	const h = await report('timeseries', { from: DAY, to: DAY, tz: 'America/New_York', metric: 'conversations', interval: 'hour' });
	assert.equal(h.points.length, 24);
	assert.equal(h.points[0].t, '2026-11-10T00:00:00-05:00');
	assert.equal(h.points[23].t, '2026-11-10T23:00:00-05:00');
	const hot = Object.fromEntries(h.points.filter((p) => p.value).map((p) => [p.t.slice(11, 13), p.value]));
	assert.deepEqual(hot, { 10: 1, 11: 1, 12: 1, 15: 1, 17: 1, 22: 1 });
	// The day DST ends in New York (2026-11-01) has 25 hours, 01:00 twice.
	const dst = await report('timeseries', { from: '2026-11-01', to: '2026-11-01', tz: 'America/New_York', metric: 'conversations', interval: 'hour' });
	assert.equal(dst.points.length, 25);
	assert.deepEqual(dst.points.slice(1, 3).map((p) => p.t), ['2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00']);
	// Refusals name the field.
	for (const [q, field] of [[{ metric: 'nope' }, 'metric'], [{ metric: 'missed', interval: 'week' }, 'interval'], [{}, 'metric']]) {
		const r = await api('GET', `/api/v1/reports/timeseries?${new URLSearchParams({ from: DAY, to: DAY, ...q })}`, { key: T.apiKey });
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.error.field, field);
	}
});

test('filters partition the total: by group (0: none), by agent (0: none), by channel', async () => {
	setTiming();
	const q = { from: DAY, to: '2026-11-11', tz: 'UTC' };
	const total = await report('summary', q);
	const counts = (s) => [s.conversations, s.assigned, s.missed, s.offline, s.out_of_hours, s.leave_messages, s.transfers,
		s.messages.visitor, s.messages.agent, s.csat.count, ...Object.values(s.csat.distribution)];
	const sum = (parts) => parts.map(counts).reduce((a, b) => a.map((x, i) => x + b[i]));
	const groups = await Promise.all([G1.id, G2.id, G3.id, 0].map((g) => report('summary', { ...q, group_id: g })));
	assert.deepEqual(sum(groups), counts(total));
	assert.equal(groups[0].conversations, 3); // c1, c4, c2
	assert.equal(groups[3].leave_messages, 1, 'a leave message belongs to no group');
	const agents = await Promise.all([A.id, B.id, admin.user.id, 0].map((a) => report('summary', { ...q, agent_id: a })));
	assert.deepEqual(sum(agents), counts(total));
	assert.equal(agents[1].conversations, 2); // c2, c3
	assert.deepEqual(agents[1].wait_seconds, stat(65, 10, 120));
	assert.deepEqual(counts(await report('summary', { ...q, channel_id: ch.id })), counts(total));
	assert.ok(counts(await report('summary', { ...q, channel_id: ch2.id })).every((x) => x === 0));
	// Filters combine.
	const g1a = await report('summary', { ...q, group_id: G1.id, agent_id: B.id });
	assert.equal(g1a.conversations, 1); // c2
});

test('CSV is the JSON: one row per item, columns the JSON names joined with _', async () => {
	setTiming();
	const q = { from: DAY, to: DAY, tz: 'Asia/Shanghai' };
	sameRows(await csvOf('summary', q), [await report('summary', q)]);
	const ag = await report('agents', q);
	sameRows(await csvOf('agents', q), ag.items);
	const tq = { ...q, to: '2026-11-11', metric: 'csat_avg' };
	sameRows(await csvOf('timeseries', tq), (await report('timeseries', tq)).points);
	const head = (await csvOf('summary', q))[0];
	assert.ok(head.includes('wait_seconds_p50') && head.includes('csat_distribution_5') && head.includes('messages_visitor'));
	const rt = await csvOf('realtime', {});
	assert.deepEqual(rt[0], ['waiting', 'longest_wait_seconds', 'live_conversations', 'agents_online', 'agents_away', 'agents_offline']);
	const bad = await api('GET', '/api/v1/reports/summary?format=xml', { key: T.apiKey });
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.field, 'format');
});

test('an empty range gives zeros and nulls, not errors; bad input is 400 naming the field', async () => {
	const q = { from: '2020-01-01', to: '2020-01-02', tz: 'Europe/Berlin' };
	const s = await report('summary', q);
	assert.deepEqual(s, {
		conversations: 0, assigned: 0, missed: 0, offline: 0, out_of_hours: 0, leave_messages: 0, transfers: 0,
		messages: { visitor: 0, agent: 0 }, wait_seconds: NULLSTAT, first_response_seconds: NULLSTAT, handle_seconds: NULLSTAT,
		wait_seconds_business: NULLSTAT, first_response_seconds_business: NULLSTAT, handle_seconds_business: NULLSTAT,
		csat: csat(0, null), invitations: { sent: 0, accepted: 0, dismissed: 0, proactive: 0, by_agents: 0 },
	});
	const a = await report('agents', q);
	assert.ok(a.items.every((x) => x.conversations === 0 && x.online_seconds === 0 && x.first_response_seconds.p50 === null));
	const t = await report('timeseries', { ...q, metric: 'wait_p50' });
	assert.deepEqual(t.points, [{ t: '2020-01-01T00:00:00+01:00', value: null }, { t: '2020-01-02T00:00:00+01:00', value: null }]);
	const t2 = await report('timeseries', { ...q, metric: 'conversations' });
	assert.deepEqual(t2.points.map((p) => p.value), [0, 0]);
	for (const [bad, field] of [[{ from: '2020-13-01' }, 'from'], [{ to: 'yesterday' }, 'to'], [{ tz: 'Mars/Base' }, 'tz'],
		[{ from: '2020-02-01', to: '2020-01-01' }, 'from'], [{ from: '2020-01-01', to: '2022-01-01' }, 'from'],
		[{ group_id: 'x' }, 'group_id'], [{ agent_id: '-1' }, 'agent_id'], [{ channel_id: '0' }, 'channel_id']]) {
		const r = await api('GET', `/api/v1/reports/summary?${new URLSearchParams(bad)}`, { key: T.apiKey });
		assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
		assert.equal(errorCode(r), 'invalid_field');
		assert.equal(r.json.error.field, field, JSON.stringify(bad));
	}
	// Defaults: the last 7 days in the tenant's zone answer.
	assert.equal((await api('GET', '/api/v1/reports/summary', { key: T.apiKey })).status, 200);
});

test('reports are an admin\'s: an agent is refused, another tenant sees only its own', async () => {
	assert.equal((await A.get(`/api/v1/reports/summary?from=${DAY}&to=${DAY}`)).status, 403);
	assert.equal((await A.get('/api/v1/reports/realtime')).status, 403);
	assert.equal((await admin.get(`/api/v1/reports/summary?from=${DAY}&to=${DAY}&tz=UTC`)).json.conversations, 5);
	const O = newTenant('reports-other');
	const r = await api('GET', `/api/v1/reports/summary?from=${DAY}&to=${DAY}&tz=UTC`, { key: O.apiKey });
	assert.equal(r.json.conversations, 0);
	const rt = await api('GET', '/api/v1/reports/realtime', { key: O.apiKey });
	assert.deepEqual(rt.json.by_group, []);
	assert.equal(rt.json.waiting, 0);
});

test('realtime: waiting, the longest wait, live, agents by status, per group', async () => {
	const R = newTenant('reports-rt');
	const radmin = await Session.login(R.adminLogin, R.adminPassword);
	await setStatus(radmin, 'offline');
	const ag = await newAgent(R, 'Rita', 'online');
	const aw = await newAgent(R, 'Walt', 'away');
	const g = (await api('POST', '/api/v1/admin/groups', { key: R.apiKey, body: { name: unique('g'), member_user_ids: [ag.id, aw.id], member_department_ids: [] } })).json;
	const empty = (await api('POST', '/api/v1/admin/groups', { key: R.apiKey, body: { name: unique('g'), member_user_ids: [], member_department_ids: [] } })).json;
	const rch = (await api('POST', '/api/v1/admin/channels', { key: R.apiKey, body: { name: unique('ch'), allowed_origins: [] } })).json;
	await api('POST', '/api/v1/admin/rules', { key: R.apiKey, body: { name: unique('r'), priority: 1, channel_ids: [rch.id], max_concurrent: 1, routing: { mode: 'rules', fallback_group_id: g.id } } });
	const startIn = async () => {
		const r = await api('POST', `/api/v1/widget/channels/${rch.key}/visitors`, { body: { locale: 'en' } });
		const headers = { 'x-visitor-token': r.json.visitor_token };
		return (await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: rch.key, prechat: {} } })).json;
	};
	const live = await startIn(), q1 = await startIn(), q2 = await startIn();
	assert.deepEqual([live.status, q1.status, q2.status], ['assigned', 'queued', 'queued']);
	sql(`UPDATE queue_entries SET enqueued_at = NOW(3) - INTERVAL 120 SECOND WHERE tenant_id = ${R.id} AND conversation_id = ${q1.id}`);
	const r = await api('GET', '/api/v1/reports/realtime', { key: R.apiKey });
	assert.equal(r.status, 200, r.text);
	const { longest_wait_seconds: longest, ...rest } = r.json;
	assert.ok(Math.abs(longest - 120) < 5, `longest wait ${longest}`);
	const byGroup = [...rest.by_group].sort((x, y) => x.group.id - y.group.id);
	assert.deepEqual({ ...rest, by_group: byGroup }, {
		waiting: 2, live_conversations: 1, agents: { online: 1, away: 1, offline: 1 },
		by_group: [
			{ group: { id: g.id, name: g.name }, waiting: 2, live: 1, agents_online: 1 },
			{ group: { id: empty.id, name: empty.name }, waiting: 0, live: 0, agents_online: 0 },
		],
	});
	const csv = (await api('GET', '/api/v1/reports/realtime?format=csv', { key: R.apiKey })).text.split('\r\n');
	assert.equal(csv[1].split(',').length, 6);
	assert.equal(csv[1].split(',')[0], '2');
});

test('every status change is logged, whoever makes it: the agent, the sweep (away, then offline), deleting the user', async () => {
	const P = newTenant('reports-log');
	const sam = await newAgent(P, 'Sam');
	assert.equal((await api('PUT', '/api/v1/admin/presence', { key: P.apiKey, body: { away_after_s: 1, offline_after_s: 20 } })).status, 200);
	await setStatus(sam, 'online');
	assert.equal((await sam.post('/api/v1/agent/presence', { active: true })).status, 200); // one beat, then silence
	const status = async () => (await sam.get('/api/v1/agent/status')).json.status;
	const waitFor = async (want, ms) => {
		const end = Date.now() + ms;
		while (Date.now() < end && (await status()) !== want)
			await new Promise((r) => setTimeout(r, 300));
		assert.equal(await status(), want);
	};
	await waitFor('away', 15000);
	await waitFor('offline', 45000);
	await setStatus(sam, 'online');
	const log = () => sql(`SELECT status, FLOOR(UNIX_TIMESTAMP(at) * 1000) FROM agent_status_log WHERE tenant_id = ${P.id} AND user_id = ${sam.id} ORDER BY at, id`);
	assert.deepEqual(log().map((r) => r[0]), ['online', 'away', 'offline', 'online']);
	// Online time: the first stretch, and the one still running.
	const [[, on1], [, away], , [, on2]] = log().map(([s, t]) => [s, Number(t)]);
	const day = (ms) => new Date(ms).toISOString().slice(0, 10); // yesterday too: midnight may pass meanwhile
	const before = Date.now();
	const r = await api('GET', `/api/v1/reports/agents?from=${day(before - 86400000)}&to=${day(before)}&tz=UTC&agent_id=${sam.id}`, { key: P.apiKey });
	const after = Date.now();
	const [item] = r.json.items;
	const low = (away - on1 + before - on2) / 1000, high = (away - on1 + after - on2) / 1000;
	assert.ok(item.online_seconds >= low - 0.5 && item.online_seconds <= high + 0.5, `${item.online_seconds} in [${low}, ${high}]`);
	assert.ok(Math.abs(item.away_seconds - (Number(log()[2][1]) - away) / 1000) < 0.01, 'away until the sweep took Sam offline');
	assert.equal((await api('DELETE', `/api/v1/admin/users/${sam.id}`, { key: P.apiKey })).status, 204);
	assert.deepEqual(log().map((r) => r[0]), ['online', 'away', 'offline', 'online', 'offline']);
});

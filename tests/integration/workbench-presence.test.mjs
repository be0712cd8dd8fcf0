// tests/integration/workbench-presence.test.mjs: agent presence: heartbeats, away after idle time and back on activity, offline when the workbench falls silent with the conversations handed back to the group; tenant thresholds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent, until } from '../lib/kefu.mjs';

let T, channel, group, A1, A2;


const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const status = async (s) => (await s.get('/api/v1/agent/status')).json;
// Asks read() for the status every `every` ms until it is want (the sweep works in the background), for at most `within` ms.
const becomes = (want, read, every, within) =>
	until(`status ${want}`, async () => {
		await sleep(every);
		return (await read()) === want;
	}, within);

before(async () => {
	T = newTenant('presence');
	channel = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Presence shop', allowed_origins: [] } })).json;
	A1 = await newAgent(T, 'Ada Present');
	A2 = await newAgent(T, 'Bo Present');
	group = (await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: 'Support', member_user_ids: [A1.id, A2.id], member_department_ids: [] } })).json;
	const rule = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'All', priority: 1, channel_ids: [channel.id], max_concurrent: 5, strategy: 'load', routing: { mode: 'rules', routes: [], fallback_group_id: group.id } } });
	assert.equal(rule.status, 201, rule.text);
});

test('thresholds: defaults, validation, update', async () => {
	const g = await api('GET', '/api/v1/admin/presence', { key: T.apiKey });
	assert.deepEqual(g.json, { away_after_s: 600, offline_after_s: 90, long_wait_s: 60, heartbeat_s: 20 });
	for (const body of [{ away_after_s: -1 }, { offline_after_s: 1 }, { offline_after_s: 19 }, { away_after_s: 'x' }]) {
		const r = await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body });
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(errorCode(r), 'invalid_field');
	}
	// The least: one heartbeat interval (a workbench beats every heartbeat_s).
	const p = await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { away_after_s: 0, offline_after_s: 20 } });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.offline_after_s, 20);
	assert.equal((await A1.put('/api/v1/admin/presence', { offline_after_s: 30 })).status, 403);
});

test('a silent workbench goes offline and its conversation goes back to the group', async () => {
	// An agent that never opened the workbench (no heartbeat) is never swept: it waits as long as A1 does.
	const api3 = await newAgent(T, 'Cy Scripted');
	await api3.put('/api/v1/agent/status', { status: 'online' });
	await A1.put('/api/v1/agent/status', { status: 'online' });
	assert.equal((await A1.post('/api/v1/agent/presence', { active: true })).json.status, 'online');
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.json.agent.id, A1.id); // api3 is in no group of the rule
	await A2.put('/api/v1/agent/status', { status: 'online' });
	// A2's workbench keeps beating; A1's has stopped (offline_after_s 20). One of A2's beats runs the sweep.
	const end = Date.now() + 40000;
	let mine = [];
	while (Date.now() < end) {
		assert.equal((await A2.post('/api/v1/agent/presence', { active: true })).status, 200);
		mine = (await A2.get('/api/v1/agent/conversations')).json.groups.flatMap((g) => g.conversations).map((x) => x.id);
		if (mine.includes(c.json.id)) break;
		await sleep(1000);
	}
	assert.ok(mine.includes(c.json.id), 'handed to the other agent');
	assert.equal((await status(A1)).status, 'offline');
	const ev = await api('GET', `/api/v1/widget/conversations/${c.json.id}/events?after=0`, { headers: { 'x-visitor-token': v.json.visitor_token } });
	assert.ok(ev.json.events.some((e) => e.type === 'status' && e.status === 'transferred' && e.agent && e.agent.id === A2.id), JSON.stringify(ev.json.events));
	assert.equal((await status(api3)).status, 'online');
	await api3.put('/api/v1/agent/status', { status: 'offline' });
});

test('idle agents go away and come back on activity', async () => {
	await api('PUT', '/api/v1/admin/presence', { key: T.apiKey, body: { away_after_s: 1, offline_after_s: 60 } });
	// The housekeeping sweep may have taken A2 offline while the test above
	// waited (it runs whether or not anyone beats): start from online.
	await A2.put('/api/v1/agent/status', { status: 'online' });
	await A2.post('/api/v1/agent/presence', { active: true });
	await becomes('away', async () => (await A2.post('/api/v1/agent/presence', { active: false })).json.status, 700, 15000);
	assert.equal((await status(A2)).status, 'away');
	const back = await A2.post('/api/v1/agent/presence', { active: true });
	assert.equal(back.json.status, 'online');
	// An agent who chose away stays away whatever the activity.
	await A2.put('/api/v1/agent/status', { status: 'away' });
	assert.equal((await A2.post('/api/v1/agent/presence', { active: true })).json.status, 'away');
	assert.equal((await A2.post('/api/v1/agent/presence', { active: 'yes' })).status, 400);
});

test('the sweep runs with no workbench open anywhere: the last agent to close theirs goes offline', async () => {
	const t = newTenant('presence-alone');
	const login = unique('alone'), password = 'pw-' + unique('x');
	await api('POST', '/api/v1/admin/users', { key: t.apiKey, body: { login, name: 'Alone', password, role: 'agent', department_ids: [] } });
	const s = await Session.login(login, password);
	assert.equal((await api('PUT', '/api/v1/admin/presence', { key: t.apiKey, body: { away_after_s: 0, offline_after_s: 20 } })).status, 200);
	await s.put('/api/v1/agent/status', { status: 'online' });
	await s.post('/api/v1/agent/presence', { active: true });
	// No request of this tenant from here on: only the workers' housekeeping can act.
	await becomes('offline', async () => (await status(s)).status, 1000, 40000);
});

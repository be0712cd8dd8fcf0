// tests/integration/queue-watchers.test.mjs: a queue's join and leave reach every watcher's stream, however large the group (its members and the tenant's admins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, newTenant, newAgent, unique, sql } from '../lib/kefu.mjs';

test('a queue event reaches every member of a group of 24 and every admin', async () => {
	const T = newTenant('qwatch');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: unique('ch'), allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	// One agent online with room for one; 23 more members who are not.
	const online = await newAgent(T, unique('On'), 'online');
	const members = [online.id];
	for (let i = 0; i < 23; i++) {
		const u = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login: unique('m'), name: `Member ${i}`, password: 'pw-' + unique('x'), role: 'agent', department_ids: [] } });
		assert.equal(u.status, 201, u.text);
		members.push(u.json.id);
	}
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: unique('g'), member_user_ids: members, member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: unique('rule'), channel_ids: [ch.json.id], max_concurrent: 1, routing: { mode: 'rules', fallback_group_id: g.json.id } } });
	assert.equal(r.status, 201, r.text);
	const start = async () => {
		const v = await api('POST', `/api/v1/widget/channels/${ch.json.key}/visitors`, { body: { locale: 'en' } });
		assert.equal(v.status, 201, v.text);
		const c = await api('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': v.json.visitor_token }, body: { channel_key: ch.json.key, prechat: {} } });
		assert.equal(c.status, 201, c.text);
		return { id: c.json.id, status: c.json.status, headers: { 'x-visitor-token': v.json.visitor_token } };
	};
	const held = await start();
	const queued = await start();
	assert.deepEqual([held.status, queued.status], ['assigned', 'queued']);
	const admins = sql(`SELECT id FROM users WHERE tenant_id = ${T.id} AND role = 'admin'`).map(([id]) => Number(id));
	const watchers = [...new Set([...members, ...admins])].sort((a, b) => a - b);
	const reached = () => sql(`SELECT DISTINCT user_id FROM user_events WHERE tenant_id = ${T.id} AND conversation_id = ${queued.id} ORDER BY user_id`).map(([id]) => Number(id));
	assert.deepEqual(reached(), watchers, 'the join reached every watcher');
	// The visitor leaves the queue: the leave reaches them all too.
	const before = Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id = ${queued.id}`)[0][0]);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${queued.id}/close`, { headers: queued.headers, body: {} })).status, 200);
	const after = Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id} AND conversation_id = ${queued.id}`)[0][0]);
	assert.ok(after - before >= watchers.length, `the leave reached ${after - before} of ${watchers.length} watchers`);
});

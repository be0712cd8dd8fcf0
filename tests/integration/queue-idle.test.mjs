// tests/integration/queue-idle.test.mjs: the periodic queue check leaves a queue nobody can serve alone until something is decided under its rule (it no longer takes the rule's lock every second), and stays the safety net for room that appears without a decision (a member added to the group).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack } from '../lib/own-stack.mjs';

// Row-lock waits are counted server-wide: a stack of its own, where the
// other suites' tenants leave the periodic jobs nothing to do (tests/lib/own-stack.mjs).
const { api, newTenant, Session, unique, newAgent, widgetVisitor, sql, holdRuleLock } = await ownStack('qidle');

let T;

before(async () => {
	T = newTenant('qidle');
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	await admin.put('/api/v1/agent/status', { status: 'offline' });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


test('an idle queue (a visitor waiting, the only agent busy) is not locked and re-read every second; a member added later is still served', async () => {
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: unique('ch'), allowed_origins: [] } });
	const a = await newAgent(T, unique('A'));
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: unique('g'), member_user_ids: [a.id], member_department_ids: [] } });
	const r = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: unique('rule'), channel_ids: [ch.json.id], max_concurrent: 1, routing: { mode: 'rules', fallback_group_id: g.json.id } } });
	assert.equal(r.status, 201, r.text);
	assert.equal((await a.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	const tenant = Number(sql(`SELECT tenant_id FROM rules WHERE id = ${r.json.id}`)[0][0]);
	const v1 = await widgetVisitor(ch.json.key, { locale: 'en' });
	assert.equal((await v1.req('POST', '/conversations', { channel_key: ch.json.key, prechat: {} })).json.status, 'assigned');
	const v2 = await widgetVisitor(ch.json.key, { locale: 'en' });
	const waiting = await v2.req('POST', '/conversations', { channel_key: ch.json.key, prechat: {} });
	assert.equal(waiting.json.status, 'queued', waiting.text);

	// Every worker's check has seen the queue idle by now (the memory is each
	// worker's, and which worker runs a check is whichever claims it first);
	// the first look was under 1 s after the start, its next full one is 10 s on.
	await sleep(7500);
	// With the rule's lock held by the test, a check that takes it waits
	// (and shows as a lock wait); an idle queue is not looked at again.
	// The time every row lock wait took (ms, counted when a wait ends): a
	// check blocked behind the held lock waits at least 1 of the 2 s (it
	// runs every second); whatever else runs on a shared stack waits
	// milliseconds.
	const lockWaitMs = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_time'")[0][1]);
	const w0 = lockWaitMs();
	const release = await holdRuleLock(tenant, r.json.id);
	await sleep(2000);
	await release();
	await sleep(300);
	const waited = lockWaitMs() - w0;
	assert.ok(waited < 800, `the periodic check waited for the idle queue's rule lock (${waited} ms of lock waits)`);

	// Room that appears without a decision under the rule (a second member,
	// online, added to the group): the check, the safety net, still serves
	// the waiting visitor (within its 10 s re-look).
	const b = await newAgent(T, unique('B'));
	assert.equal((await b.put('/api/v1/agent/status', { status: 'online' })).status, 200);
	const p = await api('PATCH', `/api/v1/admin/groups/${g.json.id}`, { key: T.apiKey, body: { member_user_ids: [a.id, b.id] } });
	assert.equal(p.status, 200, p.text);
	let status;
	for (let i = 0; i < 140; i++) {
		[[status]] = sql(`SELECT status FROM conversations WHERE id = ${waiting.json.id}`);
		if (status === 'assigned') break;
		await sleep(100);
	}
	assert.equal(status, 'assigned', 'the waiting visitor was served once the group had room');
	assert.equal(sql(`SELECT agent_user_id FROM conversations WHERE id = ${waiting.json.id}`)[0][0], String(b.id));
});

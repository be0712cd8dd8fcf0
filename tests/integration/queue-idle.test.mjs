// tests/integration/queue-idle.test.mjs: the periodic queue check leaves a queue nobody can serve alone until something is decided under its rule (it no longer takes the rule's lock every second), and stays the safety net for room that appears without a decision (a member added to the group).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack } from '../lib/own-stack.mjs';

// Row-lock waits are counted server-wide: a stack of its own, where the
// other suites' tenants leave the periodic jobs nothing to do (tests/lib/own-stack.mjs).
const { api, agentsOnlyTenant, ruledChannel, unique, newAgent, widgetVisitor, sql, holdRuleLock } = await ownStack('qidle');

let T;

before(async () => {
	T = await agentsOnlyTenant('qidle');
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


test('an idle queue (a visitor waiting, the only agent busy) is not locked and re-read every second; a member added later is still served', async () => {
	const a = await newAgent(T, unique('A'));
	const { key, group, rule, tenant } = await ruledChannel(T, [a]);
	const v1 = await widgetVisitor(key, { locale: 'en' });
	assert.equal((await v1.req('POST', '/conversations', { channel_key: key, prechat: {} })).json.status, 'assigned');
	const v2 = await widgetVisitor(key, { locale: 'en' });
	const waiting = await v2.req('POST', '/conversations', { channel_key: key, prechat: {} });
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
	const release = await holdRuleLock(tenant, rule);
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
	const p = await api('PATCH', `/api/v1/admin/groups/${group}`, { key: T.apiKey, body: { member_user_ids: [a.id, b.id] } });
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

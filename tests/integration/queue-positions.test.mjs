// tests/integration/queue-positions.test.mjs: a long queue draining: every waiter's queue_position events are exact, strictly falling and never after its assignment; far back they are coalesced (about one a second), not one per drain.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { agentsOnlyTenant, ruledChannel, newAgent, widgetVisitor } from '../lib/kefu.mjs';

let T;

before(async () => {
	T = await agentsOnlyTenant('qpos');
});

const visitor = (key) => widgetVisitor(key, { locale: 'en' });

async function events(v, id) {
	const r = await v.req('GET', `/conversations/${id}/events?after=0&wait=0`);
	assert.equal(r.status, 200, r.text);
	return r.json.events.filter((e) => e.type === 'status');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a queue of 40 draining: positions exact, strictly falling, never after the assignment, coalesced far back', async () => {
	const AGENTS = 3, WAITERS = 40, DRAINS = 25;
	const agents = [];
	for (let i = 0; i < AGENTS; i++) agents.push(await newAgent(T, `Q${i}`));
	const { key } = await ruledChannel(T, agents);

	const vs = [];
	for (let i = 0; i < AGENTS + WAITERS; i++) vs.push(await visitor(key));
	const cs = [];
	for (const v of vs) {
		const s = await v.req('POST', '/conversations', { channel_key: key, prechat: {} });
		assert.equal(s.status, 201, s.text);
		cs.push(s.json);
	}
	assert.deepEqual(cs.slice(0, AGENTS).map((c) => c.status), Array(AGENTS).fill('assigned'));
	assert.deepEqual(cs.slice(AGENTS).map((c) => c.queue_position), Array.from({ length: WAITERS }, (_, i) => i + 1));

	// Close conversations in arrival order, one after another: each close
	// frees one agent, whose drain serves the head of the queue.
	const t0 = Date.now();
	for (let k = 0; k < DRAINS; k++) {
		const c = await vs[k].req('POST', `/conversations/${cs[k].id}/close`, {});
		assert.equal(c.status, 200, c.text);
	}
	const drainMs = Date.now() - t0;

	// Served first-come-first-served: exactly the first DRAINS waiters.
	const now = await Promise.all(cs.map((c, i) => vs[i].req('GET', `/conversations/${c.id}`)));
	const served = AGENTS + DRAINS;
	assert.deepEqual(now.slice(DRAINS, served).map((x) => x.json.status), Array(AGENTS).fill('assigned'));
	assert.deepEqual(now.slice(served).map((x) => [x.json.status, x.json.queue_position]),
		Array.from({ length: WAITERS - DRAINS }, (_, i) => ['queued', i + 1]), 'positions read are exact at once');

	// Each remaining waiter's last position event reaches its place within a few seconds.
	let evs;
	for (let tries = 0; ; tries++) {
		evs = await Promise.all(cs.map((c, i) => events(vs[i], c.id)));
		const lastPos = evs.slice(served).map((es) => es.filter((e) => e.status === 'queued').at(-1).queue_position);
		if (lastPos.every((p, i) => p === i + 1)) break;
		assert.ok(tries < 40, `positions sent settle: ${JSON.stringify(lastPos)}`);
		await sleep(250);
	}
	for (let i = AGENTS; i < cs.length; i++) {
		const positions = evs[i].filter((e) => e.status === 'queued').map((e) => e.queue_position);
		assert.equal(positions[0], i - AGENTS + 1, 'the first is the place at arrival');
		for (let k = 1; k < positions.length; k++)
			assert.ok(positions[k] < positions[k - 1], `conversation ${i}: positions strictly falling: ${positions}`);
		const at = evs[i].findIndex((e) => e.status === 'assigned');
		if (i < served) {
			assert.ok(at > 0, `waiter ${i} was served`);
			assert.equal(evs[i][at].via, 'queue');
			assert.ok(evs[i].slice(at).every((e) => e.status !== 'queued'), 'no position after the assignment');
		}
	}
	// Far back, a waiter hears about once a second, not once per drain (the
	// old design: DRAINS events, each a write under the rule's lock).
	const last = evs.at(-1).filter((e) => e.status === 'queued').length - 1;
	assert.ok(last <= Math.ceil(drainMs / 1000) + 2 && last < DRAINS,
		`the last waiter got ${last} position updates for ${DRAINS} drains in ${drainMs} ms`);
	// The head hears at once, without waiting for the periodic update: one
	// more close serves the head, and the next in line already reads 1.
	assert.equal((await vs[DRAINS].req('POST', `/conversations/${cs[DRAINS].id}/close`, {})).status, 200);
	const next = (await events(vs[served + 1], cs[served + 1].id)).filter((e) => e.status === 'queued');
	assert.equal(next.at(-1).queue_position, 1);
	for (const a of agents) await a.put('/api/v1/agent/status', { status: 'offline' });
});

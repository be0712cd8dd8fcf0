// tests/integration/longpoll-head.test.mjs: a long-poll at its stream's known head parks without asking the database, and is still woken at once by the next message.
//
// The rows MariaDB reads are counted server-wide, so this file runs on a
// stack of its own (tools/stack, a fresh database): the shared test stack's
// periodic jobs read thousands of rows a second, in bursts, over what the
// earlier suites left behind, far more than the two rows a poll this
// measures. A stack that cannot start fails the file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack } from '../lib/own-stack.mjs';

const { api, staffedChannel, widgetVisitor, startConversation, sql } = await ownStack('lphead');

let agent;
const convs = [];

before(async () => {
	const desk = await staffedChannel('lphead');
	agent = desk.agent;
	for (let i = 0; i < 6; i++) {
		const v = await widgetVisitor(desk.channel.key, { locale: 'en' });
		const c = await startConversation(v, desk.channel.key);
		convs.push({ id: c.id, headers: v.headers, next: 0 });
	}
});

function poll(c, wait) {
	return api('GET', `/api/v1/widget/conversations/${c.id}/events?after=${c.next}&wait=${wait}`, { headers: c.headers });
}

// Rows the server has read so far (every statement's rows, every client).
function rowsRead() {
	return Number(sql("SHOW GLOBAL STATUS LIKE 'Rows_read'")[0][1]);
}

// Rows read per poll over `rounds` rounds of every conversation polled
// `each` times at once, less what the server reads meanwhile without us (the workers'
// tailers and housekeeping), measured just before over as long a quiet time.
async function rowsPerPoll(wait, rounds, each = 5) {
	const t0 = Date.now(), r0 = rowsRead();
	for (let i = 0; i < rounds; i++) {
		const rs = await Promise.all(convs.flatMap((c) => Array.from({ length: each }, () => poll(c, wait))));
		for (const r of rs) {
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json.events, []);
		}
	}
	const t1 = Date.now(), r1 = rowsRead();
	await new Promise((res) => setTimeout(res, t1 - t0));
	const quiet = rowsRead() - r1;
	return (r1 - r0 - quiet) / (rounds * each * convs.length);
}

test('an empty long-poll at the known head costs no more reads than an immediate one', async () => {
	for (const c of convs) {
		const r = await poll(c, 0);
		assert.equal(r.status, 200, r.text);
		c.next = r.json.next;
	}
	// Each worker learns a head from a poll's empty answer: a few rounds
	// reach both (lighttpd spreads the polls over them).
	for (let i = 0; i < 3; i++)
		await Promise.all(convs.map((c) => poll(c, 1)));
	// The server's own periodic jobs read in bursts (a drain or a sweep over
	// what earlier suites left behind), so one pair of windows can catch one
	// burst more or less than the other: five pairs are measured and the
	// median difference judged, which a burst or two cannot move.
	const diffs = [];
	for (let i = 0; i < 5; i++) {
		const now = await rowsPerPoll(0, 4);
		const parked = await rowsPerPoll(1, 4);
		diffs.push(parked - now);
	}
	diffs.sort((a, b) => a - b);
	// A parked poll reads its stream once, at its deadline, as an immediate
	// one does; before, it read it three times (its first try, the tailer's
	// check of a fresh waiter, the deadline): two rows more per poll.
	assert.ok(diffs[2] < 1, `a parked empty poll read more rows than an immediate one: ${diffs.map((d) => d.toFixed(2)).join(', ')} more per poll`);
});

test('a poll parked at the known head is woken by the next message at once, the agent\'s too', async () => {
	const c = convs[0];
	for (let i = 0; i < 3; i++)
		assert.equal((await poll(c, 1)).status, 200);
	const agentPoll = async () => {
		const r = await agent.get(`/api/v1/agent/conversations/${c.id}/events?after=${c.next}&wait=20`);
		assert.equal(r.status, 200, r.text);
		return r;
	};
	const t0 = Date.now();
	const waiting = poll(c, 20);
	const agentWaiting = agentPoll();
	await new Promise((res) => setTimeout(res, 300)); // both parked
	const m = await api('POST', `/api/v1/widget/conversations/${c.id}/messages`,
		{ headers: c.headers, body: { kind: 'text', text: 'wake up' } });
	assert.equal(m.status, 201, m.text);
	const [r, a] = await Promise.all([waiting, agentWaiting]);
	const ms = Date.now() - t0;
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.events.at(-1).message.text, 'wake up');
	assert.equal(a.json.events.at(-1).message.text, 'wake up');
	assert.ok(ms < 5000, `answered after ${ms} ms of a 20 s wait`);
	c.next = r.json.next;
	// The next poll at the new head parks again, and an immediate one sees nothing new.
	const again = await poll(c, 0);
	assert.deepEqual(again.json.events, []);
	assert.equal(again.json.next, c.next);
});

// tests/integration/messages-burst.test.mjs: many messages posted at once (written in shared batches by the workers):
// each keeps its own outcome, and every stream stays dense, complete and in order.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { api, errorCode, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

let T, channel, agents;


async function newVisitor() {
	const r = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: { locale: 'en' } });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	return { headers, req: (method, path, body) => api(method, '/api/v1/widget' + path, { body, headers }) };
}

// Every event of a stream, following next until it stops moving.
async function allEvents(get, path) {
	const out = [];
	let after = 0;
	for (;;) {
		const r = await get(`${path}${path.includes('?') ? '&' : '?'}after=${after}`);
		assert.equal(r.status, 200, r.text);
		out.push(...r.json.events);
		if (r.json.next === after)
			return out;
		after = r.json.next;
	}
}

before(async () => {
	T = newTenant('burst');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Burst', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
	agents = [await newAgent(T, 'Burst One', 'online'), await newAgent(T, 'Burst Two', 'online')];
});

test('a burst of messages: own outcomes, dense streams, nothing lost or doubled', async () => {
	const convs = [];
	for (let i = 0; i < 10; i++) {
		const v = await newVisitor();
		const r = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.status, 'assigned');
		convs.push({ v, id: r.json.id, agent: agents.find((a) => a.id === r.json.agent.id) });
	}
	// One conversation closed by its visitor, before the burst.
	const closed = convs.pop();
	assert.equal((await closed.v.req('POST', `/conversations/${closed.id}/close`, {})).status, 200);
	const stranger = await newVisitor();

	const posts = [];
	const expect = (promise, status, conv, sender, text) => posts.push(promise.then((r) => ({ r, status, conv, sender, text })));
	for (let round = 0; round < 6; round++) {
		for (const c of convs) {
			const text = `visitor ${c.id} #${round} 你好 😀`;
			expect(c.v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text }), 201, c, 'visitor', text);
			if (round % 2 === 0) {
				const reply = `agent ${c.id} #${round}`;
				expect(c.agent.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: reply }), 201, c, 'agent', reply);
			}
		}
		expect(closed.v.req('POST', `/conversations/${closed.id}/messages`, { kind: 'text', text: 'too late' }), 409);
		expect(stranger.req('POST', `/conversations/${convs[round].id}/messages`, { kind: 'text', text: 'not mine' }), 404);
		// Tokens are looked up in the batch's transaction: a bad one, or a page
		// the channel does not allow, refuses only its own post.
		expect(api('POST', `/api/v1/widget/conversations/${convs[round].id}/messages`,
			{ headers: { 'x-visitor-token': `forged-${round}` }, body: { kind: 'text', text: 'forged' } }), 401);
		expect(api('POST', `/api/v1/widget/conversations/${convs[round].id}/messages`,
			{ headers: { ...convs[round].v.headers, origin: 'https://evil.example' }, body: { kind: 'text', text: 'framed' } }), 403);
	}
	const done = await Promise.all(posts);

	const ids = new Set();
	for (const { r, status, conv, sender, text } of done) {
		assert.equal(r.status, status, r.text);
		if (status === 409)
			assert.equal(errorCode(r), 'conflict');
		if (status === 404)
			assert.equal(errorCode(r), 'not_found');
		if (status === 401)
			assert.equal(errorCode(r), 'unauthenticated');
		if (status === 403)
			assert.equal(errorCode(r), 'origin_not_allowed');
		if (status !== 201)
			continue;
		assert.equal(r.json.conversation_id, conv.id);
		assert.equal(r.json.sender, sender);
		assert.equal(r.json.text, text);
		if (sender === 'agent')
			assert.deepEqual(r.json.agent, { id: conv.agent.id, name: conv.agent.name });
		assert.ok(!ids.has(r.json.id), `message id ${r.json.id} handed out twice`);
		ids.add(r.json.id);
	}

	for (const c of convs) {
		const mine = done.filter((d) => d.status === 201 && d.conv === c).map((d) => d.r.json);
		const evs = await allEvents((p) => c.v.req('GET', p), `/conversations/${c.id}/events`);
		assert.deepEqual(evs.map((e) => e.seq), evs.map((_, i) => i + 1), 'the conversation stream is dense');
		const msgs = evs.filter((e) => e.type === 'message' && e.message.sender !== 'system').map((e) => e.message);
		assert.deepEqual(msgs.map((m) => m.id).sort((a, b) => a - b), mine.map((m) => m.id).sort((a, b) => a - b),
			'every message that was answered 201 is in the stream once, and nothing else');
		assert.deepEqual(msgs.map((m) => m.id), [...msgs.map((m) => m.id)].sort((a, b) => a - b), 'stream order is id order');
		for (const m of msgs)
			assert.deepEqual(m, mine.find((x) => x.id === m.id), 'the event carries the MESSAGE the POST answered');
		const list = await c.agent.get('/api/v1/agent/conversations');
		assert.equal(list.status, 200, list.text);
		const row = list.json.groups.flatMap((g) => g.conversations).find((x) => x.id === c.id);
		assert.ok(row, `conversation ${c.id} in its agent's list`);
		assert.equal(row.last_message.id, Math.max(...mine.map((m) => m.id)), 'the list shows the newest message');
	}

	for (const a of agents) {
		const evs = await allEvents((p) => a.get(p), '/api/v1/agent/events');
		const got = evs.filter((e) => e.type === 'message' && e.message.sender !== 'system').map((e) => e.message.id);
		const want = done.filter((d) => d.status === 201 && d.conv.agent === a).map((d) => d.r.json.id);
		assert.equal(new Set(got).size, got.length, 'no message twice in the agent stream');
		assert.deepEqual(got.sort((x, y) => x - y), want.sort((x, y) => x - y), 'the agent stream has each of its messages');
	}
});

// SQL as MariaDB's root, beside the workers (the stack's own server).
const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', `${process.env.KEFU_STATE}/mysqld.sock`, '-uroot', '-N', 'kefu', '-e', q],
	{ encoding: 'utf8' }).trim();

test('a batch whose database connection dies mid-transaction writes nothing and answers 503; the next post works', async () => {
	const v = await newVisitor();
	const c = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(c.status, 201, c.text);
	// Hold the lock on the conversation's stream number, so that the batch
	// stops inside its transaction, after its first statement (the
	// conversations' locking read: a connection lost there is reconnected
	// and the statement tried again, as nothing had been done yet).
	const holder = spawn('mariadb', ['--no-defaults', '--unbuffered', '-S', `${process.env.KEFU_STATE}/mysqld.sock`, '-uroot', '-N', 'kefu'],
		{ stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	holder.stdout.on('data', (d) => { out += d; });
	holder.stdin.write(`START TRANSACTION; SELECT stream_id FROM stream_seqs WHERE kind = 'c' AND stream_id = ${c.json.id} FOR UPDATE;\n`);
	for (let i = 0; !out.includes(String(c.json.id)); i++) {
		assert.ok(i < 100, 'the lock was taken');
		await new Promise((r) => setTimeout(r, 50));
	}
	const post = v.req('POST', `/conversations/${c.json.id}/messages`, { kind: 'text', text: 'lost with its connection' });
	let waiting = '';
	for (let i = 0; !(waiting = sql("SELECT id FROM information_schema.processlist WHERE user = 'kefu' AND command = 'Execute'"
		+ " AND info LIKE 'INSERT INTO stream_seqs %'")); i++) {
		assert.ok(i < 60, 'the batch waits for the lock'); // well within its 5 s lock wait timeout
		await new Promise((r) => setTimeout(r, 50));
	}
	sql(`KILL CONNECTION ${waiting.split('\n')[0]}`);
	holder.stdin.end('COMMIT;\n');
	await new Promise((r) => holder.on('close', r));
	const r = await post;
	assert.equal(r.status, 503, r.text);
	assert.equal(errorCode(r), 'unavailable');
	assert.equal(sql(`SELECT COUNT(*) FROM messages WHERE conversation_id = ${c.json.id} AND sender = 'visitor'`), '0',
		'nothing of the killed transaction was written');
	const again = await v.req('POST', `/conversations/${c.json.id}/messages`, { kind: 'text', text: 'after the reconnect' });
	assert.equal(again.status, 201, again.text);
	const evs = await allEvents((p) => v.req('GET', p), `/conversations/${c.json.id}/events`);
	assert.deepEqual(evs.map((e) => e.seq), evs.map((_, i) => i + 1), 'the stream is still dense');
	assert.deepEqual(evs.filter((e) => e.type === 'message' && e.message.sender === 'visitor').map((e) => e.message.text),
		['after the reconnect']);
});

test('a message post reads its caller without locking the visitor\'s or the channel\'s row', async () => {
	// The batch's locking read of the conversations also reads the callers
	// (visitor and channel) by their tokens; those rows must not be locked,
	// or every post on a channel would wait for every other's commit.
	const v = await newVisitor();
	const c = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(c.status, 201, c.text);
	const [vid, chid] = sql(`SELECT visitor_id, channel_id FROM conversations WHERE id = ${c.json.id}`).split('\t');
	const holder = spawn('mariadb', ['--no-defaults', '--unbuffered', '-S', `${process.env.KEFU_STATE}/mysqld.sock`, '-uroot', '-N', 'kefu'],
		{ stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	holder.stdout.on('data', (d) => { out += d; });
	holder.stdin.write(`START TRANSACTION; SELECT 'held', id FROM visitors WHERE id = ${vid} FOR UPDATE;`
		+ ` SELECT 'held', id FROM channels WHERE id = ${chid} FOR UPDATE;\n`);
	for (let i = 0; (out.match(/held/g) || []).length < 2; i++) {
		assert.ok(i < 100, 'the locks were taken');
		await new Promise((r) => setTimeout(r, 50));
	}
	try {
		const t0 = Date.now();
		const r = await v.req('POST', `/conversations/${c.json.id}/messages`, { kind: 'text', text: 'not waiting' });
		assert.equal(r.status, 201, r.text);
		// the lock wait timeout is 5 s; a post that waited would take that long at least
		assert.ok(Date.now() - t0 < 2500, `the post took ${Date.now() - t0} ms`);
	} finally {
		holder.stdin.end('COMMIT;\n');
		await new Promise((r) => holder.on('close', r));
	}
});

test('messages and other events share one stream: read whole, page by page and from any seq, in both streams', async () => {
	const v = await newVisitor();
	const c = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(c.status, 201, c.text);
	const id = c.json.id;
	const agent = agents.find((a) => a.id === c.json.agent.id);
	// 120 rounds of a visitor message and the agent reading it (a read event):
	// more than one page (200) of alternating messages and events.
	const posted = [];
	let head = (await allEvents((p) => v.req('GET', p), `/conversations/${id}/events`)).length;
	for (let i = 0; i < 120; i++) {
		const m = await v.req('POST', `/conversations/${id}/messages`, { kind: 'text', text: `line ${i}` });
		assert.equal(m.status, 201, m.text);
		posted.push(m.json);
		const read = await agent.post(`/api/v1/agent/conversations/${id}/read`, { seq: head + 1 });
		assert.equal(read.status, 200, read.text);
		head += 2;
	}
	const evs = await allEvents((p) => v.req('GET', p), `/conversations/${id}/events`);
	assert.ok(evs.length > 240, `${evs.length} events`);
	assert.deepEqual(evs.map((e) => e.seq), evs.map((_, i) => i + 1), 'dense across pages');
	const tail = evs.slice(-240);
	assert.deepEqual(tail.map((e) => e.type), tail.map((_, i) => (i % 2 === 0 ? 'message' : 'read')),
		'each message, then its read event, in the order they happened');
	assert.deepEqual(evs.filter((e) => e.type === 'message' && e.message.sender === 'visitor').map((e) => e.message),
		posted, 'each message once, as its POST answered it');
	for (const from of [1, 199, 200, evs.length - 1]) {
		const page = (await v.req('GET', `/conversations/${id}/events?after=${from}`)).json;
		assert.deepEqual(page.events, evs.slice(from, from + 200), `a page from seq ${from}`);
	}
	// The agent's stream points at the same events, messages included.
	const mine = (await allEvents((p) => agent.get(p), '/api/v1/agent/events')).filter((e) => e.conversation_id === id);
	const agentSide = mine.filter((e) => e.type === 'message');
	assert.deepEqual(agentSide.map((e) => e.message), posted, 'the agent stream has every message once, in order');
	for (const e of mine) {
		const { conversation_id: conv, ...same } = e;
		assert.equal(conv, id);
		assert.deepEqual(same, evs.find((x) => x.seq === e.seq), 'the agent stream carries the conversation stream events');
	}
});

// tests/integration/messages-agent-stream.test.mjs: a message is its own entry in its agent's stream (no user_events row of its own), and that stream still holds every message once, in order, among its other entries.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ownStack, perCall } from '../lib/own-stack.mjs';

// Rows written are counted server-wide: a stack of its own, where the
// periodic jobs are quiet (tests/lib/own-stack.mjs).
const { api, staffedChannel, widgetVisitor, startConversation, sql } = await ownStack('msgagent');

let T, key, agent;

async function visitorConversation() {
	const v = await widgetVisitor(key, { locale: 'en' });
	const c = await startConversation(v, key);
	assert.equal(c.agent.id, agent.id);
	return { id: c.id, headers: v.headers, post: (text) => v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text }) };
}

// The agent's stream after cursor `from`, page by page: [{cursor, event}], and the final cursor.
async function agentStream(from = 0) {
	const out = [];
	let after = from;
	for (;;) {
		const r = await agent.get(`/api/v1/agent/events?after=${after}`);
		assert.equal(r.status, 200, r.text);
		if (r.json.events.length === 0) {
			assert.equal(r.json.next, after);
			return { entries: out, next: after };
		}
		assert.ok(r.json.next > after, 'the cursor moves on');
		// The cursor of each entry: the page's entries sit at increasing places up to next.
		r.json.events.forEach((e) => out.push({ event: e, page: after }));
		after = r.json.next;
	}
}

before(async () => {
	let channel;
	({ tenant: T, agent, channel } = await staffedChannel('msgagent'));
	key = channel.key;
});

test('a message post writes the message row only: no user_events row for the agent', async () => {
	const c = await visitorConversation();
	const ue0 = Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id}`)[0][0]);
	const per = await perCall(['Handler_write'], 30, async (i) => {
		const r = await c.post(`count ${i}`);
		assert.equal(r.status, 201, r.text);
	}, { rounds: 3 });
	// The messages row and the two streams' numbers (stream_seqs): about 3.2
	// a post with what else the server wrote meanwhile; 4.1 with a
	// user_events row each.
	assert.ok(per.Handler_write < 3.6, `${per.Handler_write.toFixed(2)} rows written per post`);
	assert.equal(Number(sql(`SELECT COUNT(*) FROM user_events WHERE tenant_id = ${T.id}`)[0][0]), ue0, 'no user_events rows');
	// The rows carry their place in the agent's stream, one apart.
	const places = sql(`SELECT stream_user_id, stream_user_seq FROM messages WHERE tenant_id = ${T.id} AND conversation_id = ${c.id} ORDER BY id`);
	assert.equal(places.length, 90);
	assert.ok(places.every(([u]) => Number(u) === agent.id));
	places.forEach(([, s], i) => i > 0 && assert.equal(Number(s), Number(places[i - 1][1]) + 1));
});

test('the agent stream: every message once, in order, with its other entries, across pages', async () => {
	const head = (await agentStream()).next;
	const a = await visitorConversation(), b = await visitorConversation();
	// Bursts into both (shared batches), then a third conversation's assignment
	// (a user_events row) between two bursts, over more than a page (200).
	const burst = async (tag, convs, n) => {
		const rs = await Promise.all(Array.from({ length: n }, (_, i) => convs[i % convs.length].post(`${tag} ${i}`)));
		rs.forEach((r) => assert.equal(r.status, 201, r.text));
		return rs.map((r) => r.json.id);
	};
	const first = await burst('first', [a, b], 130);
	const c = await visitorConversation();
	const second = await burst('second', [a, b, c], 130);
	const own = await agent.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'from the agent' });
	assert.equal(own.status, 201, own.text);

	const { entries } = await agentStream(head);
	const msgs = entries.filter((x) => x.event.type === 'message' && x.event.message.sender !== 'system').map((x) => x.event.message.id);
	const want = [...first, ...second, own.json.id];
	assert.equal(new Set(msgs).size, msgs.length, 'no message twice');
	assert.deepEqual([...msgs].sort((x, y) => x - y), [...want].sort((x, y) => x - y), 'every message');
	// In order: each conversation's messages in their stream order, and the
	// third conversation's assignment after every message of the first burst
	// and before every message of the second.
	for (const conv of [a, b, c]) {
		const seqs = entries.filter((x) => x.event.type === 'message' && x.event.conversation_id === conv.id).map((x) => x.event.seq);
		assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), `conversation ${conv.id} in its order`);
	}
	const at = entries.findIndex((x) => x.event.type !== 'message' && x.event.conversation_id === c.id);
	assert.ok(at >= 0, "the third conversation's assignment is in the stream");
	const pos = (id) => entries.findIndex((x) => x.event.type === 'message' && x.event.message.id === id);
	assert.ok(first.every((id) => pos(id) < at), 'the first burst before the assignment');
	assert.ok(second.every((id) => pos(id) > at), 'the second burst after it');
	// Read again from any cursor, the rest is the same.
	const places = sql(`SELECT stream_user_seq FROM messages WHERE tenant_id = ${T.id} AND stream_user_id = ${agent.id} AND id = ${second[50]}`);
	const from = Number(places[0][0]);
	const rest = (await agentStream(from)).entries.map((x) => JSON.stringify(x.event));
	const all = entries.map((x) => JSON.stringify(x.event));
	const cut = pos(second[50]);
	assert.deepEqual(rest, all.slice(cut + 1), 'the entries after that place, from it on');
});

test("an agent's long-poll at its stream's head is answered by a new message", async () => {
	const c = await visitorConversation();
	const { next } = await agentStream();
	const t0 = Date.now();
	const poll = agent.get(`/api/v1/agent/events?after=${next}&wait=20`);
	await new Promise((res) => setTimeout(res, 300));
	const r = await c.post('wake up');
	assert.equal(r.status, 201, r.text);
	const p = await poll;
	assert.equal(p.status, 200, p.text);
	assert.ok(Date.now() - t0 < 8000, `answered after ${Date.now() - t0} ms`);
	assert.ok(p.json.events.some((e) => e.type === 'message' && e.message.id === r.json.id), JSON.stringify(p.json));
});

test('a message in the agent stream by a user_events row (as written before 0034) reads as before', async () => {
	const c = await visitorConversation();
	const r = await c.post('old style');
	assert.equal(r.status, 201, r.text);
	const before = (await agentStream()).entries.map((x) => x.event);
	const [[seq, place]] = sql(`SELECT seq, stream_user_seq FROM messages WHERE id = ${r.json.id}`);
	sql(`UPDATE messages SET stream_user_id = NULL, stream_user_seq = NULL WHERE id = ${r.json.id}`);
	sql(`INSERT INTO user_events (tenant_id, user_id, seq, conversation_id, event_seq) VALUES (${T.id}, ${agent.id}, ${place}, ${c.id}, ${seq})`);
	const after = (await agentStream()).entries.map((x) => x.event);
	assert.deepEqual(after, before);
	assert.equal(after.filter((e) => e.type === 'message' && e.message.id === r.json.id).length, 1);
});

test("a message row's index entries: its two streams and retention; none for its attachment or unread; no foreign key", async () => {
	// Every secondary index is an entry written per message; no query reads
	// messages by attachment (0034 dropped that key with its foreign key),
	// and the unread counts read the stream key (0035 dropped the unread
	// key with the conversation's foreign key, a check per row).
	const keys = sql("SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'messages'").map(([k]) => k).sort();
	assert.deepEqual(keys, ['ix_messages_retention', 'PRIMARY', 'uq_messages_stream', 'uq_messages_user_stream'].sort());
	assert.deepEqual(sql("SELECT constraint_name FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() AND table_name = 'messages'"), []);
	// A file message still points at its attachment, in the agent's stream too.
	const c = await visitorConversation();
	const fd = new FormData();
	fd.append('file', new Blob(['a plain text file'], { type: 'text/plain' }), 'note.txt');
	const up = await api('POST', `/api/v1/widget/conversations/${c.id}/attachments`, { body: fd, headers: c.headers });
	assert.equal(up.status, 201, up.text);
	assert.ok(up.json.attachment.id > 0, up.text);
	const [[att]] = sql(`SELECT attachment_id FROM messages WHERE id = ${up.json.id}`);
	assert.equal(Number(att), up.json.attachment.id);
	const { entries } = await agentStream();
	const got = entries.find((x) => x.event.type === 'message' && x.event.message.id === up.json.id);
	assert.ok(got, 'the file message is in the agent stream');
	assert.deepEqual(got.event.message.attachment, up.json.attachment);
});

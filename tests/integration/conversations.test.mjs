// tests/integration/conversations.test.mjs: visitor <-> agent conversations through lighttpd, real workers and MariaDB: assignment, messages, long-poll delivery, attachments, access and bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, Session, unique, newAgent } from '../lib/kefu.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let T, channel, other, A1, A2, admin;


async function setStatus(s, status) {
	const r = await s.put('/api/v1/agent/status', { status });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, status);
}

async function newVisitor(key = channel.key) {
	const r = await api('POST', `/api/v1/widget/channels/${key}/visitors`, { body: { locale: 'en' } });
	assert.ok(r.status === 201 || r.status === 200, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	return {
		id: r.json.visitor_id,
		headers,
		req: (method, path, body, extra = {}) => api(method, '/api/v1/widget' + path, { body, headers: { ...headers, ...(extra.headers || {}) } }),
	};
}

const PRECHAT = { phone: '+86 159-1234-5678', email: 'zhang@example.com', topic: 'sales' };

async function start(v, prechat = PRECHAT) {
	const r = await v.req('POST', '/conversations', { channel_key: channel.key, prechat });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function events(v, id, after = 0, wait = 0) {
	const r = await v.req('GET', `/conversations/${id}/events?after=${after}&wait=${wait}`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

function upload(path, bytes, name, type, headers) {
	const fd = new FormData();
	fd.append('file', new Blob([bytes], { type }), name);
	return api('POST', path, { body: fd, headers });
}

before(async () => {
	T = newTenant('conv');
	const ch = await api('POST', '/api/v1/admin/channels', {
		key: T.apiKey,
		body: {
			name: 'Shop', allowed_origins: [],
			prechat_fields: [
				{ name: 'phone', label: 'Phone', type: 'phone', required: true },
				{ name: 'email', label: 'Email', type: 'email', required: false },
				{ name: 'topic', label: 'Topic', type: 'select', options: ['sales', 'support'], required: false },
			],
		},
	});
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
	const ch2 = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Other', allowed_origins: [] } });
	assert.equal(ch2.status, 201, ch2.text);
	other = ch2.json;
	admin = await Session.login(T.adminLogin, T.adminPassword);
	A1 = await newAgent(T, 'Agent One');
	A2 = await newAgent(T, 'Agent Two');
});

test('nobody online: status offline with the system message', async () => {
	const v = await newVisitor();
	const c = await start(v);
	assert.equal(c.status, 'offline');
	assert.equal(c.agent, null);
	assert.equal(c.queue_position, null);
	const ev = await events(v, c.id);
	const types = ev.events.map((e) => e.type === 'status' ? `status:${e.status}` : `message:${e.message.sender}`);
	assert.deepEqual(types, ['status:offline', 'message:system']);
	assert.match(ev.events[1].message.text, /offline/i); // the visitor registered with locale en
	assert.equal(ev.events[1].message.kind, 'text');
	assert.equal(ev.next, 2);
});

test('assignment, messages both ways, delivery latency, resume and unread', async () => {
	await setStatus(A1, 'online');
	const agentHead = (await A1.get('/api/v1/agent/events?after=0')).json.next;
	const v = await newVisitor();
	const c = await start(v);
	assert.equal(c.status, 'assigned');
	assert.deepEqual(c.agent, { id: A1.id, name: 'Agent One' });

	// Starting again resumes the open conversation.
	const again = await start(v);
	assert.equal(again.id, c.id);
	assert.equal(again.resumed, true);
	// The visitor's list shows it as the conversation's own answer does.
	const mine = (await v.req('GET', '/conversations')).json.items;
	assert.deepEqual(mine.map((x) => [x.id, x.status, x.agent, x.channel_id]), [[c.id, 'assigned', { id: A1.id, name: 'Agent One' }, channel.id]]);

	// The agent's stream announces it, with conversation_id.
	const stream = await A1.get(`/api/v1/agent/events?after=${agentHead}&wait=5`);
	assert.equal(stream.status, 200);
	const assigned = stream.json.events.find((e) => e.type === 'status' && e.conversation_id === c.id);
	assert.ok(assigned, JSON.stringify(stream.json));
	assert.equal(assigned.status, 'assigned');
	assert.equal(assigned.agent.id, A1.id);
	assert.ok(stream.json.next > agentHead);

	const list = await A1.get('/api/v1/agent/conversations');
	assert.equal(list.status, 200);
	assert.equal(list.json.groups.length, 1);
	assert.equal(list.json.groups[0].id, null);
	const item = list.json.groups[0].conversations.find((x) => x.id === c.id);
	assert.ok(item);
	assert.equal(item.visitor.id, v.id);
	assert.equal(item.unread, 0);

	// A waiting visitor poll returns soon after the agent's POST.
	let head = (await events(v, c.id)).next;
	const waiting = (async () => {
		const t0 = Date.now();
		const r = await events(v, c.id, head, 25);
		return { r, t1: Date.now(), t0 };
	})();
	await new Promise((res) => setTimeout(res, 400));
	const posted = await A1.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: '您好，有什么可以帮您？' });
	const tPost = Date.now();
	assert.equal(posted.status, 201, posted.text);
	assert.equal(posted.json.sender, 'agent');
	assert.deepEqual(posted.json.agent, { id: A1.id, name: 'Agent One' });
	const w = await waiting;
	const visitorLatency = w.t1 - tPost;
	assert.ok(w.t1 - w.t0 >= 300, 'the poll waited');
	assert.ok(visitorLatency < 1000, `delivered ${visitorLatency} ms after the POST`);
	assert.equal(w.r.events.length, 1);
	assert.equal(w.r.events[0].message.id, posted.json.id);
	head = w.r.next;

	// And the other way: the agent's waiting poll on the conversation.
	const agentWait = (async () => {
		const r = await A1.get(`/api/v1/agent/conversations/${c.id}/events?after=${head}&wait=25`);
		return { r, t1: Date.now() };
	})();
	await new Promise((res) => setTimeout(res, 400));
	const vm = await v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text: '我想问一下订单 😀👍🏽' });
	const tv = Date.now();
	assert.equal(vm.status, 201, vm.text);
	assert.equal(vm.json.sender, 'visitor');
	assert.equal(vm.json.text, '我想问一下订单 😀👍🏽');
	assert.ok(vm.json.created_at.endsWith('Z'));
	const aw = await agentWait;
	const agentLatency = aw.t1 - tv;
	assert.ok(agentLatency < 1000, `agent got it ${agentLatency} ms after the POST`);
	assert.equal(aw.r.json.events[0].message.id, vm.json.id);
	console.log(`# delivery latency: visitor ${visitorLatency} ms, agent ${agentLatency} ms`);

	// Two more visitor messages, then resume from a cursor: exactly the later ones, dense.
	const mark = aw.r.json.next;
	await v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text: 'one' });
	await v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text: 'two' });
	const all = await events(v, c.id, 0);
	const seqs = all.events.map((e) => e.seq);
	assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'dense from 1');
	const later = await events(v, c.id, mark);
	assert.deepEqual(later.events.map((e) => e.message.text), ['one', 'two']);
	assert.equal(later.next, mark + 2);
	const none = await events(v, c.id, later.next);
	assert.deepEqual(none.events, []);
	assert.equal(none.next, later.next);

	// Unread: the three visitor messages; read up to the end clears them.
	let l2 = (await A1.get('/api/v1/agent/conversations')).json.groups[0].conversations.find((x) => x.id === c.id);
	assert.equal(l2.unread, 3);
	assert.equal(l2.last_message.text, 'two');
	const rd = await A1.post(`/api/v1/agent/conversations/${c.id}/read`, { seq: later.next });
	assert.equal(rd.status, 200, rd.text);
	l2 = (await A1.get('/api/v1/agent/conversations')).json.groups[0].conversations.find((x) => x.id === c.id);
	assert.equal(l2.unread, 0);
	assert.equal((await v.req('POST', `/conversations/${c.id}/read`, { seq: later.next })).status, 200);

	// Close by the agent: the visitor sees the status event; anything more is 409.
	const cl = await A1.post(`/api/v1/agent/conversations/${c.id}/close`, {});
	assert.equal(cl.status, 200, cl.text);
	assert.equal(cl.json.status, 'closed');
	const closedEv = await events(v, c.id, later.next);
	closedEv.events = closedEv.events.filter((e) => e.type !== 'read'); // read receipts (workbench issue) come first
	assert.equal(closedEv.events[0].type, 'status');
	assert.equal(closedEv.events[0].status, 'closed');
	const m409 = await v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text: 'hello?' });
	assert.equal(m409.status, 409);
	assert.equal(errorCode(m409), 'conflict');
	assert.equal((await v.req('POST', `/conversations/${c.id}/close`)).status, 409);
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c.id}/close`, {})).status, 409);
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'x' })).status, 409);
	const f409 = await upload(`/api/v1/widget/conversations/${c.id}/attachments`, PNG, 'a.png', 'image/png', v.headers);
	assert.equal(f409.status, 409);
	// No longer in the agent's live list; a new start makes a new conversation.
	const l3 = (await A1.get('/api/v1/agent/conversations')).json.groups[0].conversations;
	assert.ok(!l3.some((x) => x.id === c.id));
	const fresh = await start(v);
	assert.notEqual(fresh.id, c.id);
	assert.equal((await v.req('POST', `/conversations/${fresh.id}/close`)).status, 200);
});

test('attachments: sniffed types, safe serving, limits', async () => {
	await setStatus(A1, 'online');
	const v = await newVisitor();
	const c = await start(v);
	const base = `/api/v1/widget/conversations/${c.id}/attachments`;

	// A PNG claimed as text: sniffed as image/png, shown inline.
	const img = await upload(base, PNG, 'photo.png', 'text/plain', v.headers);
	assert.equal(img.status, 201, img.text);
	assert.equal(img.json.kind, 'image');
	assert.equal(img.json.attachment.mime, 'image/png');
	assert.equal(img.json.attachment.size, PNG.length);
	assert.equal(img.json.attachment.name, 'photo.png');
	const got = await fetch(process.env.KEFU_URL + img.json.attachment.url);
	assert.equal(got.status, 200);
	assert.equal(got.headers.get('content-type'), 'image/png');
	assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
	assert.match(got.headers.get('content-disposition'), /^inline;/);
	assert.equal(Number(got.headers.get('content-length')), PNG.length);
	assert.ok(Buffer.from(await got.arrayBuffer()).equals(PNG));
	const etag = got.headers.get('etag');
	assert.match(etag, /^"[0-9a-f]{64}"$/);
	assert.match(got.headers.get('cache-control'), /private/);
	const cached = await fetch(process.env.KEFU_URL + img.json.attachment.url, { headers: { 'if-none-match': etag } });
	assert.equal(cached.status, 304);

	// HTML claimed as an image, with a hostile name: a file, served as a download.
	const html = Buffer.from('<html><script>alert(1)</script></html>');
	const f = await upload(base, html, '../../<b>evil</b>".html', 'image/png', v.headers);
	assert.equal(f.status, 201, f.text);
	assert.equal(f.json.kind, 'file');
	assert.equal(f.json.attachment.mime, 'application/octet-stream');
	assert.ok(!f.json.attachment.name.includes('/'));
	const dl = await fetch(process.env.KEFU_URL + f.json.attachment.url);
	assert.equal(dl.status, 200);
	assert.equal(dl.headers.get('content-type'), 'application/octet-stream');
	assert.match(dl.headers.get('content-disposition'), /^attachment;/);
	assert.match(dl.headers.get('content-disposition'), /filename\*=UTF-8''/);
	assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
	const svg = await upload(base, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml', v.headers);
	assert.equal(svg.json.kind, 'file');

	// The URL's token is the credential: without it or wrong, 404; an agent's session may read.
	const bare = img.json.attachment.url.replace(/\?.*$/, '');
	assert.equal((await api('GET', bare)).status, 404);
	assert.equal((await api('GET', bare + '?t=wrong')).status, 404);
	assert.equal((await A1.get(bare)).status, 200);

	// Agent uploads too; empty and oversized files are refused.
	const ag = await upload(`/api/v1/agent/conversations/${c.id}/attachments`, PNG, '图.png', 'image/png',
		{ cookie: A1.cookieHeader(), 'x-csrf-token': A1.csrf });
	assert.equal(ag.status, 201, ag.text);
	assert.equal(ag.json.sender, 'agent');
	const empty = await upload(base, Buffer.alloc(0), 'empty.txt', 'text/plain', v.headers);
	assert.equal(empty.status, 400);
	assert.equal(errorCode(empty), 'invalid_field');
	const big = await upload(base, Buffer.alloc(10 * 1024 * 1024 + 1024, 0x41), 'big.bin', 'application/octet-stream', v.headers);
	assert.equal(big.status, 413);
	assert.equal(errorCode(big), 'too_large');
	const nofile = new FormData();
	nofile.append('other', 'x');
	assert.equal((await api('POST', base, { body: nofile, headers: v.headers })).status, 400);
	const broken = await api('POST', base, { body: '--x\r\nbroken', headers: { ...v.headers, 'content-type': 'multipart/form-data; boundary=x' } });
	assert.equal(broken.status, 400);
	const evs = await events(v, c.id);
	assert.equal(evs.events.filter((e) => e.type === 'message' && e.message.sender !== 'system').length, 4);
	await v.req('POST', `/conversations/${c.id}/close`);
});

test('tokens, tenants and visibility', async () => {
	await setStatus(A1, 'online');
	const v = await newVisitor();
	const w = await newVisitor();
	const c = await start(v);
	for (const [m, p, b] of [['GET', `/conversations/${c.id}/events?after=0`], ['GET', `/conversations/${c.id}`],
		['POST', `/conversations/${c.id}/messages`, { kind: 'text', text: 'hi' }], ['POST', `/conversations/${c.id}/close`],
		['POST', `/conversations/${c.id}/read`, { seq: 1 }], ['GET', `/conversations/999999999/events`]]) {
		const r = await w.req(m, p, b);
		assert.equal(r.status, 404, `${m} ${p}: ${r.text}`);
		assert.equal(errorCode(r), 'not_found');
	}
	assert.equal((await api('GET', `/api/v1/widget/conversations/${c.id}/events`)).status, 401);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${c.id}/messages`, { body: { kind: 'text', text: 'x' } })).status, 401);
	assert.equal((await api('GET', `/api/v1/widget/conversations/${c.id}/events`, { headers: { 'x-visitor-token': 'bogus' } })).status, 401);
	// A visitor of the other channel cannot start on this one.
	const o = await newVisitor(other.key);
	const wrong = await o.req('POST', '/conversations', { channel_key: channel.key, prechat: PRECHAT });
	assert.equal(wrong.status, 404);
	assert.equal((await w.req('POST', '/conversations', { channel_key: 'no-such-key', prechat: PRECHAT })).status, 404);
	// Agents see only their own; admins all of the tenant; another tenant nothing.
	assert.equal((await A2.get(`/api/v1/agent/conversations/${c.id}`)).status, 404);
	assert.equal((await A2.get(`/api/v1/agent/conversations/${c.id}/events?after=0`)).status, 404);
	assert.equal((await A2.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'x' })).status, 404);
	const ad = await admin.get(`/api/v1/agent/conversations/${c.id}`);
	assert.equal(ad.status, 200);
	assert.equal(ad.json.prechat.phone, PRECHAT.phone);
	const T2 = newTenant('conv2');
	const s2 = await Session.login(T2.adminLogin, T2.adminPassword);
	assert.equal((await s2.get(`/api/v1/agent/conversations/${c.id}`)).status, 404);
	assert.equal((await api('GET', '/api/v1/agent/conversations')).status, 401);
	// CSRF applies to agent writes.
	const nocsrf = await A1.post(`/api/v1/agent/conversations/${c.id}/messages`, { kind: 'text', text: 'x' }, { headers: { 'x-csrf-token': 'nope' } });
	assert.equal(nocsrf.status, 403);
	await v.req('POST', `/conversations/${c.id}/close`);
});

test('bad input gets the documented 4xx and changes nothing', async () => {
	await setStatus(A1, 'online');
	const v = await newVisitor();
	const send = (body, headers) => api('POST', '/api/v1/widget/conversations', { body, headers: { ...v.headers, 'content-type': 'application/json', ...headers } });
	const cases = [
		['{"channel_key":', 400, 'invalid_json'],
		['[1,2]', 400, 'invalid_json'],
		[JSON.stringify({ channel_key: 5 }), 400, 'invalid_field', 'channel_key'],
		[JSON.stringify({ channel_key: channel.key, prechat: [] }), 400, 'invalid_field', 'prechat'],
		[JSON.stringify({ channel_key: channel.key, prechat: {} }), 400, 'invalid_field', 'prechat.phone'],
		[JSON.stringify({ channel_key: channel.key, prechat: { phone: 'call me' } }), 400, 'invalid_field', 'prechat.phone'],
		[JSON.stringify({ channel_key: channel.key, prechat: { phone: '15912345678', email: 'not-an-email' } }), 400, 'invalid_field', 'prechat.email'],
		[JSON.stringify({ channel_key: channel.key, prechat: { phone: '15912345678', topic: 'other' } }), 400, 'invalid_field', 'prechat.topic'],
		[JSON.stringify({ channel_key: channel.key, prechat: { phone: 15912345678 } }), 400, 'invalid_field', 'prechat.phone'],
		[JSON.stringify({ channel_key: channel.key, prechat: PRECHAT, group_id: 'x' }), 400, 'invalid_field', 'group_id'],
		[Buffer.concat([Buffer.from('{"channel_key":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), 400, 'invalid_utf8'],
	];
	for (const [body, status, code, field] of cases) {
		const r = await send(body);
		assert.equal(r.status, status, `${body}: ${r.text}`);
		assert.equal(errorCode(r), code, `${body}: ${r.text}`);
		if (field)
			assert.equal(r.json.error.field, field, `${body}: ${r.text}`);
	}
	assert.equal((await v.req('GET', '/conversations')).json.items.length, 0, 'nothing was created');

	const c = await start(v, { phone: '15912345678', name_not_in_form: 'dropped' });
	const p = `/api/v1/widget/conversations/${c.id}/messages`;
	const msg = (body, headers) => api('POST', p, { body, headers: { ...v.headers, 'content-type': 'application/json', ...headers } });
	const mcases = [
		['{"kind":"text","text":"x"', 400, 'invalid_json'],
		[JSON.stringify({ kind: 'text', text: 5 }), 400, 'invalid_field', 'text'],
		[JSON.stringify({ kind: 'text' }), 400, 'invalid_field', 'text'],
		[JSON.stringify({ kind: 'text', text: '' }), 400, 'invalid_field', 'text'],
		[JSON.stringify({ kind: 'text', text: '   \n ' }), 400, 'invalid_field', 'text'],
		[JSON.stringify({ kind: 'text', text: 'x'.repeat(5001) }), 400, 'invalid_field', 'text'],
		[JSON.stringify({ kind: 'video', text: 'x' }), 400, 'invalid_field', 'kind'],
		[JSON.stringify({ text: 'x' }), 400, 'invalid_field', 'kind'],
		[Buffer.concat([Buffer.from('{"kind":"text","text":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), 400, 'invalid_utf8'],
		[JSON.stringify({ kind: 'text', text: 'x'.repeat(70 * 1024) }), 413, 'too_large'],
	];
	for (const [body, status, code, field] of mcases) {
		const r = await msg(body);
		assert.equal(r.status, status, `${String(body).slice(0, 60)}: ${r.text}`);
		assert.equal(errorCode(r), code, `${String(body).slice(0, 60)}: ${r.text}`);
		if (field)
			assert.equal(r.json.error.field, field);
	}
	// Cards belong to quick-send buttons, which guests never have.
	const card = await msg(JSON.stringify({ kind: 'card', button_id: 1, record_id: 2 }));
	assert.ok([400, 403, 404].includes(card.status), card.text);
	// 5000 code points of emoji are fine (emoji are text), SQL and HTML are just text.
	const emoji = await msg(JSON.stringify({ kind: 'text', text: '😀'.repeat(5000) }));
	assert.equal(emoji.status, 201, emoji.text);
	const hostile = "<img src=x onerror=alert(1)>'; DROP TABLE messages; --";
	const h = await msg(JSON.stringify({ kind: 'text', text: hostile }));
	assert.equal(h.status, 201);
	assert.equal(h.json.text, hostile);
	const evs = await events(v, c.id);
	assert.equal(evs.events.filter((e) => e.type === 'message' && e.message.sender === 'visitor').length, 2, 'only the good messages exist');

	for (const q of ['after=-1', 'after=x', 'wait=-1', 'wait=abc']) {
		const r = await v.req('GET', `/conversations/${c.id}/events?${q}`);
		assert.equal(r.status, 400, q);
		assert.equal(errorCode(r), 'invalid_field', q);
	}
	const r = await A1.put('/api/v1/agent/status', { status: 'busy' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.field, 'status');
	assert.equal((await A1.post(`/api/v1/agent/conversations/${c.id}/read`, { seq: -1 })).status, 400);
	await v.req('POST', `/conversations/${c.id}/close`);
});

test('two agents: fewest live conversations wins, ties to the lower id, concurrent starts stay balanced', async () => {
	await setStatus(A1, 'online');
	await setStatus(A2, 'online');
	await setStatus(admin, 'offline');
	const live = async (s) => (await s.get('/api/v1/agent/conversations')).json.groups[0].conversations.length;
	// Start from no load (an earlier failed test may have left one open).
	for (const s of [A1, A2])
		for (const c of (await s.get('/api/v1/agent/conversations')).json.groups[0].conversations)
			assert.equal((await s.post(`/api/v1/agent/conversations/${c.id}/close`, {})).status, 200);
	assert.equal(await live(A1), 0);
	assert.equal(await live(A2), 0);
	const first = await start(await newVisitor());
	assert.equal(first.agent.id, Math.min(A1.id, A2.id), 'tie goes to the lower user id');
	const second = await start(await newVisitor());
	assert.equal(second.agent.id, Math.max(A1.id, A2.id), 'fewest live wins');

	// Eight visitors at once through several workers: the counts stay within one.
	const visitors = await Promise.all(Array.from({ length: 8 }, () => newVisitor()));
	const started = await Promise.all(visitors.map((v) => start(v)));
	assert.ok(started.every((c) => c.status === 'assigned'));
	const a = await live(A1), b = await live(A2);
	assert.equal(a + b, 10);
	assert.ok(Math.abs(a - b) <= 1, `balanced: ${a} vs ${b}`);

	// Away agents get nothing new.
	await setStatus(A1, 'away');
	const third = await start(await newVisitor());
	assert.equal(third.agent.id, A2.id);
	await setStatus(A2, 'offline');
	const fourth = await start(await newVisitor());
	assert.equal(fourth.status, 'offline');
	assert.equal((await A1.get('/api/v1/agent/status')).json.status, 'away');
});

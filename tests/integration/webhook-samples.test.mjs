// tests/integration/webhook-samples.test.mjs: the receiver samples of docs/webhooks.md (docs/examples/) against real deliveries of kefu-webhookd: every event type, signatures verified, repeats dropped, forgeries refused; the payloads are those docs/webhooks.md shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { api, newAgent, newTenant, until as untilIn } from '../lib/kefu.mjs';
import { DOC_PATH, doc as openapi, validate } from '../lib/openapi.mjs';
import { receiver, verify } from '../../docs/examples/webhook-receiver.mjs';

const EXAMPLES = join(DOC_PATH, '..', 'examples');
const EVENTS = ['conversation.created', 'conversation.assigned', 'conversation.closed', 'leave_message.created', 'visitor.identified', 'visitor.erased'];
let T, channel, agent, server, port, samples = {};
const SECRETS = { py: 'python-secret-0123456789', java: 'java-secret-0123456789abc', php: 'php-secret-0123456789abcd' };
const handled = []; // [delivery id, parsed body] as the Node sample handed them on
const wire = []; // every request as it came: {headers, body}
const children = [];

const until = (what, fn, ms = 20000) => untilIn(what, fn, ms);

function hook(url, secret) {
	return api('POST', '/api/v1/admin/webhooks', { key: T.apiKey, body: { url, secret, events: EVENTS } });
}

// A sample run as its own program: its stdout lines "DELIVERY EVENT DATA" after "listening on PORT".
function runSample(cmd, args, secret) {
	const child = spawn(cmd, args, { cwd: EXAMPLES, env: { ...process.env, KEFU_WEBHOOK_SECRET: secret, PORT: '0', HOST: '127.0.0.1' } });
	children.push(child);
	const out = { lines: [], port: null };
	let buf = '';
	child.stdout.on('data', (c) => {
		buf += c;
		let i;
		while ((i = buf.indexOf('\n')) >= 0) {
			const line = buf.slice(0, i);
			buf = buf.slice(i + 1);
			const m = /^listening on .*?(\d+)\)?$/.exec(line);
			if (m && !out.port)
				out.port = Number(m[1]);
			else
				out.lines.push(line);
		}
	});
	child.stderr.on('data', (c) => process.stderr.write(c));
	return out;
}

// The PHP sample runs under PHP's own web server and keeps what it handled
// in SQLite (in its TMPDIR): its lines are read from there.
async function runPhp(secret) {
	const port = await new Promise((resolve) => {
		const s = netServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
	});
	const tmp = mkdtempSync(join(tmpdir(), 'kefu-php-'));
	const child = spawn('php', ['-S', `127.0.0.1:${port}`, 'webhook-receiver.php'],
		{ cwd: EXAMPLES, env: { ...process.env, KEFU_WEBHOOK_SECRET: secret, TMPDIR: tmp }, stdio: 'ignore' });
	children.push(child);
	const out = { port: null };
	Object.defineProperty(out, 'lines', {
		get() {
			const r = spawnSync('php', ['-r', `$f = '${tmp}/kefu-webhooks.sqlite'; if (!file_exists($f)) exit;
				foreach ((new PDO("sqlite:$f"))->query('SELECT id, event, at FROM kefu_deliveries ORDER BY rowid') as $r)
					echo "$r[0] $r[1] $r[2]\n";`], { encoding: 'utf8' });
			return r.stdout.split('\n').filter(Boolean);
		},
	});
	await until('php -S listening', async () => { try { await fetch(`http://127.0.0.1:${port}/`); return true; } catch { return false; } });
	out.port = port;
	return out;
}

const has = (cmd, ...args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

before(async () => {
	T = newTenant('hook-samples');
	const secret = randomBytes(24).toString('base64url');
	const sample = receiver({ secret, onEvent: (e, id) => { handled.push([id, e]); } });
	server = createServer((req, res) => {
		// A tap before the sample, to replay and forge requests below.
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => wire.push({ headers: req.headers, body: Buffer.concat(chunks) }));
		sample(req, res);
	});
	await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
	port = server.address().port;
	server.secret = secret;
	const h = await hook(`http://127.0.0.1:${port}/kefu`, secret);
	assert.equal(h.status, 201, h.text);
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Sample shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
	const rule = await api('POST', '/api/v1/admin/rules', {
		key: T.apiKey,
		body: { name: 'Leave', priority: 1, channel_ids: [channel.id], leave_message: { enabled: true, fields: [{ name: 'phone', label: 'Phone', type: 'phone', required: true }] } },
	});
	assert.equal(rule.status, 201, rule.text);
	agent = await newAgent(T, 'Hook Agent', 'online');
});

after(async () => {
	for (const c of children)
		c.kill();
	server?.close();
});

// Everything that makes the six events: a conversation assigned and closed, a
// leave-message, an identified visitor, and that person erased.
async function makeEvents() {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	const headers = { 'x-visitor-token': v.json.visitor_token };
	const c = await api('POST', '/api/v1/widget/conversations', { headers, body: { channel_key: channel.key, prechat: {} } });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.status, 'assigned');
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.json.id}/close`, {})).status, 200);
	const l = await api('POST', `/api/v1/widget/channels/${channel.key}/leave-messages`, { headers, body: { fields: { phone: '15912345678' } } });
	assert.equal(l.status, 201, l.text);
	const key = Buffer.from((await api('POST', `/api/v1/admin/channels/${channel.id}/identity/key`, { key: T.apiKey, body: {} })).json.key, 'base64');
	const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
	const params = Buffer.concat([cipher.update(JSON.stringify({ full_name: '张三', phone: '15912345678' }), 'utf8'), cipher.final()]).toString('hex');
	const idv = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: { custom_params: params } });
	assert.equal(idv.status, 201, idv.text);
	assert.equal(idv.json.identified, true);
	// The record is the one the event names. Erasing cancels the person's
	// deliveries still waiting: every receiver has its visitor.identified first.
	const identified = await until('visitor.identified', () => handled.find(([, b]) => b.event === 'visitor.identified'));
	for (const [k, x] of Object.entries(samples))
		await until(`${k}: visitor.identified`, () => x.lines.some((l) => l.split(' ')[1] === 'visitor.identified'));
	const record = identified[1].data.visitor.record_id;
	assert.ok(record > 0);
	assert.equal((await api('DELETE', `/api/v1/crm/visitors/${record}`, { key: T.apiKey })).status, 204);
	return { conversation: c.json.id, leave: l.json.id, visitor: idv.json.visitor_id, record };
}

test('the Node.js sample: every event once, verified; repeats dropped; forgeries refused', async () => {
	// The Python, Java and PHP samples listen too (where the machine has them), for the next test.
	if (has('python3', '--version'))
		samples.py = runSample('python3', ['webhook_receiver.py'], SECRETS.py);
	if (has('java', '-version'))
		samples.java = runSample('java', ['WebhookReceiver.java'], SECRETS.java);
	if (has('php', '-m'))
		samples.php = await runPhp(SECRETS.php);
	for (const [k, s] of Object.entries(samples)) {
		const secret = SECRETS[k];
		await until('a sample listening', () => s.port, 60000);
		const h = await hook(`http://127.0.0.1:${s.port}/`, secret);
		assert.equal(h.status, 201, h.text);
	}

	const ids = await makeEvents();
	await until('all six events', () => EVENTS.every((e) => handled.some(([, b]) => b.event === e)));
	const by = Object.fromEntries(handled.map(([, b]) => [b.event, b]));
	for (const e of EVENTS) {
		assert.equal(handled.filter(([, b]) => b.event === e).length, 1, e);
		assert.equal(by[e].tenant_id, T.id);
		assert.match(by[e].occurred_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	}
	// Bodies and headers as the OpenAPI document's webhooks describe them.
	for (const e of EVENTS) {
		const post = openapi.webhooks[e].post;
		assert.deepEqual(validate(post.requestBody.content['application/json'].schema, by[e]), [], e);
		const w = wire.find((x) => x.headers['x-kefu-event'] === e);
		for (const p of post.parameters)
			assert.deepEqual(validate(p.schema, w.headers[p.name.toLowerCase()]), [], `${e} ${p.name}`);
	}
	// The payloads docs/webhooks.md shows.
	assert.deepEqual(Object.keys(by['conversation.closed'].data.conversation).sort(),
		['agent', 'channel_id', 'closed_at', 'created_at', 'group_id', 'id', 'prechat', 'status', 'visitor_id']);
	assert.equal(by['conversation.closed'].data.conversation.id, ids.conversation);
	assert.equal(by['conversation.closed'].data.conversation.status, 'closed');
	assert.equal(by['conversation.assigned'].data.conversation.agent.name, 'Hook Agent');
	assert.deepEqual(by['leave_message.created'].data.leave_message, { id: ids.leave, channel_id: channel.id, visitor_id: by['leave_message.created'].data.leave_message.visitor_id, fields: { phone: '15912345678' } });
	assert.deepEqual(Object.keys(by['visitor.identified'].data.visitor).sort(), ['account_id', 'channel_id', 'contact_id', 'id', 'name', 'record_id']);
	assert.equal(by['visitor.identified'].data.visitor.id, ids.visitor);
	assert.equal(by['visitor.identified'].data.visitor.name, '张三');
	assert.equal(by['visitor.erased'].data.visitor.record_id, ids.record);
	assert.ok(by['visitor.erased'].data.visitor.visitor_ids.includes(ids.visitor));
	const doc = readFileSync(join(DOC_PATH, '..', 'webhooks.md'), 'utf8');
	for (const e of EVENTS)
		assert.ok(doc.includes(`### \`${e}\``), `docs/webhooks.md documents ${e}`);

	// The headers as documented; the signature over the exact bytes.
	const w = wire.find((x) => x.headers['x-kefu-event'] === 'conversation.closed');
	assert.match(w.headers['x-kefu-signature'], /^sha256=[0-9a-f]{64}$/);
	assert.match(w.headers['x-kefu-delivery'], /^\d+$/);
	assert.equal(w.headers['x-kefu-attempt'], '1');
	assert.match(w.headers['content-type'], /^application\/json/);
	assert.ok(verify(server.secret, w.body, w.headers['x-kefu-signature']));

	// A repeat of a delivery (kefu's at-least-once): 2xx, not handled again.
	const send = (headers, body) => fetch(`http://127.0.0.1:${port}/kefu`, { method: 'POST', headers, body });
	const fwd = { 'content-type': 'application/json', 'x-kefu-event': w.headers['x-kefu-event'], 'x-kefu-delivery': w.headers['x-kefu-delivery'], 'x-kefu-signature': w.headers['x-kefu-signature'] };
	const n = handled.length;
	assert.equal((await send(fwd, w.body)).status, 200);
	assert.equal(handled.length, n);
	// Forged: another body under the old signature, or a new id with a wrong one.
	const forged = Buffer.from(w.body.toString().replace('"closed"', '"queued"'));
	assert.equal((await send({ ...fwd, 'x-kefu-delivery': '999999999' }, forged)).status, 401);
	assert.equal((await send({ ...fwd, 'x-kefu-delivery': '999999998', 'x-kefu-signature': 'sha256=' + '0'.repeat(64) }, w.body)).status, 401);
	assert.equal((await send({ ...fwd, 'x-kefu-delivery': '999999997', 'x-kefu-signature': undefined }, w.body)).status, 401);
	assert.equal(handled.length, n);
});

for (const [name, key] of [['Python', 'py'], ['Java', 'java'], ['PHP', 'php']]) {
	test(`the ${name} sample got every event, verified, once`, async (t) => {
		const s = samples[key];
		if (!s)
			return t.skip(`${name} is not installed`);
		await until(`${name}: six events`, () => EVENTS.every((e) => s.lines.some((l) => l.split(' ')[1] === e)));
		for (const e of EVENTS)
			assert.equal(s.lines.filter((l) => l.split(' ')[1] === e).length, 1, `${name} ${e}: ${s.lines.join('\n')}`);
		const send = (id, body, sig) => fetch(`http://127.0.0.1:${s.port}/`, {
			method: 'POST', body,
			headers: { 'content-type': 'application/json', 'x-kefu-event': 'conversation.closed', 'x-kefu-delivery': id,
				'x-kefu-signature': sig ?? 'sha256=' + createHmac('sha256', SECRETS[key]).update(body).digest('hex') },
		});
		const body = JSON.stringify({ event: 'conversation.closed', tenant_id: 1, occurred_at: '2026-12-06T08:00:00Z', data: { conversation: { id: 1 } } });
		// A repeat of a delivery id it handled: 200, not handled again.
		const seen = s.lines.find((l) => l.split(' ')[1] === 'conversation.closed').split(' ')[0];
		const n = s.lines.length;
		assert.equal((await send(seen, body)).status, 200);
		// A wrong signature: 401; a new id, rightly signed: handled.
		assert.equal((await send('888888881', body, 'sha256=' + '1'.repeat(64))).status, 401);
		assert.equal((await send('888888881', body + ' ')).status, 204);
		await until(`${name}: the new delivery`, () => s.lines.length === n + 1);
		assert.match(s.lines[n], /^888888881 conversation\.closed /);
	});
}

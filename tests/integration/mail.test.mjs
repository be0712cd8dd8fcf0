// tests/integration/mail.test.mjs: mail through kefu-webhookd's SMTP client: a left message notifies its group's members (each in their language, Chinese subjects RFC 2047-encoded, text and HTML parts, SMTP AUTH) and the channel's notify_email, a visitor gets the transcript mailed at close (own conversation only, closed only, at most 3, no erased message), and a mail server that is down gets the mail once it is back.
//
// The SMTP server is Debian's python3-aiosmtpd (tests/lib/smtp-receiver.py)
// on 127.0.0.1, started here; it decodes what it receives with Python's email
// package, so the headers and parts are checked by a decoder that is not ours.
// The stack's workers and kefu-webhookd are restarted with smtp_url (and
// friends) set through KEFU_* variables, and put back afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv } from 'node:crypto';
import { api, newAgent, newTenant, Session, sql, unique, KEFU_URL } from '../lib/kefu.mjs';

const SMTP_USER = 'kefu-mailer';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SMTP_PASSWORD = 'mail-pw-0123';
const FROM = '客服中心 <noreply@kefu.test>';
let T, channel, group, smtpPort, inbox, server;
const users = {};

async function waitFor(pred, ms = 20000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		const v = await pred();
		if (v) return v;
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error('timed out waiting');
}

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
	});
}

// The receiver, on smtpPort; resolves once it listens.
function startSmtp() {
	return new Promise((resolve, reject) => {
		const p = spawn('/usr/bin/python3', [join(process.env.KEFU_SRCDIR, 'tests/lib/smtp-receiver.py'), String(smtpPort), inbox, SMTP_USER, SMTP_PASSWORD], { stdio: ['ignore', 'pipe', 'ignore'] });
		p.on('error', reject);
		p.on('exit', (code) => reject(new Error(`smtp-receiver exited ${code}`)));
		p.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(p); });
	});
}

function stopSmtp() {
	return new Promise((resolve) => {
		if (!server || server.exitCode !== null) return resolve();
		server.removeAllListeners('exit');
		server.on('exit', () => resolve());
		server.kill('SIGTERM');
	});
}

// Every message received so far: the receiver's JSON of each.
function received() {
	return readdirSync(inbox).filter((f) => /^\d+\.json$/.test(f)).sort((a, b) => parseInt(a) - parseInt(b))
		.map((f) => ({ file: f, ...JSON.parse(readFileSync(join(inbox, f), 'utf8')) }));
}

function restart(env) {
	const e = { ...process.env };
	for (const k of ['KEFU_SMTP_URL', 'KEFU_SMTP_USER', 'KEFU_SMTP_PASSWORD', 'KEFU_SMTP_STARTTLS', 'KEFU_MAIL_FROM'])
		delete e[k];
	execFileSync(join(process.env.KEFU_SRCDIR, 'tools/stack'), ['restart-workers', process.env.KEFU_STATE], { env: { ...e, ...env }, stdio: 'ignore' });
}

async function healthy() {
	await waitFor(async () => (await fetch(`${KEFU_URL}/healthz`).catch(() => null))?.status === 200, 30000);
}

async function user(name, lang, email) {
	const r = await api('POST', '/api/v1/admin/users', { key: T.apiKey, body: { login: unique('mail'), name, password: 'pw-' + unique('x'), role: 'agent', department_ids: [], email } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.email, email);
	assert.equal(r.json.leave_digest, false);
	// A user's language is their own setting (PUT /agent/lang, signed in as them): set it as the store would.
	if (lang) sql(`UPDATE users SET lang = '${lang}' WHERE tenant_id = ${T.id} AND id = ${r.json.id}`);
	return { id: r.json.id, name, email };
}

async function leave(fields) {
	const v = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: {} });
	assert.ok([200, 201].includes(v.status), v.text);
	const l = await api('POST', `/api/v1/widget/channels/${channel.key}/leave-messages`, { headers: { 'x-visitor-token': v.json.visitor_token }, body: { fields } });
	assert.equal(l.status, 201, l.text);
	return l.json.id;
}

const outbox = (leaveId) => sql(`SELECT to_addr, status, attempts, last_error FROM mail_outbox WHERE tenant_id = ${T.id} AND kind = 'leave_message' AND ref_id = ${leaveId} ORDER BY to_addr`);

before(async () => {
	inbox = mkdtempSync(join(tmpdir(), 'kefu-mail-'));
	smtpPort = await freePort();
	server = await startSmtp();
	restart({ KEFU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, KEFU_SMTP_USER: SMTP_USER, KEFU_SMTP_PASSWORD: SMTP_PASSWORD, KEFU_SMTP_STARTTLS: 'no', KEFU_MAIL_FROM: FROM });
	await healthy();
	T = newTenant('mail');
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: '旗舰店 Shop', allowed_origins: [] } });
	assert.equal(ch.status, 201, ch.text);
	channel = ch.json;
	users.wang = await user('王小明', 'zh-CN', `wang-${T.id}@kefu.test`);
	users.anna = await user('Anna "A." Smith', 'en', `anna-${T.id}@kefu.test`);
	users.noaddr = await user('No Address', 'en', null);
	users.outside = await user('Outside', 'en', `outside-${T.id}@kefu.test`);
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: '售前', member_user_ids: [users.wang.id, users.anna.id, users.noaddr.id], member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	group = g.json;
	const rule = await api('POST', '/api/v1/admin/rules', {
		key: T.apiKey,
		body: {
			name: 'Mail', priority: 1, channel_ids: [channel.id],
			routing: { mode: 'rules', routes: [{ group_id: group.id, match: 'all' }] },
			leave_message: { enabled: true, fields: [{ name: 'name', label: '姓名', type: 'text', required: true }, { name: 'msg', label: '留言', type: 'text', required: true }] },
		},
	});
	assert.equal(rule.status, 201, rule.text);
});

after(async () => {
	await stopSmtp();
	restart({});
	await healthy();
	rmSync(inbox, { recursive: true, force: true });
});

test('a left message mails the group members with an address, each in their language', async () => {
	const id = await leave({ name: '张三 <b>', msg: '你好，\n请回电 & 谢谢' });
	const mine = await waitFor(() => {
		const m = received().filter((x) => x.rcpt_tos.some((r) => r.endsWith(`-${T.id}@kefu.test`)));
		return m.length >= 2 ? m : null;
	});
	await new Promise((r) => setTimeout(r, 800));
	const all = received().filter((x) => x.rcpt_tos.some((r) => r.endsWith(`-${T.id}@kefu.test`)));
	assert.deepEqual(all.map((m) => m.rcpt_tos[0]).sort(), [users.anna.email, users.wang.email].sort(), 'the members with an address, once each; not the user outside the group');
	assert.equal(mine.length, 2);
	for (const m of all) {
		assert.equal(m.mail_from, 'noreply@kefu.test');
		assert.equal(m.auth_login, SMTP_USER, 'SMTP AUTH with smtp_user');
		assert.equal(m.content_type, 'multipart/mixed');
		// Headers on the wire are ASCII; decoded they are the UTF-8 we meant.
		for (const [k, v] of Object.entries(m.raw_headers))
			assert.match(v, /^[\x20-\x7e\r\n\t]*$/, `header ${k} is ASCII`);
		assert.equal(m.headers.From, '客服中心 <noreply@kefu.test>');
		assert.match(m.raw_headers.from, /=\?UTF-8\?B\?/);
		assert.match(m.headers['Message-ID'], /^<kefu\.\d+\.\d+@kefu\.test>$/);
		assert.equal(m.headers['Auto-Submitted'], 'auto-generated');
		assert.ok(!Number.isNaN(Date.parse(m.headers.Date)));
		const text = m.parts.find((p) => p.type === 'text/plain');
		const html = m.parts.find((p) => p.type === 'text/html');
		assert.ok(text && html, 'both parts');
		assert.equal(text.charset, 'utf-8');
		assert.equal(html.charset, 'utf-8');
		// The visitor's words as they were typed in the text part, escaped in the HTML one.
		assert.ok(text.body.includes('姓名: 张三 <b>'), text.body);
		assert.ok(text.body.includes('留言: 你好，\r\n请回电 & 谢谢') || text.body.includes('留言: 你好，\n请回电 & 谢谢'), text.body);
		assert.ok(html.body.includes('张三 &lt;b&gt;'), html.body);
		assert.ok(html.body.includes('请回电 &amp; 谢谢'));
		assert.ok(!html.body.includes('<b>'));
		assert.ok(text.body.includes(`${KEFU_URL}/workbench`) || text.body.includes('/workbench'));
	}
	const zh = all.find((m) => m.rcpt_tos[0] === users.wang.email);
	assert.equal(zh.headers.Subject, '新留言 · 旗舰店 Shop');
	assert.match(zh.raw_headers.subject, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=(\r?\n[ \t]=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)*$/, 'RFC 2047 encoded-words');
	assert.equal(zh.headers.To, '王小明 <' + users.wang.email + '>');
	assert.ok(zh.parts.find((p) => p.type === 'text/plain').body.includes('有访客在无人接待时留了言。'));
	const en = all.find((m) => m.rcpt_tos[0] === users.anna.email);
	assert.equal(en.headers.Subject, 'New message left · 旗舰店 Shop');
	assert.equal(en.headers.To, `"Anna \\"A.\\" Smith" <${users.anna.email}>`);
	assert.ok(en.parts.find((p) => p.type === 'text/plain').body.includes('A visitor left a message while nobody could chat.'));
	assert.deepEqual(outbox(id).map((r) => r[1]), ['sent', 'sent']);
});

test('the mail server down: the mail waits in the outbox, is retried, and is sent once it is back (once)', async () => {
	await stopSmtp();
	const id = await leave({ name: 'Li', msg: 'call me' });
	const rows = await waitFor(() => {
		const r = outbox(id);
		return r.length === 2 && r.every((x) => x[1] === 'pending' && Number(x[2]) >= 2) ? r : null;
	});
	for (const r of rows)
		assert.match(r[3], /^smtp: .*(connect|Connect)/, r[3]);
	server = await startSmtp();
	await waitFor(() => outbox(id).every((x) => x[1] === 'sent'));
	await new Promise((r) => setTimeout(r, 1500));
	const got = received().filter((m) => m.parts.some((p) => p.type === 'text/plain' && p.body.includes('call me')));
	assert.deepEqual(got.map((m) => m.rcpt_tos[0]).sort(), [users.anna.email, users.wang.email].sort(), 'each recipient got it exactly once');
	assert.ok(outbox(id).every((x) => x[3] === null));
});

test('the daily digest: opted-in users with an address get the open left messages of the last day, once a day', async () => {
	const open = await leave({ name: 'Sun', msg: 'digest me' });
	const handled = await leave({ name: 'Zhou', msg: 'already handled' });
	sql(`UPDATE leave_messages SET status = 'handled' WHERE tenant_id = ${T.id} AND id = ${handled}`);
	for (const u of [users.wang, users.outside, users.noaddr]) {
		const r = await api('PATCH', `/api/v1/admin/users/${u.id}`, { key: T.apiKey, body: { leave_digest: true } });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.leave_digest, true);
		assert.equal(r.json.email, u.email, 'a PATCH of the digest keeps the address');
	}
	const runJob = () => sql(`UPDATE jobs SET next_run_at = '1970-01-01 00:00:01' WHERE name = 'leave_digest'`);
	runJob();
	const isDigest = (m) => m.parts.some((p) => p.type === 'text/plain' && p.body.includes('digest me')) && /^(待处理留言|Left messages waiting)/.test(m.headers.Subject);
	const got = await waitFor(() => {
		const d = received().filter(isDigest);
		return d.length >= 2 ? d : null;
	});
	assert.deepEqual(got.map((m) => m.rcpt_tos[0]).sort(), [users.outside.email, users.wang.email].sort(), 'the opted-in users with an address');
	const zh = got.find((m) => m.rcpt_tos[0] === users.wang.email);
	assert.match(zh.headers.Subject, /^待处理留言 \(\d+\)$/);
	const text = zh.parts.find((p) => p.type === 'text/plain').body;
	assert.ok(text.includes('过去一天内访客留下、尚未处理的留言'), text);
	assert.ok(text.includes('旗舰店 Shop'), text);
	assert.ok(!text.includes('already handled'), 'handled messages are not listed');
	assert.ok(zh.parts.find((p) => p.type === 'text/html').body.includes('digest me'));
	const en = got.find((m) => m.rcpt_tos[0] === users.outside.email);
	assert.match(en.headers.Subject, /^Left messages waiting \(\d+\)$/);
	// Asked again at once: nobody gets a second one within the day.
	runJob();
	await waitFor(() => sql(`SELECT COUNT(*) FROM jobs WHERE name = 'leave_digest' AND next_run_at > NOW()`)[0][0] === '1');
	await new Promise((r) => setTimeout(r, 1000));
	assert.equal(received().filter(isDigest).length, 2);
	assert.equal(sql(`SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = ${T.id} AND kind = 'leave_digest'`)[0][0], '2');
	assert.ok(open > 0);
});

test('a channel\'s notify_email: validated, kept by a PATCH without it, mailed every left message besides the members, cleared by null', async () => {
	const bad = await api('PATCH', `/api/v1/admin/channels/${channel.id}`, { key: T.apiKey, body: { notify_email: 'desk at kefu.test' } });
	assert.equal(bad.status, 400, bad.text);
	assert.equal(bad.json.error.code, 'invalid_field');
	assert.equal(bad.json.error.field, 'notify_email');
	for (const v of ['Desk <desk@kefu.test>', 'a@b', 42, '']) {
		const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'x', notify_email: v } });
		assert.equal(r.status, 400, `${JSON.stringify(v)}: ${r.text}`);
		assert.equal(r.json.error.field, 'notify_email');
	}
	const desk = `desk-${T.id}@kefu.test`;
	const set = await api('PATCH', `/api/v1/admin/channels/${channel.id}`, { key: T.apiKey, body: { notify_email: desk } });
	assert.equal(set.status, 200, set.text);
	assert.equal(set.json.notify_email, desk);
	const kept = await api('PATCH', `/api/v1/admin/channels/${channel.id}`, { key: T.apiKey, body: { name: '旗舰店 Shop' } });
	assert.equal(kept.json.notify_email, desk, 'absent keeps it');
	assert.equal((await api('GET', `/api/v1/admin/channels/${channel.id}`, { key: T.apiKey })).json.notify_email, desk);
	const listed = (await api('GET', '/api/v1/admin/channels', { key: T.apiKey })).json.items.find((c) => c.id === channel.id);
	assert.equal(listed.notify_email, desk);

	const id = await leave({ name: '钱七', msg: 'to the desk too' });
	const got = await waitFor(() => {
		const m = received().filter((x) => x.parts.some((p) => p.type === 'text/plain' && p.body.includes('to the desk too')));
		return m.length >= 3 ? m : null;
	});
	await new Promise((r) => setTimeout(r, 800));
	assert.deepEqual(received().filter((x) => x.parts.some((p) => p.type === 'text/plain' && p.body.includes('to the desk too'))).map((m) => m.rcpt_tos[0]).sort(),
		[users.anna.email, desk, users.wang.email].sort(), 'in addition to the members, once each');
	const d = got.find((m) => m.rcpt_tos[0] === desk);
	assert.equal(d.headers.To, desk, 'no name: the channel\'s address');
	assert.equal(d.headers.Subject, '新留言 · 旗舰店 Shop', 'the default language (zh-CN)');
	const text = d.parts.find((p) => p.type === 'text/plain').body;
	assert.ok(text.includes('钱七') && text.includes('此邮箱是该渠道的留言通知邮箱'), text);
	assert.ok(!text.includes('您所在的客服组'), 'not the members\' reason');
	assert.ok(d.parts.find((p) => p.type === 'text/html').body.includes('to the desk too'));
	const member = got.find((m) => m.rcpt_tos[0] === users.wang.email);
	assert.ok(member.parts.find((p) => p.type === 'text/plain').body.includes('您所在的客服组'));
	assert.equal(outbox(id).length, 3);

	// The address changed while a mail waits (the server is down): the old address gets nothing.
	await stopSmtp();
	const queued = await leave({ name: 'Sun', msg: 'address changed' });
	assert.equal(outbox(queued).length, 3);
	const cleared = await api('PATCH', `/api/v1/admin/channels/${channel.id}`, { key: T.apiKey, body: { notify_email: null } });
	assert.equal(cleared.status, 200, cleared.text);
	assert.equal(cleared.json.notify_email, null);
	const after = await leave({ name: 'Li', msg: 'members only' });
	assert.equal(outbox(after).length, 2, 'cleared: the members alone');
	server = await startSmtp();
	await waitFor(() => outbox(queued).every((x) => x[1] !== 'pending') && outbox(after).every((x) => x[1] !== 'pending'));
	const rows = Object.fromEntries(outbox(queued).map((r) => [r[0], r]));
	assert.equal(rows[desk][1], 'failed');
	assert.equal(rows[desk][3], 'recipient gone (user deleted or address changed)');
});

// The identity key of a channel and an identity for it (docs/identity.md, legacy customParams).
async function identityFor(ch) {
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	const g = await admin.post(`/api/v1/admin/channels/${ch.id}/identity/key`);
	assert.equal(g.status, 201, g.text);
	const k = Buffer.from(g.json.key, 'base64');
	return (identity) => {
		const c = createCipheriv(`aes-${k.length * 8}-ecb`, k, null);
		return Buffer.concat([c.update(JSON.stringify(identity), 'utf8'), c.final()]).toString('hex');
	};
}

test('the transcript by e-mail: own closed conversation only, in the widget\'s language, both parts, no erased message, at most 3', async () => {
	const agent = await newAgent(T, 'Mail Agent 李', 'online');
	const ch = (await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: '旗舰店 Chat', allowed_origins: [] } })).json;
	const g = await api('POST', '/api/v1/admin/groups', { key: T.apiKey, body: { name: '聊天', member_user_ids: [agent.id], member_department_ids: [] } });
	assert.equal(g.status, 201, g.text);
	const rule = await api('POST', '/api/v1/admin/rules', { key: T.apiKey, body: { name: 'Chat', priority: 2, channel_ids: [ch.id], routing: { mode: 'rules', routes: [{ group_id: g.json.id, match: 'all' }] } } });
	assert.equal(rule.status, 201, rule.text);
	const reg = async (body) => {
		const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body });
		assert.equal(r.status, 201, r.text);
		return r.json;
	};
	const v = await reg({ locale: 'zh-CN' });
	const as = (who, method, path, body) => api(method, '/api/v1/widget' + path, { headers: { 'x-visitor-token': who.visitor_token }, body });
	const c = await as(v, 'POST', '/conversations', { channel_key: ch.key });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.status, 'assigned', c.text);
	const conv = c.json.id;
	assert.equal((await as(v, 'POST', `/conversations/${conv}/messages`, { kind: 'text', text: '你好，订单 4711 <b>' })).status, 201);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${conv}/messages`, { kind: 'text', text: 'agent answer & more' })).status, 201);
	const gone = await as(v, 'POST', `/conversations/${conv}/messages`, { kind: 'text', text: 'erase me 9999' });
	assert.equal(gone.status, 201, gone.text);
	const fd = new FormData();
	fd.append('file', new Blob([PNG], { type: 'image/png' }), 'passport-secret.png');
	const up = await api('POST', `/api/v1/widget/conversations/${conv}/attachments`, { body: fd, headers: { 'x-visitor-token': v.visitor_token } });
	assert.equal(up.status, 201, up.text);
	// Blanked as an erase or the retention purge leaves them (src/store/store-privacy.c): the rows stay.
	sql(`UPDATE messages SET text = NULL, card = NULL, removed_at = NOW(3) WHERE tenant_id = ${T.id} AND id IN (${gone.json.id}, ${up.json.id})`);
	sql(`UPDATE attachments SET data = '', removed_at = NOW(3) WHERE tenant_id = ${T.id} AND id = ${up.json.attachment.id}`);
	const addr = `visitor-${T.id}@kefu.test`;
	const ask = (who, body) => as(who, 'POST', `/conversations/${conv}/transcript-email`, body);

	const open = await ask(v, { email: addr });
	assert.equal(open.status, 409, 'not before the close: ' + open.text);
	assert.equal((await as(v, 'POST', `/conversations/${conv}/close`, {})).status, 200);
	const other = await reg({ locale: 'en' });
	const foreign = await ask(other, { email: `other-${T.id}@kefu.test` });
	assert.equal(foreign.status, 404, 'another visitor\'s conversation: ' + foreign.text);
	assert.equal((await api('POST', `/api/v1/widget/conversations/${conv}/transcript-email`, { body: { email: addr } })).status, 401);
	for (const e of ['not an address', 'x@y', 'A <a@kefu.test>', 'a@kefu.test\r\nBcc: b@kefu.test']) {
		const r = await ask(v, { email: e });
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.error.code, 'invalid_field');
		assert.equal(r.json.error.field, 'email');
	}
	assert.equal((await ask(v, {})).status, 400);
	const ok = await ask(v, { email: addr });
	assert.equal(ok.status, 202, ok.text);
	assert.deepEqual(ok.json, { queued: true, email: addr });

	const m = await waitFor(() => received().find((x) => x.rcpt_tos[0] === addr));
	assert.equal(m.mail_from, 'noreply@kefu.test');
	assert.equal(m.headers.To, addr);
	assert.equal(m.headers.From, '客服中心 <noreply@kefu.test>');
	assert.equal(m.headers.Subject, '您的会话记录 · 旗舰店 Chat', 'in the widget\'s language');
	assert.match(m.raw_headers.subject, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=(\r?\n[ \t]=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)*$/, 'RFC 2047 encoded-words');
	for (const [k, val] of Object.entries(m.raw_headers))
		assert.match(val, /^[\x20-\x7e\r\n\t]*$/, `header ${k} is ASCII`);
	assert.equal(m.headers['Auto-Submitted'], 'auto-generated');
	const text = m.parts.find((p) => p.type === 'text/plain');
	const html = m.parts.find((p) => p.type === 'text/html');
	assert.ok(text && html, 'both parts');
	assert.ok(text.body.includes('以下是您要求发送的会话记录'), text.body);
	assert.ok(text.body.includes(`会话记录 #${conv}`), text.body);
	assert.ok(text.body.includes('你好，订单 4711 <b>'), text.body);
	assert.ok(text.body.includes('Mail Agent 李: agent answer & more'), text.body);
	assert.ok(html.body.includes('你好，订单 4711 &lt;b&gt;') && html.body.includes('agent answer &amp; more'), html.body);
	assert.ok(!html.body.includes('<b>'));
	for (const p of [text, html])
		assert.ok(!p.body.includes('9999') && !p.body.includes('erase me') && !p.body.includes('passport-secret'), 'the erased messages are not mailed');
	// Not even as an empty line: the visitor's one message left, the agent's.
	assert.equal(text.body.split(/\r?\n/).filter((l) => /^\[.*\] .*\(访客\): /.test(l) || /^\[.*\] 访客: /.test(l)).length, 1, text.body);

	assert.equal((await ask(v, { email: addr })).status, 202);
	assert.equal((await ask(v, { email: `again-${T.id}@kefu.test` })).status, 202);
	const limited = await ask(v, { email: addr });
	assert.equal(limited.status, 429, limited.text);
	assert.equal(limited.json.error.code, 'rate_limited');
	assert.equal(limited.headers.get('retry-after'), '86400', 'the limit does not run out');
	// The agents' download leaves the erased messages out too.
	const dl = await agent.get(`/api/v1/agent/conversations/${conv}/transcript.txt`);
	assert.equal(dl.status, 200, dl.text);
	assert.ok(dl.text.includes('agent answer & more') && !dl.text.includes('passport-secret'), dl.text);
	assert.equal(sql(`SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = ${T.id} AND kind = 'transcript' AND ref_id = ${conv}`)[0][0], '3');
	assert.ok(sql(`SELECT to_user_id IS NULL, lang FROM mail_outbox WHERE tenant_id = ${T.id} AND kind = 'transcript' AND ref_id = ${conv}`).every((r) => r[0] === '1' && r[1] === 'zh-CN'));

	// English for a widget in English.
	const en = await reg({ locale: 'en-US' });
	const c2 = await as(en, 'POST', '/conversations', { channel_key: ch.key });
	assert.equal((await as(en, 'POST', `/conversations/${c2.json.id}/messages`, { kind: 'text', text: 'english words 5150' })).status, 201);
	assert.equal((await as(en, 'POST', `/conversations/${c2.json.id}/close`, {})).status, 200);
	const enAddr = `en-${T.id}@kefu.test`;
	assert.equal((await as(en, 'POST', `/conversations/${c2.json.id}/transcript-email`, { email: enAddr })).status, 202);
	const em = await waitFor(() => received().find((x) => x.rcpt_tos[0] === enAddr));
	assert.equal(em.headers.Subject, 'Your conversation transcript · 旗舰店 Chat');
	assert.ok(em.parts.find((p) => p.type === 'text/plain').body.includes('english words 5150'));

	// An identified visitor: the identity's e-mail is what the widget offers.
	const identity = await identityFor(ch);
	const idv = await reg({ custom_params: identity({ full_name: '周八', phone: '13700000008', email: `zhou-${T.id}@kefu.test` }) });
	assert.equal(idv.identified, true);
	assert.equal(idv.email, `zhou-${T.id}@kefu.test`);
	assert.equal((await as(idv, 'GET', '/visitor')).json.email, `zhou-${T.id}@kefu.test`);
	const noMail = await reg({ custom_params: identity({ full_name: '吴九', phone: '13700000009' }) });
	assert.equal(noMail.identified, true);
	assert.equal(noMail.email, undefined);
	assert.equal(v.email, undefined, 'a guest has none');
});

test('STARTTLS is required by default: a server without it gets nothing, not even the login', async () => {
	restart({ KEFU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, KEFU_SMTP_USER: SMTP_USER, KEFU_SMTP_PASSWORD: SMTP_PASSWORD, KEFU_MAIL_FROM: FROM });
	await healthy();
	const before = received().length;
	const id = await leave({ name: 'Zhao', msg: 'plain text never' });
	const rows = await waitFor(() => {
		const r = outbox(id);
		return r.length === 2 && r.every((x) => Number(x[2]) >= 1) ? r : null;
	});
	for (const r of rows) {
		assert.equal(r[1], 'pending', 'retried: the operator may yet fix the server');
		assert.match(r[3], /^smtp.*(STARTTLS|SSL|TLS)/i, r[3]);
	}
	await new Promise((r) => setTimeout(r, 500));
	assert.equal(received().length, before);
});

test('with smtp_url empty, queued mails fail at once ("mail not configured") rather than pile up', async () => {
	restart({});
	await healthy();
	const id = await leave({ name: 'Qian', msg: 'no mail server' });
	const rows = await waitFor(() => {
		const r = outbox(id);
		return r.length === 2 && r.every((x) => x[1] !== 'pending') ? r : null;
	});
	for (const r of rows) {
		assert.equal(r[1], 'failed');
		assert.equal(Number(r[2]), 1);
		assert.equal(r[3], 'mail not configured (smtp_url is empty)');
	}
});

test('a member deleted while the mail waits gets nothing', async () => {
	await stopSmtp();
	restart({ KEFU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, KEFU_SMTP_USER: SMTP_USER, KEFU_SMTP_PASSWORD: SMTP_PASSWORD, KEFU_SMTP_STARTTLS: 'no', KEFU_MAIL_FROM: FROM });
	await healthy();
	const id = await leave({ name: 'Wu', msg: 'for the living only' });
	await waitFor(() => {
		const r = outbox(id);
		return r.length === 2 && r.every((x) => Number(x[2]) >= 1);
	});
	assert.equal((await api('DELETE', `/api/v1/admin/users/${users.anna.id}`, { key: T.apiKey })).status, 204);
	server = await startSmtp();
	await waitFor(() => outbox(id).every((x) => x[1] !== 'pending'));
	const rows = Object.fromEntries(outbox(id).map((r) => [r[0], r]));
	assert.equal(rows[users.wang.email][1], 'sent');
	assert.equal(rows[users.anna.email][1], 'failed');
	assert.equal(rows[users.anna.email][3], 'recipient gone (user deleted or address changed)');
	await new Promise((r) => setTimeout(r, 500));
	const got = received().filter((m) => m.parts.some((p) => p.type === 'text/plain' && p.body.includes('for the living only')));
	assert.deepEqual(got.map((m) => m.rcpt_tos[0]), [users.wang.email]);
});

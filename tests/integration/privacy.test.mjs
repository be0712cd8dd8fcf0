// tests/integration/privacy.test.mjs: a person's export and erase (/crm/visitors/{id}), retention periods and the housekeeping purge in bounded batches.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, errorCode, newTenant, newAgent, sql, ctl, Session } from '../lib/kefu.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let T, other, agent;

async function setup(t) {
	const ch = await api('POST', '/api/v1/admin/channels', {
		key: t.apiKey,
		body: { name: 'Shop', allowed_origins: [], prechat_fields: [{ name: 'email', label: 'Email', type: 'email', required: false }] },
	});
	assert.equal(ch.status, 201, ch.text);
	const rule = await api('POST', '/api/v1/admin/rules', {
		key: t.apiKey,
		body: { name: 'Leave', priority: 1, channel_ids: [ch.json.id], leave_message: { enabled: true, fields: [{ name: 'phone', label: 'Phone', type: 'phone', required: true }] } },
	});
	assert.equal(rule.status, 201, rule.text);
	return ch.json;
}

// A visitor of channel with its token's headers, a request helper and its WebImVisitorObj record.
async function visitor(t, channel) {
	const r = await api('POST', `/api/v1/widget/channels/${channel.key}/visitors`, { body: { locale: 'en' } });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	const rec = await api('GET', `/api/v1/crm/objects/WebImVisitorObj/records/visitor-${r.json.visitor_id}`, { key: t.apiKey });
	assert.equal(rec.status, 200, rec.text);
	return {
		id: r.json.visitor_id,
		record: rec.json.id,
		headers,
		req: (method, path, body) => api(method, '/api/v1/widget' + path, { body, headers }),
	};
}

function upload(path, headers) {
	const fd = new FormData();
	fd.append('file', new Blob([PNG], { type: 'image/png' }), 'passport.png');
	return api('POST', path, { body: fd, headers });
}

// A whole conversation: pre-chat, visitor and agent texts, an image, close, a rating, a leave-message.
async function history(t, channel, v, email = 'wang.secret@example.com') {
	const c = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: { email } });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.status, 'assigned', c.text);
	assert.equal((await v.req('POST', `/conversations/${c.json.id}/messages`, { kind: 'text', text: 'my secret order 4711' })).status, 201);
	assert.equal((await agent.post(`/api/v1/agent/conversations/${c.json.id}/messages`, { kind: 'text', text: 'agent answer about 4711' })).status, 201);
	const up = await upload(`/api/v1/widget/conversations/${c.json.id}/attachments`, v.headers);
	assert.equal(up.status, 201, up.text);
	assert.equal((await v.req('POST', `/conversations/${c.json.id}/close`, {})).status, 200);
	const rt = await v.req('POST', `/conversations/${c.json.id}/rating`, { score: 4, comment: 'secret rating words' });
	assert.equal(rt.status, 201, rt.text);
	const l = await api('POST', `/api/v1/widget/channels/${channel.key}/leave-messages`, { headers: v.headers, body: { fields: { phone: '15912345678' } } });
	assert.equal(l.status, 201, l.text);
	return { conversation: c.json.id, attachment: up.json.attachment, leave: l.json.id };
}

let channel;
before(async () => {
	T = newTenant('privacy');
	other = newTenant('privacy-other');
	channel = await setup(T);
	agent = await newAgent(T, 'Privacy Agent', 'online');
});

test('export: the record, its visitors, conversations with messages and attachment metadata, ratings, leave-messages', async () => {
	const v = await visitor(T, channel);
	const h = await history(T, channel, v);
	const r = await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: T.apiKey });
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="visitor-\d+\.json"/);
	const x = r.json;
	assert.equal(x.visitor.id, v.record);
	assert.equal(x.visitor.external_id, `visitor-${v.id}`);
	assert.deepEqual(x.registrations.map((g) => g.id), [v.id]);
	assert.equal(x.registrations[0].locale, 'en');
	assert.deepEqual(x.pageviews, []);
	assert.equal(x.conversations.length, 1);
	const c = x.conversations[0];
	assert.equal(c.id, h.conversation);
	assert.equal(c.status, 'closed');
	assert.equal(c.agent.id, agent.id);
	assert.deepEqual(c.prechat, { email: 'wang.secret@example.com' });
	const texts = c.messages.filter((m) => m.kind === 'text').map((m) => m.text);
	assert.ok(texts.includes('my secret order 4711'), texts.join('|'));
	assert.ok(texts.includes('agent answer about 4711'));
	const img = c.messages.find((m) => m.attachment);
	assert.equal(img.attachment.name, 'passport.png');
	assert.equal(img.attachment.size, PNG.length);
	assert.equal(img.attachment.mime, 'image/png');
	assert.match(img.attachment.url, /^\/api\/v1\/attachments\/\d+\?t=/);
	assert.deepEqual(x.ratings.map((g) => [g.conversation_id, g.score, g.comment]), [[h.conversation, 4, 'secret rating words']]);
	assert.deepEqual(x.leave_messages.map((l) => [l.id, l.fields.phone]), [[h.leave, '15912345678']]);
	// an admin's session reads it too (the console's download link)
	const admin = await Session.login(T.adminLogin, T.adminPassword);
	const s = await admin.get(`/api/v1/crm/visitors/${v.record}/export`);
	assert.equal(s.status, 200, s.text);
	assert.deepEqual(s.json, x);
});

test('who may: other tenants 404, no scope 403, nobody 401; a record of another object is 404', async () => {
	const v = await visitor(T, channel);
	for (const [m, p] of [['GET', `/api/v1/crm/visitors/${v.record}/export`], ['DELETE', `/api/v1/crm/visitors/${v.record}`]]) {
		assert.equal((await api(m, p, { key: other.apiKey })).status, 404, `${m} ${p} other tenant`);
		const ag = await api(m, p, { session: agent });
		assert.equal(ag.status, 403, `${m} ${p} agent`);
		assert.equal(errorCode(ag), 'forbidden');
		assert.equal((await api(m, p)).status, 401, `${m} ${p} nobody`);
	}
	const crmOnly = ctl('api-key', 'create', '--tenant', T.name, '--scopes', 'crm', '--name', 'crm-only').split(/\s+/).pop();
	assert.equal((await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: crmOnly })).status, 200);
	const adminOnly = ctl('api-key', 'create', '--tenant', T.name, '--scopes', 'admin', '--name', 'admin-only').split(/\s+/).pop();
	assert.equal((await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: adminOnly })).status, 200);
	const contact = await api('PUT', '/api/v1/crm/objects/ContactObj/records/c-privacy-1', { key: T.apiKey, body: { fields: { full_name: 'Wang Wu', phone: '15900000001' } } });
	assert.ok([200, 201].includes(contact.status), contact.text);
	assert.equal((await api('GET', `/api/v1/crm/visitors/${contact.json.id}/export`, { key: T.apiKey })).status, 404);
	assert.equal((await api('DELETE', `/api/v1/crm/visitors/${contact.json.id}`, { key: T.apiKey })).status, 404);
	assert.equal((await api('GET', `/api/v1/crm/objects/ContactObj/records/c-privacy-1`, { key: T.apiKey })).status, 200);
	// still there: nothing was erased by the refused calls
	assert.equal((await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: T.apiKey })).status, 200);
	assert.equal((await v.req('GET', '/conversations')).status, 200);
});

test('erase: texts, files, leave-messages, rating comments and identity gone; shells stay; token dead; audited; webhooks told', async () => {
	// a subscription to a port nobody listens on (127.0.0.1 only): its rows stay undelivered
	const hook = await api('POST', '/api/v1/admin/webhooks', {
		key: T.apiKey,
		body: { url: 'http://127.0.0.1:9/privacy', secret: 'privacy-secret-0123456789', events: ['conversation.created', 'leave_message.created', 'visitor.erased'] },
	});
	assert.equal(hook.status, 201, hook.text);
	const v = await visitor(T, channel);
	const h = await history(T, channel, v);
	// a conversation still open when the erase comes
	const open = await v.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(open.status, 201, open.text);
	assert.equal(open.json.status, 'assigned');
	assert.equal((await v.req('POST', `/conversations/${open.json.id}/messages`, { kind: 'text', text: 'still open 5150' })).status, 201);
	const keep = await visitor(T, channel); // someone else, untouched
	const hk = await history(T, channel, keep, 'li.keep@example.com');
	const exp = (await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: T.apiKey })).json;
	const att = exp.conversations.find((c) => c.id === h.conversation).messages.find((m) => m.attachment).attachment;
	assert.equal((await api('GET', att.url)).status, 200);
	const nmessages = exp.conversations.find((c) => c.id === h.conversation).messages.length;
	const queued = sql(`SELECT COUNT(*) FROM webhook_outbox WHERE tenant_id = ${T.id} AND body LIKE '%wang.secret%'`)[0][0];
	assert.equal(queued, '1', 'conversation.created carries the pre-chat');

	const del = await api('DELETE', `/api/v1/crm/visitors/${v.record}`, { key: T.apiKey });
	assert.equal(del.status, 204, del.text);

	// the record and its export are gone, the token is dead, the file is gone
	assert.equal((await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: T.apiKey })).status, 404);
	assert.equal((await api('GET', `/api/v1/crm/objects/WebImVisitorObj/records/visitor-${v.id}`, { key: T.apiKey })).status, 404);
	assert.equal((await api('DELETE', `/api/v1/crm/visitors/${v.record}`, { key: T.apiKey })).status, 404);
	assert.equal((await v.req('GET', '/conversations')).status, 401);
	assert.equal((await v.req('GET', `/conversations/${h.conversation}/events?after=0`)).status, 401);
	assert.equal((await api('GET', att.url)).status, 404);
	assert.equal((await api('GET', `/api/v1/attachments/${att.id}`, { session: agent })).status, 404);

	// the shell: same status, agent and number of messages, no text
	const shell = await agent.get(`/api/v1/agent/conversations/${h.conversation}/events?after=0`);
	assert.equal(shell.status, 200, shell.text);
	const msgs = shell.json.events.filter((e) => e.type === 'message').map((e) => e.message);
	assert.equal(msgs.length, nmessages);
	for (const m of msgs) {
		assert.equal(m.text, undefined, JSON.stringify(m));
		assert.equal(m.removed, true);
	}
	assert.ok(!shell.text.includes('4711') && !shell.text.includes('secret rating words'), shell.text);
	const row = sql(`SELECT status, agent_user_id, prechat, closed_at IS NOT NULL FROM conversations WHERE tenant_id = ${T.id} AND id = ${h.conversation}`)[0];
	assert.deepEqual(row, ['closed', String(agent.id), '{}', '1']);
	assert.deepEqual(sql(`SELECT COUNT(*), COUNT(text), COUNT(card), SUM(removed_at IS NULL) FROM messages WHERE tenant_id = ${T.id} AND conversation_id = ${h.conversation}`)[0],
		[String(nmessages), '0', '0', '0']);
	// the open one was closed by the (now gone) visitor, and blanked like the rest; the agent saw the close
	assert.deepEqual(sql(`SELECT status, closed_by FROM conversations WHERE tenant_id = ${T.id} AND id = ${open.json.id}`)[0], ['closed', 'visitor']);
	assert.deepEqual(sql(`SELECT COUNT(text) FROM messages WHERE tenant_id = ${T.id} AND conversation_id = ${open.json.id}`)[0], ['0']);
	const closedEv = (await agent.get(`/api/v1/agent/conversations/${open.json.id}/events?after=0`)).json.events;
	assert.ok(closedEv.some((e) => e.type === 'status' && e.status === 'closed'), JSON.stringify(closedEv));
	const mine = (await agent.get('/api/v1/agent/conversations')).json.groups.flatMap((g) => g.conversations);
	assert.ok(!mine.some((c) => c.id === open.json.id), JSON.stringify(mine));
	assert.deepEqual(sql(`SELECT score, comment FROM ratings WHERE tenant_id = ${T.id} AND conversation_id = ${h.conversation}`)[0], ['4', null]);
	assert.deepEqual(sql(`SELECT LENGTH(data), removed_at IS NOT NULL, name FROM attachments WHERE tenant_id = ${T.id} AND id = ${att.id}`)[0], ['0', '1', 'passport.png']);
	assert.deepEqual(sql(`SELECT COUNT(*) FROM leave_messages WHERE tenant_id = ${T.id} AND visitor_id = ${v.id}`)[0], ['0']);
	assert.deepEqual(sql(`SELECT name, attributes, page_url, user_agent, locale, identified, erased_at IS NOT NULL FROM visitors WHERE tenant_id = ${T.id} AND id = ${v.id}`)[0],
		[null, null, null, null, null, '0', '1']);
	assert.deepEqual(sql(`SELECT COUNT(*) FROM events WHERE tenant_id = ${T.id} AND conversation_id = ${h.conversation} AND body LIKE '%secret rating%'`)[0], ['0']);

	// the CRM is told with ids only; what was queued about the person is redacted and will not be sent
	assert.deepEqual(sql(`SELECT COUNT(*) FROM webhook_outbox WHERE tenant_id = ${T.id} AND body LIKE '%wang.secret%'`)[0], ['0']);
	const erased = sql(`SELECT body FROM webhook_outbox WHERE tenant_id = ${T.id} AND event = 'visitor.erased'`);
	assert.equal(erased.length, 1);
	assert.deepEqual(JSON.parse(erased[0][0]).data, { visitor: { record_id: v.record, visitor_ids: [v.id] } });
	const cancelled = sql(`SELECT status, last_error FROM webhook_outbox WHERE tenant_id = ${T.id} AND event <> 'visitor.erased' AND JSON_VALUE(body, '$.data.conversation.visitor_id') = ${v.id}`);
	assert.ok(cancelled.length >= 1);
	for (const [status, err] of cancelled)
		if (status !== 'delivered')
			assert.deepEqual([status, err], ['failed', 'cancelled: visitor erased']);
	const leaveRow = sql(`SELECT JSON_EXTRACT(body, '$.data.leave_message.fields') FROM webhook_outbox WHERE tenant_id = ${T.id} AND event = 'leave_message.created' AND JSON_VALUE(body, '$.data.leave_message.visitor_id') = ${v.id}`);
	assert.deepEqual(leaveRow, [['{}']]);
	const keptRow = sql(`SELECT JSON_VALUE(body, '$.data.leave_message.fields.phone') FROM webhook_outbox WHERE tenant_id = ${T.id} AND event = 'leave_message.created' AND JSON_VALUE(body, '$.data.leave_message.visitor_id') = ${keep.id}`);
	assert.deepEqual(keptRow, [['15912345678']]);

	// audited with counts, not content
	const audit = await api('GET', '/api/v1/admin/audit', { key: T.apiKey });
	const entry = audit.json.items.find((i) => i.action === 'erase' && i.object_type === 'visitor_record' && i.object_id === v.record);
	assert.ok(entry, JSON.stringify(audit.json.items.slice(0, 3)));
	assert.deepEqual(entry.summary.visitor_ids, [v.id]);
	assert.equal(entry.summary.conversations, 2);
	assert.equal(entry.summary.leave_messages, 1);
	assert.equal(entry.summary.attachments, 1);

	// the other person is untouched
	const kx = await api('GET', `/api/v1/crm/visitors/${keep.record}/export`, { key: T.apiKey });
	assert.equal(kx.status, 200);
	assert.ok(kx.text.includes('my secret order 4711') && kx.text.includes('secret rating words'));
	assert.deepEqual(kx.json.leave_messages.map((l) => l.id), [hk.leave]);
	assert.equal((await keep.req('GET', '/conversations')).status, 200);
});

test('retention: defaults, validation, admin scope, audited', async () => {
	const g = await api('GET', '/api/v1/admin/retention', { key: other.apiKey });
	assert.equal(g.status, 200, g.text);
	assert.deepEqual(g.json, { messages_days: 0, attachments_days: 0, pageviews_days: 0, leave_messages_days: 0, mask_visitor_address: true });
	for (const [body, field] of [[{ messages_days: -1 }, 'messages_days'], [{ attachments_days: 3651 }, 'attachments_days'], [{ pageviews_days: 1.5 }, 'pageviews_days'],
		[{ leave_messages_days: '30' }, 'leave_messages_days'], [{ messages_days: true }, 'messages_days'], [{ messages_days: null }, 'messages_days'], [{ mask_visitor_address: 0 }, 'mask_visitor_address'], [{ mask_visitor_address: 'no' }, 'mask_visitor_address']]) {
		const r = await api('PUT', '/api/v1/admin/retention', { key: other.apiKey, body });
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.error.field, field);
	}
	assert.equal((await api('PUT', '/api/v1/admin/retention', { key: other.apiKey, body: [1] })).status, 400);
	assert.equal((await api('PUT', '/api/v1/admin/retention', { session: agent, body: { messages_days: 1 } })).status, 403);
	assert.equal((await api('GET', '/api/v1/admin/retention', { session: agent })).status, 403);
	const crmOnly = ctl('api-key', 'create', '--tenant', other.name, '--scopes', 'crm', '--name', 'crm-only').split(/\s+/).pop();
	assert.equal((await api('PUT', '/api/v1/admin/retention', { key: crmOnly, body: { messages_days: 1 } })).status, 403);
	const p = await api('PUT', '/api/v1/admin/retention', { key: other.apiKey, body: { messages_days: 3650, leave_messages_days: 90 } });
	assert.equal(p.status, 200, p.text);
	assert.deepEqual(p.json, { messages_days: 3650, attachments_days: 0, pageviews_days: 0, leave_messages_days: 90, mask_visitor_address: true });
	const q = await api('PUT', '/api/v1/admin/retention', { key: other.apiKey, body: { attachments_days: 7 } });
	assert.deepEqual(q.json, { messages_days: 3650, attachments_days: 7, pageviews_days: 0, leave_messages_days: 90, mask_visitor_address: true });
	assert.deepEqual((await api('GET', '/api/v1/admin/retention', { key: other.apiKey })).json, q.json);
	// per tenant
	assert.deepEqual((await api('GET', '/api/v1/admin/retention', { key: T.apiKey })).json.messages_days, 0);
	const audit = await api('GET', '/api/v1/admin/audit', { key: other.apiKey });
	const entry = audit.json.items.find((i) => i.object_type === 'retention');
	assert.equal(entry.action, 'update');
	assert.deepEqual(entry.summary.after, q.json);
	assert.equal(entry.summary.before.attachments_days, 0);
	// keep forever again, so this tenant's data is not purged under other tests
	assert.equal((await api('PUT', '/api/v1/admin/retention', { key: other.apiKey, body: { messages_days: 0, attachments_days: 0, leave_messages_days: 0 } })).status, 200);
});

test('purge: old messages blanked, old files and leave-messages removed, in several bounded batches; new ones stay', async () => {
	const P = newTenant('privacy-purge');
	const pch = await setup(P);
	const pag = await newAgent(P, 'Purge Agent', 'online');
	const v = await visitor(P, pch);
	const c = await v.req('POST', '/conversations', { channel_key: pch.key, prechat: {} });
	assert.equal(c.status, 201, c.text);
	const cid = c.json.id;
	const old = await v.req('POST', `/conversations/${cid}/messages`, { kind: 'text', text: 'old words' });
	assert.equal(old.status, 201, old.text);
	const up = await upload(`/api/v1/widget/conversations/${cid}/attachments`, v.headers);
	assert.equal(up.status, 201, up.text);
	const l = await api('POST', `/api/v1/widget/channels/${pch.key}/leave-messages`, { headers: v.headers, body: { fields: { phone: '15912345678' } } });
	assert.equal(l.status, 201, l.text);
	// 1200 more old messages, far past the stream's head so no seq clashes
	const OLD = 1200;
	sql(`INSERT INTO messages (tenant_id, conversation_id, seq, sender, kind, text, created_at)
		SELECT ${P.id}, ${cid}, 1000000 + seq, 'visitor', 'text', CONCAT('bulk ', seq), NOW(3) - INTERVAL 3 DAY FROM seq_1_to_${OLD}`);
	// what the API made is made old too (a tenant's data from before its retention was set)
	sql(`UPDATE messages SET created_at = NOW(3) - INTERVAL 2 DAY WHERE tenant_id = ${P.id} AND conversation_id = ${cid} AND seq < 1000000`);
	sql(`UPDATE attachments SET created_at = NOW(3) - INTERVAL 2 DAY WHERE tenant_id = ${P.id} AND conversation_id = ${cid}`);
	sql(`UPDATE leave_messages SET created_at = NOW(3) - INTERVAL 2 DAY WHERE tenant_id = ${P.id}`);
	const before = Number(sql(`SELECT COUNT(*) FROM messages WHERE tenant_id = ${P.id} AND conversation_id = ${cid}`)[0][0]);
	const fresh = await pag.post(`/api/v1/agent/conversations/${cid}/messages`, { kind: 'text', text: 'fresh words' });
	assert.equal(fresh.status, 201, fresh.text);
	const attUrl = (await api('GET', `/api/v1/crm/visitors/${v.record}/export`, { key: P.apiKey })).json.conversations[0].messages.find((m) => m.attachment).attachment.url;
	assert.equal((await api('GET', attUrl)).status, 200);

	// as old, in a tenant that keeps everything
	const tv = await visitor(T, channel);
	const tc = await tv.req('POST', '/conversations', { channel_key: channel.key, prechat: {} });
	assert.equal(tc.status, 201, tc.text);
	const tm = await tv.req('POST', `/conversations/${tc.json.id}/messages`, { kind: 'text', text: 'kept for ever' });
	assert.equal(tm.status, 201, tm.text);
	sql(`UPDATE messages SET created_at = NOW(3) - INTERVAL 3 DAY WHERE tenant_id = ${T.id} AND id = ${tm.json.id}`);

	const put = await api('PUT', '/api/v1/admin/retention', { key: P.apiKey, body: { messages_days: 1, attachments_days: 1, leave_messages_days: 1 } });
	assert.equal(put.status, 200, put.text);
	const removed = () => Number(sql(`SELECT COUNT(*) FROM messages WHERE tenant_id = ${P.id} AND conversation_id = ${cid} AND removed_at IS NOT NULL`)[0][0]);
	const seen = new Set();
	const deadline = Date.now() + 90000;
	let n = 0;
	while ((n = removed()) < before && Date.now() < deadline) {
		seen.add(n);
		await sleep(50);
	}
	assert.equal(n, before, `removed ${n} of ${before}; seen ${[...seen]}`);
	const partial = [...seen].filter((k) => k > 0 && k < before);
	assert.ok(partial.length > 0, `never saw a partial state: ${[...seen]}`);
	for (const k of partial)
		assert.equal(k % 500, 0, `a batch is 500 rows: ${[...seen]}`);
	// blanked, not deleted: the rows (stream entries, report counts) are all there
	assert.deepEqual(sql(`SELECT COUNT(*), COUNT(text) FROM messages WHERE tenant_id = ${P.id} AND conversation_id = ${cid} AND seq < 1000000 AND removed_at IS NOT NULL`)[0][1], '0');
	const ev = await pag.get(`/api/v1/agent/conversations/${cid}/events?after=0`);
	assert.equal(ev.status, 200, ev.text);
	const ms = ev.json.events.filter((e) => e.type === 'message').map((e) => e.message);
	const oldMsg = ms.find((m) => m.id === old.json.id);
	assert.equal(oldMsg.text, undefined);
	assert.equal(oldMsg.removed, true);
	assert.ok(ms.some((m) => m.text === 'fresh words' && m.removed === undefined));
	// files and leave-messages
	const deadline2 = Date.now() + 30000;
	while (Date.now() < deadline2 && (await api('GET', attUrl)).status !== 404)
		await sleep(200);
	assert.equal((await api('GET', attUrl)).status, 404);
	while (Date.now() < deadline2 && sql(`SELECT COUNT(*) FROM leave_messages WHERE tenant_id = ${P.id}`)[0][0] !== '0')
		await sleep(200);
	assert.deepEqual(sql(`SELECT COUNT(*) FROM leave_messages WHERE tenant_id = ${P.id}`)[0], ['0']);
	// other tenants keep theirs
	assert.deepEqual(sql(`SELECT text, removed_at FROM messages WHERE tenant_id = ${T.id} AND id = ${tm.json.id}`)[0], ['kept for ever', null]);
});

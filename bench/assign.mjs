// bench/assign.mjs: conversation starts per second into one group of 20 agents (4 workers), with violations and retried transactions.
// Run through bench/assign, which starts a private stack with 4 workers and stops it afterwards.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ctl, newTenant, api, Session } from '../tests/lib/kefu.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const STATE = process.env.KEFU_STATE;
const N = Number(process.env.BENCH_STARTS || 4000);
const C = Number(process.env.BENCH_CONCURRENCY || 64);
const agent = new http.Agent({ keepAlive: true, maxSockets: C * 2 });

function request(method, path, { headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: URL_.hostname, port: URL_.port, method, path, agent, headers }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString();
				let json = null;
				try { json = JSON.parse(text); } catch { /* not JSON */ }
				resolve({ status: res.statusCode, json, text });
			});
		});
		req.on('error', reject);
		if (body !== undefined) {
			req.setHeader('content-type', 'application/json');
			req.end(JSON.stringify(body));
		} else req.end();
	});
}

const conf = (name) => (readFileSync(join(STATE, 'kefu.conf'), 'utf8').match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1]?.trim();
function query(q) {
	const out = execFileSync('mariadb', ['-S', conf('db_socket'), '-u', conf('db_user'), `-p${conf('db_password')}`, conf('db_name'), '-N', '-B', '-e', q], { encoding: 'utf8', maxBuffer: 64 << 20 });
	return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

// kefu_db_tx_retries_total summed over the worker processes (each /metrics answer is one process's).
async function retries() {
	const seen = new Map();
	for (let i = 0; i < 80 && seen.size < 4; i++) {
		const m = (await request('GET', '/metrics')).text;
		const pid = (m.match(/^kefu_process_id (\d+)/m) || [])[1];
		seen.set(pid, Number((m.match(/^kefu_db_tx_retries_total (\d+)/m) || [])[1] || 0));
	}
	return [...seen.values()].reduce((a, b) => a + b, 0);
}

async function pool(n, c, fn) {
	let next = 0;
	await Promise.all(Array.from({ length: c }, async () => {
		while (next < n) await fn(next++);
	}));
}

const t = newTenant('bench-assign');
const ids = [];
for (let i = 0; i < 20; i++) {
	const login = `${t.name}-a${i}`;
	const r = await api('POST', '/api/v1/admin/users', { key: t.apiKey, body: { login, name: `Agent ${i}`, password: 'bench-password-1', role: 'agent', department_ids: [] } });
	ids.push(r.json.id);
	const s = await Session.login(login, 'bench-password-1');
	await s.put('/api/v1/agent/status', { status: 'online' });
}
const g = await api('POST', '/api/v1/admin/groups', { key: t.apiKey, body: { name: 'bench', member_user_ids: ids, member_department_ids: [] } });
const ch = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body: { name: 'bench', allowed_origins: [] } });
const max = Math.ceil(N / 20) + 10; // room for everyone: this measures assignment, not queueing
const rule = await api('POST', '/api/v1/admin/rules', { key: t.apiKey, body: { name: 'bench', channel_ids: [ch.json.id], max_concurrent: Math.min(max, 1000), strategy: process.env.BENCH_STRATEGY || 'load', routing: { mode: 'rules', fallback_group_id: g.json.id }, welcome_message: 'Hi' } });
if (rule.status !== 201) throw new Error(rule.text);

// Visitors first (registration is rate limited per address: the bench empties the bucket).
const tokens = [];
for (let i = 0; i < N; i += 150) {
	query("DELETE FROM rate_limits WHERE bucket LIKE 'visitor:%'");
	const batch = await Promise.all(Array.from({ length: Math.min(150, N - i) }, () => request('POST', `/api/v1/widget/channels/${ch.json.key}/visitors`, { body: {} })));
	tokens.push(...batch.map((r) => r.json.visitor_token));
}

const r0 = await retries();
let failed = 0;
const statuses = {};
const t0 = performance.now();
await pool(N, C, async (i) => {
	const r = await request('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': tokens[i] }, body: { channel_key: ch.json.key, prechat: {} } });
	if (r.status !== 201) failed++;
	else statuses[r.json.status] = (statuses[r.json.status] || 0) + 1;
});
const secs = (performance.now() - t0) / 1000;
const r1 = await retries();

const tenant = t.id || query(`SELECT tenant_id FROM rules WHERE id = ${rule.json.id}`)[0][0];
const over = query(`SELECT agent_user_id, COUNT(*) n FROM conversations WHERE rule_id = ${rule.json.id} AND status = 'assigned' GROUP BY agent_user_id HAVING n > ${rule.json.max_concurrent}`).length;
const loadMismatch = query(`SELECT l.user_id FROM agent_load l LEFT JOIN (SELECT agent_user_id u, COUNT(*) n FROM conversations WHERE rule_id = ${rule.json.id} AND status = 'assigned' GROUP BY agent_user_id) c ON c.u = l.user_id WHERE l.rule_id = ${rule.json.id} AND l.live <> COALESCE(c.n, 0)`).length;
const spread = query(`SELECT MIN(n), MAX(n) FROM (SELECT COUNT(*) n FROM conversations WHERE rule_id = ${rule.json.id} AND status = 'assigned' GROUP BY agent_user_id) x`)[0];
console.log(JSON.stringify({
	starts: N, concurrency: C, seconds: Number(secs.toFixed(2)), starts_per_second: Math.round(N / secs),
	statuses, failed, violations: over + loadMismatch, per_agent_min_max: spread.map(Number),
	tx_retries: r1 - r0, retried_percent: Number((100 * (r1 - r0) / N).toFixed(2)), tenant,
}, null, 1));

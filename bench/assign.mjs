// bench/assign.mjs: conversation starts per second into one group of 20 agents (4 workers), with violations and retried transactions.
// Run through bench/assign, which starts a private stack with 4 workers and stops it afterwards.
// Two passes: "assign" with room for everyone (nothing queues), then "queue",
// where demand exceeds the agents' capacity: most starts queue, and closers
// close assigned conversations as they appear, each close draining the queue.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ctl, newTenant, api, Session } from '../tests/lib/kefu.mjs';
import { requester } from './lib/http.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const STATE = process.env.KEFU_STATE;
const N = Number(process.env.BENCH_STARTS || 4000);
const C = Number(process.env.BENCH_CONCURRENCY || 64);
// The queue pass: its starts, the rule's max_concurrent (20 agents x this is
// the capacity) and how many closers run beside the starters.
const NQ = Number(process.env.BENCH_QUEUE_STARTS || 1000);
const QMAX = Number(process.env.BENCH_QUEUE_MAX || 2);
const CLOSERS = Number(process.env.BENCH_CLOSERS || 16);
const agent = new http.Agent({ keepAlive: true, maxSockets: C * 2 });

const request = requester(URL_, agent);

const conf = (name) => (readFileSync(join(STATE, 'kefu.conf'), 'utf8').match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1]?.trim();
function query(q) {
	const out = execFileSync('mariadb', ['-S', conf('db_socket'), '-u', conf('db_user'), `-p${conf('db_password')}`, conf('db_name'), '-N', '-B', '-e', q], { encoding: 'utf8', maxBuffer: 64 << 20 });
	return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}
// The closers' looks, without blocking the event loop (the starters keep going meanwhile), on one client
// connection kept open for the pass: a client started for each look cost the machine's two cores, which the
// measured starts share, some 15 ms of CPU a look. Each query ends with a row ('.', 0) that says its answer is whole.
function looker() {
	const child = spawn('mariadb', ['-S', conf('db_socket'), '-u', conf('db_user'), `-p${conf('db_password')}`, conf('db_name'), '-N', '-B', '--unbuffered'], { stdio: ['pipe', 'pipe', 'inherit'] });
	let buf = '', waiting = null;
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (d) => {
		buf += d;
		const end = buf.indexOf('.\t0\n');
		if (end >= 0 && waiting && (end === 0 || buf[end - 1] === '\n')) {
			const rows = buf.slice(0, end).split('\n').filter(Boolean).map((l) => l.split('\t'));
			buf = buf.slice(end + 4);
			const w = waiting;
			waiting = null;
			w.resolve(rows);
		}
	});
	child.on('exit', (code) => waiting?.reject(new Error(`the looks' client exited (${code})`)));
	return {
		query: (q) => new Promise((resolve, reject) => {
			waiting = { resolve, reject };
			child.stdin.write(`${q} UNION ALL SELECT '.', 0;\n`);
		}),
		close: () => child.stdin.end(),
	};
}
function percentile(xs, p) {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
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
async function visitors(n, channelKey) {
	const tokens = [];
	for (let i = 0; i < n; i += 150) {
		query("DELETE FROM rate_limits WHERE bucket LIKE 'visitor:%'");
		const batch = await Promise.all(Array.from({ length: Math.min(150, n - i) }, () => request('POST', `/api/v1/widget/channels/${channelKey}/visitors`, { body: {} })));
		tokens.push(...batch.map((r) => r.json.visitor_token));
	}
	return tokens;
}
const tokens = await visitors(N, ch.json.key);

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
const assignPass = {
	pass: 'assign', starts: N, concurrency: C, seconds: Number(secs.toFixed(2)), starts_per_second: Math.round(N / secs),
	statuses, failed, violations: over + loadMismatch, per_agent_min_max: spread.map(Number),
	tx_retries: r1 - r0, retried_percent: Number((100 * (r1 - r0) / N).toFixed(2)), tenant,
};
console.log(JSON.stringify(assignPass, null, 1));

// The queue pass: a second channel and rule into the same group with room
// for 20 x QMAX conversations. NQ starts at concurrency C; meanwhile CLOSERS
// visitors close whatever the rule has assigned, each close serving the head
// of the queue in its transaction, until every start was served and closed.
// Each look at the rule's conversations is one statement (one snapshot) and
// also counts the invariant violations at that moment: an agent above
// max_concurrent, an agent_load row that differs from the live count.
const ch2 = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body: { name: 'bench-queue', allowed_origins: [] } });
const rule2 = await api('POST', '/api/v1/admin/rules', { key: t.apiKey, body: { name: 'bench-queue', channel_ids: [ch2.json.id], max_concurrent: QMAX, strategy: process.env.BENCH_STRATEGY || 'load', routing: { mode: 'rules', fallback_group_id: g.json.id }, welcome_message: 'Hi' } });
if (rule2.status !== 201) throw new Error(rule2.text);
const R2 = rule2.json.id;
const qtokens = await visitors(NQ, ch2.json.key);
const tokenOf = new Map(); // conversation id -> its visitor's token
const qstatuses = {};
let qfailed = 0, closeFailed = 0, closes = 0, looks = 0, sampledViolations = 0, maxQueued = 0;
let startsDone = false, startsSecs = 0, drainedAt = 0;
const closing = new Set();
const queuedIds = new Set();
// By tenant and status (the conversations' (tenant_id, status, id) index):
// the look reads the rule's assigned and queued rows, not every conversation.
const snapshot = `SELECT 'a', id FROM conversations WHERE tenant_id = ${tenant} AND status = 'assigned' AND rule_id = ${R2}
	UNION ALL SELECT 'q', COUNT(*) FROM conversations WHERE tenant_id = ${tenant} AND status = 'queued' AND rule_id = ${R2}
	UNION ALL SELECT 'o', COUNT(*) FROM (SELECT agent_user_id, COUNT(*) n FROM conversations WHERE tenant_id = ${tenant} AND status = 'assigned' AND rule_id = ${R2} GROUP BY agent_user_id HAVING n > ${QMAX}) o
	UNION ALL SELECT 'm', COUNT(*) FROM agent_load l LEFT JOIN (SELECT agent_user_id u, COUNT(*) n FROM conversations WHERE tenant_id = ${tenant} AND status = 'assigned' AND rule_id = ${R2} GROUP BY agent_user_id) c ON c.u = l.user_id WHERE l.tenant_id = ${tenant} AND l.rule_id = ${R2} AND l.live <> COALESCE(c.n, 0)`;
const looks$ = looker();
await looks$.query(snapshot); // its connection and the client's greeting, before the statements are counted
async function closers() {
	for (;;) {
		const rows = await looks$.query(snapshot);
		looks++;
		const get = (k) => Number((rows.find((r) => r[0] === k) || [0, 0])[1]);
		const queued = get('q');
		maxQueued = Math.max(maxQueued, queued);
		sampledViolations += get('o') + get('m');
		const assigned = rows.filter((r) => r[0] === 'a').map((r) => Number(r[1])).filter((id) => tokenOf.has(id) && !closing.has(id));
		if (startsDone && queued === 0 && !rows.some((r) => r[0] === 'a')) {
			drainedAt = performance.now();
			return;
		}
		if (!assigned.length) {
			await new Promise((r) => setTimeout(r, 10));
			continue;
		}
		for (const id of assigned) closing.add(id);
		await pool(assigned.length, Math.min(CLOSERS, assigned.length), async (i) => {
			const id = assigned[i];
			const r = await request('POST', `/api/v1/widget/conversations/${id}/close`, { headers: { 'x-visitor-token': tokenOf.get(id) } });
			// A failed close counts (and fails the run) but is tried again
			// at the next look: left out, it would hold the closers forever.
			if (r.status !== 200) {
				closeFailed++;
				closing.delete(id);
			} else closes++;
		});
	}
}
// What the queue pass costs, for its starts and closes together: MariaDB's
// statements (Questions; the bench's own looks, one statement each, and the
// final count's two, its client's greeting and itself, taken off) and the CPU of MariaDB and the workers (/proc).
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const statements = () => Number(query("SHOW GLOBAL STATUS LIKE 'Questions'")[0][1]);
const pidOf = (f) => { try { return readFileSync(join(STATE, f), 'utf8').trim(); } catch { return null; } };
function cpuTicks() {
	const pids = { mariadb: [pidOf('mysqld.pid')], workers: readdirSync(STATE).filter((f) => /^worker-\d+\.pid$/.test(f)).map(pidOf) };
	const ticks = (pid) => { try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); } catch { return 0; } };
	return Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, ps.filter(Boolean).reduce((a, p) => a + ticks(p), 0)]));
}
// BENCH_GENERAL_LOG=FILE: MariaDB's general log of the queue pass into FILE
// (each statement with its connection, to count a batch's statements).
const GLOG = process.env.BENCH_GENERAL_LOG;
const root = (q) => execFileSync('mariadb', ['--no-defaults', '-S', conf('db_socket'), '-uroot', '-N', '-B', '-e', q], { encoding: 'utf8' });
if (GLOG) root(`SET GLOBAL general_log_file = '${GLOG}'; SET GLOBAL log_output = 'FILE'; SET GLOBAL general_log = 1`);
const q0 = await retries();
const st0 = statements(), cpu0 = cpuTicks();
const tq = performance.now();
const closing$ = closers();
await pool(NQ, C, async (i) => {
	const r = await request('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': qtokens[i] }, body: { channel_key: ch2.json.key, prechat: {} } });
	if (r.status !== 201) qfailed++;
	else {
		tokenOf.set(r.json.id, qtokens[i]);
		if (r.json.status === 'queued') queuedIds.add(r.json.id);
		qstatuses[r.json.status] = (qstatuses[r.json.status] || 0) + 1;
	}
});
startsSecs = (performance.now() - tq) / 1000;
const startsEnd = performance.now();
startsDone = true;
await closing$;
looks$.close();
const st1 = statements(), cpu1 = cpuTicks();
if (GLOG) root('SET GLOBAL general_log = 0');
const q1 = await retries();
// Waits of the starts that queued, by the server's own clock; every one must
// have been served (assigned) before its close.
const waits = query(`SELECT id, TIMESTAMPDIFF(MICROSECOND, created_at, assigned_at) / 1000 FROM conversations WHERE rule_id = ${R2} AND assigned_at IS NOT NULL`)
	.filter((r) => queuedIds.has(Number(r[0]))).map((r) => Number(r[1]));
const unserved = Number(query(`SELECT COUNT(*) FROM conversations WHERE rule_id = ${R2} AND (assigned_at IS NULL OR status <> 'closed')`)[0][0]);
const leftInQueue = Number(query(`SELECT COUNT(*) FROM queue_entries WHERE rule_id = ${R2}`)[0][0]);
const queuePass = {
	pass: 'queue', starts: NQ, capacity: 20 * QMAX, concurrency: C, closers: CLOSERS,
	start_seconds: Number(startsSecs.toFixed(2)), starts_per_second: Math.round(NQ / startsSecs), statuses: qstatuses, failed: qfailed,
	max_queued_seen: maxQueued, closes, close_failed: closeFailed,
	drain_seconds_after_last_start: Number(((drainedAt - startsEnd) / 1000).toFixed(2)),
	total_seconds: Number(((drainedAt - tq) / 1000).toFixed(2)), closes_per_second: Math.round(closes / ((drainedAt - tq) / 1000)),
	queue_wait_ms: { samples: waits.length, p50: percentile(waits, 50), p99: percentile(waits, 99), max: waits.length ? Math.max(...waits) : null },
	violations: sampledViolations + unserved + leftInQueue, violation_checks: looks, unserved, left_in_queue: leftInQueue,
	tx_retries: q1 - q0,
	// per start and close (one of each per conversation)
	statements_per_start_and_close: Number(((st1 - st0 - looks - 2) / NQ).toFixed(2)),
	cpu_ms_per_start_and_close: { mariadb: Number((TICK_MS * (cpu1.mariadb - cpu0.mariadb) / NQ).toFixed(2)), workers: Number((TICK_MS * (cpu1.workers - cpu0.workers) / NQ).toFixed(2)) },
};
console.log(JSON.stringify(queuePass, null, 1));
if (failed || assignPass.violations || qfailed || closeFailed || queuePass.violations) {
	console.log('bench/assign: FAILED: a failed start or close, or an invariant violation (see above)');
	process.exit(1);
}

// bench/reports.mjs: latency of the reports over the load generator's data, and message POST throughput with and without the rollup job.
// Run through bench/reports, which starts the stack, runs bench/reports-gen and passes BENCH_KEY (an admin key of the
// generated tenant), BENCH_N and BENCH_DAYS.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { benchTenant } from './lib/tenant.mjs';
import { requester } from './lib/http.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const KEY = process.env.BENCH_KEY;
const SECS = Number(process.env.BENCH_SECONDS || 30);
const REQS = Number(process.env.BENCH_REQUESTS || 100);
const agent = new http.Agent({ keepAlive: true });

const request = requester(URL_, agent);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const conf = (name) => (readFileSync(join(process.env.KEFU_STATE, 'kefu.conf'), 'utf8').match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1]?.trim();
function sql(q) {
	return execFileSync('mariadb', ['--no-defaults', '-S', conf('db_socket'), '-u', conf('db_user'), `-p${conf('db_password')}`,
		conf('db_name'), '-N', '-B', '-e', q], { encoding: 'utf8' }).trim();
}

// CPU time (ms, user + system) so far of this stack's MariaDB and workers: the machine is shared, so wall times
// carry other people's load; the CPU a request costs does not.
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
function cpuMs() {
	let ms = 0;
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!(cmd.includes('mariadbd') && cmd.includes(process.env.KEFU_STATE)) &&
			    !(cmd.includes('kefu.fcgi') && cmd.includes(process.env.KEFU_CONFIG)))
				continue;
			const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			ms += (Number(f[11]) + Number(f[12])) * TICK_MS;
		} catch { /* gone */ }
	}
	return ms;
}
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

// 1. Latency: sequential requests (after 5 unmeasured), p50/p95/max; every answer must be a 200 with figures.
const day = (d) => new Date(Date.now() - d * 86400e3).toISOString().slice(0, 10);
const range = `from=${day(29)}&to=${day(0)}&tz=UTC`;
async function latency(label, path, check, target) {
	const times = [];
	let last, cpu0 = 0;
	const load0 = load();
	for (let i = 0; i < REQS + 5; i++) {
		if (i === 5)
			cpu0 = cpuMs();
		const t0 = performance.now();
		last = await request('GET', path, { headers: { authorization: `Bearer ${KEY}` } });
		const ms = performance.now() - t0;
		if (last.status !== 200)
			throw new Error(`${label}: ${last.status} ${last.text.slice(0, 300)}`);
		if (i >= 5)
			times.push(ms);
	}
	const p95 = pct(times, 95), cpu = (cpuMs() - cpu0) / REQS;
	console.log(`${label}: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms` +
		` (${REQS} requests; target p95 < ${target} ms: ${p95 < target ? 'met' : 'NOT met'}); CPU ${cpu.toFixed(1)} ms a request` +
		` (MariaDB + workers); load average ${load0} -> ${load()} ${check(last.json)}`);
	return p95 < target;
}
const counts = sql(`SELECT COUNT(*) FROM conversations c JOIN tenants t ON t.id = c.tenant_id WHERE t.name = '${process.env.BENCH_TENANT}'`);
const msgs = sql(`SELECT COUNT(*) FROM messages`);
console.log(`data: ${counts} conversations of the bench tenant over ${process.env.BENCH_DAYS} days, ${msgs} messages in all`);
let ok = true;
// The packs of schema/0027: wait until the job has packed the bench tenant up to the last minutes (after a fresh
// generation, or a first start with 0027, it packs the whole year), so that what is measured is the steady state.
{
	const t0 = Date.now();
	const tid = sql(`SELECT id FROM tenants WHERE name = '${process.env.BENCH_TENANT}'`);
	const behind = () => Number(sql(`SELECT IFNULL((UNIX_TIMESTAMP(NOW(3)) * 1000 - MAX(next_ms)) / 1000, 1e9) FROM report_pack_marks WHERE tenant_id = ${tid}`));
	while (behind() > 30 * 60)
		await new Promise((r) => setTimeout(r, 2000));
	const p = sql(`SELECT COUNT(*), IFNULL(SUM(n), 0), IFNULL(SUM(LENGTH(data)), 0) FROM report_packs WHERE tenant_id = ${tid}`).split('\t');
	console.log(`packs: ${p[0]} buckets, ${p[1]} conversations, ${(Number(p[2]) / 1048576).toFixed(1)} MiB ` +
		`(the job caught up in ${((Date.now() - t0) / 1000).toFixed(0)} s of waiting here)`);
}
if (!process.env.BENCH_SKIP_LATENCY) { // only the POST passes (BENCH_SKIP_LATENCY=1)
ok = await latency('30-day summary', `/api/v1/reports/summary?${range}`,
	(j) => `[${j.conversations} conversations, ${j.messages.visitor + j.messages.agent} messages, wait p50 ${j.wait_seconds.p50} s]`, 300) && ok;
ok = await latency('30-day per-agent report', `/api/v1/reports/agents?${range}`,
	(j) => `[${j.items.length} agents]`, 300) && ok;
ok = await latency('real-time board', '/api/v1/reports/realtime', (j) => `[${j.waiting} waiting, ${j.live_conversations} live]`, 50) && ok;
}

if (process.env.BENCH_SKIP_POST) // only the latencies (BENCH_SKIP_POST=1)
	process.exit(ok ? 0 : 1);

// 2. Message POST throughput into 64 conversations of a fresh tenant, passes taking turns: the report jobs on (the
// message counts of 0026 and the packs of 0027) and off (their mark tables renamed away, so each run fails at once
// and holds nothing), in the order on, off, off, on, twice. What was written while they were off is done by the next
// "on" pass, so over the run the jobs do all the work they would.
async function conversation(channelKey) {
	const v = await request('POST', `/api/v1/widget/channels/${channelKey}/visitors`, { body: {} });
	const token = v.json.visitor_token;
	const c = await request('POST', '/api/v1/widget/conversations',
		{ headers: { 'x-visitor-token': token }, body: { channel_key: channelKey, prechat: {} } });
	if (c.status !== 201)
		throw new Error(`conversation: ${c.status} ${c.text}`);
	return { id: c.json.id, token };
}
const { channel: ch } = await benchTenant('reports-post', 16, 'Agent');
const convs = [];
for (let i = 0; i < 64; i++)
	convs.push(await conversation(ch.key));
function wrk(seconds) {
	const paths = convs.map((c) => `/api/v1/widget/conversations/${c.id}/messages ${c.token}`).join(';');
	const out = execFileSync('wrk', ['-t2', '-c32', `-d${seconds}s`, '-s', new URL('post.lua', import.meta.url).pathname, URL_.origin],
		{ encoding: 'utf8', env: { ...process.env, BENCH_PATHS: paths } });
	const c = Object.fromEntries(out.match(/^bench-counts (.*)$/m)[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
	return { rps: c.ok / (c.duration_us / 1e6), bad: c.non2xx + c.connect + c.read + c.write + c.timeout };
}
const rolled = () => Number(sql("SELECT last_id FROM report_rollup_marks WHERE name = 'messages'"));
const on = [], off = [];
wrk(5); // warm-up, not counted: the first seconds after start-up are slower whatever runs
function passOn() {
	const m0 = rolled();
	const a = wrk(SECS);
	on.push(a.rps);
	console.log(`  POST, report jobs on:  ${a.rps.toFixed(0)}/s (non-2xx or errors: ${a.bad}; the job rolled up ${rolled() - m0} message ids meanwhile)`);
}
function passOff() {
	sql('RENAME TABLE report_rollup_marks TO report_rollup_marks_off, report_pack_marks TO report_pack_marks_off');
	let b;
	try { b = wrk(SECS); } finally { sql('RENAME TABLE report_rollup_marks_off TO report_rollup_marks, report_pack_marks_off TO report_pack_marks'); }
	off.push(b.rps);
	console.log(`  POST, report jobs off: ${b.rps.toFixed(0)}/s (non-2xx or errors: ${b.bad})`);
}
// On, off, off, on (and again): a drift of the machine over the run (tables
// growing, other load) weighs on both sides alike; the last pass is "on", so
// the jobs also do what was written while they were off.
for (let round = 0; round < 2; round++)
	for (const pass of [passOn, passOff, passOff, passOn])
		pass();
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const cost = 100 * (1 - mean(on) / mean(off));
console.log(`message POST throughput: ${mean(on).toFixed(0)}/s with the report jobs, ${mean(off).toFixed(0)}/s without ` +
	`(${cost.toFixed(1)} % slower with it; target <= 5 %: ${cost <= 5 ? 'met' : 'NOT met'}; 32 connections, ${SECS} s passes)`);
process.exit(ok ? 0 : 1);

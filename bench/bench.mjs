// bench/bench.mjs: message throughput vs the baseline, 10,000 parked long-polls' memory, delivery latency.
// Run through bench/run, which starts the stack, the baseline and the shared lighttpd.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { benchTenant } from './lib/tenant.mjs';
import { requester } from './lib/http.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const quick = process.argv.includes('--quick');
// --only=throughput,latency,parked runs just those parts (default: all three).
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const parts = new Set(onlyArg ? onlyArg.slice(7).split(',') : ['throughput', 'latency', 'parked']);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

const request = requester(URL_, agent);

async function conversation(channelKey) {
	const v = await request('POST', `/api/v1/widget/channels/${channelKey}/visitors`, { body: {} });
	if (v.status !== 201)
		throw new Error(`visitor: ${v.status} ${v.text}`);
	const token = v.json.visitor_token;
	const c = await request('POST', '/api/v1/widget/conversations',
		{ headers: { 'x-visitor-token': token }, body: { channel_key: channelKey, prechat: {} } });
	if (c.status !== 201)
		throw new Error(`conversation: ${c.status} ${c.text}`);
	const ev = await request('GET', `/api/v1/widget/conversations/${c.json.id}/events?after=0`,
		{ headers: { 'x-visitor-token': token } });
	return { id: c.json.id, token, next: ev.json.next };
}

// targets: [{path, token}]; wrk spreads its requests over them round-robin.
// Only 2xx answers count (post.lua counts them); every other answer and
// every socket error is reported, and any one fails the run.
function wrk(targets, seconds, connections) {
	const before = cpuUs(), st0 = dbStatus();
	const paths = targets.map((t) => `${t.path} ${t.token || ''}`).join(';');
	const out = execFileSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '-s', new URL('post.lua', import.meta.url).pathname,
		URL_.origin], { encoding: 'utf8', env: { ...process.env, BENCH_PATHS: paths } });
	const m = out.match(/^bench-counts (.*)$/m);
	if (!m)
		throw new Error(`wrk printed no counts:\n${out}`);
	const c = Object.fromEntries(m[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
	const errors = c.connect + c.read + c.write + c.timeout;
	const after = cpuUs(), st1 = dbStatus();
	// µs of CPU per 2xx answer in each part
	const cpu = Object.fromEntries(Object.keys(after).map((k) => [k, c.ok ? Math.round((after[k] - before[k]) / c.ok) : null]));
	// statements (every client's, the server's periodic jobs included) and transactions per 2xx answer
	const per = (k) => (c.ok ? Number(((st1[k] - st0[k]) / c.ok).toFixed(2)) : null);
	return { rps: c.ok / (c.duration_us / 1e6), ok: c.ok, non2xx: c.non2xx, errors, cpu,
		db: { statements: per('Questions'), commits: per('Com_commit'), fsyncs: per('Innodb_data_fsyncs') } };
}

function workerRssMiB() {
	let kib = 0;
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			// only this run's workers: other stacks may be running on the machine
			if (!cmd.includes('kefu.fcgi') || !cmd.includes(process.env.KEFU_CONFIG))
				continue;
			kib += Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
		} catch { /* gone */ }
	}
	return kib / 1024;
}

// CPU time (user + system, in µs) so far of this run's processes, by part:
// MariaDB, kefu's workers, the baseline, the shared lighttpd (not wrk). Only the
// processes of this run's state directory: other stacks may be running.
const STATE = process.env.KEFU_STATE;
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
function cpuUs() {
	const by = { mariadb: 0, workers: 0, baseline: 0, lighttpd: 0 };
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			let part = null;
			if (cmd.includes('mariadbd') && cmd.includes(STATE)) part = 'mariadb';
			else if (cmd.includes('kefu.fcgi') && cmd.includes(process.env.KEFU_CONFIG)) part = 'workers';
			else if (cmd.includes(`${STATE}/baseline`)) part = 'baseline';
			else if (cmd.includes('lighttpd') && cmd.includes(`${STATE}/lighttpd-bench.conf`)) part = 'lighttpd';
			if (!part) continue;
			// utime and stime are fields 14 and 15; the command in (...) may hold spaces
			const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			by[part] += (Number(f[11]) + Number(f[12])) * TICK_US;
		} catch { /* gone */ }
	}
	return by;
}

// MariaDB's global counters: Questions (statements from clients), Com_commit
// (explicit COMMITs: kefu's batches; the baseline's INSERTs autocommit) and
// Innodb_data_fsyncs (the flushes to disk, the redo log's among them).
const CONF = readFileSync(process.env.KEFU_CONFIG, 'utf8');
const confGet = (name) => ((CONF.match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1] || '').trim();
function dbStatus() {
	const out = execFileSync('mariadb', ['--no-defaults', '-S', confGet('db_socket'), '-u', confGet('db_user'),
		`-p${confGet('db_password')}`, '-N', '-B', '-e',
		"SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_commit', 'Innodb_data_fsyncs')"], { encoding: 'utf8' });
	return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => l.split('\t')).map(([k, v]) => [k, Number(v)]));
}

function percentile(xs, p) {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

// A tenant with 16 online agents: messages append to the conversation's stream
// and its agent's, so one agent holding every conversation would serialise them.
const channelKey = (await benchTenant('bench', 16)).channel.key;
const results = {};

// 1. Message POST throughput, kefu vs the baseline's single INSERT, spread over
// 64 conversations (messages into one conversation queue on its stream's lock).
// The two take turns, three rounds each, and the middle ratio of the rounds is
// the figure: a machine whose speed drifts during the run favours neither.
// KEFU_BENCH_CONNECTIONS is one count or several ("16 64"): a pass for each.
let failed = false;
if (parts.has('throughput')) {
	const convs = [];
	for (let i = 0; i < 64; i++)
		convs.push(await conversation(channelKey));
	const secs = quick ? 2 : 5;
	results.throughput = [];
	for (const conns of String(process.env.KEFU_BENCH_CONNECTIONS || 32).split(/[ ,]+/).filter(Boolean).map(Number)) {
		const rounds = [];
		for (let i = 0; i < 3; i++) {
			const base = wrk([{ path: '/baseline/messages' }], secs, conns);
			const kefu = wrk(convs.map((c) => ({ path: `/api/v1/widget/conversations/${c.id}/messages`, token: c.token })), secs, conns);
			rounds.push({ baseline_rps: base.rps, kefu_rps: kefu.rps, ratio: kefu.rps / base.rps,
				kefu_cpu_us: { mariadb: kefu.cpu.mariadb, workers: kefu.cpu.workers, lighttpd: kefu.cpu.lighttpd },
				baseline_cpu_us: { mariadb: base.cpu.mariadb, baseline: base.cpu.baseline, lighttpd: base.cpu.lighttpd },
				kefu_db: kefu.db, baseline_db: base.db,
				baseline_non2xx: base.non2xx, baseline_errors: base.errors, kefu_non2xx: kefu.non2xx, kefu_errors: kefu.errors });
		}
		const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[1];
		const sum = (k) => rounds.reduce((n, r) => n + r[k], 0);
		const r = { connections: conns, ...mid, baseline_non2xx: sum('baseline_non2xx'), baseline_errors: sum('baseline_errors'),
			kefu_non2xx: sum('kefu_non2xx'), kefu_errors: sum('kefu_errors'), rounds };
		results.throughput.push(r);
		console.log(`message POST, ${conns} connections: kefu ${mid.kefu_rps.toFixed(0)}/s, baseline ${mid.baseline_rps.toFixed(0)}/s (2xx only), ` +
			`ratio ${(100 * mid.ratio).toFixed(1)} % (the middle of ${rounds.map((x) => (100 * x.ratio).toFixed(1)).join(', ')}; ` +
			`target >= 80 %); non-2xx kefu ${r.kefu_non2xx}, baseline ${r.baseline_non2xx}; ` +
			`socket errors kefu ${r.kefu_errors}, baseline ${r.baseline_errors}`);
		const us = (o) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
		console.log(`  CPU per 2xx message (µs, middle round): kefu ${us(mid.kefu_cpu_us)}; baseline ${us(mid.baseline_cpu_us)}`);
		console.log(`  per 2xx message (middle round): kefu ${us(mid.kefu_db)}; baseline ${us(mid.baseline_db)}`);
		if (r.kefu_non2xx || r.kefu_errors || r.baseline_non2xx || r.baseline_errors)
			failed = true;
	}
}

// 2. Delivery latency: 1,000 waiting polls, 200 messages/s, from the POST's
// send to the poll's answer (a poll may answer before the POST does).
if (parts.has('latency')) {
	const n = quick ? 200 : 1000;
	const convs = [];
	for (let i = 0; i < n; i++)
		convs.push(await conversation(channelKey));
	const sent = new Map(); // conversation id -> time its POST was sent
	const lat = [];
	let stop = false, postErrors = 0;
	const poll = async (c) => {
		while (!stop) {
			const r = await request('GET', `/api/v1/widget/conversations/${c.id}/events?after=${c.next}&wait=25`,
				{ headers: { 'x-visitor-token': c.token } });
			if (r.status !== 200)
				continue;
			c.next = r.json.next;
			if (r.json.events.length && sent.has(c.id)) {
				lat.push(r.at - sent.get(c.id));
				sent.delete(c.id);
			}
		}
	};
	const pollers = convs.map(poll);
	await new Promise((r) => setTimeout(r, 2000)); // let every poll park
	const rate = 200, seconds = quick ? 5 : 20;
	for (let i = 0; i < rate * seconds; i++) {
		const c = convs[i % n];
		const t0 = performance.now();
		// Each conversation gets a message every n / rate seconds, so the
		// previous one's delivery is long over; one not yet delivered keeps
		// its earlier send time (its poll answers with both).
		if (!sent.has(c.id))
			sent.set(c.id, t0);
		request('POST', `/api/v1/widget/conversations/${c.id}/messages`,
			{ headers: { 'x-visitor-token': c.token }, body: { kind: 'text', text: `m${i}` } })
			.then((r) => { if (r.status !== 201) { postErrors++; sent.delete(c.id); } },
				() => { postErrors++; sent.delete(c.id); });
		const wait = t0 + 1000 / rate - performance.now();
		if (wait > 0)
			await new Promise((r) => setTimeout(r, wait));
	}
	await new Promise((r) => setTimeout(r, 1500));
	stop = true;
	results.latency = { samples: lat.length, p50_ms: percentile(lat, 50), p99_ms: percentile(lat, 99), post_errors: postErrors };
	console.log(`delivery with ${n} waiting polls at ${rate} msg/s, from the POST's send: p50 ${results.latency.p50_ms.toFixed(1)} ms, ` +
		`p99 ${results.latency.p99_ms.toFixed(1)} ms over ${lat.length} deliveries (targets 60 / 150 ms); failed POSTs ${postErrors}`);
	if (postErrors)
		failed = true;
	process.stdout.write('(letting the pollers finish their last wait...)\n');
	await Promise.race([Promise.all(pollers), new Promise((r) => setTimeout(r, 30000))]);
}

// 3. 10,000 concurrent waiting long-polls: total worker memory.
if (parts.has('parked')) {
	const n = quick ? 2000 : 10000;
	const convs = [];
	for (let i = 0; i < 100; i++)
		convs.push(await conversation(channelKey));
	const idle = workerRssMiB();
	const pending = [];
	for (let i = 0; i < n; i++) {
		const c = convs[i % convs.length];
		pending.push(request('GET', `/api/v1/widget/conversations/${c.id}/events?after=${c.next}&wait=30`,
			{ headers: { 'x-visitor-token': c.token } }).catch((e) => ({ status: 0, error: e })));
		if (i % 500 === 499)
			await new Promise((r) => setTimeout(r, 50));
	}
	await new Promise((r) => setTimeout(r, 5000));
	const metrics = (await request('GET', '/metrics')).text;
	const rss = workerRssMiB();
	const answers = await Promise.all(pending);
	const ok = answers.filter((a) => a.status === 200).length;
	results.parked = { polls: n, worker_rss_idle_mib: idle, worker_rss_parked_mib: rss, answered_200: ok };
	console.log(`${n} parked long-polls: worker RSS ${rss.toFixed(0)} MiB (idle ${idle.toFixed(0)} MiB; target < 256), ` +
		`${ok}/${n} answered 200 at their deadline; metrics parked: ${(metrics.match(/kefu_longpoll_parked \d+/) || [''])[0]}`);
}

console.log(JSON.stringify(results));
if (failed)
	console.log('bench: FAILED: a non-2xx answer or a socket error (see above)');
process.exit(failed ? 1 : 0);

// bench/cluster.mjs: one side of bench/cluster: message POST throughput and CPU per message by component, on the
// cluster lab (--target=cluster, also replication lag and failover) or the single-node stack (--target=single).
// Run through bench/cluster, which sets the environment (KEFU_URL, KEFU_CTL, BENCH_*); writes its figures as JSON.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { benchTenant } from './lib/tenant.mjs';
import { requester } from './lib/http.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const target = (process.argv.find((a) => a.startsWith('--target=')) || '--target=single').slice(9);
const SECS = Number(process.env.BENCH_SECONDS || 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CONNS = Number(process.env.BENCH_CONNECTIONS || 16);
const KILLS = Number(process.env.BENCH_KILLS || 5);
const OUT = process.env.BENCH_OUT;
const CSTATE = process.env.KEFU_CLUSTER_STATE; // cluster: the lab's state directory
const SSTATE = process.env.KEFU_STATE; // single: the stack's
const TOOL = process.env.KEFU_CLUSTER_TOOL;
const DBS = ['db1', 'db2', 'db3'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

// A failed request is status 0 (the failover pass counts those); a socket idle 30 s is given up.
const request = requester(URL_, agent, { timeout: 30_000, softErrors: true });

// --- CPU of each component, from /proc -------------------------------------------

const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
function cpuOf(pid) {
	try {
		const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(f[11]) + Number(f[12])) * TICK_US;
	} catch {
		return 0; // gone
	}
}
function comm(pid) {
	try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; }
}
const nsPids = (h) => execFileSync('ip', ['netns', 'pids', `kefu-${h}`], { encoding: 'utf8' }).split('\n').filter(Boolean);

// µs of CPU so far, by component. Cluster: each namespace's processes by
// name (the DB nodes one by one), HAProxy by its pid file. Single: the
// stack's processes by their command line naming its state directory.
function cpuNow() {
	const by = {};
	const add = (k, us) => (by[k] = (by[k] || 0) + us);
	if (target === 'cluster') {
		add('haproxy', cpuOf(readFileSync(`${CSTATE}/haproxy.pid`, 'utf8').trim()));
		for (const h of DBS)
			for (const p of nsPids(h))
				if (comm(p) === 'mariadbd') add(h, cpuOf(p));
		for (const h of ['app1', 'app2'])
			for (const p of nsPids(h)) {
				const c = comm(p);
				if (c === 'lighttpd') add('lighttpd', cpuOf(p));
				else if (c.startsWith('kefu.fcgi')) add('worker', cpuOf(p));
			}
	} else {
		for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
			let cmd;
			try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
			if (!cmd.includes(SSTATE)) continue;
			const c = comm(pid);
			if (c === 'mariadbd') add('mariadb', cpuOf(pid));
			else if (c === 'lighttpd') add('lighttpd', cpuOf(pid));
			else if (c.startsWith('kefu.fcgi')) add('worker', cpuOf(pid));
		}
	}
	return by;
}

// --- replication lag (cluster) -----------------------------------------------------

function onNode(node, query) {
	return execFileSync('mariadb', ['--no-defaults', '-S', `${CSTATE}/${node}/mysqld.sock`, '-uroot', '-N', '-B', '-e', query],
		{ encoding: 'utf8', timeout: 20_000 }).split('\n').filter(Boolean).map((l) => l.split('\t'));
}
function haproxyDb() {
	const out = execFileSync('socat', ['-t', '2', '-', `UNIX-CONNECT:${CSTATE}/haproxy.sock`], { input: 'show stat\n', encoding: 'utf8' });
	return out.split('\n').map((l) => l.split(',')).filter((f) => f[0] === 'db' && /^db\d$/.test(f[1]))
		.map((f) => ({ server: f[1], cur: Number(f[4]), status: f[17] }));
}
function writer() {
	const up = haproxyDb().filter((s) => s.status === 'UP').sort((a, b) => b.cur - a.cur);
	return up[0]?.server;
}

// While the load runs: every 250 ms each node's apply queue
// (wsrep_local_recv_queue), and every 2 s a marker row written on the
// writer's own socket, timed until it is visible on each other node (its
// own database, kefu_bench, so kefu's tables stay as kefu wrote them).
async function lagProbe(stopAt) {
	const w = writer();
	onNode(w, 'CREATE DATABASE IF NOT EXISTS kefu_bench; CREATE TABLE IF NOT EXISTS kefu_bench.marker (id BIGINT PRIMARY KEY, t BIGINT)');
	const queue = Object.fromEntries(DBS.map((h) => [h, []]));
	const marker = Object.fromEntries(DBS.filter((h) => h !== w).map((h) => [h, []]));
	let lastMarker = 0;
	while (Date.now() < stopAt) {
		for (const h of DBS)
			try { queue[h].push(Number(onNode(h, "SHOW GLOBAL STATUS LIKE 'wsrep_local_recv_queue'")[0][1])); } catch { /* busy */ }
		if (Date.now() - lastMarker > 2000) {
			lastMarker = Date.now();
			const id = Date.now() * 1000 + Math.floor(Math.random() * 1000);
			const t0 = performance.now();
			onNode(w, `INSERT INTO kefu_bench.marker VALUES (${id}, ${Date.now()})`);
			const seen = new Set();
			while (seen.size < Object.keys(marker).length && performance.now() - t0 < 10_000) {
				for (const h of Object.keys(marker))
					if (!seen.has(h) && onNode(h, `SELECT COUNT(*) FROM kefu_bench.marker WHERE id = ${id}`)[0][0] === '1') {
						seen.add(h);
						marker[h].push(Math.round(performance.now() - t0));
					}
				await sleep(5);
			}
		}
		await sleep(250);
	}
	onNode(w, 'DROP DATABASE kefu_bench');
	const stat = (xs) => (xs.length ? { n: xs.length, p50: pct(xs, 50), max: Math.max(...xs) } : null);
	return { writer: w, recv_queue: Object.fromEntries(Object.entries(queue).map(([h, xs]) => [h, stat(xs)])),
		marker_ms: Object.fromEntries(Object.entries(marker).map(([h, xs]) => [h, stat(xs)])) };
}

function pct(xs, p) {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

// --- load -------------------------------------------------------------------------

async function conversation(channelKey) {
	for (let i = 0; i < 20; i++) {
		const v = await request('POST', `/api/v1/widget/channels/${channelKey}/visitors`, { body: {} });
		if (v.status !== 201) { await sleep(500); continue; }
		const token = v.json.visitor_token;
		const c = await request('POST', '/api/v1/widget/conversations', { headers: { 'x-visitor-token': token }, body: { channel_key: channelKey, prechat: {} } });
		if (c.status === 201)
			return { id: c.json.id, token };
		await sleep(500);
	}
	throw new Error('no conversation within 20 tries');
}

// Asynchronous: the replication probe samples the nodes while wrk runs.
async function wrk(convs) {
	const paths = convs.map((c) => `/api/v1/widget/conversations/${c.id}/messages ${c.token}`).join(';');
	const before = cpuNow();
	const { stdout: out } = await promisify(execFile)('wrk', ['-t2', `-c${CONNS}`, `-d${SECS}s`, '-s', new URL('post.lua', import.meta.url).pathname, URL_.origin],
		{ encoding: 'utf8', env: { ...process.env, BENCH_PATHS: paths } });
	const after = cpuNow();
	const m = out.match(/^bench-counts (.*)$/m);
	if (!m)
		throw new Error(`wrk printed no counts:\n${out}`);
	const c = Object.fromEntries(m[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
	const cpu = Object.fromEntries(Object.keys(after).map((k) => [k, c.ok ? Math.round((after[k] - (before[k] || 0)) / c.ok) : null]));
	return { rps: Math.round(c.ok / (c.duration_us / 1e6)), ok: c.ok, non2xx: c.non2xx, errors: c.connect + c.read + c.write + c.timeout, cpu_us_per_message: cpu };
}

const { channel } = await benchTenant('bench-cluster', 8);
const convs = [];
for (let i = 0; i < 32; i++)
	convs.push(await conversation(channel.key));

const result = { target, seconds: SECS, connections: CONNS, rounds: [] };
for (let i = 0; i < ROUNDS; i++) {
	const lag = target === 'cluster' ? lagProbe(Date.now() + SECS * 1000) : null;
	const r = await wrk(convs);
	if (lag)
		r.replication = await lag;
	result.rounds.push(r);
	console.log(`${target} round ${i + 1}: ${r.rps} messages/s (${r.ok} 2xx, ${r.non2xx} other, ${r.errors} socket errors); ` +
		`CPU µs per message: ${Object.entries(r.cpu_us_per_message).map(([k, v]) => `${k} ${v}`).join(', ')}`);
	if (r.replication)
		console.log(`  replication (writer ${r.replication.writer}): recv queue ${JSON.stringify(r.replication.recv_queue)}; ` +
			`marker arrival ms ${JSON.stringify(r.replication.marker_ms)}`);
}

// Failover: BENCH_KILLS times kill -9 the writer while a probe posts a
// message every 100 ms (one request in flight at a time); the failover
// time is from the kill to the first acknowledged POST sent after it.
if (target === 'cluster' && KILLS > 0) {
	result.failover = [];
	const c = convs[0];
	for (let k = 0; k < KILLS; k++) {
		const w = writer();
		const killedAt = performance.now();
		execFileSync(TOOL, ['fault', 'kill', w], { stdio: 'ignore' });
		let ms = null, tries = 0;
		while (performance.now() - killedAt < 90_000) {
			const sent = performance.now();
			tries++;
			const r = await request('POST', `/api/v1/widget/conversations/${c.id}/messages`,
				{ headers: { 'x-visitor-token': c.token }, body: { kind: 'text', text: `failover ${k}` } });
			if (r.status === 201 && sent > killedAt) {
				ms = Math.round(performance.now() - killedAt);
				break;
			}
			await sleep(100);
		}
		const now = writer();
		result.failover.push({ killed: w, writer_after: now, ms, tries });
		console.log(`failover ${k + 1}/${KILLS}: ${w} killed, writes acknowledged again after ${ms ?? 'more than 90000'} ms (now ${now}, ${tries} probes)`);
		const h0 = Date.now();
		execFileSync(TOOL, ['heal'], { stdio: 'ignore', timeout: 600_000 });
		console.log(`  healed in ${Math.round((Date.now() - h0) / 1000)} s`);
	}
	const xs = result.failover.map((f) => f.ms).filter((x) => x !== null);
	result.failover_ms = { n: xs.length, p50: xs.length ? pct(xs, 50) : null, max: xs.length ? Math.max(...xs) : null };
	console.log(`failover over ${KILLS} writer kills: p50 ${result.failover_ms.p50} ms, max ${result.failover_ms.max} ms`);
}
result.loadavg = readFileSync('/proc/loadavg', 'utf8').trim();
if (OUT)
	writeFileSync(OUT, JSON.stringify(result, null, 1));

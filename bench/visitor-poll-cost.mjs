// bench/visitor-poll-cost.mjs: the worker CPU and wake-ups a browsing visitor's request costs, measured apart from the
// machine's noise: rounds of requests taking turns with an idle round of as long whose CPU is taken off, after a round
// of each to warm up; CPU from /proc/PID/task/*/schedstat (ns, every thread of the workers: request threads, tailer,
// flusher, batcher), wake-ups from the threads' voluntary context switches.
//
// MODE=poll (the default): a waiting visitor poll on the poll socket (kefu.conf poll_listen, taken by the long-poll
// tailer) against the main socket (a request thread woken from accept() for it): a worker of its own on a stack's
// database, 200 browsing visitors, rounds of 200 concurrent polls (wait=1) spoken to in FastCGI as lighttpd does.
//
// MODE=pageview: POST /widget/visitors/me/pageviews through the stack's lighttpd to its own workers, VIEWS (3,000) a
// round at RATE (600) a second from VISITORS (650) browsing visitors in turn (each well under its 60 a minute), keep-
// alive, while an agent of the visitors' tenant holds its stream (wait=25) as a workbench does: what a page view costs
// with what it causes (the flusher's notices, the tailer answering the agent's stream with them).
//
// Usage: (set -a; . STATE/env; set +a; ROUNDS=5 node bench/visitor-poll-cost.mjs), the stack's workers started with
// KEFU_VISITOR_RATE_LIMIT=0 (hundreds of registrations at once).
import http from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requester } from './lib/http.mjs';
import { fcgiGet } from '../tests/lib/fcgi.mjs';
import { browsingVisitors, newAgent, threadCpuNs, threadWakeups } from '../tests/lib/kefu.mjs';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MODE = process.env.MODE || 'poll', ROUNDS = Number(process.env.ROUNDS || 6);
// What a browser sends besides the token (the parse reads them).
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'accept-language': 'en-US,en;q=0.9' };

// ns on the CPU and voluntary switches, summed over the threads of pids, and the ns by thread name.
function usage(pids) {
	const by = {};
	let ns = 0, sw = 0;
	for (const pid of pids) {
		for (const [name, n] of Object.entries(threadCpuNs(pid))) {
			by[name] = (by[name] || 0) + n;
			ns += n;
		}
		sw += Object.values(threadWakeups(pid)).reduce((a, b) => a + b, 0);
	}
	return { ns, sw, by };
}

/**
 * The rounds: kinds (each a function running one round of n requests and resolving the statuses answered) in turn
 * with an idle round as long as the active ones' average, the first round of each not counted. Prints each kind's CPU
 * and switches a request beyond the idle workers' own, and its CPU by thread name.
 */
async function rounds(pids, kinds, n, ok, unit) {
	const names = [...Object.keys(kinds), 'idle'];
	const tot = Object.fromEntries(names.map((k) => [k, { ns: 0, n: 0, sw: 0, ms: 0, by: {} }]));
	const active = () => names.filter((k) => k !== 'idle').reduce((a, k) => a + tot[k].ms / Math.max(tot[k].n / n, 1), 0) / (names.length - 1);
	for (let r = -names.length; r < ROUNDS * names.length; r++) {
		const which = names[(r + names.length) % names.length];
		await sleep(300);
		const u0 = usage(pids), t0 = Date.now();
		const res = which === 'idle' ? (await sleep(tot[names[0]].n ? active() - 300 : 1000), []) : await kinds[which]();
		await sleep(300);
		const u1 = usage(pids), ms = Date.now() - t0;
		const bad = res.filter((x) => x !== ok);
		if (bad.length)
			console.log('failed', bad.length, bad[0]);
		if (r < 0)
			continue;
		const t = tot[which];
		t.ns += u1.ns - u0.ns; t.n += which === 'idle' ? 0 : n; t.sw += u1.sw - u0.sw; t.ms += ms;
		for (const k of Object.keys(u1.by))
			t.by[k] = (t.by[k] || 0) + u1.by[k] - (u0.by[k] || 0);
		console.log(which, 'round', r, 'µs', ((u1.ns - u0.ns) / 1000).toFixed(0), 'vol switches', u1.sw - u0.sw, 'ms', ms);
	}
	const idle = tot.idle;
	for (const k of names.filter((x) => x !== 'idle')) {
		const t = tot[k], f = t.ms / idle.ms;
		const threads = Object.keys(t.by).map((name) => `${name} ${((t.by[name] - (idle.by[name] || 0) * f) / 1000 / t.n).toFixed(1)}`).join(', ');
		console.log(`${k}: ${((t.ns - idle.ns * f) / 1000 / t.n).toFixed(1)} µs of worker CPU a ${unit} beyond the idle workers' (${(t.ns / 1e6).toFixed(1)} ms for ${t.n} in ${t.ms} ms; idle ${(idle.ns / 1e3 / idle.ms).toFixed(1)} µs a ms), ${((t.sw - idle.sw * f) / t.n).toFixed(2)} voluntary switches a ${unit} beyond idle's; by thread (µs): ${threads}`);
	}
}

if (MODE === 'poll') {
	const dir = mkdtempSync(join(tmpdir(), 'kefu-micro-'));
	const main = join(dir, 'w.sock'), polls = join(dir, 'p.sock');
	const child = spawn(join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), ['-c', process.env.KEFU_CONFIG], { env: { ...process.env, KEFU_LISTEN: main, KEFU_POLL_LISTEN: polls }, stdio: ['ignore', 'ignore', 'ignore'] });
	while (!(existsSync(main) && existsSync(polls))) await sleep(50);
	await sleep(500);
	const N = 200;
	const { visitors } = await browsingVisitors('micro', N);
	const round = (sock) => () => Promise.all(visitors.map(async (v) => (await fcgiGet(sock, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=1`, { ...v.headers, ...BROWSER })).status));
	await rounds([child.pid], { 'poll socket': round(polls), 'main socket': round(main) }, N, 200, 'poll');
	child.kill('SIGTERM');
	await new Promise((r) => child.on('exit', r));
	rmSync(dir, { recursive: true, force: true });
} else if (MODE === 'pageview') {
	const VIEWS = Number(process.env.VIEWS || 3000), RATE = Number(process.env.RATE || 600), M = Number(process.env.VISITORS || 650);
	const state = process.env.KEFU_STATE;
	const pids = readdirSync(state).filter((f) => /^worker-\d+\.pid$/.test(f)).map((f) => Number(readFileSync(join(state, f), 'utf8')));
	const { tenant, visitors } = await browsingVisitors('pvcost', M);
	const agent = await newAgent(tenant, 'Cost Agent', 'online');
	const agentAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const request = requester(new URL(process.env.KEFU_URL), agentAgent);
	let stop = false, heard = 0;
	const stream = (async () => {
		let after = (await agent.get('/api/v1/agent/events?after=0&wait=0')).json.next;
		while (!stop) {
			const r = await agent.get(`/api/v1/agent/events?after=${after}&wait=25`);
			if (r.status !== 200) { await sleep(1000); continue; }
			heard += r.json.events.filter((e) => e.type === 'visitor').length;
			after = r.json.next ?? after;
		}
	})();
	let next = 0;
	const round = async () => {
		const out = [], t0 = performance.now();
		for (let i = 0; i < VIEWS; i++) {
			const wait = t0 + (i * 1000) / RATE - performance.now();
			if (wait > 0)
				await sleep(wait);
			const v = visitors[next++ % M];
			out.push(request('POST', '/api/v1/widget/visitors/me/pageviews', { headers: { ...v.headers, ...BROWSER }, body: { url: `https://shop.example/p/${i}`, title: 'A page' } }).then((x) => x.status));
		}
		return Promise.all(out);
	};
	await rounds(pids, { 'page view': round }, VIEWS, 201, 'page view');
	console.log(`the agent heard ${heard} visitor notices`);
	stop = true;
	await Promise.race([stream, sleep(100)]);
	agentAgent.destroy();
	process.exit(0);
}

// bench/visitor-poll-cost.mjs: the worker CPU and wake-ups a waiting visitor poll costs on the poll socket (kefu.conf
// poll_listen, taken by the long-poll tailer) against the main socket (a request thread woken from accept() for it):
// a worker of its own on a stack's database, 200 browsing visitors, rounds of 200 concurrent polls (wait=1) spoken to
// in FastCGI as lighttpd does, taking turns with an idle round whose CPU is taken off. CPU from
// /proc/PID/task/*/schedstat (ns), wake-ups from the threads' voluntary context switches.
// Usage: (set -a; . STATE/env; set +a; ROUNDS=5 node bench/visitor-poll-cost.mjs), the stack's workers started with
// KEFU_VISITOR_RATE_LIMIT=0 (200 registrations at once).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fcgiGet } from '../tests/lib/fcgi.mjs';
import { browsingVisitors, processCpuNs, threadWakeups } from '../tests/lib/kefu.mjs';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'kefu-micro-'));
const main = join(dir, 'w.sock'), polls = join(dir, 'p.sock');
const child = spawn(join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), ['-c', process.env.KEFU_CONFIG], { env: { ...process.env, KEFU_LISTEN: main, KEFU_POLL_LISTEN: polls }, stdio: ['ignore', 'ignore', 'ignore'] });
while (!(existsSync(main) && existsSync(polls))) await sleep(50);
await sleep(500);
// What a browser sends besides the token (the parse reads them).
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'accept-language': 'en-US,en;q=0.9' };
const N = 200, ROUNDS = Number(process.env.ROUNDS || 6);
const { visitors } = await browsingVisitors('micro', N);
const cpu = () => processCpuNs(child.pid);
const tot = { poll: { ticks: 0, n: 0, sw: 0, ms: 0 }, main: { ticks: 0, n: 0, sw: 0, ms: 0 }, idle: { ticks: 0, n: 0, sw: 0, ms: 0 } };
const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
// The first three rounds warm up (the tailer's and the threads' first statements, caches) and do not count.
for (let r = -3; r < ROUNDS * 3; r++) {
	const which = ['poll', 'main', 'idle'][(r + 3) % 3];
	await sleep(300);
	const c0 = cpu(), s0 = sum(threadWakeups(child.pid)), t0 = Date.now();
	const res = which === 'idle' ? (await sleep(tot.main.n ? tot.main.ms / (tot.main.n / N) - 300 : 1000), []) : await Promise.all(visitors.map(async (v) => (await fcgiGet(which === 'poll' ? polls : main, `/api/v1/widget/visitors/me/events?after=${v.after}&wait=1`, { ...v.headers, ...BROWSER })).status));
	await sleep(300);
	const c1 = cpu(), s1 = sum(threadWakeups(child.pid));
	const ms = Date.now() - t0;
	if (res.some((x) => x !== 200)) console.log('failed', res.find((x) => x !== 200));
	if (r < 0)
		continue;
	tot[which].ticks += c1 - c0; tot[which].n += N; tot[which].sw += s1 - s0; tot[which].ms += ms;
	console.log(which, 'round', r, 'µs', ((c1 - c0) / 1000).toFixed(0), 'vol switches', s1 - s0, 'ms', Date.now() - t0);
}
const idle = (k) => tot.idle.ticks / tot.idle.ms * tot[k].ms; // the idle worker's own CPU over as long
for (const k of ['poll', 'main'])
	console.log(`${k} socket: ${((tot[k].ticks - idle(k)) / 1000 / tot[k].n).toFixed(1)} µs of worker CPU a poll beyond the idle worker's (${(tot[k].ticks / 1e6).toFixed(1)} ms for ${tot[k].n} polls in ${tot[k].ms} ms; idle ${(tot.idle.ticks / 1e3 / tot.idle.ms).toFixed(1)} µs a ms), ${((tot[k].sw - tot.idle.sw / tot.idle.ms * tot[k].ms) / tot[k].n).toFixed(2)} voluntary switches a poll beyond idle's`);
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
rmSync(dir, { recursive: true, force: true });

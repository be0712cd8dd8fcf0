// bench/request-cost.mjs: the worker CPU and write(2) calls each request costs on the generic per-request path (#18):
// a worker of its own on a stack's database, spoken to in FastCGI as lighttpd does (a connection a request), taking
// turns with an idle round whose CPU is taken off. Two kinds of request: a route that does not exist (GET, a
// browser's headers, answered 404 with its JSON error: parse, route, headers, the answer, the access log line, no
// database) and a visitor's text message (the POST bench/run measures: JSON body, token digest, parked post written
// in a batch, its 201 answered by the batch's thread). CONNS clients each send their requests one after the other.
// CPU from /proc/PID/task/*/schedstat (ns), writes from /proc/PID/io (syscw). The worker's stderr (the log) goes
// to a file, as under tools/stack.
// Usage: (set -a; . STATE/env; set +a; ROUNDS=5 CONNS=8 node bench/request-cost.mjs), the stack's workers started
// with KEFU_VISITOR_RATE_LIMIT=0 (CONNS registrations at once).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fcgiRequest } from '../tests/lib/fcgi.mjs';
import { newChannel, newTenant, processCpuNs, startConversation, widgetVisitor } from '../tests/lib/kefu.mjs';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'kefu-reqcost-'));
const main = join(dir, 'w.sock'), polls = join(dir, 'p.sock');
const log = openSync(join(dir, 'worker.log'), 'a');
// WRAP: a command the worker runs under, e.g. "valgrind --tool=callgrind --callgrind-out-file=/tmp/w.%p" for its
// instructions a request (callgrind_annotate --inclusive=yes: serve_request's count over the requests sent).
const wrap = (process.env.WRAP || '').split(' ').filter(Boolean);
const worker = [...wrap, join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), '-c', process.env.KEFU_CONFIG];
const child = spawn(worker[0], worker.slice(1), { env: { ...process.env, KEFU_LISTEN: main, KEFU_POLL_LISTEN: polls }, stdio: ['ignore', 'ignore', log] });
while (!(existsSync(main) && existsSync(polls))) await sleep(50);
await sleep(500);
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'accept-language': 'en-US,en;q=0.9' };
const ROUNDS = Number(process.env.ROUNDS || 5), CONNS = Number(process.env.CONNS || 8), PER = Number(process.env.PER || 100);
const tenant = newTenant('reqcost');
const ch = await newChannel(tenant, { name: 'shop', allowed_origins: [] });
const clients = [];
for (let i = 0; i < CONNS; i++) {
	const v = await widgetVisitor(ch.key, { locale: 'en' });
	const c = await startConversation(v, ch.key);
	clients.push({ headers: { ...BROWSER, ...v.headers }, conv: c.id });
}
const body = JSON.stringify({ kind: 'text', text: 'hello from the request cost bench' });
const send = {
	notfound: (c) => fcgiRequest(main, 'GET', '/api/v1/widget/no-such-route?x=1', c.headers),
	post: (c) => fcgiRequest(main, 'POST', `/api/v1/widget/conversations/${c.conv}/messages`, { ...c.headers, 'content-type': 'application/json' }, body),
};
const want = { notfound: 404, post: 201 };
// KINDS: which rounds to run (default all three; "notfound" alone, say, under WRAP).
const kinds = (process.env.KINDS || 'notfound,post,idle').split(',');
const writes = () => Number(/^syscw: (\d+)/m.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))[1]);
const tot = Object.fromEntries(['notfound', 'post', 'idle'].map((k) => [k, { ns: 0, n: 0, w: 0, ms: 0 }]));
let failed = 0;
// The first three rounds warm up (the threads' first statements, caches) and do not count.
for (let r = -3; r < ROUNDS * 3; r++) {
	const which = ['notfound', 'post', 'idle'][(r + 3) % 3];
	if (!kinds.includes(which))
		continue;
	await sleep(200);
	const c0 = processCpuNs(child.pid), w0 = writes(), t0 = Date.now();
	if (which === 'idle')
		await sleep(tot.post.n || tot.notfound.n ? (tot.post.ms + tot.notfound.ms) / (tot.post.n + tot.notfound.n) * CONNS * PER - 200 : 1000);
	else
		await Promise.all(clients.map(async (c) => {
			for (let i = 0; i < PER; i++) {
				const res = await send[which](c);
				if (res.status !== want[which])
					failed++;
			}
		}));
	const ms = Date.now() - t0;
	await sleep(200);
	const c1 = processCpuNs(child.pid), w1 = writes(), span = Date.now() - t0;
	if (r < 0)
		continue;
	Object.assign(tot[which], { ns: tot[which].ns + c1 - c0, n: tot[which].n + (which === 'idle' ? 0 : CONNS * PER), w: tot[which].w + w1 - w0, ms: tot[which].ms + span });
	console.log(which, 'round', r, 'µs', ((c1 - c0) / 1000).toFixed(0), 'writes', w1 - w0, 'ms', ms);
}
// The idle worker's own CPU and writes (its housekeeping, the tailer) over as long as a round took.
const idle = (k, f) => (tot.idle.ms ? tot.idle[f] / tot.idle.ms * tot[k].ms : 0);
for (const k of ['notfound', 'post'].filter((x) => tot[x].n > 0))
	console.log(`${k}: ${((tot[k].ns - idle(k, 'ns')) / 1000 / tot[k].n).toFixed(1)} µs of worker CPU a request beyond the idle worker's, ` +
		`${((tot[k].w - idle(k, 'w')) / tot[k].n).toFixed(2)} write(2) calls a request (${tot[k].n} requests, ${CONNS} at a time, over ${tot[k].ms} ms)`);
if (failed)
	console.log(`${failed} answers with another status than expected`);
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

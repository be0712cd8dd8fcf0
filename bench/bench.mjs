// bench/bench.mjs: message throughput vs the baseline, 10,000 parked long-polls' memory, delivery latency.
// Run through bench/run, which starts the stack, the baseline and the shared lighttpd.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { ctl, newTenant, api, Session } from '../tests/lib/kefu.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const quick = process.argv.includes('--quick');
// --only=throughput,latency,parked runs just those parts (default: all three).
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const parts = new Set(onlyArg ? onlyArg.slice(7).split(',') : ['throughput', 'latency', 'parked']);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function request(method, path, { headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: URL_.hostname, port: URL_.port, method, path, agent, headers }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString();
				let json = null;
				try { json = JSON.parse(text); } catch { /* not JSON */ }
				resolve({ status: res.statusCode, json, text, at: performance.now() });
			});
		});
		req.on('error', reject);
		if (body !== undefined) {
			req.setHeader('content-type', 'application/json');
			req.end(JSON.stringify(body));
		} else
			req.end();
	});
}

// A tenant with 16 online agents: messages append to the conversation's stream
// and its agent's, so one agent holding every conversation would serialise them.
async function setup() {
	const t = newTenant('bench');
	for (let i = 0; i < 16; i++) {
		ctl('user', 'create', '--tenant', t.name, '--login', `${t.name}-agent${i}`, '--name', `Bench Agent ${i}`,
			'--role', 'agent', '--password', 'bench-password-1');
		const s = await Session.login(`${t.name}-agent${i}`, 'bench-password-1');
		await s.put('/api/v1/agent/status', { status: 'online' });
	}
	const ch = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body: { name: 'bench', allowed_origins: [] } });
	if (ch.status !== 201)
		throw new Error(`channel: ${ch.status} ${ch.text}`);
	return { t, channelKey: ch.json.key };
}

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
function wrk(targets, seconds) {
	const paths = targets.map((t) => `${t.path} ${t.token || ''}`).join(';');
	const out = execFileSync('wrk', ['-t2', `-c${process.env.KEFU_BENCH_CONNECTIONS || 32}`, `-d${seconds}s`, '-s', new URL('post.lua', import.meta.url).pathname,
		URL_.origin], { encoding: 'utf8', env: { ...process.env, BENCH_PATHS: paths } });
	const rps = Number((out.match(/Requests\/sec:\s+([\d.]+)/) || [])[1]);
	const non2xx = Number((out.match(/Non-2xx or 3xx responses: (\d+)/) || [0, 0])[1]);
	return { rps, non2xx };
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

function percentile(xs, p) {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const { channelKey } = await setup();
const results = {};

// 1. Message POST throughput, kefu vs the baseline's single INSERT, spread over
// 64 conversations (messages into one conversation queue on its stream's lock).
// The two take turns, three rounds each, and the middle ratio of the rounds is
// the figure: a machine whose speed drifts during the run favours neither.
if (parts.has('throughput')) {
	const convs = [];
	for (let i = 0; i < 64; i++)
		convs.push(await conversation(channelKey));
	const secs = quick ? 2 : 5;
	const rounds = [];
	for (let i = 0; i < 3; i++) {
		const base = wrk([{ path: '/baseline/messages' }], secs);
		const kefu = wrk(convs.map((c) => ({ path: `/api/v1/widget/conversations/${c.id}/messages`, token: c.token })), secs);
		rounds.push({ baseline_rps: base.rps, kefu_rps: kefu.rps, ratio: kefu.rps / base.rps, kefu_errors: kefu.non2xx });
	}
	const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[1];
	results.throughput = { ...mid, kefu_errors: rounds.reduce((n, r) => n + r.kefu_errors, 0), rounds };
	console.log(`message POST: kefu ${mid.kefu_rps.toFixed(0)}/s, baseline ${mid.baseline_rps.toFixed(0)}/s, ` +
		`ratio ${(100 * mid.ratio).toFixed(1)} % (the middle of ${rounds.map((r) => (100 * r.ratio).toFixed(1)).join(', ')}; ` +
		`target >= 60 %), non-2xx ${results.throughput.kefu_errors}`);
}

// 2. Delivery latency: 1,000 waiting polls, 200 messages/s, POST response → poll response.
if (parts.has('latency')) {
	const n = quick ? 200 : 1000;
	const convs = [];
	for (let i = 0; i < n; i++)
		convs.push(await conversation(channelKey));
	const sent = new Map(); // conversation id -> time its POST answered
	const lat = [];
	let stop = false;
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
		request('POST', `/api/v1/widget/conversations/${c.id}/messages`,
			{ headers: { 'x-visitor-token': c.token }, body: { kind: 'text', text: `m${i}` } })
			.then((r) => { if (r.status === 201 && !sent.has(c.id)) sent.set(c.id, r.at); });
		const wait = t0 + 1000 / rate - performance.now();
		if (wait > 0)
			await new Promise((r) => setTimeout(r, wait));
	}
	await new Promise((r) => setTimeout(r, 1500));
	stop = true;
	results.latency = { samples: lat.length, p50_ms: percentile(lat, 50), p99_ms: percentile(lat, 99) };
	console.log(`delivery with ${n} waiting polls at ${rate} msg/s: p50 ${results.latency.p50_ms.toFixed(1)} ms, ` +
		`p99 ${results.latency.p99_ms.toFixed(1)} ms over ${lat.length} deliveries (targets 60 / 150 ms)`);
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
process.exit(0);

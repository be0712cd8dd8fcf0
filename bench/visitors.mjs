// bench/visitors.mjs: N live browsing visitors (each holding its visitor poll, a page view per 30 s on average), measured.
// Run through bench/visitors, which starts the stack. The visitors live in child processes of up to 5,000
// each (one process's descriptors, and one 127.0.0.x source address each, so that no address runs out of
// ports); this process is the agent: it invites, reads the live list and measures the workers.
import { execFileSync, fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { requester as httpRequester } from './lib/http.mjs';

const URL_ = new URL(process.env.KEFU_URL);
const now = () => performance.timeOrigin + performance.now(); // comparable across this run's processes
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PER_CHILD = 5000;
// Bounds: the ramp (registering everyone) and the live-list pass each stop after this long.
const RAMP_MS = Number(process.env.KEFU_BENCH_RAMP_S || 300) * 1000;
const LIST_MS = 60000;

function requester(localAddress, timeout) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30000 });
	return httpRequester(URL_, agent, { localAddress, clock: now, softErrors: true, timeout });
}

/*
 * The visitors' own HTTP client: one keep-alive connection, one request at a time, as a browser's, written and
 * parsed by hand. node's http module cost as much CPU a request as the workers did (its agent, parser and
 * timers: the four client processes took 57 % of a core at 20,000 visitors), on the same two cores as the
 * server measured. Resolves as bench/lib/http.mjs does ({status, json, text, at}; status 0 when the
 * connection failed).
 */
function connection(localAddress) {
	const host = URL_.hostname, port = Number(URL_.port);
	const queue = [];
	let sock = null, buf = null, cur = null, used = 0;
	const settle = (status, text) => {
		const c = cur;
		cur = null;
		let json = null;
		try { json = JSON.parse(text); } catch { /* not JSON */ }
		c.resolve({ status, json, text, at: now() });
	};
	// One whole answer at the front of buf: [status, body, the rest, close] or null while more is to come.
	const parse = () => {
		const he = buf.indexOf('\r\n\r\n');
		if (he < 0) return null;
		const head = buf.toString('latin1', 0, he);
		const status = Number(head.slice(9, 12));
		const close = /\r\nconnection:\s*close/i.test(head);
		const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
		if (cl) {
			const end = he + 4 + Number(cl[1]);
			return buf.length < end ? null : [status, buf.toString('utf8', he + 4, end), buf.subarray(end), close];
		}
		if (!/\r\ntransfer-encoding:\s*chunked/i.test(head))
			return [status, '', buf.subarray(he + 4), close];
		const parts = [];
		for (let p = he + 4; ;) {
			const le = buf.indexOf('\r\n', p);
			if (le < 0) return null;
			const size = parseInt(buf.toString('latin1', p, le), 16);
			if (size === 0) {
				const te = buf.indexOf('\r\n\r\n', le);
				return te < 0 ? null : [status, Buffer.concat(parts).toString(), buf.subarray(te + 4), close];
			}
			if (buf.length < le + 2 + size + 2) return null;
			parts.push(buf.subarray(le + 2, le + 2 + size));
			p = le + 2 + size + 2;
		}
	};
	const next = () => {
		if (cur || queue.length === 0) return;
		cur = queue.shift();
		// lighttpd closes a connection idle for 60 s (server.max-keep-alive-idle): a request written just as it
		// does would fail, so one idle for 50 s is replaced first, as a browser does.
		if (sock !== null && now() - used > 50000) {
			const old = sock;
			sock = null;
			old.destroy();
		}
		used = now();
		if (sock === null) {
			const s = net.connect({ host, port, localAddress });
			sock = s;
			buf = Buffer.alloc(0);
			s.setNoDelay(true);
			s.on('data', (d) => {
				if (s !== sock) return;
				buf = buf.length ? Buffer.concat([buf, d]) : d;
				let got;
				while (cur && (got = parse())) {
					buf = got[2];
					if (got[3]) { sock = null; s.destroy(); }
					settle(got[0], got[1]);
				}
				next();
			});
			s.on('error', () => {});
			s.on('close', () => {
				if (s !== sock) return;
				sock = null;
				if (cur) settle(0, 'connection closed');
				next();
			});
		}
		sock.write(cur.raw);
	};
	return function request(method, path, { headers = {}, body } = {}) {
		return new Promise((resolve) => {
			const b = body === undefined ? '' : JSON.stringify(body);
			let raw = `${method} ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\n`;
			for (const [k, v] of Object.entries(headers)) raw += `${k}: ${v}\r\n`;
			if (body !== undefined) raw += 'content-type: application/json\r\n';
			raw += `content-length: ${Buffer.byteLength(b)}\r\n\r\n${b}`;
			queue.push({ raw, resolve });
			next();
		});
	};
}

// ---------------------------------------------------------------- a child: its share of the visitors
if (process.argv[2] === '--child') {
	const [, , , channelKey, count, localAddress] = process.argv;
	const UAS = [
		'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
		'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0',
		'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
		'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
	];
	const PAGES = ['/', '/products', '/products/tea', '/products/cups', '/cart', '/help/shipping', '/about', '/blog/spring-sale'];
	const stats = { pageviews: 0, pageview_errors: 0, polls: 0, poll_errors: 0, invitations: 0, dismiss_errors: 0, register_errors: 0 };
	// What the failures were: "pageview 429", "poll 0" (a socket error)...
	const failures = {};
	const failed = (what, r) => { const k = `${what} ${r.status}`; failures[k] = (failures[k] || 0) + 1; };
	const visitors = [];
	let stopping = false, holding = 0;
	const send = (m) => process.send(m);

	const pageview = async (v) => {
		const path = PAGES[Math.floor(Math.random() * PAGES.length)];
		const r = await v.page('POST', '/api/v1/widget/visitors/me/pageviews', {
			headers: { 'x-visitor-token': v.token, 'user-agent': v.ua },
			body: { url: `https://shop.example${path}`, title: `Shop ${path}`, referrer: v.pageUrl || 'https://search.example/?q=tea' } });
		if (r.status === 201) stats.pageviews++;
		else { stats.pageview_errors++; failed('pageview', r); }
		v.pageUrl = `https://shop.example${path}`;
	};
	// Page views as a Poisson process, 30 s apart on average.
	const browse = (v) => {
		if (stopping) return;
		setTimeout(() => { if (!stopping) pageview(v).then(() => browse(v)); }, -Math.log(1 - Math.random()) * 30000);
	};
	const poll = async (v) => {
		let delay = 1000;
		holding++;
		while (!stopping) {
			const r = await v.poll('GET', `/api/v1/widget/visitors/me/events?after=${v.after}&wait=30`,
				{ headers: { 'x-visitor-token': v.token, 'user-agent': v.ua } });
			if (r.status !== 200 || !r.json) {
				stats.poll_errors++;
				failed('poll', r);
				await sleep(delay);
				delay = Math.min(2 * delay, 10000);
				continue;
			}
			delay = 1000;
			stats.polls++;
			if (typeof r.json.next !== 'undefined') v.after = r.json.next;
			for (const ev of r.json.events || []) {
				if (ev.type !== 'invitation' || !ev.invitation) continue;
				stats.invitations++;
				send({ type: 'invited', visitor_id: v.id, at: r.at, invitation_id: ev.invitation.id });
				// Dismissed at once: the visitor stays an ordinary browser for the rest of the run.
				v.page('POST', `/api/v1/widget/invitations/${ev.invitation.id}/dismiss`, { headers: { 'x-visitor-token': v.token } })
					.then((d) => { if (d.status !== 200) stats.dismiss_errors++; });
			}
		}
		holding--;
	};
	const start = async (i) => {
		const ua = UAS[i % UAS.length];
		// Two connections a visitor, as a browser keeps them: one for the held poll, one for the rest.
		const page = connection(localAddress);
		const r = await page('POST', `/api/v1/widget/channels/${channelKey}/visitors`, { headers: { 'user-agent': ua }, body: { locale: 'en-US' } });
		if (r.status !== 201) { stats.register_errors++; failed('register', r); return; }
		const v = { token: r.json.visitor_token, id: r.json.visitor_id, ua, after: 0, page, poll: connection(localAddress), pageUrl: null };
		await pageview(v);
		// The first poll without waiting sets the cursor; the loop then parks.
		const first = await v.poll('GET', '/api/v1/widget/visitors/me/events?after=0', { headers: { 'x-visitor-token': v.token } });
		if (first.status === 200 && first.json) v.after = first.json.next;
		visitors.push(v);
		poll(v);
		browse(v);
	};
	process.on('message', async (m) => {
		if (m.type === 'start') {
			let next = 0;
			const until = Date.now() + RAMP_MS;
			// 32 registrations at a time per process, as visitors arriving; a box too busy to take them all in
			// RAMP_MS goes on with those it has (the report says how many).
			await Promise.all(Array.from({ length: 32 }, async () => {
				while (next < Number(count) && Date.now() < until) await start(next++);
			}));
			send({ type: 'ready', ids: visitors.map((v) => v.id), stats });
		} else if (m.type === 'stats')
			send({ type: 'stats', stats: { ...stats }, holding, failures });
		else if (m.type === 'stop') {
			stopping = true;
			send({ type: 'stats', stats: { ...stats }, holding, failures });
			setTimeout(() => process.exit(0), 200);
		}
	});
	send({ type: 'hello' });
} else {
	await main();
}

// ---------------------------------------------------------------- the agent side and the measures
async function main() {
	const { ctl, newTenant, api, Session } = await import('../tests/lib/kefu.mjs');
	const N = Number(process.argv[2] || 20000);
	const SECONDS = Number(process.env.KEFU_BENCH_SECONDS || 60);
	const INVITES = Math.min(Number(process.env.KEFU_BENCH_INVITES || 300), N);
	const request = requester('127.0.0.1');
	// The list pass's requests give up after 10 s (status 0), so the pass stays bounded on a saturated box.
	const listRequest = requester('127.0.0.1', 10000);
	const STATE = process.env.KEFU_STATE;
	const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
	const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null; };
	const load1 = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

	// This run's workers only: other stacks may be running on the machine.
	const workerPids = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			return cmd.includes('kefu.fcgi') && cmd.includes(process.env.KEFU_CONFIG);
		} catch { return false; }
	});
	const workerRssMiB = () => workerPids().reduce((kib, pid) => {
		try { return kib + Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]); } catch { return kib; }
	}, 0) / 1024;
	const cpuUs = (match) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).reduce((us, pid) => {
		try {
			if (!match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) return us;
			const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			return us + (Number(f[11]) + Number(f[12])) * TICK_US;
		} catch { return us; }
	}, 0);
	// MariaDB's own counters: statements (Questions, the server's count of client statements) and commits.
	const dbStatus = () => {
		const out = execFileSync('mariadb', ['--no-defaults', `--socket=${STATE}/mysqld.sock`, '-uroot', '-N', '-B', '-e',
			"SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_commit', 'Com_select', 'Com_insert', 'Com_update', 'Com_insert_select', 'Com_update_multi')"], { encoding: 'utf8' });
		return Object.fromEntries(out.trim().split('\n').map((l) => { const [k, v] = l.split('\t'); return [k, Number(v)]; }));
	};
	// The agents' streams' newest row id: rows written in the window (ids step by 1 on one server).
	const DB_NAME = (readFileSync(process.env.KEFU_CONFIG, 'utf8').match(/^db_name\s*=\s*(\S+)/m) || [])[1] || 'kefu';
	const userEventsTop = () => Number(execFileSync('mariadb', ['--no-defaults', `--socket=${STATE}/mysqld.sock`, '-uroot', '-N', '-B',
		'-e', 'SELECT COALESCE(MAX(id), 0) FROM user_events', DB_NAME], { encoding: 'utf8' }).trim());
	// An agent's newest stream entry, read from the database.
	const streamHead = (login) => Number(execFileSync('mariadb', ['--no-defaults', `--socket=${STATE}/mysqld.sock`, '-uroot', '-N', '-B',
		'-e', `SELECT COALESCE(MAX(e.seq), 0) FROM user_events e JOIN users u ON u.id = e.user_id WHERE u.login = '${login}'`, DB_NAME],
		{ encoding: 'utf8' }).trim());
	const isClient = (cmd) => cmd.includes('visitors.mjs') && cmd.includes('--child');
	const isWorker = (cmd) => cmd.includes('kefu.fcgi') && cmd.includes(process.env.KEFU_CONFIG);
	const isMariadb = (cmd) => cmd.includes('mariadbd') && cmd.includes(STATE);
	const isLighttpd = (cmd) => cmd.includes('lighttpd') && cmd.includes(`${STATE}/lighttpd.conf`);

	// A tenant, one channel with tracking, two agents online: one invites, the
	// other keeps its workbench's stream open as an agent on the Visitors view would.
	const t = newTenant('bench-vis');
	const agents = [];
	for (let i = 0; i < 2; i++) {
		ctl('user', 'create', '--tenant', t.name, '--login', `${t.name}-agent${i}`, '--name', `Bench Agent ${i}`,
			'--role', 'agent', '--password', 'bench-password-1');
		const s = await Session.login(`${t.name}-agent${i}`, 'bench-password-1');
		await s.put('/api/v1/agent/status', { status: 'online' });
		agents.push(s);
	}
	const ch = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body: { name: 'bench', allowed_origins: [], tracking: true } });
	if (ch.status !== 201)
		throw new Error(`channel: ${ch.status} ${ch.text}`);
	// The agent session as plain headers for this process's own keep-alive requests.
	const agentHeaders = (s, method) => { const h = {}; s.decorate(method, h); return h; };

	const kids = Math.ceil(N / PER_CHILD);
	const children = [];
	const invited = new Map(); // visitor id -> time its poll answered with the invitation
	for (let k = 0; k < kids; k++) {
		const count = Math.min(PER_CHILD, N - k * PER_CHILD);
		const c = fork(new URL(import.meta.url).pathname, ['--child', ch.json.key, String(count), `127.0.0.${2 + k}`]);
		c.ready = new Promise((resolve) => c.on('message', (m) => {
			if (m.type === 'ready') { c.ids = m.ids; resolve(); }
			else if (m.type === 'invited') invited.set(m.visitor_id, m.at);
			else if (m.type === 'stats') { c.stats = m.stats; c.holding = m.holding; c.failures = m.failures; c.statsWaiter?.(); }
		}));
		children.push(c);
	}
	const allStats = async () => {
		await Promise.all(children.map((c) => new Promise((r) => { c.statsWaiter = r; c.send({ type: 'stats' }); })));
		const s = {};
		for (const c of children)
			for (const [k, v] of Object.entries(c.stats)) s[k] = (s[k] || 0) + v;
		s.holding = children.reduce((n, c) => n + c.holding, 0);
		return s;
	};

	console.log(`bench/visitors: ${N} visitors in ${kids} client processes (127.0.0.2..${1 + kids}), 2 workers, ` +
		`load ${load1()} at the start`);
	const idleRss = workerRssMiB();
	const t0 = Date.now();
	children.forEach((c) => c.send({ type: 'start' }));
	await Promise.all(children.map((c) => c.ready));
	const ids = children.flatMap((c) => c.ids);
	console.log(`  ${ids.length} visitors registered, first page view sent, polls parked in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

	// The second agent holds its stream, as a workbench does.
	let streamEvents = 0, streamErrors = 0, streamStop = false, caughtUp = null;
	const streamCaughtUp = new Promise((r) => { caughtUp = r; });
	const stream = (async () => {
		const s = agents[1];
		// From the stream's head as the ramp ends, as a workbench opened now: read from its start, the ramp's
		// notices (a quarter of a million after a slow ramp, 100 an answer) were still being read in the window,
		// as fast as the box allowed, and made their reads (990 and 1,601 events/s where one notice a page view
		// is ~665) and their cost part of it. With hundreds more arriving a second an answer is never empty, so
		// one shorter than a page is caught up; the window starts only then.
		let after = streamHead(`${t.name}-agent1`);
		while (!streamStop) {
			const h = await request('GET', `/api/v1/agent/events?after=${after}&wait=0`, { headers: agentHeaders(s, 'GET') });
			if (h.status !== 200 || !h.json) { streamErrors++; await sleep(1000); continue; }
			streamEvents += h.json.events.length;
			after = h.json.next ?? after;
			if (h.json.events.length < 100) break;
		}
		caughtUp();
		while (!streamStop) {
			const r = await request('GET', `/api/v1/agent/events?after=${after}&wait=25`, { headers: agentHeaders(s, 'GET') });
			if (r.status !== 200 || !r.json) { await sleep(1000); continue; }
			streamEvents += (r.json.events || []).length;
			after = r.json.next;
		}
	})();

	// 1. Browsing only: the workers' CPU over the window, and their memory; the agent's stream caught up first
	// (bounded: a box too busy to catch up is measured anyway, and says so).
	const catchUp0 = Date.now();
	const caught = await Promise.race([streamCaughtUp.then(() => true), sleep(120000).then(() => false)]);
	console.log(`  agent stream ${caught ? 'caught up' : 'NOT caught up'} in ${((Date.now() - catchUp0) / 1000).toFixed(0)} s` +
		` (${streamEvents} events read, ${streamErrors} failed reads)`);
	await sleep(5000);
	const notices0 = userEventsTop();
	const before = await allStats();
	const cpu0 = { w: cpuUs(isWorker), m: cpuUs(isMariadb), l: cpuUs(isLighttpd), c: cpuUs(isClient) }, w0 = Date.now(), ev0 = streamEvents, db0 = dbStatus();
	await sleep(SECONDS * 1000);
	const cpu1 = { w: cpuUs(isWorker), m: cpuUs(isMariadb), l: cpuUs(isLighttpd), c: cpuUs(isClient) }, secs = (Date.now() - w0) / 1000, db1 = dbStatus();
	const notices1 = userEventsTop();
	const during = await allStats();
	const views = Math.max(1, during.pageviews - before.pageviews);
	const perView = Object.fromEntries(Object.keys(db1).map((k) => [k, +((db1[k] - db0[k]) / views).toFixed(2)]));
	const rss = workerRssMiB();
	const pvRate = (during.pageviews - before.pageviews) / secs;
	const results = {
		visitors: ids.length, load_at_start: load1(),
		worker_rss_mib: Math.round(rss), worker_rss_idle_mib: Math.round(idleRss),
		browse: {
			seconds: Math.round(secs), pageviews_per_s: Math.round(pvRate), polls_held: during.holding,
			workers_cpu_pct_of_one_core: +(100 * (cpu1.w - cpu0.w) / 1e6 / secs).toFixed(1),
			mariadb_cpu_pct: +(100 * (cpu1.m - cpu0.m) / 1e6 / secs).toFixed(1),
			lighttpd_cpu_pct: +(100 * (cpu1.l - cpu0.l) / 1e6 / secs).toFixed(1),
			// this bench's own visitor processes, on the same cores
			clients_cpu_pct: +(100 * (cpu1.c - cpu0.c) / 1e6 / secs).toFixed(1),
			agent_stream_caught_up: caught,
			agent_stream_events_per_s: Math.round((streamEvents - ev0) / secs),
			// what the server wrote for each of the two agents (user_events rows a second, halved)
			agent_notices_written_per_s: Math.round((notices1 - notices0) / agents.length / secs),
			pageview_errors: during.pageview_errors - before.pageview_errors, poll_errors: during.poll_errors - before.poll_errors,
			polls_per_s: Math.round((during.polls - before.polls) / secs),
			// everything the database did in the window, per page view (polls, notices, housekeeping included)
			db_per_pageview: perView,
		},
	};
	console.log(`  browsing ${results.browse.seconds} s: ${results.browse.pageviews_per_s} page views/s, ${during.holding} polls held; ` +
		`workers' CPU ${results.browse.workers_cpu_pct_of_one_core} % of one core (target < 15), MariaDB ${results.browse.mariadb_cpu_pct} %, ` +
		`lighttpd ${results.browse.lighttpd_cpu_pct} %, the bench's clients ${results.browse.clients_cpu_pct} %; workers' RSS ${results.worker_rss_mib} MiB (idle ${results.worker_rss_idle_mib}; target < 512); ` +
		`agent stream ${results.browse.agent_stream_events_per_s} events/s read, ${results.browse.agent_notices_written_per_s} notices/s written an agent; ${results.browse.polls_per_s} polls answered/s; ` +
		`per page view: ${perView.Questions} statements, ${perView.Com_commit} commits; errors: page views ${results.browse.pageview_errors}, polls ${results.browse.poll_errors}`);

	// 2. Invitations: from the agent's POST being sent to the parked poll's answer, 10 a second.
	const sent = new Map(), statuses = {};
	const pick = [...ids].sort(() => Math.random() - 0.5).slice(0, INVITES);
	for (const id of pick) {
		const at = now();
		sent.set(id, at);
		request('POST', `/api/v1/agent/visitors/${id}/invite`, { headers: agentHeaders(agents[0], 'POST'), body: { text: 'Can I help you find something?' } })
			.then((r) => { statuses[r.status] = (statuses[r.status] || 0) + 1; if (r.status !== 201) sent.delete(id); });
		await sleep(Math.max(0, at + 100 - now()));
	}
	await sleep(3000);
	const lat = [...sent].filter(([id]) => invited.has(id)).map(([id, at]) => invited.get(id) - at);
	results.invitations = { sent: pick.length, answers: statuses, delivered: lat.length,
		p50_ms: +(pct(lat, 50) ?? NaN).toFixed(1), p99_ms: +(pct(lat, 99) ?? NaN).toFixed(1) };
	console.log(`  invitations: ${lat.length} of ${pick.length} reached the parked poll (answers ${JSON.stringify(statuses)}); ` +
		`p50 ${results.invitations.p50_ms} ms, p99 ${results.invitations.p99_ms} ms (targets 100 / 300)`);

	// 3. The live list, paged: the first page and pages further on, one after another.
	const listTimes = [];
	let seen = 0, pages = 0, cursor = null, listStatus = {};
	const listEnd = Date.now() + LIST_MS;
	for (let i = 0; i < 200 && Date.now() < listEnd; i++) {
		const q = `?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const t1 = now();
		// Bounded twice: the socket's idle timeout, and a timer (a run hung here with neither answer nor error).
		const r = await Promise.race([listRequest('GET', `/api/v1/agent/visitors/live${q}`, { headers: agentHeaders(agents[0], 'GET') }),
			sleep(11000).then(() => ({ status: 0, json: null }))]);
		listTimes.push(now() - t1);
		listStatus[r.status] = (listStatus[r.status] || 0) + 1;
		const items = r.json?.items || [];
		if (!cursor) { pages = 0; seen = 0; }
		pages++;
		seen += items.length;
		// Walk on while the answer names a next page; then start again at the top.
		cursor = r.json?.next_cursor ?? null;
		if (cursor === null) results.list_walk = { pages, visitors: seen };
	}
	results.live_list = { requests: listTimes.length, answers: listStatus, p50_ms: +pct(listTimes, 50).toFixed(1),
		p99_ms: +pct(listTimes, 99).toFixed(1), page_size: 50 };
	console.log(`  live list: ${listTimes.length} requests (answers ${JSON.stringify(listStatus)}), p50 ${results.live_list.p50_ms} ms, ` +
		`p99 ${results.live_list.p99_ms} ms (target < 200); a whole walk: ${JSON.stringify(results.list_walk || null)}`);

	streamStop = true;
	await Promise.all(children.map((c) => new Promise((r) => { c.statsWaiter = r; c.send({ type: 'stop' }); })));
	results.totals = {};
	results.failures = {};
	for (const c of children) {
		for (const [k, v] of Object.entries(c.stats)) results.totals[k] = (results.totals[k] || 0) + v;
		for (const [k, v] of Object.entries(c.failures || {})) results.failures[k] = (results.failures[k] || 0) + v;
	}
	// The web server's failures to reach a worker (deploy/README.md, "The worker's socket queue").
	try {
		const log = readFileSync(`${STATE}/lighttpd-error.log`, 'utf8');
		results.lighttpd_dropped_after_accept = (log.match(/dropped after accept/g) || []).length;
	} catch { /* no log */ }
	results.load_at_end = load1();
	console.log(JSON.stringify(results));
	await Promise.race([stream, sleep(100)]);
	process.exit(0);
}

// tests/lib/kefu.mjs: what every node suite needs to talk to a running kefu stack.
//
// Environment (written by tools/stack into STATE/env):
//   KEFU_URL      base URL through the web server, e.g. http://127.0.0.1:8080
//   KEFU_CTL      the kefuctl command line with its -c CONFIG, e.g. "/b/src/kefuctl -c /s/kefu.conf"
//   KEFU_STATE, KEFU_SRCDIR, KEFU_BUILDDIR, KEFU_CONFIG, KEFU_SOCKET: paths, for suites that need them.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkResponse } from './openapi.mjs';

export const KEFU_URL = (process.env.KEFU_URL || '').replace(/\/+$/, '');
export const KEFU_CTL = process.env.KEFU_CTL || '';

if (!KEFU_URL || !KEFU_CTL)
	throw new Error('KEFU_URL and KEFU_CTL must be set (tools/stack writes them to STATE/env)');

// Split KEFU_CTL into argv; it may carry quotes around paths.
function splitCommand(cmd) {
	const out = [];
	const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
	let m;
	while ((m = re.exec(cmd)) !== null)
		out.push(m[1] ?? m[2] ?? m[3]);
	return out;
}

/** Run kefuctl with args; returns its trimmed stdout. Throws with stderr on a non-zero exit. */
export function ctl(...args) {
	let input;
	if (args.length && typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null) {
		({ input } = args.pop());
	}
	const [bin, ...pre] = splitCommand(KEFU_CTL);
	try {
		return execFileSync(bin, [...pre, ...args.map(String)], {
			encoding: 'utf8',
			input: input ?? '',
			stdio: ['pipe', 'pipe', 'pipe'],
		}).trim();
	} catch (e) {
		const err = new Error(`kefuctl ${args.join(' ')} failed (exit ${e.status}): ${e.stderr || e.message}`);
		err.status = e.status;
		err.stderr = e.stderr;
		throw err;
	}
}

/**
 * Polls pred every 100 ms until it returns something truthy, and returns that;
 * throws after ms. For what the server does in the background (deliveries, sweeps).
 */
export async function waitFor(pred, ms = 15000, what = 'a condition') {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		const v = await pred();
		if (v) return v;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** waitFor with the thing waited for named first, for the error message. */
export const until = (what, pred, ms) => waitFor(pred, ms, what);

/**
 * A worker of its own on the suite's database (KEFU_CONFIG) with its main socket and one side socket (a socket a
 * thread of its takes for one route: KEFU_POLL_LISTEN, KEFU_PAGEVIEW_LISTEN), 4 request threads, once both sockets
 * exist and it serves. Gives { main, side, child, log() (its output so far), exited (resolves { code, signal }),
 * remove() (killed if still running, its directory removed) }.
 */
export async function sideSocketWorker(name, sideEnv) {
	const dir = mkdtempSync(join(tmpdir(), `kefu-${name}-`));
	const main = join(dir, 'w.sock'), side = join(dir, 's.sock');
	const child = spawn(join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), ['-c', process.env.KEFU_CONFIG], {
		env: { ...process.env, KEFU_LISTEN: main, [sideEnv]: side, KEFU_THREADS: '4' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (d) => { out += d; });
	child.stderr.on('data', (d) => { out += d; });
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	await until('the worker\'s sockets', () => existsSync(main) && existsSync(side) && /serving on/.test(out), 15000);
	await new Promise((r) => setTimeout(r, 500)); // its housekeeping has claimed its first jobs
	return {
		main, side, child, exited, log: () => out,
		remove() {
			if (child.exitCode === null && child.signalCode === null)
				child.kill('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A short random suffix for names that must be unique across runs. */
export function unique(prefix = 't') {
	return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * A fresh tenant with an admin user and an admin+crm API key, made through kefuctl.
 * Returns {name, id, adminLogin, adminPassword, apiKey}.
 */
export function newTenant(prefix = 'tenant') {
	const name = unique(prefix);
	const adminLogin = `admin-${name}`; // logins are unique across tenants
	const adminPassword = `pw-${randomBytes(9).toString('base64url')}`;
	const out = ctl('tenant', 'create', '--name', name, '--admin-login', adminLogin, '--admin-password', adminPassword);
	const id = Number((out.match(/\d+/) || [])[0]);
	const apiKey = lastToken(ctl('api-key', 'create', '--tenant', name, '--scopes', 'admin,crm', '--name', 'tests'));
	return { name, id, adminLogin, adminPassword, apiKey };
}

// kefuctl prints the key alone on its line; tolerate a label before it.
function lastToken(out) {
	const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
	const words = lines[lines.length - 1].split(/\s+/);
	return words[words.length - 1];
}

// With KEFU_OPENAPI_VALIDATE=1 in the environment (or after validateResponses(true)),
// every REST answer api() gets is checked against docs/openapi.json and a
// mismatch throws at the call.
let validating = process.env.KEFU_OPENAPI_VALIDATE === '1';
/** Turn the check of every answer against docs/openapi.json on or off. */
export function validateResponses(on) {
	validating = !!on;
}

/**
 * One HTTP request to kefu. opts: {key, body, headers, session, raw}.
 * body: an object is sent as JSON; a string/Buffer/FormData/URLSearchParams as is.
 * Returns {status, headers, json, text}; json is null when the body is not JSON.
 */
export async function api(method, path, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	let body = opts.body;
	if (body !== undefined && body !== null && typeof body === 'object' &&
	    !(body instanceof Uint8Array) && !(body instanceof FormData) && !(body instanceof URLSearchParams)) {
		body = JSON.stringify(body);
		headers['content-type'] ??= 'application/json';
	}
	if (opts.key)
		headers.authorization = `Bearer ${opts.key}`;
	if (opts.session)
		opts.session.decorate(method, headers);
	const res = await fetch(KEFU_URL + path, { method, headers, body, redirect: 'manual' });
	if (opts.session)
		opts.session.absorb(res);
	const text = await res.text();
	let json = null;
	if (/json/.test(res.headers.get('content-type') || '')) {
		try {
			json = JSON.parse(text);
		} catch {
			json = null;
		}
	}
	if (validating && !['HEAD', 'OPTIONS'].includes(method.toUpperCase()) && /^\/(api\/|healthz|metrics)/.test(path)) {
		const problems = checkResponse(method, path, res.status, res.headers.get('content-type'), json, text);
		if (problems.length)
			throw new Error(`the answer does not match docs/openapi.json:\n  ${problems.join('\n  ')}\n  body: ${text.slice(0, 300)}`);
	}
	return { status: res.status, headers: res.headers, json, text };
}

/** A browser-like login session: keeps cookies and sends X-CSRF-Token on state changes. */
export class Session {
	constructor() {
		this.cookies = new Map();
		this.csrf = null;
		this.user = null;
	}

	static async login(login, password) {
		const s = new Session();
		const r = await s.login(login, password);
		if (r.status !== 200)
			throw new Error(`login as ${login} failed: ${r.status} ${r.text}`);
		return s;
	}

	async login(login, password) {
		const r = await api('POST', '/api/v1/auth/login', { body: { login, password }, session: this });
		if (r.status === 200 && r.json) {
			this.csrf = r.json.csrf_token;
			this.user = r.json.user;
		}
		return r;
	}

	async logout() {
		return api('POST', '/api/v1/auth/logout', { session: this });
	}

	cookieHeader() {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	decorate(method, headers) {
		if (this.cookies.size)
			headers.cookie = this.cookieHeader();
		if (this.csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()))
			headers['x-csrf-token'] ??= this.csrf;
	}

	absorb(res) {
		for (const c of res.headers.getSetCookie()) {
			const [pair, ...attrs] = c.split(';');
			const eq = pair.indexOf('=');
			if (eq < 0)
				continue;
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === '';
			if (expired)
				this.cookies.delete(name);
			else
				this.cookies.set(name, value);
		}
	}

	request(method, path, opts = {}) {
		return api(method, path, { ...opts, session: this });
	}
	get(path, opts) { return this.request('GET', path, opts); }
	post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
	patch(path, body, opts = {}) { return this.request('PATCH', path, { ...opts, body }); }
	put(path, body, opts = {}) { return this.request('PUT', path, { ...opts, body }); }
	delete(path, opts) { return this.request('DELETE', path, opts); }
}

/** Assert helper for error bodies: {"error": {"code": ...}}. */
export function errorCode(r) {
	return r.json && r.json.error ? r.json.error.code : undefined;
}

/**
 * A new widget visitor of the channel whose key is channelKey (body: the registration's fields, such as
 * {attributes}): {id, token, headers, req(method, path, body)}, req calling /api/v1/widget + path with its token
 * (headers: the token's, for a call made with api()).
 */
export async function widgetVisitor(channelKey, body = {}) {
	const v = await api('POST', `/api/v1/widget/channels/${channelKey}/visitors`, { body });
	if (v.status !== 201 && v.status !== 200)
		throw new Error(`visitor of ${channelKey}: ${v.status} ${v.text}`);
	const headers = { 'x-visitor-token': v.json.visitor_token };
	return { id: v.json.visitor_id, token: v.json.visitor_token, headers, req: (m, p, b) => api(m, '/api/v1/widget' + p, { headers, body: b }) };
}

/**
 * n browsing visitors of a new tracking channel of a new tenant, each with a page view and its stream's head read,
 * ready to park a poll: {tenant, visitors: [{id, headers, after}]}.
 */
export async function browsingVisitors(prefix, n) {
	const tenant = newTenant(prefix);
	const ch = await newChannel(tenant, { name: 'shop', allowed_origins: [], tracking: true });
	const visitors = [];
	for (let i = 0; i < n; i++) {
		const v = await widgetVisitor(ch.key, { locale: 'en' });
		const view = await v.req('POST', '/visitors/me/pageviews', { url: 'https://shop.example/' });
		if (view.status !== 201)
			throw new Error(`page view: ${view.status} ${view.text}`);
		const first = await v.req('GET', '/visitors/me/events?after=0&wait=0');
		if (first.status !== 200)
			throw new Error(`first poll: ${first.status} ${first.text}`);
		visitors.push({ id: v.id, headers: v.headers, after: first.json.next });
	}
	return { tenant, visitors };
}

/**
 * How often the threads of process pid slept and were woken, by thread name (the workers name theirs kefu-request
 * and kefu-tailer): their voluntary context switches, from /proc.
 */
export function threadWakeups(pid) {
	const by = {};
	for (const t of readdirSync(`/proc/${pid}/task`)) {
		try {
			const name = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
			const v = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'))[1]);
			by[name] = (by[name] || 0) + v;
		} catch { /* a thread gone meanwhile */ }
	}
	return by;
}

/**
 * Counts the wake-ups of the stack's workers' request threads (KEFU_STATE's worker-1 and -2): gives a function that
 * returns their voluntary switches so far, once the threads that served what came before are back in accept().
 */
export async function stackRequestWakeups() {
	const pids = [1, 2].map((i) => join(process.env.KEFU_STATE, `worker-${i}.pid`)).filter(existsSync).map((f) => Number(readFileSync(f, 'utf8')));
	if (pids.length === 0)
		throw new Error('the stack\'s workers: no worker-N.pid in KEFU_STATE');
	await new Promise((r) => setTimeout(r, 500));
	return () => pids.reduce((n, pid) => n + (threadWakeups(pid)['kefu-request'] || 0), 0);
}

/** The CPU time the threads of process pid have used, in ns, by thread name (the first field of each thread's schedstat). */
export function threadCpuNs(pid) {
	const by = {};
	for (const t of readdirSync(`/proc/${pid}/task`)) {
		try {
			const ns = Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
			const name = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
			by[name] = (by[name] || 0) + ns;
		} catch { /* a thread gone meanwhile */ }
	}
	return by;
}

/** The same, summed over the threads of pid. */
export function processCpuNs(pid) {
	return Object.values(threadCpuNs(pid)).reduce((a, b) => a + b, 0);
}

/** The conversation visitor v (a widgetVisitor) starts on channelKey with prechat's answers: its JSON; throws unless 201. */
export async function startConversation(v, channelKey, prechat = {}) {
	const c = await v.req('POST', '/conversations', { channel_key: channelKey, prechat });
	if (c.status !== 201)
		throw new Error(`conversation of ${channelKey}: ${c.status} ${c.text}`);
	return c.json;
}

/**
 * A new agent of tenant t (made with its API key, in no department), logged in:
 * the Session with .id and .name set; with status, the agent is put in it.
 */
export async function newAgent(t, name, status) {
	const login = unique(name.replace(/\s+/g, '-').toLowerCase());
	const password = 'pw-' + unique('x');
	const r = await api('POST', '/api/v1/admin/users', { key: t.apiKey, body: { login, name, password, role: 'agent', department_ids: [] } });
	if (r.status !== 201)
		throw new Error(`agent ${name}: ${r.status} ${r.text}`);
	const s = await Session.login(login, password);
	s.id = r.json.id;
	s.name = name;
	if (status) {
		const st = await s.put('/api/v1/agent/status', { status });
		if (st.status !== 200)
			throw new Error(`agent ${name} status ${status}: ${st.status} ${st.text}`);
	}
	return s;
}

/** A new channel of tenant t (body: its fields): its JSON; throws unless 201. */
export async function newChannel(t, body) {
	const ch = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body });
	if (ch.status !== 201)
		throw new Error(`channel: ${ch.status} ${ch.text}`);
	return ch.json;
}

/** A new channel of tenant t (body: its fields) and the snippet a host page embeds it with: {channel, snippet}. */
export async function embeddedChannel(t, body) {
	const channel = await newChannel(t, body);
	const embed = await api('GET', `/api/v1/admin/channels/${channel.id}/embed`, { key: t.apiKey });
	return { channel, snippet: embed.json.html };
}

/**
 * A fresh tenant (newTenant) with one agent online and one channel open to any origin, all named after
 * prefix: {tenant, agent, channel} (the agent's Session, the channel's JSON). What a file that counts
 * server-wide figures starts from.
 */
export async function staffedChannel(prefix) {
	const tenant = newTenant(prefix);
	const agent = await newAgent(tenant, `${prefix}-agent`, 'online');
	const channel = await newChannel(tenant, { name: prefix, allowed_origins: [] });
	return { tenant, agent, channel };
}

/** A fresh tenant (newTenant) whose admin is offline: only the agents a test makes take its conversations. */
export async function agentsOnlyTenant(prefix) {
	const t = newTenant(prefix);
	const admin = await Session.login(t.adminLogin, t.adminPassword);
	await admin.put('/api/v1/agent/status', { status: 'offline' });
	return t;
}

/**
 * A new channel of tenant t whose conversations a new rule (max_concurrent 1, then the fields of `rule`) sends
 * to a new group of `agents` (Sessions), who are then put online: {key, channel, group, rule, tenant} (the
 * channel's key, then ids).
 */
export async function ruledChannel(t, agents, rule = {}) {
	const made = async (what, path, body) => {
		const r = await api('POST', path, { key: t.apiKey, body });
		if (r.status !== 201)
			throw new Error(`${what}: ${r.status} ${r.text}`);
		return r.json;
	};
	const ch = await made('channel', '/api/v1/admin/channels', { name: unique('ch'), allowed_origins: [] });
	const g = await made('group', '/api/v1/admin/groups', { name: unique('g'), member_user_ids: agents.map((a) => a.id), member_department_ids: [] });
	const r = await made('rule', '/api/v1/admin/rules', { name: unique('rule'), channel_ids: [ch.id], max_concurrent: 1, routing: { mode: 'rules', fallback_group_id: g.id }, ...rule });
	for (const a of agents) {
		const st = await a.put('/api/v1/agent/status', { status: 'online' });
		if (st.status !== 200)
			throw new Error(`agent ${a.name} online: ${st.status} ${st.text}`);
	}
	const tenant = Number(sql(`SELECT tenant_id FROM rules WHERE id = ${r.id}`)[0][0]);
	return { key: ch.key, channel: ch.id, group: g.id, rule: r.id, tenant };
}

/**
 * Rows of one SQL statement run on the stack's database as kefu's own user (through the
 * MariaDB socket named in KEFU_CONFIG), as arrays of strings (NULL → null). For what no API
 * does on purpose, such as making rows look old for retention tests.
 */
export function sql(query) {
	const conf = readFileSync(process.env.KEFU_CONFIG, 'utf8');
	const get = (name) => ((conf.match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1] || '').trim();
	const out = execFileSync('mariadb', ['--no-defaults', '-S', get('db_socket'), '-u', get('db_user'), `-p${get('db_password')}`,
		get('db_name'), '-N', '-B', '-e', query], { encoding: 'utf8', maxBuffer: 64 << 20 });
	return out.split('\n').filter(Boolean).map((l) => l.split('\t').map((c) => (c === 'NULL' ? null : c)));
}

/**
 * A session of the test's (as kefu's own user) holding the row locks of `from` (a table and its WHERE)
 * until the returned release() ends its transaction: every statement that locks one of them waits meanwhile.
 */
export async function holdRows(from) {
	const conf = readFileSync(process.env.KEFU_CONFIG, 'utf8');
	const get = (name) => ((conf.match(new RegExp(`^${name} *= *(.*)$`, 'm')) || [])[1] || '').trim();
	const p = spawn('mariadb', ['--no-defaults', '-S', get('db_socket'), '-u', get('db_user'), `-p${get('db_password')}`, get('db_name'), '-N', '-B', '--unbuffered'], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	p.stdout.on('data', (d) => { out += d; });
	p.stdin.write(`START TRANSACTION; SELECT 'held' FROM ${from} FOR UPDATE;\n`);
	while (!out.includes('held')) await new Promise((r) => setTimeout(r, 10));
	return async () => {
		p.stdin.end('COMMIT;\n');
		await new Promise((r) => p.on('close', r));
	};
}

/** The rule's assign_state row held (holdRows): every decision under the rule waits for it meanwhile. */
export function holdRuleLock(tenant, rule) {
	return holdRows(`assign_state WHERE tenant_id = ${Number(tenant)} AND rule_id = ${Number(rule)}`);
}

/** The conversation's row held (holdRows): what every batch with a post into it locks first. */
export function holdConversation(id) {
	return holdRows(`conversations WHERE id = ${Number(id)}`);
}

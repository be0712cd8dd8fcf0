// tests/integration/resilience.test.mjs: database outages and worker shutdown, on a stack of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SRC = process.env.KEFU_SRCDIR;
const BUILD = process.env.KEFU_BUILDDIR;
let state, url, ctlArgs;

function freePort() {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const stack = (...args) => execFileSync(join(SRC, 'tools/stack'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const get = (path, init) => fetch(url + path, init);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pidOf = (name) => Number(readFileSync(join(state, `${name}.pid`), 'utf8').trim());

function alive(pid) {
	try {
		process.kill(pid, 0);
		// A zombie (exited, not yet reaped) is not alive.
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

async function until(what, fn, ms = 30000) {
	const end = Date.now() + ms;
	for (;;) {
		if (await fn())
			return;
		if (Date.now() > end)
			throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

before(async () => {
	state = mkdtempSync(join(tmpdir(), 'kefu-res-'));
	const port = await freePort();
	stack('start', state, '--port', String(port), '--workers', '1', '--builddir', BUILD);
	url = `http://127.0.0.1:${port}`;
	ctlArgs = ['-c', join(state, 'kefu.conf')];
	execFileSync(join(BUILD, 'src/kefuctl'), [...ctlArgs, 'tenant', 'create', '--name', 'res', '--admin-login', 'res-admin',
		'--admin-password', 'res-password-1']);
});

after(() => {
	if (state) {
		try {
			stack('stop', state);
		} finally {
			rmSync(state, { recursive: true, force: true });
		}
	}
});

const loginBody = { login: 'res-admin', password: 'res-password-1' };
const login = () => get('/api/v1/auth/login', {
	method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(loginBody),
});

test('the database going away is 503 with Retry-After; the worker recovers by itself', async () => {
	assert.equal((await login()).status, 200);
	const worker = pidOf('worker-1');
	const db = pidOf('mysqld');
	process.kill(db, 'SIGTERM');
	await until('MariaDB to stop', () => !alive(db));

	const h = await get('/healthz');
	assert.equal(h.status, 503);
	assert.deepEqual(await h.json(), { status: 'unavailable', db: 'unavailable' });
	const r = await login();
	assert.equal(r.status, 503);
	assert.ok(Number(r.headers.get('retry-after')) >= 1);
	assert.equal((await r.json()).error.code, 'unavailable');
	assert.ok(alive(worker), 'the worker stays up while the database is down');

	stack('start', state); // brings MariaDB back; the worker is left as it is
	await until('healthz to recover', async () => (await get('/healthz')).status === 200);
	assert.equal((await login()).status, 200);
	assert.equal(pidOf('worker-1'), worker, 'the same worker process recovered');
});

test('a server out of prepared statements: a connection gives its own back and carries on', async () => {
	// One thread, so the request surely lands on the connection that has statements to give back.
	const restart = (env) => execFileSync(join(SRC, 'tools/stack'), ['restart-workers', state], { env, stdio: 'ignore' });
	restart({ ...process.env, KEFU_THREADS: '1' });
	await until('the worker to answer', async () => (await get('/healthz')).status === 200);
	const root = (q) => execFileSync('mariadb', ['--no-defaults', '-S', join(state, 'mysqld.sock'), '-uroot', '-N', '-e', q],
		{ encoding: 'utf8' }).trim();
	try {
		const l = await login();
		assert.equal(l.status, 200);
		const cookie = l.headers.get('set-cookie').split(';')[0];
		// Every statement the server can hold is taken: the next new one is refused (error 1461).
		const inUse = root("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'PREPARED_STMT_COUNT'");
		root(`SET GLOBAL max_prepared_stmt_count = ${inUse}`);
		const r = await get('/api/v1/agent/conversations', { headers: { cookie } }); // statements login did not need
		// On failure, the worker's last lines say which statement was refused and why.
		const tail = () => readFileSync(join(state, 'worker-1.log'), 'utf8').split('\n').slice(-15).join('\n');
		assert.equal(r.status, 200, `${await r.text()}\n${tail()}`);
	} finally {
		root('SET GLOBAL max_prepared_stmt_count = DEFAULT');
		restart(process.env);
	}
	await until('the worker to answer', async () => (await get('/healthz')).status === 200);
});

test('a worker killed outright: JSON answers meanwhile, and the supervisor has it back within seconds', async () => {
	const worker = pidOf('worker-1');
	const inflight = login(); // a password check takes long enough to be in flight
	await sleep(20);
	const killedAt = Date.now();
	process.kill(worker, 'SIGKILL');
	const r = await inflight;
	// 200 if it finished first; 500 if the worker died under it; 503 if it never got there.
	assert.ok([200, 500, 503].includes(r.status), `in-flight request answered ${r.status}`);
	assert.match(r.headers.get('content-type') || '', /^application\/json/);
	if (r.status !== 200) {
		// never kefu's own "internal": a client must tell the worker's fault from its death
		assert.equal((await r.json()).error.code, r.status === 500 ? 'interrupted' : 'unavailable');
		assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After on the in-flight failure');
	}
	const seen = [];
	await until('the worker to be back', async () => {
		const h = await get('/healthz');
		seen.push(h.status);
		assert.match(h.headers.get('content-type') || '', /^application\/json/, `a ${h.status} while the worker is away`);
		if (h.status === 500) // lighttpd had handed it to the dying worker already
			assert.equal((await h.json()).error.code, 'interrupted');
		if (h.status === 503) {
			assert.equal((await h.json()).error.code, 'unavailable');
			assert.ok(Number(h.headers.get('retry-after')) >= 1, 'Retry-After on the 503');
		}
		return h.status === 200;
	}, 10000);
	assert.ok(Date.now() - killedAt < 6000, `back after ${Date.now() - killedAt} ms`);
	assert.ok(seen.includes(503), `the gap was seen as a JSON 503 (${seen.join(' ')})`);
	assert.ok(seen.every((x) => x === 200 || x === 500 || x === 503), `answers while away: ${seen.join(' ')}`);
	const again = pidOf('worker-1');
	assert.notEqual(again, worker);
	assert.ok(alive(again));
	assert.equal((await login()).status, 200);
	assert.match(readFileSync(join(state, 'worker-1.log'), 'utf8'), new RegExp(`worker 1 \\(pid ${worker}\\) died`));
});

test('SIGTERM: the worker stops accepting, finishes, removes its socket and exits', async () => {
	const worker = pidOf('worker-1');
	const sock = join(state, 'worker-1.sock');
	assert.ok(existsSync(sock));
	const inflight = login(); // a password check takes long enough to be in flight
	await sleep(20);
	process.kill(worker, 'SIGTERM');
	const r = await inflight;
	assert.ok([200, 503].includes(r.status), `in-flight request answered ${r.status}`);
	await until('the worker to exit', () => !alive(worker), 20000);
	assert.ok(!existsSync(sock), 'socket removed');
	assert.match(readFileSync(join(state, 'worker-1.log'), 'utf8'), /stopped/);
	stack('start', state);
	await until('a new worker', async () => (await get('/healthz')).status === 200);
});

test('tools/stack stop leaves no worker and no supervisor behind, even while one is being restarted', async () => {
	const supervisor = pidOf('worker-1.supervisor');
	const worker = pidOf('worker-1');
	assert.ok(alive(supervisor) && alive(worker));
	process.kill(worker, 'SIGKILL'); // the supervisor is now waiting to restart it
	await sleep(100);
	stack('stop', state);
	assert.ok(!alive(supervisor), 'the supervisor is gone');
	const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
		try {
			return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(state);
		} catch {
			return false;
		}
	});
	assert.deepEqual(left, [], 'no process of this stack is left');
});

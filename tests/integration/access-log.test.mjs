// tests/integration/access-log.test.mjs: a worker of its own (on the suite's database) writes its access log lines
// gathered, not in a write(2) each (log_defer in src/core/log.c): every line whole and soon in the log, and all of
// them there when the worker stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fcgiGet } from '../lib/fcgi.mjs';
import { unique, until } from '../lib/kefu.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const writes = (pid) => Number(/^syscw: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);

test('access log lines: fewer writes than requests, each line whole within moments, all written at a stop', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'kefu-alog-'));
	const sock = join(dir, 'w.sock');
	const child = spawn(join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), ['-c', process.env.KEFU_CONFIG], {
		env: { ...process.env, KEFU_LISTEN: sock, KEFU_POLL_LISTEN: join(dir, 'p.sock'), KEFU_THREADS: '4' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	child.stdout.on('data', (d) => { log += d; });
	child.stderr.on('data', (d) => { log += d; });
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const lines = (path) => log.split('\n').filter((l) => l.includes(` ${path} `));
	// 404s: the generic path (parse, route, answer, access line) and nothing else, 4 at a time
	const ask = async (path, n) => {
		const st = await Promise.all(Array.from({ length: 4 }, async () => {
			const got = [];
			for (let i = 0; i < n / 4; i++)
				got.push((await fcgiGet(sock, path, { 'user-agent': 'test' })).status);
			return got;
		}));
		assert.deepEqual([...new Set(st.flat())], [404]);
	};
	try {
		await until('the worker socket', () => existsSync(sock) && /serving on/.test(log));
		await sleep(300); // the housekeeping thread is up and has claimed its first jobs
		const path = `/api/v1/widget/${unique('no-such-route')}`;
		const w0 = writes(child.pid);
		await ask(path, 200);
		const w = writes(child.pid) - w0;
		// Each answer is one write to its connection; the lines came in a few more (one each before: 2 a request).
		assert.ok(w < 200 * 1.5, `${w} writes for 200 requests`);
		await until('every access line', () => lines(path).length === 200, 2000);
		for (const l of lines(path))
			assert.match(l, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ info access: GET ${path} - 404 \\d+\\.\\dms tenant=0$`));
		// An orderly stop right after the answers writes the lines still gathered.
		const last = `/api/v1/widget/${unique('no-such-route')}`;
		await ask(last, 20);
		child.kill('SIGTERM');
		const { code } = await Promise.race([exited, sleep(15000).then(() => ({ code: 'timeout' }))]);
		assert.equal(code, 0, log);
		assert.equal(lines(last).length, 20, log.slice(-2000));
		assert.match(log, /server: stopped\n$/);
	} finally {
		if (child.exitCode === null && child.signalCode === null)
			child.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	}
});

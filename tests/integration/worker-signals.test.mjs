// tests/integration/worker-signals.test.mjs: a worker of its own (on the suite's database) stopping: a second SIGTERM or a SIGHUP while it finishes its requests does not kill it; it exits 0 with its "stopped" line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { record } from '../lib/fcgi.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, ms = 15000) {
	const end = Date.now() + ms;
	while (!(await fn())) {
		if (Date.now() > end)
			throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

test('SIGTERM, then SIGHUP and SIGTERM again while a request is in flight: a graceful stop, exit code 0', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'kefu-sig-'));
	const sock = join(dir, 'w.sock');
	const child = spawn(join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), ['-c', process.env.KEFU_CONFIG], {
		env: { ...process.env, KEFU_LISTEN: sock, KEFU_THREADS: '2' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	child.stdout.on('data', (d) => { log += d; });
	child.stderr.on('data', (d) => { log += d; });
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	try {
		await until('the worker socket', () => existsSync(sock) && /serving on/.test(log));
		await sleep(300); // the housekeeping thread is up and has claimed its first jobs
		// A request that has begun and not ended: one accept thread waits on it,
		// so the stop waits too, for as long as this test wants.
		const c = connect(sock);
		await new Promise((r) => c.on('connect', r));
		c.write(record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]))); // BEGIN_REQUEST, responder
		await sleep(200);
		child.kill('SIGTERM');
		await until('the stop to begin', () => /finishing in-flight requests/.test(log));
		child.kill('SIGHUP');
		await sleep(200);
		child.kill('SIGTERM');
		await sleep(500);
		assert.equal(child.exitCode, null, `the worker died during its stop: ${child.signalCode}\n${log}`);
		assert.equal(child.signalCode, null);
		c.destroy(); // the request goes away; the worker can finish
		const { code, signal } = await Promise.race([exited, sleep(15000).then(() => ({ code: 'timeout' }))]);
		assert.equal(signal, null, log);
		assert.equal(code, 0, log);
		assert.match(log, /server: stopped/);
		assert.ok(!existsSync(sock), 'socket removed');
	} finally {
		if (child.exitCode === null && child.signalCode === null)
			child.kill('SIGKILL');
		// Beside the stack's worker logs, where tools/dev looks for sanitizer reports.
		if (process.env.KEFU_STATE)
			appendFileSync(join(process.env.KEFU_STATE, 'worker-signals.log'), log);
		rmSync(dir, { recursive: true, force: true });
	}
});

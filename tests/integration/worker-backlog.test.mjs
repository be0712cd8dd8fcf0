// tests/integration/worker-backlog.test.mjs: a wave of requests larger than the old 1024-connection queue of a
// worker's socket, arriving while every worker is stalled (as parked long-polls ending together on a busy box do),
// is answered by the workers once they go on, none by lighttpd's 500 "connection was dropped after accept()"
// (deploy/README.md, "Long-polls and file descriptors"; kefu.conf listen_backlog).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

const STATE = process.env.KEFU_STATE;
const url = new URL(process.env.KEFU_URL);

// Per worker more than the old queue (1024), less than this machine's net.core.somaxconn allows (4096 by default).
const PER_WORKER = 1500;

function request(agent) {
	return new Promise((resolve) => {
		const r = http.request({ host: url.hostname, port: url.port, path: '/api/v1/no-such-route', agent }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		r.on('error', (e) => resolve(e.code));
		r.end();
	});
}

test('a wave larger than 1024 connections per worker, sent while the workers are stalled, is answered by them', async (t) => {
	const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
	const nofile = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }));
	const pids = readdirSync(STATE).filter((f) => /^worker-\d+\.pid$/.test(f)).map((f) => Number(readFileSync(join(STATE, f), 'utf8')));
	const n = PER_WORKER * pids.length;
	if (somaxconn < 2048 || nofile < n + 512) {
		t.skip(`net.core.somaxconn ${somaxconn}, ulimit -n ${nofile}: too small for the wave`);
		return;
	}
	const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
	for (const pid of pids)
		process.kill(pid, 'SIGSTOP');
	let answers;
	try {
		const all = Promise.all(Array.from({ length: n }, () => request(agent)));
		await new Promise((r) => setTimeout(r, 1500));
		for (const pid of pids)
			process.kill(pid, 'SIGCONT');
		answers = await all;
	} finally {
		for (const pid of pids)
			process.kill(pid, 'SIGCONT');
	}
	const count = {};
	for (const a of answers)
		count[a] = (count[a] || 0) + 1;
	assert.deepEqual(count, { 404: n }, 'every request answered by a worker');
});

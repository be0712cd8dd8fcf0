// tests/lib/own-stack.mjs: a stack of its own (tools/stack, a fresh database) for a file that counts server-wide figures.
//
// MariaDB's status counters (statements, rows read, joins) are server-wide.
// On the shared test stack the periodic jobs work, in bursts, through what the
// earlier suites left behind (about 200 tenants), far more than the few
// statements such a file measures; on a fresh database they are quiet. The
// stack is stopped and removed when the file ends; one that cannot start
// fails the file.
import { after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

const SRC = process.env.KEFU_SRCDIR || new URL('../..', import.meta.url).pathname;
const stack = (...args) => execFileSync(`${SRC}/tools/stack`, args, { stdio: ['ignore', 'ignore', 'inherit'] });

// Starts the stack, points this process's environment at it and gives tests/lib/kefu.mjs bound to it.
// workers: how many kefu workers it runs (tools/stack's default, 2, if not given). The workers
// inherit this process's environment.
export async function ownStack(name, { workers } = {}) {
	const state = mkdtempSync(`/tmp/kefu-${name}.`);
	const port = await new Promise((ok) => {
		const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
	});
	after(() => {
		stack('stop', state);
		rmSync(state, { recursive: true, force: true });
	});
	stack('start', state, '--port', String(port), '--builddir', process.env.KEFU_BUILDDIR, ...(workers ? ['--workers', String(workers)] : []));
	for (const line of readFileSync(`${state}/env`, 'utf8').split('\n')) {
		const m = line.match(/^([A-Z_]+)=(.*)$/);
		if (m)
			process.env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
	}
	return import('./kefu.mjs');
}

// MariaDB's status counters `names` (server-wide) now, by name.
export async function statusCounters(names) {
	const { sql } = await import('./kefu.mjs');
	const list = names.map((n) => `'${n}'`).join(', ');
	return Object.fromEntries(sql(`SHOW GLOBAL STATUS WHERE Variable_name IN (${list})`).map(([k, v]) => [k, Number(v)]));
}

// The counters `names` per call of fn(i) over n calls, less what the server ran
// without us over as long a time just after (its periodic jobs, the tailers);
// settleMs waits for work the calls leave behind (a flusher) before the count.
// With rounds > 1 the median round counts: the periodic jobs work in bursts.
export async function perCall(names, n, fn, { rounds = 1, settleMs = 0 } = {}) {
	const per = [];
	for (let r = 0; r < rounds; r++) {
		const c0 = await statusCounters(names), t0 = Date.now();
		for (let i = 0; i < n; i++) await fn(i);
		if (settleMs > 0) await new Promise((res) => setTimeout(res, settleMs));
		const c1 = await statusCounters(names), t1 = Date.now();
		await new Promise((res) => setTimeout(res, t1 - t0));
		const c2 = await statusCounters(names);
		per.push(Object.fromEntries(names.map((k) => [k, (c1[k] - c0[k] - (c2[k] - c1[k])) / n])));
	}
	const median = (k) => per.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(rounds / 2)];
	return Object.fromEntries(names.map((k) => [k, median(k)]));
}

// Statements as MariaDB's general log (a table, on this stack of its own)
// records them while fn runs: their texts, values in place. With
// { periodic: false }, without those of the periodic jobs' connections (the
// ones that claimed a job meanwhile: a job runs on its claimant's
// connection, at its own pace, so a slow run would count more of them).
// With { threads: true }, each statement as [connection id, text], to
// follow one connection's transactions.
export async function generalLog(fn, { periodic = true, threads = false, split = true } = {}) {
	const conf = readFileSync(process.env.KEFU_CONFIG, 'utf8');
	const sock = (conf.match(/^db_socket *= *(.*)$/m) || [])[1].trim();
	const root = (q) => execFileSync('mariadb', ['--no-defaults', '-S', sock, '-uroot', '-N', '-B', '-e', q], { encoding: 'utf8', maxBuffer: 64 << 20 });
	root("TRUNCATE mysql.general_log; SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1");
	try {
		await fn();
	} finally {
		root('SET GLOBAL general_log = 0');
	}
	const jobs = periodic ? '' : " AND thread_id NOT IN (SELECT thread_id FROM mysql.general_log WHERE argument LIKE 'UPDATE jobs SET next_run_at%')";
	const rows = root(`SELECT ${threads ? "thread_id, " : ''}REPLACE(REPLACE(argument, '\\n', ' '), '\\t', ' ') FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')${jobs}`).split('\n');
	// A query of several statements (the late writes that go with the next
	// statement or the COMMIT, db_exec_late) is one entry: each statement
	// counts, as its own; with split false, each query (round trip) is one.
	const each = split ? statements : (q) => [q];
	if (!threads)
		return rows.flatMap((r) => each(r));
	return rows.filter(Boolean).flatMap((r) => each(r.slice(r.indexOf('\t') + 1)).map((q) => [Number(r.slice(0, r.indexOf('\t'))), q]));
}

// The statements of one query, split at the semicolons outside quotes.
export function statements(query) {
	const out = [];
	let quote = '', start = 0;
	for (let i = 0; i < query.length; i++) {
		const c = query[i];
		if (quote && c === '\\') i++;
		else if (c === quote) quote = '';
		else if (!quote && (c === "'" || c === '"' || c === '`')) quote = c;
		else if (!quote && c === ';') {
			out.push(query.slice(start, i).trim());
			start = i + 1;
		}
	}
	const rest = query.slice(start).trim();
	if (rest || !out.length) out.push(rest);
	return out;
}

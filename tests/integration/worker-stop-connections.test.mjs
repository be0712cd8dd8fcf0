// tests/integration/worker-stop-connections.test.mjs: a worker's orderly stop closes every MariaDB connection it opened, its batchers' too, so the server counts no aborted client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ownStack, statusCounters } from '../lib/own-stack.mjs';

// Aborted_clients is server-wide: a stack of its own (tests/lib/own-stack.mjs).
const { api, staffedChannel, widgetVisitor, startConversation, waitFor } = await ownStack('stopconn');

test('restarting the workers after starts, messages and closes leaves no aborted connection', async () => {
	const { channel } = await staffedChannel('stopconn');
	// Each kind of request that a batcher serves opens that batcher's own
	// connection in the worker that leads it: starts, text posts, closes.
	for (let i = 0; i < 6; i++) {
		const v = await widgetVisitor(channel.key, { locale: 'en' });
		const c = await startConversation(v, channel.key);
		const m = await v.req('POST', `/conversations/${c.id}/messages`, { kind: 'text', text: `hello ${i}` });
		assert.equal(m.status, 201, m.text);
		const x = await v.req('POST', `/conversations/${c.id}/close`, {});
		assert.equal(x.status, 200, x.text);
	}
	const before = (await statusCounters(['Aborted_clients'])).Aborted_clients;
	execFileSync(`${process.env.KEFU_SRCDIR}/tools/stack`, ['restart-workers', process.env.KEFU_STATE], { stdio: ['ignore', 'ignore', 'inherit'] });
	await waitFor(async () => (await api('GET', '/healthz')).status === 200, 15000, 'the workers back');
	// MariaDB counts a client gone without COM_QUIT once it notices the
	// closed socket: give it a moment.
	await new Promise((res) => setTimeout(res, 500));
	const after = (await statusCounters(['Aborted_clients'])).Aborted_clients;
	assert.equal(after - before, 0, `${after - before} connection(s) left open at the workers' stop`);
});

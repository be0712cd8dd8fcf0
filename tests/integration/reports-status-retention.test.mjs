// tests/integration/reports-status-retention.test.mjs: the staff status history (agent_status_log) follows the tenant's messages_days: the purge deletes older changes but each user's last one before the cut-off, so online and away time of a range after the cut-off stay the same; a tenant without retention keeps everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant, sql, until } from '../lib/kefu.mjs';

const DAY = 86400e3;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The user's log replaced by changes `days` ago (whole UTC days back from today's midnight, at 12:00). */
function history(t, user, changes) {
	const midnight = Math.floor(Date.now() / DAY) * DAY;
	sql(`DELETE FROM agent_status_log WHERE tenant_id = ${t.id} AND user_id = ${user}`);
	for (const [days, status] of changes) {
		const at = new Date(midnight - days * DAY + 12 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
		sql(`INSERT INTO agent_status_log (tenant_id, user_id, status, at) VALUES (${t.id}, ${user}, '${status}', '${at}')`);
	}
}
const log = (t, user) => sql(`SELECT status, DATEDIFF(CURDATE(), DATE(at)) FROM agent_status_log WHERE tenant_id = ${t.id}
	AND user_id = ${user} ORDER BY at`).map(([s, d]) => [Number(d), s]);

async function times(t, user) {
	// The days 20 to 12 ago: after the 30-day cut-off, so their figures must not change.
	const r = await api('GET', `/api/v1/reports/agents?from=${day(Date.now() - 20 * DAY)}&to=${day(Date.now() - 12 * DAY)}&tz=UTC&agent_id=${user}`, { key: t.apiKey });
	assert.equal(r.status, 200, r.text);
	const x = r.json.items[0];
	return { online: x.online_seconds, away: x.away_seconds };
}

test('status changes older than messages_days go, but each user\'s last one before the cut-off', async () => {
	const T = newTenant('statret'), K = newTenant('statkeep');
	const A = await newAgent(T, 'Old Timer'), B = await newAgent(T, 'Newcomer'), C = await newAgent(K, 'Keeper');
	const changes = [[100, 'online'], [90, 'away'], [60, 'online'], [15, 'away'], [10, 'offline']];
	history(T, A.id, changes);
	history(T, B.id, [[5, 'online']]);
	history(K, C.id, changes);
	const before = await times(T, A.id);
	// Online from the range's start (the change '60' before it holds) to the change '15' at noon: 5.5 days; then away
	// to the range's end: 3.5 days (the change '10' is after it).
	assert.deepEqual(before, { online: 5.5 * 86400, away: 3.5 * 86400 });
	const put = await api('PUT', '/api/v1/admin/retention', { key: T.apiKey, body: { messages_days: 30 } });
	assert.equal(put.status, 200, put.text);
	await until('the purge of the status log', () => log(T, A.id).length === 3, 20000);
	assert.deepEqual(log(T, A.id), [[60, 'online'], [15, 'away'], [10, 'offline']]);
	assert.deepEqual(log(T, B.id), [[5, 'online']]);
	assert.deepEqual(await times(T, A.id), before);
	// Another tenant (no retention set) keeps all of it.
	assert.deepEqual(log(K, C.id), changes);
	assert.equal((await api('PUT', '/api/v1/admin/retention', { key: T.apiKey, body: { messages_days: 0 } })).status, 200);
});

// bench/lib/tenant.mjs: the benches' tenant: agents online (so conversations are assigned) and a web channel.
import { ctl, newTenant, api, Session } from '../../tests/lib/kefu.mjs';

/**
 * A tenant named after prefix with agents agents, each logged in and online, named `${agentName} ${i}`,
 * and a channel "bench". Resolves {t, channel}: channel the created channel's JSON (id, key, ...).
 */
export async function benchTenant(prefix, agents, agentName = 'Bench Agent') {
	const t = newTenant(prefix);
	for (let i = 0; i < agents; i++) {
		ctl('user', 'create', '--tenant', t.name, '--login', `${t.name}-agent${i}`, '--name', `${agentName} ${i}`,
			'--role', 'agent', '--password', 'bench-password-1');
		const s = await Session.login(`${t.name}-agent${i}`, 'bench-password-1');
		await s.put('/api/v1/agent/status', { status: 'online' });
	}
	const ch = await api('POST', '/api/v1/admin/channels', { key: t.apiKey, body: { name: 'bench', allowed_origins: [] } });
	if (ch.status !== 201)
		throw new Error(`channel: ${ch.status} ${ch.text}`);
	return { t, channel: ch.json };
}

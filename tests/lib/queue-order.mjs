// tests/lib/queue-order.mjs: the assignment queue's order invariant, checked the same way on one stack and on each cluster node.
/**
 * Queue order kept, per (rule, group) of tenantId: conversations drained from the queue were served in the
 * order they queued, and none was served while one queued before it still waits. Order is the status events'
 * ids. query(sql) gives rows as arrays of strings (kefu.mjs sql, or one cluster node's). Two plain reads joined
 * here: no server-side temporary table for a big join. {problems, served, waiting}: the violations as
 * sentences, how many queued conversations were served, the ids of those still waiting (a Set).
 */
export function queueOrder(query, tenantId) {
	const problems = [];
	const route = new Map(query(`SELECT id, rule_id, group_id FROM conversations WHERE tenant_id = ${tenantId}`).map(([id, r, g]) => [id, [r, g]]));
	const ev = query(`SELECT id, conversation_id, body FROM events WHERE tenant_id = ${tenantId} AND type = 'status'`)
		.sort((x, y) => Number(x[0]) - Number(y[0]));
	const firstQueued = new Map(), drained = new Map(), transferred = new Set();
	for (const [id, cid, body] of ev) {
		const b = JSON.parse(body);
		if (b.status === 'queued' && !firstQueued.has(cid)) firstQueued.set(cid, Number(id));
		if (b.status === 'transferred') transferred.add(cid);
		if (b.status === 'assigned' && b.via === 'queue' && !drained.has(cid)) drained.set(cid, Number(id));
	}
	const byQueue = new Map();
	for (const [cid, qid] of firstQueued) {
		if (transferred.has(cid)) continue; // re-queued elsewhere: another queue's order
		const [r, g] = route.get(cid) || [null, null];
		const k = `${r}/${g}`;
		if (!byQueue.has(k)) byQueue.set(k, []);
		byQueue.get(k).push({ cid, qid, did: drained.get(cid) });
	}
	const waiting = new Set(query(`SELECT conversation_id FROM queue_entries WHERE tenant_id = ${tenantId}`).map(([c]) => c));
	let served = 0;
	for (const [k, list] of byQueue) {
		list.sort((x, y) => x.qid - y.qid);
		for (let i = 0; i < list.length; i++) {
			if (list[i].did !== undefined) served++;
			for (let j = i + 1; j < list.length; j++) {
				const a = list[i], b = list[j];
				if (b.did !== undefined && a.did !== undefined && b.did < a.did)
					problems.push(`queue ${k}: ${b.cid} queued after ${a.cid} but was served first`);
				if (b.did !== undefined && waiting.has(a.cid))
					problems.push(`queue ${k}: ${b.cid} served while ${a.cid}, ahead of it, still waits`);
			}
		}
	}
	return { problems, served, waiting };
}

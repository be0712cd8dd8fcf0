// tests/integration/visitor-geoip.test.mjs: country and city of visitors from the operator's MaxMind-format database
// (geoip_database, docs/visitor-insight.md#geoip): none without it; with a fixture written here (tests/lib/mmdb-write.mjs,
// checked with mmdblookup) mapping 127.0.0.0/8 to ZZ / Testville, a page view from 127.0.0.1 shows them.
//
// The stack's workers are restarted with KEFU_GEOIP_DATABASE (every key has a KEFU_<KEY> override) and put back
// afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { api, newTenant, newAgent, KEFU_URL, waitFor } from '../lib/kefu.mjs';
import { writeMmdb } from '../lib/mmdb-write.mjs';

const run = promisify(execFile);
let T, agent, ch, dir, fixture;
const built = /^#define HAVE_MAXMINDDB 1$/m.test(readFileSync(join(process.env.KEFU_BUILDDIR, 'config.h'), 'utf8'));

async function restart(env) {
	const e = { ...process.env };
	delete e.KEFU_GEOIP_DATABASE;
	await run(join(process.env.KEFU_SRCDIR, 'tools/stack'), ['restart-workers', process.env.KEFU_STATE], { env: { ...e, ...env } });
	await waitFor(async () => (await fetch(`${KEFU_URL}/healthz`).catch(() => null))?.status === 200, 30000);
}

// A visitor of ch with one page view; the agent's view of them.
async function viewed() {
	const r = await api('POST', `/api/v1/widget/channels/${ch.key}/visitors`, { body: {} });
	assert.equal(r.status, 201, r.text);
	const headers = { 'x-visitor-token': r.json.visitor_token };
	const p = await api('POST', '/api/v1/widget/visitors/me/pageviews', { headers, body: { url: 'https://geo.example/' } });
	assert.equal(p.status, 201, p.text);
	const g = await agent.get(`/api/v1/agent/visitors/${r.json.visitor_id}`);
	assert.equal(g.status, 200, g.text);
	const list = await agent.get('/api/v1/agent/visitors/live?limit=200');
	return { profile: g.json, item: list.json.items.find((x) => x.visitor_id === r.json.visitor_id) };
}

before(async () => {
	T = newTenant('geoip');
	agent = await newAgent(T, 'Geo Agent', 'online');
	const r = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name: 'Geo', allowed_origins: [], tracking: true } });
	assert.equal(r.status, 201, r.text);
	ch = r.json;
	dir = mkdtempSync(join(tmpdir(), 'kefu-geoip-'));
	fixture = join(dir, 'test-city.mmdb');
	writeMmdb(fixture, [
		{ network: '127.0.0.0/8', data: { country: { iso_code: 'ZZ' }, city: { names: { en: 'Testville' } } } },
		{ network: '10.213.0.0/24', data: { country: { iso_code: 'YY' } } },
	]);
});

after(async () => {
	await restart({});
	rmSync(dir, { recursive: true, force: true });
});

test('the fixture is a MaxMind DB as libmaxminddb reads it', async () => {
	const { stdout } = await run('mmdblookup', ['--file', fixture, '--ip', '127.0.0.1']);
	assert.match(stdout, /"iso_code":\s*"ZZ"/);
	assert.match(stdout, /"en":\s*"Testville"/);
	const ten = await run('mmdblookup', ['--file', fixture, '--ip', '10.213.0.4', 'country', 'iso_code']);
	assert.match(ten.stdout, /"YY"/);
	const none = await run('mmdblookup', ['--file', fixture, '--ip', '192.0.2.1']).catch((e) => e);
	assert.match(none.stdout + none.stderr, /Could not find an entry/);
});

test('without geoip_database no country or city is shown', async () => {
	const { profile, item } = await viewed();
	assert.equal(profile.country, undefined);
	assert.equal(profile.city, undefined);
	assert.equal(item.country, undefined);
	assert.equal(item.city, undefined);
	assert.equal(profile.address, '127.0.0.x'); // the rest is as before
});

test('with geoip_database naming the fixture, a page view from 127.0.0.1 shows country ZZ and city Testville', { skip: !built && 'built without libmaxminddb' }, async () => {
	await restart({ KEFU_GEOIP_DATABASE: fixture });
	const { profile, item } = await viewed();
	assert.equal(profile.country, 'ZZ');
	assert.equal(profile.city, 'Testville');
	assert.equal(item.country, 'ZZ');
	assert.equal(item.city, 'Testville');
});

test('a geoip_database that cannot be read stops the worker at start-up', { skip: !built && 'built without libmaxminddb' }, async () => {
	const bogus = join(dir, 'not-a-db.mmdb');
	const r = await run(join(process.env.KEFU_BUILDDIR, 'src/kefu.fcgi'), [], { env: { ...process.env, KEFU_GEOIP_DATABASE: bogus, KEFU_LISTEN: join(dir, 'w.sock') }, timeout: 10000 }).catch((x) => x);
	assert.equal(r.code, 1, `${r.stdout} ${r.stderr}`);
	assert.match(r.stderr, /geoip_database/);
});

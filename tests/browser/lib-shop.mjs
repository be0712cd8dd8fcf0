// tests/browser/lib-shop.mjs: what several browser suites set up alike (beyond tests/lib/browser.mjs): a shop of another origin than kefu embedding a channel's widget, and a channel a rule routes to a group.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, newAgent, newTenant } from '../lib/kefu.mjs';
import { hostSite, launch } from '../lib/browser.mjs';

/**
 * A test file's browser and tenant (prefix names it) and, given shop ({name, keepQuery}), its shopSite: before the
 * file's tests they are made and handed to ready({browser, T, shop}), which sets up the rest (in the same hook: node
 * does not wait for one before() hook of a file to end before it runs the next); after them they are closed.
 */
export function browserSuite(prefix, { shop } = {}, ready = () => {}) {
	const suite = {};
	before(async () => {
		suite.browser = await launch();
		suite.T = newTenant(prefix);
		if (shop) suite.shop = await shopSite(suite.T, shop.name, shop);
		await ready(suite);
	});
	after(async () => {
		await suite.browser?.close();
		suite.shop?.server.close();
	});
}

/**
 * A shop on another loopback origin than kefu (hostSite: the shop cannot touch the widget's storage), with a channel
 * of tenant T named name that allows the shop's origin, and the channel's embed snippet.
 * {server, url, pages, channel, snippet}: close server in an after() hook.
 */
export async function shopSite(T, name, { keepQuery = false } = {}) {
	const pages = new Map();
	const { server, url } = await hostSite(pages, { keepQuery });
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: { name, allowed_origins: [new URL(url).origin] } });
	assert.equal(ch.status, 201, ch.text);
	const embed = await api('GET', `/api/v1/admin/channels/${ch.json.id}/embed`, { key: T.apiKey });
	assert.equal(embed.status, 200, embed.text);
	return { server, url, pages, channel: ch.json, snippet: embed.json.html };
}

/** The shop's page at path: script in its head (what the page runs before the loader), main, then the embed snippet; resolves once the launcher shows. */
export async function shopPage(page, shop, path, script, main = '<h1>Shop</h1>') {
	shop.pages.set(`/${path}`, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
		<script>${script}</script></head>
		<body><main>${main}</main>${shop.snippet}</body></html>`);
	await page.goto(`${shop.url}/${path}`, { waitUntil: 'load' });
	await page.locator('#kefu-widget button').first().waitFor();
}

/**
 * Tenant T's channel (channel: its fields) routed by one rule (rule: its fields beyond the channel and the routing)
 * with no routes of its own to one group, named group, of new agents (agents: their names; newAgent, offline):
 * {channel, group, rule, agents}.
 */
export async function routedChannel(T, { channel, group, agents: names = [], rule }) {
	const agents = [];
	for (const name of names) agents.push(await newAgent(T, name));
	const ch = await api('POST', '/api/v1/admin/channels', { key: T.apiKey, body: channel });
	assert.equal(ch.status, 201, ch.text);
	const g = await api('POST', '/api/v1/admin/groups', {
		key: T.apiKey, body: { name: group, member_user_ids: agents.map((a) => a.id), member_department_ids: [] },
	});
	assert.equal(g.status, 201, g.text);
	const r = await api('POST', '/api/v1/admin/rules', {
		key: T.apiKey,
		body: { priority: 1, channel_ids: [ch.json.id], strategy: 'load', ...rule, routing: { mode: 'rules', routes: [], fallback_group_id: g.json.id } },
	});
	assert.equal(r.status, 201, r.text);
	return { channel: ch.json, group: g.json, rule: r.json, agents };
}

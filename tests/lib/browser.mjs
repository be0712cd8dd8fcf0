// tests/lib/browser.mjs: Debian's Chromium driven by playwright-core, one fresh context per test.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { KEFU_URL } from './kefu.mjs';

export const CHROMIUM = process.env.KEFU_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = resolve(process.env.KEFU_ARTIFACTS ||
	join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts'));

// No network but loopback here: the background-networking flags keep Chromium
// from trying Google's services; --no-sandbox because tests run as root.
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage'];

/**
 * A web site of the test's own on 127.0.0.1 to embed the widget in: pages maps a path (with its query when
 * keepQuery) to the HTML served there; anything else is a 404. {server, url}: close server in an after() hook.
 */
export async function hostSite(pages, { keepQuery = false } = {}) {
	const server = createServer((req, res) => {
		const html = pages.get(keepQuery ? req.url : req.url.split('?')[0]);
		res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
		res.end(html || 'not found');
	});
	await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
	return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** Launch a browser; close it in an after() hook. */
export function launch() {
	return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * A fresh context and page. Console errors and failed requests are collected
 * on page.kefuErrors so tests can assert a page loaded cleanly. Every page a
 * test opens is audited: page.goto(), page.reload() and page.waitForURL() run the axe-core
 * audit (see assertAccessible) once the page has loaded and throw on any
 * violation, so no suite can open a page without checking it (a page reached by a
 * click alone gets an explicit assertAccessible() in its test). The context
 * bypasses CSP because axe is injected as a script of its own.
 */
export async function newPage(browser, opts = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, ...opts });
	const page = await context.newPage();
	page.kefuErrors = [];
	page.on('pageerror', (e) => page.kefuErrors.push(`pageerror: ${e.message}`));
	page.on('console', (m) => { if (m.type() === 'error') page.kefuErrors.push(`console: ${m.text()}`); });
	page.on('requestfailed', (r) => page.kefuErrors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
	const goto = page.goto.bind(page);
	page.goto = async (url, o) => {
		const res = await goto(url, o);
		await page.waitForLoadState('load');
		await assertAccessible(page);
		return res;
	};
	const reload = page.reload.bind(page);
	page.reload = async (o) => {
		const res = await reload(o);
		await page.waitForLoadState('load');
		await assertAccessible(page);
		return res;
	};
	const waitForURL = page.waitForURL.bind(page);
	page.waitForURL = async (url, o) => {
		await waitForURL(url, o);
		await page.waitForLoadState('load');
		await assertAccessible(page);
	};
	return { context, page };
}

/** fn(page, context) on a new page (newPage(browser, opts)); the context is closed after it, whatever happened. */
export async function onPage(browser, opts, fn) {
	const { context, page } = await newPage(browser, opts);
	try {
		return await fn(page, context);
	} finally {
		await context.close();
	}
}

/** Sign in on the login page as tenant t's admin (newTenant); resolves once the console shows. */
export async function adminLogin(page, t) {
	await page.goto(`${KEFU_URL}/login`);
	await page.fill('input[name=login]', t.adminLogin);
	await page.fill('input[name=password]', t.adminPassword);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/console/);
}

/** Save a screenshot as tests/artifacts/<name>.png; returns the path. */
export async function shot(page, name) {
	mkdirSync(ARTIFACTS, { recursive: true });
	const path = join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * The axe-core accessibility audit of the page as it is now (WCAG 2.0/2.1 A and AA rules), in
 * the top document and in every frame that holds an HTML document (the widget runs in one): the
 * violations as "rule-id (help) [frame]: target, ..." lines, [] when clean. The page's context
 * needs bypassCSP: true (newPage sets it), since axe is injected as a script of its own.
 */
export async function axeViolations(page) {
	const require = createRequire(import.meta.url);
	const axePath = require.resolve('axe-core/axe.min.js');
	const found = [];
	for (const frame of page.frames()) {
		if (frame.isDetached() || !/^https?:/.test(frame.url())) continue;
		const isHtml = await frame.evaluate(() => document.contentType === 'text/html' ||
			document.contentType === 'application/xhtml+xml').catch(() => false);
		if (!isHtml) continue;
		const where = frame === page.mainFrame() ? '' : ` [frame ${frame.url()}]`;
		if (!(await frame.evaluate(() => !!window.axe))) await frame.addScriptTag({ path: axePath });
		found.push(...await frame.evaluate(async ([tags, where]) => {
			const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false });
			return r.violations.map((x) => `${x.id} (${x.help})${where}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
		}, [AXE_TAGS, where]));
	}
	return found;
}

/** Run the audit and throw, listing every violation, unless the page is clean. */
export async function assertAccessible(page, label = page.url()) {
	const v = await axeViolations(page);
	if (v.length)
		throw new Error(`axe-core (WCAG 2.1 A/AA) found ${v.length} violation(s) on ${label}:\n  ${v.join('\n  ')}`);
}

// tests/lib/browser.mjs: Debian's Chromium driven by playwright-core, one fresh context per test.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.KEFU_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = resolve(process.env.KEFU_ARTIFACTS ||
	join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts'));

// No network but loopback here: the background-networking flags keep Chromium
// from trying Google's services; --no-sandbox because tests run as root.
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage'];

/** Launch a browser; close it in an after() hook. */
export function launch() {
	return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * A fresh context and page. Console errors and failed requests are collected
 * on page.kefuErrors so tests can assert a page loaded cleanly.
 */
export async function newPage(browser, opts = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
	const page = await context.newPage();
	page.kefuErrors = [];
	page.on('pageerror', (e) => page.kefuErrors.push(`pageerror: ${e.message}`));
	page.on('console', (m) => { if (m.type() === 'error') page.kefuErrors.push(`console: ${m.text()}`); });
	page.on('requestfailed', (r) => page.kefuErrors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
	return { context, page };
}

/** Save a screenshot as tests/artifacts/<name>.png; returns the path. */
export async function shot(page, name) {
	mkdirSync(ARTIFACTS, { recursive: true });
	const path = join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

/**
 * The axe-core accessibility audit of the page as it is now (WCAG 2.x A and AA rules): the
 * violations as "rule-id: target, ..." lines, [] when clean. The page's context needs
 * bypassCSP: true, since axe is injected as a script of its own.
 */
export async function axeViolations(page) {
	const require = createRequire(import.meta.url);
	await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
	const found = await page.evaluate(async () => {
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
		return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	});
	return found;
}

// What the browser tests of lsu serve share: Debian's chromium driven by
// playwright-core (never a downloaded browser), a fresh profile per run, and
// the rule that any console error or page exception fails the test (a
// response whose status the test expects, such as a 403 page, is allowed
// its one "Failed to load resource" line).  Results as the suite's
// PASS/FAIL lines on stdout.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = process.env.LSU_SERVE_URL;
let failures = 0;

export function pass(what) { console.log(`PASS web ${what}`); }
export function fail(what) { failures++; console.log(`FAIL web ${what}`); }
export function check(ok, what, detail = '') { ok ? pass(what) : fail(detail ? `${what}: ${detail}` : what); }

// Launches chromium with the flags that work on a machine without network;
// `options` are the context's others ({ javaScriptEnabled: false }).
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'lsu-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { ctx, close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); } };
}

// A page whose console errors and exceptions are collected: page.allow(n)
// lets the next n "status of N" resource errors pass (expected statuses).
export async function watchedPage(ctx, name) {
  const page = await ctx.newPage();
  page.errors = [];
  page.allowed = 0;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (page.allowed > 0 && /Failed to load resource: the server responded with a status of (4\d\d)/.test(m.text())) {
      page.allowed--;
      return;
    }
    page.errors.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(`exception: ${e.message}`));
  page.allow = (n = 1) => { page.allowed += n; };
  page.finish = () => check(page.errors.length === 0, `${name}: no console error nor page exception`,
    page.errors.join(' | '));
  return page;
}

export async function login(page, user, password) {
  await page.goto(`${BASE}/connexion`);
  await page.getByLabel('Identifiant').fill(user);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState('load');
}

// Runs the test function, failing on a throw; exits 1 when anything failed.
export async function main(fn) {
  try {
    await fn();
  } catch (e) {
    fail(`exception in the test: ${e.stack || e}`);
  }
  process.exit(failures ? 1 : 0);
}

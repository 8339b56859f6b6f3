// What every browser test needs: a dakwacht server on a fresh SQLite file, the dakwacht command
// line against that file, a Chromium, and the axe-core check of a page.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BINARY = resolve(process.env.DAKWACHT_BIN ?? '../../target/debug/dakwacht');
export const PASSWORD = 'een lange zin als wachtwoord';

/** A dakwacht server on its own database, on a free port; `stop()` ends it and removes the files. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'dakwacht-browser-'));
  const database = join(dir, 'browser.db');
  const child = spawn(BINARY, ['--database', database, 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => { output += chunk; });
  const started = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`dakwacht did not start:\n${output}`)), 20000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const address = output.match(/runs at (http:\/\/[0-9.:]+)\//);
      const setup = output.match(/(http:\/\/[0-9.:]+\/setup\/\S+)/);
      if (address && setup) {
        clearTimeout(timer);
        ok({ base: address[1], setupLink: setup[1] });
      }
    });
    child.on('exit', (code) => fail(new Error(`dakwacht exited (${code}):\n${output}`)));
  });
  return {
    ...started,
    database,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((ok) => (child.exitCode !== null ? ok() : child.on('exit', ok)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, without the background traffic a closed network refuses. */
export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A fresh browser context (its own cookies). The CSP is bypassed only so that axe can be injected. */
export async function newPage(browser) {
  const context = await browser.newContext({ bypassCSP: true, locale: 'nl-NL' });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  return page;
}

/** Every rule of WCAG 2.0 and 2.1, levels A and AA: the page must have no violations. */
export async function expectAccessible(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const problems = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.deepEqual(problems, [], `${what} (${page.url()}) has accessibility violations`);
}

export async function signIn(page, base, username, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** The page passes axe at desktop width and at 390 px (a phone), where it fits the screen's
 *  width and has no text smaller than 12 px; kept as a screenshot of each width when
 *  SCREENSHOT_DIR is set. */
export async function checkPage(page, name) {
  await expectAccessible(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} is ${overflow}px wider than a 390px phone`);
  const small = await page.evaluate(() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode.textContent.trim();
      const element = walker.currentNode.parentElement;
      if (!text || !element || element.closest('script, style, [hidden], .dakwacht-visually-hidden')) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const size = parseFloat(style.fontSize);
      if (size < 12) found.push(`${size}px: ${text.slice(0, 40)}`);
    }
    // A chart's labels are drawn at the chart's scale.
    for (const label of document.querySelectorAll('svg text')) {
      const size = parseFloat(getComputedStyle(label).fontSize) * (label.getScreenCTM()?.a ?? 1);
      if (size < 12) found.push(`${size.toFixed(1)}px (chart): ${label.textContent.slice(0, 40)}`);
    }
    return found;
  });
  assert.deepEqual(small, [], `${name} has text smaller than 12 px at 390px`);
  await expectAccessible(page, `${name} at 390px`);
  if (process.env.SCREENSHOT_DIR) {
    const file = name.replace(/[^a-z0-9]+/gi, '-');
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${file}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${file}-desktop.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The page keeps dakwacht's header and a menu (an error page too). */
export async function expectHeaderAndMenu(page, name) {
  assert.ok(await page.locator('header').count() > 0, `${name} has the header`);
  assert.ok(await page.getByRole('navigation').count() > 0, `${name} has a menu`);
}

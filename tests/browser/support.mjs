// What every browser test needs: a dakwacht server on a fresh SQLite file, the dakwacht command
// line against that file, a Chromium, and the axe-core check of a page.

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
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

/** The TOTP code (RFC 6238: HMAC-SHA1, six digits, 30-second steps) of a base32 seed at a
 *  moment, as an authenticator app shows it. */
export function totp(seed, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...seed.replace(/[\s=]/g, '').toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const number = (((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16)
    | (mac[offset + 2] << 8) | mac[offset + 3]) % 1_000_000;
  return String(number).padStart(6, '0');
}

/** The second factors the tests set up: per account, its seed and unused recovery codes. */
export const secondFactors = new Map();

/** On the page that sets up an app: reads the seed, types the code of now, keeps the recovery
 *  codes shown once; stays on the page that shows them. */
export async function setUpApp(page, username) {
  const seed = (await page.locator('#secret').textContent()).replace(/\s/g, '');
  await page.getByLabel('Code uit de app').fill(totp(seed));
  await page.getByRole('button', { name: 'Instellen' }).click();
  await page.getByRole('heading', { name: 'Uw herstelcodes' }).waitFor();
  const codes = await page.locator('.dakwacht-recovery-codes code').allTextContents();
  secondFactors.set(username, { seed, codes });
  return { seed, codes };
}

/** Signs in through the form. An account that needs a second factor sets up its app the first
 *  time (the seed and recovery codes are kept in `secondFactors`) and gives an unused recovery
 *  code later, so that two sign-ins within one 30-second step both work. */
export async function signIn(page, base, username, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  // A form's answer, whatever it is (a wrong password stays at /login), is a navigation.
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen' }).click()]);
  const path = new URL(page.url()).pathname;
  if (path === '/account/second-factor') {
    await setUpApp(page, username);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Verder naar dakwacht' }).click()]);
  } else if (path === '/login/code') {
    const factor = secondFactors.get(username);
    assert.ok(factor, `no second factor kept for ${username}`);
    await page.getByLabel('Code', { exact: true }).fill(factor.codes.shift());
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen' }).click()]);
  }
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

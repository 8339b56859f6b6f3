// Signing in with a second factor (ASVS 5.0 level 2): an authenticator app set up at the first
// sign-in of a coordinator, its code and a recovery code at the next ones, a professional who
// sets one up by choice, a user who ends an own session elsewhere, and an administrator who ends
// a user's sessions or everybody's. Every new page is checked at desktop width and at 390 px (axe, width, text
// size; screenshots with SCREENSHOT_DIR).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  BINARY, PASSWORD, checkPage, newPage, setUpApp, signIn, startBrowser, startServer, totp,
} from './support.mjs';

let server;
let browser;
const ORG = 'Straatalliantie';

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const cli = (args, input) => execFileSync(BINARY, ['--database', server.database, ...args], { input });
  cli(['organisation', 'add', ORG]);
  for (const [name, role, organisation] of [
    ['beheer', 'admin', null],
    ['coordinator', 'coordinator', ORG],
    ['pro', 'professional', ORG],
    ['collega', 'professional', ORG],
  ]) {
    const where = organisation ? ['--organisation', organisation] : [];
    cli(['user', 'add', '--role', role, ...where, '--password-stdin', name], `${PASSWORD}\n`);
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function typePassword(page, username) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen' }).click()]);
}

async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Uitloggen' }).click()]);
}

test('a coordinator sets up an authenticator app at the first sign-in, then signs in with its code or a recovery code', async () => {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await typePassword(page, 'coordinator');
  assert.equal(new URL(page.url()).pathname, '/account/second-factor');
  await page.getByText('moet inloggen met een tweede factor').waitFor();
  const qr = page.getByRole('img', { name: /QR-code om dakwacht/ });
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
  await checkPage(page, 'set up a second factor');

  // Nothing else opens before the app is set up.
  await page.goto(`${server.base}/cases`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.goBack();
  await page.goto(`${server.base}/account/second-factor`);
  await page.getByLabel('Code uit de app').fill('000000');
  await page.getByRole('button', { name: 'Instellen' }).click();
  await page.getByRole('alert').getByText('Deze code klopt niet').waitFor();
  await checkPage(page, 'set up a second factor, wrong code');

  const { seed, codes } = await setUpApp(page, 'coordinator');
  assert.equal(codes.length, 10);
  await checkPage(page, 'the recovery codes, shown once');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Verder naar dakwacht' }).click()]);
  assert.notEqual(new URL(page.url()).pathname, '/login');
  await signOut(page);

  // The next time: the password, then the code of the app (the next step: the one it was set
  // up with is used).
  await typePassword(page, 'coordinator');
  assert.equal(new URL(page.url()).pathname, '/login/code');
  await checkPage(page, 'the code after the password');
  await page.getByLabel('Code', { exact: true }).fill('123456');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('alert').getByText('Deze code klopt niet').waitFor();
  await checkPage(page, 'the code after the password, wrong code');
  await page.getByLabel('Code', { exact: true }).fill(totp(seed, Date.now() + 30_000));
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen' }).click()]);
  assert.notEqual(new URL(page.url()).pathname, '/login/code');
  await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
  await signOut(page);

  // A lost phone: a recovery code, once.
  await typePassword(page, 'coordinator');
  await page.getByLabel('Code', { exact: true }).fill(codes[0]);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen' }).click()]);
  await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
  await signOut(page);
  await typePassword(page, 'coordinator');
  await page.getByLabel('Code', { exact: true }).fill(codes[0]);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('alert').getByText('Deze code klopt niet').waitFor();
  await page.context().close();
});

test('a professional sets up an app by choice, proving the password again', async () => {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, server.base, 'pro');
  await page.getByRole('link', { name: 'Tweede factor' }).click();
  await page.getByLabel('Huidig wachtwoord').waitFor();
  await checkPage(page, 'set up a second factor by choice');
  await page.getByLabel('Huidig wachtwoord').fill(PASSWORD);
  await setUpApp(page, 'pro');
  await page.context().close();
});

test('a professional sees where the account is signed in and ends another session', async () => {
  const laptop = await newPage(browser);
  await signIn(laptop, server.base, 'collega');
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, server.base, 'collega');
  await page.getByRole('link', { name: 'Sessies' }).click();
  await page.getByRole('heading', { name: 'Waar u bent ingelogd' }).waitFor();
  const rows = page.getByRole('table', { name: 'Sessies van uw account' }).getByRole('row');
  assert.equal(await rows.count(), 3, 'a header row and two browsers');
  await page.getByText('Deze sessie').waitFor();
  await checkPage(page, 'own sessions');

  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: /^Browser van .* beëindigen$/ }).click(),
  ]);
  await page.getByRole('status').getByText('1 sessie beëindigd.').waitFor();
  assert.equal(await rows.count(), 2, 'this session is left');
  await checkPage(page, 'own sessions, one ended');
  await laptop.goto(`${server.base}/cases`);
  assert.equal(new URL(laptop.url()).pathname, '/login', 'the other browser is signed out');
  await page.goto(`${server.base}/cases`);
  assert.equal(new URL(page.url()).pathname, '/cases', 'this one is not');
  await page.context().close();
  await laptop.context().close();
});

test('an administrator ends a user\'s sessions and sees who has a second factor', async () => {
  const colleague = await newPage(browser);
  await signIn(colleague, server.base, 'collega');
  await colleague.goto(`${server.base}/cases`);
  assert.equal(new URL(colleague.url()).pathname, '/cases');

  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, server.base, 'beheer');
  await page.goto(`${server.base}/admin/users`);
  await page.getByRole('button', { name: 'Alle sessies van collega beëindigen' }).click();
  await page.getByText('Alle sessies van collega zijn beëindigd').waitFor();
  await checkPage(page, 'accounts, sessions ended');
  await colleague.goto(`${server.base}/cases`);
  assert.equal(new URL(colleague.url()).pathname, '/login', 'the colleague is signed out');

  await page.goto(`${server.base}/admin/organisations`);
  await page.getByText(`${ORG}: professionals kiezen zelf`).waitFor();
  await page.getByRole('button', { name: `Verplicht maken voor ${ORG}` }).click();
  await page.getByText(`${ORG}: professionals moeten een tweede factor gebruiken`).waitFor();
  await checkPage(page, 'organisations with the second factor choice');

  await page.goto(`${server.base}/admin/users/coordinator/second-factor`);
  await checkPage(page, 'take a second factor away, asked first');

  // Everybody signs in again, but the administrator asking.
  await signIn(colleague, server.base, 'collega');
  await colleague.goto(`${server.base}/cases`);
  assert.equal(new URL(colleague.url()).pathname, '/cases');
  await page.goto(`${server.base}/admin/users`);
  await page.getByRole('link', { name: 'Alle sessies beëindigen…' }).click();
  await page.getByRole('heading', { name: 'Alle sessies beëindigen' }).waitFor();
  await checkPage(page, 'end every session, asked first');
  await page.getByRole('button', { name: 'Ja, alle sessies beëindigen' }).click();
  await page.getByText('Alle sessies zijn beëindigd, behalve de uwe').waitFor();
  await checkPage(page, 'accounts, every session ended');
  await colleague.goto(`${server.base}/cases`);
  assert.equal(new URL(colleague.url()).pathname, '/login', 'the colleague is signed out');
  await page.goto(`${server.base}/admin/users`);
  assert.equal(new URL(page.url()).pathname, '/admin/users', 'the administrator is not');
  await page.context().close();
  await colleague.context().close();
});

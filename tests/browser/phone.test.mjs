// Every page of dakwacht, for each role that opens it, on a 390 px phone and at desktop width:
// axe clean at both, nothing wider than the phone, no text smaller than 12 px, and error pages
// with the header and the menu. With SCREENSHOT_DIR set, a screenshot of each page at each width.

import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BINARY, PASSWORD, checkPage, expectHeaderAndMenu, newPage, signIn, startBrowser, startServer,
} from './support.mjs';

let server;
let browser;
const QUICKSCAN = resolve('../../crates/cli/demo/quickscan-2025.csv');
const ORG = 'Straatalliantie';

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const cli = (args, input) => execFileSync(BINARY, ['--database', server.database, ...args], { input });
  // The children of QS-11, the case page checked below: a card per child, one with a record.
  const children = join(tmpdir(), `dakwacht-phone-children-${process.pid}.csv`);
  writeFileSync(children, 'case_ref,organisation,child_no,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care\n'
    + `QS-11,${ORG},1,foster_care,yes,missing_school,35,yes,municipality,no,yes\n`);
  cli(['import', QUICKSCAN, '--children', children]);
  for (const [name, role, organisation] of [
    ['beheer', 'admin', null],
    ['coordinator', 'coordinator', ORG],
    ['pro', 'professional', ORG],
    ['collega', 'professional', ORG],
    ['onderzoek', 'researcher', null],
  ]) {
    const where = organisation ? ['--organisation', organisation] : [];
    cli(['user', 'add', '--role', role, ...where, '--password-stdin', name], `${PASSWORD}\n`);
  }
  cli(['user', 'disable', 'collega']);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in as `username` (or no one) and checks each page; `errors` are pages that answer
 *  with an error, which keep the header and the menu. */
async function checkPages(username, pages, errors = []) {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  if (username) {
    await signIn(page, server.base, username);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }
  for (const [name, path] of pages) {
    await page.goto(`${server.base}${path}`);
    await checkPage(page, `${username ?? 'anyone'} ${name}`);
  }
  for (const [name, path] of errors) {
    await page.goto(`${server.base}${path}`);
    if (username) await expectHeaderAndMenu(page, name);
    await checkPage(page, `${username ?? 'anyone'} ${name}`);
  }
  await page.context().close();
}

test('the pages anyone opens fit a phone', async () => {
  await checkPages(null, [
    ['sign in', '/login'],
    ['an activation link that does not work', '/activate/no-such-link'],
  ]);
});

test("a professional's pages fit a phone", async () => {
  await checkPages('pro', [
    ['case list', '/cases'],
    ['case list filtered', '/cases?q=QS-1&out_of_view=yes'],
    ['case page', `/cases/${ORG}/QS-11`],
    ['case form', `/cases/${ORG}/QS-11/edit`],
    ['new case', '/cases/new'],
    ['follow-up list', '/follow-up'],
    ['import', '/import'],
    ['own password', '/account/password'],
    ['dashboard', '/dashboard'],
  ], [
    ['a case that does not exist', `/cases/${ORG}/NIET-BESTAAND`],
    ['a page that does not exist', '/nergens'],
    ['the accounts, not for a professional', '/admin/users'],
  ]);
});

test("a coordinator's pages fit a phone", async () => {
  await checkPages('coordinator', [
    ['accounts', '/admin/users'],
    ['reset question', '/admin/users/pro/reset'],
    ['enable question', '/admin/users/collega/enable'],
    ['follow-up list', '/follow-up'],
  ]);
});

test("a researcher's and an administrator's pages fit a phone", async () => {
  await checkPages('onderzoek', [['dashboard', '/dashboard']], [
    ['the case list, not for a researcher', '/cases'],
  ]);
  await checkPages('beheer', [
    ['accounts', '/admin/users'],
    ['organisations', '/admin/organisations'],
    ['audit log', '/admin/audit'],
  ]);
});

// Children as persons, in a real browser: a professional registers a family with two children,
// fills in the record of one, weighs the interest of the other in a best-interest assessment over
// two visits (signed out in between), and sees the family's signal change with it. Every page
// must pass axe-core at desktop width and at 390 px (a phone).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BINARY, PASSWORD, checkPage, newPage, signIn, startBrowser, startServer,
} from './support.mjs';

let server;
let browser;
const QUICKSCAN = resolve('../../crates/cli/demo/quickscan-2025.csv');

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const cli = (args, input) => execFileSync(BINARY, ['--database', server.database, ...args], { input });
  cli(['import', QUICKSCAN]);
  cli(['user', 'add', '--role', 'professional', '--organisation', 'Straatalliantie', '--password-stdin', 'pro'],
    `${PASSWORD}\n`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const NOT_WEIGHED = 'Belang van het kind niet afgewogen';

test('a family with two children: a record for one, an assessment for the other over two visits, the signal changes', async () => {
  let page = await newPage(browser);
  await signIn(page, server.base, 'pro');
  await page.waitForURL(`${server.base}/cases`);

  // The family: two children (4 and 9); nobody weighed their interest, the family's record says.
  await page.getByRole('link', { name: 'Nieuwe casus' }).click();
  await page.locator('#case_ref').fill('GZ-1');
  await page.locator('#reported_on').fill('2025-06-02');
  await page.locator('#children_count').fill('2');
  await page.locator('#children_ages').fill('4;9');
  await page.locator('#home_lost_on').fill('2025-03-15');
  await page.locator('#route').selectOption('court_eviction');
  await page.locator('#best_interest_weighed').selectOption('no');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('heading', { name: 'Casus GZ-1' }).waitFor();
  await page.getByRole('heading', { name: NOT_WEIGHED }).waitFor();
  const casePage = page.url();

  // Child 2's record: heard, and its interest weighed (by the municipality, outside dakwacht).
  await page.getByRole('link', { name: 'Gegevens van dit kind invullen of aanpassen' }).nth(1).click();
  await page.getByRole('heading', { name: 'Gegevens van een kind' }).waitFor();
  await checkPage(page, 'the child form');
  await page.locator('#age').fill('8');
  await page.getByRole('group', { name: 'Kind gehoord' }).getByLabel('ja').check();
  await page.getByRole('group', { name: 'Belang van het kind afgewogen' }).getByLabel('ja').check();
  await page.locator('#school').selectOption('attends_same');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  // Not the age the family's record gives: the error at the field, nothing lost.
  await page.getByText('Het formulier heeft 1 fout.').waitFor();
  assert.equal(await page.locator('#age').getAttribute('aria-invalid'), 'true');
  await checkPage(page, 'the child form with an error');
  await page.locator('#age').fill('9');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.waitForURL(/GZ-1#kind-2$/);
  // Child 1 has no record that says it: the family's field still speaks for it.
  await page.getByRole('heading', { name: NOT_WEIGHED }).waitFor();

  // First visit: the assessment of child 1 for the eviction, step 1 partly filled in.
  await page.getByRole('link', { name: 'Belangenafweging starten' }).first().click();
  await checkPage(page, 'the assessment start');
  await page.getByLabel('uitzetting (door verhuurder of rechter)').check();
  await page.getByRole('button', { name: 'Starten' }).click();
  await page.getByRole('heading', { name: 'Stap 1: Belang van het kind' }).waitFor();
  await page.locator('#identity-text').fill('Spreekt Nederlands en Pools; gaat naar de peuterspeelzaal.');
  await page.locator('#child_view-text').fill('Gesproken op 3 juni met tekeningen: "ik wil bij mama blijven".');
  await checkPage(page, 'assessment step 1');
  await page.getByRole('button', { name: 'Opslaan en verder' }).click();
  await page.getByRole('heading', { name: 'Stap 2: Andere belangen' }).waitFor();
  await page.getByRole('button', { name: 'Uitloggen' }).click();

  // Second visit, another day: on from where it was left.
  page = await newPage(browser);
  await signIn(page, server.base, 'pro');
  await page.waitForURL(`${server.base}/cases`);
  await page.goto(casePage);
  await page.getByRole('link', { name: /uitzetting \(door verhuurder of rechter\) \(concept: 0 van 4/ }).click();
  await checkPage(page, 'the draft assessment');
  await page.getByRole('link', { name: 'Belang van het kind', exact: true }).click();
  assert.match(await page.locator('#identity-text').inputValue(), /Nederlands en Pools/);
  for (const [element, text] of [
    ['family_environment', 'Beide ouders; oma in dezelfde wijk.'],
    ['care_safety', 'Veilig bij de ouders.'],
    ['vulnerability', 'Geen bijzonderheden bekend.'],
    ['education', 'Peuterspeelzaal in de wijk.'],
  ]) {
    await page.locator(`#${element}-text`).fill(text);
  }
  await page.locator('#health-kind-not_known').check();
  await page.locator('#health-text').fill('Huisarts nog niet bereikt.');
  await page.getByRole('button', { name: 'Opslaan en verder' }).click();

  await page.getByRole('heading', { name: 'Stap 2: Andere belangen' }).waitFor();
  await page.locator('#other-1-holder').selectOption('landlord');
  await page.locator('#other-1-what').fill('Huurachterstand van zes maanden.');
  await checkPage(page, 'assessment step 2');
  await page.getByRole('button', { name: 'Opslaan en verder' }).click();

  await page.getByRole('heading', { name: 'Stap 3: Afweging' }).waitFor();
  // Another interest prevailed without saying why: refused, the error at its field.
  await page.getByLabel('een ander belang').check();
  await page.getByRole('button', { name: 'Opslaan en verder' }).click();
  await page.locator('#reasons-error').getByText('Het belang van het kind gaat voor.').waitFor();
  assert.equal(await page.locator('#reasons').getAttribute('aria-invalid'), 'true');
  await checkPage(page, 'assessment step 3 with an error');
  await page.getByLabel('het belang van het kind').check();
  await page.locator('#reasons').fill('Uitstel van de ontruiming tot er passende woonruimte is.');
  await page.getByRole('button', { name: 'Opslaan en verder' }).click();

  await page.getByRole('heading', { name: 'Stap 4: Uitleg aan het kind' }).waitFor();
  await page.locator('#how_and_when').fill('Op 10 juni thuis, met een prentenboek.');
  await page.locator('#by').fill('Maatschappelijk werker');
  await page.locator('#if_disagreeing').fill('De Kinderombudsman bellen (gratis).');
  await checkPage(page, 'assessment step 4');
  await page.getByRole('button', { name: 'Opslaan' }).click();

  // Complete: the summary, to print on one page.
  await page.getByRole('heading', { name: 'Afweging van het belang van het kind' }).waitFor();
  await page.getByText('compleet').first().waitFor();
  await checkPage(page, 'the complete assessment');
  await page.emulateMedia({ media: 'print' });
  const printed = await page.pdf({ format: 'A4', path: process.env.SCREENSHOT_DIR ? `${process.env.SCREENSHOT_DIR}/assessment.pdf` : undefined });
  await page.emulateMedia({ media: 'screen' });
  const pages = (printed.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
  assert.equal(pages, 1, 'the summary prints on one page');

  // The signal changed: every child's interest is now weighed, by its record or the assessment;
  // the family's own field says otherwise, and the page says so.
  await page.goto(casePage);
  await page.getByRole('heading', { name: 'Gezinsgegevens en kinddossiers spreken elkaar tegen' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: NOT_WEIGHED }).count(), 0, 'the signal is gone');
  await page.getByText('uitzetting (door verhuurder of rechter) (compleet)').waitFor();
  await page.getByText('Belangenafweging van kind 1 compleet').waitFor();
  await checkPage(page, 'the case page with the children');
});

test('a cases file with its children file: checked together in the import, then stored together', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dakwacht-children-'));
  const cases = join(dir, 'gezinnen.csv');
  const children = join(dir, 'kinderen.csv');
  writeFileSync(cases, 'case_ref,organisation,reported_on,children_count,children_ages\n'
    + 'KB-1,Straatalliantie,2025-06-02,2,6;11\n');
  const header = 'case_ref,organisation,child_no,age,stays_with,separated,school,heard\n';
  // Child 2 is 11 in the cases file: an age 12 in the children file does not fit.
  writeFileSync(children, `${header}KB-1,Straatalliantie,1,6,one_parent,no,attends_same,no\n`
    + 'KB-1,Straatalliantie,2,12,other_family,yes,missing_school,no\n');

  const page = await newPage(browser);
  await signIn(page, server.base, 'pro');
  await page.waitForURL(`${server.base}/cases`);
  await page.goto(`${server.base}/import`);
  await checkPage(page, 'the import form with its children file');
  await page.getByLabel('Bestand (CSV of XLSX)').setInputFiles(cases);
  await page.getByLabel('Kinderbestand (CSV, mag leeg blijven)').setInputFiles(children);
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByRole('cell', { name: 'kinderen.csv' }).waitFor();
  await page.getByRole('cell', { name: 'age', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Er is niets opgeslagen: 1 fout in gezinnen.csv + kinderen.csv' }).waitFor();
  await checkPage(page, 'the import with a problem in the children file');

  writeFileSync(children, `${header}KB-1,Straatalliantie,1,6,one_parent,no,attends_same,no\n`
    + 'KB-1,Straatalliantie,2,11,other_family,yes,missing_school,no\n');
  await page.getByLabel('Bestand (CSV of XLSX)').setInputFiles(cases);
  await page.getByLabel('Kinderbestand (CSV, mag leeg blijven)').setInputFiles(children);
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByText('In kinderen.csv staan 2 kinderen zonder fouten.').waitFor();
  await checkPage(page, 'the import preview with children');
  await page.getByRole('button', { name: 'De casus opslaan' }).click();
  await page.getByText('Kinderen uit kinderen.csv: 2 nieuw').waitFor();
  await checkPage(page, 'the import stored with children');

  // The separated child shows on the family's page with its signal.
  await page.goto(`${server.base}/cases/Straatalliantie/KB-1`);
  await page.getByRole('heading', { name: 'Kind 2 (11 jaar)' }).waitFor();
  await page.getByText('kind 2 (11 jaar)').first().waitFor();
});

// A professional's day with the families of the 2025 quickscan, in a real browser: an old export
// imported again after an edit (the preview warns and shows the differences), news of a stay
// that rehouses a family, a family assigned to oneself and found under "mijn gezinnen", a stay
// recorded by mistake taken back, an eviction registered for next month, the case summary printed, a case closed. Every page must pass axe-core,
// at desktop width and at 390 px (a phone), where nothing may be wider than the screen.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
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

/** A date written the Dutch way, `3-4-2026`. */
function dutch(date) {
  return `${date.getDate()}-${date.getMonth() + 1}-${date.getFullYear()}`;
}

test('a professional imports, is warned about an old file, records news, follows up and prints', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dakwacht-casework-'));
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, server.base, 'pro');
  await page.waitForURL(`${server.base}/cases`);

  // An export of two families, taken before an edit.
  const old = join(dir, 'oude-export.csv');
  writeFileSync(old, 'case_ref,organisation,reported_on,children_count,tenancy\n'
    + 'QS-06,Straatalliantie,2025-04-25,1,corporation\n'
    + 'QS-16,Straatalliantie,2025-05-03,1,corporation\n');
  await page.goto(`${server.base}/cases/Straatalliantie/QS-06/edit`);
  await page.getByLabel('Aantal minderjarige kinderen').fill('3');
  await page.getByLabel('Leeftijden van de kinderen').fill('');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.waitForURL(`${server.base}/cases/Straatalliantie/QS-06`);

  // Imported again: the preview warns, shows the differences and asks what to do.
  await page.goto(`${server.base}/import`);
  await page.getByLabel('Bestand (CSV of XLSX)').setInputFiles(old);
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByRole('heading', { name: '1 casus is nieuwer dan dit bestand' }).waitFor();
  const differences = page.getByRole('table', { name: /QS-06: gewijzigd door pro/ });
  assert.match(await differences.innerText(), /Aantal minderjarige kinderen\s+3\s+1/);
  assert.match(await page.getByRole('table', { name: 'QS-16' }).innerText(),
    /Soort verhuur\s+particuliere verhuurder\s+woningcorporatie/);
  await checkPage(page, 'import preview with a newer case');
  await page.getByLabel('Laten zoals ze zijn: deze regels van het bestand overslaan').check();
  await page.getByRole('button', { name: 'Alle 2 casussen opslaan' }).click();
  await page.getByText('1 casus die nieuwer was dan het bestand bleef zoals hij was.').waitFor();

  // News: the family of QS-11, out of view, has a home again.
  const today = new Date();
  await page.goto(`${server.base}/follow-up`);
  await page.getByRole('link', { name: 'QS-11', exact: true }).waitFor();
  await page.goto(`${server.base}/cases/Straatalliantie/QS-11`);
  await page.getByLabel('Datum', { exact: true }).first().fill(dutch(today));
  await page.getByLabel('Verbleef in').selectOption('housed');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.waitForURL(`${server.base}/cases/Straatalliantie/QS-11`);
  await page.getByRole('cell', { name: 'eigen, passende woning' }).first().waitFor();
  await page.goto(`${server.base}/follow-up`);
  await page.getByRole('link', { name: 'QS-11', exact: true }).waitFor({ state: 'detached' });

  // Mine: QS-16 assigned to myself, found under "Alleen mijn gezinnen".
  await page.goto(`${server.base}/cases/Straatalliantie/QS-16`);
  await page.getByLabel('Gevolgd door').selectOption('pro');
  await page.getByRole('button', { name: 'Toewijzen' }).click();
  await page.getByText('Dit gezin wordt gevolgd door pro.').waitFor();

  // A stay recorded by mistake is taken back: asked first, then gone from the timeline, but kept
  // in the history.
  await page.getByLabel('Datum', { exact: true }).first().fill(dutch(today));
  await page.getByLabel('Verbleef in').selectOption('tent');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.waitForURL(`${server.base}/cases/Straatalliantie/QS-16`);
  await page.getByRole('link', { name: /^Verwijderen verblijf van/ }).click();
  await page.getByRole('heading', { name: 'Verblijf verwijderen?' }).waitFor();
  await checkPage(page, 'stay removal question');
  await page.getByRole('button', { name: 'Verblijf verwijderen' }).click();
  await page.getByText(/^Het verblijf is verwijderd\./).waitFor();
  assert.equal(await page.getByRole('link', { name: /^Verwijderen verblijf van/ }).count(), 0);
  assert.match(await page.getByRole('table', { name: /Wie wat veranderde/ }).innerText(),
    /Verblijf verwijderd: .*tent/);
  await checkPage(page, 'case page after a stay was removed');

  // An eviction next month for QS-21, which has fresh news and so is off the list.
  await page.goto(`${server.base}/cases/Straatalliantie/QS-21`);
  await page.getByLabel('Datum', { exact: true }).first().fill(dutch(today));
  await page.getByLabel('Verbleef in').selectOption('social_network');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.waitForURL(`${server.base}/cases/Straatalliantie/QS-21`);
  const nextMonth = new Date(today.getFullYear(), today.getMonth() + 1, today.getDate());
  await page.getByLabel('Datum van een komende ontruiming').fill(dutch(nextMonth));
  await page.getByRole('button', { name: 'Ontruimingsdatum opslaan' }).click();
  await page.getByText('Ontruiming gepland op').waitFor();
  await checkPage(page, 'case page');

  await page.goto(`${server.base}/follow-up`);
  const evicted = page.getByRole('row', { name: /QS-21/ });
  assert.match(await evicted.innerText(), /Ontruiming op/);
  await page.getByLabel('Alleen mijn gezinnen').check();
  await page.getByRole('button', { name: 'Tonen' }).click();
  await page.waitForURL(/mine=1/);
  await page.getByRole('link', { name: 'QS-16', exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'QS-21', exact: true }).count(), 0);
  await checkPage(page, 'follow-up list, mine');

  // The case summary on paper: the print layout, as the browser makes a PDF of it.
  await page.goto(`${server.base}/cases/Straatalliantie/QS-21`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('form').first().isVisible(), false, 'no forms on paper');
  assert.equal(await page.getByRole('link', { name: 'Casus bewerken' }).isVisible(), false, 'no links to edit');
  assert.equal(await page.getByText('Casus sluiten').first().isVisible(), false, 'nothing to close');
  const pdf = join(process.env.SCREENSHOT_DIR ?? dir, 'casus-QS-21.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  assert.ok(statSync(pdf).size > 10_000, 'a printed summary');
  await page.emulateMedia({ media: 'screen' });

  // The family of QS-11 has a home: the case is closed, and leaves the follow-up list.
  await page.goto(`${server.base}/cases/Straatalliantie/QS-11`);
  await page.getByText('Casus sluiten', { exact: true }).first().click();
  await page.getByLabel('Reden').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Casus sluiten' }).click();
  await page.getByText(/Gesloten op/).waitFor();
  assert.match(await page.getByRole('table', { name: /Wie wat veranderde/ }).innerText(), /casus gesloten/);
  await checkPage(page, 'closed case');

  await page.context().close();
});

test('a letter for a case: chosen by its signals, checked, made as DOCX and in its history', async () => {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, server.base, 'pro');
  await page.waitForURL(`${server.base}/cases`);
  await page.goto(`${server.base}/cases/Straatalliantie/QS-01`);
  await page.getByRole('link', { name: 'Brieven', exact: true }).click();
  await page.getByRole('heading', { name: 'Brieven bij de signalen van deze casus' }).waitFor();
  await checkPage(page, 'case letters');
  await page.getByRole('link', { name: 'Brief aan de gemeente: vraag om opvang voor het gezin' }).click();
  assert.equal(await page.getByLabel('Gemeente').inputValue(), 'Amsterdam');
  assert.equal(await page.getByLabel('Aantal minderjarige kinderen').inputValue(), '2');
  await page.getByLabel('Naam van de afzender').fill('A. de Vries 🏠');
  await checkPage(page, 'case letter details');
  await page.getByRole('button', { name: 'Naar de tekst van de brief' }).click();
  const body = page.getByLabel('Tekst', { exact: true });
  assert.ok((await body.inputValue()).includes('Geacht college van burgemeester en wethouders van Amsterdam,'));
  // The PDF's font has no 🏠: the writer is told before making it.
  const note = await page.locator('#letter-not-in-pdf').textContent();
  assert.ok(note.includes('vraagteken') && note.includes('🏠 (U+1F3E0)'), note);
  await checkPage(page, 'case letter text');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Word-bestand (DOCX) maken' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^shelter_request-.*\.docx$/);
  assert.ok(statSync(await download.path()).size > 1000);
  await page.goto(`${server.base}/cases/Straatalliantie/QS-01/letters`);
  await page.getByText('Brief aan de gemeente: vraag om opvang voor het gezin (DOCX)').click();
  assert.ok((await page.locator('main').textContent()).includes('Geacht college van burgemeester'));
  await checkPage(page, 'case letters made');
  await page.context().close();
});

// The rights check at /rechtencheck, as three families answer it in Chromium: no account, one
// question a screen, the expected rights and where to get help at the end; the same with
// JavaScript off; every screen axe clean at desktop width and on a 390 px phone.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, newPage, startBrowser, startServer } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Answers each question the check asks with the label the family would choose, in order;
 *  gives the questions' texts as asked. */
async function answer(page, family) {
  await page.goto(`${server.base}/rechtencheck`);
  const asked = [];
  for (const [question, choice] of family) {
    const legend = await page.locator('.dakwacht-question').first().textContent();
    assert.ok(legend.includes(question), `expected "${question}", the page asks "${legend}"`);
    asked.push(legend.trim());
    if (choice.date) {
      await page.getByLabel(question).fill(choice.date);
    } else {
      await page.getByRole('radio', { name: choice, exact: true }).check();
    }
    await page.getByRole('button', { name: 'Volgende' }).click();
  }
  return asked;
}

async function result(page) {
  await page.getByRole('heading', { name: 'Uw rechten' }).waitFor();
  return page.locator('main').textContent();
}

test('a family put out without a court, with two children', async () => {
  const page = await newPage(browser);
  await answer(page, [
    ['Heeft een rechter', 'Nee'],
    ['sloten veranderd', 'Ja'],
    ['hulp van een advocaat', 'Nee'],
    ['Waar slapen u en de kinderen nu?', 'Bij familie of vrienden'],
    ['geen opvang krijgt', 'Nee'],
    ['eigen school', 'Nee'],
  ]);
  const text = await result(page);
  for (const right of ['Uit huis gezet zonder rechter', 'Dakloos na verlies van de woning',
    'Geen juridische hulp', 'Schoolgang van de kinderen verstoord', 'Het Juridisch Loket']) {
    assert.ok(text.includes(right), right);
  }
  assert.ok(text.indexOf('Uit huis gezet zonder rechter') < text.indexOf('Geen juridische hulp'),
    'high before medium');
  // The steps as the family reads them.
  for (const step of ['Zoek direct juridische hulp', 'Bel Het Juridisch Loket. Dan betaalt u minder voor een advocaat.',
    'Vraag de gemeente om opvang of een woning voor het hele gezin.']) {
    assert.ok(text.includes(step), step);
  }
  for (const letter of ['Brief aan de verhuurder: geen ontruiming zonder rechter',
    'Brief aan de gemeente: vraag om opvang voor het gezin',
    'Brief aan de gemeente: vraag om een briefadres']) {
    assert.ok(text.includes(letter), letter);
  }
  assert.ok(!text.includes('ik ga niet akkoord met de opzegging'));
  await checkPage(page, 'rights check result');
  await page.context().close();
});

test('a notice to quit not yet accepted', async () => {
  const page = await newPage(browser);
  await answer(page, [
    ['Heeft een rechter', 'Nee'],
    ['sloten veranderd', 'Nee'],
    ['gevraagd of gezegd dat u weg moet', 'Ja'],
  ]);
  await checkPage(page, 'rights check question');
  await page.getByRole('radio', { name: 'Ja', exact: true }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('radio', { name: 'Nog in ons eigen huis' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  for (const choice of ['Nee', 'Ja']) {
    await page.getByRole('radio', { name: choice, exact: true }).check();
    await page.getByRole('button', { name: 'Volgende' }).click();
  }
  const text = await result(page);
  assert.ok(text.includes('Vertrokken op verzoek van de verhuurder, zonder rechter'));
  assert.ok(text.includes('U hoeft niet akkoord te gaan met een opzegging.'));
  assert.ok(!text.includes('Dakloos na verlies van de woning'));
  assert.ok(text.includes('Bespreek met juridische hulp of de opzegging aangevochten kan worden.'));
  assert.ok(text.includes('Brief aan de verhuurder: ik ga niet akkoord met de opzegging'));
  assert.ok(!text.includes('vraag om opvang'));
  await page.context().close();
});

test('shelter refused for lack of regional ties, and a default judgment with its last day', async () => {
  const page = await newPage(browser);
  await answer(page, [
    ['Heeft een rechter', 'Ja'],
    ['verstek', 'Ja, ik was er niet bij'],
    ['Op welke dag', { date: '1-12-2026' }],
    ['hulp van een advocaat', 'Ja'],
    ['Waar slapen u en de kinderen nu?', 'In een auto, een tent of buiten'],
    ['geen opvang krijgt', 'Ja'],
    ['eigen school', 'Ja'],
  ]);
  const text = await result(page);
  assert.ok(text.includes('U kunt verzet doen tot en met 29 december 2026.'));
  assert.ok(text.includes('Opvang geweigerd wegens geen regiobinding'), text);
  assert.ok(text.indexOf('Uitspraak bij verstek') < text.indexOf('Dakloos na verlies van de woning'),
    'the term that runs out first');
  assert.ok(text.includes('Zoek vandaag nog een advocaat of bel Het Juridisch Loket.'));
  assert.ok(text.includes('Brief aan de gemeente: vraag om opvang voor het gezin'));
  assert.ok(!text.includes('Brief aan de verhuurder'));
  await page.context().close();
});

test('without JavaScript the check works the same, and "previous question" goes back', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${server.base}/rechtencheck`);
  await page.getByRole('radio', { name: 'Nee', exact: true }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('radio', { name: 'Ja', exact: true }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Vorige vraag' }).click();
  assert.ok((await page.locator('.dakwacht-question').textContent()).includes('sloten veranderd'));
  assert.ok(await page.getByRole('radio', { name: 'Ja', exact: true }).isChecked());
  await page.getByRole('button', { name: 'Volgende' }).click();
  for (const choice of ['Nee', 'Bij familie of vrienden', 'Nee', 'Nee']) {
    await page.getByRole('radio', { name: choice, exact: true }).check();
    await page.getByRole('button', { name: 'Volgende' }).click();
  }
  const text = await result(page);
  assert.ok(text.includes('Uit huis gezet zonder rechter'));
  await context.close();
});

test('the first screen and a date error are accessible', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.base}/rechtencheck`);
  await checkPage(page, 'rights check first question');
  await answer(page, [
    ['Heeft een rechter', 'Ja'],
    ['verstek', 'Ja, ik was er niet bij'],
  ]);
  await page.getByLabel('Op welke dag').fill('32-13-2026');
  await page.getByRole('button', { name: 'Volgende' }).click();
  assert.ok((await page.locator('main').textContent()).includes('Dit is geen datum.'));
  await checkPage(page, 'rights check date error');
  await page.context().close();
});

test('a letter from the result: details, the text to check, the PDF; nothing asked twice', async () => {
  const page = await newPage(browser);
  await answer(page, [
    ['Heeft een rechter', 'Nee'],
    ['sloten veranderd', 'Ja'],
    ['hulp van een advocaat', 'Nee'],
    ['Waar slapen u en de kinderen nu?', 'Bij familie of vrienden'],
    ['geen opvang krijgt', 'Nee'],
    ['eigen school', 'Nee'],
  ]);
  await result(page);
  await page.getByRole('button', { name: 'Brief maken: Brief aan de verhuurder: geen ontruiming zonder rechter' }).click();
  await page.getByRole('heading', { name: 'Gegevens voor de brief' }).waitFor();
  assert.ok((await page.locator('main').textContent()).includes('Uiterste datum voor een antwoord'));
  await checkPage(page, 'letter details from the rights check');
  await page.getByLabel('Naam van de afzender').fill('Fam. Jansen');
  await page.getByLabel('Adres van de (verloren) woning').fill('Kade 7, Utrecht');
  await page.getByRole('button', { name: 'Naar de tekst van de brief' }).click();
  const body = page.getByLabel('Tekst', { exact: true });
  assert.ok((await body.inputValue()).includes('Ik huur de woning aan Kade 7, Utrecht.'));
  await checkPage(page, 'letter text from the rights check');
  await body.fill(`${await body.inputValue()}\n\nEen zin van de familie.`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'PDF maken' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^no_self_help-\d{4}-\d{2}-\d{2}\.pdf$/);
  const path = await download.path();
  const bytes = (await import('node:fs')).readFileSync(path);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  // Back to the rights, with the answers still there.
  await page.getByRole('button', { name: 'Terug naar uw rechten' }).click();
  await page.getByRole('heading', { name: 'Uw rechten' }).waitFor();
  await page.context().close();
});

test('the child version renders, prints and passes axe', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.base}/rechtencheck`);
  await page.getByRole('link', { name: /Uitleg voor kinderen vanaf 8 jaar/ }).click();
  await page.getByRole('heading', { name: 'Het is niet jouw schuld' }).waitFor();
  const text = await page.locator('main').textContent();
  for (const said of ['Zij moeten naar jou luisteren.', 'De Kindertelefoon', '0800-0432']) {
    assert.ok(text.includes(said), said);
  }
  assert.equal(await page.locator('main form, main input').count(), 0, 'nothing is asked');
  await checkPage(page, 'rights check child version');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('link', { name: 'Naar de rechtencheck voor ouders' }).isVisible(), false);
  await page.context().close();
});

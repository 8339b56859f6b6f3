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

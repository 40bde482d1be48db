// « Saisie d'ensemble des acquis scolaires » in a real browser (tests/web/acquis.sh
// sets up the school): a teacher reaches his class's grid from the Accueil,
// chooses the period and the domain, sets a whole column, changes two pupils
// by keyboard only (arrows in a pupil's radio group, Tab to the next pupil,
// Enter on Enregistrer), and sees the values again after a reload (with the
// script of /saisie.js: the column set in place, 1-4/N shortcuts, a guard
// against leaving changes not saved; the grid opens in read mode, « Modifier »
// shows its fields); then two
// teachers in two browsers save the same grid: the second is refused with
// the name of the first, his choices shown again, nothing overwritten.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const PUPILS = ['ARNAUD Zoé', 'LE GALL Erwan', 'MATHIEU Mamadou'];

// The label of the radio checked in each pupil's row, in the order of PUPILS.
async function checked(page) {
  const out = [];
  for (const p of PUPILS) {
    const row = page.locator('#grille tbody tr', { has: page.locator('th', { hasText: p }) });
    const id = await row.locator('input[type=radio]:checked').getAttribute('id');
    out.push(id ? (await page.locator(`label[for="${id}"]`).innerText()).split(' : ')[1] : '');
  }
  return out;
}

// « Modifier » (the read mode's link): the grid's fields.
async function edit(page) {
  await Promise.all([page.waitForNavigation(), page.locator('#modifier').click()]);
  check(page.url().includes('modifier=1'), '« Modifier » opens the edit mode', page.url());
}

main(async () => {
  const a = await launch();
  const page = await watchedPage(a.ctx, 'acquis (tanguy)');
  await login(page, 'tanguy', 'motdepasse-ens');
  await page.getByRole('link', { name: 'Saisie collective des acquis scolaires' }).click();
  await page.getByRole('link', { name: 'CP A', exact: true }).click();
  check(page.url() === `${BASE}/ecole/${UAI}/saisie/CP%20A`, 'the Accueil leads to the class\'s grid', page.url());
  check((await page.locator('main').innerText()).includes('3 résultats'), 'the grid has a row per pupil (3 résultats)');

  // the period and the domain, chosen without script (a GET form)
  await page.getByLabel('Période').selectOption({ label: 'Trimestre 2 2024-2025' });
  await page.getByLabel('Domaine d\'enseignement').selectOption({ label: 'Mathématiques : Nombres et calcul' });
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.waitForLoadState('load');
  check(page.url().includes('periode=2') && page.url().includes('domaine=MAT-NBC'), 'the period and domain chosen', page.url());
  check(/Trimestre 2 2024-2025 – Mathématiques : Nombres et calcul/.test(await page.locator('h2').first().innerText()),
    'the grid names the class, the period and the domain');
  check(await page.locator('#grille input').count() === 0 && await page.locator('#modifier').count() === 1,
    'the grid opens in read mode: no field, a « Modifier » link');
  await edit(page);
  const before = await checked(page);
  check(before.every((v) => v === 'Non renseigné'), 'nothing entered yet for that period and domain', before.join(', '));

  // a whole column
  await page.getByRole('button', { name: 'Tout mettre à « Atteints »' }).click();
  await page.waitForLoadState('load');
  const col = await checked(page);
  check(col.every((v) => v === 'Atteints'), '« Tout mettre à « Atteints » » sets every pupil', col.join(', '));

  // by keyboard only: the first pupil one column right, Tab past the
  // second, the third one column left, Tab to Enregistrer, Enter
  await page.getByRole('radio', { name: 'ARNAUD Zoé : Atteints' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.id);
  check(focused === 'p-2109876544L-3', 'Tab goes to the next pupil\'s radio group (its choice)', focused);
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowLeft');
  const typed = await checked(page);
  check(typed.join('|') === 'Dépassés|Atteints|Partiellement atteints', 'the arrows change a pupil\'s choice', typed.join(', '));
  await page.keyboard.press('Tab');
  const button = await page.evaluate(() => document.activeElement.textContent);
  check(button === 'Enregistrer', 'Tab from the last pupil reaches Enregistrer', button);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const saved = await page.locator('main').innerText();
  check(saved.includes('Enregistré : 0 bilan modifié, 3 créés.'), 'saved: « Enregistré »', saved.slice(0, 300));
  check(saved.includes('Dernière modification : tanguy'), 'the rappel names the teacher');
  await edit(page);
  const again = await checked(page);
  check(again.join('|') === 'Dépassés|Atteints|Partiellement atteints', 'after a reload the grid shows the values saved',
    again.join(', '));

  // two browsers on the same grid: the second save is refused
  const b = await launch();
  const other = await watchedPage(b.ctx, 'acquis (morvan)');
  await login(other, 'morvan', 'motdepasse-ens2');
  const grid = `${BASE}/ecole/${UAI}/saisie/CP%20A?periode=2&domaine=MAT-GDM&modifier=1`;
  await page.goto(grid);
  await other.goto(grid);
  // the script's shortcut: 1 in a pupil's group chooses Non atteints and
  // goes on to the next pupil
  await page.getByRole('radio', { name: 'ARNAUD Zoé : Non renseigné' }).focus();
  await page.keyboard.press('1');
  const next = await page.evaluate(() => document.activeElement.id);
  check((await checked(page))[0] === 'Non atteints' && next === 'p-2109876544L-6',
    'the key 1 chooses « Non atteints » and goes to the next pupil', next);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer' }).first().click()]);
  check((await page.locator('main').innerText()).includes('Enregistré'), 'the first browser saves');
  await other.getByRole('radio', { name: 'LE GALL Erwan : Dépassés' }).check();
  other.allow(1);
  const [resp] = await Promise.all([other.waitForNavigation(),
    other.getByRole('button', { name: 'Enregistrer' }).first().click()]);
  const refused = await other.locator('main').innerText();
  check(resp.status() === 409 && refused.includes('modifiée pour cette période par tanguy'),
    'the second browser is refused (409) with the name of the first', `${resp.status()} ${refused.slice(0, 300)}`);
  const kept = await checked(other);
  check(kept.join('|') === 'Non atteints|Dépassés|Non renseigné',
    'the refused grid shows the first\'s value and the second\'s choice, nothing lost', kept.join(', '));
  check(refused.includes('Votre choix : Dépassés'), 'the refused choice is marked as the user\'s');
  // leaving a grid with a change not saved asks first
  await page.goto(grid);
  await page.getByRole('radio', { name: 'MATHIEU Mamadou : Atteints' }).check();
  let asked = '';
  page.once('dialog', async (d) => { asked = d.type(); await d.accept(); });
  await page.goto(grid);
  check(asked === 'beforeunload', 'leaving a grid with changes not saved asks first', asked);
  const first = await checked(page);
  check(first.join('|') === 'Non atteints|Non renseigné|Non renseigné', 'nothing of the refused save is stored',
    first.join(', '));

  page.finish();
  other.finish();
  await b.close();
  await a.close();
});

// The collective entry of lsu serve in a real browser (tests/web/elements.sh
// sets the school up): a teacher of CP A adds two éléments du programme of
// Langage oral, one typed and one from the aide à la saisie, puts the second
// first, enters the three parcours éducatifs, reloads and sees them all.
// The shell then reads them back from the store (lsu template).
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const TYPED = 'Raconter une histoire entendue en classe';
const AIDE = 'Dire pour être entendu et compris';
const PARCOURS = {
  'Saisir l\'appréciation globale pour le parcours citoyen': 'Élections des délégués de classe',
  'Saisir l\'appréciation globale pour le parcours d\'éducation artistique et culturelle':
    'Sortie au musée des beaux-arts',
  'Saisir l\'appréciation globale pour le parcours éducatif de santé': 'Semaine du goût',
};

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'elements');
  await login(page, 'ens', 'motdepasse-ens');
  await page.getByRole('link', { name: 'Saisie collective des éléments du programme' }).click();
  await page.getByRole('link', { name: 'CP A', exact: true }).click();
  check(page.url().startsWith(`${BASE}/ecole/${UAI}/elements/CP%20A`), 'the teacher reaches CP A\'s éléments from Accueil',
    page.url());
  check((await page.locator('h2').first().innerText()).includes('« Langage oral »'),
    'the first domain of cycle 2 is shown: Langage oral');
  check(await page.getByText('Aucun élément de programme n\'est encore renseigné').count() === 1, 'the rappel says no élément is entered yet');
  check(await page.locator('main textarea').count() === 0, 'the éléments open in read mode, without a field');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Modifier' }).click()]);
  check(page.url().includes('modifier=1'), '« Modifier » opens the fields', page.url());

  // the counter follows the typing (code points), and says when it is too long
  const nouveau = page.getByLabel('Nouvel élément du programme');
  await nouveau.fill('é'.repeat(301));
  const counter = page.locator('#champ-nouveau-compteur');
  check(await counter.innerText() === '301 / 300' && (await counter.getAttribute('class')).includes('trop'),
    'the counter shows 301 / 300 in red', await counter.innerText());
  await nouveau.fill(TYPED);
  check(await counter.innerText() === `${[...TYPED].length} / 300`, 'the counter follows the text typed',
    await counter.innerText());
  await page.getByRole('button', { name: '+ Ajouter un élément' }).click();
  await page.waitForLoadState('load');
  check(await page.locator('p.info', { hasText: 'Enregistré.' }).count() === 1, 'the élément typed is saved: « Enregistré »');
  check(await page.getByLabel('Texte de l\'élément 1').inputValue() === TYPED, 'the rappel shows the élément typed');

  // one from the aide à la saisie
  await page.getByText('Afficher l\'aide à la saisie').click();
  await page.getByRole('button', { name: `Ajouter « ${AIDE} »` }).click();
  await page.waitForLoadState('load');
  check(await page.getByLabel('Texte de l\'élément 2').inputValue() === AIDE, 'the aide\'s élément is added second');
  check(await page.locator('#aide').getAttribute('open') !== null &&
    (await page.locator('#aide li', { hasText: AIDE }).innerText()).includes('(déjà saisi)') &&
    await page.getByRole('button', { name: `Ajouter « ${AIDE} »` }).count() === 0,
  'the aide stays open and marks it « déjà saisi », without its button');

  // reordered: the aide's first
  await page.getByRole('button', { name: 'Monter l\'élément 2' }).click();
  await page.waitForLoadState('load');
  check(await page.getByLabel('Texte de l\'élément 1').inputValue() === AIDE &&
    await page.getByLabel('Texte de l\'élément 2').inputValue() === TYPED, 'Monter puts the aide\'s élément first');

  // the parcours, with the guide's data-protection notice above them
  await page.goto(`${BASE}/ecole/${UAI}`);
  await page.getByRole('link', { name: 'Saisie collective des parcours éducatifs' }).click();
  await page.getByRole('link', { name: 'CP A', exact: true }).click();
  check((await page.locator('p.info').last().innerText()).startsWith('Seules doivent être saisies les informations pertinentes'),
    'the parcours page shows the guide\'s notice');
  for (const [label, text] of Object.entries(PARCOURS)) await page.getByLabel(label).fill(text);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForLoadState('load');
  check(await page.locator('p.info', { hasText: 'Enregistré.' }).count() === 1, 'the parcours are saved: « Enregistré »');

  // reloaded: everything is there
  await page.goto(`${BASE}/ecole/${UAI}/parcours/CP%20A?periode=1`);
  let all = true;
  for (const [label, text] of Object.entries(PARCOURS)) all = all && await page.getByLabel(label).inputValue() === text;
  check(all, 'the three parcours are there after a reload');
  await page.goto(`${BASE}/ecole/${UAI}/elements/CP%20A?periode=1&domaine=FRA-LGO`);
  check((await page.locator('#elements-lus li').allInnerTexts()).map((t) => t.trim()).join('|') === `${AIDE}|${TYPED}`,
    'the read mode lists the two éléments, in order', await page.locator('main').innerText());
  await page.goto(`${BASE}/ecole/${UAI}/elements/CP%20A?periode=1&domaine=FRA-LGO&modifier=1`);
  check(await page.getByLabel('Texte de l\'élément 1').inputValue() === AIDE &&
    await page.getByLabel('Texte de l\'élément 2').inputValue() === TYPED &&
    await page.locator('textarea[name^="el-"]').count() === 2, 'the two éléments are there after a reload, in order');

  page.finish();
  await close();
});

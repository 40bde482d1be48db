// The director's settings in lsu serve, in a real browser: from Accueil to
// Paramétrage, the ONDE extraction uploaded and synchronised (the Statut /
// Message table), the import mode set for the school, the trimestres set
// for the school with the export's dates (the « classes dont la
// périodicité n'est pas définie » banner goes away), the positionnement
// scale, then the Historique that lists what was done, by whom.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const FILES = process.env.LSU_WEB_FILES;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'param');
  await login(page, 'pdir', 'motdepasse-pdir');
  check(page.url() === `${BASE}/ecole/${UAI}`, 'param: the director lands on Accueil', page.url());

  // the menu's Paramétrage, then Synchronisation élèves enseignants
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Paramétrage' }).click();
  await page.waitForLoadState('load');
  check(await page.locator('h1').innerText() === 'Paramétrage', 'param: the Paramétrage menu opens');
  await page.getByRole('link', { name: 'Synchronisation élèves enseignants' }).click();
  await page.waitForLoadState('load');
  let text = await page.locator('main').innerText();
  check(text.includes('les bilans verrouillés ne seront pas impactés'), 'param: the guide\'s box above the sync');
  check(await page.getByLabel('CE1 A', { exact: true }).isVisible() && await page.getByLabel('CP A', { exact: true }).isVisible(),
    'param: the classes of the base élèves can be chosen');
  await page.getByLabel(/Extraction ONDE/).setInputFiles(`${FILES}/CSVExtraction.csv`);
  await page.getByRole('button', { name: 'Synchroniser' }).click();
  await page.waitForLoadState('load');
  text = await page.locator('main').innerText();
  check(/Synchronisation lancée pour : (CP A, CE1 A|CE1 A, CP A)/.test(text), 'param: « Synchronisation lancée pour » both classes', text.slice(0, 400));
  const rows = await page.locator('#statuts tbody tr').allInnerTexts();
  check(rows.some((r) => /Alerte\s+CE1 A\s+Aucune période n'est paramétrée pour la division CE1 A\./.test(r)),
    'param: the Statut / Message table says CE1 A has no period', rows.join(' | '));
  check(rows.some((r) => /Succès\s+CP A\s+La synchronisation s'est déroulée avec succès/.test(r)),
    'param: the table says the sync of CP A went well', rows.join(' | '));
  await page.getByRole('link', { name: 'Retour' }).click();
  await page.waitForLoadState('load');
  check(page.url() === `${BASE}/ecole/${UAI}/synchronisation`, 'param: « Retour » goes back to the sync', page.url());

  // Paramétrage de l'import: import logiciel for the school
  await page.goto(`${BASE}/ecole/${UAI}/parametrage/import`);
  await page.getByLabel("Import d'un logiciel de suivi").check();
  await page.locator('#champ-pour-import').selectOption('ecole');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForLoadState('load');
  text = await page.locator('main').innerText();
  check(text.includes("Paramétrage de l'import enregistré."), 'param: the import mode is saved', text.slice(0, 300));
  const modes = await page.locator('#modes tbody tr').allInnerTexts();
  check(modes.length === 2 && modes.every((r) => /Import d'un logiciel de suivi\s+école/.test(r)),
    'param: both classes in import logiciel, from the school', modes.join(' | '));

  // Paramétrage des périodes: the banner, then the trimestres for the school
  await page.goto(`${BASE}/ecole/${UAI}/parametrage/periodes`);
  text = await page.locator('main').innerText();
  check(text.includes("Classe(s) dont la périodicité n'est pas définie : CE1 A, CP A"), 'param: the banner names both classes');
  const tri = page.locator('form#trimestres');
  const dates = [['2024-09-02', '2024-11-30'], ['2024-12-01', '2025-03-08'], ['2025-03-09', '2025-07-05']];
  for (let i = 0; i < 3; i++) {
    await tri.locator(`#trimestres-debut${i + 1}`).fill(dates[i][0]);
    await tri.locator(`#trimestres-fin${i + 1}`).fill(dates[i][1]);
  }
  // first, overlapping dates: refused in French, nothing saved
  await tri.locator('#trimestres-fin1').fill('2024-12-15');
  await tri.locator('#trimestres-pour').selectOption('ecole');
  page.allow(1);
  await tri.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForLoadState('load');
  text = await page.locator('main').innerText();
  check(text.includes('Périodes refusées'), 'param: overlapping trimestres are refused', text.slice(0, 300));
  check(text.includes("Classe(s) dont la périodicité n'est pas définie"), 'param: after the refusal the banner stays');
  const tri2 = page.locator('form#trimestres');
  for (let i = 0; i < 3; i++) {
    await tri2.locator(`#trimestres-debut${i + 1}`).fill(dates[i][0]);
    await tri2.locator(`#trimestres-fin${i + 1}`).fill(dates[i][1]);
  }
  await tri2.locator('#trimestres-pour').selectOption('ecole');
  await tri2.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForLoadState('load');
  text = await page.locator('main').innerText();
  check(text.includes('Trimestre enregistré pour l\'école : 2 classes associées.'), 'param: the trimestres are saved for the school', text.slice(0, 400));
  check(!text.includes("périodicité n'est pas définie"), 'param: the banner went away');
  const triText = await page.locator('section#trimestres').innerText();
  check(triText.includes('Trimestre 1 : 02/09/2024, 30/11/2024') && triText.includes('Classes associées : CE1 A (école), CP A (école)'),
    'param: the Trimestre shows its dates and « Classes associées »', triText);

  // the scale, read-only
  await page.goto(`${BASE}/ecole/${UAI}/parametrage/positionnement`);
  const scale = await page.locator('#positionnement tbody tr').allInnerTexts();
  check(scale.length === 4 && /1\s+NA\s+Non atteints/.test(scale[0]) && /4\s+D\s+Dépassés/.test(scale[3]),
    'param: the école\'s scale, 1 Non atteints to 4 Dépassés', scale.join(' | '));
  check(await page.locator('main form').count() === 0, 'param: the scale has nothing to change');

  // Historique: newest first, by whom
  await page.goto(`${BASE}/ecole/${UAI}`);
  await page.getByRole('link', { name: 'Historique' }).click();
  await page.waitForLoadState('load');
  const hist = await page.locator('#historique tbody tr').allInnerTexts();
  check(hist.length === 4, 'param: the Historique lists the 4 events of the store', hist.join(' | '));
  check(/pdir\s+Paramétrage n° 2/.test(hist[0] || ''), 'param: the newest first: the periods, by pdir', hist[0]);
  check(/pdir\s+Paramétrage n° 1/.test(hist[1] || ''), 'param: then the import mode, by pdir', hist[1]);
  check(/pdir\s+Synchronisation n° 2\s+CSVExtraction\.csv/.test(hist[2] || ''), 'param: then the sync, by pdir, of CSVExtraction.csv', hist[2]);
  check(/ligne de commande\s+Synchronisation n° 1/.test(hist[3] || ''), 'param: the first sync came from the command line', hist[3]);
  page.finish();
  await close();
});

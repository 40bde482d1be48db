// A school's whole LSU year in lsu serve, in a real browser, from a bare
// data folder (tests/web/annee.sh): the director (kerbrat) gives the school's
// identity, synchronises the ONDE extraction, sets the trimestres and the
// import mode (CP A imported, CE1 A entered), imports the tracking
// software's export and reads its report (CE1 A's bilans refused, as LSU
// would); the teacher of CE1 A (morvan) enters its éléments du programme,
// its acquis and a parcours for the Trimestre 1, then each pupil's
// appréciation générale, and is refused CP A; the director locks both
// classes, edits the school's zip (saved to $LSU_WEB_FILES/ecole.zip, which
// annee.sh compares with `lsu edit`) and reads the Historique; the teacher
// then finds his bilans read-only.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const FILES = process.env.LSU_WEB_FILES;
const T1 = 'P:2024:1/3';
const DOMAINS = { 'FRA-LGO': 'Lire à voix haute un texte court', 'EPS-RAC': 'Courir longtemps à allure régulière',
  'MAT-NBC': 'Calculer mentalement des sommes' };
const GENERALE = 'Un trimestre de progrès réguliers, à poursuivre.';

// On the entry screens the guide's read mode comes first: « Modifier »
// opens the form (when the screen has that mode).
async function modify(page) {
  const m = page.getByRole('link', { name: /Modifier/ }).or(page.getByRole('button', { name: /Modifier/ }));
  if (await m.count() > 0) {
    await m.first().click();
    await page.waitForLoadState('load');
  }
}

// The text of the page's main part.
const main_ = async (page) => page.locator('main').innerText();

main(async () => {
  const a = await launch();
  const dir = await watchedPage(a.ctx, 'annee (directeur)');
  await login(dir, 'kerbrat', 'motdepasse-dir');
  check(dir.url() === `${BASE}/ecole/${UAI}`, 'annee: the director lands on the Accueil of a school without data', dir.url());

  // August: Paramétrage › Identité de l'école
  await dir.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Paramétrage' }).click();
  await dir.getByRole('link', { name: 'Identité de l\'école' }).click();
  await dir.waitForLoadState('load');
  await dir.getByLabel(/Nom de l'école/).fill('École élémentaire Jean Moulin');
  await dir.getByLabel(/Adresse/).fill('3 rue de la Paix');
  await dir.getByLabel(/Code postal/).fill('29000');
  await dir.getByLabel('Commune').fill('Quimper');
  await dir.getByLabel(/civilité/).selectOption('MME');
  await dir.getByLabel(/Nom du directeur/).fill('KERBRAT');
  await dir.getByLabel(/Prénom du directeur/).fill('Anne');
  await dir.getByRole('button', { name: 'Enregistrer' }).click();
  await dir.waitForLoadState('load');
  let text = await main_(dir);
  check(text.includes('Identité de l\'école enregistrée.') && await dir.getByLabel('Commune').inputValue() === 'Quimper',
    'annee: the identity is saved and shown again', text.slice(0, 300));

  // September: Synchronisation élèves enseignants with the ONDE extraction
  await dir.goto(`${BASE}/ecole/${UAI}/parametrage`);
  await dir.getByRole('link', { name: 'Synchronisation élèves enseignants' }).click();
  await dir.getByLabel(/Extraction ONDE/).setInputFiles(`${FILES}/CSVExtraction.csv`);
  await dir.getByRole('button', { name: 'Synchroniser' }).click();
  await dir.waitForLoadState('load');
  const rows = await dir.locator('#statuts tbody tr').allInnerTexts();
  check(rows.some((r) => /Succès\s+CP A/.test(r)) && rows.some((r) => /Succès\s+CE1 A/.test(r)),
    'annee: the sync brings both classes (the Statut / Message table)', rows.join(' | '));

  // Paramétrage des périodes: the trimestres for the school
  await dir.goto(`${BASE}/ecole/${UAI}/parametrage/periodes`);
  text = await main_(dir);
  check(text.includes('Classe(s) dont la périodicité n\'est pas définie'), 'annee: the banner names the classes without periods');
  const tri = dir.locator('form#trimestres');
  const dates = [['2024-09-02', '2024-11-30'], ['2024-12-01', '2025-03-08'], ['2025-03-09', '2025-07-05']];
  for (let i = 0; i < 3; i++) {
    await tri.locator(`#trimestres-debut${i + 1}`).fill(dates[i][0]);
    await tri.locator(`#trimestres-fin${i + 1}`).fill(dates[i][1]);
  }
  await tri.locator('#trimestres-pour').selectOption('ecole');
  await tri.getByRole('button', { name: 'Enregistrer' }).click();
  await dir.waitForLoadState('load');
  text = await main_(dir);
  check(text.includes('Trimestre enregistré pour l\'école') && !text.includes('périodicité n\'est pas définie'),
    'annee: the trimestres are set for the school, the banner is gone', text.slice(0, 300));

  // Paramétrage de l'import: the school imports, CE1 A enters in lsu
  await dir.goto(`${BASE}/ecole/${UAI}/parametrage/import`);
  await dir.getByLabel('Import d\'un logiciel de suivi').check();
  await dir.locator('#champ-pour-import').selectOption('ecole');
  await dir.getByRole('button', { name: 'Enregistrer' }).click();
  await dir.waitForLoadState('load');
  await dir.getByLabel('Saisie manuelle').check();
  await dir.locator('#champ-pour-import').selectOption('classe:CE1 A');
  await dir.getByRole('button', { name: 'Enregistrer' }).click();
  await dir.waitForLoadState('load');
  const modes = await dir.locator('#modes tbody tr').allInnerTexts();
  check(modes.some((r) => /CE1 A\s+Saisie manuelle/.test(r)) && modes.some((r) => /CP A\s+Import d'un logiciel de suivi/.test(r)),
    'annee: CP A in import logiciel, CE1 A in saisie manuelle', modes.join(' | '));

  // Import of the tracking software's export: the Rapport d'exécution
  await dir.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Import', exact: true }).click();
  await dir.getByLabel(/Fichier exporté/).setInputFiles(`${FILES}/ecole.xml`);
  await dir.getByRole('button', { name: 'Importer' }).click();
  await dir.waitForLoadState('load');
  text = await dir.locator('body').innerText();
  check(text.includes('Import du fichier <ecole.xml>'), 'annee: the report of ecole.xml', text.slice(0, 300));
  check(text.includes('La classe CE1 A est paramétrée en saisie manuelle'),
    'annee: the report refuses CE1 A\'s bilans, as LSU does (saisie manuelle)', text.slice(0, 1500));

  // the teacher of CE1 A, in his own browser
  const b = await launch();
  const ens = await watchedPage(b.ctx, 'annee (enseignant)');
  await login(ens, 'morvan', 'motdepasse-ens');
  await ens.getByRole('link', { name: 'Saisie collective des éléments du programme' }).click();
  const classes = await ens.locator('main').getByRole('link', { name: /^C[EMP]/ }).allInnerTexts();
  check(classes.join('|') === 'CE1 A', 'annee: the teacher is offered his class only', classes.join('|'));
  for (const [dom, el] of Object.entries(DOMAINS)) {
    await ens.goto(`${BASE}/ecole/${UAI}/elements/CE1%20A?periode=1&domaine=${dom}`);
    await modify(ens);
    await ens.getByLabel('Nouvel élément du programme').fill(el);
    await ens.getByRole('button', { name: '+ Ajouter un élément' }).click();
    await ens.waitForLoadState('load');
    check((await main_(ens)).includes('Enregistré'), `annee: the élément of ${dom} is saved`);
    await ens.goto(`${BASE}/ecole/${UAI}/saisie/CE1%20A?periode=1&domaine=${dom}`);
    await modify(ens);
    await ens.getByRole('button', { name: 'Tout mettre à « Atteints »' }).click();
    await ens.waitForLoadState('load');
    await ens.getByRole('button', { name: 'Enregistrer' }).first().click();
    await ens.waitForLoadState('load');
    check((await main_(ens)).includes('Enregistré'), `annee: the acquis of ${dom} are saved for the class`);
  }
  await ens.goto(`${BASE}/ecole/${UAI}/parcours/CE1%20A?periode=1`);
  await modify(ens);
  await ens.getByLabel('Saisir l\'appréciation globale pour le parcours citoyen').fill('Élections des délégués');
  await ens.getByRole('button', { name: 'Enregistrer' }).click();
  await ens.waitForLoadState('load');
  check((await main_(ens)).includes('Enregistré'), 'annee: the parcours citoyen is saved');

  // each pupil's appréciation générale (saisie individuelle)
  await ens.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A?periode=${T1}`);
  const ines = await ens.locator('#liste-bilans tbody tr').evaluateAll((trs) => trs.map((t) => t.id));
  check(ines.length === 3, 'annee: the class list shows CE1 A\'s 3 pupils', ines.join(','));
  for (const ine of ines) {
    await ens.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A/eleve/${ine}?periode=${T1}`);
    await modify(ens);
    await ens.getByLabel('Appréciation générale sur la progression de l\'élève').fill(GENERALE);
    await ens.getByRole('button', { name: 'Enregistrer' }).first().click();
    await ens.waitForLoadState('load');
    const dl = await ens.locator('main dl').innerText();
    check(dl.includes('Complet'), `annee: the bilan of ${ine} is complete`, dl);
  }
  ens.allow(1);
  const other = await ens.goto(`${BASE}/ecole/${UAI}/bilans/CP%20A`);
  check(other.status() === 403, 'annee: the teacher of CE1 A is refused CP A (403)', `${other.status()}`);

  // the director locks both classes' Trimestre 1
  // (CP A: its 3 imported trimestres; CE1 A: the Trimestre 1 entered)
  for (const [c, n] of [['CP%20A', 9], ['CE1%20A', 3]]) {
    await dir.goto(`${BASE}/ecole/${UAI}/bilans/${c}?periode=${T1}`);
    await dir.getByRole('button', { name: 'Verrouiller', exact: true }).click();
    await dir.waitForLoadState('load');
    text = await dir.locator('#resultat').innerText();
    check(text.includes(`${n} bilans verrouillés`) && text.includes('0 incomplet non verrouillé'),
      `annee: Verrouiller locks ${decodeURIComponent(c)}'s ${n} bilans`, text);
  }

  // Éditer the school: one zip
  await dir.goto(`${BASE}/ecole/${UAI}/editer`);
  await dir.getByLabel('Éditer').selectOption('ecole');
  await dir.getByLabel('Un zip').selectOption('ecole');
  await dir.getByRole('button', { name: 'Lancer l\'édition' }).click();
  await dir.waitForLoadState('load');
  const link = dir.getByRole('link', { name: /^Télécharger .*\.zip$/ });
  await link.waitFor({ timeout: 90000 });
  const [download] = await Promise.all([dir.waitForEvent('download'), link.click()]);
  await download.saveAs(`${FILES}/ecole.zip`);
  check(/\.zip$/.test(download.suggestedFilename()), 'annee: the school\'s zip is downloaded', download.suggestedFilename());

  // Historique: the year, each step by its author
  await dir.goto(`${BASE}/ecole/${UAI}/historique`);
  const hist = (await dir.locator('#historique tbody tr').allInnerTexts()).join(' | ');
  check(/kerbrat\s+Synchronisation n° 1/.test(hist) && /kerbrat\s+Import n° 1/.test(hist) && /morvan/.test(hist) &&
    /kerbrat\s+Verrouillage/.test(hist), 'annee: the Historique has the sync, the import, the entry and the locks by their authors',
  hist.slice(0, 800));

  // the teacher's bilans are now read-only
  await ens.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A/eleve/${ines[0]}?periode=${T1}`);
  check(await ens.getByRole('button', { name: 'Enregistrer' }).count() === 0 &&
    await ens.getByRole('link', { name: /Modifier/ }).count() === 0, 'annee: a locked bilan has no form for the teacher');

  dir.finish();
  ens.finish();
  await b.close();
  await a.close();
});

// Synchronisation élèves / enseignants with the teachers' list, in a real
// browser: the director sends the ONDE extraction and the teachers' list
// from the form, the Statut / Message table says how many teachers were
// loaded and that a line of the list was ignored, « Lecture de la liste
// des enseignants » names them; then Paramétrage des périodes shows every
// class with its level, its periodicity (or « non définie ») and its
// periods' dates.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const FILES = process.env.LSU_WEB_FILES;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'syncens');
  await login(page, 'sdir', 'motdepasse-sdir');
  await page.goto(`${BASE}/ecole/${UAI}/parametrage`);
  await page.getByRole('link', { name: 'Synchronisation élèves enseignants' }).click();
  await page.waitForLoadState('load');
  const teachers = page.getByLabel('Fichier des enseignants (facultatif)');
  check(await teachers.isVisible() && !(await teachers.evaluate((e) => e.required)),
    'syncens: the teachers\' file input is there, and optional');
  check(await page.getByLabel(/Extraction ONDE/).evaluate((e) => e.required), 'syncens: the extraction is required');
  await page.getByLabel(/Extraction ONDE/).setInputFiles(`${FILES}/CSVExtraction.csv`);
  await teachers.setInputFiles(`${FILES}/enseignants.csv`);
  await page.getByRole('button', { name: 'Synchroniser' }).click();
  await page.waitForLoadState('load');
  const rows = await page.locator('#statuts tbody tr').allInnerTexts();
  check(rows.some((r) => /Succès\s+\(école\)\s+2 enseignants chargés\./.test(r)),
    'syncens: the Statut / Message table says 2 teachers were loaded', rows.join(' | '));
  check(rows.some((r) => /Alerte\s+\(école\)\s+1 ligne de la liste des enseignants ignorée/.test(r)),
    'syncens: and that one line of the list was ignored', rows.join(' | '));
  check(rows.some((r) => /Alerte\s+CM2 A\s+Aucune période n'est paramétrée pour la division CM2 A\./.test(r)),
    'syncens: the new class CM2 A has no period', rows.join(' | '));
  const details = page.locator('details', { hasText: 'Lecture de la liste des enseignants' });
  await details.locator('summary').click();
  const read = await details.innerText();
  check(read.includes('enseignants.csv: Mme LAURENT Françoise : CP A') && read.includes('enseignants.csv: Mme ANDRÉ Marie-Hélène : CP A'),
    'syncens: « Lecture de la liste des enseignants » names both teachers and their class', read);
  check(/enseignants\.csv:4: \S+ \[OND012\] Civilité « Docteur » non reconnue pour MOREAU/.test(read),
    'syncens: the line ignored, with its OND012 as lsu sync prints it', read);

  // Paramétrage des périodes: a row per class
  await page.goto(`${BASE}/ecole/${UAI}/parametrage/periodes`);
  const table = page.getByRole('table', { name: "Les classes de l'école" });
  const heads = await table.locator('thead th').allInnerTexts();
  check(heads.join('|') === 'Classe|Niveau|Périodicité|Périodes', 'syncens: the table\'s columns', heads.join('|'));
  const classes = await table.locator('tbody tr').allInnerTexts();
  check(classes.length === 3, 'syncens: a row for each of the 3 classes', classes.join(' | '));
  const row = (label) => classes.find((r) => r.startsWith(`${label}\t`)) || '';
  check(/^CE1 A\s+CE1\s+Semestre \(classe\)\s+Semestre 1 : du 02\/09\/2024 au 31\/01\/2025\s+Semestre 2 : du 01\/02\/2025 au 05\/07\/2025/.test(row('CE1 A')),
    'syncens: CE1 A on its semestres, with their dates', row('CE1 A'));
  check(/^CP A\s+CP\s+Trimestre \(classe\)\s+Trimestre 1 : du 02\/09\/2024 au 30\/11\/2024[\s\S]*Trimestre 3 : du 09\/03\/2025 au 05\/07\/2025/.test(row('CP A')),
    'syncens: CP A on its trimestres, with their dates', row('CP A'));
  check(/^CM2 A\s+CM2\s+non définie\s+—/.test(row('CM2 A')), 'syncens: CM2 A « non définie »', row('CM2 A'));
  page.finish();
  await close();
});

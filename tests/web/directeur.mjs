// The director's year in lsu serve, in a real browser: a wrong password,
// Connexion, Accueil, Import of the school's export and its Rapport
// d'exécution (read, filtered, kept and listed), a broken file's rejection,
// an oversized upload (413), the Bilans list of a class with its « ? »,
// Actions d'ensemble (verrouiller), a pupil's PDF, another school's URL
// (403), a form without its CSRF token (403).
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';
import { writeFileSync } from 'node:fs';

const UAI = process.env.LSU_UAI;
const FILES = process.env.LSU_WEB_FILES;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'directeur');

  page.allow(1);
  await login(page, 'dir', 'mauvais mot de passe');
  check(await page.getByText('Identifiant ou mot de passe incorrect.').isVisible(), 'a wrong password is refused in French');

  await login(page, 'dir', 'motdepasse-dir');
  check(page.url() === `${BASE}/ecole/${UAI}`, 'the director lands on the Accueil of his school', page.url());
  const header = await page.locator('header').innerText();
  check(header.includes(UAI) && header.includes('DIR') && /\d{4}-\d{4}/.test(header),
    'the header shows the UAI, the role DIR and the school year', header);
  check(await page.locator('html').getAttribute('lang') === 'fr', 'pages are lang="fr"');

  // Import: « Démarrage de l'import », « Importer », the Rapport d'exécution
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel(/Fichier exporté/).setInputFiles(`${FILES}/ecole.xml`);
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.waitForLoadState('load');
  let text = await page.locator('body').innerText();
  check(text.includes('Import du fichier <ecole.xml>'), 'the report names the client\'s file name', text.slice(0, 300));
  check(/6\s*Traités/i.test(text) || /Traités\s*6/i.test(text) || text.includes('6 traités'), 'the report counts 6 bilans traités', text.slice(0, 600));
  // « Filtrer les résultats »: the report's own script, allowed by its hash
  const filter = page.locator('#filtre-texte');
  check(await filter.isVisible(), 'the report\'s filter is shown (its script runs under the CSP)');
  const etat = page.locator('#filtre-etat');
  await filter.fill('zzzz-personne');
  await page.waitForTimeout(300);
  check(/\b0 bilan\b/.test(await etat.innerText()), 'filtering on an unknown name leaves 0 bilan', await etat.innerText());
  await filter.fill('CP A');
  await page.waitForTimeout(300);
  check(/\b[1-9]\d* bilans?\b/.test(await etat.innerText()) && !/\b6 bilans\b/.test(await etat.innerText()),
    'filtering on a class keeps its bilans only', await etat.innerText());
  await filter.fill('');
  await page.waitForTimeout(300);
  check((await etat.innerText()).trim() === '', 'clearing the filter shows every line again');

  await page.getByRole('link', { name: 'Retour à l\'import' }).click();
  const imports = await page.locator('#imports').innerText();
  check(imports.includes('ecole.xml'), 'the list of imports shows import n° 1 of ecole.xml', imports);
  await page.locator('#imports').getByRole('link', { name: 'Rapport d\'exécution' }).first().click();
  text = await page.locator('body').innerText();
  check(text.includes('Import du fichier <ecole.xml>'), 'a kept report opens again from the list');

  // a broken file: the report's rejection
  await page.goto(`${BASE}/ecole/${UAI}/import`);
  await page.getByLabel(/Fichier exporté/).setInputFiles(`${FILES}/casse.xml`);
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.waitForLoadState('load');
  text = await page.locator('body').innerText();
  check(/rejet/i.test(text) && text.includes('casse.xml'), 'a broken file gives the report\'s rejection', text.slice(0, 400));

  // an oversized upload: 413 with a French page, nothing imported
  await page.goto(`${BASE}/ecole/${UAI}/import`);
  await page.getByLabel(/Fichier exporté/).setInputFiles(`${FILES}/gros.xml`);
  page.allow(1);
  const [big] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/import') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Importer' }).click()]);
  await page.waitForLoadState('load');
  check(big.status() === 413 && (await page.locator('h1').innerText()) === 'Fichier trop volumineux',
    'an oversized upload gets 413 « Fichier trop volumineux »', `${big.status()}`);

  // Bilans: the class, its list, « Actions d'ensemble » Verrouiller
  await page.goto(`${BASE}/ecole/${UAI}/bilans`);
  await page.locator('#classes').getByRole('link', { name: 'CP A' }).click();
  const row = page.locator('#liste-bilans tbody tr').first();
  const ine = await row.getAttribute('id');
  check(/^[0-9]{10}[A-Z]$/.test(ine || ''), 'the list shows a pupil with his INE', ine);
  const heads = await page.locator('#liste-bilans thead th').allInnerTexts();
  check(heads.join('|') === '☐|#|Nom|Prénom|Statut|Actions', 'the list has the guide\'s columns', heads.join('|'));
  check((await row.innerText()).includes('Complet'), 'a complete bilan is shown « Complet, à verrouiller »');
  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  text = await page.locator('#resultat').innerText();
  check(/verrouillés?/.test(text), 'Verrouiller locks the class', text);
  await page.getByRole('link', { name: 'Retour à la liste' }).click();
  check((await page.locator('#liste-bilans tbody tr').first().innerText()).includes('Verrouillé le'),
    'the list shows the lock date');

  // Éditer: the pupil's PDF
  const href = await page.locator('#liste-bilans tbody tr').first().getByRole('link', { name: 'Éditer' }).getAttribute('href');
  const pdf = await ctx.request.get(`${BASE}${href}`);
  const body = await pdf.body();
  check(pdf.status() === 200 && pdf.headers()['content-type'] === 'application/pdf' && body.subarray(0, 5).toString() === '%PDF-',
    'Éditer gives the pupil\'s PDF (application/pdf)', `${pdf.status()} ${pdf.headers()['content-type']}`);
  writeFileSync(`${FILES}/eleve.pdf`, body);
  writeFileSync(`${FILES}/eleve.ine`, ine);

  // another school's URL, a form without its CSRF token
  page.allow(1);
  const other = await page.goto(`${BASE}/ecole/0123456A/bilans`);
  check(other.status() === 403 && (await page.locator('h1').innerText()) === 'Accès refusé',
    'another school\'s URL is refused (403 « Accès refusé »)', `${other.status()}`);
  const nocsrf = await ctx.request.post(`${BASE}/ecole/${UAI}/bilans/CP%20A/verrou`, { form: { action: 'deverrouiller' } });
  check(nocsrf.status() === 403 && (await nocsrf.text()).includes('Formulaire expiré'),
    'a POST without its CSRF token is refused (403)', `${nocsrf.status()}`);

  page.finish();
  await close();
});

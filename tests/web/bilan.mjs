// A teacher's saisie individuelle in lsu serve, in a real browser: from the
// class list he opens his pupil's bilan by the pupil's name, sees the recto
// and the verso, writes the appréciation générale (LSU_BILAN_TEXT) and a
// positionnement, saves (« Enregistré. »), finds both in read mode and after « Modifier »; then he
// goes to the previous pupil and back.  tests/web/bilan.sh then checks the
// PDF of that pupil holds the text.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const INE = process.env.LSU_BILAN_INE;
const TEXT = process.env.LSU_BILAN_TEXT;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'bilan');
  await login(page, 'ens', 'motdepasse-ens');

  await page.goto(`${BASE}/ecole/${UAI}/bilans/CP%20A`);
  await page.locator(`#liste-bilans tr[id="${INE}"]`).getByRole('link', { name: 'MATHIEU' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('h1').innerText()).startsWith('Consultation du bilan de l\'élève MATHIEU'),
    'the pupil\'s name in the class list opens his bilan', await page.locator('h1').innerText());
  check(await page.locator('#recto').isVisible() && await page.locator('#verso').isVisible(),
    'the bilan shows its recto and its verso');
  const rows = await page.locator('#acquis tbody tr').count();
  check(rows >= 10, 'the recto lists the domains and sub-domains of the cycle', `${rows} rows`);

  check(await page.locator('main textarea, main select[name^="pos-"]').count() === 0,
    'the bilan opens in read mode, without a field');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Modifier' }).click()]);
  check(page.url().includes('modifier=1'), '« Modifier » opens the saisie individuelle', page.url());
  const generale = page.getByLabel('Appréciation générale sur la progression de l\'élève');
  const position = page.getByLabel('Positionnement : Écriture', { exact: true });
  const before = await position.inputValue();
  const wanted = before === '4' ? '2' : '4';
  await generale.fill(TEXT);
  await position.selectOption(wanted);
  await page.getByRole('button', { name: 'Enregistrer' }).first().click();
  await page.waitForLoadState('load');
  const status = (await page.getByRole('status').allInnerTexts()).join(' | ');
  check(status.includes('Enregistré.'), 'saving says « Enregistré. »', status);

  check((await page.locator('#verso').innerText()).includes(TEXT) && await page.locator('main textarea').count() === 0,
    'after saving, the read mode shows the text saved');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Modifier' }).click()]);
  check(await generale.inputValue() === TEXT, 'after a reload the appréciation générale is the one typed',
    await generale.inputValue());
  check(await position.inputValue() === wanted, 'after a reload the positionnement is the one chosen',
    `${before} → ${await position.inputValue()}`);
  check((await page.locator('main dl').innerText()).includes('Complet'), 'the bilan is complete, lockable',
    await page.locator('main dl').innerText());

  await page.getByRole('link', { name: 'Trimestre 2', exact: true }).click();
  await page.waitForLoadState('load');
  check(page.url().endsWith('periode=P:2024:2/3') && (await page.locator('main dl').innerText()).includes('Trimestre 2 2024-2025')
    && !(await page.locator('#verso').innerText()).includes(TEXT), 'the period links open the same pupil\'s Trimestre 2, without the new text',
    page.url());
  await page.goBack();

  await page.getByRole('link', { name: '← Bilan précédent' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('h1').innerText()).includes('AARON Zoé'), '« Bilan précédent » opens the pupil before');
  await page.getByRole('link', { name: 'Bilan suivant →' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('#verso').innerText()).includes(TEXT), '« Bilan suivant » comes back to the bilan saved');

  page.finish();
  await close();
});

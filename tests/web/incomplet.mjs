// The « ? » of the Bilans list: a bilan without its appréciation générale
// (removed from the store by the suite) is shown « Incomplet » with what it
// lacks, and Verrouiller leaves it unlocked, saying why (lsu lock's text).
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const INE = process.env.LSU_INCOMPLETE_INE;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'incomplet');
  await login(page, 'dir', 'motdepasse-dir');
  await page.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A`);
  await page.getByLabel('Période').selectOption({ label: 'Trimestre 2 2024-2025' });
  await page.getByRole('button', { name: 'Afficher' }).click();
  const row = page.locator(`#liste-bilans tr[id="${INE}"]`);
  check((await row.innerText()).includes('Incomplet'), 'the bilan without appréciation générale is « Incomplet »');
  await row.locator('summary', { hasText: '?' }).click();
  const missing = await row.locator('details p').innerText();
  check(missing.includes('appréciation générale'), 'its « ? » says the appréciation générale is missing', missing);
  await page.getByLabel(/^Choisir /).first().check();
  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  const text = await page.locator('#resultat').innerText();
  check(/non verrouillé, il manque : appréciation générale/.test(text), 'Verrouiller leaves it unlocked and says why', text);
  page.finish();
  await close();
});

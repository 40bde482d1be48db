// An edition the server's kill cut short (survive.sh): its owner finds it
// « Interrompue (le serveur a redémarré) », presses « Relancer » (a form,
// no script), lands on its page again, which reloads itself (<meta
// refresh>) through the progress line until the links of its zips come.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const EDITION = process.env.LSU_EDITION; // /ecole/UAI/editions/N

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'survive.mjs');
  await login(page, 'dir', 'motdepasse-dir');
  await page.goto(`${BASE}${EDITION}`);
  const body = await page.locator('body').innerText();
  check(body.includes('Interrompue (le serveur a redémarré)'), 'the interrupted edition says so', body.slice(0, 300));
  const again = page.getByRole('button', { name: 'Relancer' });
  check(await again.count() === 1, 'its page has one « Relancer » button');
  await again.click();
  await page.waitForLoadState('load');
  check(new URL(page.url()).pathname === EDITION, 'Relancer leads back to the edition\'s page, same number', page.url());
  const link = page.getByRole('link', { name: /^Télécharger .*\.zip$/ }).first();
  await link.waitFor({ timeout: 120000 });
  check(await page.getByRole('button', { name: 'Relancer' }).count() === 0, 'once done, no « Relancer » any more');
  check(await page.getByRole('link', { name: /^Télécharger .*\.zip$/ }).count() >= 40, 'its zips are listed, one per class');
  page.finish();
  await close();
});

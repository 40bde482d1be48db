// Éditer in the background: the director chooses the whole school, one zip
// for it, starts the edition, lands on its page (the progress line
// « N / M bilans », reloaded by <meta refresh> until the link comes), and
// downloads the zip to $LSU_WEB_FILES/ecole.zip (editer.sh compares it with
// `lsu edit --uai --by school`'s).
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const FILES = process.env.LSU_WEB_FILES;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'editer.mjs');
  await login(page, 'dir', 'motdepasse-dir');
  await page.goto(`${BASE}/ecole/${UAI}`);
  await page.getByRole('link', { name: /^Éditer/ }).click();
  await page.waitForLoadState('load');
  check(await page.title() === 'Éditer les bilans – Livret scolaire unique', 'the Éditer page', await page.title());
  await page.getByLabel('Éditer').selectOption('ecole');
  await page.getByLabel('Un zip').selectOption('ecole');
  await page.getByRole('button', { name: "Lancer l'édition" }).click();
  await page.waitForLoadState('load');
  check(/\/ecole\/[^/]+\/editions\/\d+$/.test(page.url()), 'the edition has its own page', page.url());
  check((await page.title()).startsWith("Édition de l'école"), "the edition's title", await page.title());
  // the page reloads itself (no script) until the link appears
  const link = page.getByRole('link', { name: /^Télécharger .*\.zip$/ });
  await link.waitFor({ timeout: 60000 });
  const body = await page.locator('main, body').first().innerText();
  const m = body.match(/(\d+) \/ (\d+) bilans/);
  check(m && m[1] === m[2] && Number(m[2]) > 0, 'the progress line says every locked bilan was edited', m ? m[0] : body);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  await download.saveAs(`${FILES}/ecole.zip`);
  check(/\.zip$/.test(download.suggestedFilename()), 'the zip is downloaded under its name', download.suggestedFilename());
  // the edition is in the list of Éditer
  await page.goto(`${BASE}/ecole/${UAI}/editer`);
  check(await page.locator('#editions li').count() >= 1, 'Éditer lists the edition (« Vos éditions »)');
  page.finish();
  await close();
});

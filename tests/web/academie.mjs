// The académie summary's sort and filter (academie.html of lsu batch
// --schools), in Debian's chromium: the page opened from disk as an IT
// person opens it, each sort and filter chosen with the form's own
// drop-downs, the rows read back in the order the browser shows them.
// The school names, communes and rejections are those suite.sh gave the
// batch: the orders below are known beforehand, not read from the page.
import { launch, watchedPage, check, main } from './lib.mjs';
import { pathToFileURL } from 'node:url';

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'academie.html');
  await page.goto(pathToFileURL(process.env.LSU_ACADEMIE_HTML).href);
  const shown = async () => page.$$eval('#ecoles tbody tr', (rows) =>
    rows.filter((r) => !r.hidden).map((r) => r.getAttribute('data-uai')).join(' '));
  const etat = async () => (await page.textContent('#etat')).trim();
  check(await page.isVisible('#tri-filtre'), 'academie.html shows its sort and filter form once its script ran');
  const cases = [
    ['uai', '', '0290347V 0330004A 0690002C', '3 écoles affichées sur 3.'],
    ['nom', '', '0690002C 0290347V 0330004A', '3 écoles affichées sur 3.'],
    ['commune', '', '0690002C 0330004A 0290347V', '3 écoles affichées sur 3.'],
    ['rejetes', '', '0330004A 0690002C 0290347V', '3 écoles affichées sur 3.'],
    ['uai', 'rejets', '0330004A 0690002C', '2 écoles affichées sur 3.'],
    ['uai', 'PAR002', '0330004A 0690002C', '2 écoles affichées sur 3.'],
  ];
  for (const [by, filter, want, words] of cases) {
    await page.selectOption('#tri', by);
    await page.selectOption('#filtre', filter);
    const got = await shown();
    const said = await etat();
    check(got === want && said === words, `academie.html sorted by ${by}${filter ? `, filtered on ${filter}` : ''}`,
      `${got} (${said}), expected ${want} (${words})`);
  }
  page.finish();
  await close();
});

// A teacher in lsu serve, in a real browser: he reaches his class and
// nothing else: not another class's URL (403), not the lock (no button, and
// a forged POST refused), not the import.
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'enseignant');
  await login(page, 'ens', 'motdepasse-ens');
  check(page.url() === `${BASE}/ecole/${UAI}`, 'the teacher lands on the Accueil of his school', page.url());
  check((await page.locator('header').innerText()).includes('ENS'), 'the header shows the role ENS');
  check(await page.getByRole('link', { name: 'Import', exact: true }).count() === 0, 'a teacher has no Import menu');

  await page.goto(`${BASE}/ecole/${UAI}/bilans`);
  const classes = await page.locator('#classes').innerText();
  check(classes.includes('CP A') && !classes.includes('CE1 A'), 'the teacher sees only his class', classes);

  page.allow(1);
  const other = await page.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A`);
  check(other.status() === 403 && (await page.locator('body').innerText()).includes('pas l\'une des vôtres'),
    'another class\'s URL is refused (403)', `${other.status()}`);
  page.allow(1);
  const imp = await page.goto(`${BASE}/ecole/${UAI}/import`);
  check(imp.status() === 403, 'the import is refused to a teacher (403)', `${imp.status()}`);

  await page.goto(`${BASE}/ecole/${UAI}/bilans/CP%20A`);
  check(await page.getByRole('button', { name: 'Verrouiller' }).count() === 0, 'a teacher has no Verrouiller button');
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  const forged = await ctx.request.post(`${BASE}/ecole/${UAI}/bilans/CP%20A/verrou`, { form: { csrf, action: 'deverrouiller' } });
  check(forged.status() === 403, 'a teacher\'s forged unlock is refused (403)', `${forged.status()}`);

  page.finish();
  await close();
});

// The edit mode and the drafts of lsu serve in a real browser (tests/web/editmode.sh
// sets the school up): without JavaScript, a pupil's bilan opens in read mode,
// « Modifier » shows the form, « Annuler » goes back, « Enregistrer » saves;
// with JavaScript, what is typed is posted as a draft (POST /ecole/UAI/brouillon)
// within about ten seconds, the page is closed, the screen opened again in edit
// mode shows the banner and the text; another teacher never sees it;
// « Abandonner le brouillon » removes it; a draft whose state token went stale
// (the director saved meanwhile) gets the 409 with the text shown again; a
// locked bilan has no « Modifier ».
import { BASE, check, launch, login, main, watchedPage } from './lib.mjs';

const UAI = process.env.LSU_UAI;
const INE = process.env.LSU_INE;
const LOCKED = process.env.LSU_LOCKED;
const BILAN = `${BASE}/ecole/${UAI}/bilans/CP%20A/eleve/${INE}?periode=P%3A2024%3A1%2F3`;
const GENERALE = 'Appréciation générale sur la progression de l\'élève';
const BANNER = /Un brouillon non enregistré du \d\d\/\d\d\/\d{4} à \d\d:\d\d a été restauré\./;

// Clicks a link or button and waits for the page it leads to.
async function follow(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return resp;
}

// Types `text` into the appréciation générale and waits for the draft's POST.
async function typeAndWaitDraft(page, text) {
  const sent = page.waitForResponse((r) => r.url().endsWith(`/ecole/${UAI}/brouillon`) &&
    r.request().method() === 'POST', { timeout: 25000 });
  await page.getByLabel(GENERALE).fill(text);
  const r = await sent;
  return r.status();
}

main(async () => {
  // ---- without JavaScript ----
  const nojs = await launch({ javaScriptEnabled: false });
  const p = await watchedPage(nojs.ctx, 'editmode (sans JavaScript)');
  await login(p, 'ens', 'motdepasse-ens');
  await p.goto(BILAN);
  check(await p.locator('main textarea, main select[name^="pos-"]').count() === 0 &&
    await p.getByRole('link', { name: 'Modifier' }).count() === 1,
  'without script, the bilan opens in read mode: no field, « Modifier »');
  await follow(p, p.getByRole('link', { name: 'Modifier' }));
  check(await p.getByLabel(GENERALE).count() === 1 && await p.getByRole('link', { name: 'Annuler' }).count() === 2,
    '« Modifier » shows the form, with « Annuler »');
  await follow(p, p.getByRole('link', { name: 'Annuler' }).first());
  check(await p.locator('main textarea').count() === 0 && !p.url().includes('modifier'), '« Annuler » goes back to read mode',
    p.url());
  await follow(p, p.getByRole('link', { name: 'Modifier' }));
  const typed = 'Saisi sans JavaScript : des progrès en lecture.';
  await p.getByLabel(GENERALE).fill(typed);
  await follow(p, p.getByRole('button', { name: 'Enregistrer' }).first());
  const saved = await p.locator('main').innerText();
  check(saved.includes('Enregistré.') && saved.includes(typed) && await p.locator('main textarea').count() === 0,
    'without script, « Enregistrer » saves and shows the bilan in read mode', saved.slice(0, 200));
  p.finish();
  await nojs.close();

  // ---- with JavaScript: the draft ----
  const a = await launch();
  let page = await watchedPage(a.ctx, 'editmode (brouillon)');
  await login(page, 'ens', 'motdepasse-ens');
  await page.goto(`${BILAN}&modifier=1`);
  const draftText = 'Texte tapé, jamais enregistré : il doit revenir.';
  const status = await typeAndWaitDraft(page, draftText);
  check(status === 204, 'the script posts the draft within ten seconds (204)', `${status}`);
  page.finish();
  await page.close();
  page = await watchedPage(a.ctx, 'editmode (brouillon restauré)');
  await page.goto(`${BILAN}&modifier=1`);
  const banner = await page.locator('#brouillon').innerText().catch(() => '');
  check(BANNER.test(banner), 'opened again in edit mode: the banner of the draft restored', banner);
  check(await page.getByLabel(GENERALE).inputValue() === draftText, 'the draft\'s text is in the field',
    await page.getByLabel(GENERALE).inputValue());

  // another teacher of the class never sees it
  const b = await launch();
  const other = await watchedPage(b.ctx, 'editmode (autre enseignant)');
  await login(other, 'ens3', 'motdepasse-ens3');
  await other.goto(`${BILAN}&modifier=1`);
  check(await other.locator('#brouillon').count() === 0 && await other.getByLabel(GENERALE).inputValue() === typed,
    'another user never sees the draft', await other.getByLabel(GENERALE).inputValue());
  other.finish();
  await b.close();

  // « Abandonner le brouillon »
  await follow(page, page.getByRole('button', { name: 'Abandonner le brouillon' }));
  check(page.url().includes('modifier=1') && await page.locator('#brouillon').count() === 0 &&
    await page.getByLabel(GENERALE).inputValue() === typed,
  '« Abandonner le brouillon » removes it: the saved text in the field', await page.getByLabel(GENERALE).inputValue());
  await page.reload();
  check(await page.locator('#brouillon').count() === 0, 'the abandoned draft does not come back');

  // a stale draft: the director saves meanwhile, the draft's save is refused
  const staleText = 'Brouillon tapé avant la saisie du directeur.';
  check(await typeAndWaitDraft(page, staleText) === 204, 'a second draft is posted');
  page.finish();
  await page.close();
  const c = await launch();
  const dir = await watchedPage(c.ctx, 'editmode (directeur)');
  await login(dir, 'dir', 'motdepasse-dir');
  await dir.goto(`${BILAN}&modifier=1`);
  await dir.getByLabel(GENERALE).fill('Le directeur a saisi entre-temps.');
  await follow(dir, dir.getByRole('button', { name: 'Enregistrer' }).first());
  check((await dir.locator('main').innerText()).includes('Enregistré.'), 'the director saves the bilan meanwhile');
  // a locked bilan: no « Modifier »
  await dir.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A/eleve/${LOCKED}?periode=P%3A2024%3A1%2F3`);
  check(await dir.getByRole('link', { name: 'Modifier' }).count() === 0 && await dir.locator('main textarea').count() === 0,
    'a locked bilan has no « Modifier »');
  dir.finish();
  await c.close();
  page = await watchedPage(a.ctx, 'editmode (brouillon périmé)');
  await page.goto(`${BILAN}&modifier=1`);
  check(await page.getByLabel(GENERALE).inputValue() === staleText, 'the stale draft is restored');
  page.allow(1);
  const resp = await follow(page, page.getByRole('button', { name: 'Enregistrer' }).first());
  const refused = await page.locator('main').innerText();
  check(resp.status() === 409 && refused.includes('Une autre saisie a été faite') && refused.includes('par dir'),
    'saving a stale draft gets the 409, naming who changed it', `${resp.status()} ${refused.slice(0, 300)}`);
  check(await page.getByLabel(GENERALE).inputValue() === staleText, 'the 409 shows the typed text again');
  await follow(page, page.getByRole('button', { name: 'Enregistrer' }).first());
  check((await page.locator('main').innerText()).includes(staleText), 'saved again from the 409, the text is stored');
  await page.goto(`${BILAN}&modifier=1`);
  check(await page.locator('#brouillon').count() === 0, 'after the save, no draft is offered');
  page.finish();
  await a.close();
});

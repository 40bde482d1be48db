// Nothing lost when a session ends, in a real browser: the director types a
// long text in the form of a class (a text field added to the lock form:
// Connexion and the confirmation know no screen's fields), ticks a pupil,
// his session is deleted from serveur.sqlite meanwhile, he submits, logs
// in again, finds his text in the confirmation form, and what he confirms
// is done (the pupil's bilans locked) — not before he confirms.
import { BASE, check, launch, main, watchedPage } from './lib.mjs';
import { execFileSync } from 'node:child_process';

const UAI = process.env.LSU_UAI;
const DATA = process.env.LSU_DB;
const sql = (db, q) => execFileSync('sqlite3', [`${DATA}/${db}`, q], { encoding: 'utf8' }).trim();

main(async () => {
  const { ctx, close } = await launch();
  const page = await watchedPage(ctx, 'session');
  await page.goto(`${BASE}/connexion`);
  await page.getByLabel('Identifiant').fill('dir');
  await page.getByLabel('Mot de passe').fill('motdepasse-dir');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState('load');
  await page.goto(`${BASE}/ecole/${UAI}/bilans/CE1%20A`);
  const ine = await page.locator('#liste-bilans tbody tr').first().getAttribute('id');
  const locked = () => Number(sql(`${UAI}.sqlite`,
    `SELECT count(*) FROM bilans WHERE ine = '${ine}' AND replaced_at IS NULL AND locked_at IS NOT NULL`));
  check(/^[0-9]{10}[A-Z]$/.test(ine || '') && locked() === 0, 'CE1 A has an unlocked pupil', `${ine}`);

  // a long text of several lines, typed in a field of the form
  await page.evaluate(() => {
    const t = document.createElement('textarea');
    t.name = 'appreciation';
    t.id = 'appreciation';
    document.getElementById('bilans').prepend(t);
  });
  const lines = [];
  for (let i = 1; i <= 150; i++) lines.push(`Ligne ${i} : élève sérieux & attentif <lecture> « très bien ».`);
  const text = lines.join('\n');
  await page.locator('#appreciation').fill(text);
  await page.locator(`#choix-${ine}`).check();

  sql('serveur.sqlite', 'DELETE FROM sessions'); // the session ends meanwhile
  page.allow(1); // Connexion answers 401
  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  await page.waitForLoadState('load');
  check(await page.locator('h1').innerText() === 'Connexion' &&
    await page.getByText('Votre formulaire est gardé').isVisible(), 'the form sent without a session gets Connexion, saying it is kept');
  check(locked() === 0, 'nothing is locked by the form sent without a session');

  await page.getByLabel('Identifiant').fill('dir');
  await page.getByLabel('Mot de passe').fill('motdepasse-dir');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState('load');
  const h1 = await page.locator('h1').innerText();
  check(h1 === 'Votre session avait expiré : vérifiez puis confirmez l\'envoi', 'after login, the confirmation page', h1);
  const kept = await page.locator('#reprise textarea[name=appreciation]').inputValue();
  check(kept === text, 'the long text typed is in the confirmation form, whole', `${kept.length} of ${text.length} characters`);
  check(await page.locator('#reprise input[type=hidden][name=ine]').getAttribute('value') === ine &&
    await page.locator('#reprise input[type=hidden][name=action]').getAttribute('value') === 'verrouiller',
  'the pupil ticked and the button pressed are kept');
  check(locked() === 0, 'logging in does not send the form again by itself');

  await page.locator('#reprise textarea[name=appreciation]').fill(`${text}\nRelu.`);
  await page.getByRole('button', { name: 'Confirmer l\'envoi' }).click();
  await page.waitForLoadState('load');
  const result = await page.locator('#resultat').innerText();
  check(await page.locator('h1').innerText() === 'Verrouillage' && /verrouill/.test(result) && locked() >= 1,
    'the confirmed form is done: the pupil\'s bilans are locked', result);

  page.finish();
  await close();
});

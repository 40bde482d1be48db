// lsu serve: the live counters of the entry's texts (« 12 / 300 »), in code
// points after trimming as the server counts them.  The pages work without
// it: the server shows the count and checks every length.
'use strict';
for (const t of document.querySelectorAll('textarea[data-max]')) {
  const counter = document.getElementById(`${t.id}-compteur`);
  const max = Number(t.dataset.max);
  if (!counter || !max) continue;
  const update = () => {
    const n = [...t.value.trim()].length;
    counter.textContent = `${n} / ${max}`;
    counter.classList.toggle('trop', n > max);
  };
  t.addEventListener('input', update);
  update();
}

// lsu serve: what the entry grid (Saisie d'ensemble des acquis) gains with
// JavaScript; everything works without it (the server does the same).
//  - « Tout mettre à … » sets the column here instead of a round trip;
//  - in a pupil's radio group, 1 to 4, N (non évalué) and Suppr (non
//    renseigné) choose, then go to the next pupil; arrows and Tab as usual;
//  - leaving the page with changes not saved asks first.
(function () {
  var form = document.getElementById('saisie-acquis');
  if (!form) return;
  var dirty = form.querySelector('.choix') !== null; // a refused grid: the user's choices not saved
  var keys = { '1': '1', '2': '2', '3': '3', '4': '4', n: 'NE', N: 'NE', Delete: '', Backspace: '' };
  var status = document.createElement('p');
  status.className = 'invisible';
  status.setAttribute('role', 'status');
  form.appendChild(status);

  function radios(ine) {
    return form.querySelectorAll('input[type=radio][name="p-' + ine + '"]');
  }
  function pick(ine, value) {
    var list = radios(ine);
    for (var i = 0; i < list.length; i++)
      if (list[i].value === value && !list[i].disabled) {
        list[i].checked = true;
        return list[i];
      }
    return null;
  }
  form.addEventListener('change', function () { dirty = true; });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (dirty) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  var buttons = form.querySelectorAll('button.tout');
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener('click', function (e) {
      e.preventDefault();
      var value = this.value, rows = form.querySelectorAll('#grille tbody tr'), n = 0;
      for (var r = 0; r < rows.length; r++) {
        var ine = rows[r].id.replace(/^eleve-/, '');
        if (pick(ine, value)) n++;
      }
      dirty = dirty || n > 0;
      status.textContent = this.textContent + ' : ' + n + ' élève(s), à enregistrer.';
    });
  }

  form.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!t || t.type !== 'radio' || e.ctrlKey || e.altKey || e.metaKey || !Object.prototype.hasOwnProperty.call(keys, e.key)) return;
    var ine = t.name.replace(/^p-/, '');
    var chosen = pick(ine, keys[e.key]);
    if (!chosen) return;
    e.preventDefault();
    dirty = true;
    // on to the next pupil's group, at its choice
    var row = chosen.closest('tr').nextElementSibling;
    while (row && row.querySelector('input[type=radio]:not([disabled])') === null) row = row.nextElementSibling;
    if (!row) {
      chosen.focus();
      return;
    }
    var next = row.querySelector('input[type=radio]:checked:not([disabled])') ||
      row.querySelector('input[type=radio]:not([disabled])');
    next.focus();
  });
})();

// lsu serve: the drafts of the entry screens in edit mode (« Modifier »).
// Every 10 s, when its fields changed, the form is posted as a draft to its
// data-brouillon address (POST /ecole/UAI/brouillon, with the session's
// CSRF token and the state token the page was shown with): the server keeps
// it for this user and screen, offers it again when the screen is opened in
// edit mode, and never saves it by itself.  Without script nothing is kept.
(function () {
  var form = document.querySelector('form[data-brouillon]');
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var every = Number(form.dataset.intervalle) || 10000;
  function fields() { return new URLSearchParams(new FormData(form)).toString(); }
  var sent = fields(), busy = false, stopped = false;
  form.addEventListener('submit', function () { stopped = true; });
  function save() {
    if (stopped || busy) return;
    var now = fields();
    if (now === sent) return;
    var data = new URLSearchParams(new FormData(form));
    data.set('ecran', form.dataset.ecran);
    busy = true;
    fetch(form.dataset.brouillon, { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (r) { if (r.ok) sent = now; })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(save, every);
})();

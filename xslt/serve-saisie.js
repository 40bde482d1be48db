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

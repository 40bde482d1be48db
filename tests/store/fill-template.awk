# Fills a template of lsu template (UTF-8 without its BOM, ";", CRLF) as a
# teacher would, for the bench (tools/bench-entry.sh) and the memory suite:
# in every pupil's row the first MAX (default 15) positionnement columns
# (1 to 4), the appréciations of the domains and the appréciation générale;
# one new élément du programme for each domain filled.  Cells unquoted.
#   tail -c +4 t.csv | awk -v max=15 -f fill-template.awk >filled.csv
BEGIN { FS = ";"; OFS = ";"; max = max ? max : 15 }
{ sub(/\r$/, "") }
!header && /^NOM;/ {
  header = 1; np = 0
  for (i = 1; i <= NF; i++) {
    if ($i ~ / : positionnement$/ && np < max) { pos[i] = 1; np++; d = $i; sub(/ : positionnement$/, "", d); filled[d] = 1 }
    else if ($i ~ / : appréciation$/) apr[i] = 1
    else if ($i == "Appréciation générale") gen = i
  }
  print; inrows = 1; next
}
inrows && $0 == "" { inrows = 0 }
inrows {
  r++
  for (i in pos) $i = (r + i) % 4 + 1
  for (i in apr) $i = "Des progrès réguliers ce trimestre, un travail sérieux, il faut poursuivre les efforts engagés en classe."
  if (gen) $gen = "Élève investi, qui participe volontiers et progresse dans tous les domaines. Bon trimestre, continue ainsi !"
  print; next
}
/^Élément du programme;/ && $3 == "" && $4 == "" && filled[$2] && !done[$2]++ {
  $4 = "Comprendre et utiliser les notions travaillées en classe pendant la période"
  print; next
}
{ print }

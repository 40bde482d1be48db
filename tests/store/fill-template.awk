# Fills a template of lsu template (UTF-8 without its BOM, ";", CRLF) as a
# teacher would, for the bench (tools/bench-entry.sh) and the memory suite:
# in every pupil's row the first MAX (default 15) positionnement columns
# (1 to 4), the appréciations of the domains and the appréciation générale;
# one new élément du programme for each domain filled.  Quoted cells (over
# several lines too) are kept as they are when not filled.
#   tail -c +4 t.csv | awk -v max=15 -f fill-template.awk >filled.csv
# (POSIX awk: mawk too.)

# Splits a row into raw cells f[1..n] (quotes kept); returns n.
function split_row(s, f,   n, i, c, q, cell) {
  n = 0; q = 0; cell = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\"") q = !q
    if (c == ";" && !q) { f[++n] = cell; cell = ""; continue }
    cell = cell c
  }
  f[++n] = cell
  return n
}
function join_row(f, n,   i, s) {
  s = f[1]
  for (i = 2; i <= n; i++) s = s ";" f[i]
  return s
}
function quotes(s,   t) { t = s; return gsub(/"/, "", t) }
BEGIN { max = max ? max : 15 }
{
  sub(/\r$/, "")
  row = pending == "" ? $0 : pending "\n" $0
  if (quotes(row) % 2) { pending = row; next }
  pending = ""
  n = split_row(row, f)
}
!header && f[1] == "NOM" {
  header = 1; np = 0
  for (i = 1; i <= n; i++) {
    if (f[i] ~ / : positionnement$/ && np < max) { pos[i] = 1; np++; d = f[i]; sub(/ : positionnement$/, "", d); filled[d] = 1 }
    else if (f[i] ~ / : appréciation$/) apr[i] = 1
    else if (f[i] == "Appréciation générale") gen = i
  }
  print row; inrows = 1; next
}
inrows && row == "" { inrows = 0 }
inrows {
  r++
  for (i in pos) f[i] = (r + i) % 4 + 1
  for (i in apr) f[i] = "Des progrès réguliers ce trimestre, un travail sérieux, il faut poursuivre les efforts engagés en classe."
  if (gen) f[gen] = "Élève investi, qui participe volontiers et progresse dans tous les domaines. Bon trimestre, continue ainsi !"
  print join_row(f, n); next
}
f[1] == "Élément du programme" && f[3] == "" && f[4] == "" && filled[f[2]] && !done[f[2]]++ {
  f[4] = "Comprendre et utiliser les notions travaillées en classe pendant la période"
  print join_row(f, n); next
}
{ print row }

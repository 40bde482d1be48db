#!/usr/bin/env bash
# Writes an ONDE pupils' extraction (CSVExtraction.csv, FORMAT.md §6) for
# the classes and pupils of an LSU export, on stdout, for the store tests.
#   onde-from-export.sh EXPORT.xml [standard|moved]
# standard: ONDE's header order, dates dd/mm/yyyy, UTF-8;
# moved: other column order, dates yyyy-mm-dd, an extra column.
set -eu
export="$1" layout="${2:-standard}"
awk -v layout="$layout" '
  function attr(s, name,   m) {
    if (match(s, " " name "=\"[^\"]*\"")) { m = substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4); return m }
    return ""
  }
  /<classe / { id = attr($0, "id"); idbe[id] = attr($0, "id-be"); lib[id] = attr($0, "libelle") }
  /<eleve / {
    n++; ine[n] = attr($0, "ine"); nom[n] = toupper(attr($0, "nom")); pre[n] = attr($0, "prenom"); cl[n] = attr($0, "classe-ref")
  }
  END {
    if (layout == "moved")
      print "Identifiant classe;Libellé classe;INE;Prénom élève;Nom élève;Nom d'\''usage élève;Date naissance;Sexe;Niveau; Cycle;Dispositif(s)"
    else
      print "Nom élève;Nom d'\''usage élève;Prénom élève;Date naissance;Sexe;INE;Adresse1;Cp1;Commune1;Pays1;Adresse2;Cp2;Commune2;Pays2; Cycle;Niveau;Libellé classe;Identifiant classe;Attestation fournie;Autorisation associations;Autorisation photo;Décision de passage"
    for (i = 1; i <= n; i++) {
      split(lib[cl[i]], w, " "); niv = w[1]; cyc = (niv == "CP" || niv == "CE1" || niv == "CE2") ? 2 : 3
      day = sprintf("%02d", (i % 28) + 1)
      if (layout == "moved")
        printf "%s;%s;%s;%s;%s;;2017-03-%s;%s;%s;%s;\n", idbe[cl[i]], lib[cl[i]], ine[i], pre[i], nom[i], day, (i % 2 ? "F" : "M"), niv, cyc
      else
        printf "%s;;%s;%s/03/2017;%s;%s;1 rue de la Paix;29000;QUIMPER;FRANCE;;;;;%s;%s;%s;%s;Oui;Oui;Oui;\n", nom[i], pre[i], day, (i % 2 ? "F" : "M"), ine[i], cyc, niv, lib[cl[i]], idbe[cl[i]]
    }
  }' "$export"

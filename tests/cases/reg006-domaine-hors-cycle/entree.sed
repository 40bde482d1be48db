s|libelle="CE1|libelle="CM1|
16,17c\
\      <eleve id="EL1" ine="050812345AB" classe-ref="CL1" nom="N'Diaye" prenom="Zoë"/>\
\      <eleve id="EL2" ine="0508123467K" classe-ref="CL1" nom="Le Goff-Hénaff" prenom="Élouan"/>

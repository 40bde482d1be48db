19,21d
24a\
\    <periodes>\
\      <periode id="P1" millesime="2024" indice="1" nb-periodes="3" date-debut="2024-09-02" date-fin="2024-11-29"/>\
\    </periodes>

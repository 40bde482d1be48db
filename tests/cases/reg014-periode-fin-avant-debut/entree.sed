20c\
\      <periode id="P1" millesime="2024" indice="1" nb-periodes="3" date-debut="2024-09-02" date-fin="2023-11-29"/>

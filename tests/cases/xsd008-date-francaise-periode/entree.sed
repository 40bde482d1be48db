20c\
\      <periode id="P1" millesime="2024" indice="1" nb-periodes="3" date-debut="02/09/2024" date-fin="2024-11-29"/>

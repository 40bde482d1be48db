20a\
\      <periode id="S1" millesime="2024" indice="1" nb-periodes="2" date-debut="2024-09-02" date-fin="2025-01-31"/>
s|eleve-ref="EL2" periode-ref="P1" enseignant-refs="ENS1"|eleve-ref="EL2" periode-ref="S1" enseignant-refs="ENS1"|

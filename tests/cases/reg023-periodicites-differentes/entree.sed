20a\
\      <periode id="S1" millesime="2024" indice="1" nb-periodes="2" date-debut="2024-09-02" date-fin="2025-01-31"/>
57c\
\      <bilan-periodique eleve-ref="EL2" periode-ref="S1" enseignant-refs="ENS1" date-creation="2024-11-25" date-scolarite="2024-09-02" date-verrou="2024-11-28T17:45:00" directeur-ref="DIR1">

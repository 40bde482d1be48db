35c\
\      <bilan-periodique eleve-ref="EL1" periode-ref="P1" enseignant-refs="ENS1" date-creation="25/11/2024" date-scolarite="2024-09-02" date-verrou="2024-11-28T17:30:00" directeur-ref="DIR1">
62c\
\          <acquis code-domaine="MAT-RAC" positionnement="2">

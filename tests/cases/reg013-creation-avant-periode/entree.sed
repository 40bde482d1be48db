57c\
\      <bilan-periodique eleve-ref="EL2" periode-ref="P1" enseignant-refs="ENS1" date-creation="2024-08-30" date-scolarite="2024-09-02" date-verrou="2024-11-28T17:45:00" directeur-ref="DIR1">

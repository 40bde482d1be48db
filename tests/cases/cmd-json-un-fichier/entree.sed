s|periode-ref="P1" enseignant-refs="ENS1" date-creation="2024-11-25" date-scolarite="2024-09-02" date-verrou="2024-11-28T17:30:00"|periode-ref="P1" enseignant-refs="ENS1" date-creation="25/11/2024" date-scolarite="2024-09-02" date-verrou="2024-11-28T17:30:00"|
s|element-programme-refs="EP2" positionnement="2">|positionnement="2">|

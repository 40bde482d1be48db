23a\
\      <enseignant id="ENS2" civilite="MME" nom="KERHERVÉ" prenom="FRANÇOISE"/>
s|eleve-ref="EL2" periode-ref="P1" enseignant-refs="ENS1" date-creation="2024-11-25" date-scolarite="2024-09-02"|eleve-ref="EL2" periode-ref="P1" enseignant-refs="ENS2" date-creation="2024-11-25" date-scolarite="2024-09-02"|

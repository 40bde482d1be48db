s|eleve-ref="EL2" periode-ref="P1" enseignant-refs="ENS1"|eleve-ref="EL2" periode-ref="EL2" enseignant-refs="ENS1"|

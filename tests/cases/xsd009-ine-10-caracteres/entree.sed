17c\
\      <eleve id="EL2" ine="070812346K" classe-ref="CL1" nom="Le Goff-Hénaff" prenom="Élouan"/>

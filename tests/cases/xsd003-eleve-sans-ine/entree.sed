17c\
\      <eleve id="EL2" classe-ref="CL1" nom="Le Goff-Hénaff" prenom="Élouan"/>

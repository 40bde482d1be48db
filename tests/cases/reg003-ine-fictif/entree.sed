17c\
\      <eleve id="EL2" ine="00000000000" classe-ref="CL1" nom="Le Goff-Hénaff" prenom="Élouan"/>

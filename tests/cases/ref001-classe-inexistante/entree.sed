17c\
\      <eleve id="EL2" ine="0708123467K" classe-ref="CL2" nom="Le Goff-Hénaff" prenom="Élouan"/>

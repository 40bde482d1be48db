17a\
\      <eleve id="EL9" ine="0708123481C" classe-ref="CL1" nom="Da Silva Gonçalves" prenom="Inès"/>

16c\
\      <eleve id="EL1" ine="070812345AB" classe-ref="CL1" nom="N'Diaye" prenom="Zoë" date-naissance="2017-03-14"/>

23c\
\      <enseignant id="ENS1" civilite="Mme" nom="Kerhervé" prenom="Françoise"/>

23a\
\      <enseignant id="ENS1" civilite="M" nom="Le Bihan" prenom="Hervé"/>

31c\
\        <parcours code="PAR_CIT">Élection des délégués<br/>Rédaction des règles de vie de la classe.</parcours>

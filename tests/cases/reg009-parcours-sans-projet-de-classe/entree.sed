53a\
\          <parcours code="PAR_SAN">Zoë a présenté le petit-déjeuner équilibré aux CP.</parcours>

27a\
\      <element-programme id="EP3" libelle="Se repérer dans l'espace : plans, maquettes et quadrillages."/>

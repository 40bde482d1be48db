27a\
\      <element-programme id="EP3" libelle="Calculer avec des nombres entiers : additions et soustractions. "/>
s|code-domaine="MAT-RAC" element-programme-refs="EP2" positionnement="2">|code-domaine="MAT-RAC" element-programme-refs="EP3" positionnement="2">|

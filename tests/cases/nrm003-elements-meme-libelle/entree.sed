27a\
\      <element-programme id="EP3" libelle="Calculer avec des nombres entiers : additions et soustractions. "/>
62c\
\          <acquis code-domaine="MAT-RAC" element-programme-refs="EP3" positionnement="2">

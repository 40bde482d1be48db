62c\
\          <acquis code-domaine="MAT-RAC" positionnement="2">

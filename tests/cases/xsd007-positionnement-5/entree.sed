62c\
\          <acquis code-domaine="MAT-RAC" element-programme-refs="EP2" positionnement="5">

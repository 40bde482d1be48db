30c\
\      <parcours-commun periode-ref="P1" classe-ref="P1">
52,54d

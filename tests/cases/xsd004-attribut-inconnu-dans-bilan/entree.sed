65c\
\          <acquis code-domaine="EPS-RAC" niveau="CE1">

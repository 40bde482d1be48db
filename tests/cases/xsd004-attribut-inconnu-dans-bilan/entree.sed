s|code-domaine="EPS-RAC">|code-domaine="EPS-RAC" niveau="CE1">|

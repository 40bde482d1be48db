59c\
\          <acquis id="EL1" code-domaine="FRA-RAC">
s|<appreciation-generale>Des|<appreciation-generale id="P1">Des|

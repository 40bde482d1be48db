65,67c\
\          <acquis code-domaine="EPS-RAC" non-evalue="true"/>

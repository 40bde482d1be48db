59c\
\          <acquis id="EL1" code-domaine="FRA-RAC">
69c\
\        <appreciation-generale id="P1">Des progrès réguliers ; Élouan doit garder confiance en lui.</appreciation-generale>

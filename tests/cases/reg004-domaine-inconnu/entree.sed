67a\
\          <acquis code-domaine="BRE-RAC">\
\            <appreciation>Élouan comprend les consignes simples en breton et chante volontiers.</appreciation>\
\          </acquis>

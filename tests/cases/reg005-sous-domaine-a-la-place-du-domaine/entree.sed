67a\
\          <acquis code-domaine="FRA-LEC">\
\            <appreciation>Élouan lit désormais seul de courts albums.</appreciation>\
\          </acquis>

66c\
\            <appreciation>Élouan s'engage <b>pleinement</b> dans les jeux collectifs.</appreciation>

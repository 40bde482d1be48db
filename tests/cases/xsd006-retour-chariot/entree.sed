66c\
\            <appreciation>Élouan s'engage pleinement&#13;\
dans les jeux collectifs.</appreciation>

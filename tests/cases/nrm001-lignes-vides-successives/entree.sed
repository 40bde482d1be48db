69c\
\        <appreciation-generale>Des progrès réguliers.\
\
\
Élouan doit garder confiance en lui.</appreciation-generale>

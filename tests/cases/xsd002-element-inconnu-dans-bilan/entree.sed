68a\
\        <absences>4 demi-journées</absences>

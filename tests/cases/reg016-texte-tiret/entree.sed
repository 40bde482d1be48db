66c\
\            <appreciation>-</appreciation>

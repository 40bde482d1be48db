38c\
\            <appreciation>   </appreciation>

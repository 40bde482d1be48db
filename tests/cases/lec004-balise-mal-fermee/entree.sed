67c\
\          </aquis>

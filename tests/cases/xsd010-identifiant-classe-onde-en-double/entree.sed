13a\
\      <classe id="CL2" id-be="482913" libelle="CE2 M. Lê"/>

13c\
\      <classe id="CL1" id-be="482913" libelle="CE1 bilingue français-breton de Mme Kerhervé (site de Kerfeunteun)"/>

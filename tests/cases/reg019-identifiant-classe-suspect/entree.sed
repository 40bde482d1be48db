13c\
\      <classe id="CL1" id-be="4829" libelle="CE1 Mme Kerhervé"/>

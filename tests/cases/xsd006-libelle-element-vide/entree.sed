27c\
\      <element-programme id="EP2" libelle=""/>

27a\
\      <element-programme id="EP3" libelle="Se repérer et se déplacer en utilisant des repères et des plans."/>
45a\
\              <sous-domaine code-domaine="QLM-ETP" element-programme-refs="EP3" positionnement="3"/>

s|eleve-ref="EL2"|eleve-ref="EL1"|

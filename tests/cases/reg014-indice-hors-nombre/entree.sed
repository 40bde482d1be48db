s|indice="1"|indice="4"|

s|libelle="Calculer avec des nombres entiers : additions et soustractions\."/>|libelle=""/>|

s|nom="Le Goff-Hénaff"|nom="Le Goff-‮Hénaff"|
s|prenom="Zoë"/>|prenom="Zo\&#9;ë"/>|
s|lit avec plaisir|lit avec plaisir|

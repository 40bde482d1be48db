s|prenom="Zoë"/>|prenom="Zoë" date-naissance="2017-03-14"/>|

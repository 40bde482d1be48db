s|id="ENS1" civilite="MME" nom="Kerhervé"|id="ENS1" civilite="Mme" nom="Kerhervé"|

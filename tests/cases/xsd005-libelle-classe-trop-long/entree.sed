s|Mme Kerhervé"/>|bilingue français-breton de Mme Kerhervé (site de Kerfeunteun)"/>|

s|nb-periodes="3"|nb-periodes="5"|

s|positionnement="2">|positionnement="2" non-evalue="true">|

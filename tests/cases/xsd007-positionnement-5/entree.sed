s|positionnement="2">|positionnement="5">|

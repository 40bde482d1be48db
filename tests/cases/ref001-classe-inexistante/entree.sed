s|ine="0708123467K" classe-ref="CL1" nom="Le|ine="0708123467K" classe-ref="CL2" nom="Le|

s|classe-ref="CL1">|classe-ref="P1">|
52,54d

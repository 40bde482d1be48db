s|ine="0708123467K" classe-ref="CL1"|classe-ref="CL1"|

s|<appreciation>Zoë lit avec plaisir et comprend bien les histoires lues en classe\.</appreciation>|<appreciation>   </appreciation>|

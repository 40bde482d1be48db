s|<appreciation>Élouan s'engage pleinement dans les jeux collectifs\.</appreciation>|<appreciation>-</appreciation>|

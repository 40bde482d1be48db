s|pleinement|<b>pleinement</b>|

s|date-debut="2024-09-02"|date-debut="02/09/2024"|

s|date-verrou="2024-11-28T17:45:00"|date-verrou="2024-11-22T17:45:00"|

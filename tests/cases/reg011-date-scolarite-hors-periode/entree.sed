s|date-creation="2024-11-25" date-scolarite="2024-09-02" date-verrou="2024-11-28T17:45:00"|date-creation="2024-11-25" date-scolarite="2024-12-02" date-verrou="2024-11-28T17:45:00"|

s|xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="1\.0">|schemaVersion="1.0">|

2c\
<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="1.0">
38c\
\            <appreciation xsi:nil="true">Zoë lit avec plaisir et comprend bien les histoires lues en classe.</appreciation>

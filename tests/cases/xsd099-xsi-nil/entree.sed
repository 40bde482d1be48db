s|schemaVersion="1\.0">|xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="1.0">|
s|<appreciation>Zoë|<appreciation xsi:nil="true">Zoë|

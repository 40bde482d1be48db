s|schemaVersion="1\.0">|schemaVersion="2.5">|

2c\
<lsun-bilans schemaVersion="1.0">

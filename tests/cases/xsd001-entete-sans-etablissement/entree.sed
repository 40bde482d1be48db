6d

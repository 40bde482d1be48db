# the base export as it is

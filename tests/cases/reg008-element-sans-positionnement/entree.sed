s|element-programme-refs="EP2" positionnement="2">|element-programme-refs="EP2">|

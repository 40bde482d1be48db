s|millesime="2024"|millesime="2025"|

s|délégués et rédaction|délégués<br/>Rédaction|

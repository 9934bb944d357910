"""App Server: the shop's REST API (catalog, login, orders) behind API Gateway."""

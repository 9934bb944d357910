"""The JWT TOKEN authorizer (Handler: authorizer.handler.handler)."""

"""Lambda entry point (`Handler: handler.handler`); the code lives in jwt_authorizer.py beside this file."""

from jwt_authorizer import handler

__all__ = ["handler"]

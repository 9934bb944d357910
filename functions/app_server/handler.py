"""Lambda entry point (`Handler: handler.handler`); the code lives in the shop_api package beside this file."""

from shop_api.entry import handler

__all__ = ["handler"]

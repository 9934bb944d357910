"""Lambda entry point (`Handler: handler.handler`); the code lives in the fulfilment package beside this file."""

from fulfilment.entry import handler

__all__ = ["handler"]

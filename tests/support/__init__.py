"""Test support: the deployed shop driver, in-process handlers, fakes, the mocks, the deploy tool runner."""

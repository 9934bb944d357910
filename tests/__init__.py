"""The shop's tests (a package, so that tests/support and the tools import as tests.support.*)."""

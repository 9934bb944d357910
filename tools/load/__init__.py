"""Load and faults, reconciled (`make load`: `python -m tools.load.run`); drives the shop through tests/support."""

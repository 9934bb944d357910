"""Load and faults, reconciled (`make load`: `python -m tools.load`); drives the shop through tests/support."""

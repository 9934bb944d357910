"""Development measurements: the load generator, the bench, the doc writers (`make load`, `make bench`)."""

"""The embedded local cloud: moto plus one thin layer per gap (see localcloud/README.md)."""

"""Local stand-ins for the external Payment and Shipment systems (see mocks/README.md)."""

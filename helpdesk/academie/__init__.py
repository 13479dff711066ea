"""The académie's own details (name, addresses, assistance phone and hours, DPD contact)."""

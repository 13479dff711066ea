"""Deflection: the FAQ articles proposed while people write a request, and what they answered."""

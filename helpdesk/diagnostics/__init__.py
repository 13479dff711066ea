"""Diagnostics: rules run over a person's account data, with guided fixes in French."""

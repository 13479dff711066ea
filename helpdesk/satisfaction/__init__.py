"""Requesters' rating of a resolved ticket, reached from the "resolved" e-mail."""

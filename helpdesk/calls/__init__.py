"""Tickets opened by an agent for a phone call or a visit, after looking the person up."""

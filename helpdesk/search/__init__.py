"""The agents' global search: tickets and articles in one box."""

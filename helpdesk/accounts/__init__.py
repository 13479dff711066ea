"""Imported school base and EduConnect account directory; matching of people."""

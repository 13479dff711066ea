"""Macros: a reply, a status and labels applied to a ticket in one click."""

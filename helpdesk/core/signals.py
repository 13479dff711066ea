"""What happened in the domain, for the features that follow it without being called by it.

The ticket lifecycle sends; optional features (diagnostics) subscribe when the application
is set up, so that the lifecycle imports none of them.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A request became a ticket. Sender: the ticket; keyword: ``session`` (the open transaction).
ticket_opened = _signals.signal("ticket-opened")

"""What happened in the domain, for the features that follow it without being called by it.

The ticket lifecycle sends; the features that follow it (the e-mails to requesters and
agents, the diagnosis on arrival, the RGPD requests' holds) subscribe when the application is
set up, so that the lifecycle imports none of them. Receivers run inside the sender's call,
on the ``session`` it passes: what they write (an e-mail in the outbox) is committed or rolled
back with the change itself.

Every ticket signal's sender is the ticket, with the keywords ``session`` (the open
transaction) and ``ctx`` (the services' context), plus those listed.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A request became a ticket. Keyword: ``actor`` (None for a requester without an account).
ticket_opened = _signals.signal("ticket-opened")

#: An agent answered the requester (not an internal note). Keywords: ``message``,
#: ``resolved`` (True when the reply resolves the ticket: one e-mail tells both).
agent_replied = _signals.signal("agent-replied")

#: A director closed someone else's request. Keyword: ``message`` (the reason, as written in
#: the conversation).
closed_with_reason = _signals.signal("closed-with-reason")

#: The requester reopened their resolved or closed request without a word. Keyword: ``actor``.
reopened = _signals.signal("reopened")

#: How many days after its resolution a requester may reopen a request (an administrator's
#: setting). Sender: None; keywords ``session`` and ``ctx``. Receivers return the days.
reopen_delay = _signals.signal("reopen-delay")

#: The requester (or the director who filed it) wrote on the ticket. Keyword: ``message``.
requester_wrote = _signals.signal("requester-wrote")

#: The status changed. Keywords: ``actor`` (None for the periodic jobs), ``old`` (the former
#: status) and ``tell_requester`` (False when the change is part of a reply that says it).
status_changed = _signals.signal("status-changed")

#: Someone else than the actor now handles the ticket. Keywords: ``actor``, ``assignee``.
ticket_assigned = _signals.signal("ticket-assigned")

#: The ticket was closed because its requester never answered.
closed_unanswered = _signals.signal("closed-unanswered")

#: The requester is reminded that the ticket waits for them. Keywords: ``close_at`` (when it
#: closes without an answer), ``dedupe_key`` (one reminder per key). Receivers return True
#: when they queued a reminder.
reminder_due = _signals.signal("reminder-due")

#: A due date is at risk or passed. Keywords: ``target`` (its name), ``due_at`` and
#: ``remaining`` (in words), ``dedupe_key`` (one alert per key). Receivers return True when
#: they queued an alert.
sla_at_risk = _signals.signal("sla-at-risk")

#: Which tickets the automatic closures leave alone. Sender: None. Receivers return a
#: SELECT of ticket ids (an RGPD request waiting for a proof of identity, for one).
closure_holds = _signals.signal("closure-holds")

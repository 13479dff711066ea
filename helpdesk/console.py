"""The ``helpdesk`` console script.

A mail server runs ``helpdesk mail ingest`` once per message: that call goes straight to
storing the message (:mod:`helpdesk.mail.inbound.store`), before click, Flask or SQLAlchemy
are imported. Every other call goes to the command group of :mod:`helpdesk.cli`.
"""

from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:] == ["mail", "ingest"]:
        from helpdesk.mail.inbound.store import main as ingest

        sys.exit(ingest())
    from helpdesk.cli import main

    main()

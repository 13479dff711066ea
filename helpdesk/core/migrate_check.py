"""Apply every migration to a scratch SQLite database and check the models match them."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic.util.exc import CommandError

from helpdesk.core.migrate import check, upgrade


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'check.db'}"
        upgrade(url)
        try:
            check(url)
        except CommandError as exc:
            print(f"Les modèles ont divergé des migrations : {exc}", file=sys.stderr)
            return 1
    print("Migrations à jour.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

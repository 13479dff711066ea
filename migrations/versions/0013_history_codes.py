"""History rows keep the codes of statuses and priorities; labels are for display only.

Rows written before kept the French label of the day; they are turned back into codes, so
that a label renamed in the administration changes what people read and nothing else.

Revision ID: 0013_history_codes
Revises: 0012_intake_academie
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_history_codes"
down_revision = "0012_intake_academie"
branch_labels = None
depends_on = None

# The labels as the rows were written (frozen here: the application's may change).
LABELS = {
    "status": {
        "nouveau": "Nouveau",
        "en_cours": "En cours",
        "en_attente_demandeur": "En attente du demandeur",
        "resolu": "Résolu",
        "clos": "Clos",
    },
    "priority": {"basse": "Basse", "normale": "Normale", "haute": "Haute", "urgente": "Urgente"},
}


def _rewrite(to_code: bool) -> None:
    connection = op.get_bind()
    for kind, labels in LABELS.items():
        for code, label in labels.items():
            before, after = (label, code) if to_code else (code, label)
            for column in ("old_value", "new_value"):
                connection.execute(
                    sa.text(
                        f"UPDATE ticket_event SET {column} = :after "
                        f"WHERE kind = :kind AND {column} = :before"
                    ),
                    {"kind": kind, "before": before, "after": after},
                )


def upgrade() -> None:
    _rewrite(to_code=True)


def downgrade() -> None:
    _rewrite(to_code=False)

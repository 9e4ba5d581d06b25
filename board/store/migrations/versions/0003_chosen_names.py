"""Names people choose for their cursor, where the workshop allows it (issue 4).

- `participants.chosen_name`: the name a participant chose to show beside their cursor, or
  null for the friendly generated one in `participants.name`; cleared for everyone when the
  facilitator stops allowing names. Never part of the record or any export.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as table:
        table.add_column(sa.Column("chosen_name", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants") as table:
        table.drop_column("chosen_name")

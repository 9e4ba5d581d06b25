"""Where each object was made in its board's history (`objects.made`), so that things made in
the same millisecond are listed in the order they were made, the same after a restart as
before (`core/withdrawal.py`): an object's place in memory is not stored, and the rows came
back in id order.

- `objects.made`: the seq of the op that made the object, times `rows.MADE_PER_OP`, plus its
  place among what that op made; null for objects stored before this revision (listed by id
  among those of the same millisecond, as before).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("objects") as table:
        table.add_column(sa.Column("made", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("objects") as table:
        table.drop_column("made")

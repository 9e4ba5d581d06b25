"""The engagement loop (issue 10): withdrawal receipts, keep-until dates, withdrawn counts.

- `participants.receipt_hash`: the SHA-256 of a participant's withdrawal code (shown once at
  join), unique so a code finds its holder without knowing the workshop;
- `workshops.keep_until`: when the workshop and everything in it is erased (ms since the
  epoch); null means the server's default (`BOARD_KEEP_DAYS` after it was made);
- `workshops.withdrawn`: how many contributions people withdrew, the only trace of them the
  record keeps.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as table:
        table.add_column(sa.Column("receipt_hash", sa.String(64), nullable=True))
        table.create_index("ix_participants_receipt_hash", ["receipt_hash"], unique=True)
    with op.batch_alter_table("workshops") as table:
        table.add_column(sa.Column("keep_until", sa.BigInteger(), nullable=True))
        table.add_column(sa.Column("withdrawn", sa.Integer(), nullable=False, server_default="0"))
        table.create_index("ix_workshops_keep_until", ["keep_until"])


def downgrade() -> None:
    with op.batch_alter_table("workshops") as table:
        table.drop_index("ix_workshops_keep_until")
        table.drop_column("withdrawn")
        table.drop_column("keep_until")
    with op.batch_alter_table("participants") as table:
        table.drop_index("ix_participants_receipt_hash")
        table.drop_column("receipt_hash")

"""Who contributed to a merged point (issue 10): `shares`, one row per note merged into a kept
note, with its group, its words and its writer, so that withdrawing takes only one's own part
of a merged point (`board/services/duplicates.py`, `board/services/withdrawal.py`). Deleted
with its contributor's withdrawal and with the workshop.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column(
            "board_id", sa.String(32), sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("note_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("group_number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.String(32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_shares_author_id", "shares", ["author_id"])


def downgrade() -> None:
    op.drop_index("ix_shares_author_id", "shares")
    op.drop_table("shares")

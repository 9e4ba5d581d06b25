"""Workshops, boards, participants, objects and the op log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column("facilitator_key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", sa.BigInteger(), nullable=True),
        sa.Column("template", sa.String(100), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
    )
    op.create_table(
        "boards",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "workshop_id",
            sa.String(32),
            sa.ForeignKey("workshops.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), nullable=False),
        sa.Column("floor_seq", sa.BigInteger(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
    )
    op.create_index("ix_boards_workshop_number", "boards", ["workshop_id", "number"], unique=True)
    op.create_table(
        "participants",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "workshop_id",
            sa.String(32),
            sa.ForeignKey("workshops.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_participants_workshop_id", "participants", ["workshop_id"])
    op.create_table(
        "objects",
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("author_id", sa.String(32), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_objects_author_id", "objects", ["author_id"])
    op.create_table(
        "ops",
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.BigInteger(), primary_key=True),
        sa.Column("participant_id", sa.String(32), nullable=True),
        sa.Column("op_id", sa.String(64), nullable=True),
        sa.Column("effects", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_ops_dedup", "ops", ["participant_id", "op_id"], unique=True)


def downgrade() -> None:
    op.drop_table("ops")
    op.drop_table("objects")
    op.drop_table("participants")
    op.drop_table("boards")
    op.drop_table("workshops")

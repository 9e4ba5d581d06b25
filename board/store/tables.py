"""The tables. Alembic migrations (`migrations/versions/`) create them; this module is what the
code reads and writes through.

Where a participant is linked to what they made (`objects.author_id`, `ops.participant_id`,
`shares.author_id`),
the link exists only to deduplicate resent ops, enforce vote budgets, and let a participant
withdraw; no page, export or other client ever reads it. Withdrawal and workshop deletion
remove rows, they do not flag them (`erase.py`).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    facilitator_key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    template: Mapped[str | None] = mapped_column(String(100), nullable=True)
    details: Mapped[str] = mapped_column(Text, default="{}")
    """JSON: agenda, purpose statement, poll question... whatever the workshop carries."""
    keep_until: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    """When it is erased (`board/services/retention.py`); null: `BOARD_KEEP_DAYS` after `created_at`."""
    withdrawn: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Contributions withdrawn by the people who made them: a count, nothing else."""


class Board(Base):
    __tablename__ = "boards"
    __table_args__ = (Index("ix_boards_workshop_number", "workshop_id", "number", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """0 is the main board; breakout boards are 1..N."""
    head_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    """The seq of the last committed op; the next op gets head_seq + 1."""
    floor_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    """Ops at or below this seq can no longer be replayed (their effects were erased by a
    withdrawal); a client that has less gets a snapshot."""
    settings: Mapped[str] = mapped_column(Text, default="{}")


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    """`participant` or `facilitator`."""
    name: Mapped[str] = mapped_column(String(64))
    """The friendly generated name shown beside their cursor ("Teal Heron")."""
    chosen_name: Mapped[str | None] = mapped_column(String(40), nullable=True)
    """A name they chose to show instead, where the workshop allows it (never exported)."""
    created_at: Mapped[int] = mapped_column(BigInteger)
    board_id: Mapped[str | None] = mapped_column(ForeignKey("boards.id", ondelete="SET NULL"), nullable=True)
    """The board they were last sent to (allocated, moved, or the main board's id once brought
    back), NULL while nobody has sent them anywhere: `GET .../where`."""
    receipt_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)
    """SHA-256 of their withdrawal code (`board/services/withdrawal.py`), shown to them once."""


class BoardObjectRow(Base):
    """The current state of each object: what a snapshot is built from."""

    __tablename__ = "objects"

    board_id: Mapped[str] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    author_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    data: Mapped[str] = mapped_column(Text)
    made: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    """Where the object was made in its board's history (`rows.made_at`): the order of things
    made in the same millisecond, which the objects themselves do not keep. Written when an op
    makes the object (or puts it back), kept by its later updates; null for rows older than it."""


class OpRow(Base):
    """The op log: one row per committed op, in seq order per board."""

    __tablename__ = "ops"
    __table_args__ = (Index("ix_ops_dedup", "participant_id", "op_id", unique=True),)

    board_id: Mapped[str] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    participant_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    op_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    effects: Mapped[str | None] = mapped_column(Text, nullable=True)
    """JSON effects (`core/effects.py`); null once below the board's floor."""
    created_at: Mapped[int] = mapped_column(BigInteger)


class ShareRow(Base):
    """One contributor's part in a merged point (`board/services/duplicates.py`): the note they wrote, merged
    into the note kept, with the group (board number) it came from and its words. Kept so
    that when someone withdraws only their part goes: the point passes to another contributor
    while one remains (`board/services/withdrawal.py`). Never read by a page, an export or a client;
    deleted when its contributor withdraws, and with the workshop."""

    __tablename__ = "shares"

    board_id: Mapped[str] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True)
    """The board of the note kept."""
    note_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The note kept."""
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The share: the kept note's own id for its writer's part, `duplicates.moved_id` for a note
    merged into it. Named so (`board:id`) in its contributor's withdrawal list."""
    group_number: Mapped[int] = mapped_column(Integer)
    """The board (group) whose note it was: one of the kept note's `groups`."""
    author_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    """Their note's words when merged: what the point says if it passes to them."""
    created_at: Mapped[int] = mapped_column(BigInteger)


workshops = cast(Table, Workshop.__table__)
boards = cast(Table, Board.__table__)
participants = cast(Table, Participant.__table__)
objects = cast(Table, BoardObjectRow.__table__)
ops = cast(Table, OpRow.__table__)
shares = cast(Table, ShareRow.__table__)

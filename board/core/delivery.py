"""Who gets which frame, and how a returning client catches up. Pure: the hub asks, then sends.

The hub sends committed ops as one frame per *viewer class* per tick, encoded once and shared:
everyone who sees the same thing gets the same bytes. Most of the time there are two classes,
participants and facilitators, and their frames are often identical. A participant needs a
frame of their own only when an op in the tick concerns something only they can see (their
private note, their own hidden vote): `stakeholders` finds those participants.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from board.core.effects import Change, Effect, project
from board.core.protocol import encode_ops
from board.core.state import FACILITATOR, PUBLIC, Viewer


@dataclass(frozen=True, slots=True)
class Entry:
    """One committed op, as the hub keeps it for delivery and replay."""

    seq: int
    author: str | None
    """Internal ref of the participant who made the op (who made the objects it created)."""
    effects: tuple[Effect, ...]


class Resume(Enum):
    NOTHING = "nothing"
    """The client is up to date."""
    REPLAY = "replay"
    """Send exactly the ops after the client's seq."""
    SNAPSHOT = "snapshot"
    """Send the whole board: the client has nothing, is too far behind, is ahead of the
    server (a restored database), or missed ops that were erased since (withdrawal)."""


def plan_resume(since: int | None, head: int, floor: int, oldest_kept: int) -> Resume:
    """How to bring a client that has applied ops up to `since` to `head`.

    `oldest_kept` is the first seq still in the replay window (head + 1 when it is empty);
    `floor` is the last seq whose effects may no longer be replayed.
    """
    if since is None or since > head or since < floor:
        return Resume.SNAPSHOT
    if since == head:
        return Resume.NOTHING
    if since + 1 < oldest_kept:
        return Resume.SNAPSHOT
    return Resume.REPLAY


def stakeholders(entries: Iterable[Entry]) -> set[str]:
    """Participants who see something in these entries that others do not."""
    refs: set[str] = set()
    for entry in entries:
        for effect in entry.effects:
            if isinstance(effect, Change):
                for audience in (effect.before, effect.after):
                    if audience is not None and audience.startswith("p:"):
                        refs.add(audience[2:])
    return refs


def viewer_class(viewer: Viewer, stake: set[str]) -> str:
    """The key of the shared frame this viewer receives."""
    if viewer.facilitator:
        return "fac"
    if viewer.ref is not None and viewer.ref in stake:
        return viewer.ref
    return ""


def viewer_for_class(key: str) -> Viewer:
    if key == "fac":
        return FACILITATOR
    if key == "":
        return PUBLIC
    return Viewer(ref=key)


def ops_frame(entries: Sequence[Entry], viewer: Viewer, first: int | None = None) -> str:
    """The `ops` frame covering `first`..last entry (first defaults to the first entry's seq)."""
    body = []
    for entry in entries:
        items = project(entry.effects, viewer)
        if items:
            body.append((entry.seq, items))
    start = entries[0].seq if first is None else first
    return encode_ops(start, entries[-1].seq, body)

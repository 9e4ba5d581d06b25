"""A board's state and who may see what.

Everyone on a board does not see the same board: in private mode a participant sees only their
own notes, hidden notes are seen by facilitators alone, and dot votes are seen by their voter
until the results are shown. Each object therefore has an *audience*, computed from the
object, its author and the settings:

- `"all"`: everyone on the board;
- `"fac"`: facilitators only (hidden by moderation);
- `"p:<ref>"`: one participant (and facilitators).

An exit-poll answer (`pollword`) is always seen by its author and facilitators only.

Every change carries the audience before and after (`effects.py`), so what each viewer
receives is a pure function of the change and the viewer: no per-viewer state on the server.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from board.core.model import AnyObject, BoardObject, PollWord, Settings, Vote

ALL = "all"
FACILITATORS = "fac"


def only(ref: str) -> str:
    """The audience of one participant (and facilitators)."""
    return f"p:{ref}"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking. `ref` is the participant's internal id, never shown to anyone."""

    ref: str | None = None
    facilitator: bool = False

    def sees(self, audience: str) -> bool:
        if audience == ALL or self.facilitator:
            return True
        return self.ref is not None and audience == only(self.ref)


PUBLIC = Viewer()
"""Any participant looking at what is shared: the view that one cached snapshot serves."""
FACILITATOR = Viewer(facilitator=True)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is changing the board. `ref` is the internal participant id (stored with the op for
    deduplication and withdrawal, never sent to other clients)."""

    ref: str
    facilitator: bool = False

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.ref, self.facilitator)


def audience(obj: BoardObject, author: str | None, settings: Settings) -> str:
    if obj.hidden:
        return FACILITATORS
    if isinstance(obj, PollWord):  # answers are only ever seen as counts (`core/poll.py`)
        return only(author) if author is not None else FACILITATORS
    if author is not None:
        if isinstance(obj, Vote) and not settings.votes_shown:
            return only(author)
        if obj.private:
            return only(author)
    return ALL


@dataclass(frozen=True, slots=True)
class BoardState:
    """Immutable: `ops.apply` returns a new state and leaves this one as it was, so a failed
    commit simply keeps the old state.

    `authors` maps object id to the internal ref of the participant who made it. It exists to
    enforce vote budgets, show private notes to their author, and withdraw a participant's
    contributions; it is never encoded for any client or export.
    """

    objects: Mapping[str, AnyObject] = field(default_factory=dict)
    authors: Mapping[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    gone: Mapping[str, str | None] = field(default_factory=dict)
    """Ids of objects removed from this board, with the ref of who removed them (None: the
    server, a withdrawal, or someone who has since withdrawn). An id stays claimed once used,
    so that a `create` answers the same whether the id's object is gone or only hidden from
    the asker (`ops.py`, "no answer reveals whether a private or hidden object exists")."""

    def audience_of(self, oid: str) -> str:
        return audience(self.objects[oid], self.authors.get(oid), self.settings)

    def visible(self, viewer: Viewer) -> Iterator[AnyObject]:
        for oid, obj in self.objects.items():
            if viewer.sees(audience(obj, self.authors.get(oid), self.settings)):
                yield obj

    def forget_remover(self, ref: str) -> BoardState:
        """The same state with `ref` no longer named as the remover of any id (they withdrew)."""
        if ref not in self.gone.values():
            return self
        gone = {oid: (None if by == ref else by) for oid, by in self.gone.items()}
        return BoardState(self.objects, self.authors, self.settings, gone)

    def owned_by(self, ref: str) -> list[str]:
        """Ids of the objects a participant made (their "mine" list)."""
        return [oid for oid, author in self.authors.items() if author == ref]

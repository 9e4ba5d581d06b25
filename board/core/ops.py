"""Ops, and `apply`: the only place board state changes.

An op is what a client asks for: `create` an object, `update` some of its properties,
`delete` it, a `batch` of those applied atomically (moving 30 selected notes is one op), a
facilitator's change of board `settings`, or a facilitator's `timer` intent (start, pause,
resume, add time, clear), which the server turns into the timer's state at its own clock.
The server gives each accepted op the board's next `seq` and applies ops in that order, so
every replica converges. Updates name only the properties they change: two people editing
the text and the position of one note at once both win (last writer wins per property, not
per object).

`apply` checks the op against the board as it is (who may do what, what exists, vote budgets)
and returns either the new state with the op's effects, or a `ProtocolError`. It never raises
for bad input and never half-applies: a batch with one bad op changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import Meta, Struct

from board.core import poll, voting
from board.core.effects import Change, Effect, SettingsChange
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import (
    LINE_KINDS,
    AnyObject,
    BoardObject,
    Comment,
    Frame,
    Note,
    ObjectId,
    Origin,
    Patch,
    Placed,
    PollWord,
    Settings,
    SettingsPatch,
    Shape,
    Stroke,
    Text,
    Timer,
    Vote,
)
from board.core.ordering import is_valid_key
from board.core.provenance import Checked, copied_here
from board.core.state import Actor, BoardState, audience
from board.core.validation import from_msgspec


class _Op(Struct, frozen=True, kw_only=True, tag_field="kind", forbid_unknown_fields=True):
    pass


class Create(_Op, frozen=True, kw_only=True, tag="create"):
    obj: AnyObject


class Update(_Op, frozen=True, kw_only=True, tag="update"):
    id: ObjectId
    props: Patch


class Delete(_Op, frozen=True, kw_only=True, tag="delete"):
    id: ObjectId


class Batch(_Op, frozen=True, kw_only=True, tag="batch"):
    ops: Annotated[tuple[Create | Update | Delete, ...], Meta(min_length=1, max_length=LIMITS.max_batch_ops)]


class ChangeSettings(_Op, frozen=True, kw_only=True, tag="settings"):
    props: SettingsPatch


MIN_TIMER_MS: Final = 1000
"""Shortest timer, and least time added to one: a second."""
ADD_DEFAULT_MS: Final = 60_000
"""What `add` adds when it names no `ms`: "add a minute"."""
TimerMs = Annotated[int, Meta(ge=MIN_TIMER_MS, le=LIMITS.max_timer_ms)]


class ChangeTimer(_Op, frozen=True, kw_only=True, tag="timer"):
    """A facilitator's intent for the timer; the server applies it at its own time (`now`), so
    the timer never depends on the facilitator's clock. `start` needs `ms` (the length);
    `add` takes `ms` (a minute when omitted); `pause`, `resume` and `clear` take none."""

    action: Literal["start", "pause", "resume", "add", "clear"]
    ms: TimerMs | None = None


Op = Create | Update | Delete | Batch | ChangeSettings | ChangeTimer
SimpleOp = Create | Update | Delete


@dataclass(frozen=True, slots=True)
class Applied:
    state: BoardState
    effects: tuple[Effect, ...]


def apply(state: BoardState, op: Op, actor: Actor, now: int) -> Applied | ProtocolError:
    """Apply one op as `actor` at time `now` (ms since the epoch)."""
    draft = _Draft(state)
    outcome = draft.run(op, actor, now)
    if isinstance(outcome, ProtocolError):
        return outcome
    return Applied(draft.freeze(), tuple(outcome))


def apply_all(
    state: BoardState, requests: Sequence[tuple[Op, Actor]], now: int
) -> tuple[BoardState, list[tuple[Effect, ...] | ProtocolError]]:
    """Apply ops in order, each seeing the ones before it; a refused op changes nothing.

    Equivalent to calling `apply` once per op, but copies the board once rather than once per
    op: what the hub uses to sequence a group commit.
    """
    draft = _Draft(state)
    results: list[tuple[Effect, ...] | ProtocolError] = []
    for op, actor in requests:
        mark = draft.mark()
        outcome = draft.run(op, actor, now)
        if isinstance(outcome, ProtocolError):
            draft.rollback(mark)
            results.append(outcome)
        else:
            results.append(tuple(outcome))
    return draft.freeze(), results


def withdraw(state: BoardState, ref: str) -> Applied:
    """Remove everything a participant made on this board (notes, comments, votes, ...), and
    what hangs on it (comments and votes on their notes)."""
    draft = _Draft(state)
    effects: list[Effect] = []
    for oid in state.owned_by(ref):
        if oid in draft.objects:
            effects.extend(draft.remove_with_dependents(oid))
    return Applied(draft.freeze(), tuple(effects))


def adopt(
    state: BoardState, objects: Sequence[tuple[AnyObject, str | None]], remove: Sequence[str] = ()
) -> Applied:
    """A change the server makes itself: remove some objects (with what hangs on them) and
    place others, each keeping the author it names. Used to merge duplicates (votes move to
    the kept note, still their voters') and to pull breakout notes into the main board (copies
    stay their authors', so withdrawing takes the copies too). No budget or lock applies: the
    server checked what it asked for. Objects whose id is taken are not placed, nor any once
    the board holds `max_objects_per_board` (those before them are)."""
    draft = _Draft(state)
    effects: list[Effect] = []
    for oid in remove:
        effects.extend(draft.remove_with_dependents(oid))
    for obj, author in objects:
        if obj.id in draft.objects or not draft.place(obj, author):
            continue
        effects.append(Change(obj.id, None, draft.audience_of(obj.id), obj, author=author))
    return Applied(draft.freeze(), tuple(effects))


def _error(code: ErrorCode, field: str, rule: str) -> ProtocolError:
    return ProtocolError(code, field, rule)


_Undo = tuple[str, AnyObject | None, str | None, tuple[str | None] | None]
"""How to take one write back: the id, its object and author before, and whether it was gone
before (and removed by whom)."""


class _Draft:
    """A working copy of a board with an undo journal, so a refused op can be taken back."""

    def __init__(self, state: BoardState) -> None:
        self.objects: dict[str, AnyObject] = dict(state.objects)
        self.authors: dict[str, str] = dict(state.authors)
        self.settings: Settings = state.settings
        self.gone: dict[str, str | None] = dict(state.gone)
        self._journal: list[_Undo | Settings] = []
        self._attached: dict[str, set[str]] | None = None

    # -- journal -------------------------------------------------------------------------

    def mark(self) -> int:
        return len(self._journal)

    def rollback(self, mark: int) -> None:
        while len(self._journal) > mark:
            entry = self._journal.pop()
            if isinstance(entry, Settings):
                self.settings = entry
                continue
            oid, obj, author, gone = entry
            if gone is None:
                self.gone.pop(oid, None)
            else:
                self.gone[oid] = gone[0]
            self._unindex(oid)
            if obj is None:
                self.objects.pop(oid, None)
                self.authors.pop(oid, None)
            else:
                self.objects[oid] = obj
                if author is None:
                    self.authors.pop(oid, None)
                else:
                    self.authors[oid] = author
                self._index(obj)

    def freeze(self) -> BoardState:
        return BoardState(self.objects, self.authors, self.settings, self.gone)

    def _remember(self, oid: str) -> None:
        gone = (self.gone[oid],) if oid in self.gone else None
        self._journal.append((oid, self.objects.get(oid), self.authors.get(oid), gone))

    def _put(self, obj: AnyObject, author: str | None = None) -> bool:
        """Write an object. A new one on a full board is not written (False): every new
        object comes through here, a person's create and the server's copies alike."""
        if obj.id not in self.objects and len(self.objects) >= LIMITS.max_objects_per_board:
            return False
        self._remember(obj.id)
        self._unindex(obj.id)
        self.gone.pop(obj.id, None)
        self.objects[obj.id] = obj
        if author is not None:
            self.authors[obj.id] = author
        self._index(obj)
        return True

    def _remove(self, oid: str, by: str | None) -> None:
        self._remember(oid)
        self._unindex(oid)
        del self.objects[oid]
        self.authors.pop(oid, None)
        self.gone[oid] = by

    def place(self, obj: AnyObject, author: str | None) -> bool:
        return self._put(obj, author)

    def audience_of(self, oid: str) -> str:
        return self._audience(oid)

    def _set_settings(self, settings: Settings) -> None:
        self._journal.append(self.settings)
        self.settings = settings

    # -- what hangs on what (comments and votes), built only when something is removed ---

    def _dependents(self, oid: str) -> set[str]:
        if self._attached is None:
            self._attached = {}
            for obj in self.objects.values():
                self._index(obj)
        return set(self._attached.get(oid, ()))

    def _index(self, obj: AnyObject) -> None:
        if self._attached is None:
            return
        for anchor in _anchors(obj):
            self._attached.setdefault(anchor, set()).add(obj.id)

    def _unindex(self, oid: str) -> None:
        if self._attached is None or oid not in self.objects:
            return
        for anchor in _anchors(self.objects[oid]):
            self._attached.get(anchor, set()).discard(oid)

    def remove_with_dependents(self, oid: str, by: str | None = None) -> list[Effect]:
        effects: list[Effect] = []
        pending = [oid]
        while pending:
            current = pending.pop()
            if current not in self.objects:
                continue
            pending.extend(self._dependents(current))
            effects.append(Change(current, self._audience(current), None))
            self._remove(current, by)
        return effects

    # -- ops -----------------------------------------------------------------------------

    def _audience(self, oid: str) -> str:
        return audience(self.objects[oid], self.authors.get(oid), self.settings)

    def _visible(self, oid: str, actor: Actor) -> bool:
        return oid in self.objects and actor.viewer.sees(self._audience(oid))

    def run(self, op: Op, actor: Actor, now: int) -> list[Effect] | ProtocolError:
        if isinstance(op, ChangeSettings):
            return self._change_settings(op, actor)
        if isinstance(op, ChangeTimer) and not actor.facilitator:
            return _error(ErrorCode.FORBIDDEN, "kind", "only facilitators run the timer")
        if self.settings.closed:
            return _error(ErrorCode.READ_ONLY, "", "the workshop is closed")
        if isinstance(op, ChangeTimer):
            return self._change_timer(op, now)
        if self.settings.locked and not actor.facilitator and not self._answers_poll(op):
            return _error(ErrorCode.READ_ONLY, "", "the board is locked by the facilitator")
        if isinstance(op, Batch):
            effects: list[Effect] = []
            for index, sub in enumerate(op.ops):
                outcome = self._run_simple(sub, actor, now)
                if isinstance(outcome, ProtocolError):
                    return outcome.under(f"ops[{index}]")
                effects.extend(outcome)
            return effects
        return self._run_simple(op, actor, now)

    def _answers_poll(self, op: Op) -> bool:
        """Adding or withdrawing an exit-poll answer is not editing the board: a facilitator
        may lock the main board and still run the exit poll on it."""
        if isinstance(op, Create):
            return isinstance(op.obj, PollWord)
        return isinstance(op, Delete) and isinstance(self.objects.get(op.id), PollWord)

    def _run_simple(self, op: SimpleOp, actor: Actor, now: int) -> list[Effect] | ProtocolError:
        if isinstance(op, Create):
            return self._create(op.obj, actor, now)
        if isinstance(op, Update):
            return self._update(op, actor)
        return self._delete(op.id, actor)

    def _create(self, obj: AnyObject, actor: Actor, now: int) -> list[Effect] | ProtocolError:
        if self._claimed(obj.id, actor):
            return _error(ErrorCode.CONFLICT, "obj.id", "this id is already used on this board")
        private = (
            self.settings.private_mode and not actor.facilitator and not isinstance(obj, Vote | PollWord)
        )
        obj = msgspec.structs.replace(obj, private=private, hidden=False, created=now)
        if isinstance(obj, Note) and obj.groups:
            obj = msgspec.structs.replace(obj, groups=())
        problem = _check_shape(obj) or self._check_links(obj, actor)
        if problem:
            return problem.under("obj")
        if obj.origin is not None:
            origin = self._copy_of(obj, actor)
            if isinstance(origin, ProtocolError):
                return origin.under("obj")
            obj = msgspec.structs.replace(obj, origin=origin)
        if not self._put(obj, actor.ref):
            return _error(
                ErrorCode.BOARD_FULL, "obj", f"a board holds at most {LIMITS.max_objects_per_board} objects"
            )
        return [Change(obj.id, None, self._audience(obj.id), obj)]

    def _claimed(self, oid: str, actor: Actor) -> bool:
        """Whether `actor` may not create an object with this id. An id once used stays
        claimed: taken by an object (seen by the actor or not), or by one removed, which only
        its remover may make again (undo of a delete; facilitators may always). So `conflict`
        never tells an existing object the asker cannot see (someone's private note, a hidden
        one) from one that is gone."""
        if oid in self.objects:
            return True
        return oid in self.gone and not actor.facilitator and self.gone[oid] != actor.ref

    def _check_links(self, obj: AnyObject, actor: Actor) -> ProtocolError | None:
        """What a new object refers to must exist and be visible to its maker."""
        if isinstance(obj, Vote):
            return self._check_vote(obj, actor)
        if isinstance(obj, PollWord):
            return poll.refusal(obj.text, self.settings, self._owned(actor, PollWord))
        if not isinstance(obj, Comment):
            return None
        if obj.parent is not None:
            parent = self.objects.get(obj.parent)
            if not isinstance(parent, Comment) or not self._visible(obj.parent, actor):
                return _error(ErrorCode.NOT_FOUND, "parent", "no such comment")
            if parent.parent is not None:
                return _error(ErrorCode.BAD_VALUE, "parent", "replies answer a comment, not a reply")
            if obj.target is not None or obj.x is not None or obj.y is not None:
                return _error(
                    ErrorCode.BAD_VALUE,
                    "parent",
                    "a reply takes its place from the comment it answers",
                )
            return None
        if obj.target is not None:
            if not isinstance(self.objects.get(obj.target), Placed) or not self._visible(obj.target, actor):
                return _error(ErrorCode.NOT_FOUND, "target", "no such object to comment on")
            return None
        if obj.x is None or obj.y is None:
            return _error(
                ErrorCode.MISSING_FIELD,
                "x" if obj.x is None else "y",
                "a comment needs a target or a point",
            )
        return None

    def _copy_of(self, obj: AnyObject, actor: Actor) -> Origin | ProtocolError:
        """The root original of a copy a client made (duplicated or pasted). A client names an
        object on this board it can see, or one on another board that the server checked
        before the op got here (`Checked`: `provenance.copied_across`); anything else gets the
        answer a missing object gets. Only the server copies votes and the rest."""
        assert obj.origin is not None
        if not isinstance(obj, Placed):
            return _error(ErrorCode.BAD_VALUE, "origin", "only objects placed on the board are copied")
        if isinstance(obj.origin, Checked):
            return Origin(id=obj.origin.id, board=obj.origin.board)
        if obj.origin.board is not None:  # unchecked: not a board's check this op passed
            return _error(ErrorCode.NOT_FOUND, "origin.id", "no such object to copy")
        source = self.objects.get(obj.origin.id)
        if source is None or not self._visible(obj.origin.id, actor):
            return _error(ErrorCode.NOT_FOUND, "origin.id", "no such object to copy")
        if type(source) is not type(obj):
            return _error(ErrorCode.BAD_VALUE, "origin.id", "a copy names an object of its own type")
        return copied_here(source)

    def _check_vote(self, vote: Vote, actor: Actor) -> ProtocolError | None:
        visible = self._visible(vote.target, actor)
        return voting.refusal(
            self.objects.get(vote.target), visible, lambda: self._owned(actor, Vote), self.settings
        )

    def _owned(self, actor: Actor, kind: type[BoardObject]) -> int:
        """How many objects of a kind the actor made on this board (votes, poll answers)."""
        return sum(
            1
            for oid, author in self.authors.items()
            if author == actor.ref and isinstance(self.objects.get(oid), kind)
        )

    def _update(self, op: Update, actor: Actor) -> list[Effect] | ProtocolError:
        if not self._visible(op.id, actor):
            return _error(ErrorCode.NOT_FOUND, "id", "no such object")
        current = self.objects[op.id]
        refused = self._check_own(op.id, current, actor)
        if refused:
            return refused
        if isinstance(current, Vote):
            return _error(ErrorCode.FORBIDDEN, "id", "a vote cannot be changed, only removed")
        if isinstance(current, PollWord):
            return _error(ErrorCode.FORBIDDEN, "id", "an exit-poll answer cannot be changed, only withdrawn")
        # What the patch sets, and nothing it leaves unset (msgspec omits UNSET fields): one C
        # call, where `Patch.changes` reads each of its thirty fields in turn (the commit
        # path's largest share in the N=1000 profile, issue 19).
        plain: dict[str, Any] = msgspec.to_builtins(op.props)
        if not plain:
            return _error(ErrorCode.MISSING_FIELD, "props", "name at least one property to change")
        if "hidden" in plain and not actor.facilitator:
            return _error(ErrorCode.FORBIDDEN, "props.hidden", "only facilitators hide or show objects")
        plain.update(_translations_dropped(current, plain))
        try:
            updated = msgspec.convert({**msgspec.to_builtins(current), **plain}, type(current))
        except msgspec.ValidationError as error:
            return from_msgspec(error, "props")
        problem = _check_shape(updated)
        if problem:
            return problem.under("props")
        before = self._audience(op.id)
        self._put(updated)
        return [Change(op.id, before, self._audience(op.id), updated, plain)]

    def _delete(self, oid: str, actor: Actor) -> list[Effect] | ProtocolError:
        if not self._visible(oid, actor):
            return _error(ErrorCode.NOT_FOUND, "id", "no such object")
        current = self.objects[oid]
        refused = self._check_own(oid, current, actor)
        if refused:
            return refused
        if not actor.facilitator and self.authors.get(oid) != actor.ref:
            # Participants remove only what they made; facilitators moderate anything. Others'
            # notes may still be moved and edited: groups sort notes together.
            return _error(
                ErrorCode.NOT_YOURS, "id", "only the person who added this, or a facilitator, can remove it"
            )
        if isinstance(current, Vote) and not self.settings.voting:
            return _error(ErrorCode.VOTING_CLOSED, "", "voting is not open on this board")
        return self.remove_with_dependents(oid, actor.ref)

    def _check_own(self, oid: str, obj: BoardObject, actor: Actor) -> ProtocolError | None:
        """Comments, votes and poll answers are their author's; facilitators may moderate them."""
        if (
            isinstance(obj, Comment | Vote | PollWord)
            and not actor.facilitator
            and self.authors.get(oid) != actor.ref
        ):
            return _error(ErrorCode.NOT_YOURS, "id", "only its author, or a facilitator, can change this")
        return None

    def _change_settings(self, op: ChangeSettings, actor: Actor) -> list[Effect] | ProtocolError:
        if not actor.facilitator:
            return _error(ErrorCode.FORBIDDEN, "kind", "only facilitators change board settings")
        changes = op.props.changes()
        if not changes:
            return _error(ErrorCode.MISSING_FIELD, "props", "name at least one setting to change")
        before = self.settings
        if "title" in changes and before.titles is not None:
            # A title a facilitator writes is theirs, in one language, as with a frame's.
            changes["titles"] = None
        plain: dict[str, Any] = msgspec.to_builtins(changes)
        after: Settings = msgspec.structs.replace(before, **changes)
        # Audiences depend on settings: read every "before" under the old settings.
        revealing = before.private_mode and not after.private_mode
        votes_flip = before.votes_shown != after.votes_shown
        affected = [
            (oid, obj, self._audience(oid))
            for oid, obj in self.objects.items()
            if (revealing and obj.private) or (votes_flip and isinstance(obj, Vote))
        ]
        self._set_settings(after)
        effects: list[Effect] = [SettingsChange(plain)]
        for oid, obj, seen_by in affected:
            if revealing and obj.private:
                revealed = msgspec.structs.replace(obj, private=False)
                self._put(revealed)
                effects.append(Change(oid, seen_by, self._audience(oid), revealed, {"private": False}))
            else:
                effects.append(Change(oid, seen_by, self._audience(oid), obj))
        return effects

    def _change_timer(self, op: ChangeTimer, now: int) -> list[Effect] | ProtocolError:
        after = timer_after(self.settings.timer, op, now)
        if isinstance(after, ProtocolError):
            return after
        self._set_settings(msgspec.structs.replace(self.settings, timer=after))
        return [SettingsChange({"timer": None if after is None else msgspec.to_builtins(after)})]


def time_left(timer: Timer, now: int) -> int:
    """Milliseconds left on a timer at `now` (never below 0)."""
    if timer.ends_at is not None:
        return max(0, timer.ends_at - now)
    return max(0, timer.remaining or 0)


def timer_after(timer: Timer | None, op: ChangeTimer, now: int) -> Timer | ProtocolError | None:
    """The timer once `op` is applied at `now` (server time). Pausing a paused timer, or
    resuming a running one, leaves it as it is (two facilitators may press at once)."""
    if op.action == "start":
        if op.ms is None:
            return _error(ErrorCode.MISSING_FIELD, "ms", "say how long the timer runs, in ms")
        return Timer(total=op.ms, ends_at=now + op.ms)
    if op.ms is not None and op.action != "add":
        return _error(ErrorCode.UNKNOWN_FIELD, "ms", f"`{op.action}` takes no ms")
    if op.action == "clear":
        return None
    if timer is None:
        return _error(ErrorCode.NOT_FOUND, "action", "no timer is set")
    running = timer.ends_at is not None
    if op.action == "pause":
        return Timer(total=timer.total, remaining=time_left(timer, now)) if running else timer
    if op.action == "resume":
        return timer if running else Timer(total=timer.total, ends_at=now + time_left(timer, now))
    # add: to a running timer, a paused one, or one that has just ended
    left = min(LIMITS.max_timer_ms, time_left(timer, now) + (op.ms or ADD_DEFAULT_MS))
    total = min(LIMITS.max_timer_ms, max(timer.total, left))
    return Timer(total=total, ends_at=now + left) if running else Timer(total=total, remaining=left)


def _translations_dropped(current: BoardObject, changes: Mapping[str, object]) -> dict[str, None]:
    """A text or title a person changes is theirs, in one language: the template's words in
    each language (`texts`, `titles`) go, so everyone sees what they wrote. Sent with the
    patch, so every client drops them too."""
    if isinstance(current, Text) and current.texts is not None and "text" in changes:
        return {"texts": None}
    if isinstance(current, Frame) and current.titles is not None and "title" in changes:
        return {"titles": None}
    return {}


def _anchors(obj: AnyObject) -> tuple[str, ...]:
    """The objects this one hangs on: removed with them."""
    if isinstance(obj, Comment):
        return tuple(ref for ref in (obj.target, obj.parent) if ref is not None)
    if isinstance(obj, Vote):
        return (obj.target,)
    return ()


def _check_shape(obj: AnyObject) -> ProtocolError | None:
    """Rules one object must keep that its declared bounds cannot express."""
    if isinstance(obj, Placed) and not is_valid_key(obj.z):
        return _error(ErrorCode.BAD_FORMAT, "z", "must be a valid order key")
    if isinstance(obj, Shape) and obj.kind not in LINE_KINDS and (obj.w < 1 or obj.h < 1):
        return _error(ErrorCode.OUT_OF_RANGE, "w" if obj.w < 1 else "h", "must be at least 1 for a box shape")
    if isinstance(obj, Stroke) and (len(obj.points) < 2 or len(obj.points) % 2):
        return _error(ErrorCode.BAD_FORMAT, "points", "must be pairs of numbers: x0, y0, x1, y1, ...")
    return None

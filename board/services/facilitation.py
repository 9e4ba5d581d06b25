"""The facilitator's workshop-wide actions (issue 4): make a workshop from a template, open
breakout boards, see who is present, allocate people to boards, move one person, bring
everyone back, pull the breakout boards into the main board, change settings or the timer on
many boards at once, send the boards a message, close the workshop.

The decisions are pure (`core/breakout.py`: who goes where, what a pull places;
`core/plan.py`: what a template lays out); this module reads and writes the store, runs
changes on boards in their turn, and tells people where to go.

Moving people between boards. Where each participant was last sent is stored
(`participants.board_id`: the main board's id once sent there, by a move or "everyone back";
NULL while nobody has sent them anywhere), so a page that connects later asks
`GET /api/workshops/{id}/where` and goes there, and a page opened on a board nobody sent its
person away from stays (being sent to the main board is done once they are on it:
`arrived`); and everyone concerned is told at once with a `notice` frame
`{"type": "notice", "kind": "goto", "board": <id>, "number": N}`, sent only to their sockets
(`Hub.notify` with their refs) on every process.

Who is present. People are on a board while they have a socket on it. Each open room's
presence knows them, and with several processes also the people other processes report over
the broker, with the internal refs allocating and moving needs (`presence.py`); so with a
network broker the workshop's rooms are opened here too, asking the other processes for their
lists. People are named to the facilitator by cursor id (`cid`) and anonymous name, never by
their ref.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import msgspec

from board.core import breakout
from board.core.effects import Change
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import AnyObject, Note, Settings, SettingsPatch, Timer
from board.core.ops import MIN_TIMER_MS, ChangeSettings, ChangeTimer, timer_after
from board.core.plan import Lang, Plan
from board.core.protocol import (
    Goto,
    Message,
    Presenter,
    encode,
    message_refusal,
    presenter_board,
    presenter_refusal,
)
from board.core.state import Actor
from board.services.boards import in_turn, reader
from board.services.credentials import new_id
from board.services.templates import load
from board.services.workshops import CreatedWorkshop, create_workshop
from board.store.directory import BoardRef, Directory, Member, NewBoard, WorkshopInfo
from board.store.oplog import OpLog
from board.sync.hub import Hub

LANG_DETAIL: Final = "lang"
"""The key of a workshop's `details` holding the language its boards were laid out in."""


def goto_frame(board: BoardRef) -> str:
    """The notice that sends someone to a board."""
    return encode(Goto(board=board.id, number=board.number))


# --- making a workshop from a template ----------------------------------------------------------


async def create_from_template(
    directory: Directory,
    hub: Hub,
    plan: Plan,
    *,
    now: int,
    lang: Lang = "en",
    title: str | None = None,
    breakouts: int | None = None,
) -> CreatedWorkshop:
    """A workshop laid out as the template says: its boards titled, its frames and prompts
    placed, its details (purpose, agenda, poll question, taxonomy, vote budget) stored."""
    count = plan.breakouts if breakouts is None else breakouts
    created = await create_workshop(
        directory,
        title=title or _title(plan, lang),
        breakouts=count,
        now=now,
        template=plan.key,
        details={**plan.details(), LANG_DETAIL: lang},
        board_settings={number: plan.settings(number, lang) for number in range(count + 1)},
    )
    await lay_out(hub, plan, created.boards, lang)
    return created


def _title(plan: Plan, lang: Lang) -> str:
    return plan.title.text("cy" if lang == "cy" else "en")


async def lay_out(hub: Hub, plan: Plan, boards: Iterable[BoardRef], lang: Lang) -> None:
    """Place a template's objects on these boards, as server-made changes (attributed to
    nobody, so no participant can withdraw them). Ids are fixed, so laying out twice places
    nothing twice."""
    for board in boards:
        objects: list[tuple[AnyObject, str | None]] = [
            (obj, None) for obj in plan.objects(board.number, lang)
        ]
        if objects:
            room = await hub.room(board.id)
            await room.adopt(objects)


def workshop_plan(workshop: WorkshopInfo) -> tuple[Plan | None, Lang]:
    """The template a workshop was made from (if it still checks out) and its language."""
    found = load(workshop.template) if workshop.template else None
    lang = workshop.details.get(LANG_DETAIL, "en")
    return (found if isinstance(found, Plan) else None), (lang if lang in ("en", "cy", "both") else "en")


# --- breakout boards ---------------------------------------------------------------------------------


def _closed(workshop: WorkshopInfo) -> ProtocolError | None:
    if workshop.closed_at is not None:
        return ProtocolError(ErrorCode.READ_ONLY, "", "the workshop is closed")
    return None


async def open_breakouts(
    hub: Hub, directory: Directory, workshop: WorkshopInfo, count: int
) -> WorkshopInfo | ProtocolError:
    """Make sure breakout boards 1..count exist. Boards are never removed: asking for fewer
    than there are changes nothing, and boards stay after breakouts end."""
    if (closed := _closed(workshop)) is not None:
        return closed
    if not 0 <= count <= LIMITS.max_boards:
        return ProtocolError(ErrorCode.OUT_OF_RANGE, "boards", f"must be from 0 to {LIMITS.max_boards}")
    have = {board.number for board in workshop.boards}
    plan, lang = workshop_plan(workshop)
    new = [BoardRef(new_id(), number) for number in range(1, count + 1) if number not in have]
    if new:
        await directory.add_boards(
            workshop.id,
            [NewBoard(board.id, board.number, _new_settings(plan, lang, board.number)) for board in new],
        )
        if plan is not None:
            await lay_out(hub, plan, new, lang)
    found = await directory.workshop(workshop.id)
    if found is None:
        return ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted")
    return found


def _new_settings(plan: Plan | None, lang: Lang, number: int) -> Settings:
    if plan is not None:
        return plan.settings(number, lang)
    return Settings(title=f"Board {number}")


# --- who is present ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    cid: str
    """Their cursor id on the board they are on: how the dashboard names them."""
    name: str
    board: int


@dataclass(slots=True)
class Present:
    people: list[Person] = field(default_factory=list)
    """Participants on the workshop's boards, facilitators left out, one entry per socket."""
    refs: dict[str, str] = field(default_factory=dict)
    """Cursor id -> internal ref (never sent to a browser)."""
    counts: dict[int, int] = field(default_factory=dict)
    """People per board number."""

    @property
    def count(self) -> int:
        """People present: a person with two tabs open counts once."""
        return len(set(self.refs.values()))

    def data(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "people": [{"cid": p.cid, "name": p.name, "board": p.board} for p in self.people],
            "boards": {str(number): count for number, count in sorted(self.counts.items())},
        }


ROSTER_WAIT: Final = 0.25
"""Seconds to wait, after opening a board's room here for the first time, for the other
processes to answer with who they have on it (they answer at once; this bounds the wait)."""


async def present(hub: Hub, workshop: WorkshopInfo) -> Present:
    """Who is on the workshop's boards now, on every process."""
    opened = False
    if hub.networked:
        for board in workshop.boards:
            opened |= board.id not in hub.rooms
            await hub.room(board.id)
    if opened:
        await asyncio.sleep(ROSTER_WAIT)
    found = Present()
    for board in workshop.boards:
        room = hub.rooms.get(board.id)
        if room is None or room.closed:
            continue
        for cid, member in room.presence.members().items():
            if member.facilitator:
                continue
            found.people.append(Person(cid, member.name, board.number))
            found.refs[cid] = member.ref
            found.counts[board.number] = found.counts.get(board.number, 0) + 1
    found.people.sort(key=lambda person: (person.board, person.name, person.cid))
    return found


# --- allocating, moving, bringing back -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Allocation:
    groups: list[tuple[BoardRef, list[str]]]
    """Each breakout board with the names of the people sent to it."""
    workshop: WorkshopInfo

    def data(self) -> dict[str, Any]:
        return {
            "groups": [
                {"board": board.id, "number": board.number, "people": names} for board, names in self.groups
            ],
            "boards": [{"id": b.id, "number": b.number} for b in self.workshop.boards],
        }


async def allocate(
    hub: Hub,
    directory: Directory,
    workshop: WorkshopInfo,
    size: int,
    rng: random.Random,
) -> Allocation | ProtocolError:
    """Allocate the participants present at random into groups of `size`
    (`core.breakout.allocate`), one group per breakout board; with no breakout board open yet,
    as many are opened as there are groups. Everyone is told at once where to go; the
    allocation replaces any earlier one."""
    if (closed := _closed(workshop)) is not None:
        return closed
    if not breakout.MIN_GROUP_SIZE <= size <= breakout.MAX_GROUP_SIZE:
        rule = f"must be from {breakout.MIN_GROUP_SIZE} to {breakout.MAX_GROUP_SIZE}"
        return ProtocolError(ErrorCode.OUT_OF_RANGE, "size", rule)
    here = await present(hub, workshop)
    names = {here.refs[p.cid]: p.name for p in here.people if p.cid in here.refs}
    if not names:
        return ProtocolError(ErrorCode.NOT_FOUND, "", "nobody is on the boards to allocate")
    breakouts = [board for board in workshop.boards if board.number > 0]
    if not breakouts:
        opened = await open_breakouts(hub, directory, workshop, breakout.group_count(len(names), size))
        if isinstance(opened, ProtocolError):
            return opened
        workshop = opened
        breakouts = [board for board in workshop.boards if board.number > 0]
    groups = breakout.allocate(list(names), size, rng, boards=len(breakouts))
    by_number = {board.number: board for board in breakouts}
    placed = [(by_number[number + 1], group) for number, group in enumerate(groups)]
    await directory.allocate(
        workshop.id, {ref: board.id for board, group in placed for ref in group}, workshop.main_board.id
    )
    for board, group in placed:
        await hub.notify(workshop.id, goto_frame(board), group)
    return Allocation([(board, sorted(names[ref] for ref in group)) for board, group in placed], workshop)


async def move(
    hub: Hub, directory: Directory, workshop: WorkshopInfo, cid: str, number: int
) -> Person | ProtocolError:
    """Send one person (by their cursor id) to a board (0 is the main board), now and when
    they next connect."""
    boards = {board.number: board for board in workshop.boards}
    target = boards.get(number)
    if target is None:
        return ProtocolError(ErrorCode.NOT_FOUND, "board", f"there is no board {number}")
    here = await present(hub, workshop)
    ref = here.refs.get(cid)
    person = next((p for p in here.people if p.cid == cid), None)
    if ref is None or person is None:
        return ProtocolError(ErrorCode.NOT_FOUND, "person", "that person is not on a board now")
    await directory.assign(workshop.id, ref, target.id)
    await hub.notify(workshop.id, goto_frame(target), [ref])
    return Person(cid, person.name, number)


@dataclass(frozen=True, slots=True)
class BroughtBack:
    boards: list[BoardRef]
    """The boards people were brought back from."""
    moved: int
    """How many of them had been sent to another board (allocated or moved)."""


async def everyone_back(
    hub: Hub, directory: Directory, workshop: WorkshopInfo, selection: Selection | None = None
) -> BroughtBack | ProtocolError:
    """Everyone to the main board, or, with a selection, everyone on those boards: the people
    sent to them and the people on them now (someone may have opened a board's link without
    being sent there). Each is told, and recorded as sent to the main board, so one who is
    offline now goes there on reconnecting rather than staying on a breakout board (`where`).
    People elsewhere keep their board, so the facilitator can end one group's breakout while
    the others carry on. The breakout boards stay, with everything on them."""
    main = workshop.main_board.id
    if selection is None:
        refs, moved = await directory.send_to_main(workshop.id, main)
        boards = list(workshop.boards)
    else:
        found = chosen(workshop, selection)
        if isinstance(found, ProtocolError):
            return found
        boards = found
        numbers = {board.number for board in boards}
        here = await present(hub, workshop)
        on_them = {here.refs[p.cid] for p in here.people if p.board in numbers and p.cid in here.refs}
        refs, moved = await directory.send_to_main(
            workshop.id, main, from_boards=[board.id for board in boards], members=on_them
        )
    if refs:
        await hub.notify(workshop.id, goto_frame(workshop.main_board), refs)
    return BroughtBack(boards, moved)


async def arrived(directory: Directory, member: Member, board_id: str, number: int) -> None:
    """Someone sent back to the main board who is now on it has done what they were asked:
    from then on nobody has sent them anywhere, so a breakout board's link they open later
    (the next round, by shared links) keeps them there. An allocation to a breakout board
    stands: it is where their group is."""
    if not member.facilitator and number == 0 and member.board_id == board_id:
        await directory.assign(member.workshop_id, member.id, None)


def where(workshop: WorkshopInfo, member: Member) -> BoardRef | None:
    """The board someone was last sent to (allocated, moved, brought back to the main board),
    or None when nobody has sent them anywhere: then the board they opened is where they
    should be, so a facilitator can post "Group 3: <link>" and people stay on board 3."""
    return next((b for b in workshop.boards if b.id == member.board_id), None)


# --- the gallery ---------------------------------------------------------------------------------


async def pull_into_main(
    hub: Hub, oplog: OpLog, workshop: WorkshopInfo, numbers: Sequence[int] | None
) -> dict[int, int] | ProtocolError:
    """Copy the notes of these breakout boards (all of them by default) into frames on the
    main board (`core.breakout.pull`). Returns how many notes each board had copied now."""
    boards = {board.number: board for board in workshop.boards if board.number > 0}
    wanted = sorted(boards) if numbers is None else sorted(set(numbers))
    for i, number in enumerate(wanted):
        if number not in boards:
            return ProtocolError(ErrorCode.NOT_FOUND, f"boards[{i}]", f"there is no breakout board {number}")
    if not wanted:
        return ProtocolError(ErrorCode.NOT_FOUND, "boards", "there are no breakout boards to pull from")
    load = reader(hub, oplog)
    sources = []
    for number in wanted:
        state = await load(boards[number])
        sources.append(breakout.Source(number, state.settings.title or f"Board {number}", state))
    main = await hub.room(workshop.main_board.id)
    pulled = await in_turn(main, lambda state, now: breakout.pull(state, sources, now))
    if isinstance(pulled, ProtocolError):
        return pulled
    copies = {
        breakout.pulled_id("g", source.number, oid): source.number
        for source in sources
        for oid, obj in source.state.objects.items()
        if isinstance(obj, Note)
    }
    counts = dict.fromkeys(wanted, 0)
    for effect in pulled.effects:
        if isinstance(effect, Change) and effect.before is None and effect.id in copies:
            counts[copies[effect.id]] += 1
    return counts


# --- many boards at once ----------------------------------------------------------------------------

Selection = Literal["breakouts", "main", "all"] | Sequence[int]
"""Which of a workshop's boards an action is for: every breakout board, the main board, all of
them, or these board numbers (0 is the main board)."""


def chosen(workshop: WorkshopInfo, selection: Selection) -> list[BoardRef] | ProtocolError:
    """The boards a selection names, in number order; refused (field `boards`, or `boards[i]`
    for the number there is no board for) when it names none, or a board there is not."""
    if selection == "all":
        found = list(workshop.boards)
    elif selection == "main":
        found = [workshop.main_board]
    elif selection == "breakouts":
        found = [board for board in workshop.boards if board.number > 0]
        if not found:
            return ProtocolError(ErrorCode.NOT_FOUND, "boards", "there are no breakout boards")
    else:
        by_number = {board.number: board for board in workshop.boards}
        for i, number in enumerate(selection):
            if number not in by_number:
                return ProtocolError(ErrorCode.NOT_FOUND, f"boards[{i}]", f"there is no board {number}")
        found = [by_number[number] for number in sorted(set(selection))]
        if not found:
            return ProtocolError(ErrorCode.TOO_SHORT, "boards", "choose at least one board")
    return sorted(found, key=lambda board: board.number)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one board made of a workshop-wide change."""

    board: BoardRef
    refused: ProtocolError | None = None

    def data(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "board": self.board.id,
            "number": self.board.number,
            "applied": not self.refused,
        }
        if self.refused is not None:
            error = self.refused
            found["error"] = {"code": error.code.value, "field": error.field, "message": error.rule}
        return found


WORKSHOP_WIDE_REFUSED: Final = {
    "title": "each board keeps its own title: change it on that board",
    "closed": "close the workshop with POST /api/workshops/{id}/close, which also records when it ended",
}
"""Settings a change for many boards may not touch, and why."""


async def change_boards(
    hub: Hub,
    workshop: WorkshopInfo,
    member: Member,
    selection: Selection,
    op: ChangeSettings | ChangeTimer,
) -> list[Outcome] | ProtocolError:
    """Apply one settings change or timer action to each chosen board, as this facilitator, on
    every board together: each goes through its board's room like the same op from a socket,
    so everyone on each board sees it in the board's own `ops` frames. A board that refuses it
    (pausing a timer it does not have) does not stop the others; applying a setting a board
    already has changes nothing there but is applied. The whole request is refused, before any
    board changes, for a closed workshop or a selection that names no board or a board there is
    not."""
    if (closed := _closed(workshop)) is not None:
        return closed
    if (wrong := _ill_formed(op)) is not None:
        return wrong
    boards = chosen(workshop, selection)
    if isinstance(boards, ProtocolError):
        return boards
    actor = Actor(member.id, facilitator=True)

    async def on(board: BoardRef) -> Outcome:
        room = await hub.room(board.id)
        applied = await room.apply(op, actor)
        return Outcome(board, applied if isinstance(applied, ProtocolError) else None)

    # Each room commits in its own worker, so gathering lets every board change at once.
    return list(await asyncio.gather(*(on(board) for board in boards)))


def _ill_formed(op: ChangeSettings | ChangeTimer) -> ProtocolError | None:
    """What is wrong with the change itself, whatever the boards hold: refused once for the
    request rather than once per board."""
    if isinstance(op, ChangeTimer):
        # Against a timer that exists, only the op's own shape can be wrong (`start` without
        # `ms`, `pause` with one); a board without a timer is that board's refusal.
        wrong = timer_after(Timer(total=MIN_TIMER_MS, remaining=MIN_TIMER_MS), op, 0)
        return wrong.under("timer") if isinstance(wrong, ProtocolError) else None
    changes = op.props.changes()
    if not changes:
        return ProtocolError(ErrorCode.MISSING_FIELD, "settings", "name at least one setting to change")
    for name in changes:
        if name in WORKSHOP_WIDE_REFUSED:
            return ProtocolError(ErrorCode.BAD_VALUE, f"settings.{name}", WORKSHOP_WIDE_REFUSED[name])
    return None


async def send_message(
    hub: Hub, workshop: WorkshopInfo, selection: Selection, text: str
) -> list[BoardRef] | ProtocolError:
    """Send the facilitator's words to every socket on the chosen boards, on every process, as
    a `message` notice; not stored. Returns the boards it went to."""
    if (closed := _closed(workshop)) is not None:
        return closed
    if (refused := message_refusal(text)) is not None:
        return refused
    boards = chosen(workshop, selection)
    if isinstance(boards, ProtocolError):
        return boards
    frame = encode(Message(text=text, boards=[board.number for board in boards]))
    await hub.notify(workshop.id, frame, boards=[board.id for board in boards])
    return boards


# --- the presenter screen ---------------------------------------------------------------------------

PRESENTER_KEPT: Final = "presenter"
"""The key under which each process's hub remembers what the presenter screens show."""


async def switch_presenter(hub: Hub, workshop: WorkshopInfo, show: str) -> str | ProtocolError:
    """Tell every presenter screen of the workshop what to show, on whatever computer it is
    open: a `presenter` notice to facilitators' sockets on every process (a presenter screen
    keeps one open on the main board), remembered in memory, not stored, for a screen that
    opens later. Refused for what no screen shows, or a board the workshop does not have."""
    if (refused := presenter_refusal(show)) is not None:
        return refused
    number = presenter_board(show)
    if number is not None and all(board.number != number for board in workshop.boards):
        return ProtocolError(ErrorCode.NOT_FOUND, "show", f"there is no board {number}")
    frame = encode(Presenter(show=show))
    await hub.notify(workshop.id, frame, facilitators=True, keep=PRESENTER_KEPT)
    return show


def presenter_showing(hub: Hub, workshop: WorkshopInfo) -> str | None:
    """What a facilitator last chose for the presenter screens, as far as this process heard
    (None: nothing yet, or not since it started)."""
    frame = hub.kept(workshop.id, PRESENTER_KEPT)
    if frame is None:
        return None
    return msgspec.json.decode(frame, type=Presenter).show


# --- closing ---------------------------------------------------------------------------------------


async def close_workshop(
    hub: Hub, directory: Directory, workshop: WorkshopInfo, member: Member, now: int
) -> int:
    """Close every board (read-only for everyone, facilitators too; export still works) and
    note when the workshop ended. Returns the time it was closed."""
    closing = ChangeSettings(props=SettingsPatch(closed=True))
    for board in workshop.boards:
        room = await hub.room(board.id)
        if not room.sequencer.state.settings.closed:
            await room.apply(closing, Actor(member.id, facilitator=True))
    closed_at = workshop.closed_at or now
    await directory.close_workshop(workshop.id, closed_at)
    return closed_at

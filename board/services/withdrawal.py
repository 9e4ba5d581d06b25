"""Withdrawal codes at the edge: issued at join, looked up by hash, and taking contributions
back through the boards' rooms (the codes themselves are `core/withdrawal.py`).

Withdrawing is a change each board makes in its own turn (`Room.run`), so it is in order with
everything else on the board and every socket on it sees the objects go at once: vote tallies,
duplicate clusters, category counts and the word cloud all follow from the board. The op log
keeps nothing of what went (`Sequencer.withdraw`, `store/erase.py`), and the workshop keeps
only how many contributions were withdrawn (`workshops.withdrawn`), for the record.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

import msgspec

from board.core import provenance
from board.core.duplicates import NoteRef
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Note
from board.core.ops import adopt
from board.core.record import iso_date
from board.core.state import BoardState
from board.core.withdrawal import Item, chosen, code_hash, in_order, items, new_code, open_until
from board.services.boards import read_all, reader
from board.services.duplicates import hanging_on
from board.services.retention import retention
from board.store import withdrawal as stored
from board.store.database import Database
from board.store.directory import WorkshopInfo
from board.store.shares import Share, forget, forget_author, forget_notes, of_author, on_board
from board.sync.hub import Hub
from board.sync.sequencer import Sequencer

WITHDRAW_UNTIL_DETAIL: Final = "withdraw_until"
"""The key of `details` with the facilitator's cut-off for taking contributions back (ms)."""
ISSUE_ATTEMPTS: Final = 5
"""Fresh codes drawn when one is taken (about one chance in 10^17 each): then it is a bug."""


@dataclass(frozen=True, slots=True)
class Withdrawn:
    items: int
    """Their own contributions that went: what the record counts."""
    removed: int
    """Objects that went with them, everything included (votes and comments on their notes)."""


@dataclass(frozen=True, slots=True)
class Holder:
    """Whoever holds a code: a participant of a workshop (never a facilitator)."""

    member_id: str
    workshop_id: str


def withdraw_until(workshop: WorkshopInfo, keep_until: int) -> int:
    """When taking contributions back stops for this workshop (ms), with a code or from the
    device: the facilitator's cut-off, and never after the workshop is erased anyway."""
    cutoff = workshop.details.get(WITHDRAW_UNTIL_DETAIL)
    return open_until(cutoff if isinstance(cutoff, int) else None, keep_until)


async def issue(database: Database, member_id: str, rng: random.Random | None = None) -> str:
    """A new withdrawal code for a participant, stored as its hash: the code itself is returned
    once and kept nowhere. A second call replaces the first code."""
    source = rng or random.SystemRandom()
    for _ in range(ISSUE_ATTEMPTS):
        code = new_code(source)
        if await stored.set_code(database, member_id, code_hash(code)):
            return code
    raise RuntimeError("could not draw a free withdrawal code")


async def holder(database: Database, code: str) -> Holder | None:
    """Who holds a (normalised) code, or None."""
    found = await stored.holder(database, code_hash(code))
    return None if found is None else Holder(*found)


async def listing(hub: Hub, workshop: WorkshopInfo, member_id: str) -> list[Item]:
    """What a participant made in a workshop, on every board, as it is now: their objects, and
    the notes of theirs that were merged into someone else's (named by their share)."""
    return (await _listing(hub, workshop, member_id))[0]


async def _listing(hub: Hub, workshop: WorkshopInfo, member_id: str) -> tuple[list[Item], set[str]]:
    """`listing`, and the refs of the items in it that are shares of merged points."""
    boards = await read_all(workshop, reader(hub, hub.oplog))
    numbers = {board.id: board.number for board in workshop.boards}
    # Read after the boards: everything they hold is stored by now, with where it was made.
    made_where = await stored.made_where(hub.oplog.database, numbers.keys(), member_id)
    made = {f"{numbers[board_id]}:{oid}": where for (board_id, oid), where in made_where.items()}
    found = items(boards, member_id, made)
    shared: set[str] = set()
    for board_id, note_id, share in await of_author(hub.oplog.database, numbers.keys(), member_id):
        state = boards[numbers[board_id]]
        if not isinstance(state.objects.get(note_id), Note) or state.authors.get(note_id) == member_id:
            continue  # the point is gone, or it is theirs: listed as the note itself
        number = numbers[board_id]
        item = Item(number, share.id, "note", share.text, share.created, number)
        found.append(item)
        shared.add(item.ref)
    return in_order(found, made), shared


async def withdraw(
    hub: Hub, workshop: WorkshopInfo, member_id: str, refs: Iterable[str] | None = None
) -> Withdrawn:
    """Take back everything a participant made in a workshop (`refs` None), or the items
    `refs` names (`board:id`) that are theirs. Each board does it in its turn, from the board as
    it is then; the count of their contributions that went is added to the workshop's.

    A merged point (`duplicates.py`) loses only their share: while another contributor remains it
    stays, passed on to one of them (their words, their authorship) with every other vote and
    comment, and the groups that raised it lose theirs; with its last contributor it goes."""
    wanted: dict[int, set[str]] | None = None
    scrub = False
    if refs is not None:
        found, shared = await _listing(hub, workshop, member_id)
        wanted = chosen(found, refs)
        # A note merged into a point on another board left the op that made it on its own:
        # taking it back erases their ops on every board (as taking anything back does on its).
        scrub = any(f"{number}:{oid}" in shared for number, ids in wanted.items() for oid in ids)
    # Copies of what goes (duplicated or pasted by someone else, on any board) hold its words:
    # they go with it (`provenance.copies_of`).
    originals = provenance.originals_of(await read_all(workshop, reader(hub, hub.oplog)), member_id, wanted)
    database = hub.oplog.database
    if wanted is None:
        # Their originals deleted since: the copies others made of them hold their words too.
        numbers = {board.id: board.number for board in workshop.boards}
        for board_id, oid in await stored.deleted_made_by(database, numbers.keys(), member_id):
            originals.add(NoteRef(numbers[board_id], oid))
    own: set[NoteRef] = set()
    counted = removed = 0
    for board in workshop.boards:
        only = None if wanted is None else wanted.get(board.number, set())
        if only is not None and not only and not scrub and not originals:
            continue
        room = await hub.room(board.id)
        job = _withdrawing(database, board.id, board.number, member_id, only, originals)
        keys, shared_out, went = await room.run(job)
        own, counted, removed = own | keys, counted + shared_out, removed + went
    if wanted is None:
        # Shares written by a merge while this ran are gone too (`store/shares.py`).
        await forget_author(database, [board.id for board in workshop.boards], member_id)
    # A note and its pulled copy are one contribution (`provenance.key`): counted once.
    withdrawn = len(own) + counted
    if withdrawn:
        await stored.count_withdrawn(database, workshop.id, withdrawn)
    return Withdrawn(withdrawn, removed)


@dataclass(slots=True)
class Passing:
    """What withdrawing does to a board's merged points (`share_out`)."""

    placed: list[tuple[AnyObject, str | None]] = field(default_factory=list)
    """Points placed again: passed on, or raised by fewer groups; with what hangs on them."""
    remove: list[str] = field(default_factory=list)
    """Those points as they were (removed, then placed again with the same ids)."""
    handed: set[str] = field(default_factory=set)
    """Their notes that stay, passed on to another contributor."""
    counted: int = 0
    """Their contributions that went this way (the notes merged into another's, the point passed on)."""
    forgotten: list[tuple[str, str]] = field(default_factory=list)
    """Their shares, (kept note id, share id), to delete."""
    orphans: list[str] = field(default_factory=list)
    """Kept notes that are gone (deleted since): their shares are deleted too."""


def share_out(
    state: BoardState,
    shares: Mapping[str, list[Share]],
    member_id: str,
    going: set[str],
    only: set[str] | None,
) -> Passing:
    """What withdrawing `member_id` (their objects `going`; their shares named in `only`, all of
    them if None) does to the merged points of a board. Pure."""
    passing = Passing()
    for note_id, found in shares.items():
        note = state.objects.get(note_id)
        if not isinstance(note, Note):
            passing.orphans.append(note_id)
            continue
        holder = state.authors.get(note_id)
        held = holder == member_id and note_id in going
        mine = [share for share in found if share.author == member_id]
        leaving = mine if held or only is None else [share for share in mine if share.id in only]
        if not leaving and not held:
            continue
        staying = [share for share in found if share not in leaving]
        passing.forgotten += [(note_id, share.id) for share in leaving]
        if held and not staying:
            continue  # its last contributor: it goes with the rest of theirs
        lost = {share.group for share in leaving} - {share.group for share in staying}
        groups = tuple(group for group in note.groups if group not in lost)
        passing.counted += max(1, len(leaving)) if held else len(leaving)
        if held:
            heir = min(staying, key=lambda share: (share.author is None, share.created, share.id))
            again, author = msgspec.structs.replace(note, text=heir.text, groups=groups), heir.author
            passing.handed.add(note_id)
        elif groups != note.groups:
            again, author = msgspec.structs.replace(note, groups=groups), holder
        else:
            continue
        passing.remove.append(note_id)
        passing.placed.append((again, author))
        passing.placed += [(obj, state.authors.get(obj.id)) for obj in hanging_on(state, [note_id])]
    return passing


def _withdrawing(
    database: Database,
    board_id: str,
    number: int,
    member_id: str,
    only: set[str] | None,
    originals: set[NoteRef],
) -> Callable[[Sequencer], Awaitable[tuple[set[NoteRef], int, int]]]:
    """The board's part, run in its turn: what is theirs there now (and named, if `only`), their
    shares of merged points first, then the copies others made of their `originals`; their ops
    on the board are erased whenever anything of theirs went, here or (`only` empty)
    elsewhere, and with them every earlier op's effects, the copies' words included. Answers
    (the contributions of theirs that went, by `provenance.key`, so a note and its pulled copy
    are one; those of theirs merged into others' points; every object that went)."""

    async def job(sequencer: Sequencer) -> tuple[set[NoteRef], int, int]:
        shares = await on_board(database, board_id)
        owned = set(sequencer.state.owned_by(member_id))
        going = owned if only is None else owned & only
        passing = share_out(sequencer.state, shares, member_id, going, only)
        if passing.remove:
            await sequencer.change(lambda state: adopt(state, passing.placed, remove=passing.remove))
        going -= passing.handed
        objects = sequencer.state.objects
        keys = {provenance.key(objects[oid], number) for oid in going if oid in objects}
        copies = [oid for oid in provenance.copies_of(sequencer.state, number, originals) if oid not in owned]
        copied = await sequencer.change(lambda state: adopt(state, [], remove=copies)) if copies else None
        gone_copies = 0 if copied is None or isinstance(copied, ProtocolError) else len(copied.effects)
        erase = bool(going or passing.remove or passing.forgotten or gone_copies)
        if not erase:  # nothing of theirs here now; an op of theirs may be, from a merged note
            erase = await stored.logged(database, board_id, member_id)
        went = await sequencer.withdraw(member_id, None if only is None else going) if erase else 0
        await forget(database, board_id, passing.forgotten)
        await forget_notes(database, board_id, passing.orphans)
        return keys, passing.counted, went + len(passing.handed) + gone_copies

    return job


async def withdraw_member(
    hub: Hub, workshop: WorkshopInfo, member_id: str, *, keep_days: int, now: int
) -> int | ProtocolError:
    """Remove everything a person made in a workshop, on every board, op log included.
    Returns how many objects went (the record counts their own: `record.py`).

    From the device they joined on, as with a withdrawal code, this works until the
    facilitator's cut-off (or the erasure); and only while the workshop runs: once it is
    closed, the code (`/withdraw`) is the way, until the same cut-off."""
    kept = await retention(hub.oplog.database, workshop.id, keep_days)
    if kept is None:
        return ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted")
    until = withdraw_until(workshop, kept.keep_until)
    last = iso_date(until - 1)
    if now >= until:
        rule = f"taking contributions back ended with {last}, the last day the facilitator allowed"
        return ProtocolError(ErrorCode.READ_ONLY, "", rule)
    if workshop.closed_at is not None:
        rule = (
            "the workshop is closed: take your words back with your withdrawal code at /withdraw,"
            f" until {last}"
        )
        return ProtocolError(ErrorCode.READ_ONLY, "", rule)
    return (await withdraw(hub, workshop, member_id)).removed

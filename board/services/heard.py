"""'What we heard', for the people who took part (issue 10; seed 003: "make sure feedback
happens").

When the facilitator publishes it (`details["heard"]`), a public page shows what the workshop
said: the themes by category, the ideas with most votes, the points several groups raised
("raised in 3 of 4 groups"), the exit-poll word cloud, and what happens next, and by when, in
the facilitator's words. It is made from the record (`record.gather` and `record.build`, the
same as every export), so it holds what the record holds and nothing about anyone: no hidden
or private note, no withdrawn contribution, no author.

Someone opening it on the device they took part on (their session cookie) also sees their own
notes and the category each ended in. Only they see that part: it comes from the server's
internal author link, for their own notes, and is never cached or shared.

`view` is pure (a record in, a page's content out); `HeardPages` does the reading, and keeps
each workshop's page built until one of its boards changes.
"""

from __future__ import annotations

import asyncio
import base64
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

import msgspec

from board import i18n
from board.core import provenance
from board.core.categorise import Assignment, Source
from board.core.duplicates import NoteRef
from board.core.model import Note
from board.core.poll import Blocklist
from board.core.record import Record, RecordNote, iso_date
from board.core.state import BoardState
from board.core.taxonomies import Bilingual, Taxonomy
from board.services.boards import reader
from board.services.categories import categorise_notes, learned_from
from board.services.record import BoardLoader, build, gather, wordcloud_svg
from board.store.database import Database
from board.store.directory import BoardRef, WorkshopInfo
from board.sync.hub import Hub

HEARD_DETAIL: Final = "heard"
"""The key of `details` with `{"published": bool, "next_steps": {en, cy}, "published_at": ms}`."""
MAX_NEXT_STEPS: Final = 2_000
"""Characters of "what happens next, and by when", in each language."""
NOTES_PER_THEME: Final = 8
"""Notes shown under each category, most votes first; the rest are counted ("and 12 more")."""
TOP_VOTED: Final = 5
SHARED_POINTS: Final = 10
POLL_WORDS: Final = 30
"""Words listed beside the cloud (all of them read by a screen reader in its description)."""


@dataclass(frozen=True, slots=True)
class Published:
    published: bool
    next_steps: Bilingual
    published_at: int | None

    def data(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "next_steps": {"en": self.next_steps.en, "cy": self.next_steps.cy},
            "published_at": self.published_at,
        }


def published(details: Mapping[str, Any]) -> Published:
    """The facilitator's choices, from a workshop's details (unpublished when there are none)."""
    stored = details.get(HEARD_DETAIL)
    if not isinstance(stored, dict):
        return Published(False, Bilingual(""), None)
    steps = stored.get("next_steps")
    en = steps.get("en") if isinstance(steps, dict) else None
    cy = steps.get("cy") if isinstance(steps, dict) else None
    when = stored.get("published_at")
    return Published(
        stored.get("published") is True,
        Bilingual(en if isinstance(en, str) else "", cy if isinstance(cy, str) and cy.strip() else None),
        when if isinstance(when, int) else None,
    )


# --- the page's content -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeardNote:
    text: str
    votes: int
    raised_in: int
    """How many groups raised this point (0 or 1: just this note's group)."""


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    label: str
    description: str
    count: int
    notes: tuple[HeardNote, ...]
    more: int
    """Notes in this category not listed."""


@dataclass(frozen=True, slots=True)
class YourNote:
    text: str
    category: str | None
    """The label of the category it ended in (confirmed or, with `suggested`, only suggested)."""
    suggested: bool


@dataclass(frozen=True, slots=True)
class Heard:
    title: str
    date: str | None
    """The workshop's day, `YYYY-MM-DD`."""
    notes: int
    groups: int
    next_steps: tuple[str, str] | None
    """The facilitator's text and its language (English when there is no Welsh)."""
    themes: tuple[Theme, ...]
    unsorted: int
    """Notes not yet confirmed in a category."""
    top_voted: tuple[HeardNote, ...]
    shared: tuple[HeardNote, ...]
    """Points several groups raised, most groups first."""
    poll: tuple[tuple[str, int], ...]
    cloud: str | None
    """The word cloud as a `data:` URI for an `<img>`, when there is one."""
    yours: tuple[YourNote, ...] | None = None
    """The viewer's own notes, when they took part on this device."""


def view(record: Record, lang: str, steps: Bilingual, cloud: str | None) -> Heard:
    """What the page shows, from the record (pure). `cloud` is the word cloud's SVG."""
    groups = record.groups
    order = {note.id: i for i, note in enumerate(record.notes)}

    def heard(note: RecordNote) -> HeardNote:
        return HeardNote(note.text, note.votes, len(note.raised_in))

    def by_votes(note: RecordNote) -> tuple[int, int, int]:
        return (-note.votes, -len(note.raised_in), order[note.id])

    themes = []
    for category in record.taxonomy.categories:
        confirmed = [n for n in record.notes_in(category.key) if n.source in (Source.EXPLICIT, Source.FRAME)]
        if not confirmed:
            continue
        shown = sorted(confirmed, key=by_votes)[:NOTES_PER_THEME]
        themes.append(
            Theme(
                category.key,
                category.label.text(lang),
                category.description.text(lang),
                len(confirmed),
                tuple(heard(n) for n in shown),
                len(confirmed) - len(shown),
            )
        )
    sorted_count = sum(theme.count for theme in themes)
    voted = sorted((n for n in record.notes if n.votes > 0), key=by_votes)[:TOP_VOTED]
    seen_clusters: set[str] = set()
    shared = []
    for note in sorted((n for n in record.notes if len(n.raised_in) > 1), key=by_votes):
        if note.cluster is not None:
            if note.cluster in seen_clusters:
                continue
            seen_clusters.add(note.cluster)
        shared.append(note)
    shared.sort(key=lambda n: (-len(n.raised_in), *by_votes(n)))
    # The session's date is when people first took part, not when the workshop was set up.
    starts = record.first_contribution_at or record.workshop.starts_at
    text = steps.text(lang).strip()
    return Heard(
        title=record.workshop.title,
        date=None if starts is None else iso_date(starts),
        notes=len(record.notes),
        groups=groups,
        next_steps=(text, "cy" if lang == "cy" and steps.cy else "en") if text else None,
        themes=tuple(themes),
        unsorted=len(record.notes) - sorted_count,
        top_voted=tuple(heard(n) for n in voted),
        shared=tuple(heard(n) for n in shared[:SHARED_POINTS]),
        poll=tuple((p.word, p.count) for p in record.exit_poll[:POLL_WORDS]),
        cloud=None if cloud is None else _data_uri(cloud),
    )


Categorised = Mapping[int, Mapping[str, tuple[Note, Assignment]]]
"""Each board's notes the record holds, by id, with their category (`categorise_notes`)."""


def categorised(
    boards: Mapping[int, BoardState], taxonomy: Taxonomy
) -> dict[int, dict[str, tuple[Note, Assignment]]]:
    learned = learned_from(boards, taxonomy)
    return {
        number: categorise_notes(state.objects.values(), taxonomy, learned)
        for number, state in boards.items()
    }


def your_notes(
    boards: Mapping[int, BoardState], sorted_notes: Categorised, member_id: str, taxonomy: Taxonomy, lang: str
) -> tuple[YourNote, ...]:
    """A participant's own notes the record holds, with the category each ended in, by board
    then time: categorised exactly as the record categorises them (`categorise_notes`)."""
    labels = {c.key: c.label.text(lang) for c in taxonomy.categories}
    found: list[YourNote] = []
    seen: set[NoteRef] = set()
    for number in sorted(boards):
        notes = sorted_notes.get(number, {})
        for oid in sorted(boards[number].owned_by(member_id), key=lambda oid: _when(notes, oid)):
            if oid not in notes:
                continue
            note, assignment = notes[oid]
            contribution = provenance.key(note, number)
            if contribution in seen:
                continue  # a copy of a note of theirs (pulled into the main board): once is enough
            seen.add(contribution)
            label = labels.get(assignment.category) if assignment.category is not None else None
            found.append(YourNote(note.text, label, assignment.source is Source.SUGGESTED))
    return tuple(found)


def _when(notes: Mapping[str, tuple[Note, Assignment]], oid: str) -> tuple[int, str]:
    found = notes.get(oid)
    return (found[0].created if found else 0, oid)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# --- reading it ----------------------------------------------------------------------------------------

CACHED_WORKSHOPS: Final = 32
"""Workshops whose page is kept built. A page is rebuilt only when one of its boards moved on
(a new op, a withdrawal) or its details changed: building means the whole record, 0.07 s for
500 notes and 2.3 s for 3,000 on the machine of DESIGN.md §7, too much for every visitor when
the link goes out to everyone at once."""


@dataclass(frozen=True, slots=True)
class _Built:
    key: tuple[Any, ...]
    record: Record
    boards: Mapping[int, BoardState]
    notes: Categorised
    taxonomy: Taxonomy
    clouds: Mapping[str, str | None]
    """The word cloud's SVG in each language (its title is translated)."""


class HeardPages:
    """Each published workshop's page, built once per change (one per app: `app/heard.py`)."""

    def __init__(self, hub: Hub, database: Database, blocklist: Blocklist | None = None) -> None:
        self._hub = hub
        self._database = database
        self._blocklist = blocklist
        """The server's own blocked words (`ExitPoll.blocklist`), kept out as from its live cloud."""
        self._built: OrderedDict[str, _Built] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    async def page(self, workshop: WorkshopInfo, lang: str, member_id: str | None, now: int) -> Heard:
        """The page in `lang`, with the viewer's own notes when `member_id` took part."""
        built = await self._current(workshop, now)
        steps = published(workshop.details).next_steps
        page = view(built.record, lang, steps, built.clouds.get(lang, built.clouds["en"]))
        if member_id is None:
            return page
        return replace(page, yours=your_notes(built.boards, built.notes, member_id, built.taxonomy, lang))

    async def _current(self, workshop: WorkshopInfo, now: int) -> _Built:
        lock = self._locks.setdefault(workshop.id, asyncio.Lock())
        async with lock:  # visitors arriving together wait for one build
            key = await self._key(workshop)
            built = self._built.get(workshop.id)
            if built is None or built.key != key:
                built = await self._build(workshop, key, now)
                self._built[workshop.id] = built
            self._built.move_to_end(workshop.id)
            while len(self._built) > CACHED_WORKSHOPS:
                gone, _ = self._built.popitem(last=False)
                self._locks.pop(gone, None)
            return built

    async def _key(self, workshop: WorkshopInfo) -> tuple[Any, ...]:
        heads = []
        for board in workshop.boards:
            room = self._hub.rooms.get(board.id)
            open_here = room is not None and not room.closed
            heads.append(
                room.sequencer.head
                if room is not None and open_here
                else await self._hub.oplog.head(board.id)
            )
        return (tuple(heads), msgspec.json.encode(workshop.details), workshop.title, workshop.closed_at)

    async def _build(self, workshop: WorkshopInfo, key: tuple[Any, ...], now: int) -> _Built:
        boards: dict[int, BoardState] = {}
        numbers = {board.id: board.number for board in workshop.boards}
        gathered = await gather(
            workshop,
            _keeping(reader(self._hub, self._hub.oplog), boards, numbers),
            self._database,
            blocklist=self._blocklist,
        )

        def work() -> _Built:  # CPU: categorising and duplicates, off the event loop
            record = build(gathered, now=now)
            counts = {p.word: p.count for p in record.exit_poll}
            clouds: dict[str, str | None] = {lang: wordcloud_svg(counts, lang) for lang in i18n.LANGUAGES}
            return _Built(
                key, record, boards, categorised(boards, gathered.taxonomy), gathered.taxonomy, clouds
            )

        return await asyncio.to_thread(work)


def _keeping(load: BoardLoader, into: dict[int, BoardState], numbers: Mapping[str, int]) -> BoardLoader:
    """A loader that also keeps each board it reads (for the viewer's own notes: one read)."""

    async def kept(board: BoardRef) -> BoardState:
        state = await load(board)
        into[numbers[board.id]] = state
        return state

    return kept


def words_alt(poll: Iterable[tuple[str, int]]) -> str:
    """The cloud's words and counts, for its text alternative: "hopeful 5, inspired 3"."""
    return ", ".join(f"{word} {count}" for word, count in poll)

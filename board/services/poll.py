"""The exit poll on a server: its state, answers, the live word cloud and its exports (issue 6).

Where things live:

- Answers are `pollword` objects on the workshop's main board (`core/model.py`), so the board
  gives them order, durability, withdrawal and deletion. The word rule, the poll being open and
  the per-person limit are checked by `core.ops.apply` whichever way an answer comes: over the
  main board's socket, or over HTTP (`answer`: a participant on a breakout board), applied on
  the main board in its turn exactly as if it came from their socket.
- Open or closed and the word limit are the main board's settings (`poll_open`,
  `poll_words`); the question (`poll_question`, {en, cy}: a template may give it) and the
  words a facilitator hid (`poll_hidden`) are in the workshop's `details`.
- Counting and the layout are pure (`core/poll.py`, `core/wordcloud.py`); this module reads
  the board, keeps the results per version, draws the PNG and tells everyone.

Live: a watcher per workshop (while anyone is on one of its boards in this process, or waits
on the poll over HTTP) looks at the main board at most every `CHECK_INTERVAL`, and when what
everyone sees changed (open or closed, the question, the counts) sends one `notice` of kind
`poll` to every socket of the workshop (`Hub.notify`), then waits `NOTICE_INTERVAL` before
sending another. So a burst of 200 answers makes a handful of notices, not 200; the SVG of a
version is laid out once, off the event loop, and the same bytes go to everyone who asks.
It sees every change whatever made it (an answer over HTTP or a socket, a withdrawal, another
process), because it reads the board rather than being told. With several processes each
watcher sends its own notice; they carry the same `version`, so a client ignores repeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import msgspec

from board import i18n
from board.core import poll as core_poll
from board.core import protocol
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import PollWord, SettingsPatch
from board.core.ops import Applied, ChangeSettings, Create, Delete, Op
from board.core.poll import Blocklist, Tally, WordCount
from board.core.state import Actor, BoardState
from board.core.taxonomies import Bilingual
from board.services.poll_pictures import draw
from board.settings import from_environment
from board.store.database import Database
from board.store.details import update_details
from board.store.directory import Directory, WorkshopInfo
from board.store.oplog import OpLog
from board.sync.hub import Hub

log = logging.getLogger(__name__)


QUESTION_DETAIL: Final = "poll_question"
HIDDEN_DETAIL: Final = "poll_hidden"
MAX_QUESTION: Final = 300
"""Characters in the poll's question, in each language."""
MAX_HIDDEN: Final = 500
"""Words a facilitator may hide in one workshop."""

CHECK_INTERVAL: Final = 0.25
"""Seconds between looks at the main board while nothing prompts one (an answer over HTTP
prompts one at once)."""
NOTICE_INTERVAL: Final = 1.0
"""Least seconds between two poll notices to a workshop: the debounce of a burst."""
DETAILS_REFRESH: Final = 5.0
"""Seconds a watcher trusts its copy of the workshop's details (question, hidden words)
changed by another process; changes made here are seen at once."""
LINGER: Final = 30.0
"""Seconds a watcher keeps going after nobody in this process is on the workshop."""
LONG_POLL: Final = 25.0
"""Longest a `GET .../poll?after=version` waits for a change (under proxies' 30-60 s)."""
SVG_CACHE: Final = 64
"""Cloud pictures kept (per counts and language): a few per workshop being watched."""


class BlocklistError(ValueError):
    """The server's own blocklist file cannot be read."""


def load_blocklist(path: str = "") -> Blocklist:
    """The built-in blocklist, with a server's own file added (`BOARD_POLL_BLOCKLIST`). A
    missing or unreadable file stops the server at start-up, naming it, rather than letting
    words the server was asked to keep out through unnoticed."""
    built_in = core_poll.built_in_blocklist()
    if not path:
        return built_in
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise BlocklistError(f"BOARD_POLL_BLOCKLIST={path} cannot be read as UTF-8 text: {problem}") from None
    return built_in | Blocklist.parse(text)


# --- what people see ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PollState:
    """The poll of a workshop at one moment, with every count worked out."""

    open: bool
    words: int
    question: Mapping[str, str]
    tally: Tally
    version: str
    """Changes when anything everyone sees changes (open, limit, question, counts)."""
    cloud: str
    """Changes when the cloud's words or counts change: the key of its picture."""

    def public(self) -> dict[str, Any]:
        """What everyone in the workshop may see: the notice, and the API's answer."""
        return {
            "open": self.open,
            "words": self.words,
            "question": dict(self.question),
            "version": self.version,
            "cloud": self.cloud,
            "answers": sum(word.count for word in self.tally.shown),
            "counts": [{"word": word.word, "count": word.count} for word in self.tally.shown],
        }

    def for_facilitator(self) -> dict[str, Any]:
        """Everything, with the words hidden or blocked (counted apart from the cloud)."""

        def listed(words: tuple[WordCount, ...]) -> list[dict[str, Any]]:
            return [{"word": word.word, "count": word.count} for word in words]

        return {
            **self.public(),
            "hidden": listed(self.tally.hidden),
            "blocked": {
                "answers": sum(w.count for w in self.tally.blocked),
                "words": listed(self.tally.blocked),
            },
        }


def default_question() -> dict[str, str]:
    return {lang: i18n.translate(lang, "poll.default_question") for lang in i18n.LANGUAGES}


def question_of(workshop: WorkshopInfo) -> dict[str, str]:
    """The question in both languages: the workshop's (from its template or the facilitator),
    a language it lacks filled from the other, else the default."""
    stored = workshop.details.get(QUESTION_DETAIL)
    if not isinstance(stored, dict):
        return default_question()
    given = {lang: text.strip() for lang, text in stored.items() if isinstance(text, str) and text.strip()}
    if not given:
        return default_question()
    fallback = given.get("en") or next(iter(given.values()))
    return {lang: given.get(lang, fallback) for lang in i18n.LANGUAGES}


def asked_question(workshop: WorkshopInfo, *, answered: bool) -> Bilingual | None:
    """The question as it was asked, for the record: in English, and in Welsh where it was given
    in Welsh (`cy` None when it was given in English only), not filled in as `question_of` fills
    it for people to read. A workshop with no question of its own asked the default one, but
    only if anyone `answered`; otherwise nothing was asked (None)."""
    stored = workshop.details.get(QUESTION_DETAIL)
    given: dict[str, str] = {}
    if isinstance(stored, dict):
        given = {lang: text.strip() for lang, text in stored.items() if isinstance(text, str)}
        given = {lang: text for lang, text in given.items() if text}
    if not given:
        default = default_question()
        return Bilingual(default["en"], default["cy"]) if answered else None
    return Bilingual(given.get("en") or next(iter(given.values())), given.get("cy"))


def _digest(data: Any) -> str:
    return hashlib.sha256(msgspec.json.encode(data)).hexdigest()[:16]


def answers_of(state: BoardState) -> list[str]:
    return [obj.text for obj in state.objects.values() if isinstance(obj, PollWord)]


def mine(state: BoardState, ref: str) -> list[dict[str, str]]:
    """A participant's own answers, oldest first (theirs to see and withdraw)."""
    own = [obj for oid in state.owned_by(ref) if isinstance(obj := state.objects[oid], PollWord)]
    return [{"id": obj.id, "text": obj.text} for obj in sorted(own, key=lambda o: (o.created, o.id))]


def new_answer_id() -> str:
    return "pw" + secrets.token_hex(8)


# --- the service --------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Watch:
    kick: asyncio.Event = field(default_factory=asyncio.Event)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    announce: bool = False
    """Send a notice even for the first state this watcher sees (it was started by a change)."""
    waiters: int = 0
    last_busy: float = field(default_factory=time.monotonic)
    task: asyncio.Task[None] | None = None


@dataclass(slots=True)
class _Board:
    head: int
    state: BoardState


TALLY_OFF_LOOP: Final = 300
"""Answers past which counting runs on a worker thread rather than the event loop."""


class ExitPoll:
    """The exit poll for every workshop this process serves (one per app)."""

    def __init__(
        self, hub: Hub, oplog: OpLog, directory: Directory, database: Database, blocklist: Blocklist
    ) -> None:
        self.hub = hub
        self.oplog = oplog
        self.directory = directory
        self.database = database
        self.blocklist = blocklist
        self._boards: dict[str, _Board] = {}
        """Main boards read from the store (no room open here), by board id, with their head."""
        self._tallies: dict[str, tuple[tuple[str, ...], tuple[str, ...], Tally]] = {}
        self._workshops: dict[str, tuple[float, WorkshopInfo]] = {}
        self._states: dict[str, PollState] = {}
        """The last state each watcher saw (what its notices announced)."""
        self._watches: dict[str, _Watch] = {}
        self._pictures: OrderedDict[tuple[str, str, str], asyncio.Future[bytes]] = OrderedDict()
        self._hide_locks: dict[str, asyncio.Lock] = {}

    # -- reading -------------------------------------------------------------------------------

    async def _main_state(self, workshop: WorkshopInfo) -> BoardState:
        """The main board: from its room when open here (what its sockets see), else from the
        store, reloaded only when its head moved."""
        board = workshop.main_board
        room = self.hub.rooms.get(board.id)
        if room is not None and not room.closed:
            self._boards.pop(board.id, None)
            return room.sequencer.state
        head = await self.oplog.head(board.id)
        cached = self._boards.get(board.id)
        if cached is None or cached.head != head:
            loaded = await self.oplog.load(board.id, 0)
            cached = self._boards[board.id] = _Board(loaded.head, loaded.state)
        return cached.state

    async def workshop(self, workshop_id: str, *, fresh: bool = False) -> WorkshopInfo | None:
        """A workshop, its details trusted for `DETAILS_REFRESH` seconds unless `fresh`."""
        cached = self._workshops.get(workshop_id)
        now = time.monotonic()
        if cached is not None and not fresh and now - cached[0] < DETAILS_REFRESH:
            return cached[1]
        found = await self.directory.workshop(workshop_id)
        if found is None:
            self._workshops.pop(workshop_id, None)
            return None
        self._workshops[workshop_id] = (now, found)
        return found

    async def _tally(self, workshop: WorkshopInfo, state: BoardState) -> Tally:
        answers = tuple(sorted(answers_of(state)))
        hidden = tuple(sorted(str(key) for key in workshop.details.get(HIDDEN_DETAIL, ()) or ()))
        cached = self._tallies.get(workshop.id)
        if cached is not None and cached[0] == answers and cached[1] == hidden:
            return cached[2]

        def count() -> Tally:
            return core_poll.tally(answers, blocklist=self.blocklist, hidden=hidden)

        tally = await asyncio.to_thread(count) if len(answers) > TALLY_OFF_LOOP else count()
        self._tallies[workshop.id] = (answers, hidden, tally)
        return tally

    async def state(self, workshop: WorkshopInfo) -> tuple[PollState, BoardState]:
        """The poll now, and the main board it was counted from."""
        board = await self._main_state(workshop)
        tally = await self._tally(workshop, board)
        settings = board.settings
        question = question_of(workshop)
        cloud = _digest([(word.word, word.count) for word in tally.shown])
        # All answers count towards the version, blocked and hidden ones too: a facilitator's
        # panel hears of every answer (participants just see the same counts again).
        version = _digest([settings.poll_open, settings.poll_words, question, cloud, tally.answers])
        return PollState(settings.poll_open, settings.poll_words, question, tally, version, cloud), board

    # -- changing --------------------------------------------------------------------------------

    async def _apply(self, workshop: WorkshopInfo, op: Op, actor: Actor) -> Applied | ProtocolError:
        """Apply an op on the main board in its turn, checked as if from the actor's socket."""
        room = await self.hub.room(workshop.main_board.id)
        applied = await room.apply(op, actor)
        if not isinstance(applied, ProtocolError):
            self.kick(workshop.id)
        return applied

    async def answer(
        self, workshop: WorkshopInfo, actor: Actor, answer_id: str, text: str, *, board: int | None = None
    ) -> PollWord | ProtocolError:
        """Add an answer, given on board number `board` (None: the poll's own page). Sending the
        same id again is harmless (the first is kept): a browser that lost the reply may resend."""
        if board is not None and all(known.number != board for known in workshop.boards):
            return ProtocolError(ErrorCode.BAD_VALUE, "board", "the workshop has no board with that number")
        created = await self._apply(
            workshop, Create(obj=PollWord(id=answer_id, text=text, board=board)), actor
        )
        if isinstance(created, ProtocolError):
            room = self.hub.rooms.get(workshop.main_board.id)
            if created.code is ErrorCode.CONFLICT and room is not None:
                state = room.sequencer.state
                existing = state.objects.get(answer_id)
                if isinstance(existing, PollWord) and state.authors.get(answer_id) == actor.ref:
                    return existing
            return created
        made = created.state.objects[answer_id]
        assert isinstance(made, PollWord)
        return made

    async def withdraw(self, workshop: WorkshopInfo, actor: Actor, answer_id: str) -> ProtocolError | None:
        """Withdraw one answer (its author, or a facilitator)."""
        done = await self._apply(workshop, Delete(id=answer_id), actor)
        return done if isinstance(done, ProtocolError) else None

    async def configure(
        self,
        workshop: WorkshopInfo,
        actor: Actor,
        *,
        open: bool | None = None,
        words: int | None = None,
        question: Mapping[str, str] | None = None,
    ) -> ProtocolError | None:
        """Open or close the poll, change its word limit or its question (facilitators). The
        question is stored first, so the notice that announces the opening carries it."""
        if question is not None:
            await update_details(self.database, workshop.id, {QUESTION_DETAIL: dict(question)})
            await self.workshop(workshop.id, fresh=True)
            self.kick(workshop.id)
        changes: dict[str, Any] = {}
        if open is not None:
            changes["poll_open"] = open
        if words is not None:
            changes["poll_words"] = words
        if changes:
            done = await self._apply(workshop, ChangeSettings(props=SettingsPatch(**changes)), actor)
            if isinstance(done, ProtocolError):
                return done
        return None

    async def hide(self, workshop: WorkshopInfo, text: str, hidden: bool) -> ProtocolError | None:
        """Hide a word from the cloud, or show it again (facilitators)."""
        lock = self._hide_locks.setdefault(workshop.id, asyncio.Lock())
        async with lock:  # read, change and write the list as one step (in this process)
            current = await self.workshop(workshop.id, fresh=True)
            if current is None:
                return ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted")
            poll, _ = await self.state(current)
            tally = poll.tally
            word = core_poll.find((*tally.shown, *tally.hidden, *tally.blocked), text)
            if word is None:
                return ProtocolError(ErrorCode.NOT_FOUND, "word", "nobody gave that word")
            stored = {str(key) for key in current.details.get(HIDDEN_DETAIL, ()) or ()}
            keys = core_poll.hide_keys(word)
            changed = stored | keys if hidden else stored - keys
            if len(changed) > MAX_HIDDEN:
                return ProtocolError(ErrorCode.TOO_MANY, "word", f"at most {MAX_HIDDEN} words can be hidden")
            await update_details(self.database, workshop.id, {HIDDEN_DETAIL: sorted(changed)})
            await self.workshop(workshop.id, fresh=True)
        self.kick(workshop.id)
        return None

    # -- pictures --------------------------------------------------------------------------------

    async def picture(self, poll: PollState, kind: str, lang: i18n.Language) -> bytes:
        """The cloud as `svg` or `png`, made once per cloud version and language and shared by
        everyone who asks (the layout runs off the event loop)."""
        key = (poll.cloud, kind, lang)
        future = self._pictures.get(key)
        if future is None:
            counts = [(word.word, word.count) for word in poll.tally.shown]
            future = asyncio.ensure_future(asyncio.to_thread(draw, counts, kind, lang))
            self._pictures[key] = future
            while len(self._pictures) > SVG_CACHE:
                self._pictures.popitem(last=False)
        else:
            self._pictures.move_to_end(key)
        try:
            return await asyncio.shield(future)
        except Exception:
            self._pictures.pop(key, None)
            raise

    def pictures(self) -> list[tuple[str, str, str]]:
        """The pictures made and kept, as (cloud version, svg or png, language)."""
        return list(self._pictures)

    # -- live ------------------------------------------------------------------------------------

    def kick(self, workshop_id: str) -> None:
        """Something changed: look now, and announce it (starting the watcher if needed)."""
        watch = self.watch(workshop_id)
        watch.announce = True
        watch.kick.set()

    def watch(self, workshop_id: str) -> _Watch:
        """The workshop's watcher, started if it is not running."""
        watch = self._watches.get(workshop_id)
        if watch is None:
            watch = self._watches[workshop_id] = _Watch()
            watch.task = asyncio.get_running_loop().create_task(
                self._watch(workshop_id, watch), name=f"exit-poll-{workshop_id}"
            )
        return watch

    async def close(self) -> None:
        """Stop every watcher and wait for it: the server is stopping, and a watcher cancelled
        mid-query must not outlive the store it was reading."""
        tasks = [watch.task for watch in self._watches.values() if watch.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_change(self, workshop_id: str, after: str, timeout: float = LONG_POLL) -> None:
        """Return once the poll's version is no longer `after`, or after `timeout`."""
        watch = self.watch(workshop_id)
        watch.waiters += 1

        def moved() -> bool:
            seen = self._states.get(workshop_id)
            return seen is not None and seen.version != after

        try:
            async with watch.changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watch.changed.wait_for(moved), timeout)
        finally:
            watch.waiters -= 1
            watch.last_busy = time.monotonic()

    def _busy(self, workshop_id: str, watch: _Watch) -> bool:
        """Someone here may want to hear about this workshop's poll: a socket on one of its
        boards, a long poll waiting, or either within the last `LINGER` seconds."""
        here = any(room.workshop_id == workshop_id and room.clients for room in list(self.hub.rooms.values()))
        now = time.monotonic()
        if here or watch.waiters:
            watch.last_busy = now
        return now - watch.last_busy < LINGER

    async def _head(self, workshop: WorkshopInfo) -> int:
        """The main board's head seq: every change to it (an answer, a withdrawal, opening or
        closing) moves it."""
        room = self.hub.rooms.get(workshop.main_board.id)
        if room is not None and not room.closed:
            return room.sequencer.head
        return await self.oplog.head(workshop.main_board.id)

    async def _watch(self, workshop_id: str, watch: _Watch) -> None:
        announced: PollState | None = None
        looked: tuple[int, WorkshopInfo] | None = None
        try:
            while True:
                if not watch.kick.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(watch.kick.wait(), CHECK_INTERVAL)
                kicked = watch.kick.is_set()
                watch.kick.clear()
                if not self._busy(workshop_id, watch):
                    return
                try:
                    workshop = await self.workshop(workshop_id)
                    if workshop is None:
                        return
                    # Counting reads the whole board: skip it while neither the board nor the
                    # workshop's details (a fresh copy is a new object) moved.
                    mark = (await self._head(workshop), workshop)
                    if not kicked and mark == looked:
                        continue
                    looked = mark
                    poll, _ = await self.state(workshop)
                except Exception:
                    log.warning("exit poll of workshop %s could not be read", workshop_id, exc_info=True)
                    await asyncio.sleep(NOTICE_INTERVAL)
                    continue
                self._states[workshop_id] = poll
                if announced is not None and poll.version == announced.version:
                    continue
                if announced is not None or watch.announce:
                    frame = protocol.encode(protocol.Poll(**poll.public()))
                    await self.hub.notify(workshop_id, frame)
                watch.announce = False
                announced = poll
                async with watch.changed:
                    watch.changed.notify_all()
                await asyncio.sleep(NOTICE_INTERVAL)  # the debounce: changes meanwhile go together
        finally:
            if self._watches.get(workshop_id) is watch:
                del self._watches[workshop_id]
                self._states.pop(workshop_id, None)


@lru_cache(maxsize=1)
def configured_blocklist() -> Blocklist:
    """The blocklist of this installation (`BOARD_POLL_BLOCKLIST`), for `board export` too."""
    return load_blocklist(from_environment().poll_blocklist)


async def record_counts(
    oplog: OpLog, workshop: WorkshopInfo, blocklist: Blocklist | None = None
) -> dict[str, int]:
    """The record's `exit_poll`: the shown words and their counts, from the stored main board."""
    loaded = await oplog.load(workshop.main_board.id, 0)
    hidden = [str(key) for key in workshop.details.get(HIDDEN_DETAIL, ()) or ()]
    tally = core_poll.tally(
        answers_of(loaded.state),
        blocklist=configured_blocklist() if blocklist is None else blocklist,
        hidden=hidden,
    )
    return tally.counts()

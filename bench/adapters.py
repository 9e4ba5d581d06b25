"""What the load generator needs to know about each server it drives: one adapter a protocol.

The generator (bench/loadgen.py) is the same for every server: worker processes of real
websocket participants, the same send schedule, the same windows, drains and counting. An
adapter says only what differs:

- the websocket path and the first message (`greet`);
- how an edit and a cursor move are sent (`edit`, `cursor`);
- what an incoming message is (`parse`): edits carrying their send time and sender, cursors,
  the server's greeting, acks, errors, anything else;
- whether the server acknowledges each edit (`acknowledged`) and whether the sender's own copy
  of its edit is part of delivery (`sender_receives`).

**Ours** (`BoardAdapter`): `hello` on `/ws`; an edit is an `update` of the participant's own note
whose text carries the send time; the server acks it, and every participant, the sender
included, receives it in an `ops` frame, in seq order. A socket is in when its snapshot reaches
the welcome's seq.

**The peers** (`YjsAdapter`): the y-protocol (bench/peers/ysync.py) on one room path; each
participant has its own pycrdt `Doc` and sets its own entry `p<i>` of one `Y.Map`, so each edit
is a real Yjs update, sent as messageSync/update as y-websocket's provider sends it. The edited
string carries the send time and is found again by scanning the bytes. A socket is in when the
server's syncStep1 arrives. The servers acknowledge nothing, and the copy they send back to the
sender is measured (the *echo*), not required.

Adapters are pickled into the worker processes: they hold only plain settings.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

import msgspec

from bench.peers import ysync

if TYPE_CHECKING:
    from bench.wsclient import WsClient

PROTOCOL_VERSION = 1
ROOM = "/workshop-board-bench"
"""The peers' room: every participant of a run connects to this path, so all share one document."""


class Kind(Enum):
    EDITS = "edits"
    CURSORS = "cursors"
    OTHER = "other"
    WELCOME = "welcome"
    """Ours: the seq the snapshot must reach before the socket counts as in."""
    SNAPSHOT = "snapshot"
    READY = "ready"
    """The peers' greeting (syncStep1): the socket is in the room."""
    ACK = "ack"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Parsed:
    """One incoming message, as the generator counts it. Edits frames are cached per worker
    (the servers send one encoded frame to many sockets), so this holds nothing per socket."""

    kind: Kind
    edits: tuple[tuple[int, int], ...] = ()
    """(send time ns, sender index) of every edit the message carries."""
    count: int = 0
    """Deliveries the message carries (ours: op entries; the peers: edits)."""
    first: int = -1
    """Ours: the seqs the frame covers, for the order check; -1 where there are none."""
    last: int = -1
    contiguous: bool = True
    seq: int = -1
    acks: dict[str, int] = field(default_factory=dict)
    op_id: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Seat:
    """One participant: its global index, and for our server its token and the note it edits."""

    index: int
    token: str = ""
    note: str = ""


@dataclass(slots=True)
class Participant:
    """One socket of a worker and what it has seen in the current phase."""

    seat: Seat
    ws: WsClient | None = None
    ready: asyncio.Future[None] | None = None
    seq: int = -1
    welcome_seq: int | None = None
    ops_sent: int = 0
    pending: dict[str, int] = field(default_factory=dict)
    """Op id -> send time, for edits not acked yet (acknowledged servers only)."""
    confirmed: int = 0
    """Own window edits the others should receive: acked (ours) or sent (the peers)."""
    got: int = 0
    """Others' window edits received."""
    echoes: int = 0
    """Own window edits received back."""
    state: Any = None
    """The adapter's own (a pycrdt document for the peers)."""

    @property
    def joined(self) -> bool:
        """Greeted by the server: a socket that never was takes no part, and the edits it
        should have received count as not delivered."""
        return self.ready is not None and self.ready.done() and not self.ready.cancelled()


class Adapter:
    """How to speak to one kind of server; see the module docstring."""

    path = "/"
    acknowledged = False
    sender_receives = False

    def setup(self, person: Participant) -> None:
        """Per-participant state, made in the worker process."""

    def greet(self, person: Participant) -> None:
        """Sent once the socket is open."""

    def edit(self, person: Participant, sent_ns: int, op_id: str) -> None:
        raise NotImplementedError

    def cursor(self, person: Participant, x: float, y: float) -> None:
        raise NotImplementedError

    def parse(self, payload: bytes) -> Parsed:
        raise NotImplementedError


# -- our server ---------------------------------------------------------------------------------


class _Change(msgspec.Struct):
    op: str
    props: dict[str, Any] | None = None


class _Entry(msgspec.Struct):
    seq: int
    changes: list[_Change]


class _OpsFrame(msgspec.Struct):
    first: int = msgspec.field(name="from")
    to: int
    ops: list[_Entry]


class _Seq(msgspec.Struct):
    seq: int


class _Ack(msgspec.Struct):
    ops: dict[str, int]


_ops_decoder = msgspec.json.Decoder(_OpsFrame)
_seq_decoder = msgspec.json.Decoder(_Seq)
_ack_decoder = msgspec.json.Decoder(_Ack)

OPS = b'{"type":"ops"'
CURSORS = b'{"type":"cursors"'
ACK = b'{"type":"ack"'
WELCOME = b'{"type":"welcome"'
SNAPSHOT = b'{"type":"snapshot"'
ERROR = b'{"type":"error"'
_CURSORS = Parsed(Kind.CURSORS)
_OTHER = Parsed(Kind.OTHER)


def hello(board: str, token: str, since: int | None = None, compressed: bool = False) -> str:
    """`compressed`: ask for a big snapshot as one zlib-compressed binary frame, as the board
    page does (docs/protocol.md, "Compressed snapshots")."""
    message: dict[str, Any] = {"type": "hello", "v": PROTOCOL_VERSION, "board": board, "token": token}
    if since is not None:
        message["since"] = since
    if compressed:
        message["compressed"] = True
    return json.dumps(message)


def edit_message(op_id: str, note: str, sent_ns: int, who: int) -> str:
    """An update of one note's text; the text is "<send time ns> <participant>"."""
    return (
        f'{{"type":"op","id":"{op_id}","op":{{"kind":"update","id":"{note}",'
        f'"props":{{"text":"{sent_ns} {who}"}}}}}}'
    )


def _stamp(change: _Change) -> tuple[int, int] | None:
    """(send time, sender) written into an edit's text by `edit_message`."""
    text = change.props.get("text") if change.props else None
    if not isinstance(text, str):
        return None
    sent, _, who = text.partition(" ")
    if not sent.isdigit():
        return None
    return int(sent), int(who) if who.isdigit() else -1


class BoardAdapter(Adapter):
    """Our server: participants on one board, each editing its own note."""

    path = "/ws"
    acknowledged = True
    sender_receives = True

    def __init__(self, board: str) -> None:
        self.board = board

    def greet(self, person: Participant) -> None:
        assert person.ws is not None
        person.ws.send_text(hello(self.board, person.seat.token))

    def edit(self, person: Participant, sent_ns: int, op_id: str) -> None:
        assert person.ws is not None
        person.ws.send_text(edit_message(op_id, person.seat.note, sent_ns, person.seat.index))

    def cursor(self, person: Participant, x: float, y: float) -> None:
        assert person.ws is not None
        person.ws.send_text(f'{{"type":"cursor","x":{x:.1f},"y":{y:.1f}}}')

    def parse(self, payload: bytes) -> Parsed:
        if payload.startswith(OPS):
            frame = _ops_decoder.decode(payload)
            seqs = [entry.seq for entry in frame.ops]
            stamps = [_stamp(change) for entry in frame.ops for change in entry.changes]
            return Parsed(
                Kind.EDITS,
                edits=tuple(s for s in stamps if s is not None),
                count=frame.to - frame.first + 1,
                first=frame.first,
                last=frame.to,
                contiguous=seqs == list(range(frame.first, frame.to + 1)),
            )
        if payload.startswith(CURSORS):
            return _CURSORS
        if payload.startswith(ACK):
            return Parsed(Kind.ACK, acks=_ack_decoder.decode(payload).ops)
        if payload.startswith(WELCOME):
            return Parsed(Kind.WELCOME, seq=_seq_decoder.decode(payload).seq)
        if payload.startswith(SNAPSHOT):
            return Parsed(Kind.SNAPSHOT, seq=_seq_decoder.decode(payload).seq)
        if payload.startswith(ERROR):
            error = msgspec.json.decode(payload)
            op_id = error.get("id") if isinstance(error, dict) else None
            return Parsed(
                Kind.ERROR,
                op_id=op_id if isinstance(op_id, str) else None,
                text=payload.decode(errors="replace")[:300],
            )
        return _OTHER  # presence


async def create_workshop(base_url: str, title: str, breakouts: int = 0) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        response = await http.post("/api/workshops", json={"title": title, "breakouts": breakouts})
        response.raise_for_status()
        created: dict[str, Any] = response.json()
        return created


async def join_many(base_url: str, code: str, count: int, concurrency: int = 16) -> list[str]:
    """`count` participant tokens, joined by code over HTTP."""
    import httpx

    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:

        async def one() -> str:
            async with gate:
                response = await http.post("/api/join", json={"code": code})
                response.raise_for_status()
                token: str = response.json()["token"]
                return token

        return list(await asyncio.gather(*(one() for _ in range(count))))


# -- the peers: y-protocol ----------------------------------------------------------------------


@dataclass(slots=True)
class _YState:
    doc: Any
    entries: Any
    vector: bytes
    """The participant's state vector after its last edit: the next update is the diff."""
    clock: int = 0
    """Its awareness clock."""


_Y_CURSORS = Parsed(Kind.CURSORS)
_Y_READY = Parsed(Kind.READY)


class YjsAdapter(Adapter):
    """y-websocket and pycrdt-websocket: participants of one shared Yjs document."""

    path = ROOM

    def setup(self, person: Participant) -> None:
        from pycrdt import Doc, Map

        doc: Doc[Any] = Doc()
        person.state = _YState(doc, doc.get("entries", type=Map), doc.get_state())

    def edit(self, person: Participant, sent_ns: int, op_id: str) -> None:
        assert person.ws is not None
        state: _YState = person.state
        state.entries[f"p{person.seat.index}"] = ysync.edit_text(sent_ns, person.seat.index)
        update: bytes = state.doc.get_update(state.vector)
        state.vector = state.doc.get_state()
        person.ws.send_binary(ysync.sync_update(update))

    def cursor(self, person: Participant, x: float, y: float) -> None:
        assert person.ws is not None
        state: _YState = person.state
        state.clock += 1
        cursor = f'{{"cursor":{{"x":{x:.1f},"y":{y:.1f}}},"name":"p{person.seat.index}"}}'
        person.ws.send_binary(ysync.awareness(state.doc.client_id, state.clock, cursor))

    def parse(self, payload: bytes) -> Parsed:
        kind = ysync.kind(payload)
        if kind in ("update", "step2"):
            found = ysync.markers(payload)
            return Parsed(Kind.EDITS, edits=found, count=len(found))
        if kind == "step1":
            return _Y_READY
        if kind == "awareness":
            return _Y_CURSORS
        return _OTHER

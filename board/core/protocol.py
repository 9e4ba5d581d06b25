"""Every message on the wire, in one place (documented in `docs/protocol.md`).

Client messages are msgspec structs tagged by `type`; `decode()` turns bytes into one of them or
a `ProtocolError`, and never raises. Server messages are built by the `encode_*` functions
below, which return the exact text frame sent, so a frame shared by many recipients is encoded
once.

Client -> server (`ClientMessage`): `hello` (first, once), `op`, `cursor`, `signal`
(facilitators). Server -> client (`ServerMessage`): `welcome`, `snapshot`, `own`, `ops`, `ack`,
`error`, `presence`, `cursors`, `signal`, and `notice` of each kind (`clock`, `sync`, `goto`,
`names`, `poll`, `message`, `presenter`). Why the server closes a socket: `CloseCode`.

The server is the clock: `welcome` carries the server's time (`now`, ms since the epoch), and
every frame that changes the timer is preceded by a `clock` notice with it, so a client
counts the timer down by the difference between the server's clock and its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import Meta, Struct

from board.core import characters
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import Coord
from board.core.ops import Op
from board.core.validation import from_msgspec

PROTOCOL_VERSION = 1
"""Raised when a message changes meaning; a client speaking another version is refused with
`protocol_version` and should reload the page."""

OpId = Annotated[str, Meta(min_length=1, max_length=LIMITS.max_op_id_length)]
Seq = Annotated[int, Meta(ge=0)]
Token = Annotated[str, Meta(min_length=1, max_length=200)]
BoardRef = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Zoom = Annotated[float, Meta(ge=0.01, le=100.0)]


class _Message(Struct, frozen=True, kw_only=True, tag_field="type", forbid_unknown_fields=True):
    pass


class Hello(_Message, frozen=True, kw_only=True, tag="hello"):
    """Opens a session on a board. `since` is the last seq the client has applied (omit it
    for a fresh snapshot). `token` may be omitted in a browser, which sends its cookie."""

    v: int
    board: BoardRef
    token: Token | None = None
    since: Seq | None = None
    compressed: bool = False
    """The client can inflate a snapshot sent compressed in a binary frame."""


class OpMessage(_Message, frozen=True, kw_only=True, tag="op"):
    """One op. `id` is the client's own id for it, unique per participant: the server acks it
    once committed and ignores a resend of an id it already committed (exactly once)."""

    id: OpId
    op: Op


class Cursor(_Message, frozen=True, kw_only=True, tag="cursor"):
    """Where this person's pointer is on the canvas; null x and y hide it. Never stored."""

    x: Coord | None
    y: Coord | None


class Signal(_Message, frozen=True, kw_only=True, tag="signal"):
    """A facilitator's momentary command to everyone on the board, never stored:
    `summon` brings every viewport to (x, y, zoom); `follow` makes viewports track the
    facilitator's until the person moves; `unfollow` ends that."""

    kind: Literal["summon", "follow", "unfollow"]
    x: Coord = 0.0
    y: Coord = 0.0
    zoom: Zoom = 1.0


ClientMessage = Hello | OpMessage | Cursor | Signal

_decoder = msgspec.json.Decoder(ClientMessage)


def decode(frame: bytes | str) -> ClientMessage | ProtocolError:
    """A client message from one websocket frame, or the error explaining why not."""
    size = len(frame.encode() if isinstance(frame, str) else frame)
    if size > LIMITS.max_frame_bytes:
        return ProtocolError(
            ErrorCode.TOO_LARGE,
            "",
            f"a message must be at most {LIMITS.max_frame_bytes} bytes, this is {size}",
        )
    try:
        message: ClientMessage = _decoder.decode(frame)
    except msgspec.ValidationError as error:
        return from_msgspec(error)
    except msgspec.DecodeError as error:
        return _lone_surrogate(frame) or from_msgspec(error)
    except RecursionError:
        return ProtocolError(ErrorCode.BAD_JSON, "", "is nested too deeply")
    if isinstance(message, Hello) and message.v != PROTOCOL_VERSION:
        return ProtocolError(
            ErrorCode.PROTOCOL_VERSION,
            "v",
            f"this server speaks version {PROTOCOL_VERSION}; reload the page",
        )
    if characters.may_hold(frame):
        refused = characters.refusal(msgspec.to_builtins(message))
        if refused is not None:
            return refused
    return message


def _lone_surrogate(frame: bytes | str) -> ProtocolError | None:
    """The `bad_character` error for a frame msgspec will not read because it escapes half a
    surrogate pair (`"\\ud800"`): named like any other forbidden character, with its field."""
    if not characters.may_hold(frame):
        return None
    try:
        data = json.loads(frame)
    except (ValueError, RecursionError):
        return None
    return characters.refusal(data)


def op_id_of(frame: bytes | str) -> str | None:
    """The client op id of a frame that failed to decode, when one can be read, so the error
    can name the op it refuses (and the client can drop it from its outbox). Python's own
    JSON reader is the fallback for what msgspec will not read at all (`1e999`, `NaN`)."""
    try:
        data = msgspec.json.decode(frame)
    except (msgspec.DecodeError, RecursionError):
        try:
            data = json.loads(frame)
        except (ValueError, RecursionError):
            return None
    if isinstance(data, dict) and data.get("type") == "op":
        op_id = data.get("id")
        if (
            isinstance(op_id, str)
            and 0 < len(op_id) <= LIMITS.max_op_id_length
            and characters.bad_character(op_id) is None
        ):
            return op_id
    return None


# -- server messages ----------------------------------------------------------------------
#
# Each message the server sends is a struct below; `ServerMessage` is their union. A frame is
# encoded once (`encode`) and the same text is sent to everyone it is for.


class _Server(Struct, frozen=True, kw_only=True, tag_field="type"):
    pass


class Welcome(_Server, frozen=True, kw_only=True, tag="welcome"):
    """The answer to `hello`: who you are here, what is yours, who is here, the server's time."""

    v: int = PROTOCOL_VERSION
    board: str
    seq: int
    role: str
    you: Mapping[str, Any]
    mine: Sequence[str]
    people: Sequence[Mapping[str, str]]
    workshop: Mapping[str, Any]
    now: int


class Snapshot(_Server, frozen=True, kw_only=True, tag="snapshot"):
    """The whole board as this viewer sees it. `objects` is JSON already encoded (a room
    caches each object's bytes and joins them once per seq and role)."""

    seq: int
    settings: Any
    objects: msgspec.Raw


class Own(_Server, frozen=True, kw_only=True, tag="own"):
    """A participant's own private objects (their notes in private mode, their votes not yet
    shown, and any of theirs revealed since the snapshot was made), as they are at `seq`. It
    follows a compressed snapshot, which is shared by every participant and so leaves them
    out, and the `ops` frame bringing that snapshot to `seq`: the shared bytes stay shared and
    only these few objects are encoded for one person."""

    seq: int
    objects: msgspec.Raw


class OpsEntry(Struct, frozen=True):
    seq: int
    changes: Sequence[Mapping[str, Any]]


class Ops(_Server, frozen=True, kw_only=True, tag="ops"):
    """The ops with seq `from_`..`to` one viewer may see: seqs hidden from them are covered by
    the range but absent, so the client advances without reporting a gap."""

    from_: int = msgspec.field(name="from")
    to: int
    ops: Sequence[OpsEntry]


class Ack(_Server, frozen=True, kw_only=True, tag="ack"):
    """Client op id -> the seq it was committed at. Sent after the `ops` frame holding it."""

    ops: Mapping[str, int]


class Error(_Server, frozen=True, kw_only=True, tag="error"):
    """An op or message refused: `id` names the op when there is one."""

    id: str | None
    code: str
    field: str
    message: str


class Presence(_Server, frozen=True, kw_only=True, tag="presence"):
    """How many are on the board now, who came and who left since the last one."""

    count: int
    joined: Sequence[Mapping[str, str]]
    left: Sequence[str]


class Cursors(_Server, frozen=True, kw_only=True, tag="cursors"):
    """[[cursor id, x, y], ...] for the cursors that moved since the last tick."""

    moved: Sequence[Sequence[Any]]
    gone: Sequence[str]


class SignalSent(_Server, frozen=True, kw_only=True, tag="signal"):
    """A facilitator's `signal`, passed on to everyone on the board."""

    kind: str
    x: float
    y: float
    zoom: float


class _Notice(Struct, frozen=True, kw_only=True, tag_field="kind"):
    """A moment for the whole workshop (or chosen people in it): `type` is always "notice",
    `kind` says which."""

    type: Literal["notice"] = "notice"


class Clock(_Notice, frozen=True, kw_only=True, tag="clock"):
    """The server's time (ms since the epoch), sent just before a frame that changes the
    timer, so every client counts down from the server's clock, not its own."""

    now: int


class Sync(_Notice, frozen=True, kw_only=True, tag="sync"):
    """Changes from other server processes are `delayed` (the broker is away), or no longer."""

    delayed: bool


class Goto(_Notice, frozen=True, kw_only=True, tag="goto"):
    """Go to this board (a participant's page follows; a facilitator's stays)."""

    board: str
    number: int


class Names(_Notice, frozen=True, kw_only=True, tag="names"):
    """Whether people may choose a name for their cursor now."""

    allowed: bool


class CloudWord(Struct, frozen=True):
    word: str
    count: int


class Poll(_Notice, frozen=True, kw_only=True, tag="poll"):
    """The exit poll as everyone may see it: its question, whether it is open, the cloud's
    words with their counts."""

    open: bool
    words: int
    question: Mapping[str, str]
    version: str
    cloud: str
    """Changes when the cloud's words or counts change: the key of its picture."""
    answers: int
    counts: Sequence[CloudWord]


class Message(_Notice, frozen=True, kw_only=True, tag="message"):
    """A facilitator's words to everyone on the chosen boards ("2 minutes left, start wrapping
    up"), shown and announced on each page; `boards` are the numbers it was sent to. Not
    stored: it is for the people there now."""

    text: str
    boards: Sequence[int]


PRESENTER_SCREENS: Final = ("join", "cloud", "gallery", "timer")
"""What a presenter screen shows, besides one board (`board-N`): the join code, the exit
poll's word cloud, the gallery, the timer. `static/js/presenter/channel.js` `SHOWS` is the same
list (a test reads both)."""

PRESENTER_BOARD: Final = re.compile(r"board-([0-9]{1,2})")
"""One board on the presenter screen: `board-0` is the main board (as `isShow` reads it)."""


class Presenter(_Notice, frozen=True, kw_only=True, tag="presenter"):
    """What the workshop's presenter screens show now, as a facilitator chose on any computer:
    one of `PRESENTER_SCREENS`, or `board-N`. Only facilitators' sockets get it: it says
    nothing a participant needs."""

    show: str


def presenter_board(show: str) -> int | None:
    """The board number a `board-N` names, else None."""
    found = PRESENTER_BOARD.fullmatch(show)
    return int(found.group(1)) if found else None


def presenter_refusal(show: str) -> ProtocolError | None:
    """Why a presenter screen cannot show `show`, or None (whether board N exists is the
    workshop's to say)."""
    if show in PRESENTER_SCREENS:
        return None
    number = presenter_board(show)
    if number is None or number > LIMITS.max_boards:
        rule = f"must be one of {', '.join(PRESENTER_SCREENS)} or board-N (N from 0 to {LIMITS.max_boards})"
        return ProtocolError(ErrorCode.BAD_VALUE, "show", rule)
    return None


def message_refusal(text: str) -> ProtocolError | None:
    """Why a facilitator's message cannot be sent, or None: it says something, within
    `max_message_text` characters, under the one character rule every stored text keeps (it is
    not stored, but it is shown on every page as text is)."""
    if not text.strip():
        return ProtocolError(ErrorCode.TOO_SHORT, "text", "must not be empty")
    if len(text) > LIMITS.max_message_text:
        return ProtocolError(
            ErrorCode.TOO_LONG, "text", f"must be at most {LIMITS.max_message_text} characters"
        )
    return characters.refusal(text, "text")


Notice = Clock | Sync | Goto | Names | Poll | Message | Presenter
ServerMessage = Welcome | Snapshot | Own | Ops | Ack | Error | Presence | Cursors | SignalSent | Notice


class CloseCode(IntEnum):
    """Why the server closed a socket: the table in docs/protocol.md, each with what a client
    does about it."""

    NORMAL = 1000
    PROTOCOL_ERROR = 1002
    """A frame that breaks RFC 6455: fix the client."""
    INVALID_DATA = 1007
    """A text frame that is not UTF-8: fix the client."""
    POLICY = 1008
    """A foreign Origin, or a flood: do not retry automatically."""
    TOO_BIG = 1009
    """A message over `hard_frame_bytes`: fix the client."""
    BOARD_FAILED = 1011
    """The board could not be saved: reconnect with backoff and resend the outbox."""
    RESTARTING = 1012
    """The server is restarting: reconnect with backoff and resend the outbox."""
    TOO_FAR_BEHIND = 1013
    """The socket fell more than `max_outbox_bytes` behind: reconnect and resume."""
    WORKSHOP_DELETED = 4410
    """The workshop was deleted: show that; do not retry."""


_encoder = msgspec.json.Encoder()


def encode(message: ServerMessage) -> str:
    """The text frame for a server message."""
    return _encoder.encode(message).decode()


def encode_clock(now: int) -> str:
    return encode(Clock(now=now))


def encode_snapshot(seq: int, settings: Any, objects: bytes) -> str:
    """A snapshot from objects already encoded and joined with commas (the room caches them)."""
    return encode(Snapshot(seq=seq, settings=settings, objects=msgspec.Raw(b"[" + objects + b"]")))


def encode_own(seq: int, objects: bytes) -> str:
    """A participant's own private objects, already encoded and joined with commas."""
    return encode(Own(seq=seq, objects=msgspec.Raw(b"[" + objects + b"]")))


def encode_ops(first: int, last: int, entries: Sequence[tuple[int, Sequence[Mapping[str, Any]]]]) -> str:
    return encode(Ops(from_=first, to=last, ops=[OpsEntry(seq, changes) for seq, changes in entries]))


def encode_ack(acks: Mapping[str, int]) -> str:
    return encode(Ack(ops=acks))


def encode_error(error: ProtocolError, op_id: str | None = None) -> str:
    return encode(Error(id=op_id, code=error.code.value, field=error.field, message=error.rule))


def encode_presence(count: int, joined: Sequence[Mapping[str, str]], left: Sequence[str]) -> str:
    return encode(Presence(count=count, joined=joined, left=left))


def encode_cursors(moved: Sequence[Sequence[Any]], gone: Sequence[str]) -> str:
    return encode(Cursors(moved=moved, gone=gone))


def encode_signal(signal: Signal) -> str:
    return encode(SignalSent(kind=signal.kind, x=signal.x, y=signal.y, zoom=signal.zoom))

"""Error codes, and errors as values.

Input from a client never raises: `protocol.decode()` and `ops.apply()` return a
`ProtocolError` naming the code, the field (a dotted path into the message, e.g.
`op.obj.text`) and the rule in words a person can read. The websocket edge sends it back as an
`error` frame and keeps the connection open. Exceptions are reserved for bugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code a client can receive. `docs/protocol.md` lists each with its meaning."""

    BAD_JSON = "bad_json"
    """The message is not a JSON object."""
    BAD_MESSAGE = "bad_message"
    """Unknown message `type` or op `kind`, or a message that makes no sense now."""
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    WRONG_TYPE = "wrong_type"
    """A field has the wrong JSON type (a string where a number belongs, say)."""
    OUT_OF_RANGE = "out_of_range"
    """A number outside its bounds, or not finite."""
    TOO_LONG = "too_long"
    """Text longer than its limit. Text is never truncated."""
    TOO_SHORT = "too_short"
    TOO_MANY = "too_many"
    """A list longer than its limit (points in a stroke, ops in a batch)."""
    TOO_LARGE = "too_large"
    """The whole message is larger than `max_frame_bytes`."""
    BAD_FORMAT = "bad_format"
    """A string that does not match its pattern (ids, colours, order keys)."""
    BAD_VALUE = "bad_value"
    """A value outside its fixed set (a note colour, a shape kind)."""
    BAD_CHARACTER = "bad_character"
    """A string holding a character no text may hold (NUL and other control characters, a
    noncharacter, a lone surrogate): one rule for every string, on every store
    (`characters.py`)."""
    NOT_FOUND = "not_found"
    """The object does not exist, or is not visible to you: the two are not told apart."""
    CONFLICT = "conflict"
    """This id is already used on this board: by an object (seen by the asker or not), or by
    one removed, whose id stays claimed (`ops._Draft._claimed`)."""
    FORBIDDEN = "forbidden"
    """Your role may not do this (a facilitator action)."""
    NOT_YOURS = "not_yours"
    """Someone else made this: only they, or a facilitator, may remove it (any object) or
    change it (a comment, a vote, a poll answer). Moving and editing others' notes is allowed."""
    READ_ONLY = "read_only"
    """The board is locked or the workshop is closed."""
    VOTING_CLOSED = "voting_closed"
    VOTE_BUDGET = "vote_budget"
    """You have used all your votes on this board."""
    NOT_ONE_OR_TWO_WORDS = "not_one_or_two_words"
    """An exit-poll answer that is empty, a sentence, or has more words than the poll allows
    (the board's `poll_words`, 2 unless the facilitator changed it)."""
    POLL_CLOSED = "poll_closed"
    """The exit poll is not open."""
    BOARD_FULL = "board_full"
    NOT_STORED = "not_stored"
    """The database refused this op's data (a value that passed every check here but that it
    cannot hold): nothing of it was applied. The other ops committed with it are kept."""
    RATE_LIMITED = "rate_limited"
    SERVER_FULL = "server_full"
    """The server holds as much as its memory budget allows: the op was not applied."""
    NOT_JOINED = "not_joined"
    """A message other than `hello` before the `welcome`."""
    UNAUTHORIZED = "unauthorized"
    """The token is unknown, or not allowed on this board."""
    PROTOCOL_VERSION = "protocol_version"


@dataclass(frozen=True, slots=True)
class ProtocolError:
    """A refused message: which rule, on which field, in words a person can read."""

    code: ErrorCode
    field: str
    rule: str

    def under(self, prefix: str) -> ProtocolError:
        """The same error, with its field placed under `prefix` (e.g. `ops[3]`)."""
        path = f"{prefix}.{self.field}" if self.field else prefix
        return ProtocolError(self.code, path, self.rule)

    def __str__(self) -> str:
        return f"{self.code}: {self.field}: {self.rule}" if self.field else f"{self.code}: {self.rule}"

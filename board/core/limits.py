"""The one table of bounds.

Every number that limits what a client may send, or what the server keeps per connection, is
declared here once, with the reason for its value. The protocol types (`model.py`,
`protocol.py`) build their constraints from this table, the browser receives it in the page's
JSON config block, and `docs/protocol.md` is checked against it by a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


def _bound(value: Any, doc: str) -> Any:
    return field(default=value, metadata={"doc": doc})


@dataclass(frozen=True, slots=True)
class Limits:
    max_frame_bytes: int = _bound(
        131_072,
        "Largest inbound websocket message (128 KiB) that is decoded; a larger one gets a "
        "`too_large` error and is dropped unread. A full pen stroke fits with room to spare.",
    )
    hard_frame_bytes: int = _bound(
        1_048_576,
        "Largest message the server reads at all (1 MiB); past it the socket closes with 1009, "
        "because reading it would already cost the memory the limit protects.",
    )
    max_id_length: int = _bound(64, "Object ids are client-chosen: 1-64 characters from A-Z a-z 0-9 _ -.")
    max_op_id_length: int = _bound(64, "Client op ids (for acks and deduplication): 1-64 characters.")
    max_note_text: int = _bound(1_000, "Characters on a sticky note: a note is a thought, not an essay.")
    max_text_text: int = _bound(4_000, "Characters in a free text object on the canvas.")
    max_label_text: int = _bound(500, "Characters in a shape's label.")
    max_comment_text: int = _bound(2_000, "Characters in one comment or reply.")
    max_title_text: int = _bound(200, "Characters in a frame title.")
    max_category_key: int = _bound(64, "Characters in a category key (e.g. `getting_information`).")
    max_coordinate: float = _bound(
        10_000_000.0,
        "Largest absolute canvas coordinate. The canvas has no edges for people; this only "
        "keeps numbers finite and far from float precision trouble.",
    )
    min_note_size: float = _bound(40.0, "Smallest width or height of a sticky note.")
    max_extent: float = _bound(
        20_000.0, "Largest width or height of any object (a frame can hold a whole activity)."
    )
    max_stroke_points: int = _bound(
        2_000, "Points in one pen stroke; the client simplifies longer strokes before sending."
    )
    min_stroke_width: float = _bound(0.5, "Thinnest pen stroke.")
    max_stroke_width: float = _bound(64.0, "Thickest pen stroke.")
    min_font_size: float = _bound(8.0, "Smallest font size of a text object.")
    max_font_size: float = _bound(256.0, "Largest font size of a text object.")
    max_batch_ops: int = _bound(500, "Ops in one atomic batch (moving 500 selected notes at once is one op).")
    max_objects_per_board: int = _bound(
        20_000,
        "Objects on one board; a create past it gets `board_full`, and the server's own copies "
        "(a gallery pull, a merge, a template laid out) place what fits and no more.",
    )
    max_board_bytes: int = _bound(
        16_777_216,
        "Bytes of objects on one board (16 MiB, as JSON; tldraw and WBO cap boards too); an op "
        "that adds to a board holding it gets `board_full`, deleting still works. Memory: an "
        "open board holds its objects about 3 times over (the objects, each one's encoded "
        "bytes, and up to two encoded snapshots), so up to ~50 MiB at the cap.",
    )
    participant_bytes_per_minute: int = _bound(
        4_194_304,
        "Bytes of ops one participant may send a minute, on all their sockets and boards (4 "
        "MiB, all at once at most); an op past it gets `rate_limited` naming it. A person "
        "drawing and typing sends well under 1 MiB a minute. Facilitators are not counted.",
    )
    workshop_bytes_per_minute: int = _bound(
        33_554_432,
        "Bytes of ops all the participants of one workshop may send a minute together (32 "
        "MiB); an op past it gets `rate_limited` naming it.",
    )
    max_boards: int = _bound(50, "Numbered breakout boards in one workshop (1..50), beside its main board 0.")
    max_vote_budget: int = _bound(100, "Largest dot-vote budget a facilitator can set.")
    max_timer_ms: int = _bound(
        86_400_000,
        "Longest timer: 24 hours. Bounds a timer's `total` and `remaining`, and how far a running "
        "timer's `ends_at` lies past the server's time when it is set (only `timer` ops set it).",
    )
    max_message_text: int = _bound(
        280,
        "Characters in a facilitator's message to the boards (\"2 minutes left, start wrapping "
        'up"): a sentence or two, read at a glance. Not stored; one frame is encoded per message '
        "and shared by every socket it is queued for.",
    )
    max_poll_text: int = _bound(
        80,
        "Characters in one exit-poll answer: two long words fit (Welsh compounds run long), a "
        "paragraph does not.",
    )
    max_poll_words: int = _bound(
        5, "Largest word limit a facilitator can set for exit-poll answers (the default is 2)."
    )
    max_poll_entries: int = _bound(
        30,
        'Exit-poll answers one person may give: "lots of one or two words" (seed 000), not a '
        "flood that drowns everyone else's words in the cloud.",
    )
    messages_per_second: float = _bound(
        50.0,
        "Sustained inbound messages per connection (token bucket); a person dragging and "
        "typing sends far fewer, a flood gets `rate_limited` errors.",
    )
    message_burst: int = _bound(200, "Messages a connection may send at once before the rate applies.")
    socket_bytes_per_second: int = _bound(
        262_144,
        "Sustained inbound bytes per participant's connection (256 KiB a second: eight full pen "
        "strokes); past it, messages are dropped unread like those over `messages_per_second`, "
        "so a script sending big frames costs the server next to nothing, and nobody else "
        "waits behind it. Facilitators' sockets have no byte rate.",
    )
    socket_bytes_burst: int = _bound(
        1_048_576, "Bytes a participant's connection may send at once before the byte rate applies (1 MiB)."
    )
    max_outbox_bytes: int = _bound(
        4_194_304,
        "Bytes queued for one slow connection (4 MiB). Past it the socket is closed with 1013 "
        "(try again later); the client reconnects with its last seq and resumes, so memory "
        "stays bounded and the client still converges.",
    )


LIMITS = Limits()


def describe() -> list[tuple[str, Any, str]]:
    """Every bound as (name, value, reason), in declaration order, for docs and tests."""
    return [(f.name, getattr(LIMITS, f.name), f.metadata["doc"]) for f in fields(Limits)]


def as_config() -> dict[str, Any]:
    """The bounds the browser mirrors, for the page's JSON config block."""
    return {name: value for name, value, _ in describe()}

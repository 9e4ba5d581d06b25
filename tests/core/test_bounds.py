"""`max_objects_per_board`: a board holds at most that many objects, whoever adds them. A
person's create past it gets `board_full` and changes nothing (a batch that would cross it is
refused whole); the server's own copies (`adopt`: a gallery pull, a merge, a template laid
out) place what fits and no more. Over a websocket: `tests/app/test_bounds.py`."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from board.core.breakout import Source, pull
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import Note
from board.core.ops import Applied, Op, adopt, apply
from board.core.protocol import decode
from board.core.state import Actor, BoardState

MAX = LIMITS.max_objects_per_board
ALICE = Actor("alice")
FAC = Actor("fac", facilitator=True)


def op(data: dict[str, Any]) -> Op:
    decoded: Op = msgspec.convert(data, Op)
    return decoded


def create(oid: str) -> dict[str, Any]:
    return {"kind": "create", "obj": {"type": "note", "id": oid, "x": 0, "y": 0}}


def board_with(count: int) -> BoardState:
    notes = {f"n{i}": Note(id=f"n{i}", x=0.0, y=0.0) for i in range(count)}
    return BoardState(notes, dict.fromkeys(notes, "bob"))


def test_a_create_on_a_full_board_is_refused_with_board_full_and_changes_nothing() -> None:
    full = board_with(MAX)
    for actor in (ALICE, FAC):
        refused = apply(full, op(create("one-too-many")), actor, 1000)
        assert isinstance(refused, ProtocolError)
        assert (refused.code, refused.field) == (ErrorCode.BOARD_FULL, "obj")
        assert str(MAX) in refused.rule
    assert len(full.objects) == MAX


def test_the_last_place_can_be_taken_and_a_delete_frees_one() -> None:
    almost = board_with(MAX - 1)
    filled = apply(almost, op(create("last")), ALICE, 1000)
    assert isinstance(filled, Applied)
    assert len(filled.state.objects) == MAX
    assert isinstance(apply(filled.state, op(create("more")), ALICE, 1000), ProtocolError)
    freed = apply(filled.state, op({"kind": "delete", "id": "last"}), ALICE, 1000)
    assert isinstance(freed, Applied)
    assert isinstance(apply(freed.state, op(create("more")), ALICE, 1000), Applied)


def test_a_batch_that_would_cross_the_limit_is_refused_whole() -> None:
    almost = board_with(MAX - 1)
    refused = apply(almost, op({"kind": "batch", "ops": [create("a"), create("b")]}), ALICE, 1000)
    assert isinstance(refused, ProtocolError)
    assert (refused.code, refused.field) == (ErrorCode.BOARD_FULL, "ops[1].obj")
    assert "a" not in almost.objects


def test_the_servers_copies_place_what_fits_and_no_more() -> None:
    """`adopt` never refuses (a merge or a pull is the server's own change) but it does not
    overfill: copies past the limit are not placed, and the effects say what was."""
    almost = board_with(MAX - 2)
    copies = [(Note(id=f"copy{i}", x=0.0, y=0.0), "carol") for i in range(5)]
    adopted = adopt(almost, copies)
    assert len(adopted.state.objects) == MAX
    assert {"copy0", "copy1"} <= set(adopted.state.objects)
    assert [effect.id for effect in adopted.effects] == ["copy0", "copy1"]  # type: ignore[attr-defined]
    # A merge removes before it places: what it frees, it may fill.
    merged = adopt(adopted.state, copies[2:4], remove=["n0"])
    assert len(merged.state.objects) == MAX
    assert "copy2" in merged.state.objects
    assert "copy3" not in merged.state.objects


def test_pulling_breakout_notes_into_a_nearly_full_main_board_stops_at_the_limit() -> None:
    main = board_with(MAX - 3)
    breakout = BoardState({f"b{i}": Note(id=f"b{i}", x=0.0, y=0.0, text=f"idea {i}") for i in range(10)}, {})
    pulled = pull(main, [Source(1, "Board 1", breakout)], 5000)
    assert isinstance(pulled, Applied)
    assert len(pulled.state.objects) == MAX, "its frame and two notes, not ten"


timer_ops = st.lists(
    st.tuples(
        st.sampled_from(["start", "pause", "resume", "add", "clear"]),
        st.integers(1_000, LIMITS.max_timer_ms),
        st.integers(0, 3 * LIMITS.max_timer_ms),
    ),
    max_size=12,
)


@given(steps=timer_ops)
def test_a_running_timer_ends_at_most_max_timer_ms_after_the_servers_time(
    steps: list[tuple[str, int, int]],
) -> None:
    """`ends_at` has a bound though it is a moment, not a length: only `timer` ops set it, at
    the server's clock, and it is never more than `max_timer_ms` past the time it was set
    (start, add and resume alike), and it never moves later without an op; `total` and
    `remaining` stay within it too."""
    state, now = BoardState(), 1_700_000_000_000
    for action, ms, wait in steps:
        now += wait
        message: dict[str, Any] = {"kind": "timer", "action": action}
        if action in ("start", "add"):
            message["ms"] = ms
        applied = apply(state, op(message), FAC, now)
        if isinstance(applied, ProtocolError):
            assert applied.code is ErrorCode.NOT_FOUND, applied  # no timer to pause, resume or add to
            continue
        state = applied.state
        timer = state.settings.timer
        if timer is None:
            continue
        assert 0 <= timer.total <= LIMITS.max_timer_ms
        assert timer.remaining is None or 0 <= timer.remaining <= LIMITS.max_timer_ms
        assert timer.ends_at is None or timer.ends_at <= now + LIMITS.max_timer_ms


def test_no_client_sets_ends_at_itself() -> None:
    message = {
        "type": "op",
        "id": "t",
        "op": {"kind": "settings", "props": {"timer": {"total": 1, "ends_at": 2**62}}},
    }
    refused = decode(msgspec.json.encode(message))
    assert isinstance(refused, ProtocolError)
    assert (refused.code, refused.field) == (ErrorCode.UNKNOWN_FIELD, "op.props.timer")

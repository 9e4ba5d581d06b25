"""apply(state, op): what each op does, who may do it, and what every viewer is told."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from board.core import voting
from board.core.effects import Change, project
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Settings
from board.core.ops import Applied, Op, adopt, apply, apply_all, withdraw
from board.core.state import FACILITATOR, PUBLIC, Actor, BoardState, Viewer

ALICE = Actor("alice")
BOB = Actor("bob")
FAC = Actor("fac", facilitator=True)


def op(data: dict[str, Any]) -> Op:
    decoded: Op = msgspec.convert(data, Op)
    return decoded


def note(oid: str, **props: Any) -> Op:
    return op({"kind": "create", "obj": {"type": "note", "id": oid, "x": 0, "y": 0, **props}})


def update(oid: str, **props: Any) -> Op:
    return op({"kind": "update", "id": oid, "props": props})


def delete(oid: str) -> Op:
    return op({"kind": "delete", "id": oid})


def settings(**props: Any) -> Op:
    return op({"kind": "settings", "props": props})


def ok(state: BoardState, the_op: Op, actor: Actor = ALICE, now: int = 1000) -> Applied:
    result = apply(state, the_op, actor, now)
    assert isinstance(result, Applied), result
    return result


def refused(state: BoardState, the_op: Op, actor: Actor = ALICE) -> ProtocolError:
    result = apply(state, the_op, actor, 1000)
    assert isinstance(result, ProtocolError), result
    return result


def build(*steps: tuple[Op, Actor]) -> BoardState:
    state = BoardState()
    for the_op, actor in steps:
        state = ok(state, the_op, actor).state
    return state


def test_create_sets_server_fields_and_is_put_for_everyone() -> None:
    result = ok(BoardState(), note("n1", text="hello", created=5), now=1234)
    created = result.state.objects["n1"]
    assert created.created == 1234, "the server's clock, not the client's"
    assert result.state.authors == {"n1": "alice"}
    assert [item["op"] for item in project(result.effects, PUBLIC)] == ["put"]


def test_concurrent_edits_of_different_properties_both_survive() -> None:
    """[P4] last writer wins per property, not per object."""
    state = build((note("n1", text="first"), ALICE))
    state = ok(state, update("n1", text="Alice's words"), ALICE).state
    state = ok(state, update("n1", x=300.0, y=40.0), BOB).state
    moved = state.objects["n1"]
    assert (moved.text, moved.x, moved.y) == ("Alice's words", 300.0, 40.0)  # type: ignore[union-attr]


def test_the_later_edit_of_the_same_property_wins() -> None:
    state = build((note("n1"), ALICE), (update("n1", text="one"), ALICE), (update("n1", text="two"), BOB))
    assert state.objects["n1"].text == "two"  # type: ignore[union-attr]


def test_update_is_sent_as_a_patch_of_only_the_changed_properties() -> None:
    state = build((note("n1", text="t"), ALICE))
    items = project(ok(state, update("n1", x=5.0), BOB).effects, PUBLIC)
    assert items == [{"op": "patch", "id": "n1", "props": {"x": 5.0}}]


def test_create_with_an_existing_id_is_a_conflict() -> None:
    state = build((note("n1"), ALICE))
    assert refused(state, note("n1"), BOB).code is ErrorCode.CONFLICT


def test_a_batch_is_all_or_nothing() -> None:
    state = build((note("n1"), ALICE))
    batch = op(
        {
            "kind": "batch",
            "ops": [
                {"kind": "update", "id": "n1", "props": {"x": 10}},
                {"kind": "create", "obj": {"type": "note", "id": "n2", "x": 0, "y": 0}},
                {"kind": "update", "id": "missing", "props": {"x": 1}},
            ],
        }
    )
    error = refused(state, batch)
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "ops[2].id")
    assert state.objects["n1"].x == 0  # type: ignore[union-attr]


def test_moving_thirty_notes_is_one_op_with_thirty_changes() -> None:
    state = build(*[(note(f"n{i}"), ALICE) for i in range(30)])
    batch = op(
        {"kind": "batch", "ops": [{"kind": "update", "id": f"n{i}", "props": {"x": 50}} for i in range(30)]}
    )
    result = ok(state, batch, BOB)
    assert len(result.effects) == 30
    assert all(obj.x == 50 for obj in result.state.objects.values())  # type: ignore[union-attr]


def test_apply_all_refuses_one_op_without_disturbing_the_others() -> None:
    state, results = apply_all(
        BoardState(), [(note("a"), ALICE), (update("nope", x=1), BOB), (update("a", text="ok"), BOB)], 1
    )
    assert isinstance(results[1], ProtocolError)
    assert not isinstance(results[2], ProtocolError)
    assert state.objects["a"].text == "ok"  # type: ignore[union-attr]


def test_a_refused_op_leaves_the_given_state_untouched() -> None:
    state = build((note("n1", text="keep"), ALICE))
    before = dict(state.objects)
    refused(state, op({"kind": "update", "id": "n1", "props": {"text": "x" * 1001}}))
    assert dict(state.objects) == before


def test_note_text_is_held_to_the_note_limit_even_though_text_objects_allow_more() -> None:
    state = build((note("n1"), ALICE))
    error = refused(state, update("n1", text="x" * 1001))
    assert (error.code, error.field) == (ErrorCode.TOO_LONG, "props.text")


def test_a_property_of_another_type_is_refused_by_name() -> None:
    state = build((note("n1"), ALICE))
    error = refused(state, op({"kind": "update", "id": "n1", "props": {"points": [1, 2]}}))
    assert (error.code, error.field) == (ErrorCode.UNKNOWN_FIELD, "props.points")


def test_deleting_a_note_removes_its_comments_replies_and_votes() -> None:
    state = build(
        (note("n1"), ALICE),
        (settings(voting=True), FAC),
        (op({"kind": "create", "obj": {"type": "comment", "id": "c1", "target": "n1", "text": "why?"}}), BOB),
        (
            op({"kind": "create", "obj": {"type": "comment", "id": "r1", "parent": "c1", "text": "because"}}),
            ALICE,
        ),
        (op({"kind": "create", "obj": {"type": "vote", "id": "v1", "target": "n1"}}), BOB),
    )
    result = ok(state, delete("n1"), ALICE)
    assert set(result.state.objects) == set()
    assert {e.id for e in result.effects if isinstance(e, Change)} == {"n1", "c1", "r1", "v1"}


def test_only_its_author_or_a_facilitator_may_change_a_comment() -> None:
    state = build(
        (note("n1"), ALICE),
        (op({"kind": "create", "obj": {"type": "comment", "id": "c1", "target": "n1", "text": "mine"}}), BOB),
    )
    assert refused(state, update("c1", text="hijacked"), ALICE).code is ErrorCode.NOT_YOURS
    assert refused(state, delete("c1"), ALICE).code is ErrorCode.NOT_YOURS
    ok(state, update("c1", resolved=True), BOB)
    ok(state, delete("c1"), FAC)


def test_a_comment_needs_a_target_or_a_point() -> None:
    error = refused(
        BoardState(), op({"kind": "create", "obj": {"type": "comment", "id": "c", "text": "lost"}})
    )
    assert (error.code, error.field) == (ErrorCode.MISSING_FIELD, "obj.x")


def test_settings_are_for_facilitators_only() -> None:
    error = refused(BoardState(), settings(locked=True), ALICE)
    assert error.code is ErrorCode.FORBIDDEN
    assert ok(BoardState(), settings(locked=True), FAC).state.settings.locked


def test_a_locked_board_refuses_participants_but_not_facilitators() -> None:
    state = build((settings(locked=True), FAC))
    assert refused(state, note("n1"), ALICE).code is ErrorCode.READ_ONLY
    ok(state, note("n1"), FAC)


def test_a_closed_workshop_refuses_everyone() -> None:
    state = build((settings(closed=True), FAC))
    assert refused(state, note("n1"), FAC).code is ErrorCode.READ_ONLY


def test_private_notes_are_seen_by_their_author_and_facilitators_only() -> None:
    state = build((settings(private_mode=True), FAC))
    result = ok(state, note("secret", text="only me"), ALICE)
    assert project(result.effects, PUBLIC) == []
    assert project(result.effects, Viewer("bob")) == []
    assert [i["op"] for i in project(result.effects, Viewer("alice"))] == ["put"]
    assert [i["op"] for i in project(result.effects, FACILITATOR)] == ["put"]
    assert refused(result.state, update("secret", x=1.0), BOB).code is ErrorCode.NOT_FOUND


def test_revealing_private_mode_puts_every_hidden_note_for_everyone() -> None:
    state = build((settings(private_mode=True), FAC), (note("a"), ALICE), (note("b"), BOB))
    result = ok(state, settings(private_mode=False), FAC)
    public_puts = sorted(i["obj"].id for i in project(result.effects, PUBLIC) if i["op"] == "put")
    assert public_puts == ["a", "b"]
    alice_items = project(result.effects, Viewer("alice"))
    assert {"op": "patch", "id": "a", "props": {"private": False}} in alice_items
    assert not any(obj.private for obj in result.state.objects.values())


def test_hiding_a_note_removes_it_for_participants_at_once() -> None:
    state = build((note("n1"), ALICE))
    result = ok(state, update("n1", hidden=True), FAC)
    assert project(result.effects, PUBLIC) == [{"op": "del", "id": "n1"}]
    assert project(result.effects, Viewer("alice")) == [{"op": "del", "id": "n1"}]
    assert project(result.effects, FACILITATOR) == [{"op": "patch", "id": "n1", "props": {"hidden": True}}]
    shown = ok(result.state, update("n1", hidden=False), FAC)
    assert [i["op"] for i in project(shown.effects, PUBLIC)] == ["put"]


def test_participants_cannot_hide_notes() -> None:
    state = build((note("n1"), ALICE))
    error = refused(state, update("n1", hidden=True), ALICE)
    assert (error.code, error.field) == (ErrorCode.FORBIDDEN, "props.hidden")


def vote(vid: str, target: str) -> Op:
    return op({"kind": "create", "obj": {"type": "vote", "id": vid, "target": target}})


def test_votes_need_voting_open() -> None:
    state = build((note("n1"), ALICE))
    assert refused(state, vote("v", "n1")).code is ErrorCode.VOTING_CLOSED


def test_vote_budget_is_per_participant() -> None:
    state = build((note("n1"), ALICE), (settings(voting=True, vote_budget=2), FAC))
    state = ok(state, vote("v1", "n1"), ALICE).state
    state = ok(state, vote("v2", "n1"), ALICE).state
    assert refused(state, vote("v3", "n1"), ALICE).code is ErrorCode.VOTE_BUDGET
    ok(state, vote("v4", "n1"), BOB)


def test_votes_are_hidden_from_others_until_the_results_are_shown() -> None:
    state = build((note("n1"), ALICE), (settings(voting=True), FAC))
    cast_vote = ok(state, vote("v1", "n1"), ALICE)
    assert project(cast_vote.effects, PUBLIC) == []
    assert [i["op"] for i in project(cast_vote.effects, Viewer("alice"))] == ["put"]
    shown = ok(cast_vote.state, settings(votes_shown=True), FAC)
    assert [i["op"] for i in project(shown.effects, PUBLIC)] == ["settings", "put"]
    vote_put = next(i for i in project(shown.effects, PUBLIC) if i["op"] == "put")
    assert "author" not in msgspec.to_builtins(vote_put["obj"]), "a vote never names its voter"


def test_withdrawal_removes_everything_a_participant_made_and_what_hangs_on_it() -> None:
    state = build(
        (note("a1"), ALICE),
        (note("b1"), BOB),
        (op({"kind": "create", "obj": {"type": "comment", "id": "bc", "target": "a1", "text": "hm"}}), BOB),
        (settings(voting=True), FAC),
        (vote("av", "b1"), ALICE),
    )
    result = withdraw(state, "alice")
    assert set(result.state.objects) == {"b1"}
    assert "alice" not in result.state.authors.values()


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        (
            {"kind": "create", "obj": {"type": "shape", "id": "s", "x": 0, "y": 0, "kind": "rect", "w": -5}},
            "out_of_range",
            "obj.w",
        ),
        (
            {"kind": "create", "obj": {"type": "stroke", "id": "s", "x": 0, "y": 0, "points": [1, 2, 3]}},
            "bad_format",
            "obj.points",
        ),
        (
            {"kind": "create", "obj": {"type": "note", "id": "s", "x": 0, "y": 0, "z": "a00"}},
            "bad_format",
            "obj.z",
        ),
        (
            {"kind": "create", "obj": {"type": "comment", "id": "c", "target": "ghost", "text": "?"}},
            "not_found",
            "obj.target",
        ),
    ],
)
def test_rules_beyond_declared_bounds_are_checked(data: dict[str, Any], code: str, field: str) -> None:
    error = refused(BoardState(), op(data))
    assert (error.code.value, error.field) == (code, field)


def test_a_line_may_run_backwards_but_a_box_may_not() -> None:
    line = op(
        {
            "kind": "create",
            "obj": {"type": "shape", "id": "l", "x": 0, "y": 0, "kind": "arrow", "w": -50, "h": 20},
        }
    )
    ok(BoardState(), line)


def test_adopted_objects_keep_their_authors_for_budgets_and_withdrawal() -> None:
    """A merge moves votes to the kept note as their voters' own; a pull copies notes as
    their authors' own, so withdrawing removes the copies too."""
    state = build((note("kept"), BOB), (note("dup"), ALICE), (settings(voting=True, vote_budget=1), FAC))
    state = ok(state, vote("v1", "dup"), ALICE).state
    moved_vote = msgspec.convert({"type": "vote", "id": "v1-moved", "target": "kept"}, AnyObject)
    copy = msgspec.convert({"type": "note", "id": "copy", "x": 0, "y": 0, "text": "from board 2"}, AnyObject)
    merged = adopt(state, [(moved_vote, "alice"), (copy, "alice")], remove=["dup"])
    assert set(merged.state.objects) == {"kept", "v1-moved", "copy"}
    assert merged.state.authors["v1-moved"] == "alice"
    assert refused(merged.state, vote("v2", "kept"), ALICE).code is ErrorCode.VOTE_BUDGET, (
        "the moved vote is still hers"
    )
    assert set(withdraw(merged.state, "alice").state.objects) == {"kept"}


def test_adopt_never_overwrites_an_existing_object() -> None:
    state = build((note("n1", text="original"), ALICE))
    clash = msgspec.convert({"type": "note", "id": "n1", "x": 0, "y": 0, "text": "imposter"}, AnyObject)
    result = adopt(state, [(clash, "bob")])
    assert result.effects == ()
    assert result.state.objects["n1"].text == "original"  # type: ignore[union-attr]


def test_a_client_cannot_claim_merged_groups_on_a_new_note() -> None:
    created = ok(BoardState(), note("n1", groups=[1, 2, 3])).state.objects["n1"]
    assert created.groups == ()  # type: ignore[union-attr]


def test_definition_cards_hold_a_groups_definition_of_a_category() -> None:
    card = {
        "type": "definition",
        "id": "d1",
        "x": 0,
        "y": 0,
        "category": "participation",
        "definition": "Taking part",
    }
    state = ok(BoardState(), op({"kind": "create", "obj": card})).state
    state = ok(state, update("d1", why="Decisions improve", excellent="Everyone heard"), BOB).state
    stored = state.objects["d1"]
    assert (stored.definition, stored.why, stored.excellent) == (
        "Taking part",
        "Decisions improve",
        "Everyone heard",
    )  # type: ignore[union-attr]


# --- the timer, on the server's clock -------------------------------------------------------


def timer(action: str, **fields: Any) -> Op:
    return op({"kind": "timer", "action": action, **fields})


def timer_at(state: BoardState, the_op: Op, now: int) -> tuple[BoardState, dict[str, Any] | None]:
    """The state after a timer op applied at `now`, and the timer every viewer is told of."""
    result = ok(state, the_op, FAC, now)
    items = project(result.effects, PUBLIC)
    assert [item["op"] for item in items] == ["settings"]
    told: dict[str, Any] | None = items[0]["props"]["timer"]
    return result.state, told


def test_the_timer_runs_on_the_clock_the_server_passes_in() -> None:
    state, told = timer_at(BoardState(), timer("start", ms=300_000), now=1_000_000)
    assert told == {"total": 300_000, "ends_at": 1_300_000}
    state, told = timer_at(state, timer("pause"), now=1_100_000)
    assert told == {"total": 300_000, "remaining": 200_000}
    state, told = timer_at(state, timer("pause"), now=1_200_000)
    assert told == {"total": 300_000, "remaining": 200_000}, "pausing twice changes nothing"
    state, told = timer_at(state, timer("resume"), now=2_000_000)
    assert told == {"total": 300_000, "ends_at": 2_200_000}
    state, told = timer_at(state, timer("add"), now=2_100_000)
    assert told == {"total": 300_000, "ends_at": 2_260_000}, "a minute more than the 100 s left"
    state, told = timer_at(state, timer("add", ms=600_000), now=2_260_000)
    assert told == {"total": 600_000, "ends_at": 2_860_000}, "the total grows to what is left"
    ended, told = timer_at(state, timer("add"), now=9_000_000)
    assert told == {"total": 600_000, "ends_at": 9_060_000}, "a minute more on an ended timer"
    cleared, told = timer_at(ended, timer("clear"), now=9_000_001)
    assert told is None
    assert cleared.settings.timer is None


def test_adding_to_a_paused_timer_keeps_it_paused() -> None:
    state, _ = timer_at(BoardState(), timer("start", ms=120_000), now=0)
    state, _ = timer_at(state, timer("pause"), now=30_000)
    _, told = timer_at(state, timer("add"), now=500_000)
    assert told == {"total": 150_000, "remaining": 150_000}


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"action": "start"}, ErrorCode.MISSING_FIELD, "ms"),
        ({"action": "pause", "ms": 5000}, ErrorCode.UNKNOWN_FIELD, "ms"),
        ({"action": "pause"}, ErrorCode.NOT_FOUND, "action"),
        ({"action": "add"}, ErrorCode.NOT_FOUND, "action"),
    ],
)
def test_a_timer_op_that_makes_no_sense_is_refused(data: dict[str, Any], code: ErrorCode, field: str) -> None:
    error = refused(BoardState(), op({"kind": "timer", **data}), FAC)
    assert (error.code, error.field) == (code, field)


def test_only_facilitators_run_the_timer_and_no_client_sets_its_end() -> None:
    error = refused(BoardState(), timer("start", ms=60_000), ALICE)
    assert (error.code, error.field) == (ErrorCode.FORBIDDEN, "kind")
    with pytest.raises(msgspec.ValidationError, match="Object contains unknown field `timer`"):
        settings(timer={"total": 60_000, "ends_at": 123})
    with pytest.raises(msgspec.ValidationError, match="Expected `int` >= 1000"):
        timer("start", ms=10)


# --- who may remove what ------------------------------------------------------------------------


def test_a_participant_removes_only_what_they_made_and_a_facilitator_anything() -> None:
    stroke = {"type": "stroke", "id": "line", "x": 0, "y": 0, "points": [0, 0, 5, 5]}
    state = build(
        (note("hers"), ALICE),
        (note("his"), BOB),
        (op({"kind": "create", "obj": stroke}), BOB),
        (op({"kind": "create", "obj": {"type": "frame", "id": "column", "x": 0, "y": 0}}), FAC),
    )
    state = adopt(
        state, [(msgspec.convert({"type": "text", "id": "prompt", "x": 0, "y": 0}, AnyObject), None)]
    ).state
    for oid in ("his", "line", "column", "prompt"):
        error = refused(state, delete(oid), ALICE)
        assert (error.code, error.field) == (ErrorCode.NOT_YOURS, "id"), oid
        assert error.rule == "only the person who added this, or a facilitator, can remove it"
    assert set(ok(state, delete("hers"), ALICE).state.objects) == {"his", "line", "column", "prompt"}
    for oid in ("his", "line", "column", "prompt"):
        assert oid not in ok(state, delete(oid), FAC).state.objects, "facilitators moderate anything"


def test_others_notes_may_still_be_moved_and_edited() -> None:
    state = build((note("his", text="Bus"), BOB))
    moved = ok(state, update("his", x=300, y=40, text="Bus routes", color="blue"), ALICE).state
    assert moved.objects["his"] == msgspec.structs.replace(
        state.objects["his"], x=300, y=40, text="Bus routes", color="blue"
    )
    assert moved.authors["his"] == "bob", "editing a note does not make it the editor's"
    assert refused(moved, delete("his"), ALICE).code is ErrorCode.NOT_YOURS


def test_a_batch_removing_something_of_someone_elses_removes_nothing() -> None:
    state = build((note("hers"), ALICE), (note("his"), BOB))
    error = refused(
        state,
        op({"kind": "batch", "ops": [{"kind": "delete", "id": "hers"}, {"kind": "delete", "id": "his"}]}),
    )
    assert (error.code, error.field) == (ErrorCode.NOT_YOURS, "ops[1].id")


def test_removing_ones_own_note_takes_others_comments_and_votes_on_it_and_undo_puts_it_back() -> None:
    state = build(
        (note("hers", text="Library"), ALICE),
        (settings(voting=True), FAC),
        (op({"kind": "create", "obj": {"type": "comment", "id": "c", "target": "hers", "text": "Yes"}}), BOB),
        (vote("v", "hers"), BOB),
    )
    removed = ok(state, delete("hers"), ALICE).state
    assert set(removed.objects) == set()
    # Undo of the removal is the same note again, with the same id, still hers.
    back = ok(removed, note("hers", text="Library"), ALICE).state
    assert back.authors["hers"] == "alice"
    assert set(ok(back, delete("hers"), ALICE).state.objects) == set(), "and undo of that is hers to do"


def test_withdrawal_and_server_made_removals_are_not_held_to_authorship() -> None:
    state = build((note("hers"), ALICE), (note("his"), BOB))
    assert set(withdraw(state, "bob").state.objects) == {"hers"}
    assert set(adopt(state, [], remove=["hers"]).state.objects) == {"his"}, "a merge removes anyone's"


def test_a_refused_vote_does_not_count_the_voters_votes() -> None:
    """Counting a voter's votes walks the board; a vote refused for a cheaper reason (voting
    closed, no such target) must not pay for that walk, or a flood of them costs a scan each."""

    def count() -> int:
        raise AssertionError("counted votes for a vote refused before the budget")

    closed = voting.refusal(None, True, count, Settings())
    missing = voting.refusal(None, False, count, Settings(voting=True))
    assert (closed.code if closed else None) is ErrorCode.VOTING_CLOSED
    assert (missing.code if missing else None) is ErrorCode.NOT_FOUND

"""Near-duplicate notes across a workshop's boards, and merging a cluster into one note."""

from __future__ import annotations

import random
import re
from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from board.core.duplicates import (
    Cluster,
    MergePlan,
    Move,
    NoteRef,
    find_duplicates,
    plain_key,
    plan_merge,
)
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Comment, Frame, Note, Vote


def note(oid: str, text: str, created: int = 0) -> Note:
    return msgspec.convert(
        {"type": "note", "id": oid, "x": 0, "y": 0, "text": text, "created": created}, Note
    )


def vote(oid: str, target: str, created: int = 0) -> Vote:
    return Vote(id=oid, target=target, created=created)


def comment(oid: str, text: str, *, target: str | None = None, parent: str | None = None) -> Comment:
    return Comment(id=oid, text=text, target=target, parent=parent)


def refs(cluster: Cluster) -> list[str]:
    return [str(ref) for ref in cluster.notes]


def test_near_duplicates_on_different_boards_form_one_cluster() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "citizens' jury"), note("b", "Annual report")],
        2: [note("c", "Citizen juries", created=5)],
        3: [note("d", "participatory budgeting")],
    }
    (cluster,) = find_duplicates(boards)
    assert refs(cluster) == ["1:a", "2:c"]
    assert (cluster.id, cluster.boards, cluster.raised_in, cluster.groups) == ("1:a", (1, 2), 2, 3)
    assert cluster.raised_in_text() == "raised in 2 of 3 groups"
    assert cluster.similarity == 100.0


def test_word_order_plurals_and_small_typos_do_not_matter() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "Focus groups in planning"), note("b", "questionaire for tenants")],
        2: [note("c", "planning focus group"), note("d", "Questionnaire for tenants")],
    }
    assert [refs(c) for c in find_duplicates(boards)] == [["1:a", "2:c"], ["1:b", "2:d"]]


def test_notes_that_only_share_a_topic_are_not_duplicates() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "focus group with young people"), note("b", "parish council meeting")],
        2: [note("c", "focus group with older people"), note("d", "town council meeting")],
        3: [note("e", "citizen jury"), note("f", "citizen panel")],
    }
    assert find_duplicates(boards) == ()


def test_duplicates_on_one_board_are_found_and_raised_in_one_group() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "Public meetings"), note("b", "public meeting")],
        2: [],
    }
    (cluster,) = find_duplicates(boards)
    assert cluster.raised_in_text() == "raised in 1 of 1 group", "a board with no notes is no group"


def test_notes_without_words_never_match() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", ""), note("b", "   "), note("c", "the and of"), note("d", "!!")]
    }
    assert find_duplicates(boards) == ()


def test_objects_other_than_notes_are_ignored() -> None:
    frame = msgspec.convert({"type": "frame", "id": "f", "x": 0, "y": 0, "title": "Surveys"}, Frame)
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "Surveys"), frame, comment("c", "Surveys", target="a")]
    }
    assert find_duplicates(boards) == ()


def test_a_chain_of_near_duplicates_is_one_cluster() -> None:
    """Clusters are connected groups: a ~ b and b ~ c put a, b and c together even though a and
    c alone are too far apart, and the cluster says how weak its weakest link is."""
    a, b, c = (
        "quarterly tenant newsletter",
        "quarterly tenant newsletter email",
        "quarterly tenant newsletter emails sent",
    )
    assert find_duplicates({1: [note("a", a)], 3: [note("c", c)]}) == ()
    (cluster,) = find_duplicates({1: [note("a", a)], 2: [note("b", b)], 3: [note("c", c)]})
    assert refs(cluster) == ["1:a", "2:b", "3:c"]
    assert cluster.similarity == 90.0


def test_cluster_notes_run_by_board_then_time_then_id_and_the_id_is_the_first() -> None:
    boards: dict[int, list[AnyObject]] = {
        2: [note("z", "Mystery shopping", created=1)],
        1: [note("y", "mystery shopping", created=9), note("x", "Mystery Shopping", created=3)],
    }
    (cluster,) = find_duplicates(boards)
    assert refs(cluster) == ["1:x", "1:y", "2:z"]
    assert cluster.id == "1:x"


def test_clusters_come_in_the_order_of_their_first_note() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "leaflets", created=2), note("b", "surveys", created=1)],
        2: [note("c", "leaflet"), note("d", "survey")],
    }
    assert [c.id for c in find_duplicates(boards)] == ["1:b", "1:a"]


def test_the_comparison_key_is_pluggable() -> None:
    """Where welsh.py plugs in: 'cyfarfod' and its nasal mutation 'nghyfarfod' are one word."""

    def unmutating_key(text: str) -> str:
        return plain_key(re.sub(r"\bngh", "c", text))

    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "cyfarfod cyhoeddus")],
        2: [note("b", "fy nghyfarfod cyhoeddus")],
    }
    assert find_duplicates(boards) == ()
    (cluster,) = find_duplicates(boards, key=unmutating_key)
    assert refs(cluster) == ["1:a", "2:b"]


def test_threshold_and_group_count_can_be_given() -> None:
    boards: dict[int, list[AnyObject]] = {
        1: [note("a", "parish council meeting")],
        2: [note("b", "town council meeting")],
    }
    (cluster,) = find_duplicates(boards, threshold=70, groups=5)
    assert cluster.raised_in_text() == "raised in 2 of 5 groups"
    assert 70 <= cluster.similarity < 90


PHRASES = [
    "citizens jury",
    "Citizen juries",
    "survey",
    "surveys",
    "leaflet drop",
    "",
    "focus group",
    "focus groups!",
]


@st.composite
def workshop(draw: st.DrawFn) -> dict[int, list[AnyObject]]:
    boards: dict[int, list[AnyObject]] = {}
    for board in range(draw(st.integers(min_value=1, max_value=4))):
        count = draw(st.integers(min_value=0, max_value=5))
        boards[board] = [
            note(f"n{i}", draw(st.sampled_from(PHRASES)), created=draw(st.integers(0, 3)))
            for i in range(count)
        ]
    return boards


@given(workshop(), st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_the_order_notes_come_in(
    boards: dict[int, list[AnyObject]], rng: random.Random
) -> None:
    shuffled_boards = list(boards.items())
    rng.shuffle(shuffled_boards)
    shuffled = {board: rng.sample(objects, len(objects)) for board, objects in shuffled_boards}
    assert find_duplicates(shuffled) == find_duplicates(boards)


@given(workshop())
def test_each_note_is_in_at_most_one_cluster_of_two_or_more(boards: dict[int, list[AnyObject]]) -> None:
    clusters = find_duplicates(boards)
    members = [ref for cluster in clusters for ref in cluster.notes]
    assert len(members) == len(set(members))
    assert all(len(c.notes) >= 2 for c in clusters)
    assert len({c.id for c in clusters}) == len(clusters)
    assert all(1 <= c.raised_in <= c.groups for c in clusters)


# --- merging ---------------------------------------------------------------------------------------


def merge_board() -> dict[int, list[AnyObject]]:
    return {
        1: [
            note("a", "citizens' jury", created=1),
            vote("v1", "a"),
            comment("c1", "we ran one in May", target="a"),
            comment("c2", "how many people?", parent="c1"),
        ],
        2: [
            note("b", "Citizen juries", created=2),
            vote("v2", "b"),
            vote("v3", "b"),
            note("other", "leaflets"),
            vote("v4", "other"),
        ],
    }


def test_merging_keeps_every_vote_on_the_note_that_stays() -> None:
    plan = plan_merge([NoteRef(1, "a"), NoteRef(2, "b")], merge_board())
    assert isinstance(plan, MergePlan), plan
    assert plan.keep == NoteRef(2, "b"), "by default the note with most votes stays"
    assert plan.remove == (NoteRef(1, "a"),)
    assert plan.votes == (Move(1, "v1", NoteRef(1, "a"), NoteRef(2, "b")),)
    assert plan.votes_after == 3


def test_comments_on_a_removed_note_move_too_replies_after_what_they_answer() -> None:
    plan = plan_merge([NoteRef(1, "a"), NoteRef(2, "b")], merge_board())
    assert isinstance(plan, MergePlan)
    assert [(m.board, m.obj) for m in plan.comments] == [(1, "c1"), (1, "c2")]


def test_the_facilitator_can_choose_the_note_that_stays() -> None:
    plan = plan_merge([NoteRef(1, "a"), NoteRef(2, "b")], merge_board(), keep=NoteRef(1, "a"))
    assert isinstance(plan, MergePlan)
    assert plan.remove == (NoteRef(2, "b"),)
    assert {m.obj for m in plan.votes} == {"v2", "v3"}
    assert plan.votes_after == 3
    assert all(m.to == NoteRef(1, "a") for m in (*plan.votes, *plan.comments))


def test_with_equal_votes_the_earliest_note_stays() -> None:
    boards: dict[int, list[AnyObject]] = {1: [note("late", "x", created=9), note("early", "x", created=1)]}
    plan = plan_merge([NoteRef(1, "late"), NoteRef(1, "early")], boards)
    assert isinstance(plan, MergePlan)
    assert plan.keep == NoteRef(1, "early")


def test_a_merge_that_cannot_be_done_is_answered_with_the_field() -> None:
    boards = merge_board()
    assert plan_merge([NoteRef(1, "a")], boards) == ProtocolError(
        ErrorCode.TOO_SHORT, "notes", "must name at least 2 different notes"
    )
    missing = plan_merge([NoteRef(1, "a"), NoteRef(3, "zz")], boards)
    assert isinstance(missing, ProtocolError)
    assert (missing.code, missing.field) == (ErrorCode.NOT_FOUND, "notes[1]")
    not_a_note = plan_merge([NoteRef(1, "a"), NoteRef(1, "v1")], boards)
    assert isinstance(not_a_note, ProtocolError)
    assert not_a_note.field == "notes[1]"
    wrong_keep = plan_merge([NoteRef(1, "a"), NoteRef(2, "b")], boards, keep=NoteRef(2, "other"))
    assert isinstance(wrong_keep, ProtocolError)
    assert (wrong_keep.code, wrong_keep.field) == (ErrorCode.BAD_VALUE, "keep")


@given(
    st.lists(st.integers(min_value=0, max_value=4), min_size=2, max_size=5),
    st.data(),
)
def test_a_merge_plan_moves_exactly_the_votes_of_the_removed_notes(
    votes_per_note: list[int], data: Any
) -> None:
    boards: dict[int, list[AnyObject]] = {0: [], 1: []}
    members = []
    for i, count in enumerate(votes_per_note):
        board = data.draw(st.sampled_from([0, 1]))
        boards[board].append(note(f"n{i}", "same words", created=i))
        boards[board] += [vote(f"v{i}-{j}", f"n{i}") for j in range(count)]
        members.append(NoteRef(board, f"n{i}"))
    boards[0].append(vote("elsewhere", "not-a-member"))
    keep = data.draw(st.one_of(st.none(), st.sampled_from(members)))
    plan = plan_merge(members, boards, keep=keep)
    assert isinstance(plan, MergePlan)
    assert plan.votes_after == sum(votes_per_note)
    kept = next(i for i, ref in enumerate(members) if ref == plan.keep)
    assert len(plan.votes) == sum(votes_per_note) - votes_per_note[kept]
    assert len({(m.board, m.obj) for m in plan.votes}) == len(plan.votes)
    assert all(m.old in plan.remove and m.to == plan.keep and m.board == m.old.board for m in plan.votes)
    assert set(plan.remove) | {plan.keep} == set(members)

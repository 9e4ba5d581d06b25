"""A note's category: explicit > the frame it sits in > a suggestion (marked) > none."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.categorise import (
    THRESHOLD,
    Assignment,
    Source,
    categorise,
    categorise_board,
    containing_frame,
    singular,
    suggest,
    suggester,
)
from board.core.model import Frame, Note
from board.core.taxonomies import COPRODUCTION, IAP2, WAKEFIELD
from board.core.tokens import words


def note(text: str = "", *, x: float = 0, y: float = 0, category: str | None = None, oid: str = "n1") -> Note:
    data: dict[str, Any] = {"type": "note", "id": oid, "x": x, "y": y, "w": 100, "h": 100, "text": text}
    if category is not None:
        data["category"] = category
    return msgspec.convert(data, Note)


def frame(
    oid: str,
    category: str | None,
    *,
    x: float = 0,
    y: float = 0,
    w: float = 400,
    h: float = 400,
    **extra: Any,
) -> Frame:
    data: dict[str, Any] = {"type": "frame", "id": oid, "x": x, "y": y, "w": w, "h": h, **extra}
    if category is not None:
        data["category"] = category
    return msgspec.convert(data, Frame)


# --- suggestions from the taxonomy's examples ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("satisfaction survey in children's services", "getting_information"),
        ("citizens' jury", "participation"),
        ("participatory budgeting", "empowerment"),
        ("focus groups in planning", "forums_for_debate"),
        ("sortition led codesign for the Hubs", "participation"),
        ("Annual report to tenants", "giving_information"),
        ("Overview and scrutiny committee", "partnership"),
        ("Planning for Real exercise on the estate", "empowerment"),
        ("Mystery shoppers in the housing office", "participation"),
    ],
)
def test_a_note_gets_a_suggestion_from_the_wakefield_examples(text: str, expected: str) -> None:
    """The issue's examples, and the seed-000 workshop's "be specific" ones."""
    found = suggest(text, WAKEFIELD)
    assert found is not None
    assert found.category == expected


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Citizen juries", "Citizen juries"),
        ("citizens jury", "Citizen juries"),
        ("Citizens’ Jury", "Citizen juries"),
        ("CITIZEN JURY", "Citizen juries"),
        ("questionaire for tenants", "Questionnaires"),
        ("particpatory budgetting", "Participatory Budgeting"),
        ("co design with young carers", "co-design"),
        ("co-design with young carers", "co-design"),
        ("codesign with young carers", "co-design"),
    ],
)
def test_matching_allows_plurals_apostrophes_hyphens_and_small_typos(text: str, matched: str) -> None:
    found = suggest(text, WAKEFIELD)
    assert found is not None
    assert found.matched == matched


@pytest.mark.parametrize(
    "text", ["", "   ", "best thing was the cake", "consultant visited", "GP surgery hours", "=1+1"]
)
def test_text_that_matches_no_example_gets_no_suggestion(text: str) -> None:
    assert suggest(text, WAKEFIELD) is None


def test_all_the_words_of_a_phrase_must_be_there() -> None:
    """'Citizens Panels' needs both words: "citizens" alone is not a panel."""
    assert suggest("citizens", WAKEFIELD) is None


def test_a_phrase_listed_under_two_categories_is_no_suggestion_until_other_words_settle_it() -> None:
    """'SMS text' is both Giving and Getting Information in the strategy: alone it is a guess,
    so the suggester abstains; "telling" people something settles it."""
    assert suggest("SMS text reminders", WAKEFIELD) is None
    settled = suggest("SMS text reminders telling people the bin day", WAKEFIELD)
    assert settled is not None
    assert (settled.category, settled.alternatives) == ("giving_information", ("getting_information",))


def test_more_evidence_is_more_confident() -> None:
    one = suggest("a survey", WAKEFIELD)
    two = suggest("a survey and interviews", WAKEFIELD)
    assert one is not None
    assert two is not None
    assert THRESHOLD <= one.confidence < two.confidence < 1


def test_equal_evidence_for_two_categories_is_no_suggestion() -> None:
    """By the words alone (the learned second opinion may still fill the silence)."""
    assert suggester(WAKEFIELD).by_words("focus group and the website") is None
    # What a method was about counts half: this focus group was about the website.
    found = suggest("focus group about the website", WAKEFIELD)
    assert found is not None
    assert found.category == "forums_for_debate"


def test_a_phrase_inside_a_longer_matched_phrase_does_not_count_again() -> None:
    """A 'stakeholder workshop' is a forum for debate; its 'workshop' (which leans towards
    Participation) is not counted a second time for another category."""
    found = suggest("Stakeholder workshop on the bus station", WAKEFIELD)
    assert found is not None
    assert (found.category, found.matched, found.alternatives) == (
        "forums_for_debate",
        "stakeholder workshop",
        (),
    )


def test_suggestions_come_from_the_taxonomy_in_use() -> None:
    text = "Council website info on bin collections"
    assert [suggest(text, t).category for t in (WAKEFIELD, COPRODUCTION, IAP2)] == [  # type: ignore[union-attr]
        "giving_information",
        "information",
        "inform",
    ]


def test_welsh_keywords_are_matched_too() -> None:
    found = suggest("Arolwg tenantiaid", WAKEFIELD)
    assert found is not None
    assert found.category == "getting_information"


def test_a_fold_function_is_applied_to_the_note_and_the_phrases() -> None:
    """A fold given in place of Welsh folding (the default, which knows 'fy nghyfweliad' is
    'cyfweliad', an interview) is applied to both sides."""

    def spelt_out(text: str) -> str:
        return re.sub(r"\bq\b", "questionnaire", text)

    assert suggest("fy nghyfweliad", WAKEFIELD) is not None
    assert suggest("a q for parents", WAKEFIELD) is None
    found = suggest("a q for parents", WAKEFIELD, fold=spelt_out)
    assert found is not None
    assert found.category == "getting_information"


def test_suggestions_are_deterministic() -> None:
    texts = ["SMS text", "citizens' jury", "focus group about the website", "co design"]
    assert [suggest(t, WAKEFIELD) for t in texts] == [suggest(t, WAKEFIELD) for t in texts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Co-design/ co-production", ("codesign", "coproduction")),
        ("Citizens' Juries", ("citizen", "jury")),
        ("children’s services", ("children", "service")),
        ("Grŵp ffocws", ("grwp", "ffocw")),
        ("focus groups in planning", ("focus", "group", "planning")),
        ("1:1 Interviews", ("1", "1", "interview")),
    ],
)
def test_words_are_normalised_for_comparison(text: str, expected: tuple[str, ...]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("juries", "jury"),
        ("groups", "group"),
        ("processes", "process"),
        ("churches", "church"),
        ("services", "service"),
        ("focus", "focus"),
        ("analysis", "analysis"),
        ("sms", "sms"),
        ("class", "class"),
    ],
)
def test_plurals_become_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


TEXT = st.text(alphabet=st.sampled_from("abcdeiloprsuyzŵŷâ '’-_.,:1"), max_size=40)


@given(TEXT)
def test_normalising_words_twice_changes_nothing(text: str) -> None:
    once = words(text)
    assert words(" ".join(once)) == once


# --- frames ---------------------------------------------------------------------------------------


def test_a_note_in_a_category_frame_takes_its_category() -> None:
    columns = [frame("f1", "giving_information", x=0), frame("f2", "participation", x=400)]
    assigned = categorise(note("leaflets", x=450, y=10), columns, WAKEFIELD)
    assert assigned == Assignment("participation", Source.FRAME, frame="f2")


def test_the_notes_centre_decides_which_frame_it_is_in() -> None:
    columns = [frame("f1", "giving_information", x=0), frame("f2", "participation", x=400)]
    straddling = note(x=340, y=10)  # spans 340..440, centre 390: in the first column
    assert categorise(straddling, columns, WAKEFIELD).category == "giving_information"


def test_a_centre_on_the_edge_two_columns_share_belongs_to_the_right_hand_one() -> None:
    columns = [frame("f1", "giving_information", x=0), frame("f2", "participation", x=400)]
    on_edge = note(x=350, y=10)  # centre x = 400
    assert categorise(on_edge, columns, WAKEFIELD).category == "participation"


def test_the_innermost_frame_wins() -> None:
    outer = frame("outer", "partnership", w=2000, h=2000, z="a5")
    inner = frame("inner", "empowerment", x=100, y=100, w=300, h=300, z="a1")
    found = containing_frame(note(x=150, y=150), [outer, inner])
    assert found is not None
    assert found.id == "inner"


def test_of_equal_frames_the_topmost_wins() -> None:
    below = frame("b", "partnership", z="a1")
    above = frame("a", "empowerment", z="a2")
    same_z = frame("c", "participation", z="a2")
    found = containing_frame(note(x=10, y=10), [below, above, same_z])
    assert found is not None
    assert found.id == "c", "ties in z are broken by id, as the board draws them"


def test_frames_without_a_category_hidden_frames_and_other_taxonomies_frames_are_ignored() -> None:
    frames = [
        frame("plain", None),
        frame("hidden", "partnership", hidden=True),
        frame("spectrum", "coercion"),
    ]
    assert categorise(note("nothing to match", x=10, y=10), frames, WAKEFIELD).source == Source.NONE


def test_a_note_outside_every_frame_falls_back_to_a_suggestion() -> None:
    columns = [frame("f1", "giving_information")]
    assigned = categorise(note("citizens' jury", x=5000, y=5000), columns, WAKEFIELD)
    assert (assigned.category, assigned.source, assigned.matched) == (
        "participation",
        Source.SUGGESTED,
        "Citizen juries",
    )


# --- precedence --------------------------------------------------------------------------------------


def test_an_explicit_category_wins_over_the_frame_and_the_text() -> None:
    columns = [frame("f1", "giving_information")]
    assigned = categorise(note("citizens' jury", x=10, y=10, category="empowerment"), columns, WAKEFIELD)
    assert assigned == Assignment("empowerment", Source.EXPLICIT)
    assert assigned.confirmed


def test_a_frame_wins_over_the_text() -> None:
    columns = [frame("f1", "giving_information")]
    assigned = categorise(note("citizens' jury", x=10, y=10), columns, WAKEFIELD)
    assert (assigned.category, assigned.source) == ("giving_information", Source.FRAME)
    assert assigned.confirmed


def test_a_suggestion_is_marked_and_never_confirmed() -> None:
    assigned = categorise(note("participatory budgeting"), [], WAKEFIELD)
    assert assigned.source == Source.SUGGESTED
    assert not assigned.confirmed
    assert assigned.confidence is not None
    assert 0 < assigned.confidence < 1


def test_an_explicit_key_from_another_taxonomy_is_passed_over() -> None:
    columns = [frame("f1", "partnership")]
    assigned = categorise(note(x=10, y=10, category="coercion"), columns, WAKEFIELD)
    assert (assigned.category, assigned.source) == ("partnership", Source.FRAME)


def test_a_board_is_categorised_note_by_note() -> None:
    notes = [
        note("leaflets", oid="a", x=10, y=10),
        note("citizens' jury", oid="b", x=5000),
        note("x", oid="c", x=5000, category="empowerment"),
        note("cake", oid="d", x=5000),
    ]
    columns = [frame("f1", "giving_information")]
    assigned = categorise_board(notes, columns, WAKEFIELD)
    assert {oid: (a.category, a.source) for oid, a in assigned.items()} == {
        "a": ("giving_information", Source.FRAME),
        "b": ("participation", Source.SUGGESTED),
        "c": ("empowerment", Source.EXPLICIT),
        "d": (None, Source.NONE),
    }
    assert all(assigned[n.id] == categorise(n, columns, WAKEFIELD) for n in notes)


KEYS = st.sampled_from([*WAKEFIELD.keys, "coercion", "zz-unknown"])
COORD = st.integers(min_value=-500, max_value=1500)
NOTE_TEXT = st.sampled_from(["", "leaflets", "citizens' jury", "SMS text", "cake", "participatory budgeting"])


@st.composite
def frames_strategy(draw: st.DrawFn) -> list[Frame]:
    count = draw(st.integers(min_value=0, max_value=5))
    return [
        frame(
            f"f{i}",
            draw(st.one_of(st.none(), KEYS)),
            x=draw(COORD),
            y=draw(COORD),
            w=draw(st.integers(min_value=1, max_value=1200)),
            h=draw(st.integers(min_value=1, max_value=1200)),
            z=draw(st.sampled_from(["a0", "a1", "a2"])),
            hidden=draw(st.booleans()),
        )
        for i in range(count)
    ]


@given(
    text=NOTE_TEXT,
    category=st.one_of(st.none(), KEYS),
    x=COORD,
    y=COORD,
    frames=frames_strategy(),
)
def test_precedence_is_explicit_then_frame_then_suggestion(
    text: str, category: str | None, x: int, y: int, frames: list[Frame]
) -> None:
    the_note = note(text, x=x, y=y, category=category)
    assigned = categorise(the_note, frames, WAKEFIELD)
    usable = [f for f in frames if f.category in WAKEFIELD.keys]
    sitting_in = containing_frame(the_note, usable)
    if category in WAKEFIELD.keys:
        assert assigned == Assignment(category, Source.EXPLICIT)
    elif sitting_in is not None:
        assert assigned == Assignment(sitting_in.category, Source.FRAME, frame=sitting_in.id)
    else:
        suggestion = suggest(text, WAKEFIELD)
        assert assigned.source == (Source.NONE if suggestion is None else Source.SUGGESTED)
        assert assigned.category == (None if suggestion is None else suggestion.category)
    assert assigned.category is None or assigned.category in WAKEFIELD.keys
    assert assigned.confirmed == (assigned.source in (Source.EXPLICIT, Source.FRAME))


@given(frames=frames_strategy(), x=COORD, y=COORD)
def test_the_frame_chosen_contains_the_centre_and_no_smaller_one_does(
    frames: list[Frame], x: int, y: int
) -> None:
    the_note = note(x=x, y=y)
    found = containing_frame(the_note, frames)
    cx, cy = x + 50, y + 50
    inside = [
        f
        for f in frames
        if f.category is not None and not f.hidden and f.x <= cx < f.x + f.w and f.y <= cy < f.y + f.h
    ]
    if not inside:
        assert found is None
    else:
        assert found in inside
        assert all(found.w * found.h <= f.w * f.h for f in inside)

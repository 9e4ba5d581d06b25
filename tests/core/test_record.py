"""The workshop record: built from what the server gathers, with no participant identity.

`sample_inputs()` and `sample_record()` are shared with the export tests (test_export_*.py): a
seed-000 style workshop built through `ops.apply`, the way the server builds board state, so the
states carry authors, client-chosen ids and everything else the server would hold.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, get_type_hints

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.categorise import Source
from board.core.export.json import to_data
from board.core.export.markdown import render as render_markdown
from board.core.export.report import build_report
from board.core.ops import Applied, Op, apply
from board.core.record import (
    BoardInput,
    CategoryCount,
    CategoryDefinition,
    Excluded,
    PollCount,
    Record,
    Workshop,
    board_title,
    build_record,
    iso_date,
    iso_utc,
    poll_counts,
)
from board.core.state import Actor, BoardState
from board.core.taxonomies import WAKEFIELD

T0 = 1_773_914_400_000
"""2026-03-19T10:00:00Z: a Thursday morning workshop."""

ALICE = Actor("participant-ref-7f3a9c21")
BOB = Actor("participant-ref-b0b0b0b0")
CARYS = Actor("participant-ref-ca4e5d11")
FACILITATOR = Actor("facilitator-ref-f00d1e", facilitator=True)

SCRIPT = '<script>alert("boo")</script>'
FORMULA = "=cmd|' /C calc'!A0"
HYPERLINK = '=HYPERLINK("http://example.com/x","click me")'
WELSH = "Grŵp ffocws gyda'r gymuned – ŵ ŷ â ê î ô û ï"

IDENTITIES = (
    # what the server holds about people, none of which may reach a record or an export
    ALICE.ref,
    BOB.ref,
    CARYS.ref,
    FACILITATOR.ref,
    "tok_9QxZ3LmP2vKdR7",  # a participant token (never in board state at all)
    "Teal Heron",  # a cursor name
    "203.0.113.7",  # an address
    # client-chosen object ids, which a client could fill with anything
    "cid-alice7f3a-leaflets",
    "cid-alice7f3a-survey",
    "cid-bob0b0b-jury",
    "cid-bob0b0b-script",
    "cid-bob0b0b-formula",
    "cid-carys-welsh",
    "cid-carys-hidden",
    "cid-alice7f3a-juries",
    "cid-bob0b0b-budget",
    "cid-carys-plus",
    "cid-carys-private",
    "cid-alice7f3a-mystery",
    "cid-vote-alice-1",
    "cid-comment-bob-1",
    "cid-reply-carys-1",
    "cid-frame-give",
)


class Board:
    """A board built op by op, as the hub would."""

    def __init__(self) -> None:
        self.state = BoardState()
        self.clock = T0

    def do(self, actor: Actor, data: dict[str, Any]) -> Board:
        self.clock += 60_000
        result = apply(self.state, msgspec.convert(data, Op), actor, self.clock)
        assert isinstance(result, Applied), result
        self.state = result.state
        return self

    def create(self, actor: Actor, **obj: Any) -> Board:
        return self.do(actor, {"kind": "create", "obj": obj})

    def note(
        self, actor: Actor, oid: str, text: str, x: float = 3000, y: float = 3000, **extra: Any
    ) -> Board:
        return self.create(actor, type="note", id=oid, x=x, y=y, w=100, h=100, text=text, **extra)

    def settings(self, **props: Any) -> Board:
        return self.do(FACILITATOR, {"kind": "settings", "props": props})


def sample_states() -> dict[int, Board]:
    main = Board().create(FACILITATOR, type="frame", id="cid-frame-welcome", x=0, y=0, title="Welcome")
    one = Board()
    for i, key in enumerate(["giving_information", "getting_information", "participation"]):
        oid = "cid-frame-give" if i == 0 else f"cid-frame-{i}"
        one.create(FACILITATOR, type="frame", id=oid, x=400 * i, y=0, w=400, h=800, category=key)
    one.note(ALICE, "cid-alice7f3a-leaflets", "Leaflets through every door", x=100, y=100)
    one.note(ALICE, "cid-alice7f3a-survey", "satisfaction survey in children's services")
    one.note(BOB, "cid-bob0b0b-jury", "citizens' jury")
    one.note(BOB, "cid-bob0b0b-script", SCRIPT, x=900, y=100)
    one.note(BOB, "cid-bob0b0b-formula", FORMULA)
    one.note(CARYS, "cid-carys-welsh", WELSH, category="forums_for_debate")
    one.note(CARYS, "cid-carys-hidden", "rude words").do(
        FACILITATOR, {"kind": "update", "id": "cid-carys-hidden", "props": {"hidden": True}}
    )
    one.settings(voting=True, vote_budget=3)
    for i, (actor, target) in enumerate(
        [(ALICE, "leaflets"), (BOB, "leaflets"), (CARYS, "leaflets"), (CARYS, "jury")]
    ):
        oid = "cid-vote-alice-1" if i == 0 else f"cid-vote-{i}"
        who = "alice7f3a" if target == "leaflets" else "bob0b0b"
        one.create(actor, type="vote", id=oid, target=f"cid-{who}-{target}")
    one.create(
        BOB,
        type="comment",
        id="cid-comment-bob-1",
        text="Printed in Welsh and English",
        target=("cid-alice7f3a-leaflets"),
    )
    one.create(
        CARYS,
        type="comment",
        id="cid-reply-carys-1",
        text='<b>bold</b> & "quotes"',
        parent="cid-comment-bob-1",
    )
    one.create(
        ALICE, type="comment", id="cid-comment-alice-2", text=HYPERLINK, target="cid-alice7f3a-leaflets"
    )

    two = Board()
    two.note(ALICE, "cid-alice7f3a-juries", "Citizen juries")
    two.note(BOB, "cid-bob0b0b-budget", "participatory budgeting", category="empowerment")
    two.note(CARYS, "cid-carys-plus", "+44 text line for feedback")
    two.note(CARYS, "cid-carys-at", "@everyone drop-in")
    two.note(CARYS, "cid-carys-minus", "-2 surveys this year")
    two.note(CARYS, "cid-carys-tab", "\tindented on purpose")
    two.settings(private_mode=True).note(CARYS, "cid-carys-private", "my private thought")

    three = Board().note(ALICE, "cid-alice7f3a-mystery", "Mystery shopping")
    return {0: main, 1: one, 2: two, 3: three}


def sample_inputs() -> dict[str, Any]:
    """The keyword arguments the server passes to `build_record` for the sample workshop."""
    boards = sample_states()
    return {
        "workshop": Workshop(
            title='Engagement network <session 1> & "friends"',
            template="engagement-network",
            agenda=(
                "Part 1: Connections and capturing of activities",
                "Part 2: Defining and categorising our activities",
                "Part 3: Connecting today to the remaining sessions",
            ),
            starts_at=T0,
            ends_at=T0 + 140 * 60_000,
        ),
        "taxonomy": WAKEFIELD,
        "boards": [
            BoardInput(number, tuple(board.state.objects.values()), title="Breakout 1" if number == 1 else "")
            for number, board in boards.items()
        ],
        "exported_at": T0 + 150 * 60_000,
        "definitions": [
            CategoryDefinition(
                "participation",
                definition="People take part in shaping a service.",
                why="Because lived experience makes services better.",
                excellent=("Everyone can take part", "<i>Feedback</i> happens"),
                board=2,
            ),
            CategoryDefinition("giving_information", definition="Telling people clearly.", board=1),
            CategoryDefinition("coercion", definition="Not in this taxonomy."),
        ],
        "exit_poll": {
            "inspired": 4,
            "useful": 3,
            "<svg onload=alert(1)>": 1,
            "  ": 2,
            "hwyl": 2,
            "useful ": 1,
        },
    }


def sample_record() -> Record:
    return build_record(**sample_inputs())


def note_by_text(record: Record, text: str) -> Any:
    return next(n for n in record.notes if n.text == text)


# --- building the record -----------------------------------------------------------------------------


def test_every_shown_note_is_in_the_record_and_the_rest_are_counted() -> None:
    record = sample_record()
    assert len(record.notes) == 13
    assert record.excluded == Excluded(hidden_notes=1, private_notes=1, definitions=1)
    texts = {n.text for n in record.notes}
    assert "rude words" not in texts
    assert "my private thought" not in texts


def test_private_notes_come_in_when_asked_for() -> None:
    record = build_record(**sample_inputs(), include_private=True)
    assert "my private thought" in {n.text for n in record.notes}
    assert record.excluded.private_notes == 0


def test_notes_are_renumbered_by_board_then_time() -> None:
    record = sample_record()
    assert [n.id for n in record.notes] == [f"n{i}" for i in range(1, 14)]
    assert [n.board for n in record.notes] == [1] * 6 + [2] * 6 + [3]
    assert [n.text for n in record.notes][:3] == [
        "Leaflets through every door",
        "satisfaction survey in children's services",
        "citizens' jury",
    ]
    assert all(a.created_at < b.created_at for a, b in zip(record.notes, record.notes[1:6], strict=False))


def test_each_note_carries_its_category_and_where_it_came_from() -> None:
    record = sample_record()
    found = {n.text: (n.category, n.source) for n in record.notes}
    assert found["Leaflets through every door"] == ("giving_information", Source.FRAME)
    assert found[SCRIPT] == ("participation", Source.FRAME)
    assert found[WELSH] == ("forums_for_debate", Source.EXPLICIT)
    assert found["participatory budgeting"] == ("empowerment", Source.EXPLICIT)
    assert found["satisfaction survey in children's services"] == ("getting_information", Source.SUGGESTED)
    assert found["citizens' jury"] == ("participation", Source.SUGGESTED)
    assert found[FORMULA] == (None, Source.NONE)
    survey = note_by_text(record, "satisfaction survey in children's services")
    assert 0 < survey.confidence < 1
    assert note_by_text(record, "Leaflets through every door").confidence is None


def test_votes_are_counts_and_comments_are_text_in_conversation_order() -> None:
    record = sample_record()
    leaflets = note_by_text(record, "Leaflets through every door")
    assert leaflets.votes == 3
    assert leaflets.comments == ("Printed in Welsh and English", '<b>bold</b> & "quotes"', HYPERLINK)
    assert note_by_text(record, "citizens' jury").votes == 1
    assert sum(n.votes for n in record.notes) == 4


def test_near_duplicates_are_a_cluster_of_record_ids() -> None:
    record = sample_record()
    (cluster,) = record.duplicates
    jury, juries = note_by_text(record, "citizens' jury"), note_by_text(record, "Citizen juries")
    assert (cluster.id, cluster.notes, cluster.boards) == ("c1", (jury.id, juries.id), (1, 2))
    assert cluster.raised_in_text() == "raised in 2 of 3 groups", "the main board holds no notes"
    assert jury.cluster == juries.cluster == "c1"


def test_boards_keep_their_number_and_get_a_title() -> None:
    record = sample_record()
    assert [(b.number, b.title, b.notes) for b in record.boards] == [
        (0, "Main board", 0),
        (1, "Breakout 1", 6),
        (2, "Board 2", 6),
        (3, "Board 3", 1),
    ]
    assert board_title(4, "  ") == "Board 4"


def test_definitions_follow_the_taxonomy_and_unknown_categories_are_left_out() -> None:
    record = sample_record()
    assert [(d.category, d.board) for d in record.definitions] == [
        ("giving_information", 1),
        ("participation", 2),
    ]


def test_exit_poll_counts_run_from_most_to_least_and_blank_answers_go() -> None:
    assert sample_record().exit_poll == (
        PollCount("inspired", 4),
        PollCount("useful", 4),
        PollCount("hwyl", 2),
        PollCount("<svg onload=alert(1)>", 1),
    )
    assert poll_counts({"b": 2, "a": 2, "c": 5, " ": 9, "z": 0}) == (
        PollCount("c", 5),
        PollCount("a", 2),
        PollCount("b", 2),
    )


def test_counts_keep_confirmed_and_suggested_apart() -> None:
    record = sample_record()
    counts = {c.key: c for c in record.counts()}
    assert [c.key for c in record.counts()] == list(WAKEFIELD.keys)
    assert counts["participation"] == CategoryCount("participation", confirmed=1, suggested=3)
    assert counts["giving_information"] == CategoryCount("giving_information", confirmed=1, suggested=0)
    assert sum(c.total for c in record.counts()) + record.uncategorised == len(record.notes)


def test_board_numbers_must_be_distinct() -> None:
    inputs = sample_inputs()
    inputs["boards"] = [BoardInput(1, ()), BoardInput(1, ())]
    with pytest.raises(ValueError, match="distinct"):
        build_record(**inputs)


@given(st.randoms(use_true_random=False))
def test_the_record_does_not_depend_on_the_order_objects_come_in(rng: random.Random) -> None:
    inputs = sample_inputs()
    shuffled = [
        BoardInput(b.number, tuple(rng.sample(b.objects, len(b.objects))), b.title) for b in inputs["boards"]
    ]
    rng.shuffle(shuffled)
    assert build_record(**{**inputs, "boards": shuffled}) == build_record(**inputs)


# --- nothing that identifies a person ------------------------------------------------------------------

IDENTITY_WORDS = ("token", "participant", "author", "cursor", "member", "user", "voter", "email", "address")


def record_types() -> Iterator[type]:
    seen: set[type] = set()
    todo: list[Any] = [Record]
    while todo:
        cls = todo.pop()
        if cls in seen or not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
            continue
        seen.add(cls)
        yield cls
        for hint in get_type_hints(cls).values():
            todo += [hint, *getattr(hint, "__args__", ())]
            todo += [arg for inner in getattr(hint, "__args__", ()) for arg in getattr(inner, "__args__", ())]


def test_no_record_type_has_a_field_that_could_hold_an_identity() -> None:
    names = {f"{cls.__name__}.{field.name}" for cls in record_types() for field in dataclasses.fields(cls)}
    assert "RecordNote.text" in names, "the walk reaches the notes"
    assert "Category.examples" in names, "and the taxonomy"
    offending = sorted(
        name
        for name in names
        if any(word in name.split(".")[1] for word in IDENTITY_WORDS)
        or name.split(".")[1] in {"ip", "name_of"}
    )
    assert offending == []


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings_in(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from strings_in(item)


def test_the_record_holds_none_of_what_the_server_knows_about_people() -> None:
    states = sample_states()
    assert ALICE.ref in states[1].state.authors.values(), "the inputs had authors to leak"
    text = "\n".join(strings_in(sample_record()))
    assert [identity for identity in IDENTITIES if identity in text] == []


# --- time without a clock ---------------------------------------------------------------------------------


def test_times_are_written_as_utc() -> None:
    assert iso_utc(T0) == "2026-03-19T10:00:00Z"
    assert iso_utc(0) == "1970-01-01T00:00:00Z"
    assert iso_utc(951_782_400_999) == "2000-02-29T00:00:00Z"
    assert iso_date(T0 + 14 * 3_600_000 - 1) == "2026-03-19"


@given(st.integers(min_value=-30_610_224_000_000, max_value=253_402_300_799_999))
def test_iso_utc_agrees_with_datetime_from_year_1000_to_9999(ms: int) -> None:
    assert iso_utc(ms) == datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_sessions_date_is_its_first_contribution_not_when_the_workshop_was_set_up() -> None:
    day = 86_400_000
    main = Board().settings(poll_open=True)  # 10:01, the facilitator: not a contribution
    main.create(FACILITATOR, type="frame", id="f1", x=0, y=0, w=900, h=900, title="Column")  # 10:02
    main.note(ALICE, "early", "hidden later")  # 10:03, then hidden: not in the record
    main.do(FACILITATOR, {"kind": "update", "id": "early", "props": {"hidden": True}})  # 10:04
    main.create(BOB, type="pollword", id="pw1", text="hwyl")  # 10:05: an exit-poll answer counts
    main.note(CARYS, "kept", "Community champions")  # 10:06
    workshop = Workshop(title="Set up days before", starts_at=T0 - 3 * day, ends_at=T0 + 7 * day)
    boards = [BoardInput(0, tuple(main.state.objects.values()))]
    record = build_record(workshop=workshop, taxonomy=WAKEFIELD, boards=boards, exported_at=T0 + 8 * day)
    assert record.first_contribution_at == T0 + 5 * 60_000
    assert (record.workshop.starts_at, record.workshop.ends_at) == (T0 - 3 * day, T0 + 7 * day), "kept"
    data = to_data(record)["workshop"]
    assert (data["starts_at"], data["ends_at"], data["first_contribution_at"]) == (
        "2026-03-16T10:00:00Z",
        "2026-03-26T10:00:00Z",
        "2026-03-19T10:05:00Z",
    )
    report = build_report(record)
    assert (report.dates, report.created, report.closed) == (
        "2026-03-19 (first contribution 10:05 UTC)",
        "2026-03-16 10:00 UTC",
        "2026-03-26 10:00 UTC",
    )
    assert (
        render_markdown(record)
        .splitlines()[2]
        .startswith(
            "2026-03-19 (first contribution 10:05 UTC) · workshop created 2026-03-16 10:00 UTC · "
            "closed 2026-03-26 10:00 UTC · "
        )
    )

    nothing = build_record(workshop=workshop, taxonomy=WAKEFIELD, boards=[], exported_at=T0)
    assert nothing.first_contribution_at is None
    assert to_data(nothing)["workshop"]["first_contribution_at"] is None
    assert build_report(nothing).dates == "", "no contribution: no session date is made up"

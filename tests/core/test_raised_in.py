"""'Raised in N of M groups' (issue 10): how many of a workshop's groups made a point, whether
their notes are near-duplicates still on several boards or were merged into one note that
remembers the groups (`Note.groups`). The record carries it, and every export shows it."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import msgspec

from board.core.duplicates import raised_in_text
from board.core.export import csv as csv_export
from board.core.export import json as json_export
from board.core.export.report import build_report
from board.core.model import AnyObject, Note, Vote
from board.core.record import BoardInput, Record, Workshop, build_record
from board.core.taxonomies import WAKEFIELD

T0 = 1_773_914_400_000


def note(oid: str, text: str, *, groups: tuple[int, ...] = (), created: int = T0) -> Note:
    return msgspec.convert(
        {"type": "note", "id": oid, "x": 0, "y": 0, "text": text, "groups": list(groups), "created": created},
        Note,
    )


def record_of(boards: dict[int, list[AnyObject]]) -> Record:
    return build_record(
        workshop=Workshop(title="Raised in"),
        taxonomy=WAKEFIELD,
        boards=[BoardInput(number, tuple(objects)) for number, objects in boards.items()],
        exported_at=T0,
    )


def by_text(record: Record, text: str) -> tuple[str, ...]:
    found = next(n for n in record.notes if n.text == text)
    return (found.id, *map(str, found.raised_in))


def test_the_words_count_groups_in_english() -> None:
    assert raised_in_text(2, 3) == "raised in 2 of 3 groups"
    assert raised_in_text(1, 1) == "raised in 1 of 1 group"
    assert raised_in_text(4, 4) == "raised in 4 of 4 groups"


def test_a_note_merged_from_three_groups_was_raised_in_three_of_four() -> None:
    record = record_of(
        {
            1: [note("kept", "More buses in the evening", groups=(1, 2, 3))],
            2: [note("b", "Parking near the library")],
            3: [note("c", "Free wifi in the centre")],
            4: [note("d", "A youth council")],
        }
    )
    kept = next(n for n in record.notes if n.text == "More buses in the evening")
    assert kept.raised_in == (1, 2, 3)
    assert record.groups == 4
    assert record.raised_in_text(kept) == "raised in 3 of 4 groups"
    assert [record.raised_in_text(n) for n in record.notes if n is not kept] == [None, None, None]


def test_a_group_whose_notes_were_all_merged_away_still_counts() -> None:
    """Board 3's only note was merged into board 1's: board 3 holds nothing now, but its
    group raised the point, so M is 3, not 2."""
    record = record_of(
        {
            0: [],
            1: [note("kept", "Cymuned gryfach", groups=(1, 3))],
            2: [note("b", "Mwy o fysiau")],
            3: [],
        }
    )
    assert record.groups == 3
    assert [record.raised_in_text(n) for n in record.notes] == ["raised in 2 of 3 groups", None]


def test_a_cluster_with_a_merged_note_counts_every_group_behind_it_once() -> None:
    record = record_of(
        {
            1: [note("a", "Focus groups in planning")],
            2: [note("b", "planning focus group", groups=(2, 3))],
            3: [note("c", "Annual report")],
        }
    )
    (cluster,) = record.duplicates
    assert cluster.boards == (1, 2)
    assert by_text(record, "Focus groups in planning")[1:] == by_text(record, "planning focus group")[1:]
    assert by_text(record, "planning focus group")[1:] == ("1", "2", "3")
    assert record.raised_in_text(record.notes[0]) == "raised in 3 of 3 groups"


def test_near_duplicates_on_one_board_are_not_several_groups() -> None:
    record = record_of({1: [note("a", "citizens' jury"), note("b", "Citizen juries")], 2: [note("c", "x")]})
    assert [n.raised_in for n in record.notes] == [(), (), ()]
    assert record.duplicates[0].raised_in_text() == "raised in 1 of 2 groups"


def test_every_export_says_how_many_groups_raised_a_merged_point() -> None:
    record = record_of(
        {
            1: [note("kept", "More buses in the evening", groups=(1, 2)), Vote(id="v", target="kept")],
            2: [note("b", "Parking near the library")],
        }
    )
    data = json.loads(json_export.render(record))
    jsonschema.validate(data, json_export.load_schema())
    assert [n["raised_in"] for n in data["notes"]] == [[1, 2], []]
    assert data["summary"]["groups"] == 2

    rows = list(csv.DictReader(io.StringIO(csv_export.render(record).decode("utf-8-sig"), newline="")))
    assert [row["raised_in_groups"] for row in rows] == ["2", ""]

    report = build_report(record)
    assert report.top_voted[0].raised_in == "raised in 2 of 2 groups"
    assert [(p.raised_in, p.texts, p.votes) for p in report.shared] == [
        ("raised in 2 of 2 groups", ("More buses in the evening",), 1)
    ]
    assert any(
        "More buses in the evening" in s and "raised in 2 of 2 groups" in s for s in report.what_we_heard
    )

"""The CSV export: one row per note, UTF-8 with a BOM, Welsh intact, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.export.csv import COLUMNS, FORMULA_STARTS, neutralise, render, restore
from tests.core.test_record import FORMULA, HYPERLINK, IDENTITIES, SCRIPT, WELSH, sample_record


def read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_file_is_utf8_with_a_byte_order_mark_and_crlf_rows() -> None:
    data = render(sample_record())
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").startswith(",".join(COLUMNS) + "\r\n")


def test_there_is_one_row_per_note_in_record_order() -> None:
    record = sample_record()
    rows = read(render(record))
    assert [row["note"] for row in rows] == [note.id for note in record.notes]
    assert list(rows[0]) == list(COLUMNS)


def test_rows_round_trip_through_the_csv_module_with_welsh_text_intact() -> None:
    record = sample_record()
    rows = read(render(record))
    assert [restore(row["text"]) for row in rows] == [note.text for note in record.notes]
    welsh = next(row for row in rows if row["text"] == WELSH)
    assert welsh["category_label"] == "Forums for Debate"
    assert welsh["category_label_cy"] == "Fforymau Trafod"
    assert "ŵ ŷ â" in render(record).decode("utf-8")


def test_a_row_carries_category_source_votes_comments_and_cluster() -> None:
    rows = {row["text"]: row for row in read(render(sample_record()))}
    leaflets = rows["Leaflets through every door"]
    assert (
        leaflets["board"],
        leaflets["board_title"],
        leaflets["category"],
        leaflets["category_source"],
    ) == (
        "1",
        "Breakout 1",
        "giving_information",
        "frame",
    )
    assert (leaflets["votes"], leaflets["comment_count"], leaflets["confidence"]) == ("3", "3", "")
    assert restore(leaflets["comments"]).split("\n")[0] == "Printed in Welsh and English"
    assert leaflets["created_at"].endswith("Z")
    jury = rows["citizens' jury"]
    assert (jury["category_source"], jury["duplicate_cluster"], jury["raised_in_groups"]) == (
        "suggested",
        "c1",
        "2",
    )
    assert 0 < float(jury["confidence"]) < 1


@pytest.mark.parametrize(
    "text",
    [
        FORMULA,
        HYPERLINK,
        "+44 text line for feedback",
        "-2 surveys this year",
        "@everyone drop-in",
        "\tindented on purpose",
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(text: str) -> None:
    cells = [cell for row in read(render(sample_record())) for cell in row.values() if text in cell]
    assert cells, "the text is in the file"
    for cell in cells:
        assert cell[:1] not in FORMULA_STARTS | {"\t", "\r"}, cell
        assert cell == "'" + text or not cell.startswith(text), "a cell that began with it is guarded"


def test_no_cell_starts_with_a_formula_character() -> None:
    for row in read(render(sample_record())):
        for cell in row.values():
            assert cell[:1] not in FORMULA_STARTS | {"\t", "\r"}, cell


def test_hostile_text_is_data_not_markup() -> None:
    rows = read(render(sample_record()))
    assert SCRIPT in [row["text"] for row in rows], "a spreadsheet shows it as text; nothing to escape"


def test_the_csv_holds_nothing_that_identifies_a_participant() -> None:
    text = render(sample_record()).decode("utf-8-sig")
    assert [identity for identity in IDENTITIES if identity in text] == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("a=1", "a=1"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_neutralise_guards_exactly_the_dangerous_starts(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


@given(st.text(alphabet=st.sampled_from("=+-@'\t\r\n a1ŵ＝"), max_size=8))
def test_neutralising_is_undone_exactly_and_leaves_nothing_to_run(cell: str) -> None:
    guarded = neutralise(cell)
    assert restore(guarded) == cell
    assert guarded[:1] not in FORMULA_STARTS | {"\t", "\r"}

"""The record as CSV: one row per note, to open in a spreadsheet.

- UTF-8 with a byte-order mark, so Excel reads Welsh letters (ŵ, ŷ, â) as themselves rather than
  guessing a legacy code page; rows end in CRLF and fields are quoted as RFC 4180 says.
- Formulas are neutralised (OWASP "CSV injection"): a text cell whose first character, after any
  spaces, is `=`, `+`, `-` or `@` (or their full-width forms), or which starts with a tab or a
  carriage return, gets a leading `'`, so `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` in a note is
  shown as text and never run. A cell that already starts with `'` before such a character gets
  one more, so `restore` can undo exactly what was added. Numbers the record itself produced
  (board, votes, confidence) are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Final

from board.core.record import Record, iso_utc

MEDIA_TYPE: Final = "text/csv; charset=utf-8"
COLUMNS: Final = (
    "note",
    "board",
    "board_title",
    "text",
    "category",
    "category_label",
    "category_label_cy",
    "category_source",
    "confidence",
    "votes",
    "comments",
    "comment_count",
    "duplicate_cluster",
    "raised_in_groups",
    "created_at",
)
"""The header row. `comments` holds every comment on the note, one per line."""

FORMULA_STARTS: Final = frozenset("=+-@＝＋－＠")
"""Characters a spreadsheet may read as the start of a formula (full-width forms too, which some
locales accept)."""
CONTROL_STARTS: Final = frozenset("\t\r")
"""A leading tab or carriage return can hide a formula behind it in some spreadsheets."""


def neutralise(cell: str) -> str:
    """The text of a cell made inert for spreadsheets (see the module docstring)."""
    return "'" + cell if _needs_guard(cell) else cell


def restore(cell: str) -> str:
    """The exact inverse of `neutralise`, for a program reading the CSV back."""
    return cell[1:] if cell.startswith("'") and _needs_guard(cell[1:]) else cell


def _needs_guard(cell: str) -> bool:
    """Whether a cell needs the guard. Leading apostrophes are looked through, so a cell and the
    same cell with a `'` more are judged alike: that is what makes `restore` exact."""
    body = cell.lstrip("'")
    if body[:1] in CONTROL_STARTS:
        return True
    return body.lstrip(" \u00a0\n")[:1] in FORMULA_STARTS


class _Lines:
    """The one method `csv.writer` needs, collecting into a list (the core does no I/O)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def rows(record: Record) -> list[list[str]]:
    """The header and one row per note, as text cells already neutralised."""
    labels = {c.key: c.label for c in record.taxonomy.categories}
    titles = {b.number: b.title for b in record.boards}
    clusters = {c.id: c for c in record.duplicates}
    table = [list(COLUMNS)]
    for note in record.notes:
        label = labels.get(note.category) if note.category is not None else None
        cluster = clusters.get(note.cluster) if note.cluster is not None else None
        text_cells = {
            "text": note.text,
            "board_title": titles.get(note.board, ""),
            "category": note.category or "",
            "category_label": label.en if label else "",
            "category_label_cy": (label.cy or "") if label else "",
            "category_source": note.source.value,
            "comments": "\n".join(note.comments),
            "duplicate_cluster": note.cluster or "",
        }
        number_cells = {
            "note": note.id,
            "board": str(note.board),
            "confidence": "" if note.confidence is None else f"{note.confidence:.2f}",
            "votes": str(note.votes),
            "comment_count": str(len(note.comments)),
            "raised_in_groups": str(len(note.raised_in))
            if note.raised_in
            else ("" if cluster is None else str(cluster.raised_in)),
            "created_at": iso_utc(note.created_at),
        }
        cells = {**{k: neutralise(v) for k, v in text_cells.items()}, **number_cells}
        table.append([cells[column] for column in COLUMNS])
    return table


def render(record: Record) -> bytes:
    """The CSV file: UTF-8 with a byte-order mark, CRLF line ends."""
    return encode(rows(record))


def encode(lines: Iterable[Sequence[str]]) -> bytes:
    """Rows of cells (already neutralised) as a CSV file: UTF-8 with a byte-order mark, so
    spreadsheets read Welsh letters right, and CRLF line ends."""
    out = _Lines()
    writer = csv.writer(out, dialect="excel", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(lines)
    return "".join(out.parts).encode("utf-8-sig")

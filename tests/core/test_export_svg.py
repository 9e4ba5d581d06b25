"""The notes-per-category bar chart: well-formed, accessible SVG with every text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from board.core.export.svg import Bar, bar_chart, category_bars, category_chart, describe, escape
from tests.core.test_record import IDENTITIES, sample_record

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_is_well_formed_svg_with_a_title_and_a_description() -> None:
    root = ET.fromstring(category_chart(sample_record()))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.findtext(f"{SVG}title") == "Notes per category"
    description = root.findtext(f"{SVG}desc")
    assert description is not None
    assert "Participation: 1 confirmed, 3 suggested" in description
    assert "Partnership: 0 notes" in description


def test_one_bar_per_category_in_the_taxonomys_order() -> None:
    record = sample_record()
    bars = category_bars(record)
    assert [bar.label for bar in bars] == [c.label.en for c in record.taxonomy.categories]
    root = ET.fromstring(category_chart(record))
    groups = root.findall(f"{SVG}g")
    assert len(groups) == len(bars)
    assert [g.findtext(f"{SVG}title") for g in groups][3] == "Participation: 1 confirmed, 3 suggested"


def test_bar_lengths_are_proportional_and_suggested_notes_are_hatched() -> None:
    root = ET.fromstring(bar_chart([Bar("A", 4), Bar("B", 2, 2), Bar("C", 0)], title="t"))
    rects = [g.findall(f"{SVG}rect") for g in root.findall(f"{SVG}g")]
    widths = [[float(r.get("width", "0")) for r in row] for row in rects]
    assert widths[0] == [widths[1][0] * 2]
    assert widths[1][0] == widths[1][1]
    assert rects[1][1].get("fill") == "url(#hatch)"
    assert widths[2] == [], "an empty category draws no bar, only its count"


def test_labels_are_escaped_as_xml() -> None:
    hostile = "<script>alert(\"x\")</script> & 'quoted'"
    svg = bar_chart([Bar(hostile, 1)], title=f"Title {hostile}")
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG}title") == f"Title {hostile}"
    assert escape("<&>\"'") == "&lt;&amp;&gt;&quot;&#39;"


def test_an_empty_chart_is_still_valid() -> None:
    root = ET.fromstring(bar_chart([], title="Nothing"))
    assert root.findtext(f"{SVG}desc") == "No notes."
    assert describe([Bar("A", 1)]) == "A: 1 note."


def test_the_chart_holds_nothing_that_identifies_a_participant() -> None:
    svg = category_chart(sample_record())
    assert [identity for identity in IDENTITIES if identity in svg] == []

"""The Markdown export: the report's content, with every text people wrote shown as written."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from board.core.export.markdown import CHART_WIDTH, block, escape, render
from board.core.record import build_record
from board.core.taxonomies import WAKEFIELD, Bilingual
from tests.core.test_record import FORMULA, HYPERLINK, IDENTITIES, SCRIPT, WELSH, sample_inputs, sample_record


def to_html(markdown: str) -> str:
    """CommonMark with raw HTML allowed, as the laxest renderer would show it."""
    return MarkdownIt("commonmark", {"html": True}).render(markdown)


def test_the_document_has_every_section() -> None:
    text = render(sample_record())
    for heading in ("## What we heard", "## Agenda", "## By category", "## Most votes", "## By board"):
        assert heading in text
    assert "## Raised more than once" in text
    assert "## Exit poll" in text
    assert "| Participation / Cyfranogiad | 1 | 3 |" in text


def test_hostile_text_renders_as_text_never_as_markup() -> None:
    rendered = to_html(render(sample_record()))
    assert "<script" not in rendered
    assert "<svg" not in rendered
    assert "<b>" not in rendered
    assert "<i>" not in rendered
    assert "<a " not in rendered, "no note became a link"
    visible = html.unescape(rendered)
    for text in (SCRIPT, FORMULA, HYPERLINK, '<b>bold</b> & "quotes"', "<svg onload=alert(1)>"):
        assert text in visible, text


def test_welsh_text_is_kept() -> None:
    assert WELSH in html.unescape(to_html(render(sample_record())))


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "- not a list",
        "+ not a list",
        "1. not a numbered list",
        "===",
        "*not emphasis*",
        "__not strong__",
        "[not](a link)",
        "![not](an image)",
        "`not code`",
        "a | not | a table",
        "~~not struck~~",
        "> not a quote",
        "<https://not.an.autolink>",
        "&amp; stays as typed",
        "back\\slash",
    ],
)
def test_each_markdown_construct_in_a_note_shows_as_typed(text: str) -> None:
    rendered = to_html(f"- {escape(text)}\n")
    assert rendered == f"<ul>\n<li>{html.escape(text, quote=False)}</li>\n</ul>\n"


def test_a_note_of_several_lines_keeps_its_lines_inside_its_list_item() -> None:
    note = "first line\n\n- second line\n   # third"
    rendered = to_html(f"- {block(note, '  ')}\n")
    assert rendered == "<ul>\n<li>first line<br />\n- second line<br />\n# third</li>\n</ul>\n"


def test_the_markdown_holds_nothing_that_identifies_a_participant() -> None:
    text = render(sample_record())
    assert [identity for identity in IDENTITIES if identity in text] == []


def test_suggested_categories_are_marked_as_suggested() -> None:
    text = render(sample_record())
    assert re.search(r"citizens' jury \(1 vote, suggested, Breakout 1", text)


def test_the_exit_poll_section_opens_with_the_question_asked() -> None:
    question = Bilingual("One *or* two words?", "Un?")
    asked = render(build_record(**sample_inputs(), exit_poll_question=question))
    poll = asked.split("## Exit poll", 1)[1]
    assert poll.lstrip().startswith("We asked: “One \\*or\\* two words?”"), "escaped like everything else"
    assert "In one or two words:" not in poll
    unasked = render(sample_record()).split("## Exit poll", 1)[1]
    assert unasked.lstrip().startswith("In one or two words:")


def test_counts_per_category_are_drawn_as_a_text_bar_chart_scaled_to_the_largest() -> None:
    text = render(sample_record())
    chart = text.split("## By category", 1)[1].split("###", 1)[0]
    bars = {
        line.strip().split("  ")[0]: line
        for line in chart.splitlines()
        if line.startswith("    ") and line.strip()
    }
    assert set(bars) == {c.label.en for c in WAKEFIELD.categories}, "one bar per category, in a code block"
    widest = CHART_WIDTH
    participation = bars["Participation"]  # 1 confirmed + 3 suggested: the largest, 4
    assert participation.count("█") + participation.count("░") == widest
    assert (participation.count("█"), participation.count("░")) == (widest // 4, 3 * widest // 4)
    assert participation.endswith("1 + 3 suggested")
    assert bars["Giving Information"].count("█") == widest // 4, "a quarter of the largest"
    assert "█" not in bars["Partnership"]
    assert bars["Partnership"].endswith(" 0")
    assert "*█ confirmed, ░ suggested (not yet accepted).*" in chart
    starts = {
        min(i for i, c in enumerate(line) if c in "█░")
        for line in bars.values()
        if "█" in line or "░" in line
    }
    assert len(starts) == 1, "the bars start in one column"


def test_the_exit_poll_words_come_by_count_with_their_bars() -> None:
    poll = render(sample_record()).split("## Exit poll", 1)[1]
    rows = [line.split() for line in poll.splitlines() if line.startswith("    ")]
    assert [(row[0], row[-1]) for row in rows[:3]] == [("inspired", "4"), ("useful", "4"), ("hwyl", "2")]
    counts = {row[0]: len(row[-2]) for row in rows[:3]}
    assert counts == {"inspired": CHART_WIDTH, "useful": CHART_WIDTH, "hwyl": CHART_WIDTH // 2}
    shown = html.unescape(to_html(poll))
    assert "<svg onload=alert(1)>" in shown, "a hostile word shows as typed, inside the code block"
    assert "<svg" not in to_html(poll)

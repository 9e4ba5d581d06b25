"""The Markdown export: the report's content, with every text people wrote shown as written."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from board.core.export.markdown import block, escape, render
from board.core.record import build_record
from board.core.taxonomies import Bilingual
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

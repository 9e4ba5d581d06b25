"""templates/report.html renders the report's view model with every user text escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from board.core.export.report import build_report
from board.core.hyphenation import hyphenate_long_words, text_language
from board.services.record import hyphenation, report_words
from tests.core.test_record import FORMULA, HYPERLINK, IDENTITIES, SCRIPT, WELSH, sample_record

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "report.html"
CSS = ROOT / "static" / "css" / "report.css"
CLOUD = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>inspired</text></svg>'


def render(**context: object) -> str:
    """As the server will: Jinja2 with autoescape on (Starlette's default)."""
    env = Environment(loader=FileSystemLoader(ROOT / "templates"), autoescape=True, undefined=StrictUndefined)
    words = report_words("en")
    return env.get_template("report.html").render(
        report=build_report(sample_record(), wordcloud_svg=CLOUD),
        t=words,
        tn=words.count,
        note_lang=lambda text: text_language(text, "en"),
        drawn=lambda text: hyphenate_long_words(text, hyphenation(text_language(text, "en"))),
        **context,
    )


@pytest.fixture(scope="module")
def page() -> str:
    return render(stylesheet="/static/css/report.css")


def test_user_text_is_escaped_everywhere(page: str) -> None:
    assert "<script" not in page
    assert "<svg" not in page, "pictures travel as data URIs, never inline"
    assert "<b>bold</b>" not in page
    assert "<i>Feedback</i>" not in page
    assert "&lt;script&gt;alert(&#34;boo&#34;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#34;quotes&#34;" in page
    assert "Engagement network &lt;session 1&gt; &amp; &#34;friends&#34;" in page


def test_spreadsheet_formulas_and_welsh_show_as_written(page: str) -> None:
    visible = html.unescape(page)
    for text in (SCRIPT, FORMULA, HYPERLINK, WELSH):
        assert text in visible


def test_the_template_marks_nothing_safe() -> None:
    source = TEMPLATE.read_text(encoding="utf-8")
    assert "|safe" not in source.replace(" ", "")
    assert "Markup" not in source
    assert "autoescape false" not in source


def test_every_section_is_there(page: str) -> None:
    for heading in (
        "What we heard",
        "Agenda",
        "By category",
        "Most votes",
        "By board",
        "Raised more than once",
        "Exit poll",
    ):
        assert f">{heading}</h2>" in page
    assert 'lang="cy">Cyfranogiad</span>' in page
    assert page.count('class="note') >= 13


def test_pictures_are_images_with_alt_text(page: str) -> None:
    images = re.findall(r'<img src="(data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)" alt="([^"]+)"', page)
    assert len(images) == 2
    assert images[0][1].startswith("Notes per category. Giving Information: 1 note;")
    assert images[1][1].startswith("Word cloud of the exit poll: inspired (4)")


def test_a_downloaded_report_carries_its_stylesheet(page: str) -> None:
    css = CSS.read_text(encoding="utf-8")
    standalone = render(inline_css=css)
    assert f"<style>{css}</style>" in standalone, "the CSS needs no escaping, so autoescape leaves it intact"
    assert '<link rel="stylesheet" href="/static/css/report.css">' in page


def test_the_stylesheet_has_print_rules_and_nothing_autoescape_would_change() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert "@media print" in css
    assert "@page" in css
    assert not set(css) & set("<>&\"'")


def test_the_report_page_identifies_no_participant(page: str) -> None:
    assert [identity for identity in IDENTITIES if identity in page] == []

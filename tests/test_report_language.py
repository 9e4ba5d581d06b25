"""The printable report in the reader's language (issue 8): every heading, label and sentence
of a Welsh report is Welsh, from board/i18n/catalogue/report.json; the English report is unchanged;
the core's own English (board/core/export/words.py) says exactly what the catalogue says."""

from __future__ import annotations

import html
import re

import pytest

from board import i18n
from board.core.export.words import ENGLISH
from board.services.record import render_html, report_words
from tests.core.test_record import sample_record


def test_the_core_english_of_the_report_is_the_catalogues() -> None:
    catalog = i18n.catalog()
    for key, text in ENGLISH.strings.items():
        assert catalog[key]["en"] == text, key


@pytest.mark.parametrize(
    ("lang", "count", "form"),
    [
        ("en", 1, "one"),
        ("en", 0, "other"),
        ("en", 2, "other"),
        ("cy", 0, "zero"),
        ("cy", 1, "one"),
        ("cy", 2, "two"),
        ("cy", 3, "few"),
        ("cy", 6, "many"),
        ("cy", 4, "other"),
        ("cy", 13, "other"),
    ],
)
def test_plural_forms_follow_each_languages_rule(lang: i18n.Language, count: int, form: str) -> None:
    assert i18n.plural_form(lang, count) == form


def test_a_welsh_report_is_written_in_welsh() -> None:
    page = render_html(sample_record(), "cy")
    assert '<html lang="cy">' in page
    for key in ("report.heard_title", "report.by_category", "report.most_votes", "report.chart_title"):
        assert i18n.translate("cy", key) in page, key
    assert "Clywsom 13 nodyn gan 3 grŵp." in page
    words = report_words("cy")
    assert words.count("report.count.vote", 1) == "1 bleidlais"
    assert words.count("report.count.vote", 2) == "2 bleidlais"
    assert words.count("report.count.vote", 3) == "3 pleidlais"


def test_the_welsh_report_has_no_english_of_its_own() -> None:
    """No phrase of the English report's own (two words or more between its placeholders) is
    left in the Welsh one."""
    page = render_html(sample_record(), "cy")
    for key, entry in i18n.catalog().items():
        if not key.startswith("report.") or entry["en"] == entry["cy"]:
            continue
        for phrase in PLACEHOLDERS.split(entry["en"]):
            phrase = phrase.strip(" ,.:;")
            if " " in phrase:
                assert html.escape(phrase) not in page, (key, phrase)


PLACEHOLDERS = re.compile(r"\{[a-z_]+\}")

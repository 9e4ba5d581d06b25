"""Hyphenation points for the printable report (board/core/hyphenation.py, issue 18): the
board's own TeX patterns for English and Welsh, read from the vendored `hyphen` files, give the
same points as the `hyphen` package does in the browser (the expected splits below are its
output, `npm pack hyphen@1.14.1`), and only long words get them."""

from __future__ import annotations

import pytest

from board.core.hyphenation import SOFT_HYPHEN, hyphenate_long_words, hyphenate_word, text_language
from board.services.record import hyphenation


@pytest.mark.parametrize(
    ("lang", "word", "split"),
    [
        ("en", "Participatory", "Par-ti-cip-at-ory"),
        ("en", "development", "de-vel-op-ment"),
        ("en", "conversations", "con-ver-sa-tions"),
        ("en", "opportunities", "op-por-tun-it-ies"),
        ("cy", "Cyfranogiad", "Cyf-ran-og-iad"),
        ("cy", "datblygiadau", "dat-blyg-iad-au"),
        ("cy", "ymgynghoriad", "ym-gyng-hor-iad"),
        ("cy", "Llanfairpwllgwyngyll", "Llan-fair-pwll-gwyn-gyll"),
    ],
)
def test_words_split_where_the_browser_splits_them(lang: str, word: str, split: str) -> None:
    assert hyphenate_word(word, hyphenation(lang)).replace(SOFT_HYPHEN, "-") == split  # type: ignore[arg-type]


def test_only_long_words_get_soft_hyphens_and_the_words_stay_the_same() -> None:
    text = "Participatory budgeting, and Internationalisation"
    drawn = hyphenate_long_words(text, hyphenation("en"))
    assert drawn.replace(SOFT_HYPHEN, "") == text
    assert drawn.startswith("Participatory budgeting, and "), "short words are left whole"
    assert SOFT_HYPHEN in drawn.split(" ")[-1]


def test_a_note_is_read_as_welsh_or_english_by_its_words() -> None:
    assert text_language("Mwy o sgyrsiau gyda phobl ifanc", "en") == "cy"
    assert text_language("More conversations with young people", "cy") == "en"
    assert text_language("Trafnidiaeth", "en") == "cy"
    assert text_language("Transport", "cy") == "cy", "no evidence: the reader's language"
    # Short English notes on a Welsh page: endings and letters Welsh does not have.
    assert text_language("Gardening club", "cy") == "en"
    assert text_language("Incomprehensibilities", "cy") == "en"
    assert text_language("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", "en") == "cy"


def test_the_report_tells_a_note_language_by_the_same_words_as_the_board() -> None:
    """board/core/hyphenation.py and static/js/board/hyphenate.js keep one pair of word lists."""
    import re
    from pathlib import Path

    from board.core import hyphenation as core

    source = (Path(__file__).parents[1] / "static" / "js" / "board" / "hyphenate.js").read_text(
        encoding="utf-8"
    )

    def listed(name: str) -> frozenset[str]:
        block = re.search(rf"const {name} = new Set\(\s*\((.*?)\)\s*\.split", source, re.S)
        assert block is not None, name
        return frozenset(" ".join(re.findall(r'"([^"]*)"', block[1])).split())

    assert listed("WELSH") == core._WELSH
    assert listed("ENGLISH") == core._ENGLISH

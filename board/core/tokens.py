"""How the category suggester, the learned second opinion and the duplicate finder split a
note into words: one way for all three, so that what one reads as a word the others do too.
Below the suggester (`categorise.py`) and the second opinion (`second_opinion.py`), which
uses it to weigh the suggester's answer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

from board.core.stemming import STOP_WORDS, singular

_POSSESSIVE: Final = re.compile(r"(?<=\w)['’ʼ]s\b")
_APOSTROPHE: Final = re.compile(r"['’‘ʼ`´]")
_INNER_HYPHEN: Final = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_WORD: Final = re.compile(r"[^\W_]+")


def split_words(text: str) -> list[str]:
    """Every word of a text, in order: case and accents folded, possessives and apostrophes
    dropped, a word hyphenated inside itself joined ("co-design"), each made singular."""
    folded = text.casefold()
    if not folded.isascii():  # plain ASCII has no accents to drop: most notes, read quicker
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _POSSESSIVE.sub("", folded)
    folded = _APOSTROPHE.sub("", folded)
    folded = _INNER_HYPHEN.sub("", folded)
    return [singular(word) for word in _WORD.findall(folded)]


def words(text: str) -> tuple[str, ...]:
    """The meaningful words of a text, normalised for comparison, in order (stop words dropped)."""
    return meaningful(split_words(text))


def meaningful(split: Iterable[str]) -> tuple[str, ...]:
    """`words` of a text already split (`split_words`), for a reader that needs every word too."""
    return tuple(word for word in split if word not in STOP_WORDS)

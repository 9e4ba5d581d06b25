"""Hyphenation points for words too long for a line of the printable report (issue 18).

The board hyphenates notes in the browser with the vendored `hyphen` package and its TeX
patterns (static/js/vendor, static/js/board/hyphenate.js). The report is one self-contained
HTML file with no script, and the browsers it is read in may have no hyphenation dictionary
of their own (Debian's Chromium has none), so its long words get their soft hyphens here,
from the same pattern files, by the same algorithm (Liang's, as `hyphen.js` walks it). Only
the HTML report is drawn this way; the JSON, CSV and Markdown records keep the words as they
were written.

A pattern file is the package's own: a JavaScript array `[levels, trie, exceptions]`; it is
read as data (`parse_patterns`), never run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final, Literal

SOFT_HYPHEN: Final = "\u00ad"
LONG_WORD: Final = 14
"""Letters from which a word may not fit a line of a narrow column (a phone): only such words
are given hyphenation points in the report, so what a reader copies from it is mostly as typed."""

Language = Literal["en", "cy"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_KEY = re.compile(r"([{,]\s*)([^\s\"{}\[\],:]+)\s*:")


@dataclass(frozen=True)
class Patterns:
    levels: list[list[int]]
    trie: dict[str, Any]


def parse_patterns(source: str) -> Patterns:
    """The levels table and trie of a `hyphen` pattern file (its last argument, an array)."""
    start = source.index("(this, [") + len("(this, ")
    end = source.rindex("]") + 1
    array = json.loads(_KEY.sub(r'\1"\2":', source[start:end]))
    return Patterns(levels=array[0], trie=array[1])


def hyphenate_word(word: str, patterns: Patterns) -> str:
    """`word` with a soft hyphen at each of its hyphenation points (none in its first or last
    two letters)."""
    lowered = f".{word.lower()}."
    levels = [0] * (len(word) + 1)
    for start in range(len(lowered) - 2):
        # As hyphen.js counts: the slices from the first and second characters both start at 0.
        index = max(0, start - 1)
        node: Any = patterns.trie
        for letter in lowered[start:]:
            found = node.get(letter) if isinstance(node, dict) else None
            if found is None:
                break
            level = -1
            if isinstance(found, list):
                node, level = found[0], found[1]
            elif isinstance(found, dict):
                node = found
            else:
                node, level = {}, found
            if level < 0:
                continue
            for k, value in enumerate(patterns.levels[level]):
                if index + k < len(levels):
                    levels[index + k] = max(levels[index + k], value)
    for edge in (0, 1, len(levels) - 1, len(levels) - 2):
        levels[edge] = 0
    marks = [i for i, value in enumerate(levels) if value % 2 == 1 and 0 < i < len(word)]
    pieces = [word[a:b] for a, b in zip([0, *marks], [*marks, len(word)], strict=True)]
    return SOFT_HYPHEN.join(pieces)


def hyphenate_long_words(text: str, patterns: Patterns) -> str:
    """`text` with hyphenation points in its words of LONG_WORD letters or more."""
    return _WORD.sub(
        lambda match: hyphenate_word(match[0], patterns) if len(match[0]) >= LONG_WORD else match[0],
        text,
    )


_WELSH: Final = frozenset(
    "ac ar y yr yn mae ein eich ei eu gyda ddim dim wedi bod hefyd mwy sydd ni chi nhw neu fel gan ond "
    "pobl hyn hynny cael gael gyfer ydy yw oes fydd bydd dylai angen rhagor mewn gwaith trwy drwy rhaid "
    "gwell lle pan beth pam sut yma yno iawn da hen newydd cymuned gymuned cyngor ysgol plant lleol".split()
)
_ENGLISH: Final = frozenset(
    "the and of to is are for with that this it we more be on our you they should not have can will "
    "from by at as was were there their about people community council local would could need into".split()
)
_WELSH_LETTERS = re.compile(r"[ŵŷâêîôû]")
_WELSH_SPELLING = re.compile(r"dd|wy|yw|iad$|aeth$")
_ENGLISH_SPELLING = re.compile(r"[kqvxz]|ing$|tion$|ness$|ities$|ity$|ment$|ship$|ful$|less$")
"""Letters the Welsh alphabet does not have, and English endings no Welsh word has: a short
English note ("Gardening club") on a Welsh page is told as English, so it hyphenates as one."""


def text_language(text: str, fallback: Language) -> Language:
    """The language a note is written in, told as static/js/board/hyphenate.js tells it (the
    same word lists and letters): Welsh or English by their evidence, else `fallback`."""
    welsh = english = 0
    for word in re.split(r"[^\w'’]+", text.lower()):
        if not word:
            continue
        if _WELSH_LETTERS.search(word):
            welsh += 2
        elif _WELSH_SPELLING.search(word):
            welsh += 1
        english += bool(_ENGLISH_SPELLING.search(word))
        welsh += word in _WELSH
        english += word in _ENGLISH
    if welsh != english:
        return "cy" if welsh > english else "en"
    return fallback

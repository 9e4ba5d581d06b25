"""A note's engagement category, and where it came from.

In this order (DESIGN.md §5):

1. **explicit**: someone set the note's `category` (from its menu, or by accepting a suggestion);
2. **frame**: the note's centre lies in a frame that has a `category` (a column or region made
   from the taxonomy). With nested or overlapping frames the innermost wins (smallest area),
   then the topmost in drawing order (`(z, id)`, as `ordering.py` draws them);
3. **suggested**: the note's words match an example method or keyword of the taxonomy. A
   suggestion carries a confidence and the phrase that matched; it is shown as a suggestion
   the facilitator can accept (which makes it explicit) and is never promoted on its own;
4. **none**.

A category key the taxonomy does not have (a note categorised under another taxonomy, a frame
from an older template) is passed over as if unset, so everything downstream only ever sees
keys of the workshop's taxonomy.

Matching is by words, not by letters: text is case-folded, accents dropped (ŵ = w), possessives
and apostrophes removed ("children's" = "children", "citizens'" = "citizens"), hyphenated
words joined ("co-design" = "codesign", and "co design" also forms "codesign"), English plurals
made singular ("juries" = "jury") and stop words ignored. A phrase matches when every one of
its words is in the note, allowing a small typo in longer words ("questionaire"). The same
`words()` serves duplicate finding (`duplicates.py`). A `fold` function (e.g. Welsh mutation
folding from `welsh.py`) can be passed in; it is applied to both the note and the phrases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Final

from rapidfuzz import fuzz, process

from board.core.model import Frame, Note
from board.core.taxonomies import Taxonomy

TextKey = Callable[[str], str]
"""A text in, the text compared in its place out. Here as `fold`, applied before `words()`
(e.g. Welsh mutation folding: "nghyfarfod" -> "cyfarfod"); in `duplicates.py` as the whole
comparison key of a note."""

_ENGLISH_STOP_WORDS: Final = (
    "a an the and or of in on for to with at by from about into via as is are was were be been "
    "it its this that these those our we us my your their they them i e g eg ie etc also"
)
_WELSH_STOP_WORDS: Final = "y yr a ac i o yn ar am gyda gan neu ei eu"
"""Articles, "and", and common prepositions and particles."""
STOP_WORDS: Final = frozenset(_ENGLISH_STOP_WORDS.split()) | frozenset(_WELSH_STOP_WORDS.split())
"""Words that carry no meaning for matching. A plain default: `welsh.py` may supply more."""

FUZZY_CUTOFF: Final = 91.0
"""Similarity (0-100, rapidfuzz `ratio`) at which two words count as one word with a typo:
"questionaire" ~ "questionnaire" is 96 and "budgetting" ~ "budgeting" 95, while "formation" ~
"information" is 90, "consultant" ~ "consultation" 82 and "survey" ~ "surgery" 77. Only words of
`FUZZY_MIN_LENGTH` letters or more are compared this way."""
FUZZY_MIN_LENGTH: Final = 5
"""Shorter words must match exactly: one letter changes a short word completely (poll, pool)."""

BASE_CONFIDENCE: Final = (0.0, 0.6, 0.75, 0.85)
"""Confidence of a match that no other category shares, by the number of words in the phrase
that matched (one, two, three or more): "participatory budgeting" says more than "poll"."""


class Source(StrEnum):
    """Where a note's category came from; the record keeps it beside the category."""

    EXPLICIT = "explicit"
    FRAME = "frame"
    SUGGESTED = "suggested"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Suggestion:
    category: str
    confidence: float
    """0 < confidence < 1, rounded to two places: how sure the match is, never certainty."""
    matched: str
    """The example or keyword that matched, as the taxonomy writes it ("Citizen juries")."""
    alternatives: tuple[str, ...] = ()
    """Other categories that also matched, best first: ("SMS text" is listed under two)."""


@dataclass(frozen=True, slots=True)
class Assignment:
    category: str | None
    source: Source
    confidence: float | None = None
    """Only for a suggestion."""
    frame: str | None = None
    """The id of the frame the note sits in, for `Source.FRAME`."""
    matched: str | None = None
    """The phrase behind a suggestion."""
    alternatives: tuple[str, ...] = ()

    @property
    def confirmed(self) -> bool:
        """Set by a person, directly or by placing the note in a frame (not a suggestion)."""
        return self.source in (Source.EXPLICIT, Source.FRAME)


UNCATEGORISED: Final = Assignment(None, Source.NONE)


# --- words ------------------------------------------------------------------------------------

_POSSESSIVE: Final = re.compile(r"(?<=\w)['’ʼ]s\b")
_APOSTROPHE: Final = re.compile(r"['’‘ʼ`´]")
_INNER_HYPHEN: Final = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_WORD: Final = re.compile(r"[^\W_]+")


def singular(word: str) -> str:
    """A light English singular: enough that "juries", "groups", "processes" and "services"
    meet "jury", "group", "process" and "service". Both sides of every comparison go through
    it, so a word it mangles ("series" -> "sery") still meets itself."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _POSSESSIVE.sub("", folded)
    folded = _APOSTROPHE.sub("", folded)
    folded = _INNER_HYPHEN.sub("", folded)
    return [singular(word) for word in _WORD.findall(folded)]


def words(text: str) -> tuple[str, ...]:
    """The meaningful words of a text, normalised for comparison, in order (stop words dropped)."""
    return tuple(word for word in _tokens(text) if word not in STOP_WORDS)


def _note_words(text: str) -> frozenset[str]:
    """A note's words, plus each pair of neighbours joined ("co design" also gives "codesign",
    "drop in" gives "dropin"), taken before stop words go so that "in" can still join."""
    tokens = _tokens(text)
    joined = {a + b for a, b in pairwise(tokens)}
    return frozenset(word for word in tokens if word not in STOP_WORDS) | joined


# --- suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phrase:
    category: int
    text: str
    words: tuple[str, ...]


class Suggester:
    """Suggests categories from one taxonomy's example methods and keywords.

    Prepared once per taxonomy (the phrases are normalised up front); `suggester()` caches one
    per taxonomy and fold. Pure and deterministic: the same text always gets the same answer.
    """

    def __init__(self, taxonomy: Taxonomy, *, fold: TextKey | None = None) -> None:
        self.taxonomy = taxonomy
        self._fold = fold
        phrases: list[_Phrase] = []
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for index, category in enumerate(taxonomy.categories):
            for text in (*category.examples, *category.keywords):
                phrase_words = words(self._folded(text))
                if phrase_words and (index, phrase_words) not in seen:
                    seen.add((index, phrase_words))
                    phrases.append(_Phrase(index, text, phrase_words))
        self._phrases = tuple(phrases)
        vocabulary = {word for phrase in phrases for word in phrase.words}
        self._long_words = sorted(word for word in vocabulary if len(word) >= FUZZY_MIN_LENGTH)
        self._vocabulary = frozenset(vocabulary)

    def _folded(self, text: str) -> str:
        return self._fold(text) if self._fold is not None else text

    def _hits(self, text: str) -> dict[str, float]:
        """Each taxonomy word found in the text, with how well it matched (1.0 = exactly)."""
        note = _note_words(self._folded(text))
        hits = {word: 1.0 for word in note & self._vocabulary}
        for word in sorted(note):
            if len(word) < FUZZY_MIN_LENGTH or word in self._vocabulary:
                continue
            for found, score, _ in process.extract(
                word, self._long_words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                hits[found] = max(hits.get(found, 0.0), score / 100.0)
        return hits

    def suggest(self, text: str) -> Suggestion | None:
        """The best-matching category for a note's text, or None when nothing matches."""
        hits = self._hits(text)
        if not hits:
            return None
        best: dict[int, tuple[float, int, _Phrase]] = {}  # category -> (score, phrases matched, best phrase)
        for phrase in self._phrases:
            if not all(word in hits for word in phrase.words):
                continue
            score = sum(hits[word] for word in phrase.words)
            previous = best.get(phrase.category)
            if previous is None:
                best[phrase.category] = (score, 1, phrase)
            elif score > previous[0]:
                best[phrase.category] = (score, previous[1] + 1, phrase)
            else:
                best[phrase.category] = (previous[0], previous[1] + 1, previous[2])
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        index, (score, _, phrase) = ranked[0]
        runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
        quality = score / len(phrase.words)
        base = BASE_CONFIDENCE[min(len(phrase.words), len(BASE_CONFIDENCE) - 1)]
        margin = (score - runner_up) / score
        confidence = round(base * quality * (0.5 + 0.5 * margin), 2)
        categories = self.taxonomy.categories
        return Suggestion(
            category=categories[index].key,
            confidence=max(confidence, 0.01),
            matched=phrase.text,
            alternatives=tuple(categories[other].key for other, _ in ranked[1:]),
        )


@lru_cache(maxsize=32)
def suggester(taxonomy: Taxonomy, fold: TextKey | None = None) -> Suggester:
    """The (cached) suggester for a taxonomy."""
    return Suggester(taxonomy, fold=fold)


def suggest(text: str, taxonomy: Taxonomy, *, fold: TextKey | None = None) -> Suggestion | None:
    return suggester(taxonomy, fold).suggest(text)


# --- frames and precedence ------------------------------------------------------------------------


def centre(note: Note) -> tuple[float, float]:
    return (note.x + note.w / 2, note.y + note.h / 2)


def contains(frame: Frame, point: tuple[float, float]) -> bool:
    """Half-open: a point on the edge two columns share belongs to the right-hand (or lower)
    one, so a note on a border is never in both and never in neither."""
    x, y = point
    return frame.x <= x < frame.x + frame.w and frame.y <= y < frame.y + frame.h


def containing_frame(note: Note, frames: Iterable[Frame]) -> Frame | None:
    """The category frame the note sits in: among visible frames with a category that contain
    the note's centre, the innermost (smallest area), then the topmost (`(z, id)`)."""
    point = centre(note)
    inside = [f for f in frames if f.category is not None and not f.hidden and contains(f, point)]
    if not inside:
        return None
    smallest = min(f.w * f.h for f in inside)
    return max((f for f in inside if f.w * f.h == smallest), key=lambda f: (f.z, f.id))


def categorise(
    note: Note, frames: Iterable[Frame], taxonomy: Taxonomy, *, fold: TextKey | None = None
) -> Assignment:
    """The note's category and its source, in the order explicit > frame > suggested > none."""
    return _categorise(note, _usable(frames, taxonomy), taxonomy, suggester(taxonomy, fold))


def categorise_board(
    notes: Iterable[Note], frames: Iterable[Frame], taxonomy: Taxonomy, *, fold: TextKey | None = None
) -> dict[str, Assignment]:
    """Every note's assignment by note id, for the notes and frames of one board."""
    usable = _usable(frames, taxonomy)
    matcher = suggester(taxonomy, fold)
    return {note.id: _categorise(note, usable, taxonomy, matcher) for note in notes}


def _usable(frames: Iterable[Frame], taxonomy: Taxonomy) -> list[Frame]:
    return [frame for frame in frames if taxonomy.category(frame.category) is not None]


def _categorise(note: Note, frames: list[Frame], taxonomy: Taxonomy, matcher: Suggester) -> Assignment:
    if taxonomy.category(note.category) is not None:
        return Assignment(note.category, Source.EXPLICIT)
    frame = containing_frame(note, frames)
    if frame is not None:
        return Assignment(frame.category, Source.FRAME, frame=frame.id)
    found = matcher.suggest(note.text)
    if found is None:
        return UNCATEGORISED
    return Assignment(
        found.category,
        Source.SUGGESTED,
        confidence=found.confidence,
        matched=found.matched,
        alternatives=found.alternatives,
    )

"""How well category suggestions match a labelled set of notes (`board categories evaluate`).

Given notes with the category a person gave them, each note's suggestion is scored as
*correct* (the expected category), *wrong* (another category) or *abstained* (no suggestion:
below `categorise.THRESHOLD`), per category and overall. A council can run this on its own past
notes before trusting the suggestions; `bench/categories.py` runs it on the project's set.

The expected category may be written as a key (`getting_information`) or as the category's
label in English or Welsh, in any case ("Getting Information", "Casglu Gwybodaeth"); a row
naming no category of the taxonomy is reported back with its line, never guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from board.core.categorise import Learned, Suggester
from board.core.taxonomies import Taxonomy


@dataclass(slots=True)
class Tally:
    """Correct, wrong and abstained counts for one category (or all)."""

    correct: int = 0
    wrong: int = 0
    abstained: int = 0

    @property
    def total(self) -> int:
        return self.correct + self.wrong + self.abstained

    def add(self, other: Tally) -> None:
        self.correct += other.correct
        self.wrong += other.wrong
        self.abstained += other.abstained

    def share(self, count: int) -> float:
        """`count` as a fraction of the total (0 when there is nothing)."""
        return count / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    expected: str
    suggested: str | None
    confidence: float | None

    @property
    def verdict(self) -> str:
        if self.suggested is None:
            return "abstained"
        return "correct" if self.suggested == self.expected else "wrong"


@dataclass(slots=True)
class Evaluation:
    taxonomy: Taxonomy
    outcomes: list[Outcome] = field(default_factory=list)

    def by_category(self) -> dict[str, Tally]:
        """A tally for each category of the taxonomy, in its order (empty ones included)."""
        tallies = {key: Tally() for key in self.taxonomy.keys}
        for outcome in self.outcomes:
            _count(tallies[outcome.expected], outcome)
        return tallies

    def overall(self) -> Tally:
        tally = Tally()
        for outcome in self.outcomes:
            _count(tally, outcome)
        return tally


def _count(tally: Tally, outcome: Outcome) -> None:
    verdict = outcome.verdict
    if verdict == "correct":
        tally.correct += 1
    elif verdict == "wrong":
        tally.wrong += 1
    else:
        tally.abstained += 1


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).replace("_", " ").split())


def category_key(taxonomy: Taxonomy, written: str) -> str | None:
    """The key of the category `written` names (its key or a label, any case), or None."""
    wanted = _plain(written)
    for category in taxonomy.categories:
        names = (category.key, category.label.en, category.label.cy or "")
        if any(wanted == _plain(name) for name in names if name):
            return category.key
    return None


def evaluate(
    rows: Iterable[tuple[str, str]], matcher: Suggester, learned: Learned | None = None
) -> Evaluation:
    """Each (text, expected category key) scored against `matcher`'s suggestion."""
    result = Evaluation(matcher.taxonomy)
    for text, expected in rows:
        found = matcher.suggest(text, learned)
        result.outcomes.append(
            Outcome(text, expected, found.category if found else None, found.confidence if found else None)
        )
    return result


def confirm_first(
    rows: Sequence[tuple[str, str]], matcher: Suggester, every: int = 3
) -> tuple[Learned, list[tuple[str, str]]]:
    """Every `every`th note (the 1st, 4th, 7th...) taken as confirmed by the group, the way a
    workshop places some notes in frames: the examples learned from them, and the other notes
    to evaluate."""
    confirmed = [row for i, row in enumerate(rows) if i % every == 0]
    rest = [row for i, row in enumerate(rows) if i % every != 0]
    return Learned(matcher, confirmed, [text for text, _ in rest]), rest


__all__ = ["Evaluation", "Outcome", "Tally", "category_key", "confirm_first", "evaluate"]

"""A second opinion on a note's category, learned from labelled notes (issue #20).

The suggester (`categorise.Suggester`) reads a note through vocabularies written by hand
(`vocabulary.py`). They fit the notes that were read while they were written: on labelled sets
written later, by other hands, from the taxonomies' definitions alone, it is wrong more often
than on the sets it was tuned on. A model *learned* from the labelled notes sees the same words
differently (every word and pair of neighbouring words counts, as often as the labelled notes
put it in a category, not only the terms someone thought of), so where the two disagree one of
them is likely wrong, and a suggestion the model finds very unlikely is better not made.

The model is multinomial naive Bayes, one per built-in taxonomy (their categories differ),
over a note's stems and pairs of neighbouring stems (`features`: Welsh mutations folded,
short forms written out, English words stemmed, as the suggester reads them). It is trained
offline by `python -m bench.second_opinion --write` from every labelled set in `bench/data/`
that may be read and from each taxonomy's own labels, descriptions, examples and keywords
(`definitions`), and shipped as counts in `data/category_model.json`: nothing is downloaded or
learned at run time, and applying it is plain arithmetic. Counts, not weights, so the file says
what the model saw ("door" in 5 Wakefield notes placed in Giving Information, 2 in Getting
Information) and `Opinion.words` can say why. It also learns the labelled notes' topics ("bus",
"bin"), which say nothing of the method: one more reason it only vetoes what it finds very
unlikely, and speaks alone only when it is sure.

How an opinion is used (`combine`, in `categorise.Suggester.suggest`): the model
vetoes a suggestion when it gives the suggested category less than `VETO_BELOW`, and fills a
silence (the suggester abstained) when it is at least `FILL_FROM` sure of one category.
Measured leaving each labelled set out of the training in turn (`bench/second_opinion.py`),
English notes went from 91.8 % correct, 2.1 % wrong to 92.8 %, 1.0 % with the suggester as it
is, and from 89.1 %, 4.0 % to 93.8 %, 0.9 % with the suggester as it was before it had read
the held-out sets (Welsh: no wrong suggestion added, a few more correct). The labelled sets
share their writers' turns of phrase, so the model is surer on them than it will be on notes
by other hands: the kept-aside sets are the test of that.

The shipped counts carry a fingerprint of the taxonomy's own definitions as `features` reads
them (`fingerprint`): when either changes (a new example, another stemmer), the model for that
taxonomy is not used (`model_for` gives None) until it is trained again, rather than giving
opinions from words it no longer reads the same way.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Final

from board.core.stemming import expand, singular, stem
from board.core.taxonomies import BUILT_IN, Taxonomy
from board.core.tokens import meaningful, split_words
from board.core.welsh import STOP_WORDS, fold_if_welsh

MODEL_FILE: Final = "category_model.json"
"""The shipped counts, in `board.core.data`."""
FORMAT: Final = 1
"""The layout of `MODEL_FILE` (`Counts.to_data`): a file of another layout is not read."""
SMOOTHING: Final = 0.5
"""What each word counts for in a category that never had it (Lidstone smoothing). Measured
leaving one labelled set out (`bench/second_opinion.py`) on English notes, the veto with 0.1
lost 16 right suggestions instead of 7 for one fewer wrong; with 1 (Laplace) it left 3 more
wrong ones (of 16), and the model was sure (`FILL_FROM`) of fewer notes."""
VETO_BELOW: Final = 0.05
"""The model's probability for the suggested category below which the suggestion is better not
made: the model does not merely prefer another category, it finds this one very unlikely.
Measured leaving one labelled set out, on English notes: 10 of the suggester's 16 wrong
suggestions go and 7 of its 715 right ones (with the suggester before it had read the sets,
10 of 13 wrong and 1 of 286 right). 0.1 takes one more wrong one for 8 more right; 0.01
keeps 3 more wrong to save 4 right (4 more wrong to save none, with the older suggester)."""
SURE_STANDS: Final = 0.6
"""The suggester's confidence from which its suggestion stands whatever the model thinks: one
strong term no other category shares (0.71) is the note naming its method, and the model,
which also learned the labelled notes' topics ("bus", "bin"), has vetoed such as "timetable
co-produced with bus users". Measured leaving one labelled set out, on English notes: every
suggestion at 0.6 or more the veto took was right (5 of them); 0.7 and 0.8 keep fewer."""
FILL_FROM: Final = 0.9
"""The model's probability for one category at or above which it speaks where the suggester
is silent. Measured leaving one labelled set out, on English notes: 15 silences filled right
and 2 wrong; from 0.7 another 8 right and 4 wrong; from 0.97, 5 fewer right and 2 fewer
wrong."""
WEAK_LIKENESS: Final = 0.8
"""A suggestion from the workshop's confirmed notes less sure than this rests on notes that
share some words with the note, not on a near copy of one ("Residents panel about library
hours" beside the group's "Residents' panel on the library opening hours" is 0.87): below it,
a model sure of another category, and surer, decides (`combine`). Measured leaving one
labelled set out with a third confirmed (`bench.second_opinion --warm`): the likenesses that
had turned right suggestions wrong were 0.5-0.71; from 0.7 one of them stays, and 0.8 and 0.9
do the same there."""
NONE_OF_THEM: Final = "~none"
"""The model's own category, beside a taxonomy's, for notes about no way of being engaged: the
cake, "is this working", "bins not collected again". Learned from such notes
(`bench/data/category_offtopic.csv`), it is what the model thinks of a note whose few words it
knows only from other notes' topics ("best thing was the cake": "best" had been in two notes
of Empowerment, so without it the model was 97 % sure of that). Where the model is sure of it,
weak words are not suggested and a silence is not filled (`combine`)."""
REASONS: Final = 3
"""The features shown as why the model holds its opinion, at most."""


@dataclass(frozen=True, slots=True)
class Read:
    """A note as the model reads it (`read_note`): read once for its opinion and for saying
    which of the note's words counted (`said`)."""

    text: str
    words: tuple[str, ...]
    """Every word of the note, Welsh mutations folded, in order (stop words too: `said` lines
    them up with the words as written)."""
    folded: bool
    """Whether folding changed the text: only then are the words as written split apart."""
    features: frozenset[str]
    """Its meaningful stems and each pair of neighbouring ones (`read_note`)."""


def read_note(text: str) -> Read:
    """What the model reads of a note: its meaningful stems ("leaflet") and each pair of
    neighbouring ones ("drop leaflet"), the way the suggester reads words (Welsh mutations
    folded, short forms written out, singular, stemmed). A pair says more than its words
    apart: "took part" is not "part" and "took". Training (`features`) reads this way too.
    The suggester's own reading is not reused: it folds with its taxonomy's Welsh words and
    keeps hyphenated words apart, which the shipped counts were not learned from."""
    folded = fold_if_welsh(text)
    split = tuple(split_words(folded))
    tokens = [singular(word) for word in expand(list(meaningful(split)))]
    stems = [stem(token) for token in tokens if token not in STOP_WORDS and len(token) > 1]
    pairs = {f"{first} {second}" for first, second in pairwise(stems)}
    return Read(text, split, folded != text, frozenset(stems) | pairs)


def features(text: str) -> frozenset[str]:
    """What the model reads of a note (`read_note`), as training and `fingerprint` need it."""
    return read_note(text).features


def definitions(taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """The taxonomy's own words for each category as (text, key) examples to learn from: its
    labels and descriptions in English and Welsh, its examples and keywords. They cover
    categories the labelled notes have few of, and Welsh that the notes rarely use."""
    return [
        (text, category.key)
        for category in taxonomy.categories
        for text in (
            category.label.en,
            category.label.cy or "",
            category.description.en,
            category.description.cy or "",
            *category.examples,
            *category.keywords,
        )
        if text
    ]


def fingerprint(taxonomy: Taxonomy) -> str:
    """A short hash of the taxonomy's definitions as `features` reads them: it changes when a
    definition or the way words are read changes, and the counts learned before then no longer
    match what the model would read."""
    read = sorted((key, sorted(features(text))) for text, key in definitions(taxonomy))
    return hashlib.sha256(json.dumps(read, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Counts:
    """What a model learned for one taxonomy: for each category, how many notes it was given,
    and for each feature, how many of each category's notes carried it."""

    taxonomy: str
    keys: tuple[str, ...]
    notes: tuple[int, ...]
    carried: Mapping[str, tuple[int, ...]]
    """Feature -> notes per category (in `keys` order) that carry it."""
    fingerprint: str

    def to_data(self) -> dict[str, object]:
        """As JSON data: for each category, its features grouped by how many of its notes
        carried them ("1": "bus|drop leaflet|..."), which keeps the file small (most
        features are carried once) and readable."""
        by_category: dict[str, dict[str, str]] = {}
        for index, key in enumerate(self.keys):
            grouped: dict[int, list[str]] = {}
            for feature, counts in sorted(self.carried.items()):
                if counts[index]:
                    grouped.setdefault(counts[index], []).append(feature)
            by_category[key] = {str(count): "|".join(found) for count, found in sorted(grouped.items())}
        return {
            "keys": list(self.keys),
            "notes": list(self.notes),
            "fingerprint": self.fingerprint,
            "carried": by_category,
        }

    @classmethod
    def from_data(cls, taxonomy: str, data: Mapping[str, object]) -> Counts:
        """From `to_data`'s JSON data (a malformed file is a bug in the shipped package, so it
        raises rather than being answered as a user error)."""
        keys = tuple(str(key) for key in _list(data["keys"]))
        notes = tuple(int(str(count)) for count in _list(data["notes"]))
        carried: dict[str, list[int]] = {}
        grouped = data["carried"]
        if not isinstance(grouped, Mapping) or len(keys) != len(notes):
            raise ValueError(f"{MODEL_FILE}: {taxonomy}: malformed counts")
        for index, key in enumerate(keys):
            for count, found in grouped[key].items():
                for feature in str(found).split("|"):
                    carried.setdefault(feature, [0] * len(keys))[index] = int(count)
        # Most features were in one note or two, so most features' counts are one of a few
        # tuples: each is kept once (about a third of the loaded model's memory).
        shared: dict[tuple[int, ...], tuple[int, ...]] = {}
        counted = {
            feature: shared.setdefault(tuple(counts), tuple(counts)) for feature, counts in carried.items()
        }
        return cls(taxonomy, keys, notes, counted, str(data["fingerprint"]))


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{MODEL_FILE}: expected a list, got {type(value).__name__}")
    return value


def count(taxonomy: Taxonomy, examples: Iterable[tuple[str, str]], unplaced: Iterable[str] = ()) -> Counts:
    """The counts learned from (text, category key) examples, and from notes about none of the
    categories (`unplaced`, counted as `NONE_OF_THEM`); an example whose key the taxonomy does
    not have is a bug in the caller's data."""
    keys = (*taxonomy.keys, NONE_OF_THEM)
    notes = [0] * len(keys)
    carried: dict[str, list[int]] = {}
    labelled = [*examples, *((text, NONE_OF_THEM) for text in unplaced)]
    for text, key in labelled:
        index = keys.index(key)
        notes[index] += 1
        for feature in features(text):
            carried.setdefault(feature, [0] * len(keys))[index] += 1
    counted = {feature: tuple(counts) for feature, counts in carried.items()}
    return Counts(taxonomy.key, keys, tuple(notes), counted, fingerprint(taxonomy))


@dataclass(frozen=True, slots=True)
class Opinion:
    """What the model thinks of a note: its most likely category, how likely (0-1, rounded to
    two places), every category's probability, and the features that counted most for it."""

    category: str
    """A category of the taxonomy, or `NONE_OF_THEM`."""
    probability: float
    probabilities: Mapping[str, float]
    """Every category of the taxonomy and `NONE_OF_THEM`, unrounded: a veto asks about the
    suggested one."""
    words: tuple[str, ...]
    """Features ("leaflet", "drop leaflet") most telling for `category` against the others,
    most telling first: why the model thinks so, for the facilitator."""


class CategoryModel:
    """Naive Bayes over `Counts`, applied with plain arithmetic.

    A feature's weight for a category, `log((carried + SMOOTHING) / (total + spread))`, is
    `log(carried + SMOOTHING)` from a table by count (counts are small whole numbers) less one
    number per category, worked out for the note's own features only. Prepared for every
    feature instead, the weights took as much memory again as the counts (17.7 MiB for the
    four built-in models learned from 3,558 notes, against 9.8 MiB now).

    A note none of whose features the model has seen gets no opinion (the prior alone would
    only say which category the labelled notes had most of)."""

    __slots__ = ("_by_count", "_prior", "_scale", "counts")

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        size = len(counts.keys)
        total_notes = sum(counts.notes)
        self._prior = tuple(math.log((notes + 1) / (total_notes + size)) for notes in counts.notes)
        totals = [sum(carried[index] for carried in counts.carried.values()) for index in range(size)]
        spread = SMOOTHING * len(counts.carried)
        self._scale = tuple(math.log(total + spread) for total in totals)
        most = max((max(carried) for carried in counts.carried.values()), default=0)
        self._by_count = tuple(math.log(count + SMOOTHING) for count in range(most + 1))

    def opinion(self, note: str | Read) -> Opinion | None:
        """The model's opinion of a note (its text, or as `read_note` read it), or None when it
        knows none of its features."""
        read = read_note(note) if isinstance(note, str) else note
        carried, by_count = self.counts.carried, self._by_count
        known = sorted(feature for feature in read.features if feature in carried)
        if not known:
            return None
        scores = list(self._prior)
        for feature in known:
            for index, count in enumerate(carried[feature]):
                scores[index] += by_count[count]
        scores = [score - scale * len(known) for score, scale in zip(scores, self._scale, strict=True)]
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        probabilities = {key: value / total for key, value in zip(self.counts.keys, exps, strict=True)}
        best = max(range(len(exps)), key=lambda index: (exps[index], -index))
        return Opinion(
            self.counts.keys[best],
            round(probabilities[self.counts.keys[best]], 2),
            probabilities,
            self._why(known, best),
        )

    def _why(self, known: list[str], best: int) -> tuple[str, ...]:
        """The features most in favour of `best` against the best other category for each."""
        carried, by_count, scale = self.counts.carried, self._by_count, self._scale
        margins: dict[str, float] = {}
        for feature in known:
            weights = [by_count[count] - scale[index] for index, count in enumerate(carried[feature])]
            rival = max(weight for index, weight in enumerate(weights) if index != best)
            # Rounded: two features carried alike are tied whatever order the logs were taken in.
            margin = round(weights[best] - rival, 9)
            if margin > 0:
                margins[feature] = margin
        telling = sorted(margins, key=lambda feature: (-margins[feature], feature))
        return tuple(telling[:REASONS])


class Advice(StrEnum):
    """What the second opinion did to a suggestion (`combine`)."""

    KEPT = "kept"
    """The suggester's category stands: the model does not find it very unlikely."""
    VETOED = "vetoed"
    """The suggester's category is very unlikely to the model: better no suggestion."""
    FILLED = "filled"
    """The suggester abstained and the model is sure enough of one category."""
    OVERRULED = "overruled"
    """The suggestion rests on a likeness to the workshop's confirmed notes, and the model is
    sure of another category (`FILL_FROM`), surer than the likeness."""
    NONE = "none"
    """Neither suggests anything."""


@dataclass(frozen=True, slots=True)
class Verdict:
    category: str | None
    advice: Advice


def firm(confidence: float | None, *, like: bool = False) -> bool:
    """Whether a suggestion this sure stands whatever the model thinks (`combine` changes
    nothing), so the suggester need not ask the model: from the note's own words at
    `SURE_STANDS`, from a likeness to the workshop's confirmed notes (`like`) at
    `WEAK_LIKENESS`."""
    return confidence is not None and confidence >= (WEAK_LIKENESS if like else SURE_STANDS)


def combine(
    suggested: str | None, confidence: float | None, opinion: Opinion | None, *, like: bool = False
) -> Verdict:
    """The suggester's category (`suggested`, None when it abstained) and its `confidence`,
    weighed by the model's opinion. No opinion (the model knows none of the note's words)
    changes nothing; nor does anything the model thinks change a suggestion that is `firm`.

    - A silence is filled where the model is sure of one category (`FILL_FROM`).
    - A weak suggestion the model disagrees with, sure (`FILL_FROM`) of another category and
      surer than the suggestion, is overruled: the model's category takes its place. Measured
      leaving one labelled set out of 26 (4,358 notes), English 92.1 -> 95.3 % correct with
      the same 2.6 % wrong, Welsh 93.8 -> 96.6 %, 1.1 -> 1.2 % (`bench.second_opinion`).
    - A weak suggestion for a note the model is sure is about none of the categories
      (`NONE_OF_THEM`), or that it finds very unlikely (`VETO_BELOW`), is better not made.

    A suggestion that rests on the workshop's confirmed notes (`like`) is weak only below
    `WEAK_LIKENESS`, and is never vetoed: the model knows no workshop's own names for things
    ("Cas Chat", "the Vision launch")."""
    sure = opinion is not None and opinion.probability >= FILL_FROM
    if suggested is None:
        if opinion is not None and sure and opinion.category != NONE_OF_THEM:
            return Verdict(opinion.category, Advice.FILLED)
        return Verdict(None, Advice.NONE)
    if opinion is None or firm(confidence, like=like):
        return Verdict(suggested, Advice.KEPT)
    assert confidence is not None
    if sure and opinion.category != suggested and opinion.probability > confidence:
        if opinion.category != NONE_OF_THEM:
            return Verdict(opinion.category, Advice.OVERRULED)
        if not like:
            return Verdict(None, Advice.VETOED)
    if not like and opinion.probabilities.get(suggested, 0.0) < VETO_BELOW:
        return Verdict(None, Advice.VETOED)
    return Verdict(suggested, Advice.KEPT)


def said(note: Read, telling: Sequence[str]) -> str | None:
    """The note's own words behind the feature that counted most (`Opinion.words`), in the
    note's order, as the facilitator is shown why: "flyers" for the stem "flyer"; the
    feature itself when folding changed the words too much to find them again."""
    if not telling:
        return None
    wanted = set(telling[0].split())
    folded = note.words
    plain = tuple(split_words(note.text)) if note.folded else folded
    if len(plain) != len(folded):
        plain = folded
    found = [word for word, read in zip(plain, folded, strict=True) if stem(read) in wanted]
    return " ".join(dict.fromkeys(found)) if found else telling[0]


def parse(text: str) -> dict[str, Counts]:
    """The counts of each taxonomy in a `MODEL_FILE`'s text (`Counts.to_data` under
    "taxonomies", beside "format")."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"{MODEL_FILE}: format {data.get('format')!r}, expected {FORMAT}")
    return {key: Counts.from_data(key, value) for key, value in data["taxonomies"].items()}


def dump(counts: Iterable[Counts]) -> str:
    """A `MODEL_FILE`'s text: compact JSON, one taxonomy a line, so a retrained file's diff
    says which taxonomies changed."""
    lines = [f"  {json.dumps(item.taxonomy)}: {_compact(item.to_data())}" for item in counts]
    return f'{{"format": {FORMAT}, "taxonomies": {{\n' + ",\n".join(lines) + "\n}}\n"


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1)
def shipped() -> dict[str, Counts]:
    """The shipped counts, read once from this package's data (like `welsh.load_lexicon`)."""
    return parse(resources.files("board.core.data").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def model_for(taxonomy: Taxonomy) -> CategoryModel | None:
    """The shipped model for a built-in taxonomy, or None: a template's own taxonomy has no
    labelled notes, and a model whose taxonomy or way of reading words changed since it was
    trained (`fingerprint`) would judge by words it no longer reads the same way."""
    counts = shipped().get(taxonomy.key)
    if counts is None or BUILT_IN.get(taxonomy.key) != taxonomy:
        return None
    if counts.keys != (*taxonomy.keys, NONE_OF_THEM) or counts.fingerprint != fingerprint(taxonomy):
        return None
    return CategoryModel(counts)


__all__ = [
    "FILL_FROM",
    "MODEL_FILE",
    "NONE_OF_THEM",
    "SMOOTHING",
    "SURE_STANDS",
    "VETO_BELOW",
    "WEAK_LIKENESS",
    "Advice",
    "CategoryModel",
    "Counts",
    "Opinion",
    "Read",
    "Verdict",
    "combine",
    "count",
    "definitions",
    "dump",
    "features",
    "fingerprint",
    "firm",
    "model_for",
    "parse",
    "read_note",
    "said",
    "shipped",
]

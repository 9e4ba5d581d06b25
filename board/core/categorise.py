"""A note's engagement category, and where it came from.

In this order (DESIGN.md §5):

1. **explicit**: someone set the note's `category` (from its menu, or by accepting a suggestion);
2. **frame**: the note's centre lies in a frame that has a `category` (a column or region made
   from the taxonomy). With nested or overlapping frames the innermost wins (smallest area),
   then the topmost in drawing order (`(z, id)`, as `ordering.py` draws them);
3. **suggested**: what the note says points to one category clearly enough (`Suggester`:
   the category's vocabulary, examples and keywords, and the notes the workshop has already
   confirmed, `Learned`). A suggestion carries a confidence (at least `THRESHOLD`, else there
   is none) and why (the words that counted most, or the confirmed note it is like); it is
   shown as a suggestion the facilitator can accept (which makes it explicit) and is never
   promoted on its own;
4. **none**.

A category key the taxonomy does not have (a note categorised under another taxonomy, a frame
from an older template) is passed over as if unset, so everything downstream only ever sees
keys of the workshop's taxonomy.

Matching is by words, not by letters: text is case-folded, accents dropped (ŵ = w), possessives
and apostrophes removed ("children's" = "children", "citizens'" = "citizens"), hyphenated
words joined ("co-design" = "codesign", and "co design" also forms "codesign"), English plurals
made singular ("juries" = "jury") and stop words ignored; `words()` does this, and serves
duplicate finding (`duplicates.py`) too. Suggestions go further: Welsh mutations folded
(`welsh.py`, by default), short forms written out ("mtg", "cllr", "w/"), English words stemmed
(`stemming.py`), a phrase matched when its words stand close together, a small typo allowed in
a longer word ("questionaire"), a method named only as the setting counting half ("comment
cards at the roadshow", `SETTING_WEIGHT`), a word the note denies or disowns not counting
("without explaining it", "so called consultation", `NEGATORS`, `HEDGES`), what it was about
counting half ("about healthy eating", `TOPIC_WEIGHT`), a decision made together or by the
organisation not read as the community's own (`JOINT_WEIGHT`, `AUTHORITY_REACH`). A `fold`
function can be passed in place of Welsh folding; it is applied to both the note and the terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Final, TypeVar

from rapidfuzz import fuzz, process

from board.core.model import Frame, Note
from board.core.second_opinion import Advice, CategoryModel, combine, firm, model_for, read_note, said
from board.core.stemming import STOP_WORDS, TextKey, expand, singular, stem
from board.core.taxonomies import Taxonomy
from board.core.tokens import split_words
from board.core.vocabulary import (
    AUTHORITIES,
    DECIDING,
    HELPING,
    JOINT_WORDS,
    MEDIUM,
    SOLE_DECISION,
    URGED,
    URGED_NEEDS_WHOM,
    URGING_TO,
    URGING_VERBS,
    VOCABULARIES,
)
from board.core.welsh import fold_if_welsh, folder

K = TypeVar("K", bound=Hashable)

FUZZY_CUTOFF: Final = 91.0
"""Similarity (0-100, rapidfuzz `ratio`) at which two words count as one word with a typo:
"questionaire" ~ "questionnaire" is 96 and "budgetting" ~ "budgeting" 95, while "formation" ~
"information" is 90, "consultant" ~ "consultation" 82 and "survey" ~ "surgery" 77. Only words of
`FUZZY_MIN_LENGTH` letters or more are compared this way."""
FUZZY_REMEMBERED: Final = 65536
"""Words whose nearest vocabulary word a suggester remembers (a few MiB at most); past that it
starts again, so a server that runs for months does not grow with every word ever written."""
FUZZY_MIN_LENGTH: Final = 5
"""Shorter words must match exactly: one letter changes a short word completely (poll, pool)."""

THRESHOLD: Final = 0.5
"""The confidence below which no suggestion is made (the suggester abstains): one strong term
that no other category shares is 0.71, one whose word another category uses too 0.53
(`SHARED_WEIGHT`); one leaning word alone (0.46, except in a longer note, `UNCONTESTED_WORDS`),
a strong term with an equally strong one for another category (0.36), or a shared word against
a leaning word for another category (0.31), is not enough. Measured on notes in people's
own words (BENCHMARKS.md), this keeps wrong suggestions near 5 % or below."""
MOST_SURE: Final = 0.99
"""A suggestion is never certain: its confidence is at most this."""
CONFIDENCE_SCALE: Final = 0.8
"""How fast confidence grows with evidence: `1 - exp(-score / CONFIDENCE_SCALE)`."""
SHARED_WEIGHT: Final = 0.6
"""Weight of a one-word term whose word another category's terms use too ("interview": 1:1
interviews, and young people interviewing candidates; "poll"; a label such as "Consultation"
that other rungs' phrases contain), in place of a strong term's 1. The word alone says which
method, not which category: alone in a note it is still suggested (0.53), but a leaning word
for another category (`vocabulary.MEDIUM`) now leaves it below `THRESHOLD` instead of losing
to it, and a strong term for another category wins over it. Chosen on the first four
labelled sets of BENCHMARKS.md (0.55 to 0.7 do the same there): their wrong suggestions went
from 6 to 4 (a third confirmed: 3 to 1) and none that was right was lost."""
DESCRIPTION_WEIGHT: Final = 0.5
"""Weight of a word only one category's description uses, for a taxonomy with no vocabulary."""
UNCONTESTED_WORDS: Final = 5
"""Meaningful words a note needs for one leaning word, with no evidence for any other category,
to be suggested (at `THRESHOLD`): a short note's one leaning word is often only its topic
("a meeting", "GP surgery hours"), while a longer note that says nothing for any other
category has had its chance to. Measured on the labelled sets in BENCHMARKS.md, such notes
were all placed right."""
COPY_CONFIDENCE: Final = 0.95
"""The confidence of a note whose words are exactly those of notes confirmed in one category
(and in no other): the group has already said where this goes."""
_SAME: Final = 1.0 - 1e-9
_TIE: Final = 1e-9
"""Scores this close are equal (sums of the same weights in another order)."""
NEIGHBOURS: Final = (1.0, 0.5, 0.25)
"""How much a category's nearest, second and third nearest confirmed notes count: three notes
the group put in one place say more than one."""
STRONG: Final = 0.7
"""Confidence from a note's own words (`Reading`) at which they keep their category when the
workshop's confirmed notes that are like it were put elsewhere, unless those are closer still
(`CLOSE`, and more alike than the words are sure): one strong term no other category shares
(0.71) is the vocabulary's own word for what was done, while a word other categories use too
(0.53, `SHARED_WEIGHT`), one leaning word (0.46) or a term contested by another category's
(0.36) is weak, and then a disagreeing confirmed note
that is not close makes the suggester abstain."""
CLOSE: Final = 0.5
"""Confidence from the workshop's confirmed notes alone (`Reading`: their weighted
similarities, less when another category's notes are nearly as like) at which they decide
against the note's own words, when those are less sure than the notes are alike, or where
the words point nowhere: one confirmed note at half likeness, or two of one category at the
least likeness counted (`MIN_SIMILARITY`, 0.35 + 0.35 / 2). Below it, confirmed notes only
back the words' own choice."""
NEAREST_MAX: Final = 0.9
"""The most confidence likeness to confirmed notes alone gives, below a copy's
(`COPY_CONFIDENCE`): like is not the same."""
SETTING_WEIGHT: Final = 0.5
"""What a term counts for when it only names where or when something happened: "comment cards
at the exhibition" is a way of collecting views at an event that gave information, so the
comment cards decide. Measured on the older labelled sets (BENCHMARKS.md)."""
SETTING_WORDS: Final = frozenset(
    {"at", "after", "during", "outside", "before", "following", "ystod", "cyn", "wrth"}
)
"""Words that open a note's setting (English; Welsh "yn ystod", "cyn", "wrth", and "ar ôl",
`_setting`). "In" and "on" are not among them: "took part in a citizens' jury", "on the
website" name what was done."""
SETTING_ENDS: Final = frozenset(
    {"where", "to", "and", "with", "so", "for", "which", "that", "who", "but", "lle", "ac", "gyda"}
)
"""Words that close a setting: what follows is what was done again ("a stall at the market
where people filled in surveys")."""
SETTING_REACH: Final = 5
"""Words a setting runs to at most."""
TOPIC_WEIGHT: Final = 0.5
"""What a term counts for when it only names what the note was about: in "school nurse ran
sessions telling teenagers about healthy eating" the sessions are what was done and healthy
eating their subject, so a method or aim named after "about" counts as a setting does."""
TOPIC_WORDS: Final = frozenset({"about", "regarding", "concerning", "ynghylch", "ynglyn"})
"""Words that open what a note was about (to a word in `TOPIC_ENDS`, `SETTING_REACH` words at
most), unless a number follows ("about 50 residents" is how many). "On" is not among them: "on
the website", "on the committee" name what was done."""
TOPIC_ENDS: Final = SETTING_ENDS | frozenset(
    "in on at by from through via into during after before ar gan drwy trwy mewn".split()
)
"""Words that close a topic: a place or a channel follows ("read about it in the local paper")."""
NEGATORS: Final = frozenset(
    "no not never without nobody nothing none neither nor cannot cant dont doesnt didnt isnt "
    "arent wasnt werent wont wouldnt couldnt shouldnt hasnt havent hadnt dim heb neb byth nid".split()
)
"""Words that say what follows was not done (Welsh "dim", "ddim" folded to it, "heb", "neb",
"byth", "nid"): "without explaining it" explains nothing, "nobody told us" told nobody."""
_NEGATOR_STEMS: Final = frozenset(stem(word) for word in NEGATORS)
"""A term with one of these is itself a denial ("no vote"): no negator denies it."""
NOT_NEGATING: Final = frozenset({"only", "just", "ond"})
"""Words that make a negator mean "only" ("not only", "not just", Welsh "dim ond"): what
follows was done."""
NEGATION_REACH: Final = 3
"""Words after a negator that it denies: "not something to listen to"."""
HEDGES: Final = frozenset({"socalled", "supposed", "supposedly", "alleged", "allegedly"})
"""Words by which a note disowns the name it gives what follows ("so called consultation",
"so-called" and "socalled" alike): the name is the organisation's, not the note's. A name in
quotation marks ("a 'community meeting' that was really a sales pitch") is disowned too."""
_QUOTED: Final = re.compile(r"(?<!\w)['‘\"“]([^\W_][\w \-]{0,40}?)['’\"”](?!\w)")
"""One to a few words between quotation marks, which an apostrophe ("residents' panel",
"didn't") never opens or closes."""
_QUOTE_OPEN: Final = "qqquoteopen"
_QUOTE_CLOSE: Final = "qqquoteclose"
"""Put around a quoted name before the text is folded and split (folding drops punctuation),
and taken out again once its words' positions are known (`_unquoted`)."""
NEGATION_ENDS: Final = frozenset(
    {"but", "and", "so", "then", "yet", "though", "although", "while", "because", "instead", "ond", "ac"}
)
"""Words that end what a negator denies: "no promises but a survey every year" did a survey."""
URGED_MARK: Final = "+urged"
"""What `features` adds to a note that presses people to do something (`urged`): no word is
spelt so, so only the term `Suggester` makes for `vocabulary.URGED`'s category matches it."""
URGED_WEIGHT: Final = 1.5
"""What pressing people counts for, against a strong term's 1: more than the poster or letter
that carried it ("posters everywhere telling you to get your jab" is Persuasion), so the
message's aim, not its carrier, decides."""
URGED_REACH: Final = 3
"""Words at most between an urging verb and its "to": "telling all the parents to"."""
JOINT_WEIGHT: Final = 0.5
"""What a category in which the community decides alone (`vocabulary.SOLE_DECISION`) counts for
in a note that says it was done together (`vocabulary.JOINT_WORDS`): "residents and officers
decide together" is a shared decision, not residents deciding."""
AUTHORITY_REACH: Final = 3
"""Words after "they", "the council" or "officers" (`vocabulary.AUTHORITIES`) in which a word
for the community deciding is the organisation deciding: "two of us on the board but they
decide", "then they decided", "officers make the decisions"."""
HELPING_REACH: Final = 2
"""Words after "help" (`vocabulary.HELPING`) in which a deciding word is a decision the community
helped make, not its own: "helped choose", "helped to decide", "helpu i ddewis"."""
PASSIVE: Final = frozenset({"chosen"})
"""Deciding words that say someone was decided on, not that they decided ("a group of randomly
chosen people"): the community chosen is not the community choosing."""
PASSIVE_AFTER: Final = frozenset({"was", "were", "been", "being", "is", "are", "be", "get", "got"})
"""Words that make the deciding word after them (one word may come between) passive: "it was
decided", "we were picked"."""
PASSIVE_PARTICIPLES: Final = frozenset({"decided", "chosen", "picked", "selected", "elected", "voted"})
"""What follows `PASSIVE_AFTER` in a passive: "residents were selected" (no one says who chose)."""
PASSIVE_AGENT_REACH: Final = 3
"""Words after a passive deciding word in which "by" names who decided: "the scheme chosen by
residents" is the residents' decision."""
PHRASE_SPAN: Final = 3
"""Words that may come between or around the words of a phrase for it still to match."""
MIN_SIMILARITY: Final = 0.35
"""Similarity (cosine over idf-weighted meaning, `Suggester.meaning`, 0-1) below which a
confirmed note is not "like"."""
PROFILE_WEIGHT: Final = 1.0
"""What a category's confirmed notes together add, times the note's similarity to them
(`Learned.profile`): as much as a strong term at full likeness."""
MIN_PROFILE: Final = 0.1
"""Similarity to a category's confirmed notes together below which they add nothing."""
LEANING: Final = "@"
"""What `Suggester.meaning` writes before a category the note's words point to ("@consult"):
two notes that both lean to a category are that much more alike, but a likeness needs a word
in common too (`Learned.nearest`)."""
LOCAL_SHARE: Final = 0.2
"""The share of a workshop's notes above which a word or pair of words is its topic ("the
harbour", "the housing estate"), not its name for one thing that was done (`Learned.local`):
a session's recurring things (the Hub drop-in, the Your Say survey) are each mentioned by a few
of its people, not by most."""
LOCAL_WORD_CARRIERS: Final = 2
"""Confirmed notes that must carry a single word for it to be the workshop's name for a thing
(`Learned.local`): one note's word is as often its topic as its name ("council", "school"),
while two words side by side ("cas chat") are a name from the first note that carries them.
Measured: with one carrier enough, a word alone filled a silence wrongly on the kept-aside
sixth and seventh sets (one note each) while the workshop-like sets gained two or three."""
LOCAL_WEAK: Final = 0.5
"""A name's sureness at or below which it only fills a silence or backs the note's own words
(`_either`): one confirmed note naming "older people" is no reason to doubt a coffee
morning's own words. A single word, however many notes carry it, is never surer than this:
even a recurring word may be the topic ("dementia" in a dementia workshop)."""
PROFILE_WORDS: Final = 2
"""Words a note must share with a confirmed note (`Learned.nearest`, unless it is a copy), or
with a category's confirmed notes together (`Learned.profile`), for them to count: one shared
word is most often the workshop's topic ("options", "the park"), not what was done."""


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
    matched: str | None
    """The term that counted most, as the taxonomy or vocabulary writes it ("Citizen juries");
    None when the suggestion comes from a confirmed note (`like`)."""
    alternatives: tuple[str, ...] = ()
    """Other categories that also had evidence, best first: ("SMS text" is listed under two)."""
    like: str | None = None
    """The text of the workshop's confirmed note this one is most like, when that is what
    counted most: "like 'Residents' panel on …', which you put in Getting Information"."""
    basis: float | None = None
    """How sure what it rests on is by itself, before the rest of the workshop's confirmed
    notes backed it: the note's own words' confidence, or the likeness to the confirmed note
    (`like`); None when that is `confidence`. The second opinion weighs this, not the backed
    confidence (`second_opinion.combine`): weak words a workshop's notes lean the same way are
    surer to show, not beyond the model's doubt."""

    @property
    def own(self) -> float:
        """`basis`, or `confidence` when nothing backed it."""
        return self.confidence if self.basis is None else self.basis


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
    like: str | None = None
    """The confirmed note behind a suggestion, when it came from the workshop's examples."""

    @property
    def confirmed(self) -> bool:
        """Set by a person, directly or by placing the note in a frame (not a suggestion)."""
        return self.source in (Source.EXPLICIT, Source.FRAME)


UNCATEGORISED: Final = Assignment(None, Source.NONE)


# --- suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Term:
    category: int
    text: str
    """As written (in the taxonomy or the vocabulary): what the facilitator is shown."""
    stems: frozenset[str]
    weight: float


_HYPHEN: Final = re.compile(r"[-‐‑]")


def _close(stems: frozenset[str], where: Mapping[str, list[int]]) -> bool:
    """Whether one occurrence of each of the stems lies within a span of `PHRASE_SPAN` more
    words than there are stems: "residents decide" meets "residents will decide", not
    "residents ... (a sentence later) ... decide"."""
    if len(stems) < 2:
        return True
    reach = len(stems) + PHRASE_SPAN
    starts = sorted({position for word in stems for position in where[word]})
    return any(
        all(any(start <= position < start + reach for position in where[word]) for word in stems)
        for start in starts
    )


def _shared_weakened(terms: tuple[_Term, ...]) -> tuple[_Term, ...]:
    """The terms, each one-word term at full weight whose word is also in a term of another
    category weighed `SHARED_WEIGHT`: a word several categories use is weaker evidence for
    any one of them. Longer terms keep their weight: their words together are the method."""
    categories: dict[str, set[int]] = {}
    for term in terms:
        for word in term.stems:
            categories.setdefault(word, set()).add(term.category)
    return tuple(
        _Term(term.category, term.text, term.stems, SHARED_WEIGHT)
        if len(term.stems) == 1 and term.weight > SHARED_WEIGHT and len(categories[min(term.stems)]) > 1
        else term
        for term in terms
    )


def _content(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(token) for token in tokens if token not in STOP_WORDS)


class Suggester:
    """Suggests categories for one taxonomy from what a note's words mean.

    Each category is described by terms: its label, its examples and keywords (weight 1), the
    built-in vocabulary of its meaning (`vocabulary.py`: strong terms 1, leaning words
    `vocabulary.MEDIUM`; a one-word term whose word another category's terms use too
    `SHARED_WEIGHT`), and for a taxonomy with no vocabulary (a template's own) the words
    of its description that no other category's description uses (`DESCRIPTION_WEIGHT`). Text
    on both sides is folded (Welsh mutations, `welsh.fold_text`, unless another `fold` is
    given), split into words, made singular and stemmed (`stemming.py`), so "consulted" meets
    "consultation" and "nghyfarfod" meets "cyfarfod". A term matches when all its words are in
    the note (a small typo allowed in a long word); a matched term that is part of a longer
    matched term does not count again. A category's score is the sum of its matched terms'
    weights (backed, for the first, by the workshop's confirmed notes of that category taken
    together). When the workshop has confirmed notes (`Learned`), the nearest of them by
    meaning are weighed against the words by `Reading`.

    The confidence of the best category is `strength * (1 + margin) / 2`, where `strength =
    1 - exp(-score / CONFIDENCE_SCALE)` grows with the evidence and `margin = (best - second)
    / best` falls when another category has nearly as much. Below `THRESHOLD` it abstains.

    Prepared once per taxonomy and fold (`suggester()` caches it). Pure and deterministic:
    the same text and the same examples always get the same answer.
    """

    def __init__(
        self, taxonomy: Taxonomy, *, fold: TextKey | None = None, model: CategoryModel | None = None
    ) -> None:
        self.taxonomy = taxonomy
        self._fuzzy: dict[str, tuple[str, float] | None] = {}
        described: list[tuple[int, str, float]] = []
        for index, category in enumerate(taxonomy.categories):
            texts = (category.label.en, category.label.cy or "", *category.examples, *category.keywords)
            described += [(index, text, 1.0) for text in texts]
            words_of = VOCABULARIES.get(taxonomy.key, {}).get(category.key)
            if words_of is not None:
                described += [(index, text, 1.0) for text in words_of.strong]
                described += [(index, text, MEDIUM) for text in words_of.medium]
        self._fold = fold if fold is not None else _welsh_fold([text for _, text, _ in described])
        terms: dict[tuple[int, frozenset[str]], _Term] = {}
        for index, text, weight in described:
            # A one-letter word says nothing on its own ("q&a" would match any "q"), but a
            # number is part of what the term names: "5 a day" without its 5 is any "day".
            stems = frozenset(word for word in self.stems(text) if len(word) > 1 or word.isdigit())
            known = terms.get((index, stems))
            if stems and (known is None or known.weight < weight):
                terms[(index, stems)] = _Term(index, text, stems, weight)
        urged = URGED.get(taxonomy.key)
        self._carrier: int | None = None
        """The category a message's carrier points to, weaker in a note that presses people."""
        self._urged: int | None = None
        """The category of a message that presses people (Persuasion)."""
        if urged is not None:
            index, self._carrier = taxonomy.keys.index(urged[0]), taxonomy.keys.index(urged[1])
            self._urged = index
            terms[(index, frozenset({URGED_MARK}))] = _Term(
                index, "people pressed to do something", frozenset({URGED_MARK}), URGED_WEIGHT
            )
        if taxonomy.key not in VOCABULARIES:
            for term in self._described(terms):
                terms.setdefault((term.category, term.stems), term)
        self._terms = _shared_weakened(tuple(terms.values()))
        sole = SOLE_DECISION.get(taxonomy.key, frozenset())
        self._sole = frozenset(i for i, c in enumerate(taxonomy.categories) if c.key in sole)
        self._joint = frozenset(word for text in JOINT_WORDS for word in self.stems(text))
        self._deciding = frozenset(word for text in DECIDING for word in self.stems(text))
        by_stem: dict[str, list[int]] = {}
        for position, term in enumerate(self._terms):
            by_stem.setdefault(min(term.stems), []).append(position)
        self._by_stem = {key: tuple(value) for key, value in by_stem.items()}
        vocabulary = {word for term in self._terms for word in term.stems}
        self._vocabulary = frozenset(vocabulary)
        by_length: dict[int, list[str]] = {}
        for word in sorted(vocabulary):
            if len(word) >= FUZZY_MIN_LENGTH and word.isalpha():
                by_length.setdefault(len(word), []).append(word)
        self._by_length = by_length
        self._model = model if model is not None else model_for(taxonomy)
        """The second opinion learned from labelled notes: the shipped one (None for a
        template's own taxonomy) unless another is given, as when it is measured trained
        without the notes it is measured on (`bench.second_opinion --warm`)."""

    def _described(self, known: Mapping[tuple[int, frozenset[str]], _Term]) -> list[_Term]:
        """Words of a category's description that no other category's description (or terms)
        use: "money" in "communities hold the money", when only that category mentions it."""
        described = [
            self.stems(c.description.en) | self.stems(c.description.cy or "")
            for c in self.taxonomy.categories
        ]
        seen: Counter[str] = Counter(word for words_of in described for word in words_of)
        termed = {word for term in known.values() for word in term.stems}
        return [
            _Term(index, word, frozenset({word}), DESCRIPTION_WEIGHT)
            for index, words_of in enumerate(described)
            for word in sorted(words_of)
            if seen[word] == 1 and word not in termed and len(word) >= 4
        ]

    @staticmethod
    def _words(folded: str) -> list[str]:
        """The (folded) text's words, short forms written out ("mtg" -> "meeting",
        `stemming.ABBREVIATIONS`) and made singular."""
        return [singular(word) for word in expand(split_words(folded))]

    def stems(self, text: str) -> frozenset[str]:
        """The text's meaningful words, folded, singular and stemmed (stop words dropped), a
        hyphenated word as one ("co-design" -> "codesign"): a term's words."""
        return _content(self._words(self._fold(text))) if text else frozenset()

    def note_stems(self, text: str) -> frozenset[str]:
        """`stems` with hyphenated words apart ("co", "design"): a note's words, which `features`
        joins again in pairs for matching, and which `Learned` compares notes by."""
        return _content(self._words(_HYPHEN.sub(" ", self._fold(text)))) if text else frozenset()

    def features(self, text: str) -> Features:
        """The note's stems; and for matching, those stems with each pair of neighbours joined
        ("co design" and "co-design" -> "codesign") and each long unknown word's nearest
        vocabulary stem when it is a small typo away, with how well it matched (1.0 =
        exactly), where in the note it stands (word positions, for `PHRASE_SPAN`) and which
        positions only name the setting (`_setting`) or are denied (`_denied`)."""
        if "'" in text or '"' in text or "‘" in text or "“" in text:
            text = _QUOTED.sub(lambda quoted: f" {_QUOTE_OPEN} {quoted[1]} {_QUOTE_CLOSE} ", text)
        tokens, quoted = _unquoted(self._words(_HYPHEN.sub(" ", self._fold(text))))
        content = _content(tokens)
        found: dict[str, float] = {}
        where: dict[str, list[int]] = {}
        order: list[str] = []
        for position, token in enumerate(tokens):
            word = "" if token in STOP_WORDS else stem(token)
            order.append(word)
            if word:
                found[word] = 1.0
                where.setdefault(word, []).append(position)
        for position, (a, b) in enumerate(pairwise(tokens)):
            word = stem(a + b)
            found.setdefault(word, 1.0)
            where.setdefault(word, []).append(position)
        pressed = urged(tokens)
        if pressed is not None:
            found[URGED_MARK] = 1.0
            where[URGED_MARK] = [pressed]
            verb = order[pressed]  # "telling" presses here: it does not also tell
            if where.get(verb) == [pressed]:
                del found[verb], where[verb]
        for word in sorted(content):  # real words only: a joined pair is not a typo
            if len(word) < FUZZY_MIN_LENGTH or word in self._vocabulary or not word.isalpha():
                continue
            near = self._near(word)
            if near is not None and found.get(near[0], 0.0) < near[1]:
                found[near[0]] = near[1]
                where.setdefault(near[0], []).extend(where[word])
        return Features(
            content,
            found,
            where,
            _setting(tokens),
            tuple(order),
            _denied(tokens) | quoted,
            _topic(tokens),
            _after(tokens, AUTHORITIES, AUTHORITY_REACH)
            | _after(tokens, HELPING, HELPING_REACH)
            | _passive(tokens),
        )

    def _near(self, word: str) -> tuple[str, float] | None:
        if word not in self._fuzzy:
            # A ratio of FUZZY_CUTOFF or more needs lengths within a letter or two of each other.
            lengths = range(len(word) - 2, len(word) + 3)
            near = [other for length in lengths for other in self._by_length.get(length, ())]
            hit = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if len(self._fuzzy) >= FUZZY_REMEMBERED:
                self._fuzzy.clear()
            self._fuzzy[word] = None if hit is None else (hit[0], hit[1] / 100.0)
        return self._fuzzy[word]

    def _matched(self, note: Features) -> list[tuple[_Term, float]]:
        """The terms all of whose words are in the note close together (`PHRASE_SPAN`), with
        their weight times how well the worst of their words matched, and times
        `SETTING_WEIGHT` for a term that only names the setting, or that names the carrier of a
        message pressing people to do something or named by a strong term of the category
        such messages are (`vocabulary.URGED`: "nudge letters"); a term the note denies
        ("without explaining it", `Features.weight`) does not count, and a term inside a longer
        matched one is dropped."""
        found, where = note.found, note.where
        candidates = sorted({p for word in found for p in self._by_stem.get(word, ())})
        carrier = self._carrier if URGED_MARK in found else None
        hits = [
            (
                term,
                term.weight
                * min(found[word] for word in term.stems)
                * (
                    min(SETTING_WEIGHT, note.weight(term.stems))
                    if term.category == carrier
                    else note.weight(term.stems)
                ),
            )
            for term in (self._terms[p] for p in candidates)
            if term.stems <= found.keys() and _close(term.stems, where)
        ]
        hits = [hit for hit in hits if hit[1] > 0 and not self._theirs(hit[0], note)]
        hits.sort(key=lambda hit: (-len(hit[0].stems), -hit[1], hit[0].category, hit[0].text))
        kept: list[tuple[_Term, float]] = []
        for term, weight in hits:
            if not any(term.stems < longer.stems for longer, _ in kept):
                kept.append((term, weight))
        # A message named by what it wants done ("nudge letters", "stop smoking leaflets", at
        # full weight: not only its topic) is that message, whatever carried it.
        if carrier is None and any(term.category == self._urged and weight >= 1.0 for term, weight in kept):
            kept = [
                (
                    term,
                    min(weight, term.weight * SETTING_WEIGHT) if term.category == self._carrier else weight,
                )
                for term, weight in kept
            ]
        return kept

    def _theirs(self, term: _Term, note: Features) -> bool:
        """Whether the term is a word for the community deciding (`vocabulary.SOLE_DECISION`,
        `vocabulary.DECIDING`) that the note says the organisation did, or that people helped
        it do: "two of us on the project board but they decide" (`vocabulary.AUTHORITIES`),
        "pobl ifanc yn helpu dewis" (`vocabulary.HELPING`)."""
        deciding = term.stems & self._deciding  # "residents decide": who decides is "decide"'s
        return term.category in self._sole and bool(deciding) and note.only_at(deciding, note.theirs)

    def scores(self, text: str, learned: Learned | None = None) -> list[Score]:
        """Every category the note's own words point to, best first (with a workshop's
        confirmed notes taken together, `Learned.profile`, backing them): the words' side of
        `suggest`; its confirmed notes' side is `Learned.nearest`."""
        ours = self._ours(learned)
        read = self._read(text, ours)
        words, first = self._word_scores(read.note, read.matched)
        if ours is None:
            return words
        return _backed(words, first, ours.profile(read.meaning), self.taxonomy)

    def _read(self, text: str, learned: Learned | None = None) -> _Read:
        """The note's features, the terms they match and its meaning: as the workshop's
        confirmed notes already read it (`Learned.read`), else read now."""
        read = learned.read(text, self) if learned is not None else None
        if read is None:
            note = self.features(text)
            matched = self._matched(note)
            read = _Read(note, matched, self._meaning(note, matched))
        return read

    def _ours(self, learned: Learned | None) -> Learned | None:
        """The workshop's confirmed notes, when they were learned for this taxonomy."""
        return learned if learned is not None and learned.taxonomy is self.taxonomy else None

    def _word_scores(
        self, note: Features, matched: list[tuple[_Term, float]]
    ) -> tuple[list[Score], frozenset[int]]:
        """The categories the note's own words point to, best first, with nothing learned; and
        which of them the workshop's confirmed notes may back (`_backed`): the words' first
        choice, or every category tied for first. A tie is no choice of the words', so the
        group's confirmed notes may break it; which category a taxonomy happens to list first
        must not ("one token young person on the board": Manipulation and Placation alike)."""
        if not note.found:
            return [], frozenset()
        joint = bool(self._joint & note.found.keys())
        evidence: dict[int, list[tuple[_Term, float]]] = {}
        for term, weight in matched:
            shared = joint and term.category in self._sole
            evidence.setdefault(term.category, []).append((term, weight * JOINT_WEIGHT if shared else weight))
        totals = {index: sum(weight for _, weight in terms) for index, terms in evidence.items()}
        top = max(totals.values(), default=0.0)
        first = frozenset(index for index, total in totals.items() if total >= top - _TIE)
        scored = []
        for index in sorted(evidence):
            terms = sorted(evidence[index], key=lambda hit: (-hit[1], hit[0].text))
            score = sum(weight for _, weight in terms)
            if score > 0:
                scored.append(Score(self.taxonomy.categories[index].key, score, terms[0][0].text, index))
        scored.sort(key=lambda item: (-item.score, item.position))
        return scored, first

    def meaning(self, text: str) -> frozenset[str]:
        """What `Learned` compares notes by: their stems, the vocabulary words they meet (a
        typo or a short form read as the word), and each vocabulary term they match as one
        concept ("=survey"), so "questionaire about the libary" and "questionnaire on
        library hours" share three things, not one, while two notes that only share a topic
        word ("the park") share one."""
        return self._read(text).meaning

    def _meaning(self, note: Features, matched: list[tuple[_Term, float]]) -> frozenset[str]:
        known = {word for word in note.found if word in self._vocabulary}
        concepts = {"=" + term.text.casefold() for term, _ in matched}
        leanings = {LEANING + self.taxonomy.categories[term.category].key for term, _ in matched}
        return note.content | known | concepts | leanings

    def suggest(self, text: str, learned: Learned | None = None) -> Suggestion | None:
        """The best category for a note's text, or None: what its words and the workshop's
        confirmed notes say (`by_words`), weighed by the model learned from labelled notes
        (`second_opinion.combine`): where they are weak and the model is sure of another
        category, the model's; where the words gave none and it is sure, the model's; a weak
        one it finds very unlikely, none."""
        found = self.by_words(text, learned)
        if self._model is None or (found is not None and firm(found.own, like=found.like is not None)):
            return found  # the model could change nothing: spare reading the note again
        note = read_note(text)  # once, for the opinion and for what it says counted
        opinion = self._model.opinion(note)
        if found is None:
            verdict = combine(None, None, opinion)
        else:
            verdict = combine(found.category, found.own, opinion, like=found.like is not None)
        if verdict.advice is Advice.VETOED:
            return None
        if verdict.advice in (Advice.FILLED, Advice.OVERRULED) and opinion is not None:
            sure = min(opinion.probability, MOST_SURE)
            return Suggestion(opinion.category, sure, said(note, opinion.words))
        return found

    def by_words(self, text: str, learned: Learned | None = None) -> Suggestion | None:
        """The best category by the note's words and the workshop's confirmed notes, or None
        when the evidence is below `THRESHOLD` (`Reading.decide`). The words are scored once;
        the confirmed notes taken together are
        added on top, so how sure the words are alone (which reason the facilitator is shown)
        needs no second scoring."""
        ours = self._ours(learned)
        read = self._read(text, ours)
        words, first = self._word_scores(read.note, read.matched)
        alone = self._confidence(read.note, words)
        if ours is None:
            return Reading(self.taxonomy, words, alone, {}, alone).decide()
        ranked = _backed(words, first, ours.profile(read.meaning), self.taxonomy)
        confidence = self._confidence(read.note, ranked)
        named = ours.local(read.note)
        said = words[0].position if words else None  # the note's own words' first choice
        if said is not None and alone < STRONG and _named_only(read.matched, named, said):
            ranked, confidence, alone, said = [], 0.0, 0.0, None  # they only said the name
        near = _either(ours.nearest(read.meaning), named, said)
        return Reading(self.taxonomy, ranked, confidence, near, alone).decide()

    def _confidence(self, note: Features, ranked: Sequence[Score]) -> float:
        """How sure the note's own words are of their best category: `strength * (1 + margin)
        / 2`, raised to `THRESHOLD` for a longer note uncontested (`_uncontested`)."""
        if not ranked:
            return 0.0
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        strength = 1.0 - math.exp(-best.score / CONFIDENCE_SCALE)
        margin = (best.score - runner_up) / best.score
        confidence = round(min(strength * (1.0 + margin) / 2.0, MOST_SURE), 2)
        if confidence < THRESHOLD and self._uncontested(note, ranked):
            return THRESHOLD
        return confidence

    def _uncontested(self, note: Features, ranked: Sequence[Score]) -> bool:
        """Whether the note's evidence, a leaning word's worth or more, is for one category (any
        other has less than half a leaning word: a faint likeness to confirmed notes), in a note
        long enough (`UNCONTESTED_WORDS`) that nothing pointing elsewhere is telling:
        "kids designed the new play park with the architects" is Participation on "design"
        alone, while in "GP surgery hours" a leaning word is just the topic."""
        return (
            ranked[0].matched is not None  # a word of the category's, not likeness alone
            and ranked[0].score >= MEDIUM
            and (len(ranked) == 1 or ranked[1].score < MEDIUM / 2)
            and len(note.content) >= UNCONTESTED_WORDS
        )


def _named_only(matched: Sequence[tuple[_Term, float]], named: Mapping[int, Near], words: int) -> bool:
    """Whether every word the note's (weak) reading rests on is part of a name the workshop's
    confirmed notes place elsewhere than the words' first choice (`Learned.local`): "Cas
    Chat" leans to debate by "chat", but the group put the Cas Chat magazine in Giving
    Information, so in a note naming it the words count as silent, and the name speaks."""
    if not matched or not named or words in named:
        return False
    words_of = {word for name in named.values() if " " in name.term for word in name.term.split()}
    return all(term.stems <= words_of for term, _ in matched)


def _surer(name: Near, other: Near) -> bool:
    """Whether a name is better evidence than another for the same category: surer, or as sure
    and two words (what `_named_only` reads) rather than one."""
    return (name.support, " " in name.term) > (other.support, " " in other.term)


def _either(near: dict[int, Near], named: dict[int, Near], words: int | None) -> dict[int, Near]:
    """For each category, whichever says more: its confirmed notes' likeness to the note
    (`Learned.nearest`), or a name they share with it (`Learned.local`). A weak name
    (`LOCAL_WEAK`) only fills a silence, where neither the note's own words (their first
    choice `words`) nor anything else learned points elsewhere, or backs the words' own
    choice; it never casts doubt on them, nor on a stronger name."""
    weak = {}
    for category, name in named.items():
        if name.support <= LOCAL_WEAK:
            weak[category] = name
        elif category not in near or name.support > near[category].support:
            near[category] = name
    silence = words is None and not near.keys() - weak.keys()
    usable = weak if silence else {category: name for category, name in weak.items() if category == words}
    for category, name in usable.items():
        if category not in near or name.support > near[category].support:
            near[category] = name
    return near


def _backed(
    words: list[Score], first: frozenset[int], profile: Mapping[int, float], taxonomy: Taxonomy
) -> list[Score]:
    """The words' scores with a workshop's confirmed notes taken together (`Learned.profile`)
    added, best first. They back the words' own first choice (any of the categories tied for
    it), or speak when the words are silent; they never make a rival of another category (a
    shared topic word, "options"), so learning never undoes what the words found."""
    if not profile:
        return words
    by_position = {score.position: score for score in words}
    scored = []
    for index in sorted(by_position.keys() | profile.keys()):
        backed = index in first or not first
        from_profile = PROFILE_WEIGHT * profile.get(index, 0.0) if backed else 0.0
        known = by_position.get(index)
        score = (known.score if known is not None else 0.0) + from_profile
        if score > 0:
            matched = known.matched if known is not None else None
            scored.append(Score(taxonomy.categories[index].key, score, matched, index))
    scored.sort(key=lambda item: (-item.score, item.position))
    return scored


@dataclass(frozen=True, slots=True)
class Reading:
    """A note's two readings, and the rule that weighs them: what its own words say (`ranked`,
    `confidence`) and which of the workshop's confirmed notes it is like (`near`).

    - A copy of notes confirmed in one category gets that category (`COPY_CONFIDENCE`).
    - Nothing confirmed is like it: its words decide, exactly as with nothing learned.
    - The nearest confirmed notes agree with its words: each backs the other (`1 - (1 - a)(1 -
      b)`), so two weak readings that agree can make a suggestion.
    - They disagree: the confirmed notes decide when they are close (`CLOSE`) and more alike
      than the words are sure (a weak reading); else the words, when they are strong
      (`STRONG`); when neither is, no suggestion.
    """

    taxonomy: Taxonomy
    ranked: Sequence[Score]
    confidence: float
    near: Mapping[int, Near]
    alone: float
    """The words' confidence without the confirmed notes taken together (`Learned.profile`)."""

    def decide(self) -> Suggestion | None:
        copies = [index for index, found in self.near.items() if found.similarity >= _SAME]
        if len(copies) == 1:
            return self._from_examples(copies[0], COPY_CONFIDENCE)
        if not self.near:
            return self._from_words(self.confidence) if self.confidence >= THRESHOLD else None
        index, likeness = self._nearest()
        words = self.ranked[0].position if self.ranked else None
        if index == words:
            together = round(min(1.0 - (1.0 - self.confidence) * (1.0 - likeness), MOST_SURE), 2)
            if together < THRESHOLD:
                return None
            # Which side counted most is the reason shown: the words, or the note it is like.
            if self.alone >= likeness:
                return self._from_words(together)
            return self._from_examples(index, together, likeness)
        if likeness >= CLOSE and likeness > self.confidence:
            return self._from_examples(index, likeness, likeness)
        if self.confidence >= STRONG:
            return self._from_words(self.confidence)
        return None

    def _nearest(self) -> tuple[int, float]:
        """The category whose confirmed notes are most like the note, and how sure that alone
        makes it: their weighted similarities (`NEIGHBOURS`) times `(1 + margin) / 2`, as for
        words, where the margin falls when another category's notes are nearly as like."""
        support = sorted(((-found.support, index) for index, found in self.near.items()))
        best, index = -support[0][0], support[0][1]
        rival = -support[1][0] if len(support) > 1 else 0.0
        margin = (best - rival) / best
        return index, round(min(best * (1.0 + margin) / 2.0, NEAREST_MAX), 2)

    def _from_words(self, confidence: float) -> Suggestion:
        best = self.ranked[0]
        return Suggestion(
            category=best.category,
            confidence=confidence,
            matched=best.matched,
            alternatives=self._alternatives(best.position),
            basis=None if confidence == self.alone else self.alone,
        )

    def _from_examples(self, index: int, confidence: float, likeness: float | None = None) -> Suggestion:
        return Suggestion(
            category=self.taxonomy.categories[index].key,
            confidence=confidence,
            matched=None,
            alternatives=self._alternatives(index),
            like=self.near[index].text,
            basis=None if likeness in (None, confidence) else likeness,
        )

    def _alternatives(self, chosen: int) -> tuple[str, ...]:
        """The other categories with evidence, the words' first, then the confirmed notes'."""
        others = [item.position for item in self.ranked] + sorted(
            self.near, key=lambda index: (-self.near[index].support, index)
        )
        seen: dict[int, None] = dict.fromkeys(index for index in others if index != chosen)
        return tuple(self.taxonomy.categories[index].key for index in seen)


@dataclass(frozen=True, slots=True)
class Features:
    """A note's words as `Suggester.features` reads them."""

    content: frozenset[str]
    """Its meaningful stems (what `Learned` compares)."""
    found: dict[str, float]
    """Stems to match terms with, and how well each matched (1.0 = exactly, less for a typo)."""
    where: dict[str, list[int]]
    """Each stem's word positions."""
    setting: frozenset[int]
    """Positions of the words that only say where or when ("at the exhibition")."""
    order: tuple[str, ...] = ()
    """Each word's stem in the note's order, "" for a stop word: its names (`local_terms`)."""
    denied: frozenset[int] = frozenset()
    """Positions of the words a negator denies ("without explaining it") or the note disowns
    ("so called consultation", "a 'community meeting'"): `_denied`."""
    topic: frozenset[int] = frozenset()
    """Positions of the words that say what the note was about ("about healthy eating")."""
    theirs: frozenset[int] = frozenset()
    """Positions of the words just after "they", "the council", "officers" (`AUTHORITY_REACH`),
    or "helped" (`HELPING_REACH`), and of deciding words in the passive (`_passive`): what the
    organisation did, or did with help, or what was done to people ("they decide", "helped
    choose", "randomly chosen people")."""

    def only_at(self, stems: frozenset[str], positions: frozenset[int]) -> bool:
        """Whether every occurrence of the stems is at one of the positions."""
        return bool(positions) and all(p in positions for word in stems for p in self.where[word])

    def local_terms(self) -> frozenset[str]:
        """What may be the workshop's own name for something (`Learned.local`): each word, and
        each two neighbouring words ("cas chat", "wrexham life", "neighbourhood board"), outside
        the note's setting: "at the Hub" says where, and many things happen at the Hub. Words of
        one or two letters and numbers are no names ("nhw'n", "1-5")."""
        order = [word if len(word) > 2 and word.isalpha() else "" for word in self.order]
        setting = self.setting
        terms = {word for position, word in enumerate(order) if word and position not in setting}
        for position, (first, second) in enumerate(pairwise(order)):
            if first and second and not (position in setting and position + 1 in setting):
                terms.add(f"{first} {second}")
        return frozenset(terms)

    def denies(self, stems: frozenset[str], positions: list[int]) -> bool:
        """Whether the note denies or disowns a term (one that is not itself a denial, "no
        vote", "heb bleidlais"): every occurrence of its words is in a negator's reach, or a
        phrase of several words begins there ("nobody asked what we thought": the denial runs
        on to the end of the phrase it began). Measured on the labelled sets, the second rule
        put three notes right ("not to hear what we thought") and one wrong (a centre named
        "Forget Me Not")."""
        if not self.denied or stems & _NEGATOR_STEMS:
            return False
        if all(position in self.denied for position in positions):
            return True
        return len(stems) > 1 and min(positions) in self.denied

    def weight(self, stems: frozenset[str]) -> float:
        """What a term with these stems counts for here: nothing when it is denied or disowned
        (`denies`), `SETTING_WEIGHT` when every occurrence of its words is in the setting,
        `TOPIC_WEIGHT` when every one is in the setting or the topic, else all of it."""
        positions = [position for word in stems for position in self.where[word]]
        if self.denies(stems, positions):
            return 0.0
        if self.setting and all(p in self.setting for p in positions):
            return SETTING_WEIGHT
        if self.topic and all(p in self.topic or p in self.setting for p in positions):
            return TOPIC_WEIGHT
        return 1.0


@dataclass(frozen=True, slots=True)
class _Read:
    """A note as `Suggester` reads it (`Suggester._read`): shared, never changed."""

    note: Features
    matched: list[tuple[_Term, float]]
    meaning: frozenset[str]


_URGING_STEMS: Final = frozenset(stem(verb) for verb in URGING_VERBS)
_URGED_NEEDS_WHOM_STEMS: Final = frozenset(stem(verb) for verb in URGED_NEEDS_WHOM)


def urged(tokens: Sequence[str]) -> int | None:
    """The position of a verb that presses someone to do something (`vocabulary.URGING_VERBS`,
    in any of its forms: compared by stem) followed within `URGED_REACH` words by "to" (Welsh
    "i", "am") and a word that is not a stop word: "telling you to get", "pushing us to use",
    "trying to get parents to leave", "annog pobl i gerdded". "Sent to the school" and "get to
    the meeting" press nobody: a stop word follows, or nobody stands between
    (`vocabulary.URGED_NEEDS_WHOM`)."""
    for index, token in enumerate(tokens):
        verb = stem(token)
        if verb not in _URGING_STEMS:
            continue
        for position in range(index + 1, min(index + 2 + URGED_REACH, len(tokens) - 1)):
            if tokens[position] not in URGING_TO:
                continue
            whom = position - index - 1
            following = tokens[position + 1]
            if following not in STOP_WORDS and (whom > 0 or verb not in _URGED_NEEDS_WHOM_STEMS):
                return index
            break
    return None


def _unquoted(tokens: list[str]) -> tuple[list[str], frozenset[int]]:
    """The tokens without the marks `Suggester.features` put around quoted names, and the
    positions of the quoted words."""
    if _QUOTE_OPEN not in tokens:
        return tokens, frozenset()
    kept: list[str] = []
    quoted: set[int] = set()
    inside = False
    for token in tokens:
        if token in (_QUOTE_OPEN, _QUOTE_CLOSE):
            inside = token == _QUOTE_OPEN
        else:
            if inside:
                quoted.add(len(kept))
            kept.append(token)
    return kept, frozenset(quoted)


def _denied(tokens: Sequence[str]) -> frozenset[int]:
    """Positions of the words a negator (`NEGATORS`) denies or a hedge (`HEDGES`, "so called")
    disowns: up to `NEGATION_REACH` words after it, to a word that ends a clause
    (`NEGATION_ENDS`). "Not only" and "dim ond" deny nothing."""
    positions: set[int] = set()
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token == "so" and following == "called":
            start = index + 2
        elif token in HEDGES or (token in NEGATORS and following not in NOT_NEGATING):
            start = index + 1
        else:
            continue
        for position in range(start, min(start + NEGATION_REACH, len(tokens))):
            if tokens[position] in NEGATION_ENDS:
                break
            positions.add(position)
    return frozenset(positions)


def _after(tokens: Sequence[str], words: frozenset[str], reach: int) -> frozenset[int]:
    """Positions of the `reach` words after each of `words` in the note."""
    return frozenset(
        position
        for index, token in enumerate(tokens)
        if token in words
        for position in range(index + 1, min(index + 1 + reach, len(tokens)))
    )


def _passive(tokens: Sequence[str]) -> frozenset[int]:
    """Positions of deciding words in the passive with no one named as deciding ("randomly
    chosen people", "it was decided"; not "chosen by residents"): someone was decided on, or
    who decided goes unsaid, so it is no sign the community did."""
    positions: set[int] = set()
    for index, token in enumerate(tokens):
        after = token in PASSIVE_PARTICIPLES and any(
            word in PASSIVE_AFTER for word in tokens[max(0, index - 2) : index]
        )
        if (token in PASSIVE or after) and "by" not in tokens[index + 1 : index + 1 + PASSIVE_AGENT_REACH]:
            positions.add(index)
    return frozenset(positions)


def _topic(tokens: Sequence[str]) -> frozenset[int]:
    """Positions of the words after a word that opens what the note was about (`TOPIC_WORDS`),
    up to a word that closes it (`TOPIC_ENDS`) or `SETTING_REACH` words: in "course for
    parents about healthy eating", "healthy eating"."""
    opens = [
        index
        for index, token in enumerate(tokens)
        if token in TOPIC_WORDS and not (index + 1 < len(tokens) and tokens[index + 1].isdigit())
    ]
    return _spans(tokens, opens, TOPIC_ENDS)


def _setting(tokens: Sequence[str]) -> frozenset[int]:
    """Positions of the words after a word that opens a setting (`SETTING_WORDS`, or Welsh
    "ar ôl"), up to a word that closes one (`SETTING_ENDS`) or `SETTING_REACH` words: in
    "feedback forms handed out after the exhibition", "exhibition"."""
    opens = [
        index
        for index, token in enumerate(tokens)
        if index > 0 and (token in SETTING_WORDS or (token == "ol" and tokens[index - 1] == "ar"))
    ]
    return _spans(tokens, opens, SETTING_ENDS)


def _spans(tokens: Sequence[str], opens: Iterable[int], ends: Collection[str]) -> frozenset[int]:
    """The positions after each of `opens`, up to a word of `ends` or `SETTING_REACH` words."""
    positions: set[int] = set()
    for index in opens:
        for position in range(index + 1, min(index + 1 + SETTING_REACH, len(tokens))):
            if tokens[position] in ends:
                break
            positions.add(position)
    return frozenset(positions)


@dataclass(frozen=True, slots=True)
class Score:
    """How much a note's words point to one category."""

    category: str
    score: float
    matched: str | None
    """The category's best matched term, as written (None: only its confirmed notes together)."""
    position: int


class Learned:
    """A workshop's confirmed notes (placed in a category frame or set explicitly), as examples
    for its other notes: a note's similarity to each category's nearest confirmed note is
    cosine similarity over what they mean (`Suggester.meaning`: stems, vocabulary words read
    through typos and short forms, the terms and categories those words match), each weighted
    by how rare it is among the workshop's notes (idf), so "Residents' panel on the library"
    is near "Residents' panel on the parks" and not near every note that says "residents".
    Below `MIN_SIMILARITY` a confirmed note is not counted as like. Beside that likeness, the
    workshop's own names for the things it did ("the Talkback texts", "Cas Chat"), learned
    from which category its confirmed notes that carry them are in (`local`): a short note
    and a long one naming the same local thing are seldom alike as wholes."""

    def __init__(self, matcher: Suggester, examples: Iterable[tuple[str, str]], texts: Iterable[str] = ()):
        self.taxonomy = matcher.taxonomy
        self._matcher = matcher
        keys = {key: index for index, key in enumerate(self.taxonomy.keys)}
        self._examples: list[tuple[int, str, frozenset[str]]] = []
        # Every note of the workshop is read here, and most are read again for their
        # suggestions: what was read is kept for that (`read`), as long as the workshop's
        # examples are.
        self._readings: dict[str, _Read] = {}
        documents: list[frozenset[str]] = []
        placed: list[tuple[int, str]] = []
        for text, key in examples:
            stems = self._reading(matcher, text).meaning
            if key in keys:
                placed.append((keys[key], text))
            if key in keys and stems:
                self._examples.append((keys[key], text, stems))
                documents.append(stems)
        others = list(texts)
        documents += [self._reading(matcher, text).meaning for text in others]
        df: Counter[str] = Counter(word for document in documents for word in document)
        total = len(documents)
        self._idf = {word: math.log((total + 1) / (count + 1)) + 1.0 for word, count in df.items()}
        self._default_idf = math.log(total + 1) + 1.0
        self._postings: dict[str, list[int]] = {}
        self._norms: list[float] = []
        for position, (_, _, stems) in enumerate(self._examples):
            self._norms.append(math.sqrt(sum(self._weight(word) ** 2 for word in stems)))
            for word in stems:
                self._postings.setdefault(word, []).append(position)
        self._squared = {word: self._weight(word) ** 2 for word in self._postings}
        self._sizes = [len(stems) for _, _, stems in self._examples]
        profiles: dict[int, Counter[str]] = {}
        for category, _, stems in self._examples:
            profiles.setdefault(category, Counter()).update({word: self._weight(word) for word in stems})
        self._profiles = {
            category: (dict(profile), math.sqrt(sum(value * value for value in profile.values())))
            for category, profile in sorted(profiles.items())
        }
        self._local = self._names(placed, others)

    def _names(self, placed: list[tuple[int, str]], others: list[str]) -> dict[str, Near]:
        """The workshop's own names for things (`Features.local_terms`) its confirmed notes
        place: for each, the category most of the confirmed notes that carry it are in, and how
        sure that makes a note carrying it: `carriers in the category / (carriers + 1)`, as if
        one more note carrying it were elsewhere. One confirmed note with "cas chat" is 0.5
        (`CLOSE`: enough where the note's own words say nothing, never against them), two are
        0.67, three 0.75; one against one is no evidence. A name must be rare in the workshop
        (`LOCAL_SHARE`); a single word needs `LOCAL_WORD_CARRIERS` notes and stays weak
        (`LOCAL_WEAK`).
        People name the same local things in their own words ("Hub drop in", "the drop in at
        the hub library"), which the vocabulary cannot know and a whole-note likeness misses
        when the notes are of different lengths."""
        carriers: dict[str, Counter[int]] = {}
        first: dict[tuple[str, int], str] = {}
        share: Counter[str] = Counter()
        for category, text in placed:
            for term in self._readings[text].note.local_terms():
                carriers.setdefault(term, Counter())[category] += 1
                first.setdefault((term, category), text)
                share[term] += 1
        for text in others:
            share.update(term for term in self._readings[text].note.local_terms() if term in carriers)
        limit = LOCAL_SHARE * (len(placed) + len(others))
        names: dict[str, Near] = {}
        for term, counts in carriers.items():
            (category, count), total = counts.most_common(1)[0], counts.total()
            single = " " not in term
            enough = count > total - count and (not single or count >= LOCAL_WORD_CARRIERS)
            if enough and share[term] <= limit:
                sure = min(count / (total + 1), LOCAL_WEAK) if single else count / (total + 1)
                names[term] = Near(first[(term, category)], sure, sure, category, term)
        return names

    def local(self, note: Features) -> dict[int, Near]:
        """For each category whose confirmed notes name something this note names too
        (`_names`): the surest such name's evidence, a pair of words before a word as sure,
        with the first confirmed note that carries it (the reason shown)."""
        found: dict[int, Near] = {}
        for term in sorted(note.local_terms()):  # sorted: the same answer whatever the hash seed
            name = self._local.get(term)
            if name is None:
                continue
            known = found.get(name.category)
            if known is None or _surer(name, known):
                found[name.category] = name
        return found

    def _reading(self, matcher: Suggester, text: str) -> _Read:
        read = self._readings.get(text)
        if read is None:
            read = self._readings[text] = matcher._read(text)
        return read

    def read(self, text: str, matcher: Suggester) -> _Read | None:
        """The note as `matcher` reads it, if these examples were learned through it and the
        note was read then."""
        return self._readings.get(text) if matcher is self._matcher else None

    def profile(self, words_of: frozenset[str]) -> dict[int, float]:
        """How like each category's confirmed notes taken together the words are: cosine
        similarity with the sum of their idf-weighted words (the category's profile in this
        workshop), for the categories at `MIN_PROFILE` or more. Unlike `nearest`, it catches
        a note that shares a word with one confirmed note and another word with a second."""
        norm = math.sqrt(sum(self._weight(word) ** 2 for word in words_of))
        if not norm:
            return {}
        found = {}
        for category, (weights, size) in self._profiles.items():
            common = [word for word in words_of if word in weights]
            shared = sum(weights[word] * self._weight(word) for word in common)
            similarity = shared / (norm * size) if size else 0.0
            if similarity >= MIN_PROFILE and len(common) >= PROFILE_WORDS:
                found[category] = similarity
        return found

    def __len__(self) -> int:
        return len(self._examples)

    def _weight(self, word: str) -> float:
        return self._idf.get(word, self._default_idf)

    def nearest(self, words_of: frozenset[str]) -> dict[int, Near]:
        """For each category with confirmed notes at least `MIN_SIMILARITY` like these words:
        the nearest one (ties go to the note confirmed first) and how strongly the category's
        nearest notes together point here (`NEIGHBOURS`)."""
        shared, common = self._in_common(words_of)
        if not shared:
            return {}
        norm = math.sqrt(sum(self._weight(word) ** 2 for word in words_of))
        # One word in common is a likeness only when it is all either note says (a copy), so
        # the many notes that share one word (the workshop's topic) need no similarity.
        alone = len(words_of) == 1
        candidates = sorted(
            position
            for position, count in common.items()
            if count >= PROFILE_WORDS or (alone and self._sizes[position] == 1)
        )
        found: dict[int, list[tuple[float, int]]] = {}
        for position in candidates:
            similarity = min(shared[position] / (norm * self._norms[position]), 1.0) if norm else 0.0
            alike = common[position] >= PROFILE_WORDS or similarity >= _SAME
            if similarity >= MIN_SIMILARITY and alike:
                found.setdefault(self._examples[position][0], []).append((-similarity, position))
        near: dict[int, Near] = {}
        for category, hits in found.items():
            hits.sort()
            support = sum(
                weight * -similarity for weight, (similarity, _) in zip(NEIGHBOURS, hits, strict=False)
            )
            near[category] = Near(self._examples[hits[0][1]][1], -hits[0][0], support)
        return near

    def _in_common(self, words_of: frozenset[str]) -> tuple[dict[int, float], dict[int, int]]:
        """For each confirmed note with a word or term in common with these words (found
        through the inverted index): the squared weights of what they share, and how many
        things that is. A category both notes lean to (`LEANING`) is shared by a sixth of the
        workshop, so it only adds to notes found through a word."""
        shared: dict[int, float] = {}
        common: dict[int, int] = {}
        leanings = []
        for word in words_of:
            postings = self._postings.get(word)
            if postings is None:
                continue
            if word.startswith(LEANING):
                leanings.append(word)
                continue
            weight = self._squared[word]
            for position in postings:
                if position in shared:
                    shared[position] += weight
                    common[position] += 1
                else:
                    shared[position] = weight
                    common[position] = 1
        for word in leanings:
            weight = self._squared[word]
            for position in self._postings[word]:
                if position in shared:
                    shared[position] += weight
                    common[position] += 1
        return shared, common


@dataclass(frozen=True, slots=True)
class Near:
    """A category's confirmed notes, as like a note as they are."""

    text: str
    """The nearest one's text."""
    similarity: float
    """The nearest one's similarity (1.0: the same words); for a name they share
    (`Learned.local`), how sure the name is."""
    support: float
    """Similarities of the nearest few, weighted by `NEIGHBOURS`; or a shared name's sureness."""
    category: int = -1
    """The category (for a name, `Learned._names`)."""
    term: str = ""
    """The name ("cas chat"), for a name."""


@lru_cache(maxsize=32)
def suggester(taxonomy: Taxonomy, fold: TextKey | None = None) -> Suggester:
    """The (cached) suggester for a taxonomy."""
    return Suggester(taxonomy, fold=fold)


def suggest(
    text: str, taxonomy: Taxonomy, *, fold: TextKey | None = None, learned: Learned | None = None
) -> Suggestion | None:
    return suggester(taxonomy, fold).suggest(text, learned)


def learn(
    examples: Iterable[tuple[str, str]],
    taxonomy: Taxonomy,
    *,
    texts: Iterable[str] = (),
    fold: TextKey | None = None,
) -> Learned:
    """Confirmed notes as (text, category key) examples for the rest of a workshop; `texts`
    are the workshop's other notes, which only tell how common each word is."""
    return Learned(suggester(taxonomy, fold), examples, texts)


def _welsh_fold(terms: Iterable[str]) -> TextKey:
    """Welsh mutation folding (`welsh.fold_if_welsh`) that also knows the taxonomy's own Welsh
    words as radicals, so a mutated method name folds to it even when the shipped lexicon
    lacks it ("ei gylchlythyr" -> "cylchlythyr")."""
    known = folder(terms)
    return lambda text: fold_if_welsh(text, known)


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
    note: Note,
    frames: Iterable[Frame],
    taxonomy: Taxonomy,
    *,
    fold: TextKey | None = None,
    learned: Learned | None = None,
) -> Assignment:
    """The note's category and its source, in the order explicit > frame > suggested > none."""
    return _categorise(note, _usable(frames, taxonomy), taxonomy, suggester(taxonomy, fold), learned)


def categorise_board(
    notes: Iterable[Note],
    frames: Iterable[Frame],
    taxonomy: Taxonomy,
    *,
    fold: TextKey | None = None,
    learned: Learned | None = None,
) -> dict[str, Assignment]:
    """Every note's assignment by note id, for the notes and frames of one board."""
    usable = _usable(frames, taxonomy)
    matcher = suggester(taxonomy, fold)
    return {note.id: _categorise(note, usable, taxonomy, matcher, learned) for note in notes}


def categorise_workshop(
    boards: Mapping[K, tuple[Sequence[Note], Sequence[Frame]]],
    taxonomy: Taxonomy,
    *,
    fold: TextKey | None = None,
) -> dict[K, dict[str, Assignment]]:
    """Every note's assignment, board by board (notes and frames of each), learning from the
    workshop itself (`workshop_examples`)."""
    learned = workshop_examples(boards.values(), taxonomy, fold=fold)
    return {
        key: categorise_board(notes, frames, taxonomy, fold=fold, learned=learned)
        for key, (notes, frames) in boards.items()
    }


def workshop_examples(
    boards: Iterable[tuple[Sequence[Note], Sequence[Frame]]],
    taxonomy: Taxonomy,
    *,
    fold: TextKey | None = None,
) -> Learned | None:
    """The notes confirmed anywhere in a workshop (set explicitly or placed in a category
    frame), as the examples its other notes' suggestions are drawn towards; None when there
    are none yet."""
    examples: list[tuple[str, str]] = []
    texts: list[str] = []
    for notes, frames in boards:
        usable = _usable(frames, taxonomy)
        for note in notes:
            confirmed = _confirmed(note, usable, taxonomy)
            if confirmed is not None and confirmed.category is not None:
                examples.append((note.text, confirmed.category))
            else:
                texts.append(note.text)
    return Learned(suggester(taxonomy, fold), examples, texts) if examples else None


def _usable(frames: Iterable[Frame], taxonomy: Taxonomy) -> list[Frame]:
    return [frame for frame in frames if taxonomy.category(frame.category) is not None]


def _confirmed(note: Note, frames: list[Frame], taxonomy: Taxonomy) -> Assignment | None:
    if taxonomy.category(note.category) is not None:
        return Assignment(note.category, Source.EXPLICIT)
    frame = containing_frame(note, frames)
    if frame is not None:
        return Assignment(frame.category, Source.FRAME, frame=frame.id)
    return None


def _categorise(
    note: Note, frames: list[Frame], taxonomy: Taxonomy, matcher: Suggester, learned: Learned | None
) -> Assignment:
    return _confirmed(note, frames, taxonomy) or _suggested(note, matcher, learned)


def _suggested(note: Note, matcher: Suggester, learned: Learned | None) -> Assignment:
    found = matcher.suggest(note.text, learned)
    if found is None:
        return UNCATEGORISED
    return Assignment(
        found.category,
        Source.SUGGESTED,
        confidence=found.confidence,
        matched=found.matched,
        alternatives=found.alternatives,
        like=found.like,
    )

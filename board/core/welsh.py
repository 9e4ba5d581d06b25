"""Welsh-aware text: words, initial mutations folded, Welsh and English stop words.

Welsh changes the first sound of a word after certain words: *cymuned* (community) is
*gymuned* after "y" (soft mutation), *nghymuned* after "fy" (nasal), *chymuned* after "a"
(aspirate), and a word starting with a vowel takes an h after "ei" (her): *ysgol* → *hysgol*.
Counting exit-poll words or finding duplicate notes without undoing that splits one word into
four. This module gives every word a comparison key: the radical (dictionary form) when it can
be told, in lower case without accents, so those four forms are one word, and "gwell cymuned"
and "well gymuned" (better community) are one phrase.

Why not simply undo every mutation? Reversing is ambiguous and English is everywhere: "gold"
reads as the soft mutation of "cold", "old" of "gold", "glass" of "class", "hate" of "ate", and
"well" is an English word as well as the soft mutation of *gwell*. So a word is folded only
when the evidence is good:

1. A word in the shipped Welsh lexicon (`data/welsh_lexicon.txt`, radicals only) is already a
   radical and is never folded: *bara* (bread) stays bread, though it could be a mutated *para*.
2. A word in the shipped English list (`data/english_words.txt`, SCOWL) is folded only when
   the phrase around it is Welsh by other evidence (a word that is Welsh and not English, such
   as *gymuned* or *y*), and then only to a lexicon radical: "well" alone stays *well*;
   "well gymuned" becomes *gwell cymuned*.
3. Any other word folds to the first of its possible radicals (in the order of `RULES`) that is
   in the lexicon, or failing that, one that appears in the same data set (`Folder` built from
   a workshop's words) and is not English. A radical nobody wrote still counts when two
   different mutated forms of it were written (*gynhwysiad* and *nghynhwysiad*).

The trade-off is deliberate: a missed fold splits a count in two, which a facilitator can see
and live with; a wrong fold merges two different words, which nobody can see. So:

- English words are protected unless their phrase is Welsh; a single-word "well" in a Welsh
  workshop stays apart from *gwell* (add context and it joins).
- Two Welsh words that the lexicon does not know and that differ as a mutation would (say
  *dal* and *tal*, were neither listed) merge when both appear in the data set; adding them to
  the lexicon separates them.
- A lexicon word that is also a mutated form of another (*bara*/*para*, *deg*/*teg*) always
  counts as itself.
- Accents are ignored in the key (*tân* = *tan*), since many keyboards cannot type them and
  words that differ only by an accent are rare; displays keep what people typed.
- Mixed mutation and the context that triggers a mutation (which would tell "ei gymuned" from
  "ei chymuned") are not used: the radical is the same either way.

Counting (`Folder.tally`, for exit-poll words) puts every form of a word under its key and
shows the surface form most used: if most people wrote *gymuned*, the cloud says *gymuned*.

English plurals are made singular ("groups" = "group"), as `categorise.words` does, except in
a word known to be Welsh (lexicon or stop word: "dros", "glas"), whose -s is part of it.

The lexicon and the English list are package data, read once per process through
`importlib.resources` (`load_lexicon`, cached) the way `export/json.py` reads its schema: data,
not behaviour. Everything else here is pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final

from board.core.stemming import STOP_WORDS as BASE_STOP_WORDS
from board.core.stemming import TextKey, singular

LEXICON_FILE: Final = "welsh_lexicon.txt"
ENGLISH_FILE: Final = "english_words.txt"

RULES: Final[tuple[tuple[str, str, str], ...]] = (
    # (mutation, the word begins with, its radical begins with) — most specific first.
    ("nasal", "ngh", "c"),
    ("nasal", "mh", "p"),
    ("nasal", "nh", "t"),
    ("aspirate", "ph", "p"),
    ("aspirate", "th", "t"),
    ("aspirate", "ch", "c"),
    ("soft", "dd", "d"),
    ("nasal", "ng", "g"),
    ("soft", "b", "p"),
    ("soft", "d", "t"),
    ("soft", "g", "c"),
    ("soft", "f", "b"),
    ("soft", "f", "m"),
    ("soft", "l", "ll"),
    ("soft", "r", "rh"),
    ("nasal", "m", "b"),
    ("nasal", "n", "d"),
    ("h-prothesis", "h", ""),
    ("soft", "", "g"),
)
"""How each mutated beginning goes back to a radical. Soft: p t c b d g m ll rh → b d g f dd
(g dropped) f l r; nasal: p t c b d g → mh nh ngh m n ng; aspirate: p t c → ph th ch;
h-prothesis: a vowel gains h. The rules for "h" and for a dropped g apply only before a vowel
(a e i o u w y), and a dropped g also before l and r (glaw → law, grym → rym); "dd", "ff",
"ll" and "rh" are never read as "d", "f", "l" and "r" mutations."""

VOWELS: Final = frozenset("aeiouwy")

WELSH_STOP_WORDS: Final = frozenset(
    """
    y yr r n m w u th yn ac ag gyda efo gan neu ond ei eu ein eich fy dy mae maen oedd roedd
    roeddwn sydd sy yw ydy ydw ydyn ydych bod fod wedi heb dros drwy trwy wrth tuag rhwng hyd
    mewn am ar at i o a er fel dan hwn hon hyn hynny yma yna fe fo hi ni chi nhw ef e
    """.split()
)
"""Articles, "and", "or", "but", pronouns, prepositions, the forms of "to be" and particles,
including the clitics split off "i'r", "o'r", "mae'n", "i'w" (r, n, w, u, m, th)."""

STOP_WORDS: Final = BASE_STOP_WORDS | WELSH_STOP_WORDS
"""Stop words of both languages: `stemming.STOP_WORDS` (English and a few Welsh) and the
Welsh list above. Compared with keys, so a mutated stop word ("fod") is caught too."""

_WELSH_ONLY_LETTERS: Final = frozenset("ŵŷẁẃẅỳŴŶẀẂẄỲ")
"""Letters no English word has: their presence alone makes a phrase Welsh."""

_CLITICS: Final = frozenset({"r", "n", "i", "u", "w", "m", "th", "ch", "ma", "na"})
"""What follows an apostrophe in Welsh elisions ("i'r", "mae'n", "i'w"): split off as a word."""

_JOINERS: Final = {"-": "-", "‐": "-", "‑": "-", "'": "'", "’": "'", "ʼ": "'", "‘": "'"}
"""Hyphens and apostrophes that join letters into one word ("well-being", "i'r"), written as
the plain ASCII forms."""

_IGNORED: Final = frozenset("\u200d\u20e3") | frozenset(chr(c) for c in range(0xFE00, 0xFE10))
"""Zero-width joiner, keycap and variation selectors: parts of emoji, dropped before splitting."""


# --- words --------------------------------------------------------------------------------------


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def split_words(text: str) -> list[str]:
    """The words of a text, as typed (NFC, case kept): runs of letters, digits and the marks on
    them, joined by an inner hyphen or apostrophe ("well-being", "i'r" are one word each).

    Everything else separates words and is dropped: spaces, punctuation, symbols and emoji.
    So "Inspired!", "  inspired " and "inspired 🎉" all give ["Inspired"] or ["inspired"],
    and "hope/fear" gives two words. Hyphens and apostrophes come out as "-" and "'".
    """
    text = unicodedata.normalize("NFC", "".join(ch for ch in text if ch not in _IGNORED))
    words: list[str] = []
    current: list[str] = []
    for i, ch in enumerate(text):
        if _is_word_char(ch) or (current and unicodedata.category(ch)[0] == "M"):
            current.append(ch)
        elif (
            ch in _JOINERS
            and current
            and current[-1] not in "-'"
            and i + 1 < len(text)
            and _is_word_char(text[i + 1])
        ):
            current.append(_JOINERS[ch])
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def plain(word: str) -> str:
    """A word as keys compare it: case-folded, accents and hyphens dropped (tân → tan)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in "-‐‑")


def _tokens(text: str) -> list[str]:
    """The plain tokens of a text, Welsh elisions split ("i'r" → i, r), English possessives
    dropped ("children's" → children) and other apostrophes removed ("don't" → dont)."""
    tokens: list[str] = []
    for word in split_words(text):
        parts = plain(word).split("'")
        merged = parts[0]
        split_off = False
        for part in parts[1:]:
            if part == "s":
                continue
            if part in _CLITICS or split_off:
                # A clitic is a word of its own, and so is what follows one ("rock'n'roll").
                if merged:
                    tokens.append(merged)
                merged = part
                split_off = part in _CLITICS
            else:
                merged += part
        if merged:
            tokens.append(merged)
    return tokens


# --- the lexicon --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The words that decide folding: Welsh radicals and English words, in `plain` form."""

    welsh: frozenset[str]
    english: frozenset[str]

    @classmethod
    def parse(cls, welsh: str, english: str) -> Lexicon:
        """From the text of the two word lists (one word a line, # comments)."""
        return cls(frozenset(_lines(welsh)), frozenset(_lines(english)))


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            yield plain(word)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon, read once from this package's data (see the module docstring)."""
    data = resources.files("board.core.data")
    return Lexicon.parse(
        data.joinpath(LEXICON_FILE).read_text(encoding="utf-8"),
        data.joinpath(ENGLISH_FILE).read_text(encoding="utf-8"),
    )


def radicals(word: str) -> tuple[str, ...]:
    """Every word that `word` (in `plain` form) could be a mutation of, in `RULES` order,
    whether or not it is a real word: "gymuned" → ("cymuned",); "well" → ("gwell",)."""
    found: list[str] = []
    for _, mutated, radical in RULES:
        rest = word[len(mutated) :]
        if not word.startswith(mutated) or not rest or _reserved(mutated, rest):
            continue
        if radical + rest not in found:
            found.append(radical + rest)
    return tuple(found)


_OWN_RULE: Final = {"d": "d", "f": "f", "l": "l", "r": "h", "n": "gh", "m": "h", "ng": "h"}
"""After these beginnings, the next letter makes a different sound with its own rule (or
none): dd, ff, ll, rh are radicals; ng, nh, mh, ngh are read by their own rules."""


def _reserved(mutated: str, rest: str) -> bool:
    """Whether a rule does not apply to this word, though its beginning matches."""
    if mutated == "h":
        return rest[0] not in VOWELS
    if mutated == "":
        return rest[0] not in VOWELS | {"l", "r"} or rest[:2] in ("ll", "rh")
    return rest[0] in _OWN_RULE.get(mutated, "")


# --- folding ------------------------------------------------------------------------------------

_MAX_STEPS: Final = 4
"""Folds taken in a row at most (h-prothesis, then a dropped g, then g → c is the longest
chain); every rule moves a word towards a radical, so there is no cycle."""


_CACHED: Final = 65536
"""Words a `Folder` remembers the fold of (about 10 MiB at most); past that it starts again."""


def _bound(cache: dict[Any, Any]) -> None:
    if len(cache) > _CACHED:
        cache.clear()


class Folder:
    """Comparison keys for words and phrases, knowing a lexicon and, optionally, a data set.

    Build one per data set (`folder(texts)`): the words seen there widen what counts as a
    radical (see the module docstring). Keys are deterministic: the same lexicon and the same
    set of words give the same keys, whatever order the texts came in.
    """

    def __init__(self, lexicon: Lexicon, seen: Iterable[str] = ()) -> None:
        self.lexicon = lexicon
        words = sorted(set(seen))
        plain_seen = {token for word in words for token in _tokens(word)}
        english, welsh = lexicon.english, lexicon.welsh
        # A seen word is a radical when it is neither English nor a mutated lexicon word.
        local = {w for w in plain_seen if w not in english and not self._lexicon_radical(w)}
        # A radical nobody wrote, but that two different written forms point at.
        support: dict[str, set[str]] = defaultdict(set)
        for word in sorted(local):
            for candidate in radicals(word):
                if candidate not in english and candidate not in welsh:
                    support[candidate].add(word)
        local |= {candidate for candidate, forms in support.items() if len(forms) >= 2}
        self._local = frozenset(local - welsh)
        self._welsh_words = welsh | WELSH_STOP_WORDS
        self._folded: dict[tuple[str, bool], str] = {}
        self._welsh: dict[str, bool] = {}

    def _lexicon_radical(self, word: str) -> str | None:
        for candidate in radicals(word):
            if candidate in self.lexicon.welsh:
                return candidate
        return None

    def is_welsh(self, word: str) -> bool:
        """Evidence that a phrase is Welsh: a Welsh word (lexicon, stop word, or a mutated
        lexicon word) that is not also English, or a letter only Welsh uses (ŵ, ŷ)."""
        known = self._welsh.get(word)
        if known is None:
            known = self._welsh[word] = self._is_welsh(word)
            _bound(self._welsh)
        return known

    def _is_welsh(self, word: str) -> bool:
        if any(ch in _WELSH_ONLY_LETTERS for ch in word):
            return True
        token = plain(word)
        if token in self.lexicon.english:
            return False
        return (
            token in self.lexicon.welsh
            or token in WELSH_STOP_WORDS
            or self._lexicon_radical(token) is not None
        )

    def _fold_once(self, token: str, welsh_context: bool) -> str:
        if token in self.lexicon.welsh:
            return token
        english = token in self.lexicon.english
        if english and not welsh_context:
            return token
        lexical = self._lexicon_radical(token)
        if lexical is not None:
            return lexical
        if english:
            return token
        for candidate in radicals(token):
            if candidate in self._local:
                return candidate
        return token

    def fold(self, token: str, *, welsh_context: bool = False) -> str:
        """The radical of one plain token (see the module docstring for when it is folded).
        Remembered per folder (up to `_CACHED` words): a workshop's notes repeat their words."""
        known = self._folded.get((token, welsh_context))
        if known is None:
            known = self._folded[(token, welsh_context)] = self._fold(token, welsh_context)
            _bound(self._folded)
        return known

    def _fold(self, token: str, welsh_context: bool) -> str:
        for _ in range(_MAX_STEPS):
            folded = self._fold_once(token, welsh_context)
            if folded == token:
                break
            token = folded
        return token

    def _keys(self, text: str) -> list[tuple[str, str]]:
        """(token, key) for each token of a text, folded with the phrase as context."""
        tokens = _tokens(text)
        context = any(ch in _WELSH_ONLY_LETTERS for ch in text) or any(map(self.is_welsh, tokens))
        keys = []
        for token in tokens:
            key = self.fold(token, welsh_context=context)
            if key not in self._welsh_words:
                # English plurals, as categorise.words does, but never of a word known to be
                # Welsh, whose -s is part of it ("dros", "nos", "glas"). Decided by the key
                # alone (not the phrase around it, not whether it was folded), so that every
                # form of a word, with or without accents, meets the same key.
                key = singular(key)
            keys.append((token, key))
        return keys

    def word_key(self, word: str) -> str:
        """The comparison key of one word: its radical, plain. "Nghymuned" → "cymuned";
        "gold" → "gold"; "well" → "well" (a lone English word is never folded)."""
        keys = self._keys(word)
        return " ".join(key for _, key in keys)

    def phrase_key(self, text: str) -> str:
        """The comparison key of a phrase: its words' keys in order, stop words of both
        languages left out. "Well gymuned!" → "gwell cymuned"; "the community" → "community".
        Empty when the text has only stop words."""
        return " ".join(key for token, key in self._keys(text) if not _stop(token, key))

    def fold_text(self, text: str) -> str:
        """The text with every word replaced by its key (stop words kept), for
        `categorise`'s `fold` argument, which does its own word handling afterwards."""
        return " ".join(key for _, key in self._keys(text))

    def tally(self, entries: Iterable[str]) -> tuple[Tally, ...]:
        """Entries counted by key (`phrase_key`, or `word_key` for an entry of stop words only),
        most first, then by key. Each shows the surface form most used: the entry as typed,
        spaces tidied; a tie goes to the dictionary form (the one whose words are the key),
        then to the first in alphabetical order. Entries with no words are left out."""
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in entries:
            surface = " ".join(unicodedata.normalize("NFC", entry).split())
            key = self.phrase_key(surface) or self.word_key(surface)
            if key:
                forms[key][surface] += 1
        tallies = []
        for key, counted in forms.items():
            shown = min(
                counted,
                key=lambda form: (-counted[form], " ".join(_tokens(form)) != key, form.casefold(), form),
            )
            tallies.append(Tally(key, shown, sum(counted.values()), dict(counted)))
        return tuple(sorted(tallies, key=lambda t: (-t.count, t.key)))


@dataclass(frozen=True, slots=True)
class Tally:
    """One word or phrase, counted with every form of it that was written."""

    key: str
    shown: str
    """The surface form most used: what a word cloud or a list shows."""
    count: int
    forms: dict[str, int]
    """Each surface form, as written (spaces tidied), and how many wrote it that way."""


def _stop(token: str, key: str) -> bool:
    return token in STOP_WORDS or key in STOP_WORDS


def folder(texts: Iterable[str] = (), *, lexicon: Lexicon | None = None) -> Folder:
    """A `Folder` knowing the shipped lexicon and the words of `texts` (a workshop's notes, or
    its exit-poll entries), so that words seen there count as radicals too."""
    return Folder(lexicon or load_lexicon(), texts)


@lru_cache(maxsize=1)
def _default() -> Folder:
    return Folder(load_lexicon())


def word_key(word: str) -> str:
    """`Folder.word_key` with the shipped lexicon only."""
    return _default().word_key(word)


def phrase_key(text: str) -> str:
    """`Folder.phrase_key` with the shipped lexicon only: a `stemming.TextKey`, ready as
    `duplicates.find_duplicates(key=phrase_key)`."""
    return _default().phrase_key(text)


def duplicate_key(texts: Iterable[str]) -> TextKey:
    """The key for finding near-duplicates among these texts (a workshop's notes): their
    `phrase_key`, knowing their words, ready as `find_duplicates(key=...)`. "gwell cymuned" and
    "well gymuned" meet; English notes get the same key as `duplicates.plain_key` gives."""
    return folder(texts).phrase_key


def fold_text(text: str) -> str:
    """`Folder.fold_text` with the shipped lexicon only: ready as `categorise(fold=fold_text)`."""
    return _default().fold_text(text)


_LETTERS: Final = re.compile(r"[^\W\d_]+")


def fold_if_welsh(text: str, known: Folder | None = None) -> str:
    """`fold_text` for a text with any Welsh evidence in it (`Folder.is_welsh`), and any other
    text as it is: folding changes nothing in a text with no Welsh word, and skipping it is
    what lets a workshop of English notes be suggested for quickly. The suggester's default
    fold (`categorise.Suggester`, with a `known` folder that knows its taxonomy's words), which
    does its own word handling afterwards."""
    folding = known or _default()
    if any(folding.is_welsh(word) for word in _LETTERS.findall(text)):
        return folding.fold_text(text)
    return text


__all__ = [
    "RULES",
    "STOP_WORDS",
    "WELSH_STOP_WORDS",
    "Folder",
    "Lexicon",
    "Tally",
    "duplicate_key",
    "fold_if_welsh",
    "fold_text",
    "folder",
    "load_lexicon",
    "phrase_key",
    "plain",
    "radicals",
    "split_words",
    "word_key",
]

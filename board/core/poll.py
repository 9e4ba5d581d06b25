"""The exit poll's words: the word rule, normalisation, counting, the blocklist, hidden words.

Seed 000 ends every session with "Write one or two words (only) that describe your thoughts or
feelings about today's session ... do not write sentences, as these are turned into wordles."
An answer is a `pollword` object on the main board (`model.py`), seen by its author and
facilitators only; everyone else sees the answers only as counts, which this module makes.

The word rule (`refusal`), checked by `ops.apply` whichever way an answer arrives: an answer
has at least one word and at most the board's `poll_words` (2 unless the facilitator changed
it). Words are what `welsh.split_words` finds: runs of letters and digits, joined by an inner
hyphen or apostrophe ("well-being", "i'r" are one word each); spaces, punctuation, symbols and
emoji separate words and are not words themselves. So "🎉" or "!!!" alone is an empty answer,
"Inspired 🎉" is one word, "I really enjoyed it" is a sentence. The rule counts words, not
sentences: "Loved it." is two words and welcome.

Counting (`tally`). Each answer is normalised for display (`clean`: Unicode NFC, surrounding
punctuation, symbols and whitespace stripped, inner whitespace collapsed, control characters
dropped; letters, Welsh ones included, kept as typed) and compared by a key:

- case does not matter: "Inspired", "inspired!" and " INSPIRED " are one word;
- Welsh initial mutations do not matter (`welsh.py`): cymuned, gymuned, nghymuned and
  chymuned are one word; stop words of either language are left out of the comparison of a
  two-word answer ("the community" = "community");
- accented letters do matter: `welsh.py` keys ignore accents, so the key here adds the
  answer's accented letters back, and tân (fire) stays apart from tan (under, until).

A word is shown in its most used surface form (as typed, after `clean`), ties going to the
form with fewer capitals, then to the first in code-point order: three "Inspired" and one
"inspired" show as "Inspired"; one "Inspired" and one "INSPIRED" as "Inspired".

The blocklist (`Blocklist`) keeps offensive words out of the cloud. An answer is blocked when
one of its words, or the whole answer, is listed, compared without case, accents or Welsh
mutations ("cachu" blocks "gachu"); whole words only, so "Scunthorpe" is never blocked for what
it contains. Blocked answers stay stored (their author can still withdraw them) and are
counted for the facilitator apart from the cloud. A facilitator can also hide any word; hidden
words are counted apart too. Neither appears in the cloud, its counts or the record.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final

from board.core.errors import ErrorCode, ProtocolError
from board.core.export.csv import encode, neutralise
from board.core.limits import LIMITS
from board.core.model import Settings
from board.core.welsh import Folder, folder, plain, split_words

BLOCKLIST_FILE: Final = "poll_blocklist.txt"


# --- the word rule ------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of an answer, as the rule counts them (see the module docstring)."""
    return split_words(text)


def refusal(text: str, settings: Settings, given: int) -> ProtocolError | None:
    """Why an answer cannot be accepted now, or None. `given` is how many answers its author
    already has on the board. The field is `text` (the edge places it under `obj`)."""
    if not settings.poll_open:
        return ProtocolError(ErrorCode.POLL_CLOSED, "", "the exit poll is not open")
    if given >= LIMITS.max_poll_entries:
        return ProtocolError(
            ErrorCode.TOO_MANY, "", f"one person can give at most {LIMITS.max_poll_entries} answers"
        )
    count = len(words(text))
    limit = settings.poll_words
    if count == 0 or count > limit:
        allowed = "one word" if limit == 1 else f"one to {limit} words"
        found = "no words" if count == 0 else f"{count} words"
        return ProtocolError(
            ErrorCode.NOT_ONE_OR_TWO_WORDS,
            "text",
            f"an answer is {allowed}, not a sentence; this has {found}",
        )
    return None


# --- normalising -------------------------------------------------------------------------------


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def clean(text: str) -> str:
    """An answer as the cloud shows it: NFC, control characters dropped, surrounding
    punctuation, symbols and whitespace stripped, inner whitespace collapsed to one space;
    letters (â ê î ô û ŵ ŷ and all) and case as typed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]) and unicodedata.category(text[end - 1]) != "Mn":
        end -= 1
    return " ".join(text[start:end].split())


def accents(text: str) -> str:
    """The accented letters of a text, lower case, in order: "Tân" → "â", "tan" → ""."""
    out = []
    for ch in unicodedata.normalize("NFC", text.casefold()):
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) > 1 and any(unicodedata.combining(mark) for mark in decomposed[1:]):
            out.append(ch)
    return "".join(out)


def _key(fold: Folder, text: str) -> str:
    """How answers are compared: the Welsh-aware phrase key (case, mutations and stop words
    ignored), with the accented letters added back (see the module docstring)."""
    base = fold.phrase_key(text) or fold.word_key(text) or plain(text)
    marks = accents(text)
    return f"{base}|{marks}" if marks else base


# --- the blocklist ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Blocklist:
    """Blocked words and phrases, as written in the list (compared through keys at counting)."""

    terms: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, *texts: str) -> Blocklist:
        """From list texts: one term a line, `#` starts a comment, blank lines ignored."""
        terms = set()
        for text in texts:
            for line in text.splitlines():
                term = clean(line.split("#", 1)[0])
                if term:
                    terms.add(term)
        return cls(frozenset(terms))

    def __or__(self, other: Blocklist) -> Blocklist:
        return Blocklist(self.terms | other.terms)


@lru_cache(maxsize=1)
def built_in_blocklist() -> Blocklist:
    """The shipped list (`data/poll_blocklist.txt`), read once as package data."""
    text = resources.files("board.core.data").joinpath(BLOCKLIST_FILE).read_text(encoding="utf-8")
    return Blocklist.parse(text)


class _Blocker:
    """A blocklist with its terms keyed by the same folder as the answers."""

    def __init__(self, blocklist: Blocklist, fold: Folder) -> None:
        self.fold = fold
        self.words: set[str] = set()
        self.phrases: set[str] = set()
        for term in blocklist.terms:
            if len(split_words(term)) == 1:
                self.words.add(fold.word_key(term))
                self.words.add(plain(term))
            else:
                self.phrases.add(fold.word_key(term))
                self.phrases.add(fold.phrase_key(term))
        self.phrases.discard("")

    def blocks(self, text: str) -> bool:
        if self.fold.word_key(text) in self.phrases or self.fold.phrase_key(text) in self.phrases:
            return True
        return any(
            self.fold.word_key(word) in self.words or plain(word) in self.words for word in split_words(text)
        )


# --- counting ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WordCount:
    """One word of the poll: how it is shown, how many gave it, and its comparison key."""

    word: str
    count: int
    key: str
    forms: tuple[str, ...] = ()
    """Every surface form given for it, most used first (what hiding it matches)."""


@dataclass(frozen=True, slots=True)
class Tally:
    """The answers counted. `shown` is what the cloud, its table and the record show; `hidden`
    (by a facilitator) and `blocked` (by the blocklist) are for facilitators only."""

    shown: tuple[WordCount, ...] = ()
    hidden: tuple[WordCount, ...] = ()
    blocked: tuple[WordCount, ...] = ()

    @property
    def answers(self) -> int:
        """Answers counted, shown or not."""
        return sum(w.count for w in (*self.shown, *self.hidden, *self.blocked))

    def counts(self) -> dict[str, int]:
        """The shown words and their counts, most first (the record's `exit_poll`)."""
        return {w.word: w.count for w in self.shown}


def _order(word: WordCount) -> tuple[int, str, str]:
    return (-word.count, word.word.casefold(), word.word)


def _display(forms: Counter[str]) -> tuple[str, ...]:
    """Surface forms, the one to show first: most used, then fewest capitals, then code points."""
    return tuple(sorted(forms, key=lambda form: (-forms[form], sum(ch.isupper() for ch in form), form)))


def hide_keys(word: WordCount) -> set[str]:
    """What hiding a word stores: its key and the plain form of every way it was written, so
    it stays hidden however it is written later (a different case, a mutation). Showing it
    again removes the same."""
    return {word.key} | {key for form in word.forms if (key := plain(form))}


def find(words: Iterable[WordCount], text: str) -> WordCount | None:
    """The word shown as `text`, or written so (any of its forms, any case)."""
    wanted = clean(text).casefold()
    for word in words:
        if word.word.casefold() == wanted or any(form.casefold() == wanted for form in word.forms):
            return word
    return None


def tally(
    answers: Iterable[str],
    *,
    blocklist: Blocklist = Blocklist(),
    hidden: Collection[str] = (),
) -> Tally:
    """Count answers (texts as given) into words (see the module docstring). `hidden` holds
    what `hide_keys` gave for each word a facilitator hid. Deterministic: the same answers, in
    any order, give the same tally."""
    surfaces = Counter(text for raw in answers if (text := clean(raw)))
    fold = folder(sorted({*surfaces, *blocklist.terms}))
    blocker = _Blocker(blocklist, fold)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    blocked_keys: set[str] = set()
    for text, count in surfaces.items():
        key = _key(fold, text)
        groups[key][text] += count
        if blocker.blocks(text):
            blocked_keys.add(key)
    hidden_set = set(hidden)
    shown: list[WordCount] = []
    hid: list[WordCount] = []
    blocked: list[WordCount] = []
    for key, forms in groups.items():
        ordered = _display(forms)
        word = WordCount(ordered[0], sum(forms.values()), key, ordered)
        if key in blocked_keys:
            blocked.append(word)
        elif key in hidden_set or any(plain(form) in hidden_set for form in ordered):
            hid.append(word)
        else:
            shown.append(word)
    return Tally(
        tuple(sorted(shown, key=_order)), tuple(sorted(hid, key=_order)), tuple(sorted(blocked, key=_order))
    )


# --- the counts as CSV --------------------------------------------------------------------------

CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"


def counts_csv(words: Iterable[WordCount]) -> bytes:
    """`word,count`, most given first: the same CSV rules as the record's (`export/csv.py`:
    UTF-8 with a byte-order mark, CRLF, formulas neutralised)."""
    return encode([["word", "count"], *([neutralise(word.word), str(word.count)] for word in words)])

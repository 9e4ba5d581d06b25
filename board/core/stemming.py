"""English word forms: a stemmer, so that "consulted", "consulting" and "consultation" are one
word when a note is compared with a category's vocabulary (`categorise.py`).

The Snowball English stemmer (Porter 2, from the pure-Python `snowballstemmer` package, the one
Sphinx uses) does the general work ("participants" and "participation" -> "particip",
"inclusive" and "inclusion" -> "inclus"). Around it: the irregular forms of verbs and nouns
that come up in engagement notes ("chose", "told", "people"), brought to their word first; a
few words left whole because their stem would meet another word's ("community" and
"communication", "letter" and "let", a "consultant" and a "consultation"); and agent nouns and
a final e taken off after it ("planners" = "planning"). Both sides of every comparison go
through the same function, so a stem need not be a word ("particip"): it only has to be the
same for the forms of one word and different for different words.

Welsh words pass through harmlessly: Snowball's English endings rarely fit them, and both sides
get the same stem; Welsh word forms are handled by mutation folding (`welsh.py`) and by listing
plurals in the vocabularies (`vocabulary.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Final

import snowballstemmer

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


IRREGULAR: Final[dict[str, str]] = {
    "chose": "choose",
    "chosen": "choose",
    "choice": "choose",
    "choosing": "choose",
    "decision": "decide",
    "decided": "decide",
    "deciding": "decide",
    "told": "tell",
    "spoke": "speak",
    "spoken": "speak",
    "met": "meet",
    "taught": "teach",
    "gave": "give",
    "given": "give",
    "wrote": "write",
    "written": "write",
    "held": "hold",
    "heard": "hear",
    "brought": "bring",
    "sent": "send",
    "took": "take",
    "taken": "take",
    "made": "make",
    "said": "say",
    "shown": "show",
    "thought": "think",
    "went": "go",
    "ran": "run",
    "led": "lead",
    "people": "person",
    "women": "woman",
    "men": "man",
    "children": "child",
    "owned": "own",
    "owner": "own",
    "ownership": "own",
    "analyses": "analysis",
    "communities": "community",
    "exhibition": "exhibit",
    "exhibitions": "exhibit",
    # "-ation" would leave "public", which every "public meeting" has.
    "publication": "publish",
    "published": "publish",
    "publishing": "publish",
}
"""Forms the suffix rules cannot reach, mapped to the word they are a form of."""

_ENGLISH: Final = snowballstemmer.stemmer("english")
_VOWELS: Final = frozenset("aeiouy")
_KEEP: Final = frozenset(
    {
        "community",
        "bring",
        "thing",
        "spring",
        "ring",
        "king",
        "sing",
        "nothing",
        "everything",
        "anything",
        "something",
        # "-er" after a doubled consonant would leave a common short word ("let", "bet", "ban").
        "letter",
        "newsletter",
        "better",
        "matter",
        "banner",
        "dinner",
        "summer",
        "member",
        "number",
        "paper",
        "water",
        "power",
        "order",
        "corner",
        "counter",
        # Snowball takes "-ant" off, so a consultant (a hired adviser) would be a consultation.
        "consultant",
        # "-er" after four letters would leave a word that means something else: a poster is not
        # the post ("questionnaire in the post", "posted on facebook"), litter is not lit.
        "poster",
        "litter",
    }
)
"""Words whose ending is part of the word (or whose stem would meet another word's)."""


ABBREVIATIONS: Final[dict[str, str]] = {
    "mtg": "meeting",
    "mtgs": "meeting",
    "cllr": "councillor",
    "cllrs": "councillor",
    "cttee": "committee",
    "ctte": "committee",
    "cmte": "committee",
    "ppl": "people",
    "yp": "young people",
    "txt": "text",
    "txts": "text",
    "info": "information",
    "fb": "facebook",
    "insta": "instagram",
    "w": "with",
    "thru": "through",
    "mgmt": "management",
    "mgt": "management",
    "assoc": "association",
    "assn": "association",
    "govt": "government",
    "dept": "department",
    "org": "organisation",
    "orgs": "organisation",
    "rep": "representative",
    "reps": "representative",
    "regen": "regeneration",
    "comms": "communications",
    "nbhd": "neighbourhood",
    "asb": "antisocial behaviour",
    "pb": "participatory budgeting",
    "qs": "questions",
    "wk": "week",
    "wkly": "weekly",
    "mthly": "monthly",
    # Not "yr": it is the Welsh article ("yr opsiwn"), far more often than a year.
    "yrs": "year",
    "st": "street",
    "rd": "road",
    "uni": "university",
    "u": "you",
    "ur": "your",
    "b4": "before",
    "vol": "volunteer",
    "vols": "volunteer",
    "approx": "approximately",
}
"""Short forms people type in a note, and the words they stand for: a suggestion compares
the words (`categorise.Suggester`), so "mtg w/ cllr" meets "meeting with councillor". Only
forms that stand for one thing in engagement notes; a case-folded token is looked up."""


MISSPELLINGS: Final[dict[str, str]] = {
    # Each is too short, or too far from its word, for a suggestion's typo allowance (a long
    # word, one or two letters out); the words are those an engagement note is about.
    "survy": "survey",
    "servey": "survey",
    "survay": "survey",
    "questionare": "questionnaire",
    "questionnare": "questionnaire",
    "questionair": "questionnaire",
    "newletter": "newsletter",
    "flier": "flyer",
    "leaflit": "leaflet",
    "leeflet": "leaflet",
    "websight": "website",
    "webiste": "website",
    "wesite": "website",
    "exhibiton": "exhibition",
    "concultation": "consultation",
    "consultaion": "consultation",
    "consutation": "consultation",
    "comitee": "committee",
    "commitee": "committee",
    "commitie": "committee",
    "meetin": "meeting",
    "meetng": "meeting",
    "meting": "meeting",
    "focas": "focus",
    "fourm": "forum",
    "jurey": "jury",
    "citizan": "citizen",
    "citzen": "citizen",
    "panal": "panel",
    "budjet": "budget",
    "interveiw": "interview",
    "intreview": "interview",
    "feedbak": "feedback",
    "sugestion": "suggestion",
    "counsil": "council",
    "councel": "council",
    "concil": "council",
    "coucil": "council",
    "libary": "library",
    "liberry": "library",
    "goverment": "government",
}
"""Misspellings common in notes typed in a hurry, and the words they stand for: read like short
forms (`expand`). A case-folded, singular token is looked up."""


def expand(tokens: list[str]) -> list[str]:
    """The tokens with each short form (`ABBREVIATIONS`) replaced by the word(s) it stands for,
    and each common misspelling (`MISSPELLINGS`) by its word."""
    out: list[str] = []
    for token in tokens:
        long = ABBREVIATIONS.get(token) or MISSPELLINGS.get(token)
        out += long.split() if long else [token]
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one lower-case word (as `categorise.words` gives it): an irregular form
    brought to its word (`IRREGULAR`), then the Snowball English stemmer (Porter 2, the
    `snowballstemmer` package), then what `_tidy` takes off."""
    word = IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha() or word in _KEEP:
        return word
    return _tidy(_ENGLISH.stemWord(word))


def _tidy(base: str) -> str:
    """What Snowball leaves of an agent noun ("planner", "designer", "empower": "er" or "or"
    after four letters or more), a doubled last consonant ("plann") and a final e ("share"),
    so that "planners", "planning" and "plan" meet."""
    if len(base) >= 6 and base.endswith(("er", "or")) and any(ch in _VOWELS for ch in base[:-2]):
        base = base[:-2]
    if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in _VOWELS and base[-1] not in "ls":
        base = base[:-1]
    if len(base) >= 4 and base.endswith("e"):
        base = base[:-1]
    return base


__all__ = ["ABBREVIATIONS", "IRREGULAR", "MISSPELLINGS", "expand", "stem"]

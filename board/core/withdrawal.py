"""Withdrawal codes: taking one's words back later, from any device, with no account.

When someone joins, they are shown a withdrawal code once (`new_code`), e.g. `K7QM-3RTX-PWHN`:
twelve characters from the join code's alphabet, with no 0/O or 1/I/L to confuse, in three
groups of four, so it can be read aloud, written on a slip of paper or typed on a phone. Only
its SHA-256 is stored (`code_hash`), beside their anonymous participant row: a code finds its
holder and nothing else, and the database alone gives no code back.

With the code, `/withdraw` lists what its holder made in the workshop (`items`) and takes back
all or some of it, until the facilitator's cut-off (`open_until`). A wrong code, a code whose
workshop has passed its cut-off and a code whose workshop is gone all get the same answer: the
person learns nothing about any code but their own.

31**12 ≈ 7.9e17 codes. Wrong attempts are rate-limited per address (`app/loop.py`), so a guesser
trying codes gets nowhere, and no code says whose it is: finding one at random would only show
the anonymous notes of someone unknown.

Pure: `new_code` takes its random source (the edge passes `random.SystemRandom`).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from board.core.model import AnyObject, Comment, Note, PollWord, Vote
from board.core.state import BoardState

CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""As join codes (`app/auth.py`): no 0/O, 1/I/L."""
CODE_LENGTH: Final = 12
CODE_GROUP: Final = 4
"""Characters per group when shown: three groups of four."""
MAX_TYPED: Final = 64
"""Characters of a typed code read at all (spaces and dashes included)."""
MAX_ITEMS: Final = 2_000
"""Items one withdrawal request may name. Someone adds tens of notes in a workshop; past this
they withdraw everything at once (`all`)."""
ITEM_REF_PATTERN: Final = r"^[0-9]{1,3}:[A-Za-z0-9_-]{1,64}$"
"""An item is named `board number:object id`, as notes are in the record API."""

_SEPARATORS: Final = re.compile(r"[\s\-‐‑–—_.]+")


def new_code(rng: random.Random) -> str:
    """A fresh code, ungrouped (`format_code` groups it for showing)."""
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """`K7QM3RTXPWHN` → `K7QM-3RTX-PWHN`."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalise_code(typed: str) -> str | None:
    """What someone typed, as a code: case, spaces, dashes and dots do not matter. None when it
    cannot be a code at all (wrong length, or a character the alphabet leaves out)."""
    if len(typed) > MAX_TYPED:
        return None
    code = _SEPARATORS.sub("", typed).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str) -> str:
    """What is stored: SHA-256 of the normalised code, apart from tokens by a prefix."""
    return hashlib.sha256(f"receipt:{code}".encode()).hexdigest()


def open_until(cutoff: int | None, keep_until: int) -> int:
    """When withdrawing with a code stops: the facilitator's cut-off, and never after the
    workshop is erased anyway."""
    return keep_until if cutoff is None else min(cutoff, keep_until)


# --- what a code holder made ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a participant made, as their withdrawal list shows it."""

    board: int
    id: str
    kind: str
    """The object's type: `note`, `comment`, `vote`, `pollword`, `shape`, …"""
    text: str
    """Its own text; for a vote, the text of the note it is on."""
    created: int
    given_on: int | None
    """The number of the board it was made on, as its holder knows it: where it is (`board`),
    except an exit-poll answer, kept on the main board but given on the board its author was
    on (None: on the poll's own page)."""

    @property
    def ref(self) -> str:
        return f"{self.board}:{self.id}"


def items(boards: Mapping[int, BoardState], ref: str, made: Mapping[str, int] | None = None) -> list[Item]:
    """Everything participant `ref` made on these boards, in the order of `in_order`."""
    found: list[Item] = []
    for number in sorted(boards):
        state = boards[number]
        for oid in state.owned_by(ref):
            obj = state.objects.get(oid)
            if obj is not None:
                given_on = obj.board if isinstance(obj, PollWord) else number
                found.append(Item(number, oid, _kind(obj), _text(obj, state), obj.created, given_on))
    return in_order(found, made or {})


def in_order(found: Iterable[Item], made: Mapping[str, int]) -> list[Item]:
    """By board, then time; made in the same millisecond, in the order they were made: `made`
    gives where each was made in its board's history, by item ref, as the store keeps it
    (`objects.made`), so a vote and a comment made one after the other are listed as they were
    made, before a restart and after it. Then by id: what `made` does not name (a share of a
    merged point, an object stored before it was kept) first.

    Not in the order a board's state holds them (`owned_by`): a board read back from the store
    has its objects in id order, and a refused op puts back what it had removed at the end."""
    return sorted(found, key=lambda item: (item.board, item.created, made.get(item.ref, -1), item.id))


def chosen(found: Iterable[Item], refs: Iterable[str]) -> dict[int, set[str]]:
    """The named items that are the holder's, by board; names that are not theirs (or not
    there any more) are left out, without saying so: someone else's id tells nothing."""
    theirs = {item.ref: item for item in found}
    picked: dict[int, set[str]] = {}
    for ref in refs:
        item = theirs.get(ref)
        if item is not None:
            picked.setdefault(item.board, set()).add(item.id)
    return picked


def _kind(obj: AnyObject) -> str:
    tag: str = type(obj).__struct_config__.tag  # type: ignore[assignment]
    return tag


def _text(obj: AnyObject, state: BoardState) -> str:
    if isinstance(obj, Vote):
        target = state.objects.get(obj.target)
        return target.text if isinstance(target, Note) else ""
    if isinstance(obj, Comment | Note):
        return obj.text
    text = getattr(obj, "text", "")
    return text if isinstance(text, str) else ""

"""Friendly anonymous names for cursors ("Teal Heron"): memorable, never a person's name."""

from __future__ import annotations

import random
import unicodedata

from board.core.errors import ErrorCode, ProtocolError

COLOURS = (
    "Amber",
    "Blue",
    "Coral",
    "Crimson",
    "Gold",
    "Green",
    "Indigo",
    "Jade",
    "Lilac",
    "Mint",
    "Navy",
    "Olive",
    "Orange",
    "Pearl",
    "Plum",
    "Rose",
    "Ruby",
    "Sage",
    "Silver",
    "Teal",
)
CREATURES = (
    "Badger",
    "Curlew",
    "Dolphin",
    "Dragonfly",
    "Fox",
    "Gannet",
    "Hare",
    "Hedgehog",
    "Heron",
    "Kestrel",
    "Kite",
    "Lapwing",
    "Otter",
    "Owl",
    "Puffin",
    "Robin",
    "Salmon",
    "Seal",
    "Squirrel",
    "Swift",
    "Wren",
)


def friendly_name(rng: random.Random) -> str:
    return f"{rng.choice(COLOURS)} {rng.choice(CREATURES)}"


MAX_CHOSEN_NAME = 40
"""Characters in a name someone chooses for their cursor: a first name or a nickname."""


def tidy_chosen_name(typed: str) -> str | ProtocolError:
    """A name someone typed to show beside their cursor, tidied (spaces collapsed), or why it
    cannot be used. It is shown as text only, so any characters are safe; control and
    formatting characters are refused because they can hide or reorder what others see."""
    name = " ".join(typed.split())
    if not name:
        return ProtocolError(
            ErrorCode.TOO_SHORT, "name", "type a name, or clear it to go back to your made-up one"
        )
    if len(name) > MAX_CHOSEN_NAME:
        return ProtocolError(ErrorCode.TOO_LONG, "name", f"must be at most {MAX_CHOSEN_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return ProtocolError(ErrorCode.BAD_FORMAT, "name", "must not contain control characters")
    return name

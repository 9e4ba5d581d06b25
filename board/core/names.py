"""Friendly anonymous names for cursors ("Teal Heron"): memorable, never a person's name."""

from __future__ import annotations

import random

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

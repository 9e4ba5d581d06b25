"""English and Welsh: the message catalogue, and which language a request gets.

Every string a person reads on a page lives in `board/i18n/catalogue/<area>.json`, one file per part
of the product, each entry carrying both languages:

    {"board.add_note": {"en": "Add a note", "cy": "Ychwanegu nodyn"}}

A key starts with its file's name, so each area owns its strings. Templates call `t(key)`;
scripts receive the whole catalogue for the page's language in its JSON config block and call
`t(key)` from `static/js/i18n.js`. `{name}` marks a value filled in at use; plural forms are
keys ending `.zero`, `.one`, `.two`, `.few`, `.many`, `.other` (Welsh needs all six, chosen
by `Intl.PluralRules` in the browser). `tests/test_i18n.py` fails when an entry lacks a
language, when the two languages disagree on their `{placeholders}`, or when a page or script
uses a key the catalogue lacks.

Language: the `board_lang` cookie (set by the switch on every page) wins; otherwise the
browser's `Accept-Language`, Welsh if it prefers Welsh to English; otherwise English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Final, Literal, cast

Language = Literal["en", "cy"]
LANGUAGES: Final[tuple[Language, ...]] = ("en", "cy")
DEFAULT_LANGUAGE: Final[Language] = "en"
LANGUAGE_NAMES: Final[Mapping[Language, str]] = {"en": "English", "cy": "Cymraeg"}
"""Each language named in itself, as the switch shows it."""
COOKIE: Final = "board_lang"
PLACEHOLDER: Final = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class CatalogError(ValueError):
    """A catalogue file that breaks the rules above, naming the file and the key."""


Catalog = Mapping[str, Mapping[Language, str]]


def parse_catalog(files: Mapping[str, str]) -> dict[str, dict[Language, str]]:
    """Entries from catalogue files (file name -> JSON text), checked as they are read."""
    catalog: dict[str, dict[Language, str]] = {}
    for name, text in sorted(files.items()):
        area = name.removesuffix(".json")
        entries = json.loads(text)
        if not isinstance(entries, dict):
            raise CatalogError(f"{name}: must be a JSON object of key -> {{en, cy}}")
        for key, entry in entries.items():
            if not key.startswith(area + "."):
                raise CatalogError(f"{name}: key {key!r} must start with {area!r}.")
            if key in catalog:
                raise CatalogError(f"{name}: key {key!r} is defined twice")
            if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
                raise CatalogError(f"{name}: {key!r} must have exactly 'en' and 'cy'")
            texts = {lang: entry[lang] for lang in LANGUAGES}
            if not all(isinstance(value, str) and value.strip() for value in texts.values()):
                raise CatalogError(f"{name}: {key!r} needs non-empty text in both languages")
            if set(PLACEHOLDER.findall(texts["en"])) != set(PLACEHOLDER.findall(texts["cy"])):
                raise CatalogError(f"{name}: {key!r} has different {{placeholders}} in en and cy")
            catalog[key] = cast(dict[Language, str], texts)
    return catalog


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The shipped catalogue, read once."""
    folder = resources.files("board.i18n.catalogue")
    files = {
        item.name: item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".json")
    }
    return parse_catalog(files)


def strings(language: Language) -> dict[str, str]:
    """Every string in one language: what a page's script receives."""
    return {key: entry[language] for key, entry in catalog().items()}


def translate(language: Language, key: str, **values: object) -> str:
    """One string, its `{placeholders}` filled. An unknown key is a bug: it raises."""
    text = catalog()[key][language]
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


def plural_form(language: Language, count: int) -> str:
    """The CLDR plural form of a whole number: what `Intl.PluralRules` gives the browser, for
    the server's own sentences. Welsh has all six forms; English "one" and "other"."""
    if language == "cy":
        return {0: "zero", 1: "one", 2: "two", 3: "few", 6: "many"}.get(count, "other")
    return "one" if count == 1 else "other"


def choose_language(cookie: str | None, accept_language: str | None) -> Language:
    """The cookie's choice, else the browser's preference between Welsh and English."""
    if cookie in LANGUAGES:
        return cookie
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                continue
        if quality <= 0:
            continue
        candidate = (-quality, position, primary)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else DEFAULT_LANGUAGE

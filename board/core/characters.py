"""The one rule for the characters of every string a client sends (DESIGN.md §4).

A string from a client (an op id, a note's text, a title, a name, an exit-poll answer, any
string field of any message or request body) may reach a store. PostgreSQL cannot hold NUL
in text at all, SQLite holds what it is given, and neither can encode a lone surrogate as
UTF-8; the exports write XML (SVG) and CSV, where control characters are not text either. So
one rule, checked at the edge before anything is applied, answers the same on both stores:

- no control characters but tab, line feed and carriage return (U+0000-U+0008, U+000B,
  U+000C, U+000E-U+001F);
- no surrogates (U+D800-U+DFFF): a JSON escape of half a pair is not a character;
- no noncharacters (U+FDD0-U+FDEF, and the last two code points of every plane, U+FFFE,
  U+FFFF, U+1FFFE ... U+10FFFF), which Unicode reserves for a program's own use, never for text.

A string breaking it is refused with `bad_character`, naming the field and the character.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from board.core.errors import ErrorCode, ProtocolError

_PLANE_ENDS = "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef" + re.escape(_PLANE_ENDS) + "]")
"""One forbidden character (see the module docstring)."""

_ESCAPE = re.compile(r"\\(?:u(?:00[01]|[dD][89a-fA-F]|[fF][dD][dDeE]|[fF]{3}[eEfF])|[bf])")
"""A JSON escape that may stand for a forbidden character: a control (`\\u0000`-`\\u001f`,
`\\b`, `\\f`), half of a surrogate pair (a lone one, or one of a supplementary noncharacter),
U+FDD0-U+FDEF, U+FFFE, U+FFFF. An escaped accent (`\\u00e9`) is not one."""
_ESCAPE_BYTES = re.compile(_ESCAPE.pattern.encode())
_NONCHARACTER_BYTES = (b"\xbf\xbe", b"\xbf\xbf", b"\xef\xb7")
"""Every noncharacter's UTF-8 holds one of these: U+FDD0-U+FDEF start EF B7, and U+FFFE, U+FFFF
and their kin in every plane end BF BE or BF BF (a few other characters match, harmlessly)."""


RULE = "may hold no control characters but tab and new line, no noncharacters and no lone surrogates"


def may_hold(raw: str | bytes) -> bool:
    """Whether raw JSON text needs the exact check (`refusal`): False means it certainly
    passes. Substring and ASCII tests only, at C speed, so an ordinary frame pays well under a
    microsecond: valid JSON holds no raw control character in a string, so a forbidden
    character is escaped, or it is a raw surrogate or noncharacter in non-ASCII text."""
    if isinstance(raw, str):
        if "\\" in raw and _ESCAPE.search(raw):
            return True
        if raw.isascii():
            return False
        try:
            encoded = raw.encode()
        except UnicodeEncodeError:  # a surrogate
            return True
        return any(marker in encoded for marker in _NONCHARACTER_BYTES)
    if b"\\" in raw and _ESCAPE_BYTES.search(raw):
        return True
    if raw.isascii():
        return False
    # In bytes a surrogate may also come raw (ED A0-BF: invalid UTF-8 that a lax reader takes).
    return any(marker in raw for marker in _NONCHARACTER_BYTES) or b"\xed" in raw


def bad_character(text: str) -> str | None:
    """The first forbidden character of `text`, as its code point (`U+0000`), or None when all
    are allowed."""
    found = FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def printable(text: str) -> str:
    """`text` with each forbidden character written as its code point (`a\\ud800` becomes
    `aU+D800`): how an error names a field whose key breaks the rule. The error echoes the
    field's name, and half a surrogate pair cannot be sent as UTF-8 at all."""
    return FORBIDDEN.sub(lambda found: f"U+{ord(found.group()):04X}", text)


def refusal(value: Any, field: str = "") -> ProtocolError | None:
    """The `bad_character` error for the first string (or object key) in a decoded JSON value
    (dicts, lists, strings, numbers) that breaks the rule, with its dotted field path; None
    when every string passes."""
    if isinstance(value, str):
        character = bad_character(value)
        if character is None:
            return None
        return ProtocolError(ErrorCode.BAD_CHARACTER, field, f"must not contain {character}: text {RULE}")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and bad_character(key) is not None:
                named = printable(key)
                return refusal(key, f"{field}.{named}" if field else named)
            path = f"{field}.{key}" if field else str(key)
            found = refusal(item, path)
            if found is not None:
                return found
        return None
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for index, item in enumerate(value):
            found = refusal(item, f"{field}[{index}]")
            if found is not None:
                return found
    return None

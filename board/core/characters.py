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

MAY_HOLD = re.compile(FORBIDDEN.pattern + r"|\\[ubf]")
"""Raw JSON text that may decode to a forbidden character: one is there as it is, or some
escape is (`\\u`, or `\\b` and `\\f`: U+0008, U+000C). JSON text without either cannot
hold one, so the exact check (`refusal`) runs only on the rare message with such an escape."""

MAY_HOLD_BYTES = re.compile(
    rb"\\[ubf]|[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xb7[\x90-\xaf]|\xbf[\xbe\xbf]|\xed[\xa0-\xbf]"
)
"""The same, for UTF-8 bytes: an escape, a control byte, or the UTF-8 lead of a noncharacter or
surrogate (it over-matches a few ordinary characters, which only costs the exact check)."""

RULE = "may hold no control characters but tab and new line, no noncharacters and no lone surrogates"


def may_hold(raw: str | bytes) -> bool:
    """Whether raw JSON text needs the exact check: False means it certainly passes."""
    if isinstance(raw, bytes):
        return MAY_HOLD_BYTES.search(raw) is not None
    return MAY_HOLD.search(raw) is not None


def bad_character(text: str) -> str | None:
    """The first forbidden character of `text`, as U+XXXX, or None when all are allowed."""
    found = FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


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
            path = f"{field}.{key}" if field else str(key)
            if isinstance(key, str) and bad_character(key) is not None:
                return refusal(key, path)
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

"""Turning msgspec's validation messages into our error codes and plain-language rules.

The protocol types are declared once, as msgspec structs with bounds; msgspec checks them while
decoding, at C speed, and explains a failure as e.g. "Expected `str` of length <= 1000 - at
`$.op.obj.text`". This module maps each such explanation onto an `ErrorCode`, the field path
(`op.obj.text`) and a rule a person can read ("must be at most 1000 characters"). A test per
bound (tests/core/test_bounds.py) pins every mapping, so a change in msgspec's wording fails
loudly instead of producing vague errors.
"""

from __future__ import annotations

import re

import msgspec

from board.core.errors import ErrorCode, ProtocolError

_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_FIELD = re.compile(r"`(?P<name>[^`]+)`")

_TYPE_WORDS = {
    "str": "text",
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}

_PATTERN_WORDS = {
    r"^[A-Za-z0-9_-]+$": "may contain only letters, digits, '_' and '-'",
    r"^#[0-9a-fA-F]{6}$": "must be a colour written as #rrggbb",
    r"^[A-Za-z][0-9A-Za-z]*$": "must be an order key made of letters and digits",
    r"^[a-z0-9_-]+$": "may contain only lower-case letters, digits, '_' and '-'",
}

_RULES: list[tuple[re.Pattern[str], ErrorCode, str]] = [
    (
        re.compile(r"Expected `str` of length <= (\d+)"),
        ErrorCode.TOO_LONG,
        "must be at most {0} characters",
    ),
    (re.compile(r"Expected `str` of length >= 1$"), ErrorCode.TOO_SHORT, "must not be empty"),
    (
        re.compile(r"Expected `str` of length >= (\d+)"),
        ErrorCode.TOO_SHORT,
        "must be at least {0} characters",
    ),
    (
        re.compile(r"Expected `array` of length <= (\d+)"),
        ErrorCode.TOO_MANY,
        "must have at most {0} items",
    ),
    (
        re.compile(r"Expected `array` of length >= (\d+)"),
        ErrorCode.TOO_SHORT,
        "must have at least {0} items",
    ),
    (
        re.compile(r"Expected `(?:float|int)` >= (\S+)"),
        ErrorCode.OUT_OF_RANGE,
        "must be at least {0}",
    ),
    (
        re.compile(r"Expected `(?:float|int)` <= (\S+)"),
        ErrorCode.OUT_OF_RANGE,
        "must be at most {0}",
    ),
    (
        re.compile(r"Number out of range"),
        ErrorCode.OUT_OF_RANGE,
        "must be a finite number in range",
    ),
    (
        re.compile(r"Invalid enum value '(.*)'"),
        ErrorCode.BAD_VALUE,
        "'{0}' is not one of the allowed values",
    ),
]


def _join(prefix: str, path: str) -> str:
    path = path.lstrip(".")
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix + path if path.startswith("[") else f"{prefix}.{path}"


def from_msgspec(error: msgspec.MsgspecError, prefix: str = "") -> ProtocolError:
    """The `ProtocolError` for a msgspec decode or validation failure, with its field under
    `prefix`."""
    if not isinstance(error, msgspec.ValidationError):
        return ProtocolError(ErrorCode.BAD_JSON, prefix, f"is not valid JSON ({error})")
    match = _AT.match(str(error))
    assert match is not None  # the pattern accepts any string
    message = match["message"]
    field = _join(prefix, match["path"] or "")
    return _classify(message, field)


def _classify(message: str, field: str) -> ProtocolError:
    if message.startswith("Object missing required field"):
        name = _FIELD.search(message)
        return ProtocolError(
            ErrorCode.MISSING_FIELD, _join(field, name["name"] if name else ""), "is required"
        )
    if message.startswith("Object contains unknown field"):
        name = _FIELD.search(message)
        return ProtocolError(
            ErrorCode.UNKNOWN_FIELD,
            _join(field, name["name"] if name else ""),
            "is not a known field here",
        )
    if message.startswith("Invalid value"):
        return ProtocolError(
            ErrorCode.BAD_MESSAGE,
            field,
            f"unknown {field.rsplit('.', 1)[-1] or 'type'}: {message[14:]}",
        )
    if message.startswith("Expected `str` matching regex"):
        pattern = message.split("'", 1)[1].rsplit("'", 1)[0]
        return ProtocolError(
            ErrorCode.BAD_FORMAT, field, _PATTERN_WORDS.get(pattern, f"must match {pattern}")
        )
    for rule_pattern, code, rule in _RULES:
        found = rule_pattern.search(message)
        if found:
            return ProtocolError(code, field, rule.format(*found.groups()))
    typed = re.match(r"Expected `(\w+)(?: \| \w+)*`(?: \| `?\w+`?)*(?:, got `(\w+)`)?$", message)
    if typed:
        if not field and typed[1] == "object":
            return ProtocolError(ErrorCode.BAD_JSON, "", "a message must be a JSON object")
        wanted = _TYPE_WORDS.get(typed[1], typed[1])
        if typed[2] is None:  # a tag (`type`, `kind`) that is not a string
            return ProtocolError(ErrorCode.WRONG_TYPE, field, f"must be {wanted}")
        got = _TYPE_WORDS.get(typed[2], typed[2])
        return ProtocolError(ErrorCode.WRONG_TYPE, field, f"must be {wanted}, not {got}")
    return ProtocolError(ErrorCode.BAD_MESSAGE, field, message)

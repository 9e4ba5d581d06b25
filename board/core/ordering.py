"""Stacking order by fractional keys.

Each placed object has an order key `z`, a string compared character by character. Drawing
order is the objects sorted by `(z, id)`. To put an object between two others, give it a key
between theirs (`key_between`); bringing it to the front is a key after the largest. Only the
moved object changes, so two people reordering at once never rewrite each other's objects,
and when they happen to choose the same key the `id` breaks the tie the same way on every
client.

Keys follow David Greenspan's scheme (variable-length integer part, then a fraction; base 62;
no trailing zero), as implemented by the `fractional-indexing` packages on PyPI and npm: the
browser vendors the npm one, so keys made on either side interoperate.
"""

from __future__ import annotations

from collections.abc import Iterable

from fractional_indexing import FIError, generate_key_between, validate_order_key

from board.core.model import Placed


def is_valid_key(key: str) -> bool:
    try:
        validate_order_key(key)
    except FIError:
        return False
    return True


def key_between(before: str | None, after: str | None) -> str:
    """A key strictly between `before` and `after` (None means the start or the end).

    Raises ValueError when `before >= after`, which is a bug in the caller, not bad input.
    """
    try:
        key: str = generate_key_between(before, after)
    except FIError as error:
        raise ValueError(str(error)) from error
    return key


def key_after_all(objects: Iterable[Placed]) -> str:
    """A key that draws above every object given (for "bring to front", or server-made objects)."""
    top = max((obj.z for obj in objects), default=None)
    return key_between(top, None)


def drawing_order(objects: Iterable[Placed]) -> list[Placed]:
    return sorted(objects, key=lambda obj: (obj.z, obj.id))

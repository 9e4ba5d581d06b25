"""Giving memory back to the operating system once a board closes.

Freeing a closed board's objects returns their memory to Python's and the C library's free
lists, not to the system: glibc keeps freed heap pages until told otherwise, so a server that
once held a busy board would keep its peak RSS for good (the issue's probe: 1,855 MB "still
held after everyone had left"). `malloc_trim(0)` hands every free page back. Elsewhere than
glibc this does nothing but collect garbage.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _trim = _libc.malloc_trim
except (OSError, AttributeError):
    _trim = None


def give_back() -> None:
    """Collect what a closed board left (cycles included) and return free pages to the system."""
    gc.collect()
    if _trim is not None:
        _trim(0)

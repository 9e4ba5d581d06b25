"""Giving memory back to the operating system once a board closes.

Freeing a closed board's objects returns their memory to Python's and the C library's free
lists, not to the system: glibc keeps freed heap pages until told otherwise, so a server that
once held a busy board would keep its peak RSS for good (the issue's probe: 1,855 MB "still
held after everyone had left"). `malloc_trim(0)` hands every free page back. Elsewhere than
glibc this does nothing but collect garbage.
"""

from __future__ import annotations

import asyncio
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


def exempt_what_is_loaded() -> None:
    """Leave everything the process holds now (its modules and their tables: the vocabularies,
    the Welsh lexicon, SQLAlchemy's and Starlette's machinery) out of every later garbage
    collection. It lives as long as the process, yet each full collection walked all of it,
    some 50,000-90,000 objects and most of the pause every socket waits through. Called once,
    when `board serve` is about to take connections; what is garbage now is collected first."""
    gc.collect()
    gc.freeze()


def give_back() -> None:
    """Collect what a closed board left (cycles included) and return free pages to the system."""
    gc.collect()
    if _trim is not None:
        _trim(0)


_pending: set[asyncio.AbstractEventLoop] = set()


def give_back_soon(delay: float = 1.0) -> None:
    """`give_back` in `delay` seconds, once for however many boards close meanwhile (the end
    of a workshop closes dozens together; one collection serves them all)."""
    loop = asyncio.get_running_loop()
    if loop in _pending:
        return
    _pending.add(loop)

    def run() -> None:
        _pending.discard(loop)
        give_back()

    loop.call_later(delay, run)

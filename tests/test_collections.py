"""`board serve` leaves what it loaded at start-up out of later garbage collections
(`trim.exempt_what_is_loaded`): a full collection then walks what the workshops hold, not the
tens of thousands of objects of the modules, which every socket used to wait through."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc
import board.cli  # what `board serve` has loaded before it takes connections
from board.sync.trim import exempt_what_is_loaded
before = len(gc.get_objects())
exempt_what_is_loaded()
print(before, len(gc.get_objects()), gc.get_freeze_count())
"""


def test_what_is_loaded_at_start_up_is_left_out_of_collections() -> None:
    printed = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    tracked_before, tracked_after, frozen = map(int, printed.stdout.split())
    assert tracked_before > 20_000, "the modules alone are tens of thousands of tracked objects"
    assert frozen >= tracked_before * 0.9, "almost all of them exempted"
    assert tracked_after < tracked_before / 10, "what a collection walks afterwards"

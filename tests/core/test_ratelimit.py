"""The rate limits' laws, with time passed in: no clock, no sleeping."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from board.core.ratelimit import Lockout, TokenBucket

LIMIT, WINDOW, PENALTY = 20, 60.0, 60.0


@given(st.lists(st.floats(min_value=0.0, max_value=30.0), min_size=1, max_size=200))
def test_a_guesser_gets_at_most_the_limit_in_any_window_and_then_a_whole_penalty(gaps: list[float]) -> None:
    """Docs: "after 20 wrong codes from one address, 429 for a minute". Over any sequence of
    guesses: no `WINDOW` seconds ever see more than `LIMIT` guesses checked, and for the
    `PENALTY` seconds after the guess that reached the limit, none is."""
    lockout = Lockout(LIMIT, WINDOW, PENALTY)
    now, checked, locked_at = 0.0, list[float](), list[float]()
    for gap in gaps:
        now += gap
        if lockout.take("198.51.100.7", now):
            checked.append(now)
            if lockout.exhausted("198.51.100.7", now):
                locked_at.append(now)
        else:
            assert any(now - t < PENALTY for t in locked_at), "refused only while locked out"
    for i, t in enumerate(checked):
        assert sum(1 for u in checked[i:] if u - t < WINDOW) <= LIMIT
    for t in locked_at:
        assert not [u for u in checked if t < u < t + PENALTY]


def test_a_locked_address_stays_locked_though_a_bucket_would_have_refilled() -> None:
    lockout = Lockout(LIMIT, WINDOW, PENALTY)
    for n in range(LIMIT):
        assert lockout.take("a", n * 0.01)
    bucket = TokenBucket(LIMIT / 60, LIMIT)
    for n in range(LIMIT):
        bucket.take(n * 0.01)
    assert bucket.take(3.1), "what was seen: a token bucket checks a guess again after 3.1 s"
    assert lockout.exhausted("a", 3.1)
    assert not lockout.take("a", 3.1)
    assert lockout.exhausted("a", 60.1)
    assert not lockout.exhausted("a", 60.2)
    assert not lockout.exhausted("b", 3.1), "another address has its own count"

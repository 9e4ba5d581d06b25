"""Dot-voting: who may cast a vote, on what, and how many.

A vote is an object of its own (`model.Vote`), made by its voter and pointing at its target;
the facilitator opens and closes voting and sets each person's budget in the board's settings
(`voting`, `vote_budget`). Votes are anonymous on the board until the facilitator shows them
(`votes_shown`); the record counts every vote once, whatever copies of its note exist
(`provenance.vote_keys`).
"""

from __future__ import annotations

from collections.abc import Callable

from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Placed, Settings, Stroke


def refusal(
    target: AnyObject | None, visible: bool, used: Callable[[], int], settings: Settings
) -> ProtocolError | None:
    """Why a vote may not be cast on `target` (None when it may): voting must be open, the
    target an object placed on the board (not a pen stroke) that the voter can see, and the
    voter must have a vote left of `settings.vote_budget` (`used()` so far on this board). An
    object the voter cannot see answers as one that does not exist. `used` is asked last, and
    only then, because counting a voter's votes walks the board: a flood of refused votes must
    not cost a scan each."""
    if not settings.voting:
        return ProtocolError(ErrorCode.VOTING_CLOSED, "", "voting is not open on this board")
    if not isinstance(target, Placed) or isinstance(target, Stroke) or not visible:
        return ProtocolError(ErrorCode.NOT_FOUND, "target", "no such object to vote for")
    if used() >= settings.vote_budget:
        return ProtocolError(
            ErrorCode.VOTE_BUDGET, "", f"you have used all {settings.vote_budget} of your votes"
        )
    return None

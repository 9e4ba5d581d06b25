"""The purpose statement a participant reads before the board, and every version of it.

Seed 003 asks that "the purpose of the engagement exercise is clear, and how it will inform
service change or improvement, and by when". So before anyone reaches a board the join page
says, in their language: what the session is for and how the notes will be used (`statement`),
who will see the record (`audience`), who to ask (`contact`), and, from the server, how long
everything is kept and how to take one's words back.

A template gives the first version (`details["purpose"] = {en, cy}`, its `purpose` and `use`
together, with `details["purpose_audience"]` and `details["purpose_contact"]`, from
`sessions/`); the facilitator may rewrite it. People who joined earlier read the earlier
text, so no version is ever overwritten: `details["purpose_versions"]` keeps each one with
the time it was saved (from when the join page showed it), and the record lists them all
(`record.Workshop.purpose`). The current one is the last.

Pure: the edge (`board/services/purpose.py`) reads and writes `details`; this module only reads the
versions out of it and works out the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from board.core.errors import ErrorCode, ProtocolError
from board.core.taxonomies import Bilingual

MAX_STATEMENT: Final = 1_000
"""Characters of the statement, in each language: a few short paragraphs. Longer is not read
on a phone before joining (and a template's purpose has the same bound, `plan.MAX_PURPOSE`)."""
MAX_AUDIENCE: Final = 500
"""Characters of "who will see the record", in each language."""
MAX_CONTACT: Final = 200
"""Characters of the contact: a name, an e-mail address or a phone number, a web address."""
MAX_VERSIONS: Final = 50
"""Versions kept. A purpose is rewritten a handful of times at most; past this the edit is
refused rather than the history cut."""

PURPOSE_DETAIL: Final = "purpose"
"""The key of `details` with the current statement, `{en, cy}` (what templates set)."""
AUDIENCE_DETAIL: Final = "purpose_audience"
"""The key of `details` with a template's "who will see the record", `{en, cy}`."""
CONTACT_DETAIL: Final = "purpose_contact"
"""The key of `details` with a template's contact (often empty: the facilitator fills it in)."""
VERSIONS_DETAIL: Final = "purpose_versions"
NO_TEXT: Final = Bilingual("")


@dataclass(frozen=True, slots=True)
class Purpose:
    statement: Bilingual
    """What the session is for and how the notes will be used."""
    audience: Bilingual = NO_TEXT
    """Who will see the record."""
    contact: str = ""
    """Who to ask about it (an organisation's address, not a participant's)."""


@dataclass(frozen=True, slots=True)
class PurposeVersion:
    number: int
    """1, 2, …: in the order they were written."""
    since: int
    """When it was saved (ms since the epoch; a template's, when the workshop was made): the
    join page shows it from then on, so everyone who joined after read it."""
    purpose: Purpose


def versions(details: Mapping[str, Any], created_at: int) -> tuple[PurposeVersion, ...]:
    """Every version of a workshop's purpose, oldest first; () when it never had one. Values
    that are not what this module writes (a hand-edited database) are passed over."""
    stored = details.get(VERSIONS_DETAIL)
    if isinstance(stored, list) and stored:
        found: list[PurposeVersion] = []
        for entry in stored:
            version = _version(entry, len(found) + 1)
            if version is not None:
                found.append(version)
        if found:
            return tuple(found)
    first = _bilingual(details.get(PURPOSE_DETAIL))
    if first is None or not first.en.strip():
        return ()
    audience = _bilingual(details.get(AUDIENCE_DETAIL)) or NO_TEXT
    contact = details.get(CONTACT_DETAIL)
    purpose = Purpose(first, audience, contact if isinstance(contact, str) else "")
    return (PurposeVersion(1, created_at, purpose),)


def current(details: Mapping[str, Any], created_at: int) -> PurposeVersion | None:
    """The version people joining now read."""
    found = versions(details, created_at)
    return found[-1] if found else None


def revise(
    details: Mapping[str, Any], created_at: int, purpose: Purpose, now: int
) -> dict[str, Any] | ProtocolError | None:
    """The `details` keys to store for a new version; None when it says what the current one
    already says (nothing to version); a refusal once `MAX_VERSIONS` are kept."""
    before = versions(details, created_at)
    if before and before[-1].purpose == purpose:
        return None
    if len(before) >= MAX_VERSIONS:
        return ProtocolError(
            ErrorCode.TOO_MANY, "statement", f"a purpose keeps at most {MAX_VERSIONS} versions"
        )
    after = (*before, PurposeVersion(len(before) + 1, now, purpose))
    return {
        PURPOSE_DETAIL: _bilingual_data(purpose.statement),
        VERSIONS_DETAIL: [version_data(version) for version in after],
    }


def version_data(version: PurposeVersion) -> dict[str, Any]:
    """A version as `details` and the API hold it."""
    return {
        "since": version.since,
        "statement": _bilingual_data(version.purpose.statement),
        "audience": _bilingual_data(version.purpose.audience),
        "contact": version.purpose.contact,
    }


def _version(entry: object, number: int) -> PurposeVersion | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("since"), int):
        return None
    statement = _bilingual(entry.get("statement"))
    if statement is None:
        return None
    audience = _bilingual(entry.get("audience")) or NO_TEXT
    contact = entry.get("contact")
    return PurposeVersion(
        number, entry["since"], Purpose(statement, audience, contact if isinstance(contact, str) else "")
    )


def _bilingual(value: object) -> Bilingual | None:
    if not isinstance(value, dict) or not isinstance(value.get("en"), str):
        return None
    cy = value.get("cy")
    return Bilingual(value["en"], cy if isinstance(cy, str) and cy.strip() else None)


def _bilingual_data(text: Bilingual) -> dict[str, str | None]:
    return {"en": text.en, "cy": text.cy}

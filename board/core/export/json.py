"""The record as JSON: the full-fidelity export, for a council's engagement database.

The document names its format and schema version (`format`, `schema_version`) and validates
against `record.schema.json` (JSON Schema draft 2020-12), which ships in this package; the
tests validate every export against it. Every object in the schema forbids properties it does
not list, so the JSON can carry no more than the record has.

Text is written as UTF-8 (Welsh letters as themselves), with `<`, `>` and `&` escaped as
`\\u003c`, `\\u003e` and `\\u0026`: still the same JSON, but safe to embed in an HTML page.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

from board.core.record import RECORD_FORMAT, Record, RecordNote, iso_utc
from board.core.taxonomies import Bilingual, Taxonomy

SCHEMA_FILE: Final = "record.schema.json"
SCHEMA_ID: Final = "urn:workshop-board:record:2"
MEDIA_TYPE: Final = "application/json"


def to_data(record: Record) -> dict[str, Any]:
    """The record as plain JSON-ready data, in the shape the schema describes."""
    return {
        "format": RECORD_FORMAT,
        "schema_version": record.schema_version,
        "exported_at": iso_utc(record.exported_at),
        "workshop": _workshop(record),
        "taxonomy": _taxonomy(record.taxonomy),
        "boards": [{"number": b.number, "title": b.title, "notes": b.notes} for b in record.boards],
        "notes": [_note(n) for n in record.notes],
        "definitions": [
            {
                "category": d.category,
                "board": d.board,
                "definition": d.definition,
                "why": d.why,
                "excellent": list(d.excellent),
            }
            for d in record.definitions
        ],
        "duplicates": [
            {
                "id": c.id,
                "notes": list(c.notes),
                "boards": list(c.boards),
                "raised_in": c.raised_in,
                "groups": c.groups,
                "similarity": c.similarity,
            }
            for c in record.duplicates
        ],
        "exit_poll": [{"word": p.word, "count": p.count} for p in record.exit_poll],
        "exit_poll_question": None
        if record.exit_poll_question is None
        else _bilingual(record.exit_poll_question),
        "summary": {
            "notes": len(record.notes),
            "groups": record.groups,
            "withdrawn": record.excluded.withdrawn,
            "uncategorised": record.uncategorised,
            "categories": [
                {"key": c.key, "confirmed": c.confirmed, "suggested": c.suggested} for c in record.counts()
            ],
        },
        "excluded": {
            "hidden_notes": record.excluded.hidden_notes,
            "private_notes": record.excluded.private_notes,
            "definitions": record.excluded.definitions,
        },
    }


def _workshop(record: Record) -> dict[str, Any]:
    workshop = record.workshop
    return {
        "title": workshop.title,
        "template": workshop.template,
        "agenda": list(workshop.agenda),
        "starts_at": _time(workshop.starts_at),
        "ends_at": _time(workshop.ends_at),
        "first_contribution_at": _time(record.first_contribution_at),
        "purpose": [
            {
                "version": version.number,
                "since": iso_utc(version.since),
                "statement": _bilingual(version.purpose.statement),
                "audience": _bilingual(version.purpose.audience),
                "contact": version.purpose.contact,
            }
            for version in workshop.purpose
        ],
    }


def _taxonomy(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "key": taxonomy.key,
        "name": _bilingual(taxonomy.name),
        "description": _bilingual(taxonomy.description),
        "source": taxonomy.source,
        "groups": [
            {"key": g.key, "label": _bilingual(g.label), "description": _bilingual(g.description)}
            for g in taxonomy.groups
        ],
        "categories": [
            {
                "key": c.key,
                "label": _bilingual(c.label),
                "description": _bilingual(c.description),
                "group": c.group,
                "examples": list(c.examples),
            }
            for c in taxonomy.categories
        ],
    }


def _note(n: RecordNote) -> dict[str, Any]:
    return {
        "id": n.id,
        "board": n.board,
        "text": n.text,
        "category": n.category,
        "category_source": n.source.value,
        "confidence": n.confidence,
        "votes": n.votes,
        "comments": list(n.comments),
        "created_at": iso_utc(n.created_at),
        "duplicate_cluster": n.cluster,
        "raised_in": list(n.raised_in),
        "shown_on": list(n.shown_on),
        "copies": n.copies,
    }


def render(record: Record) -> str:
    """The JSON document (indented, ending in a newline)."""
    text = json.dumps(to_data(record), ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def load_schema() -> dict[str, Any]:
    """The JSON Schema of the record, read from this package's data.

    This reads a file shipped with the code (through `importlib.resources`, so it works from a
    wheel too): the only read in the core, kept to this one function, which the tests and the
    edge call (once, not per request). The schema is data, not behaviour.
    """
    text = resources.files("board.core.export").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _bilingual(text: Bilingual) -> dict[str, str | None]:
    return {"en": text.en, "cy": text.cy}


def _time(ms: int | None) -> str | None:
    return None if ms is None else iso_utc(ms)

"""The workshop record at the edge: gather what `core/record.py` needs, render every format.

The core builds the record from plain inputs and renders it (`core/export/`); this module only
fetches those inputs and does the I/O around them: the workshop's facts, its taxonomy, every
board's objects, the "defining our categories" cards and the exit-poll counts. The server
(`app/record.py`) and `board export` (`cli.py`) both go through `gather` and `render`, so the
download and the command line give the same record.

Anonymity holds by construction: a board's *objects* go into the record and never its
`BoardState.authors`, and the record renumbers notes (`core/record.py`). Nothing here adds
anything about a person.

Where the template and the exit poll come in, each one function: `template_facts` (a
template's agenda and taxonomy), `exit_poll_counts` and `wordcloud_svg` (the exit poll's words
and their cloud; its question is `poll.asked_question`).
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from board import i18n
from board.core.export import csv as csv_export
from board.core.export import json as json_export
from board.core.export import markdown as markdown_export
from board.core.export.report import LocalTime, build_report
from board.core.export.words import Words
from board.core.hyphenation import Language, Patterns, hyphenate_long_words, parse_patterns, text_language
from board.core.model import AnyObject, Definition, Note
from board.core.plan import Plan
from board.core.poll import Blocklist
from board.core.purpose import versions as purpose_versions
from board.core.record import BoardInput, CategoryDefinition, Record, Workshop, build_record, iso_date
from board.core.state import BoardState
from board.core.taxonomies import BUILT_IN, Bilingual, Taxonomy, resolve
from board.core.welsh import duplicate_key
from board.services.poll import asked_question, record_counts
from board.services.poll_pictures import svg_for_record
from board.services.templates import load as load_template
from board.settings import DEFAULT_TIME_ZONE
from board.store.database import Database
from board.store.directory import BoardRef, WorkshopInfo
from board.store.oplog import OpLog
from board.store.withdrawal import withdrawn_count

ROOT: Final = Path(__file__).resolve().parents[2]
TEMPLATES: Final = ROOT / "templates"
REPORT_CSS: Final = ROOT / "static" / "css" / "report.css"
HYPHENATION: Final = {
    "en": ROOT / "static" / "js" / "vendor" / "hyphen-patterns-en-gb.js",
    "cy": ROOT / "static" / "js" / "vendor" / "hyphen-patterns-cy.js",
}

DEFAULT_TAXONOMY: Final = "wakefield"
"""The taxonomy of a workshop that chose none and whose template names none (DESIGN.md §5)."""
TAXONOMY_DETAIL: Final = "taxonomy"
"""The key of a workshop's `details` that holds the facilitator's choice of taxonomy."""
HTML_MEDIA_TYPE: Final = "text/html; charset=utf-8"


class Format(StrEnum):
    """The export formats, by the file extension each is downloaded with."""

    JSON = "json"
    CSV = "csv"
    MARKDOWN = "md"
    HTML = "html"


MEDIA_TYPES: Final[Mapping[Format, str]] = {
    Format.JSON: json_export.MEDIA_TYPE,
    Format.CSV: csv_export.MEDIA_TYPE,
    Format.MARKDOWN: markdown_export.MEDIA_TYPE,
    Format.HTML: HTML_MEDIA_TYPE,
}


# --- hooks for templates and the exit poll ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateFacts:
    """What a workshop's template contributes to its record."""

    agenda: tuple[str, ...] = ()
    taxonomy: object | None = None
    """A built-in taxonomy's key or a whole taxonomy as data (`taxonomies.resolve`)."""


def template_facts(template: str | None) -> TemplateFacts:
    """The agenda and taxonomy of the template a workshop was made from.

    `workshops.template` holds the template's key (`engagement-network`) or None; the template
    is read from `sessions/` (`board/services/templates.py`). Nothing for a key with no template that
    checks out. A workshop's own choice (`details["taxonomy"]`) still wins over its taxonomy.
    """
    plan = load_template(template) if template else None
    if not isinstance(plan, Plan):
        return TemplateFacts()
    return TemplateFacts(agenda=plan.agenda_lines("en"), taxonomy=plan.taxonomy_spec)


async def exit_poll_counts(
    database: Database, workshop: WorkshopInfo, blocklist: Blocklist | None = None
) -> dict[str, int]:
    """The exit poll's words and how many gave each, as the cloud shows them: blocked words
    and words a facilitator hid are left out (`board/services/poll.py`). Read from the store, which holds
    every answer that was ever acknowledged. `blocklist` is the server's own (the one its live
    cloud uses, `ExitPoll.blocklist`); without one, the installation's (`BOARD_POLL_BLOCKLIST`),
    as `board export` reads it."""
    return await record_counts(OpLog(database), workshop, blocklist)


def wordcloud_svg(counts: Mapping[str, int], lang: i18n.Language = "en") -> str | None:
    """The word cloud of the counts as an SVG document, for the report, titled in the report's
    language (None without words: the report then leaves the picture out)."""
    return svg_for_record(counts, lang)


# --- the taxonomy --------------------------------------------------------------------------------


def workshop_taxonomy(workshop: WorkshopInfo) -> Taxonomy:
    """The taxonomy a workshop's notes are sorted by: the facilitator's choice, else its
    template's, else `DEFAULT_TAXONOMY`. A stored choice that no longer resolves (a template's
    own taxonomy since changed) is passed over rather than failing every export."""
    for spec in (workshop.details.get(TAXONOMY_DETAIL), template_facts(workshop.template).taxonomy):
        if spec is None:
            continue
        found = resolve(spec)
        if isinstance(found, Taxonomy):
            return found
    return BUILT_IN[DEFAULT_TAXONOMY]


def choosable_taxonomies(workshop: WorkshopInfo) -> dict[str, Taxonomy]:
    """The taxonomies a facilitator may choose for this workshop: the built-in ones and its
    template's own, by key."""
    choices = dict(BUILT_IN)
    own = template_facts(workshop.template).taxonomy
    if own is not None:
        found = resolve(own)
        if isinstance(found, Taxonomy):
            choices[found.key] = found
    return choices


# --- gathering ------------------------------------------------------------------------------------

BoardLoader = Callable[[BoardRef], Awaitable[BoardState]]
"""How to get one board's current state: from an open room on the server, from the store in
the command line."""


def store_loader(oplog: OpLog) -> BoardLoader:
    """Boards as the store holds them: every committed op, with no room opened."""

    async def load(board: BoardRef) -> BoardState:
        return (await oplog.load(board.id, 0)).state

    return load


@dataclass(frozen=True, slots=True)
class Gathered:
    """Everything a record is built from, fetched; building it is pure (`build`)."""

    workshop: WorkshopInfo
    taxonomy: Taxonomy
    agenda: tuple[str, ...]
    boards: tuple[BoardInput, ...]
    definitions: tuple[CategoryDefinition, ...]
    exit_poll: Mapping[str, int]
    withdrawn: int = 0
    """Contributions their makers withdrew (`withdrawal.py`): a count only."""
    exit_poll_question: Bilingual | None = None
    """The exit poll's question as it was asked (`poll.asked_question`)."""


async def gather(
    workshop: WorkshopInfo,
    load: BoardLoader,
    database: Database,
    *,
    on_board: Callable[[BoardRef], None] | None = None,
    blocklist: Blocklist | None = None,
) -> Gathered:
    """Fetch a workshop's boards one by one (`on_board` is told after each, for a progress bar).
    `blocklist` keeps words out of the record's exit poll: a server passes its own, so the
    record leaves out exactly what its live cloud leaves out (`exit_poll_counts`)."""
    boards: list[BoardInput] = []
    definitions: list[CategoryDefinition] = []
    for ref in workshop.boards:
        state = await load(ref)
        objects = tuple(state.objects.values())
        boards.append(BoardInput(ref.number, objects, state.settings.title))
        definitions += definition_cards(ref.number, objects)
        if on_board is not None:
            on_board(ref)
    poll = await exit_poll_counts(database, workshop, blocklist)
    return Gathered(
        workshop=workshop,
        taxonomy=workshop_taxonomy(workshop),
        agenda=template_facts(workshop.template).agenda,
        boards=tuple(boards),
        definitions=tuple(definitions),
        exit_poll=poll,
        withdrawn=await withdrawn_count(database, workshop.id),
        exit_poll_question=asked_question(workshop, answered=bool(poll)),
    )


_BULLET: Final = re.compile(r"^\s*(?:[-*•‣◦]|\d+[.)])\s+")


def definition_cards(number: int, objects: Iterable[AnyObject]) -> list[CategoryDefinition]:
    """The "defining our categories" cards on one board, as the record's definitions. Cards
    hidden by a facilitator or still private are left out, like notes. "What excellent looks
    like" is written on the card one point a line: each line becomes one point, its bullet
    (`-`, `*`, `•`, `1.`) dropped."""
    cards = sorted(
        (obj for obj in objects if isinstance(obj, Definition) and not obj.hidden and not obj.private),
        key=lambda card: (card.created, card.id),
    )
    return [
        CategoryDefinition(
            category=card.category,
            definition=card.definition.strip(),
            why=card.why.strip(),
            excellent=tuple(
                point for line in card.excellent.splitlines() if (point := _BULLET.sub("", line).strip())
            ),
            board=number,
        )
        for card in cards
        if card.definition.strip() or card.why.strip() or card.excellent.strip()
    ]


# --- building and rendering -------------------------------------------------------------------------


def build(gathered: Gathered, *, now: int) -> Record:
    """The record (pure, CPU-bound: categorising and duplicate finding; run it off the event
    loop on a server). Duplicates are found Welsh-aware (`welsh.duplicate_key`)."""
    workshop = gathered.workshop
    texts = [obj.text for board in gathered.boards for obj in board.objects if isinstance(obj, Note)]
    return build_record(
        workshop=Workshop(
            title=workshop.title,
            template=workshop.template,
            agenda=gathered.agenda,
            starts_at=workshop.created_at,
            ends_at=workshop.closed_at,
            purpose=purpose_versions(workshop.details, workshop.created_at),
        ),
        taxonomy=gathered.taxonomy,
        boards=gathered.boards,
        exported_at=now,
        definitions=gathered.definitions,
        exit_poll=gathered.exit_poll,
        exit_poll_question=gathered.exit_poll_question,
        duplicate_key=duplicate_key(texts),
        withdrawn=gathered.withdrawn,
    )


@dataclass(frozen=True, slots=True)
class Rendered:
    body: bytes
    media_type: str
    filename: str


def render(
    record: Record, fmt: Format, lang: i18n.Language = "en", time_zone: str = DEFAULT_TIME_ZONE
) -> Rendered:
    """One format of the record, with its media type and the file name to save it as. The
    printable report is written in `lang`; the data formats are the record's English. The
    report and the Markdown give times in `time_zone`; the JSON and CSV in UTC."""
    body: bytes
    if fmt is Format.JSON:
        body = json_export.render(record).encode("utf-8")
    elif fmt is Format.CSV:
        body = csv_export.render(record)
    elif fmt is Format.MARKDOWN:
        report = build_report(record, local_time=local_time(time_zone), time_zone=time_zone)
        body = markdown_export.render(record, report=report).encode("utf-8")
    else:
        body = render_html(record, lang, time_zone).encode("utf-8")
    # Named by the session's date (its first contribution), else the day it was set up.
    when = (
        record.first_contribution_at
        if record.first_contribution_at is not None
        else record.workshop.starts_at
    )
    return Rendered(body, MEDIA_TYPES[fmt], export_filename(record.workshop.title, when, fmt))


def local_time(zone: str) -> LocalTime:
    """Times in the time zone `zone` (an IANA name), as the report writes them."""
    where = ZoneInfo(zone)

    def at(ms: int) -> tuple[str, str]:
        moment = datetime.fromtimestamp(ms / 1000, where)
        return moment.strftime("%Y-%m-%d %H:%M"), moment.tzname() or zone

    return at


def render_html(record: Record, lang: i18n.Language = "en", time_zone: str = DEFAULT_TIME_ZONE) -> str:
    """The printable report as one self-contained page: its stylesheet inlined, its pictures as
    `data:` images, nothing fetched when it is opened from a disk or an e-mail. Every word of
    it is in `lang`, from the catalogue (board/i18n/catalogue/report.json)."""
    words = report_words(lang)
    cloud = wordcloud_svg({p.word: p.count for p in record.exit_poll}, lang)
    report = build_report(
        record,
        wordcloud_svg=cloud,
        lang=lang,
        words=words,
        local_time=local_time(time_zone),
        time_zone=time_zone,
    )
    return (
        _environment()
        .get_template("report.html")
        .render(
            report=report,
            inline_css=report_css(),
            t=words,
            tn=words.count,
            note_lang=lambda text: text_language(text, lang),
            drawn=lambda text: hyphenate_long_words(text, hyphenation(text_language(text, lang))),
        )
    )


@lru_cache(maxsize=2)
def hyphenation(lang: Language) -> Patterns:
    """A language's hyphenation patterns, the board's own (static/js/vendor), read once."""
    return parse_patterns(HYPHENATION[lang].read_text(encoding="utf-8"))


def report_words(lang: i18n.Language) -> Words:
    """The report's words in a language: the catalogue's strings and the language's plural rule.
    The template calls them as `t(key, ...)` and `tn(key, count, ...)`."""
    return Words(i18n.strings(lang), plural=lambda count: i18n.plural_form(lang, count))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Jinja2 as the server's pages use it: autoescape on, and a missing value is an error."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


@lru_cache(maxsize=1)
def report_css() -> str:
    return REPORT_CSS.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def html_csp() -> str:
    """The Content-Security-Policy served with the HTML report: no script at all, images only
    from `data:`, and exactly one inline stylesheet, the report's own (by its hash)."""
    digest = base64.b64encode(hashlib.sha256(report_css().encode("utf-8")).digest()).decode("ascii")
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src 'sha256-{digest}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


MAX_FILENAME_TITLE: Final = 60
"""Characters of the title kept in a download's file name."""


def export_filename(title: str, when: int | None, fmt: Format) -> str:
    """A file name made from the title and the date, in safe characters only: ASCII letters,
    digits and hyphens (`Cyfarfod ŵyr / "test"` on 19 March 2026 gives
    `cyfarfod-wyr-test-2026-03-19.json`). Accents are dropped rather than the letter, so Welsh
    titles stay readable; a title with nothing left becomes `workshop`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:MAX_FILENAME_TITLE].rstrip("-")
    parts = [slug or "workshop"]
    if when is not None:
        parts.append(iso_date(when))
    return f"{'-'.join(parts)}.{fmt.value}"


def attachment(filename: str) -> str:
    """The Content-Disposition of a download (the name is already safe: see `export_filename`)."""
    return f'attachment; filename="{filename}"'

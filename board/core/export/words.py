"""The printable report's own words, in one language.

Everything the report says in sentences ("We heard 13 notes from 3 groups.") is made here in
the core from templates keyed like the catalogue (`board/i18n/catalogue/report.json`), so a Welsh
report is the same sentences in Welsh. The core never reads the catalogue (that is I/O): the
edge hands it a `Words` made from the catalogue in the language asked for
(`board.services.record.report_words`). `ENGLISH` is the core's own English, the record's language
for every export that has no reader's language (JSON, CSV, Markdown, the command line);
`tests/test_i18n.py` checks that it says exactly what the catalogue's English says.

Counts choose a plural form by the language's rule (`plural`): `key.one`, `key.two`...
falling back to `key.other`. Numbers are written as digits, after which Welsh keeps the
noun singular ("13 nodyn o 3 grŵp").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

PLACEHOLDER: Final = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def english_plural(count: int) -> str:
    """CLDR's English rule: "one" for 1, "other" for everything else."""
    return "one" if count == 1 else "other"


@dataclass(frozen=True)
class Words:
    """Templates in one language, and that language's plural rule."""

    strings: Mapping[str, str]
    plural: Callable[[int], str] = field(default=english_plural)

    def __call__(self, key: str, **values: object) -> str:
        """One template, its `{placeholders}` filled."""
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), self.strings[key])

    def count(self, key: str, count: int, **values: object) -> str:
        """The form of `key` for `count` ("3 notes"), `{count}` filled."""
        form = f"{key}.{self.plural(count)}"
        return self(form if form in self.strings else f"{key}.other", count=count, **values)

    def join(self, items: list[str]) -> str:
        """ "a, b and c" in the language."""
        if len(items) <= 1:
            return "".join(items)
        return self("report.and", items=", ".join(items[:-1]), last=items[-1])


ENGLISH: Final = Words(
    {
        "report.and": "{items} and {last}",
        "report.chart_title": "Notes per category",
        "report.session_date": "{date} (first contribution {time})",
        "report.suggested_mark": "suggested",
        "report.heard.none": "No notes were added in this workshop.",
        "report.heard.notes_groups": "We heard {notes} from {groups}.",
        "report.heard.notes": "We heard {notes}.",
        "report.heard.sorted": "Most of what we sorted was about {list}.",
        "report.heard.voted": "The ideas with most votes were {list}.",
        "report.heard.shared": "Several groups raised the same points: {list}.",
        "report.heard.defined": "You agreed what we mean by {list}.",
        "report.heard.poll": "In a word or two, you said the session was {list}.",
        "report.count.note.one": "{count} note",
        "report.count.note.other": "{count} notes",
        "report.count.group.one": "{count} group",
        "report.count.group.other": "{count} groups",
        "report.count.more.other": "{count} more",
        "report.count.vote.one": "{count} vote",
        "report.count.vote.other": "{count} votes",
        "report.count.private_note.one": "{count} private note",
        "report.count.private_note.other": "{count} private notes",
        "report.count.contribution.one": "{count} contribution",
        "report.count.contribution.other": "{count} contributions",
        "report.left.hidden": "{notes} hidden by a facilitator",
        "report.left.private": "{notes} never revealed",
        "report.left.withdrawn": "{items} withdrawn by the people who made them",
        "report.left.sentence": "Not in this record: {list}.",
        "report.poll_alt.none": "Word cloud of the exit poll: no answers.",
        "report.poll_alt.words": "Word cloud of the exit poll: {words}.",
        "report.bar.split": "{label}: {confirmed} confirmed, {suggested} suggested",
        "report.bar.notes": "{label}: {notes}",
        "report.no_notes": "No notes.",
        "report.raised_in.one": "raised in {raised} of {count} group",
        "report.raised_in.other": "raised in {raised} of {count} groups",
    }
)
"""The core's English: the same words as the catalogue's `en` for these keys."""

"""English and Welsh (issue 8): every string in both languages, every key a page or script uses
present in the catalogue, and the language chosen from the switch or the browser."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from board import i18n
from board.core import names
from board.core.errors import ErrorCode
from tests.conftest import RunningServer

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
SCRIPT_KEY = re.compile(r"""\bt[n]?\(\s*["'`]([a-z0-9_.]+)["'`]""")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def used_keys() -> dict[str, set[str]]:
    """Literal keys used by templates and scripts, with the files using them."""
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/**/*.js")]:
        if "vendor" in path.parts:
            continue
        pattern = TEMPLATE_KEY if path.suffix == ".html" else SCRIPT_KEY
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(key, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_key_a_page_or_script_uses_is_in_both_languages() -> None:
    catalog = i18n.catalog()
    keys = used_keys()
    assert keys, "the scan finds the keys in use"
    missing = {
        key: sorted(files)
        for key, files in keys.items()
        if key not in catalog and not any(f"{key}.{form}" in catalog for form in PLURAL_FORMS)
    }
    assert missing == {}


def _known(catalog: dict[str, object], key: str) -> bool:
    """A key is in the catalogue as itself, or as a stem whose plural forms are."""
    return key in catalog or any(f"{key}.{form}" in catalog for form in PLURAL_FORMS)


CATALOGUE_FILES = sorted(path.stem for path in (ROOT / "board" / "i18n" / "catalogue").glob("*.json"))
KEY_LITERAL = re.compile(rf"""(["'`])((?:{"|".join(CATALOGUE_FILES)})\.[a-z0-9_.]*[a-z0-9_])\1""")
"""A string written in a template or a script that has the shape of a catalogue key (a
catalogue file's name, a dot, more): the help rows of board.html, a reason handed to `t()` later."""


def test_every_key_written_as_a_string_is_in_both_languages() -> None:
    """Keys that reach `t()` through a variable: `t(what)` over board.html's help rows, a
    close reason kept for the status line (`"board.status.deleted"`)."""
    catalog = i18n.catalog()
    missing: dict[str, set[str]] = {}
    seen = 0
    for path in _interface_files():
        for match in KEY_LITERAL.finditer(path.read_text(encoding="utf-8")):
            seen += 1
            if not _known(catalog, match.group(2)):
                missing.setdefault(match.group(2), set()).add(str(path.relative_to(ROOT)))
    assert seen > 200, "the scan finds the keys written as strings"
    assert missing == {}


# -- keys built at run time ------------------------------------------------------------------
#
# `t(`board.tool.${name}`)` names no key the scans above can read. Each such family is listed
# here with where its values come from, read from the script's own constant (so a tool, a shape
# or an ink added there needs its words too); a family not listed fails the first test below.

DYNAMIC_KEY = re.compile(r"""\btn?\(\s*`((?:[^`$]|\$(?!\{))*\$\{[^`]*)`""")


def js_array(path: str, anchor: str, *, opener: str = "[") -> list[str]:
    """The strings of the first array literal after `anchor` (a regex) in a script:
    `const TOOLS = [...]`, `Object.freeze([...])`, `new Set([...])`, `of ["a", "b"]` (with
    `opener="{"`, an object literal). For an array of pairs or an object, the first string of
    each entry."""
    source = (ROOT / path).read_text(encoding="utf-8")
    found = re.search(anchor, source)
    assert found, f"{anchor!r} not found in {path}"
    start = source.index(opener, found.end())
    values = []
    for entry in _arguments(source, start):
        strings = re.findall(r"""["']([^"']*)["']""", entry)
        if strings:
            values.append(strings[0])
    return values


def js_union(path: str, typedef: str) -> list[str]:
    """The string members of a JSDoc `@typedef {"a" | "b"} Name`."""
    source = (ROOT / path).read_text(encoding="utf-8")
    found = re.search(r"@typedef \{([^}]*)\} " + typedef + r"\b", source)
    assert found, f"typedef {typedef} not found in {path}"
    return re.findall(r'"([^"]+)"', found.group(1))


def _family(prefix: str, values: list[str], suffix: str = "") -> list[str]:
    return [f"{prefix}{value}{suffix}" for value in values]


def _name_colours() -> list[str]:
    return [f"names.{form}.{colour.lower()}" for colour in names.COLOURS for form in ("colour", "colour_f")]


def _name_creatures() -> list[str]:
    # One gender each: the creature's word under `creature` or `creature_f` (the test of
    # made-up names below checks which); here, that one of the two is there.
    catalog = i18n.catalog()
    return [
        next((k for k in (f"names.creature.{c.lower()}", f"names.creature_f.{c.lower()}") if k in catalog), c)
        for c in names.CREATURES
    ]


FAMILIES: dict[str, Callable[[], list[str]]] = {
    "board.tool.${name}": lambda: _family(
        "board.tool.", js_array("static/js/board/toolbar.js", r"const TOOLS\s*=")
    ),
    "board.shape.${k}": lambda: _family(
        "board.shape.", js_array("static/js/protocol.js", r"SHAPE_KINDS\s*=")
    ),
    "board.shape.${obj.kind}": lambda: _family(
        "board.shape.", js_array("static/js/protocol.js", r"SHAPE_KINDS\s*=")
    ),
    "board.ink.${name}": lambda: _family("board.ink.", js_array("static/js/board/toolbar.js", r"INKS\s*=")),
    "board.width.${name}": lambda: _family(
        "board.width.", js_array("static/js/board/toolbar.js", r"WIDTHS\s*=")
    ),
    "board.color.${color}": lambda: _family(
        "board.color.", js_array("static/js/protocol.js", r"NOTE_COLOURS\s*=")
    ),
    "board.status.${state}": lambda: _family("board.status.", js_union("static/js/board/sync.js", "State")),
    "board.type.${obj.type}": lambda: _family(
        "board.type.", js_array("static/js/board/items.js", r"DRAWN\s*=")
    ),
    "board.definition.${field}": lambda: _family(
        "board.definition.", js_array("static/js/board/items.js", r'case "definition":')
    ),
    "board.edit.${obj.type}": lambda: _family(
        "board.edit.",
        sorted(
            {key.split(".")[0] for key in js_array("static/js/board/editor.js", r"SHOWN_BY\s*=", opener="{")}
        ),
    ),
    "poll.download_${kind}": lambda: _family(
        "poll.download_", js_array("static/js/poll/facilitator.js", r"for \(const kind of")
    ),
    "join.month_${month}": lambda: _family("join.month_", [str(month) for month in range(1, 13)]),
    "error.${code}": lambda: _family("error.", [code.value for code in ErrorCode]),
    'names.${feminine ? "colour_f" : "colour"}.${colour}': _name_colours,
    'names.${feminine ? "creature_f" : "creature"}.${creature}': _name_creatures,
}
"""Every key a script builds at run time, by the template literal it is built with."""


def dynamic_keys() -> dict[str, set[str]]:
    """The template literals given to `t()`/`tn()` with a `${...}` in them, with their files."""
    found: dict[str, set[str]] = {}
    for path in _interface_files():
        if path.suffix != ".js":
            continue
        for pattern in DYNAMIC_KEY.findall(path.read_text(encoding="utf-8")):
            found.setdefault(pattern, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_key_built_at_run_time_belongs_to_a_listed_family() -> None:
    built = dynamic_keys()
    assert "board.tool.${name}" in built, "the scan finds keys built at run time"
    assert {pattern: sorted(files) for pattern, files in built.items() if pattern not in FAMILIES} == {}
    assert sorted(set(FAMILIES) - set(built)) == [], "a listed family no script builds any more"


@pytest.mark.parametrize("pattern", list(FAMILIES))
def test_every_key_of_a_family_built_at_run_time_is_in_both_languages(pattern: str) -> None:
    catalog = i18n.catalog()
    keys = FAMILIES[pattern]()
    assert len(keys) >= 2, f"{pattern}: its values are read from the source"
    assert [key for key in keys if not _known(catalog, key)] == []


def test_a_family_read_from_a_script_follows_the_script() -> None:
    """The values come from the scripts' constants, not from a copy here."""
    assert js_array("static/js/board/toolbar.js", r"const TOOLS\s*=") == [
        "select", "note", "shape", "pen", "eraser", "text", "comment",
    ]  # fmt: skip
    assert js_array("static/js/board/toolbar.js", r"INKS\s*=")[:2] == ["black", "red"]
    assert js_union("static/js/board/sync.js", "State") == [
        "connecting", "online", "offline", "reconnecting", "closed",
    ]  # fmt: skip


def test_plural_keys_always_have_an_other_form() -> None:
    catalog = i18n.catalog()
    for key in catalog:
        stem, _, form = key.rpartition(".")
        if form in PLURAL_FORMS:
            assert f"{stem}.other" in catalog, key


def test_every_error_code_reads_in_both_languages() -> None:
    for code in ErrorCode:
        assert f"error.{code.value}" in i18n.catalog(), code


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"board.json": '{"board.a": {"en": "Hi"}}'}, "exactly 'en' and 'cy'"),
        ({"board.json": '{"board.a": {"en": "Hi", "cy": " "}}'}, "non-empty"),
        ({"board.json": '{"poll.a": {"en": "Hi", "cy": "Hwyl"}}'}, "must start with 'board'"),
        ({"board.json": '{"board.a": {"en": "{count} notes", "cy": "{nifer} nodyn"}}'}, "placeholders"),
    ],
)
def test_a_broken_catalogue_is_refused_naming_file_and_key(files: dict[str, str], problem: str) -> None:
    with pytest.raises(i18n.CatalogError, match=problem) as caught:
        i18n.parse_catalog(files)
    assert "board.json" in str(caught.value)


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "en"),
        (None, "cy", "cy"),
        (None, "cy-GB,cy;q=0.9,en;q=0.8", "cy"),
        (None, "en-GB,en;q=0.9,cy;q=0.8", "en"),
        (None, "fr-FR,cy;q=0.5,en;q=0.4", "cy"),
        (None, "en;q=0.2,cy;q=0.9", "cy"),
        (None, "cy;q=0", "en"),
        (None, "de", "en"),
        ("en", "cy", "en"),
        ("cy", "en", "cy"),
        ("fr", "cy", "cy"),
    ],
)
def test_language_comes_from_the_switch_then_the_browser(
    cookie: str | None, header: str | None, expected: str
) -> None:
    assert i18n.choose_language(cookie, header) == expected


async def test_pages_speak_welsh_when_the_browser_asks_and_the_switch_remembers(
    server: RunningServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        welsh = await http.get("/", headers={"Accept-Language": "cy"})
        assert '<html lang="cy"' in welsh.text
        assert i18n.translate("cy", "home.join") in welsh.text
        config = json.loads(re.search(r'id="config">(.*?)</script>', welsh.text, re.S).group(1))  # type: ignore[union-attr]
        assert config["lang"] == "cy"
        assert config["strings"]["home.join"] == i18n.translate("cy", "home.join")

        switched = await http.get(
            "/lang/en", params={"next": "/join?code=NOPE"}, headers={"Accept-Language": "cy"}
        )
        assert switched.status_code == 303
        assert switched.headers["location"] == "/join?code=NOPE"
        english = await http.get("/", headers={"Accept-Language": "cy"})
        assert '<html lang="en"' in english.text, "the switch wins over the browser"

        away = await http.get("/lang/cy", params={"next": "https://evil.example/"})
        assert away.headers["location"] == "/", "the switch never sends anyone to another site"


# -- no hard-coded English -------------------------------------------------------------------
#
# Every word a person reads comes from the catalogue. The scans below read the templates and
# the scripts the way a reviewer would and fail on text that does not: a text node or an
# `aria-label`/`title`/`placeholder`/`alt` in a template that is not made by `t(...)`, a word
# in quotes printed by a Jinja expression, and a string literal with words in it handed to a
# script's text sinks (`textContent`, `setText`, `el(tag, attrs, text)`, the same attributes
# through `setAttribute` or `el`'s attributes). Punctuation and symbols ("×", ": ", "%") are
# not words. Names, codes and user text arrive in variables, never in literals, so they pass.

WORDS = re.compile(r"[A-Za-z]{2,}")
TEXT_ATTRIBUTES = frozenset(
    {
        "aria-label",
        "title",
        "placeholder",
        "alt",
        "aria-description",
        "aria-roledescription",
        "aria-valuetext",
    }
)
ALLOWED: dict[str, str] = {
    # file: why its words are allowed to be written into it
}
"""The documented allow-list: files whose literal words are not interface text."""


class _TemplateText(HTMLParser):
    """Text nodes and text attributes of a template whose Jinja has been taken out."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.raw = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.raw += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value and WORDS.search(value):
                self.found.append(f"{tag} {name}={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.raw -= 1

    def handle_data(self, data: str) -> None:
        if not self.raw and WORDS.search(data):
            self.found.append(f"text {data.strip()!r}")


JINJA_OUTPUT = re.compile(r"\{\{(.*?)\}\}", re.S)
JINJA_LITERAL = re.compile(r"""(?<![\w.])t\(\s*(["'])[^"']*\1|(["'])((?:(?!\2).)*)\2""")


def template_english(source: str) -> list[str]:
    """Hard-coded words in a Jinja template: its markup without Jinja, and the quoted words
    its `{{ ... }}` expressions print (keys given to `t(...)` and fragments of keys, like
    ".one", are not words)."""
    found = []
    for expression in JINJA_OUTPUT.findall(re.sub(r"\{#.*?#\}", "", source, flags=re.S)):
        for match in JINJA_LITERAL.finditer(expression):
            literal = match.group(3)
            if (
                literal is not None
                and WORDS.search(literal)
                and not re.fullmatch(r"[a-z0-9_.]*\.[a-z0-9_.]*|/[^ ]*", literal)
            ):
                found.append(f"printed literal {literal!r}")
    markup = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    markup = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", markup, flags=re.S)
    parser = _TemplateText()
    parser.feed(markup)
    return found + parser.found


def _arguments(source: str, start: int) -> list[str]:
    """The top-level arguments of the call whose "(" is at `start` (strings and brackets
    respected), as source text."""
    depth = 0
    args: list[str] = []
    current: list[str] = []
    i = start
    quote = ""
    while i < len(source):
        ch = source[i]
        if quote:
            current.append(ch)
            if ch == "\\":
                current.append(source[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
            current.append(ch)
        elif ch in "([{":
            depth += 1
            if depth > 1:
                current.append(ch)
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(current).strip())
                return args
            current.append(ch)
        elif ch == "," and depth == 1:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    return args


STRING_START = re.compile(r"""^(["'`])((?:\\.|(?!\1).)*)\1""", re.S)


def _literal_words(expression: str) -> str | None:
    """The words of an expression that starts with a string literal (a template literal's
    `${...}` parts taken out), or None when it has none."""
    match = STRING_START.match(expression)
    if not match:
        return None
    text = re.sub(r"\$\{[^}]*\}", " ", match.group(2)) if match.group(1) == "`" else match.group(2)
    return text if WORDS.search(text) else None


SINK_ASSIGNMENT = re.compile(r"\.(?:textContent|innerText|title|placeholder|alt|ariaLabel)\s*=\s*(?!=)")
SINK_CALL = re.compile(r"\b(setText|el|setAttribute)\(")
ATTRIBUTE_ENTRY = re.compile(
    r"""["']?(aria-label|title|placeholder|alt|aria-description|aria-roledescription)["']?\s*:\s*"""
)


def script_english(source: str) -> list[str]:
    """String literals with words that a script hands to its text sinks."""
    source = re.sub(r"^\s*//.*$|/\*.*?\*/", "", source, flags=re.M | re.S)
    found = []
    for match in SINK_ASSIGNMENT.finditer(source):
        words = _literal_words(source[match.end() :].lstrip())
        if words:
            found.append(f"{match.group(0).strip()} {words!r}")
    for match in SINK_CALL.finditer(source):
        args = _arguments(source, match.end() - 1)
        name = match.group(1)
        candidates = []
        if name == "setText" and len(args) > 1:
            candidates.append(args[1])
        if name == "el" and len(args) > 2:
            candidates.append(args[2])
        if name == "setAttribute" and len(args) > 1 and args[0].strip("\"'") in TEXT_ATTRIBUTES:
            candidates.append(args[1])
        if name == "el" and len(args) > 1:
            candidates += [args[1][entry.end() :] for entry in ATTRIBUTE_ENTRY.finditer(args[1])]
        for candidate in candidates:
            words = _literal_words(candidate.lstrip())
            if words:
                found.append(f"{name}(...) {words!r}")
    return found


def _interface_files() -> list[Path]:
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/**/*.js")]
    return sorted(path for path in files if "vendor" not in path.parts)


@pytest.mark.parametrize("path", _interface_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_interface_text_is_written_in_english_into_a_template_or_script(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    source = path.read_text(encoding="utf-8")
    found = template_english(source) if path.suffix == ".html" else script_english(source)
    if relative in ALLOWED:
        assert found, f"{relative} is allowed words it no longer has: take it off the allow-list"
        return
    assert found == []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ('<button aria-label="Close">×</button>', True),
        ("<p>Hello there</p>", True),
        ('<p>{{ "vote" if n == 1 else "votes" }}</p>', True),
        ("<button aria-label=\"{{ t('common.close') }}\">×</button>", False),
        ("<p>{{ t(key ~ ('.one' if n == 1 else '.other'), count=n) }}</p>", False),
        ('<script type="application/json">{"a": "words here"}</script>', False),
    ],
)
def test_the_template_scan_catches_english_and_lets_keys_through(source: str, caught: bool) -> None:
    assert bool(template_english(source)) is caught


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ('node.textContent = "Saved";', True),
        ("setText(node, `Saved ${count} notes`);", True),
        ('el("button", { type: "button", "aria-label": "Close" }, "×");', True),
        ('el("p", {}, "Nothing here");', True),
        ('button.setAttribute("aria-label", "Close");', True),
        ('el("button", { title: t("common.close") }, "×");', False),
        ('setText(node, `${t("poll.downloads")}: `);', False),
        ("node.textContent = name;", False),
        ('button.setAttribute("data-state", "open now");', False),
    ],
)
def test_the_script_scan_catches_english_and_lets_keys_through(source: str, caught: bool) -> None:
    assert bool(script_english(source)) is caught


def test_every_word_of_a_made_up_name_reads_in_welsh() -> None:
    """Cursor names are made from English words on the server (board/core/names.py) and shown
    in the reader's language (static/js/names.js): each colour needs both its Welsh forms, each
    creature its Welsh word under its gender."""
    catalog = i18n.catalog()
    for colour in names.COLOURS:
        assert f"names.colour.{colour.lower()}" in catalog, colour
        assert f"names.colour_f.{colour.lower()}" in catalog, colour
        assert catalog[f"names.colour.{colour.lower()}"]["en"] == colour
    for creature in names.CREATURES:
        keys = [f"names.{kind}.{creature.lower()}" for kind in ("creature", "creature_f")]
        assert sum(key in catalog for key in keys) == 1, f"{creature}: one Welsh word, one gender"
        assert next(catalog[key] for key in keys if key in catalog)["en"] == creature

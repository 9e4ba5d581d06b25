"""The word cloud's promises (issue 6): no two words' boxes overlap, nothing is dropped, size by
count, deterministic to the byte (in another process too), and an accessible SVG."""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from board.core.wordcloud import CLOUD_WORDS, Cloud, FontMetrics, PlacedWord, layout, render_svg
from board.services.poll_pictures import font_metrics

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
WELSH = "cymuned hapus diolch ysbrydoledig gŵr tân ŷd llais gwybodus croesawgar cydweithio".split()


def sample_counts(n: int, seed: int = 7) -> list[tuple[str, int]]:
    """n distinct words of 2-14 letters (Welsh ones among them), with long-tailed counts."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwyâêîôûŵŷ"
    found: dict[str, int] = {word: rng.randint(1, 9) for word in WELSH[: n // 10]}
    while len(found) < n:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(2, 14)))
        if rng.random() < 0.15:
            word += " " + "".join(rng.choice(letters) for _ in range(rng.randint(2, 8)))
        found.setdefault(word, max(1, int(rng.paretovariate(1.1))))
    return list(found.items())


def overlapping(words: tuple[PlacedWord, ...]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes share any area (touching edges is not overlapping)."""
    clashes = []
    for a, b in itertools.combinations(words, 2):
        ax0, ay0, ax1, ay1 = a.box
        bx0, by0, bx1, by1 = b.box
        if min(ax1, bx1) > max(ax0, bx0) and min(ay1, by1) > max(ay0, by0):
            clashes.append((a.text, b.text))
    return clashes


def inside(cloud: Cloud) -> bool:
    return all(
        w.x >= 0 and w.x + w.width <= cloud.width and w.y >= 0 and w.y + w.height <= cloud.height
        for w in cloud.words
    )


def test_no_two_of_200_words_overlap_and_none_is_dropped() -> None:
    counts = sample_counts(200)
    cloud = layout(counts, font_metrics())
    assert overlapping(cloud.words) == []
    assert sorted((w.text, w.count) for w in cloud.words) == sorted(counts)
    assert inside(cloud)


def test_words_past_the_cloud_follow_under_it_without_overlap() -> None:
    counts = sample_counts(CLOUD_WORDS + 60, seed=3)
    cloud = layout(counts, font_metrics())
    assert len(cloud.words) == len(counts)
    assert overlapping(cloud.words) == []
    assert inside(cloud)


def test_bigger_counts_get_bigger_words_and_the_most_given_sits_in_the_middle() -> None:
    cloud = layout([("often", 12), ("sometimes", 4), ("once", 1), ("twice", 2)], font_metrics())
    sizes = {w.text: w.size for w in cloud.words}
    assert sizes["often"] > sizes["sometimes"] > sizes["twice"] > sizes["once"]
    first = cloud.words[0]
    assert first.text == "often"
    centre_x = first.x + first.width / 2
    assert abs(centre_x - cloud.width / 2) < cloud.width / 4


def test_the_same_counts_give_the_same_svg_in_any_order() -> None:
    counts = sample_counts(120)
    shuffled = list(counts)
    random.Random(1).shuffle(shuffled)
    first = render_svg(layout(counts, font_metrics()), title="t", description="d")
    again = render_svg(layout(shuffled, font_metrics()), title="t", description="d")
    assert first == again
    assert render_svg(layout(counts[:-1], font_metrics()), title="t", description="d") != first


def test_the_same_counts_give_the_same_svg_bytes_in_another_process() -> None:
    """Nothing depends on hash seeds or memory addresses: two processes, two hash seeds."""
    script = (
        "from tests.core.test_wordcloud import sample_counts;"
        "from board.services.poll_pictures import draw;"
        "import hashlib;"
        "print(hashlib.sha256(draw(sample_counts(150), 'svg', 'cy')).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    from board.services.poll_pictures import draw

    digests.add(hashlib.sha256(draw(sample_counts(150), "svg", "cy")).hexdigest())
    assert len(digests) == 1


def test_the_svg_is_accessible_and_escapes_what_people_wrote() -> None:
    counts = [("<b>bold</b> & co", 3), ("gŵr", 2), ('"quoted"', 1)]
    text = render_svg(
        layout(counts, font_metrics()),
        title="Word cloud",
        description="<b>bold</b> & co (3), gŵr (2)",
        lang="cy",
    )
    root = ElementTree.fromstring(text)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "wordcloud-title wordcloud-desc"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"
    assert root.find(f"{SVG}title").text == "Word cloud"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "<b>bold</b> & co (3), gŵr (2)"  # type: ignore[union-attr]
    texts = root.findall(f".//{SVG}text")
    assert [t.text for t in texts] == ["<b>bold</b> & co", "gŵr", '"quoted"']
    assert all(
        float(t.get("textLength", "0")) > 0 and t.get("lengthAdjust") == "spacingAndGlyphs" for t in texts
    )
    assert "<b>" not in text


def test_an_empty_poll_is_a_small_empty_picture() -> None:
    cloud = layout([], font_metrics())
    assert cloud.words == ()
    assert ElementTree.fromstring(render_svg(cloud, title="t", description="No answers yet.")) is not None


def _fake(text: str) -> float:
    return 0.55 * len(text) + 0.1


FAKE = FontMetrics(0.9, 0.25, _fake)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="abcdeŵŷ -", min_size=1, max_size=18).filter(str.strip),
        st.integers(min_value=1, max_value=60),
        max_size=40,
    )
)
def test_any_counts_lay_out_without_overlap_or_loss_the_same_way_twice(counts: dict[str, int]) -> None:
    items = list(counts.items())
    cloud = layout(items, FAKE)
    assert overlapping(cloud.words) == []
    assert sorted((w.text, w.count) for w in cloud.words) == sorted(items)
    assert inside(cloud)
    assert layout(list(reversed(items)), FAKE) == cloud

"""The pictures in the facilitators' pages, made by the browser tests (issue 17).

    make screenshots        # = .venv/bin/python -m tests.browser.docs_images

runs the browser tests that walk the screens a facilitator uses, each of which saves what it
shows under artifacts/, then copies the pictures the docs use into docs/img/ under the names
the docs give them. The docs' pictures are then what the product looks like today, and
`tests/test_docs.py` checks that every picture a page shows is here and was made this way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ARTIFACTS

ROOT = Path(__file__).parent.parent.parent
DOCS_IMG = ROOT / "docs" / "img"

IMAGES: dict[str, str] = {
    "dashboard-every-board.png": "browser/every-board-dashboard.png",
    "board-message.png": "browser/every-board-message.png",
    "facilitate-panel.png": "browser/every-board-panel.png",
    "gallery.png": "browser/gallery.png",
    "gallery-large.png": "browser/gallery-large.png",
    "presenter-join.png": "browser/presenter-join.png",
    "presenter-cloud.png": "browser/presenter-cloud.png",
    "dashboard-categories.png": "browser/dashboard-categories.png",
    "dashboard-duplicates.png": "browser/dashboard-duplicates.png",
    "board-phone.png": "browser/phone-en-390.png",
}
"""Each picture in docs/img/ and the screenshot (under artifacts/) it is copied from."""

TESTS = (
    "tests/browser/test_every_board.py",
    "tests/browser/test_gallery_presenter.py",
    "tests/browser/test_dashboard_record.py",
    "tests/browser/test_board_phone.py",
)
"""The browser tests that save those screenshots."""


def main() -> int:
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", *TESTS], cwd=ROOT, check=False)
    if ran.returncode != 0:
        print("the browser tests failed: docs/img/ left as it was", file=sys.stderr)
        return ran.returncode
    DOCS_IMG.mkdir(exist_ok=True)
    for name, source in IMAGES.items():
        shutil.copyfile(ARTIFACTS / source, DOCS_IMG / name)
        print(f"docs/img/{name} <- artifacts/{source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

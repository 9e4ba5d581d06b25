"""`board categories evaluate FILE.csv`: suggestions scored against notes a person sorted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def evaluate(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "board.cli", "categories", "evaluate", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_it_prints_correct_wrong_and_abstained_per_category(tmp_path: Path) -> None:
    """Categories written as keys or as labels in either language; other columns ignored."""
    labelled = tmp_path / "notes.csv"
    labelled.write_text(
        "board,text,category\n"
        "1,Flyers through every door on the estate,giving_information\n"
        "1,Online questionnaire for parents,Getting Information\n"
        "2,Holiadur ar-lein i rieni,Casglu Gwybodaeth\n"
        "2,Newsletter telling tenants the rent,Empowerment\n"
        "3,Best thing was the cake,forums for debate\n",
        encoding="utf-8",
    )
    done = evaluate(str(labelled), "--taxonomy", "wakefield")
    assert done.returncode == 0, done.stderr
    lines = {" ".join(line.split()) for line in done.stdout.splitlines()}
    assert {
        "Giving Information 1 1 (100 %) 0 ( 0 %) 0 ( 0 %)",
        "Getting Information 2 2 (100 %) 0 ( 0 %) 0 ( 0 %)",
        "Forums for Debate 1 0 ( 0 %) 0 ( 0 %) 1 (100 %)",
        "Participation 0 0 ( 0 %) 0 ( 0 %) 0 ( 0 %)",
        "Empowerment 1 0 ( 0 %) 1 (100 %) 0 ( 0 %)",
        "All notes 5 3 ( 60 %) 1 ( 20 %) 1 ( 20 %)",
    } <= lines


def test_a_file_with_problems_is_refused_line_by_line(tmp_path: Path) -> None:
    labelled = tmp_path / "notes.csv"
    labelled.write_text("Leaflets,Giving Information\nA survey,Nonsense\n,participation\n", encoding="utf-8")
    done = evaluate(str(labelled), "--taxonomy", "iap2")
    assert done.returncode == 2
    assert "line 1: 'Giving Information' is not a category of iap2" in done.stderr
    assert "line 2: 'Nonsense' is not a category of iap2" in done.stderr
    assert "line 3: the text is empty" in done.stderr
    assert done.stdout == ""


def test_with_a_third_confirmed_the_rest_learn_from_the_workshop(tmp_path: Path) -> None:
    """--confirm-third takes every third note of each workshop as placed by the group: a note
    the vocabulary says nothing about is suggested like the confirmed note of its own
    workshop, and the time suggesting took is printed."""
    labelled = tmp_path / "notes.csv"
    labelled.write_text(
        "workshop,text,category\n"
        "north,Bingo afternoon with the over 60s about the park,participation\n"
        "north,Bingo afternoon with the over 60s about the library,participation\n"
        "south,Leaflets through every door,giving_information\n"
        "south,Online questionnaire for parents,getting_information\n",
        encoding="utf-8",
    )
    cold = evaluate(str(labelled), "--taxonomy", "wakefield")
    warm = evaluate(str(labelled), "--taxonomy", "wakefield", "--confirm-third")
    assert cold.returncode == warm.returncode == 0, warm.stderr
    cold_lines = {" ".join(line.split()) for line in cold.stdout.splitlines()}
    warm_lines = {" ".join(line.split()) for line in warm.stdout.splitlines()}
    assert "Participation 2 0 ( 0 %) 0 ( 0 %) 2 (100 %)" in cold_lines
    assert (
        "Every third note of each workshop was taken as confirmed first (2 of 4); the others "
        "were suggested with them as examples" in warm_lines
    )
    assert {
        "Participation 1 1 (100 %) 0 ( 0 %) 0 ( 0 %)",
        "Getting Information 1 1 (100 %) 0 ( 0 %) 0 ( 0 %)",
        "All notes 2 2 (100 %) 0 ( 0 %) 0 ( 0 %)",
    } <= warm_lines
    assert any(line.startswith("Suggesting took ") for line in warm_lines)

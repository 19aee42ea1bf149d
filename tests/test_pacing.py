"""Pacing you can defend: each lesson's header covers its core path, and the guide's day adds up.

- A lesson's optional sections end their ``## `` heading with "(optional)", and every cell of
  such a section (and no other) carries ``"kit": {"optional": true}``
  (``python -m helpers.classroom mark-optional`` sets it from the headings).
- ``helpers.classroom.pacing`` estimates the core path: words at 150 per minute, a quarter
  minute per code cell, and minutes per exercise by type. The header's minutes must cover it.
- Every lesson has at least one core exercise that needs no pandas writing.
- docs/instructor_guide.md's one-day agenda uses each lesson's header minutes, lists exactly
  the lesson's core sections and core exercises, and its clock adds up within 9:00-17:00.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import classroom

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GUIDE = ROOT / "docs" / "instructor_guide.md"


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _section_number(heading: str) -> int | None:
    found = re.match(r"(\d+)\.", heading)
    return int(found.group(1)) if found else None


# --------------------------------------------------------------------------- the estimate


def _toy(*cells: tuple[str, str], header: str = "**Teaching:** 5 min · **Exercises:** 5 min") -> dict:
    out = [{"cell_type": "markdown", "metadata": {}, "source": f"# 99 · Toy\n\n{header}"}]
    for kind, text in cells:
        meta = {}
        if kind == "choice":
            kind, meta = "markdown", {"kit": {"exercise": "choice"}}
        out.append({"cell_type": kind, "metadata": meta, "source": text})
    return {"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_pacing_counts_core_words_code_and_exercises_by_type(tmp_path):
    words = " ".join(["word"] * 300)  # two minutes of reading
    nb = _toy(
        ("markdown", f"## 1. Core\n\n{words}"),
        ("code", "x = 1"),
        ("markdown", "### Exercise 99.1 — Write it"),
        ("choice", "### Exercise 99.2 — Pick one"),
        ("markdown", f"## 2. More (optional)\n\n{words} {words}"),
        ("code", "y = 2"),
        ("markdown", "### Exercise 99.3 — Optional one"),
    )
    path = tmp_path / "99_toy.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    p = classroom.pacing(path)
    assert p.header_minutes == 10
    assert [(e.id, e.type, e.optional) for e in p.exercises] == [
        ("99.1", "pandas", False), ("99.2", "choice", False), ("99.3", "pandas", True)]
    assert p.code_cells == 1
    # 300 words + heading words, one code cell, a pandas (5) and a choice (2) exercise
    assert p.minutes == pytest.approx(p.words / 150 + 0.25 + 5 + 2)
    assert 300 < p.words < 330


def test_mark_optional_follows_the_headings_and_is_idempotent():
    nb = _toy(("markdown", "## 1. Core"), ("code", "a"), ("markdown", "## 2. Extra (optional)"),
              ("code", "b"), ("markdown", "## Quiz"))
    marked = classroom.mark_optional(nb)
    flags = [c["metadata"].get("kit", {}).get("optional", False) for c in marked["cells"]]
    assert flags == [False, False, False, True, True, False]
    assert classroom.mark_optional(marked) == marked
    assert nb["cells"][3]["metadata"] == {}  # the input is not changed


def test_an_unknown_exercise_type_is_named(tmp_path):
    nb = _toy(("markdown", "### Exercise 99.1 — X"))
    nb["cells"][1]["metadata"] = {"kit": {"exercise": "essay"}}
    path = tmp_path / "99_toy.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ValueError, match="99.1.*'essay'"):
        classroom.pacing(path)


# --------------------------------------------------------------------------- the lessons


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_optional_metadata_matches_the_headings(path):
    nb = _nb(path)
    assert classroom.mark_optional(nb) == nb, (
        f"{path.name}: the optional-section metadata does not match the headings. Run "
        "`python -m helpers.classroom mark-optional` (a heading ending in '(optional)' marks "
        "its section)."
    )


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_header_minutes_cover_the_core_path(path):
    p = classroom.pacing(path)
    assert p.header_minutes is not None, f"{path.name}: no minutes in the header"
    assert p.minutes <= p.header_minutes, (
        f"{path.name}: the core path takes about {p.minutes:.0f} min ({p.words} words, "
        f"{p.code_cells} code cells, {len(p.core_exercises)} core exercises) but the header "
        f"says {p.header_minutes}. Mark sections optional, shorten, or raise the header."
    )
    assert p.header_minutes <= 2 * p.minutes + 5, (
        f"{path.name}: the header's {p.header_minutes} min is far more than the core path "
        f"needs (about {p.minutes:.0f})."
    )


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_has_a_core_exercise_without_pandas(path):
    kinds = {e.type for e in classroom.pacing(path).core_exercises}
    assert kinds & classroom.NO_PANDAS, (
        f"{path.name}: every core exercise asks for pandas; add one of type "
        f"{sorted(classroom.NO_PANDAS)} (predict the output, multiple choice, fill the blank, "
        "order the steps), marked in the exercise heading's metadata."
    )


# --------------------------------------------------------------------------- the guide's day


def _agenda() -> list[tuple[str, str, str, int]]:
    """(time, what, core, minutes) rows of the guide's one-day agenda."""
    text = GUIDE.read_text(encoding="utf-8")
    part = text.split("## A one-day agenda", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.match(r"\d{1,2}:\d\d$", cells[0]):
            rows.append((cells[0], cells[1], cells[2], int(cells[3])))
    return rows


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)


def _numbers(text: str) -> set[int]:
    out: set[int] = set()
    for a, b in re.findall(r"§(\d+)(?:-§?(\d+))?", text):
        out.update(range(int(a), int(b or a) + 1))
    return out


def _exercise_ids(text: str) -> set[str]:
    out: set[str] = set()
    for lesson, a, b in re.findall(r"(\d+)\.(\d+)(?:-\d+\.(\d+))?", text.split("exercise", 1)[-1]):
        out.update(f"{lesson}.{m}" for m in range(int(a), int(b or a) + 1))
    return out


def _lesson_rows() -> dict[str, tuple[str, int]]:
    rows = {}
    for _, what, core, minutes in _agenda():
        found = re.match(r"\*\*(\d\d) ·", what) or re.match(r"(\d\d):", core)
        if found:
            rows[found.group(1)] = (core, minutes)
    return rows


def test_the_agenda_is_read():
    rows = _agenda()
    assert len(rows) >= 10
    assert set(_lesson_rows()) == {p.name[:2] for p in LESSONS}


def test_the_agenda_clock_adds_up_within_the_day():
    rows = _agenda()
    for (t1, what, _, minutes), (t2, *_rest) in zip(rows, rows[1:], strict=False):
        assert _minutes(t1) + minutes == _minutes(t2), f"{t1} {what}: {minutes} min does not reach {t2}"
    end = _minutes(rows[-1][0]) + rows[-1][3]
    assert _minutes(rows[0][0]) >= _minutes("9:00") and end <= _minutes("17:00")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_the_agenda_gives_each_lesson_its_header_minutes_and_core_path(path):
    core_text, minutes = _lesson_rows()[path.name[:2]]
    p = classroom.pacing(path)
    assert minutes == p.header_minutes, f"{path.name}: agenda {minutes} min, header {p.header_minutes}"
    numbered = {n: optional for h, optional, _ in classroom.sections(_nb(path))
                if (n := _section_number(h)) is not None}
    core = {n for n, optional in numbered.items() if not optional}
    assert _numbers(core_text) == core, (
        f"{path.name}: the agenda's core sections {sorted(_numbers(core_text))} differ from "
        f"the lesson's non-optional sections {sorted(core)}"
    )
    assert _exercise_ids(core_text) == {e.id for e in p.core_exercises}, (
        f"{path.name}: the agenda's core exercises differ from the lesson's "
        f"{sorted(e.id for e in p.core_exercises)}"
    )


def test_section_minutes_add_up_to_the_core_path():
    for path in LESSONS:
        core = sum(m for _, optional, m in classroom.section_minutes(path) if not optional)
        assert core == pytest.approx(classroom.pacing(path).minutes), path.name


def test_the_guide_shows_the_current_timings_per_section():
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("<!-- timings:start -->\n", 1)[1].split("\n<!-- timings:end -->", 1)[0]
    assert block == classroom.timings_table(), (
        "docs/instructor_guide.md's timings per section are out of date: run "
        "`python -m helpers.classroom timings`."
    )
    assert block.count("\n| ") == len(LESSONS)

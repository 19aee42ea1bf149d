"""The pandas primer teaches exactly the pandas moves the lessons' solutions use.

Every method of a pandas DataFrame or Series that a solution cell calls (``.isin``,
``.nunique``, ``.loc``...) is shown in the primer and listed in the cheat sheet; every primer
exercise is registered (ids ``P.N``), has its hidden solution, and recognises its usual mistake.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import check
from helpers.exercises import frame

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PRIMER = NOTEBOOKS / "pandas_primer.ipynb"
CHEATSHEET = NOTEBOOKS / "cheatsheet.ipynb"
#: Names before a dot that are not tables: the kit's modules and the usual libraries.
NOT_TABLES = {"bots", "leads", "conversions", "personas", "traffic", "pipeline", "plots", "check",
              "data", "explorers", "pd", "np", "plt", "synth", "claims", "experiments", "lag",
              "report", "bot_thresholds", "crawleruseragents", "ds", "math", "re", "sklearn"}
PANDAS = {n for n in set(dir(pd.DataFrame)) | set(dir(pd.Series)) if not n.startswith("_")}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def moves_in(source: str) -> set[str]:
    """The pandas methods ``source`` calls on a table (not on a module)."""
    found = set()
    for m in re.finditer(r"(\w*)\.([a-z_]+)\b", source):
        if m.group(1) not in NOT_TABLES and m.group(2) in PANDAS:
            found.add(m.group(2))
    return found


def _solution_moves() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for cell in _cells(path):
            if "solution" in cell["metadata"].get("tags", []):
                for move in moves_in(_text(cell)):
                    used.setdefault(move, set()).add(path.name[:2])
    return used


def test_moves_in_reads_table_methods_only():
    assert moves_in('x = sessions.loc[t, "a"].nunique() + bots.filter(s).sum()') == {
        "loc", "nunique", "sum"}


def test_the_lessons_use_some_pandas():
    assert {"isin", "nunique", "loc", "mean", "sum"} <= set(_solution_moves())


def test_the_primer_and_the_cheat_sheet_show_every_move_the_solutions_use():
    primer = "\n".join(_text(c) for c in _cells(PRIMER))
    sheet = "\n".join(_text(c) for c in _cells(CHEATSHEET))
    missing_primer = {m: sorted(v) for m, v in _solution_moves().items()
                      if f".{m}" not in primer}
    missing_sheet = {m: sorted(v) for m, v in _solution_moves().items() if f".{m}" not in sheet}
    assert not missing_primer, f"solutions use moves the primer never shows: {missing_primer}"
    assert not missing_sheet, f"solutions use moves the cheat sheet lacks: {missing_sheet}"


def test_every_primer_exercise_is_registered_with_a_hidden_solution():
    cells = _cells(PRIMER)
    headings = [m.group(1) for c in cells if (m := re.match(r"### Exercise (P\.\d+) — ", _text(c)))]
    solutions = [m.group(1) for c in cells
                 if (m := re.match(r"%%solution (P\.\d+)\n", _text(c)))
                 and "solution" in c["metadata"].get("tags", [])
                 and c["metadata"].get("jupyter", {}).get("source_hidden")]
    registered = [k for k in check.load_all_lessons() if k.startswith("P.")]
    assert headings == solutions == registered == [f"P.{n}" for n in range(1, len(headings) + 1)]
    assert len(headings) >= 5


@pytest.mark.parametrize(
    ("exercise_id", "mistake", "words"),
    [
        ("P.1", lambda: len(frame("sessions")), "sessions"),
        ("P.2", lambda: int((frame("sessions")["channel"] == "email").sum()), "isin"),
        ("P.3", lambda: 1 - float(frame("sessions")["is_returning"].mean()), "NEW"),
        ("P.4", lambda: int((frame("sessions")["channel"] == "social").sum()), "nunique"),
        ("P.5", lambda: float(frame("sessions")["duration_s"].median()), "Group first"),
    ],
)
def test_each_primer_exercise_names_its_usual_mistake(exercise_id, mistake, words):
    result = check.exercise(exercise_id, mistake(), show=False)
    assert result.status == "wrong" and words in result.message


def test_the_primer_sits_between_lesson_00_and_01():
    contents = "\n".join(_text(c) for c in _cells(NOTEBOOKS / "contents.ipynb"))
    assert "pandas_primer.ipynb" in contents
    assert contents.index("00_start_here.ipynb") < contents.index("pandas_primer.ipynb") < \
        contents.index("01_visitors_leads_customers.ipynb")
    start = "\n".join(_text(c) for c in _cells(NOTEBOOKS / "00_start_here.ipynb"))
    assert "pandas_primer.ipynb" in start
    nav = _text(_cells(PRIMER)[-1])
    assert "00_start_here.ipynb" in nav and "01_visitors_leads_customers.ipynb" in nav

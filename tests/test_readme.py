"""The README's promises: the own-data cell runs as printed, the lesson map matches the lessons."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _own_data_cell() -> str:
    section = README.split("## Use your own data", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the own-data section should have exactly one python cell"
    return blocks[0]


def test_own_data_cell_runs_as_printed_on_the_kit_data(monkeypatch):
    monkeypatch.chdir(ROOT)  # the cell's folder = "data" is relative to the kit's folder
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(_own_data_cell(), "README.md", "exec"), namespace)
    printed = out.getvalue()
    labelled, qualified = namespace["labelled"], namespace["qualified"]
    assert len(labelled) == len(namespace["ds"].sessions)  # nothing dropped
    assert len(qualified) == len(namespace["ds"].leads)
    assert "total" in printed and "Total" in printed and "kept" in printed
    table = namespace["conversions"].rate_table(namespace["visitors"], by="channel", unit="visitors")
    total = table[table["channel"] == "Total"].iloc[0]
    groups = table[table["channel"] != "Total"]
    assert total["visitors"] == groups["visitors"].sum() == namespace["humans"]["visitor_id"].nunique()


def _lesson_map() -> list[tuple[str, str, int, int]]:
    block = README.split("<!-- lesson-map:start -->", 1)[1].split("<!-- lesson-map:end -->", 1)[0]
    rows = []
    for line in block.splitlines():
        m = re.match(r"\|\s*(\d\d)\s*\|\s*\[[^\]]+\]\(notebooks/([^)]+)\)\s*\|\s*(\d+) \+ (\d+)", line)
        if m:
            rows.append((m.group(1), m.group(2), int(m.group(3)), int(m.group(4))))
    return rows


def test_lesson_map_lists_every_lesson_with_its_minutes():
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rows = _lesson_map()
    assert [r[1] for r in rows] == notebooks
    for number, name, teaching, exercises in rows:
        assert name.startswith(number)
        kit = json.loads((ROOT / "notebooks" / name).read_text())["metadata"]["kit"]
        assert (teaching, exercises) == (kit["teaching"], kit["exercises"]), name


def test_readme_names_only_commands_that_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"`make (\w+)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), f"README mentions make {target}"
    assert os.access(ROOT / ".ci" / "run", os.X_OK)

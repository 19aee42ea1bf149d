"""The README's promises: the own-data cell runs as printed, the lesson map matches the lessons."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_cell(heading: str) -> str:
    """The one python block of the README section whose heading starts with ``heading``."""
    section = README.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, f"the section '{heading}' should have exactly one python cell"
    return blocks[0]


def _own_data_cell() -> str:
    return _python_cell("Use your own data")


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


def test_real_exports_cell_runs_as_printed_and_invents_nothing(monkeypatch):
    """GA4, a web log and a converted-flag CRM file, end to end, as the README prints them."""
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    ns: dict = {}
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(_python_cell("Real exports, end to end"), "README.md", "exec"), ns)
    printed = out.getvalue()
    week = ns["week"]
    # GA4: every session kept, none flagged for its missing agent, and the filter said why once
    ga4, ga4_labelled = ns["ga4"], ns["ga4_labelled"]
    assert len(ga4_labelled) == len(ga4.sessions) == week.sessions["session_id"].nunique()
    assert not ga4_labelled["bot_reason"].astype("string").str.startswith("ua:").any()
    assert printed.count("judged by behaviour only") == 1
    # the web log: sessions reconcile in the report; the goal rate is per human visitor
    log_labelled = ns["log_labelled"]
    assert len(log_labelled) == len(ns["log"].sessions)
    # the CRM: nothing invented; every lead of the file is in the funnel's first row
    crm, crm_leads = ns["crm"], ns["crm_leads"]
    assert len(crm_leads) == len(crm)
    table = ns["leads"].pipeline(crm_leads).set_index("stage")
    converted = int((crm["Converted"] == "Yes").sum())
    assert table.loc["lead", "reached"] == len(crm)
    assert table.loc["lead", "unknown"] == len(crm) - converted
    assert table.loc[["mql", "sql"], "reached"].isna().all()  # not in the file: not invented
    assert table.loc["customer", "rate"].conversions == converted
    assert table.loc["customer", "rate"].denominator == len(crm)
    # the mapping step: country names became codes, the CRM's lead sources the kit's words
    assert set(crm_leads["country"].dropna()) <= {"DE", "NL", "FR"}
    assert (crm_leads["lead_source"].astype("string") == "contact_form").sum() == (
        crm["Lead Source"] == "Web Form"
    ).sum()
    # the leakage guard knows the file's own after-the-fact field
    rule = ns["leads"].ScoreRule("converted", "Converted", 50, values=("Yes",))
    with pytest.raises(ValueError, match="Converted"):
        ns["leads"].score(crm_leads, [rule], leakage_fields=["Converted"])


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

"""Every lesson opens and runs in a real JupyterLab, in a real browser, widgets included.

One ``jupyter lab`` (from the kit's own environment, on a temporary copy of notebooks/) and
one headless Debian Chromium serve the whole module. For each lesson the test opens it, runs
*Run > Run All Cells* as a learner does, and fails on anything a learner would see go wrong
(see ``browser_support.problems``): an error or traceback, a cell that never ran, a widget
drawn as text or as "Error displaying widget", a chart cell without a chart. When the lesson
has an explorer, it moves a control and checks that the key figure changes to the value the
explorer's domain function gives on the kit's data (the table ``EXPLORERS``). A screenshot of
each lesson goes to tests/artifacts/browser/<lesson>.png, timings to timings.json there.

Without Chromium the module skips and says how to install it; with ``CI`` set it fails.
Debug a lesson with: ``.venv/bin/python -m pytest tests/test_browser.py -k 02 -q``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import browser_support as bs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
RUN_TIMEOUT = 120  # seconds for Run All Cells, per lesson
OPEN_TIMEOUT = 60  # seconds to open a lesson and start its kernel
VIEWPORT = {"width": 1280, "height": 900}
TIMINGS: dict[str, dict[str, float]] = {}


# --------------------------------------------------------------------------- explorers
@dataclass(frozen=True)
class Explorer:
    """How to move one explorer's control and what it must show afterwards.

    ``how``/``target``/``value`` go to ``browser_support.move_control`` (e.g. ``"select",
    "select", "email"``: choose the option labelled *email* in the first ``<select>`` of the
    explorer); ``value`` may be a function of nothing, to pick it from the kit's data.
    ``expected(value)`` computes, in the test process, the text of the explorer's
    ``.kit-explorer-result`` element by calling the same domain function the explorer calls
    (its result's ``headline``), on the kit's data. Never hard-code the number: when the data
    changes, the test follows.
    """

    how: str
    target: str
    value: str | Callable[[], str]
    expected: Callable[[str], str]
    index: int = 0  # which .kit-explorer of the lesson, in page order

    def control_value(self) -> str:
        return self.value() if callable(self.value) else self.value


@functools.cache
def kit_data() -> Any:
    """The kit's data set (``helpers.data.load_all``), loaded once per test run."""
    from helpers import data

    return data.load_all()


def busiest_channel() -> str:
    """The channel with the most sessions: the first option after "all" in the explorer."""
    return str(kit_data().sessions["channel"].value_counts().index[0])


def traffic_mix_row(channel: str | Callable[[], str] = busiest_channel, index: int = 0
                    ) -> Explorer:
    """The check of ``helpers.explorers.traffic_mix``: pick a channel in its dropdown; the
    key figure must be the ``headline`` of ``traffic.traffic_mix`` for that channel."""
    from helpers import traffic

    return Explorer(
        "select", "select", channel,
        lambda chosen: traffic.traffic_mix(
            kit_data().sessions, kit_data().answer_key, chosen).headline,
        index=index,
    )


def lesson_01() -> list[Explorer]:
    """explorers.visitor_mix(sessions, answer_key, leads): a channel, then count visitors."""
    from helpers import traffic

    ds = kit_data()
    return [
        Explorer("select", "select", busiest_channel, lambda channel: traffic.visitor_mix(
            ds.sessions, ds.answer_key, channel, "sessions", ds.leads).headline),
        Explorer("toggle", "button", "visitors", lambda count: traffic.visitor_mix(
            ds.sessions, ds.answer_key, busiest_channel(), count, ds.leads).headline),
    ]


def lesson_02() -> list[Explorer]:
    """explorers.bot_thresholds(sessions, answer_key, events): one step up in the first number
    box (max pages per minute, step 5), with the arrow key as a keyboard user would."""
    from helpers import bot_thresholds

    ds = kit_data()
    inputs = bot_thresholds.inputs(ds.sessions, ds.answer_key, ds.events)
    start = inputs.attrs["rules"]
    pages, form = float(start.max_pages_per_minute or 30), float(start.fast_form_seconds or 3.0)
    return [Explorer(
        "keys", "input[type=number]", "ArrowUp Enter",
        lambda _keys: bot_thresholds.tradeoff(inputs, min(pages + 5, 60), form).headline,
    )]


def lesson_03() -> list[Explorer]:
    """explorers.persona_builder(visitors, answer_key): the topic dropdown set to the café
    business; visitors are rebuilt from the human sessions as the lesson does."""
    from helpers import bots, personas

    ds = kit_data()
    humans = bots.filter(ds.sessions)
    visitors = personas.visitors(humans, ds.events[ds.events["session_id"].isin(humans["session_id"])])
    return [Explorer("select", "select", "cafe_business", lambda topic: personas.match_persona(
        visitors, ds.answer_key, topic=topic).headline)]


def lesson_04() -> list[Explorer]:
    """explorers.catalogue_editor(human events, human leads): make a purchase not a conversion."""
    from helpers import conversions, traffic

    ds = kit_data()
    events, leads = traffic.human_events_and_leads(ds.sessions, ds.events, ds.leads)
    return [Explorer(
        "select", ".widget-dropdown:has(label:text-is('purchase')) select", "not a conversion",
        lambda choice: conversions.catalogue_counts(events, leads, {"purchase": choice}).headline,
    )]


def lesson_05() -> list[Explorer]:
    """explorers.rate_calculator(conversions=10, denominator=100): another interval method;
    explorers.channel_funnel(sessions, leads): the busiest channel."""
    from helpers import experiments, pipeline

    ds = kit_data()
    return [
        Explorer("select", "select", "clopper-pearson",
                 lambda method: experiments.rate_calculator(10, 100, method).headline),
        Explorer("select", "select", busiest_channel,
                 lambda channel: pipeline.channel_funnel(ds.sessions, ds.leads, channel).headline,
                 index=1),
    ]


def lesson_06() -> list[Explorer]:
    """explorers.score_threshold(scored): the threshold one step up (30 -> 35), by keyboard."""
    from helpers import leads, pipeline

    ds = kit_data()
    scored = pipeline.scored_leads(ds.sessions, ds.events, ds.leads)
    return [Explorer("keys", "input[type=number]", "ArrowUp Enter",
                     lambda _keys: leads.score_threshold(scored, 35).headline)]


def lesson_07() -> list[Explorer]:
    """explorers.capstone(results) on the lesson's new month (pipeline.NEW_MONTH): pick the
    second option of the dropdown (the first channel); explorers.peeking() (optional section
    10): the number of checks one step up (10 -> 11), by keyboard."""
    from helpers import experiments, pipeline

    month = pipeline.new_month()
    results = pipeline.capstone_results(month.sessions, month.events, month.leads)
    label, value = pipeline.focus_options(results)[1]
    return [Explorer("select", "select", label,
                     lambda _label: pipeline.focus(results, value, "lead").headline),
            Explorer("keys", "input[type=number]", "ArrowUp Enter",
                     lambda _keys: experiments.peeking(11, 500).headline, index=1)]


# Lesson (file stem) -> the checks of its explorers, applied in order (each step keeps the
# earlier moves). A lesson whose page shows a .kit-explorer must have a row here (the test
# says so when one is missing). The arguments written here (10 of 100, "purchase") are the
# lesson's own inputs; every expected figure comes from the domain modules on the kit's data.
EXPLORERS: dict[str, Callable[[], Explorer | list[Explorer]]] = {
    "01_visitors_leads_customers": lesson_01,
    "02_filtering_bots": lesson_02,
    "03_building_personas": lesson_03,
    "04_micro_and_macro_conversions": lesson_04,
    "05_conversion_rates": lesson_05,
    "06_lead_quality": lesson_06,
    "07_capstone": lesson_07,
}


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium: skip (or fail under CI) with the install command when missing."""
    strict = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        message = f"the browser test needs the playwright package ({err}); run: make test"
        pytest.fail(message) if strict else pytest.skip(message)
    path = bs.find_chromium()
    if path is None:
        message = bs.INSTALL_HINT + (" (CI is set, so this is a failure, not a skip)"
                                     if strict else "")
        pytest.fail(message) if strict else pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def lessons_copy(workdir: Path) -> Path:
    """A throwaway copy of notebooks/ (the originals are never opened, so never modified).

    ``data`` next to it points at the kit's data/, as it does next to notebooks/, for any
    lesson that reads ``../data`` relative to itself.
    """
    copy = workdir / "notebooks"
    shutil.copytree(NOTEBOOKS, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (workdir / "data").symlink_to(ROOT / "data", target_is_directory=True)
    return copy


@pytest.fixture(scope="module")
def lab(chromium: str, lessons_copy: Path, workdir: Path) -> Iterator[bs.LabServer]:
    server = bs.LabServer(root=lessons_copy, state=workdir / "lab-state")
    started = time.monotonic()
    server.start()
    TIMINGS["_server_start"] = {"seconds": round(time.monotonic() - started, 2)}
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    """One headless Chromium and one browser context (so JupyterLab's assets stay cached
    from one lesson to the next); each test gets its own page and JupyterLab workspace."""
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with sync_playwright() as playwright:
        chrome = bs.launch_chromium(playwright, chromium)
        context = chrome.new_context(viewport=VIEWPORT)
        TIMINGS["_browser_start"] = {"seconds": round(time.monotonic() - started, 2)}
        yield context
        context.close()
        chrome.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2) + "\n")


@dataclass
class Tab:
    page: Any
    console: list[str]


@pytest.fixture
def tab(browser: Any, lab: bs.LabServer) -> Iterator[Tab]:
    """A fresh page per test; its kernels are stopped afterwards."""
    page = browser.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    yield Tab(page, console)
    page.close()
    lab.shutdown_kernels()


def run_lesson(tab: Tab, lab: bs.LabServer, path: Path, shot: str | None) -> list[str]:
    """Open, run, check; a screenshot when ``shot`` names one. Returns the problems."""
    started = time.monotonic()
    bs.open_notebook(tab.page, lab, path.name, timeout=OPEN_TIMEOUT)
    opened = time.monotonic()
    ran = bs.run_all(tab.page, path.name, timeout=RUN_TIMEOUT)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    saved = bs.save_and_read(tab.page, path)
    found = bs.problems(tab.page, notebook, path.name, tab.console, saved)
    found += bs.axe_violations(tab.page, path.name)
    for note in bs.stderr_notes(tab.page, path.name):
        warnings.warn(note, UserWarning, stacklevel=1)
    if shot:
        bs.screenshot(tab.page, ARTIFACTS / f"{shot}.png")
    TIMINGS[path.stem] = {
        "open_s": round(opened - started, 2),
        "run_all_s": round(ran, 2),
        "total_s": round(time.monotonic() - started, 2),
    }
    return found


def check_explorers(tab: Tab, stem: str) -> list[str]:
    """Move the lesson's explorer control; the figure must change to the expected text."""
    shown = tab.page.locator(".jp-NotebookPanel .kit-explorer").count()
    row = EXPLORERS.get(stem)
    if row is None:
        return [f"{stem}: the lesson shows {shown} explorer(s) (.kit-explorer) but "
                "tests/test_browser.py has no EXPLORERS row for it; add one"] if shown else []
    steps = row()
    found: list[str] = []
    for spec in steps if isinstance(steps, list) else [steps]:
        if shown <= spec.index:
            found.append(f"{stem}: EXPLORERS expects explorer #{spec.index}, the page shows "
                         f"{shown}")
            continue
        value = spec.control_value()
        expected = spec.expected(value)
        before = bs.explorer_result(tab.page, spec.index)
        bs.move_control(tab.page, spec.how, spec.target, value, spec.index)
        after = bs.wait_for_result(tab.page, expected, before, spec.index)
        if before == expected:
            found.append(f"{stem}: explorer #{spec.index} already showed {expected!r} before "
                         "the control moved; pick a value in EXPLORERS that changes the figure")
        if after != expected:
            found.append(f"{stem}: after {spec.how} {value!r}, explorer #{spec.index} shows "
                         f"{after!r}, expected {expected!r} (the domain function on the kit data)")
    return found


# --------------------------------------------------------------------------- the lessons
@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_in_browser(lesson: Path, lab: bs.LabServer, lessons_copy: Path,
                                tab: Tab) -> None:
    found = run_lesson(tab, lab, lessons_copy / lesson.name, shot=lesson.stem)
    started = time.monotonic()
    found += check_explorers(tab, lesson.stem)
    TIMINGS[lesson.stem]["explorer_s"] = round(time.monotonic() - started, 2)
    assert not found, "what a learner would see go wrong:\n" + "\n".join(found)


# --------------------------------------------------------------------------- the mechanism
def notebook(*cells: str) -> dict[str, Any]:
    """A minimal stored notebook (python3 kernel, no outputs) with these code cells."""
    return {
        "cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [],
                   "execution_count": None, "id": f"cell-{i}"} for i, c in enumerate(cells)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                    "language": "python"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def write(folder: Path, name: str, nb: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def test_explorer_mechanism(lab: bs.LabServer, lessons_copy: Path, tab: Tab) -> None:
    """The explorer check itself, on the kit's real explorer in a throwaway notebook."""
    from helpers import traffic

    path = write(lessons_copy, "browser_demo_explorer.ipynb", notebook(
        "from helpers import data, explorers\nds = data.load_all()",
        "explorers.traffic_mix(ds.sessions, ds.answer_key)",
    ))
    stem = path.stem
    sessions, answer_key = kit_data().sessions, kit_data().answer_key
    EXPLORERS[stem] = traffic_mix_row
    try:
        found = run_lesson(tab, lab, path, shot="_demo_explorer")
        assert not found, "\n".join(found)
        # Before: the default choice, "all".
        assert bs.explorer_result(tab.page) == traffic.traffic_mix(
            sessions, answer_key, "all").headline
        assert check_explorers(tab, stem) == []
        # After: the busiest channel, and the explorer's chart was redrawn for it.
        explorer = tab.page.locator(".jp-NotebookPanel .kit-explorer").first
        assert explorer.locator("img").count() >= 1, "the explorer shows no chart"
        bs.screenshot(tab.page, ARTIFACTS / "_demo_explorer_moved.png")
        # The check notices a figure that does not follow the control...
        EXPLORERS[stem] = lambda: Explorer("select", "select", "all", lambda _: "Bots: 99%")
        wrong = check_explorers(tab, stem)
        assert any("expected 'Bots: 99%'" in p for p in wrong), wrong
        # ...and an explorer nobody wrote a row for.
        del EXPLORERS[stem]
        missing = check_explorers(tab, stem)
        assert any("no EXPLORERS row" in p for p in missing), missing
    finally:
        EXPLORERS.pop(stem, None)


BROKEN = notebook(
    "import ipywidgets as widgets\nimport matplotlib.pyplot as plt\nfrom traitlets import Unicode",
    # a long output first, so the broken cells are below the fold (JupyterLab skips
    # rendering off-screen cells: the checker must still see them)
    "for i in range(150):\n    print('a long output line', i)",
    # a widget whose front end does not exist -> "Error displaying widget"
    "class Missing(widgets.DOMWidget):\n"
    "    _view_module = Unicode('kit-missing-frontend').tag(sync=True)\n"
    "    _model_module = Unicode('kit-missing-frontend').tag(sync=True)\n"
    "    _view_name = Unicode('MissingView').tag(sync=True)\n"
    "    _model_name = Unicode('MissingModel').tag(sync=True)\n"
    "Missing()",
    # a widget printed instead of displayed -> drawn as text
    "print(widgets.VBox([widgets.Dropdown(options=['a', 'b'])]))",
    # a chart cell whose figure is closed before it is shown -> no image
    "plt.plot([1, 2, 3])\nplt.close()",
    # a chart cell without plt.show() or ';' -> the Line2D list leaks as text
    "plt.plot([1, 2, 3])",
    # an error -> traceback, and Run All stops here
    "raise ValueError('deliberately broken lesson')",
    "print('never runs')",
)
BROKEN_EXPECTED = {
    "error": "shows an error: ",
    "widget error": "Error displaying widget",
    "widget as text": "a widget is shown as text",
    "missing chart": "draws a chart (calls plt./plots.) but shows no image",
    "chart repr": "a chart object leaks as text",
    "not run": "did not run",
}


@pytest.fixture(scope="module")
def broken_report(lab: bs.LabServer, lessons_copy: Path, browser: Any) -> list[str]:
    path = write(lessons_copy, "broken_lesson.ipynb", BROKEN)
    console: list[str] = []
    page = browser.new_page()
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
            if m.type == "error" else None)
    try:
        return run_lesson(Tab(page, console), lab, path, shot="_checker_broken")
    finally:
        page.close()
        lab.shutdown_kernels()


@pytest.mark.parametrize("kind", list(BROKEN_EXPECTED))
def test_checker_reports_broken_lesson(broken_report: list[str], kind: str) -> None:
    """The checker is not blind: each deliberate breakage is named in its report."""
    needle = BROKEN_EXPECTED[kind]
    assert any(needle in line for line in broken_report), (
        f"the checker missed the {kind!r} problem ({needle!r}); it reported:\n"
        + "\n".join(broken_report))
    if kind == "error":
        assert any("ValueError: deliberately broken lesson" in p for p in broken_report)
    if kind == "not run":
        assert any("print('never runs')" in p for p in broken_report)


def test_checker_reports_missing_widget_extension(
    chromium: str, browser: Any, workdir: Path
) -> None:
    """A JupyterLab without the ipywidgets front end draws widgets as text: reported.

    A second server, with @jupyter-widgets/jupyterlab-manager disabled in its own config,
    is what a learner gets when JupyterLab comes from another environment than ipywidgets.
    """
    root = workdir / "no-widgets"
    root.mkdir()
    path = write(root, "widget_lesson.ipynb", notebook(
        "import ipywidgets as widgets\nwidgets.IntSlider(value=3, description='Bots %')"))
    server = bs.LabServer(
        root=root, state=workdir / "no-widgets-state",
        page_config={"disabledExtensions": {"@jupyter-widgets/jupyterlab-manager": True}},
    )
    server.start()
    page = browser.new_page()
    try:
        found = run_lesson(Tab(page, []), server, path, shot="_checker_no_widgets")
    finally:
        page.close()
        server.stop()
    assert any("a widget is shown as text" in p and "IntSlider(" in p for p in found), found


# --------------------------------------------------------------------------- no answer before asked
# A learner's `make lab` has no strict mode: these servers start without KIT_STRICT & co
# (tests/conftest.py sets KIT_STRICT=1 for the rest of the suite), so the solution cells stay
# hidden as they do for a learner.
_AUTHOR_VARS = ("KIT_STRICT", "KIT_AUTHOR", "KIT_SOLUTIONS")

_ANSWERS_SHOWN = r"""(answers) => {
    const panel = document.querySelector('.jp-NotebookPanel');
    const found = [];
    for (const out of panel.querySelectorAll('.jp-OutputArea-output')) {
        const text = out.textContent;
        if (text.includes('\u2705') || /Exercise \d+\.\d+: correct!/.test(text)) {
            found.push('an exercise shows as answered: ' + text.slice(0, 160));
        }
    }
    for (const d of panel.querySelectorAll('.jp-MarkdownCell details[open]')) {
        found.push('quiz answers are open: ' + d.textContent.slice(0, 160));
    }
    // in the quiz-answers cell ("Answers" first), an answer may only sit in a closed <details>
    for (const cell of panel.querySelectorAll('.jp-MarkdownCell')) {
        const rendered = cell.querySelector('.jp-RenderedMarkdown');
        if (!rendered || !rendered.textContent.trim().startsWith('Answers')) continue;
        for (const answer of answers) {
            if (!rendered.textContent.includes(answer)) continue;
            const shown = [...rendered.querySelectorAll('*')].some(el =>
                el.textContent.includes(answer) && !el.closest('details:not([open])')
                && el.children.length === 0);
            if (shown) found.push('a quiz answer is visible: ' + answer);
        }
    }
    return found;
}"""

_HIDDEN_NOTICES = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel .jp-OutputArea-output')].filter(
    o => o.textContent.includes('is hidden')).length"""


def _learner_server(root: Path, state: Path) -> bs.LabServer:
    saved = {name: os.environ.pop(name) for name in _AUTHOR_VARS if name in os.environ}
    try:
        return bs.LabServer(root=root, state=state).start()
    finally:
        os.environ.update(saved)


def _quiz_answers(nb: dict[str, Any]) -> list[str]:
    """The first words of each quiz answer, as they read once rendered."""
    import re

    answers = []
    for cell in nb["cells"]:
        if "quiz-answers" in bs.tags(cell):
            for line in "".join(cell["source"]).splitlines():
                match = re.match(r"^\d+\. (.+)$", line)
                if match:
                    words = re.sub(r"[*_`\[\]]", "", match.group(1))[:40].strip()
                    answers.append(words)
    return answers


@pytest.fixture(scope="module")
def learner_lab(chromium: str, workdir: Path) -> Iterator[bs.LabServer]:
    root = workdir / "self-study"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = _learner_server(root, workdir / "self-study-state")
    yield server
    server.stop()


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_run_all_shows_no_answer(lesson: Path, learner_lab: bs.LabServer, browser: Any) -> None:
    """Self-study edition: after Run All, no solution output, no quiz answer and no ✅."""
    path = learner_lab.root / lesson.name
    nb = json.loads(path.read_text(encoding="utf-8"))
    solutions = sum("solution" in bs.tags(c) for c in nb["cells"])
    page = browser.new_page()
    page.set_default_timeout(30_000)
    try:
        bs.open_notebook(page, learner_lab, lesson.name, timeout=OPEN_TIMEOUT)
        bs.run_all(page, lesson.name, timeout=RUN_TIMEOUT)
        found = page.evaluate(_ANSWERS_SHOWN, _quiz_answers(nb))
        notices = page.evaluate(_HIDDEN_NOTICES)
        bs.screenshot(page, ARTIFACTS / f"_no_answers_{lesson.stem}.png")
    finally:
        page.close()
        learner_lab.shutdown_kernels()
    assert not found, f"{lesson.name}: a learner sees answers after Run All:\n" + "\n".join(found)
    # every solution cell ran and said it is hidden (not skipped by an error before it)
    assert notices == solutions, f"{lesson.name}: {notices} 'hidden' notices, {solutions} solutions"


@pytest.mark.parametrize("stem", ["00_start_here", "04_micro_and_macro_conversions"])
def test_workshop_handout_runs_without_answers(
    stem: str, chromium: str, browser: Any, workdir: Path
) -> None:
    """The handout `make learner` writes (served by `make lab EDITION=learner`) runs."""
    from helpers import classroom

    root = workdir / f"handout-{stem}"
    classroom.learner_copy(root)
    server = _learner_server(root, workdir / f"handout-{stem}-state")
    page = browser.new_page()
    try:
        found = run_lesson(Tab(page, []), server, root / f"{stem}.ipynb", shot=f"_handout_{stem}")
        found += page.evaluate(_ANSWERS_SHOWN, [])
        notices = page.evaluate(_HIDDEN_NOTICES)
    finally:
        page.close()
        server.stop()
    assert not found, "\n".join(found)
    assert notices == 0, "the handout still holds solution cells"

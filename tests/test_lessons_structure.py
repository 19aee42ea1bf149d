"""Every lesson notebook follows the kit's skeleton (CONTRIBUTING.md, "A lesson").

These tests read the stored notebooks (they do not run them: the nbval run does that) and
check each ``notebooks/NN_slug.ipynb`` that exists. Lesson authors: follow these conventions
exactly; the messages say which cell is wrong and how. ``NN`` is the two-digit lesson number,
``N`` the same number without the leading zero (lesson 02 has exercises 2.1, 2.2...).

1. **Header** (first cell, markdown)::

       # 02 · Filtering bots
       **Teaching:** 25 min · **Exercises:** 15 min · **Before this:** 01

       **Questions**
       - How much of our traffic is not human at all?

       **Objectives**
       - Flag bots by user agent and by behaviour, and say why each one was flagged.

   The same minutes in the notebook metadata: ``"kit": {"teaching": 25, "exercises": 15}``.
   Teaching 10-60 min, exercises 0-40 min (more than 0 when the lesson has exercises),
   together at most 90 min.
2. **Setup**: the first code cell imports from helpers (``from helpers import check, data,
   explorers, plots``), including ``check`` when there are exercises and ``explorers`` when
   the lesson uses an explorer.
3. **Exercises** (at least 1 in lesson 00, at least 3 in lessons 01-07), numbered N.1, N.2...
   in order, each exactly three cells in a row:

   - markdown starting ``### Exercise 2.1 — Title`` (an em dash), then the task;
   - the learner's code cell: runs as is, holds the ``...`` placeholder and calls
     ``check.exercise("2.1", answer)`` (never ``strict=True``);
   - the solution: a code cell tagged ``solution`` with metadata
     ``"jupyter": {"source_hidden": true}``, whose first line is the cell magic
     ``%%solution 2.1`` (it keeps the solution hidden until the learner asks for it with
     ``check.solution("2.1")``; in strict mode, ``KIT_STRICT=1`` as in the tests, it runs),
     whose second line is ``# Solution`` and whose last line is
     ``check.exercise("2.1", answer, strict=True)``.

   Every id used is registered in ``helpers/exercises/lessonNN.py``, and every id registered
   there is used in the lesson.
4. **Instructor notes**: markdown cells tagged ``instructor`` starting ``> **Instructor:**``
   (at least one per lesson; a note without the tag is an error, so the learner copy can
   strip them all).
5. **Explorer**: lessons 01-07 call at least one ``explorers.<explorer>(...)`` in a code cell
   (``helpers/explorers/lessonNN.py``; each explorer calls one domain function).
6. **Prose checks**: lessons 01-07 have at least one code cell tagged ``prose-check``, hidden
   (``source_hidden``), holding a ``check.prose(...)`` on a number the prose quotes.
7. **Quiz**: a markdown cell starting ``## Quiz`` with 3-5 numbered questions (``1. ...``),
   immediately followed by a markdown cell tagged ``quiz-answers``, hidden, starting
   ``**Answers**`` with as many numbered answers, all inside one collapsed
   ``<details><summary>...</summary>`` ... ``</details>`` block (so Run All does not show them).
8. **Key points**: a markdown cell starting ``## Key points`` with bullet points, after the
   quiz and after the last exercise.
9. **Navigation**: the last cell, markdown, one line with links to the previous and the next
   lesson, the contents and the glossary, e.g.
   ``[← 01 · Visitors, leads and customers](01_visitors_leads_customers.ipynb) |
   [Contents](contents.ipynb) | [Glossary](glossary.ipynb) | [Cheat sheet](cheatsheet.ipynb) |
   [03 · Building personas →](03_building_personas.ipynb)``. Lesson 00 has no previous link,
   lesson 07 no next one. Links use the planned file names (:data:`LESSONS`).
10. **Standalone**: no cell reads another notebook's variables (no ``%store``, ``%run``,
    pickles); every name a cell uses is defined in an earlier cell of the same notebook; and
    no cell outside the exercises uses a name that only an exercise or its solution defines
    (a learner who skips the solution would get ``...``).
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

#: The kit's lessons (the README's lesson map); navigation links must point to these names.
LESSONS: dict[int, str] = {
    0: "00_start_here.ipynb",
    1: "01_visitors_leads_customers.ipynb",
    2: "02_filtering_bots.ipynb",
    3: "03_building_personas.ipynb",
    4: "04_micro_and_macro_conversions.ipynb",
    5: "05_conversion_rates.ipynb",
    6: "06_lead_quality.ipynb",
    7: "07_capstone.ipynb",
}
LAST = max(LESSONS)

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))

HEADER_TITLE = r"^# {nn} · \S.*$"
HEADER_TIMES = re.compile(
    r"^\*\*Teaching:\*\* (\d+) min · \*\*Exercises:\*\* (\d+) min · \*\*Before this:\*\* \S.*$"
)
EXERCISE_HEADING = re.compile(r"^### Exercise (\d+)\.(\d+) — \S")
CHECK_CALL = re.compile(r"""check\.exercise\(\s*["'](\d+\.\d+)["']""")
INSTRUCTOR_START = "> **Instructor:**"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
EXPLORER_CALL = re.compile(r"\bexplorers\.\w+\(")
FORBIDDEN = {
    r"^\s*%store\b": "%store shares variables between notebooks",
    r"^\s*%run\b": "%run runs another notebook or script into this one",
    r"\b(import|from) ipynb\b": "importing a notebook",
    r"\bread_pickle\(|\bpickle\.load": "pickles are how notebooks pass state",
    r"""\.ipynb["']""": "reading another notebook file",
}
IPYTHON_NAMES = {"display", "get_ipython", "In", "Out", "_", "__", "___", "exit", "quit"}


# --------------------------------------------------------------------------- reading cells


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def number_of(path: Path) -> int:
    return int(path.name[:2])


def text(cell) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def hidden(cell) -> bool:
    return cell.get("metadata", {}).get("jupyter", {}).get("source_hidden") is True


def lines(cell) -> list[str]:
    return [line.rstrip() for line in text(cell).strip().splitlines()]


def first_line(cell) -> str:
    found = lines(cell)
    return found[0] if found else ""


def is_md(cell) -> bool:
    return cell.get("cell_type") == "markdown"


def is_code(cell) -> bool:
    return cell.get("cell_type") == "code"


def exercise_headings(nb) -> list[tuple[int, str]]:
    """(cell index, "N.M") of each well-formed exercise heading."""
    found = []
    for i, cell in enumerate(nb.cells):
        match = EXERCISE_HEADING.match(first_line(cell)) if is_md(cell) else None
        if match:
            found.append((i, f"{int(match.group(1))}.{int(match.group(2))}"))
    return found


def used_ids(nb) -> set[str]:
    return {m for cell in nb.cells if is_code(cell) for m in CHECK_CALL.findall(text(cell))}


def min_exercises(number: int) -> int:
    return 1 if number == 0 else 3


# --------------------------------------------------------------------------- the checks
# Each returns a list of problems (empty when the notebook is right), so the self-tests at the
# end can feed them small notebooks made on the spot.


def header_problems(nb, number: int) -> list[str]:
    if not nb.cells or not is_md(nb.cells[0]):
        return ["the first cell must be the markdown header (# NN · Title ...)"]
    found = lines(nb.cells[0])
    problems = []
    if not re.match(HEADER_TITLE.format(nn=f"{number:02d}"), found[0] if found else ""):
        problems.append(f"header line 1 must be '# {number:02d} · Title', got {found[:1]}")
    if len(found) < 2 or not HEADER_TIMES.match(found[1]):
        problems.append(
            "header line 2 must be '**Teaching:** X min · **Exercises:** Y min · "
            f"**Before this:** ...', got {found[1:2]}"
        )
    for section in ("**Questions**", "**Objectives**"):
        if section not in found:
            problems.append(f"header has no {section} line")
            continue
        after = found[found.index(section) + 1 :]
        if not after or not after[0].startswith("- "):
            problems.append(f"header: {section} must be followed by '- ' bullet points")
    return problems


def declared_times(nb) -> tuple[int | None, int | None, dict]:
    """(teaching, exercises) from the header, and the metadata's kit entry."""
    teaching = exercises = None
    if nb.cells and is_md(nb.cells[0]):
        for line in lines(nb.cells[0]):
            match = HEADER_TIMES.match(line)
            if match:
                teaching, exercises = int(match.group(1)), int(match.group(2))
    return teaching, exercises, dict(nb.metadata.get("kit", {}))


def timing_problems(nb) -> list[str]:
    teaching, exercises, kit = declared_times(nb)
    problems = []
    if kit.get("teaching") != teaching or kit.get("exercises") != exercises:
        problems.append(
            f"metadata kit {kit} does not match the header (teaching {teaching}, "
            f"exercises {exercises}); set metadata 'kit': {{'teaching': {teaching}, "
            f"'exercises': {exercises}}}"
        )
    if exercise_headings(nb) and not (exercises or 0) > 0:
        problems.append("the lesson has exercises, so its exercise minutes must be > 0")
    if teaching is not None and not 10 <= teaching <= 60:
        problems.append(f"teaching time {teaching} min is outside 10-60 min")
    if exercises is not None and not 0 <= exercises <= 40:
        problems.append(f"exercise time {exercises} min is outside 0-40 min")
    if teaching is not None and exercises is not None and teaching + exercises > 90:
        problems.append(f"teaching + exercises = {teaching + exercises} min, over 90 min")
    return problems


def exercise_problems(nb, number: int) -> list[str]:
    problems = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if is_md(cell) and first_line(cell).startswith("### Exercise"):
            if not EXERCISE_HEADING.match(first_line(cell)):
                problems.append(
                    f"cell {i}: exercise heading must read '### Exercise {number}.M — Title' "
                    f"(with an em dash), got {first_line(cell)!r}"
                )
    headings = exercise_headings(nb)
    if len(headings) < min_exercises(number):
        problems.append(
            f"{len(headings)} exercise(s); lesson {number:02d} needs at least "
            f"{min_exercises(number)}"
        )
    ids = [exercise_id for _, exercise_id in headings]
    wanted = [f"{number}.{m}" for m in range(1, len(ids) + 1)]
    if ids != wanted:
        problems.append(f"exercises must be numbered {wanted} in order, found {ids}")
    paired_solutions = set()
    for i, exercise_id in headings:
        learner = cells[i + 1] if i + 1 < len(cells) else None
        solution = cells[i + 2] if i + 2 < len(cells) else None
        where = f"exercise {exercise_id} (cell {i})"
        if learner is None or not is_code(learner):
            problems.append(f"{where}: the next cell must be the learner's code cell")
            continue
        source = text(learner)
        if CHECK_CALL.findall(source) != [exercise_id]:
            problems.append(
                f"{where}: the learner cell must call check.exercise({exercise_id!r}, ...) once"
            )
        if "strict=True" in source or "solution" in tags(learner) or hidden(learner):
            problems.append(f"{where}: the learner cell must not be strict, tagged or hidden")
        if "..." not in source:
            problems.append(f"{where}: the learner cell must hold the `...` placeholder")
        if solution is None or not is_code(solution):
            problems.append(f"{where}: the learner cell must be followed by the solution cell")
            continue
        paired_solutions.add(i + 2)
        if "solution" not in tags(solution):
            problems.append(f"{where}: the solution cell must be tagged 'solution'")
        if not hidden(solution):
            problems.append(
                f"{where}: the solution cell needs metadata jupyter.source_hidden = true"
            )
        body = lines(solution)
        if not body or body[0] != f"%%solution {exercise_id}":
            problems.append(
                f"{where}: the solution cell must start with '%%solution {exercise_id}' "
                "(the magic that hides it until the learner asks)"
            )
        elif body[1:2] != ["# Solution"]:
            problems.append(f"{where}: the solution cell's second line must be '# Solution'")
        last = [line for line in body if line.strip()][-1:] or [""]
        pattern = (
            rf"""^check\.exercise\(\s*["']{re.escape(exercise_id)}["'],\s*.+,\s*strict=True\s*\)$"""
        )
        if not re.match(pattern, last[0]):
            problems.append(
                f"{where}: the solution cell must end with "
                f'check.exercise("{exercise_id}", answer, strict=True), got {last[0]!r}'
            )
    for i, cell in enumerate(cells):
        if "solution" in tags(cell) and i not in paired_solutions:
            problems.append(f"cell {i}: a 'solution' cell that does not follow an exercise")
    return problems


def instructor_problems(nb) -> list[str]:
    problems, count = [], 0
    for i, cell in enumerate(nb.cells):
        tagged = "instructor" in tags(cell)
        starts = text(cell).lstrip().startswith(INSTRUCTOR_START)
        if tagged:
            count += 1
            if not is_md(cell) or not starts:
                problems.append(
                    f"cell {i}: an instructor cell is markdown starting {INSTRUCTOR_START!r}"
                )
        elif starts:
            problems.append(f"cell {i}: an instructor note must be tagged 'instructor'")
    if count == 0:
        problems.append("no instructor note (a markdown cell tagged 'instructor')")
    return problems


def _index(nb, heading: str) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if is_md(c) and first_line(c) == heading]


def numbered(cell) -> int:
    return sum(1 for line in lines(cell) if re.match(r"^\d+\. \S", line))


def quiz_and_key_points_problems(nb) -> list[str]:
    problems = []
    quiz, key_points = _index(nb, "## Quiz"), _index(nb, "## Key points")
    if len(quiz) != 1:
        problems.append(f"need exactly one markdown cell starting '## Quiz', found {len(quiz)}")
    else:
        i = quiz[0]
        questions = numbered(nb.cells[i])
        if not 3 <= questions <= 5:
            problems.append(f"the quiz has {questions} numbered questions; it needs 3-5")
        answers = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if answers is None or not is_md(answers) or "quiz-answers" not in tags(answers):
            problems.append("the quiz must be followed by a markdown cell tagged 'quiz-answers'")
        else:
            if not hidden(answers):
                problems.append("the quiz answers need metadata jupyter.source_hidden = true")
            if first_line(answers) != "**Answers**":
                problems.append("the quiz answers must start with '**Answers**'")
            body = text(answers)
            opened, closed = body.find("<details><summary>"), body.rfind("</details>")
            first_answer = re.search(r"^\d+\. \S", body, flags=re.MULTILINE)
            if not (
                0 <= opened < closed
                and first_answer is not None
                and opened < first_answer.start()
                and body.rstrip().endswith("</details>")
            ):
                problems.append(
                    "the quiz answers must sit inside one collapsed <details><summary>...</summary>"
                    " ... </details> block, so Run All does not show them"
                )
            if numbered(answers) != questions:
                problems.append(
                    f"{questions} quiz questions but {numbered(answers)} numbered answers"
                )
    if len(key_points) != 1:
        problems.append(
            f"need exactly one markdown cell starting '## Key points', found {len(key_points)}"
        )
    else:
        k = key_points[0]
        if not any(line.startswith("- ") for line in lines(nb.cells[k])):
            problems.append("the key points need '- ' bullet points")
        if quiz and quiz[0] > k:
            problems.append("the quiz must come before the key points")
        headings = exercise_headings(nb)
        if headings and headings[-1][0] > k:
            problems.append("the key points must come after the last exercise")
    return problems


#: The pages every navigation line links besides the previous and the next lesson.
NAVIGATION_PAGES = (
    ("Contents", "contents.ipynb"),
    ("Glossary", "glossary.ipynb"),
    ("Cheat sheet", "cheatsheet.ipynb"),
)


def navigation_problems(nb, number: int, folder: Path) -> tuple[list[str], list[str]]:
    """(problems, links to lessons not written yet)."""
    if not nb.cells or not is_md(nb.cells[-1]):
        return ["the last cell must be the markdown navigation line"], []
    cell_text = text(nb.cells[-1])
    links = LINK.findall(cell_text)
    problems, pending = [], []
    for name, target in NAVIGATION_PAGES:
        if (name, target) not in links:
            problems.append(f"the navigation line must link [{name}]({target})")
    prev_links = [(t, u) for t, u in links if t.startswith("←")]
    next_links = [(t, u) for t, u in links if t.endswith("→")]
    for side, found, other, arrow in (
        ("previous", prev_links, number - 1, "←"),
        ("next", next_links, number + 1, "→"),
    ):
        if other not in LESSONS:
            if found:
                problems.append(f"lesson {number:02d} has no {side} lesson, but links {found}")
            continue
        if len(found) != 1:
            problems.append(
                f"the navigation line needs one {side} link like "
                f"'[{'← ' if arrow == '←' else ''}{other:02d} · Title{' →' if arrow == '→' else ''}]"
                f"({LESSONS[other]})', found {found}"
            )
            continue
        label, target = found[0]
        if not re.search(rf"\b{other:02d} · \S", label):
            problems.append(
                f"the {side} link's text must name lesson '{other:02d} · ...', got {label!r}"
            )
        if target != LESSONS[other]:
            problems.append(f"the {side} link must point to {LESSONS[other]}, got {target}")
        elif not (folder / target).exists():
            pending.append(target)
    return problems, pending


def explorer_problems(nb, number: int) -> list[str]:
    if number == 0:
        return []
    calls = [
        i
        for i, cell in enumerate(nb.cells)
        if is_code(cell) and "solution" not in tags(cell) and EXPLORER_CALL.search(text(cell))
    ]
    if not calls:
        return ["lessons 01-07 need at least one explorer: a code cell calling explorers.<name>(...)"]
    return []


def prose_check_problems(nb, number: int) -> list[str]:
    problems, count = [], 0
    for i, cell in enumerate(nb.cells):
        if "prose-check" not in tags(cell):
            continue
        count += 1
        if not is_code(cell) or "check.prose(" not in text(cell) or not hidden(cell):
            problems.append(
                f"cell {i}: a prose-check cell is a hidden code cell (source_hidden) with a "
                "check.prose(...)"
            )
    if number > 0 and count == 0:
        problems.append(
            "no 'prose-check' cell: assert the numbers the prose quotes, e.g. "
            'assert f"{bot_share:.0%}" == "18%", "update the text above"'
        )
    return problems


def setup_problems(nb) -> list[str]:
    code = [c for c in nb.cells if is_code(c)]
    if not code:
        return ["the notebook has no code cell"]
    setup = text(code[0])
    imports = set()
    for match in re.finditer(r"^\s*from helpers import ([^\n#]+)", setup, re.M):
        imports |= {name.strip(" ()") for name in match.group(1).split(",")}
    problems = []
    if not imports and not re.search(r"^import helpers\b", setup, re.M):
        problems.append("the first code cell (setup) must import from helpers")
    if exercise_headings(nb) and "check" not in imports:
        problems.append("the setup cell must import check: from helpers import check, ...")
    if any(EXPLORER_CALL.search(text(c)) for c in code) and "explorers" not in imports:
        problems.append("the setup cell must import explorers: from helpers import explorers, ...")
    return problems


def _python(source: str) -> str:
    """The cell without IPython magics and shell escapes (which ast cannot parse)."""
    if source.lstrip().startswith("%%solution"):  # the rest of the cell is plain Python
        source = source.lstrip().partition("\n")[2]
    elif source.lstrip().startswith("%%"):
        return ""
    return "\n".join(
        line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    )


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(names defined, names loaded) anywhere in the tree (lenient on scopes)."""
    defined, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                defined.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            defined.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            defined.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            defined.add(node.rest)
    return defined, loaded


def standalone_problems(nb) -> list[str]:
    problems = []
    known = set(dir(builtins)) | IPYTHON_NAMES
    exercise_only: set[str] = set()
    learner_cells = {i + 1 for i, _ in exercise_headings(nb)}
    for i, cell in enumerate(nb.cells):
        if not is_code(cell):
            continue
        source = text(cell)
        for pattern, why in FORBIDDEN.items():
            if re.search(pattern, source, re.M):
                problems.append(f"cell {i}: {why}; each notebook loads what it needs itself")
        try:
            tree = ast.parse(_python(source))
        except SyntaxError as err:
            problems.append(f"cell {i}: does not parse as Python ({err.msg}, line {err.lineno})")
            continue
        defined, loaded = _names(tree)
        in_exercise = i in learner_cells or "solution" in tags(cell)
        for name in sorted(loaded - defined):
            if name in known:
                continue
            if name in exercise_only and not in_exercise:
                problems.append(
                    f"cell {i}: uses {name!r}, which only an exercise or its solution defines; "
                    "a learner who skips the solution has `...` there. Compute it in a normal cell."
                )
            elif name not in exercise_only:
                problems.append(
                    f"cell {i}: uses {name!r}, which no earlier cell of this notebook defines"
                )
        if in_exercise:
            exercise_only |= defined - known
        else:
            known |= defined
            exercise_only -= defined
    return problems


def registration_problems(nb, number: int, registered: set[str]) -> list[str]:
    used = used_ids(nb)
    headings = {exercise_id for _, exercise_id in exercise_headings(nb)}
    mine = {x for x in registered if x.split(".")[0] == str(number)}
    problems = []
    for exercise_id in sorted(used - registered):
        problems.append(
            f"exercise {exercise_id} is checked but not registered in "
            f"helpers/exercises/lesson{number:02d}.py"
        )
    for exercise_id in sorted(mine - headings):
        problems.append(
            f"exercise {exercise_id} is registered in helpers/exercises/lesson{number:02d}.py "
            "but the lesson has no such exercise"
        )
    for exercise_id in sorted(used - headings):
        problems.append(f"check.exercise({exercise_id!r}) is called but no heading introduces it")
    return problems


def all_problems(path: Path, registered: set[str]) -> list[str]:
    """Every problem of one notebook (navigation links to unwritten lessons excepted)."""
    nb, number = load(path), number_of(path)
    return [
        *header_problems(nb, number),
        *timing_problems(nb),
        *exercise_problems(nb, number),
        *instructor_problems(nb),
        *quiz_and_key_points_problems(nb),
        *navigation_problems(nb, number, path.parent)[0],
        *explorer_problems(nb, number),
        *prose_check_problems(nb, number),
        *setup_problems(nb),
        *standalone_problems(nb),
        *registration_problems(nb, number, registered),
    ]


# --------------------------------------------------------------------------- the tests

lesson = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def report(problems: list[str], path: Path) -> None:
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def registered() -> set[str]:
    from helpers import check

    return set(check.load_all_lessons())


@lesson
def test_file_name_is_planned(path):
    assert LESSONS.get(number_of(path)) == path.name, (
        f"{path.name}: lesson {number_of(path):02d} is planned as "
        f"{LESSONS.get(number_of(path))} (tests/test_lessons_structure.py LESSONS)"
    )


@lesson
def test_header(path):
    report(header_problems(load(path), number_of(path)), path)


@lesson
def test_timings(path):
    report(timing_problems(load(path)), path)


@lesson
def test_exercises_check_and_solution(path):
    report(exercise_problems(load(path), number_of(path)), path)


@lesson
def test_exercises_are_registered(path, registered):
    report(registration_problems(load(path), number_of(path), registered), path)


@lesson
def test_instructor_notes(path):
    report(instructor_problems(load(path)), path)


@lesson
def test_quiz_and_key_points(path):
    report(quiz_and_key_points_problems(load(path)), path)


@lesson
def test_navigation(path):
    problems, pending = navigation_problems(load(path), number_of(path), path.parent)
    report(problems, path)
    if pending:
        pytest.skip(f"{path.name} links to lessons not written yet: {', '.join(pending)}")


@lesson
def test_explorer_and_prose_checks(path):
    nb, number = load(path), number_of(path)
    report(explorer_problems(nb, number) + prose_check_problems(nb, number), path)


@lesson
def test_setup_imports_helpers(path):
    report(setup_problems(load(path)), path)


@lesson
def test_standalone(path):
    report(standalone_problems(load(path)), path)


def test_total_time_is_a_workshop():
    """All lessons together fit in a long workshop day (8 hours)."""
    total = 0
    for path in NOTEBOOKS:
        teaching, exercises, _ = declared_times(load(path))
        total += (teaching or 0) + (exercises or 0)
    assert total <= 480, f"the lessons add up to {total} min, more than 8 hours"


# --------------------------------------------------------------------------- self-tests
# The checks above run on a small notebook made here, right and then broken on purpose, so
# they are known to work before the lessons exist.


def _md(source, *, tag=None, hide=False):
    cell = nbformat.v4.new_markdown_cell(source)
    if tag:
        cell.metadata["tags"] = [tag]
    if hide:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _code(source, *, tag=None, hide=False):
    cell = nbformat.v4.new_code_cell(source)
    if tag:
        cell.metadata["tags"] = [tag]
    if hide:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def model_lesson() -> nbformat.NotebookNode:
    """A minimal lesson 01 that follows every convention."""
    cells = [
        _md(
            "# 01 · Visitors, leads and customers\n"
            "**Teaching:** 20 min · **Exercises:** 15 min · **Before this:** 00\n\n"
            "**Questions**\n- Is every visitor a lead?\n\n"
            "**Objectives**\n- Tell traffic, leads and customers apart."
        ),
        _code("from helpers import check, data, explorers\n\nsessions = data.load_sessions()"),
        _md("Bots are 18% of sessions."),
        _code("bot_share = sessions['is_bot'].mean()\nbot_share"),
        _code(
            'check.prose(f"{bot_share:.0%}" == "18%", "update the text above")',
            tag="prose-check",
            hide=True,
        ),
        _md("> **Instructor:** ask who has filled in a form today.", tag="instructor"),
        _code("explorers.traffic_mix(sessions, answer_key := data.load_answer_key())"),
    ]
    for m in (1, 2, 3):
        cells += [
            _md(f"### Exercise 1.{m} — Task {m}\n\nDo it."),
            _code(f'answer_{m} = ...   # your answer\ncheck.exercise("1.{m}", answer_{m})'),
            _code(
                f"%%solution 1.{m}\n# Solution\nanswer_{m} = len(sessions)\n"
                f'check.exercise("1.{m}", answer_{m}, strict=True)',
                tag="solution",
                hide=True,
            ),
        ]
    cells += [
        _md("## Quiz\n\n1. One?\n2. Two?\n3. Three?"),
        _md(
            "**Answers**\n\n<details><summary>Show the answers</summary>\n\n1. One.\n2. Two.\n"
            "3. Three.\n\n</details>",
            tag="quiz-answers",
            hide=True,
        ),
        _md("## Key points\n\n- A visitor is not a lead."),
        _md(
            "---\n[← 00 · Start here](00_start_here.ipynb) | [Contents](contents.ipynb) | "
            "[Glossary](glossary.ipynb) | [Cheat sheet](cheatsheet.ipynb) | "
            "[02 · Filtering bots →](02_filtering_bots.ipynb)"
        ),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kit"] = {"teaching": 20, "exercises": 15}
    return nb


@pytest.fixture
def model(tmp_path):
    for name in ("00_start_here.ipynb", "02_filtering_bots.ipynb"):
        (tmp_path / name).write_text("{}")
    path = tmp_path / "01_visitors_leads_customers.ipynb"
    nbformat.write(model_lesson(), path)
    return path


MODEL_IDS = {"1.1", "1.2", "1.3"}


def test_model_lesson_has_no_problems(model):
    assert all_problems(model, MODEL_IDS) == []
    assert navigation_problems(load(model), 1, model.parent)[1] == []


def _broken(change) -> nbformat.NotebookNode:
    nb = model_lesson()
    change(nb)
    return nb


def _find(nb, start):
    return next(i for i, c in enumerate(nb.cells) if text(c).startswith(start))


@pytest.mark.parametrize(
    ("change", "check_name", "expected"),
    [
        (lambda nb: nb.cells[0].update(source="# 1 · Title"), "header", "header line 1"),
        (
            lambda nb: nb.metadata.update(kit={"teaching": 20, "exercises": 0}),
            "timing",
            "does not match",
        ),
        (
            lambda nb: nb.metadata.update(kit={"teaching": 5, "exercises": 15}),
            "timing",
            "does not match",
        ),
        (
            lambda nb: nb.cells[_find(nb, "### Exercise 1.2")].update(
                source="### Exercise 1.2 - Task"
            ),
            "exercise",
            "em dash",
        ),
        (
            lambda nb: nb.cells[_find(nb, "%%solution 1.1")].metadata.pop("jupyter"),
            "exercise",
            "source_hidden",
        ),
        (
            lambda nb: nb.cells[_find(nb, "%%solution 1.2")].update(
                source="%%solution 1.2\n# Solution\nanswer_2 = 1"
            ),
            "exercise",
            "must end with",
        ),
        (
            lambda nb: nb.cells[_find(nb, "answer_3 = ...")].update(
                source='answer_3 = 4\ncheck.exercise("1.3", answer_3)'
            ),
            "exercise",
            "placeholder",
        ),
        (
            lambda nb: nb.cells.pop(_find(nb, "%%solution 1.3")),
            "exercise",
            "followed by the solution",
        ),
        (
            lambda nb: nb.cells[_find(nb, "> **Instructor")].metadata.pop("tags"),
            "instructor",
            "tagged",
        ),
        (
            lambda nb: nb.cells[_find(nb, "**Answers**")].update(
                source="**Answers**\n\n1. One.\n2. Two.\n3. Three."
            ),
            "quiz",
            "<details>",
        ),
        (
            lambda nb: nb.cells[_find(nb, "%%solution 1.2")].update(
                source="# Solution\nanswer_2 = 1\ncheck.exercise(\"1.2\", answer_2, strict=True)"
            ),
            "exercise",
            "%%solution 1.2",
        ),
        (
            lambda nb: nb.cells[_find(nb, "## Quiz")].update(source="## Quiz\n\n1. One?"),
            "quiz",
            "3-5",
        ),
        (
            lambda nb: nb.cells[_find(nb, "**Answers**")].metadata.pop("jupyter"),
            "quiz",
            "source_hidden",
        ),
        (lambda nb: nb.cells.pop(_find(nb, "## Key points")), "quiz", "Key points"),
        (
            lambda nb: nb.cells[-1].update(
                source="Contents | [02 · Filtering bots →](02_filtering_bots.ipynb)"
            ),
            "navigation",
            "previous",
        ),
        (
            lambda nb: nb.cells[-1].update(
                source="[← 00 · Start](00_start.ipynb) | Contents | [02 · Filtering bots →](02_filtering_bots.ipynb)"
            ),
            "navigation",
            "must point to 00_start_here",
        ),
        (
            lambda nb: nb.cells[-1].update(
                source="[← 00 · Start here](00_start_here.ipynb) | Contents | "
                "[Glossary](glossary.ipynb) | [Cheat sheet](cheatsheet.ipynb) | "
                "[02 · Filtering bots →](02_filtering_bots.ipynb)"
            ),
            "navigation",
            "[Contents](contents.ipynb)",
        ),
        (lambda nb: nb.cells.pop(_find(nb, "explorers.")), "widget", "explorer"),
        (lambda nb: nb.cells.pop(_find(nb, "check.prose(")), "prose", "prose-check"),
        (
            lambda nb: nb.cells[1].update(
                source="from helpers import data, explorers\nsessions = data.load_sessions()"
            ),
            "setup",
            "import check",
        ),
        (lambda nb: nb.cells.insert(3, _code("%store -r humans")), "standalone", "%store"),
        (
            lambda nb: nb.cells.insert(3, _code("humans.head()")),
            "standalone",
            "'humans', which no earlier cell",
        ),
        (
            lambda nb: nb.cells.insert(len(nb.cells) - 4, _code("answer_1 * 2")),
            "standalone",
            "only an exercise",
        ),
    ],
)
def test_checks_catch_broken_lessons(tmp_path, change, check_name, expected):
    for name in ("00_start_here.ipynb", "02_filtering_bots.ipynb"):
        (tmp_path / name).write_text("{}")
    nb = _broken(change)
    runs = {
        "header": lambda: header_problems(nb, 1),
        "timing": lambda: timing_problems(nb),
        "exercise": lambda: exercise_problems(nb, 1),
        "instructor": lambda: instructor_problems(nb),
        "quiz": lambda: quiz_and_key_points_problems(nb),
        "navigation": lambda: navigation_problems(nb, 1, tmp_path)[0],
        "widget": lambda: explorer_problems(nb, 1),
        "prose": lambda: prose_check_problems(nb, 1),
        "setup": lambda: setup_problems(nb),
        "standalone": lambda: standalone_problems(nb),
    }
    problems = runs[check_name]()
    assert any(expected in p for p in problems), problems


def test_registration_mismatch_is_caught():
    nb = model_lesson()
    problems = registration_problems(nb, 1, {"1.1", "1.2", "1.4"})
    assert any("1.3 is checked but not registered" in p for p in problems)
    assert any("1.4 is registered" in p for p in problems)


def test_unwritten_neighbour_is_pending_not_wrong(tmp_path):
    nb = model_lesson()
    problems, pending = navigation_problems(nb, 1, tmp_path)
    assert problems == [] and pending == ["00_start_here.ipynb", "02_filtering_bots.ipynb"]


def test_timing_bounds():
    nb = model_lesson()
    nb.cells[0].source = nb.cells[0].source.replace("**Teaching:** 20", "**Teaching:** 70")
    nb.metadata["kit"] = {"teaching": 70, "exercises": 15}
    assert any("outside 10-60" in p for p in timing_problems(nb))

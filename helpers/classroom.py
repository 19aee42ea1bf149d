"""For trainers: the workshop handout, the lessons without any answer in them.

``python -m helpers.classroom learner-copy OUT`` (or ``make learner``) writes every lesson of
``notebooks/`` into ``OUT/`` without the cells tagged ``solution``, ``quiz-answers``,
``instructor`` and ``prose-check`` (the authors' checks hold the numbers, and some hold an
exercise's answer), with every output and execution count removed whatever the source holds,
and with lesson 00's paragraphs about solutions swapped for ones that describe the handout.
The learner's exercise cells and their checks stay, so every exercise still tells a learner
whether they are right; the copy runs top to bottom (the structure tests forbid a normal cell
from depending on a solution). ``make lab EDITION=learner`` opens it.

Examples
--------
>>> nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["solution"]}, "source": "x = 1"},
...                 {"cell_type": "markdown", "metadata": {}, "source": "# hello"}]}
>>> [c["source"] for c in learner_cells(nb)["cells"]]
['# hello']
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Cells with any of these tags are for the trainer's (or the author's) eyes only.
TRAINER_TAGS = frozenset({"solution", "quiz-answers", "instructor", "prose-check"})

#: Lesson 00's text about solutions, and what the handout says instead (self-study -> handout).
#: learner_copy() fails if a self-study text is no longer in the lesson, so the two stay in step.
HANDOUT_TEXT: dict[str, dict[str, str]] = {
    "00_start_here.ipynb": {
        """- **Hints and solutions.** Stuck? `check.hint("0.1")` gives a hint; ask again for a stronger
  one. The collapsed cell under each exercise (a `⋯` bar) holds the solution, which stays
  hidden (running the notebook never shows an answer) until you run `check.solution("0.1")`:
  it shows the code and, from then on, that cell's result. A solution runs on a copy of your
  variables, so yours keep their values. The quiz answers sit in a closed *Show the answers*
  block under each quiz.""": """- **Hints.** Stuck? `check.hint("0.1")` gives a hint; ask again for a stronger one. This
  workshop copy has no solutions and no quiz answers: your trainer goes through them with the
  group, so keep your own attempts.""",
        "- Exercises check your answer and name the likely mistake; `check.hint` helps, "
        "`check.solution` shows the answer only when you ask.": "- Exercises check your answer "
        "and name the likely mistake; `check.hint` gives a stronger hint each time you ask.",
    }
}

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: The pandas primer, the optional lesson between 00 and 01: the handout holds it too.
PRIMER = "pandas_primer.ipynb"


def learner_cells(notebook: dict[str, Any], tags: frozenset[str] = TRAINER_TAGS) -> dict[str, Any]:
    """Return a copy of a notebook (as parsed JSON) without the cells carrying ``tags``.

    Parameters
    ----------
    notebook : dict
        A notebook as read with ``json.load``; it is not changed.
    tags : frozenset of str
        Cells tagged with any of these are dropped.

    Returns
    -------
    dict
        The learner's notebook.
    """
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise TypeError("learner_cells(): expected a notebook dict with a 'cells' list (json.load it first).")
    out = copy.deepcopy(notebook)
    out["cells"] = [
        cell for cell in out["cells"] if not tags & set(cell.get("metadata", {}).get("tags", []))
    ]
    for cell in out["cells"]:
        if cell.get("cell_type") == "code":  # never ship an output, whatever the source holds
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    return out


def _handout_text(name: str, notebook: dict[str, Any]) -> dict[str, Any]:
    """Swap the self-study paragraphs of ``name`` for the handout's (see HANDOUT_TEXT)."""
    for old, new in HANDOUT_TEXT.get(name, {}).items():
        found = False
        for cell in notebook["cells"]:
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            if old in text:
                found = True
                cell["source"] = text.replace(old, new).splitlines(keepends=True)
        if not found:
            raise ValueError(
                f"learner_copy(): {name} no longer holds the text {old[:60]!r}...; update "
                "HANDOUT_TEXT in helpers/classroom.py to match the lesson."
            )
    return notebook


def learner_copy(out: Path | str, src: Path | str = NOTEBOOKS) -> list[Path]:
    """Write the learner copy of every lesson in ``src`` into ``out``.

    Parameters
    ----------
    out : Path or str
        Destination folder (created if missing). It must not be the source folder.
    src : Path or str, default the kit's notebooks/
        Folder with the lessons (``NN_*.ipynb``).

    Returns
    -------
    list of Path
        The notebooks written.
    """
    src, out = Path(src), Path(out)
    if out.resolve() == src.resolve():
        raise ValueError("learner_copy(): out must be another folder than the lessons themselves.")
    lessons = sorted(src.glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise FileNotFoundError(f"learner_copy(): no lessons (NN_*.ipynb) in {src}.")
    lessons += [p for p in (src / PRIMER,) if p.is_file()]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lessons:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        target = out / path.name
        handout = _handout_text(path.name, learner_cells(notebook))
        target.write_text(json.dumps(handout, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


# --------------------------------------------------------------------------- pacing

#: Reading speed for the pacing estimate (words per minute, a non-native reader of prose
#: with numbers in it; 150 is the usual figure for careful reading of instructional text).
WORDS_PER_MINUTE = 150

#: Time a learner needs to run a code cell and read what it shows, in minutes.
MINUTES_PER_CODE_CELL = 0.25

#: Minutes per exercise by type (a notebook marks the type in the exercise heading's metadata,
#: ``"kit": {"exercise": "choice"}``; no mark means ``"pandas"``: the learner writes code).
EXERCISE_MINUTES: dict[str, float] = {
    "pandas": 5.0, "fill": 3.0, "choice": 2.0, "predict": 2.0, "order": 2.0,
}

#: The exercise types that need no pandas writing.
NO_PANDAS = frozenset({"fill", "choice", "predict", "order"})

#: The marker an optional section's ``## `` heading ends with.
OPTIONAL_MARK = "(optional)"

#: Cell tags that are not part of the learner's reading (hidden, for the trainer or author).
_NOT_READ = frozenset({"solution", "quiz-answers", "instructor", "prose-check"})


def _text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _tags(cell: dict[str, Any]) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def sections(notebook: dict[str, Any]) -> list[tuple[str, bool, list[int]]]:
    """The lesson's ``## `` sections: (heading, optional, cell indices), in order.

    Cells before the first ``## `` heading (the header and setup) belong to a section named
    ``""``, which is never optional. A section is optional when its heading ends with
    :data:`OPTIONAL_MARK`.
    """
    out: list[tuple[str, bool, list[int]]] = [("", False, [])]
    for i, cell in enumerate(notebook.get("cells", [])):
        text = _text(cell)
        if cell.get("cell_type") == "markdown" and text.startswith("## "):
            heading = text.splitlines()[0][3:].strip()
            out.append((heading, heading.endswith(OPTIONAL_MARK), []))
        out[-1][2].append(i)
    return out


def mark_optional(notebook: dict[str, Any]) -> dict[str, Any]:
    """The notebook with ``"kit": {"optional": true}`` on every cell of an optional section and
    on no other cell (the heading marker is the source; the metadata lets tools and JupyterLab
    extensions see it per cell). Returns a new notebook; the input is not changed."""
    nb = copy.deepcopy(notebook)
    for _, optional, cells in sections(nb):
        for i in cells:
            meta = nb["cells"][i].setdefault("metadata", {})
            kit = dict(meta.get("kit", {}))
            if optional:
                kit["optional"] = True
            else:
                kit.pop("optional", None)
            if kit:
                meta["kit"] = kit
            else:
                meta.pop("kit", None)
    return nb


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson, as the pacing estimate sees it."""

    id: str
    type: str
    optional: bool


@dataclass(frozen=True)
class Pacing:
    """How long a lesson's core path takes a learner, estimated from its cells.

    ``minutes`` = core words / :data:`WORDS_PER_MINUTE` + core code cells x
    :data:`MINUTES_PER_CODE_CELL` + the :data:`EXERCISE_MINUTES` of each core exercise.
    Optional sections, hidden cells (solutions, quiz answers, instructor notes, prose checks)
    and the quiz answers are left out.
    """

    name: str
    words: int
    code_cells: int
    exercises: tuple[Exercise, ...]
    header_minutes: int | None

    @property
    def core_exercises(self) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if not e.optional)

    @property
    def reading_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE + self.code_cells * MINUTES_PER_CODE_CELL

    @property
    def exercise_minutes(self) -> float:
        return sum(EXERCISE_MINUTES[e.type] for e in self.core_exercises)

    @property
    def minutes(self) -> float:
        return self.reading_minutes + self.exercise_minutes


_HEADER = re.compile(r"\*\*Teaching:\*\* (\d+) min · \*\*Exercises:\*\* (\d+) min")
_EXERCISE = re.compile(r"^### Exercise (\d+\.\d+)")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _section_pacing(path: Path, nb: dict[str, Any], cells: list[int], optional: bool,
                    ) -> tuple[int, int, list[Exercise]]:
    """Words and code cells a learner reads in these cells, and the exercises among them."""
    words = code = 0
    exercises: list[Exercise] = []
    for i in cells:
        cell = nb["cells"][i]
        text = _text(cell)
        found = _EXERCISE.match(text) if cell.get("cell_type") == "markdown" else None
        if found:
            kind = cell.get("metadata", {}).get("kit", {}).get("exercise", "pandas")
            if kind not in EXERCISE_MINUTES:
                raise ValueError(
                    f"pacing(): {path.name}, exercise {found.group(1)} has type {kind!r}; "
                    f"use one of {', '.join(EXERCISE_MINUTES)} in its heading's metadata."
                )
            exercises.append(Exercise(found.group(1), kind, optional))
        if _tags(cell) & _NOT_READ:
            continue
        if cell.get("cell_type") == "markdown":
            words += len(_WORD.findall(re.sub(r"`[^`]*`|\(http[^)]*\)|<[^>]+>", " ", text)))
        elif cell.get("cell_type") == "code" and text.strip():
            code += 1
    return words, code, exercises


def _minutes(words: int, code: int, exercises: list[Exercise]) -> float:
    return words / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL + sum(
        EXERCISE_MINUTES[e.type] for e in exercises)


def pacing(path: Path | str) -> Pacing:
    """The :class:`Pacing` of one lesson notebook.

    Examples
    --------
    >>> p = pacing(NOTEBOOKS / "01_visitors_leads_customers.ipynb")
    >>> p.minutes <= p.header_minutes
    True
    """
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    words = code = 0
    exercises: list[Exercise] = []
    for _, optional, cells in sections(nb):
        w, c, found = _section_pacing(path, nb, cells, optional)
        exercises += found
        if not optional:
            words, code = words + w, code + c
    header = _HEADER.search(_text(nb["cells"][0])) if nb.get("cells") else None
    minutes = int(header.group(1)) + int(header.group(2)) if header else None
    return Pacing(path.name, words, code, tuple(exercises), minutes)


def section_minutes(path: Path | str) -> list[tuple[str, bool, float]]:
    """Each section of a lesson with its estimated minutes: (heading, optional, minutes).

    The same estimate as :func:`pacing`, per section; the header, setup and the quiz are
    sections too ("" is the header and setup). The core sections add up to
    ``pacing(path).minutes``.
    """
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for heading, optional, cells in sections(nb):
        w, c, found = _section_pacing(path, nb, cells, optional)
        out.append((heading, optional, _minutes(w, c, found)))
    return out


def timings_table(lessons: list[Path] | None = None) -> str:
    """The instructor guide's per-section timings, in Markdown: one line per lesson with each
    section's estimated minutes, optional ones in brackets (``python -m helpers.classroom
    timings`` writes it into docs/instructor_guide.md; a test keeps the two equal)."""
    lessons = lessons if lessons is not None else sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    lines = ["| lesson | minutes per section (optional ones in brackets), estimated | core total |",
             "|---|---|---|"]
    for path in lessons:
        parts, total = [], 0.0
        for heading, optional, minutes in section_minutes(path):
            number = re.match(r"(\d+)\.", heading)
            name = "intro" if heading == "" else f"§{number.group(1)}" if number else heading.lower()
            shown = f"{name} {max(1, round(minutes))}"
            parts.append(f"({shown})" if optional else shown)
            total += 0 if optional else minutes
        lines.append(f"| {path.name[:2]} | {', '.join(parts)} | {round(total)} |")
    return "\n".join(lines)


_TIMINGS = ("<!-- timings:start -->", "<!-- timings:end -->")
GUIDE = NOTEBOOKS.parent / "docs" / "instructor_guide.md"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.classroom learner-copy OUT | pacing | mark-optional | timings``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.classroom", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    copy_cmd = sub.add_parser("learner-copy", help="lessons without solutions, quiz answers or instructor notes")
    copy_cmd.add_argument("out", type=Path, help="folder to write the learner's notebooks into")
    sub.add_parser("pacing", help="each lesson's core minutes, estimated, against its header")
    sub.add_parser("mark-optional", help="set the optional-section metadata from the headings")
    sub.add_parser("timings", help="write the per-section timings into docs/instructor_guide.md")
    args = parser.parse_args(argv)
    lessons = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.command == "pacing":
        print(f"{'lesson':40} {'words':>6} {'code':>5} {'exercises':>9} {'core min':>8} {'header':>6}")
        for path in lessons:
            p = pacing(path)
            print(f"{p.name:40} {p.words:6d} {p.code_cells:5d} {len(p.core_exercises):9d} "
                  f"{p.minutes:8.0f} {p.header_minutes or 0:6d}")
        return 0
    if args.command == "mark-optional":
        for path in lessons:
            nb = json.loads(path.read_text(encoding="utf-8"))
            marked = mark_optional(nb)
            if marked != nb:
                path.write_text(json.dumps(marked, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                print(f"marked {path.name}")
        return 0
    if args.command == "timings":
        text = GUIDE.read_text(encoding="utf-8")
        head, rest = text.split(_TIMINGS[0], 1)
        _, tail = rest.split(_TIMINGS[1], 1)
        GUIDE.write_text(f"{head}{_TIMINGS[0]}\n{timings_table()}\n{_TIMINGS[1]}{tail}", encoding="utf-8")
        print(f"timings written to {GUIDE}")
        return 0
    written = learner_copy(args.out)
    print(f"learner copy: {len(written)} lessons written to {args.out}/ (solutions, quiz answers, instructor notes, author checks and outputs removed); open it with `make lab EDITION=learner`")
    return 0


if __name__ == "__main__":
    sys.exit(main())

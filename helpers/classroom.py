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
import sys
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
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lessons:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        target = out / path.name
        handout = _handout_text(path.name, learner_cells(notebook))
        target.write_text(json.dumps(handout, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.classroom learner-copy OUT``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.classroom", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    copy_cmd = sub.add_parser("learner-copy", help="lessons without solutions, quiz answers or instructor notes")
    copy_cmd.add_argument("out", type=Path, help="folder to write the learner's notebooks into")
    args = parser.parse_args(argv)
    written = learner_copy(args.out)
    print(f"learner copy: {len(written)} lessons written to {args.out}/ (solutions, quiz answers, instructor notes, author checks and outputs removed); open it with `make lab EDITION=learner`")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""For trainers: a learner copy of the lessons, without solutions, quiz answers or instructor notes.

``python -m helpers.classroom learner-copy OUT`` (or ``make learner``) writes every lesson of
``notebooks/`` into ``OUT/`` with the cells tagged ``solution``, ``quiz-answers`` and
``instructor`` removed. The learner's exercise cells and their checks stay, so every
exercise still tells a learner whether they are right; the copy runs top to bottom
(the structure tests forbid a normal cell from depending on a solution).

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

#: Cells with any of these tags are for the trainer's eyes only.
TRAINER_TAGS = frozenset({"solution", "quiz-answers", "instructor"})

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
    return out


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
        target.write_text(json.dumps(learner_cells(notebook), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
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
    print(f"learner copy: {len(written)} lessons written to {args.out}/ (solutions, quiz answers and instructor notes removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Notebook hygiene: stored without outputs or execution counts, python3 kernel.

The first part is nbstripout's own check (``nbstripout --keep-id --verify``: no outputs, no
execution counts, none of the metadata it strips); this module adds what nbstripout does not
look at, the kernelspec (``python3``, so the lessons open in the kit's environment).

``make lint`` runs ``nbstripout --keep-id --verify notebooks/*.ipynb`` and then this file as a
script for the kernelspec; the tests import :func:`problems`, which does both.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

KERNEL = "python3"


def kernel_problems(path: Path) -> list[str]:
    """What is wrong with one notebook's kernelspec (empty when it is ``python3``)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        return [f"{path}: not a readable notebook ({err})"]
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != KERNEL:
        return [f"{path}: kernelspec is {kernel!r}, expected {KERNEL!r}"]
    return []


def stripout_problems(paths: Sequence[Path]) -> list[str]:
    """The notebooks ``nbstripout --keep-id --verify`` would change, one message each."""
    if not paths:
        return []
    run = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--keep-id", "--verify", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    prefix = "Dry run: would have stripped "
    found = [
        f"{line[len(prefix):]}: stored outputs, execution counts or metadata "
        "(run nbstripout --keep-id on it)"
        for line in run.stdout.splitlines()
        if line.startswith(prefix)
    ]
    if run.returncode != 0 and not found:  # nbstripout itself failed: say so, never pass
        found.append(f"nbstripout failed (exit {run.returncode}): {run.stderr.strip()}")
    return found


@functools.cache
def _stripout_folder(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> tuple[str, ...]:
    """nbstripout's verdict on every notebook of a folder, once per state of its files."""
    return tuple(stripout_problems([folder / name for name, _, _ in stamp]))


def problems(path: Path) -> list[str]:
    """Everything wrong with one stored notebook (empty when it is clean).

    nbstripout runs once per folder (starting it costs about a second), and again only when
    a notebook of the folder changed.
    """
    path = Path(path)
    notebooks = sorted({*path.parent.glob("*.ipynb"), path})
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else (p.name, 0, -1)
        for p in notebooks
    )
    found = [m for m in _stripout_folder(path.parent, stamp) if m.startswith(f"{path}:")]
    if not found and any("nbstripout failed" in m for m in _stripout_folder(path.parent, stamp)):
        found = stripout_problems([path])  # a broken neighbour: ask about this one alone
    return found + kernel_problems(path)


def main(argv: list[str]) -> int:
    """Check the kernelspec of every notebook in a folder (``make lint``)."""
    folder = Path(argv[1] if len(argv) > 1 else "notebooks")
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        print(f"notebook hygiene: no notebooks found in {folder}/")
        return 1
    found = [msg for nb in notebooks for msg in kernel_problems(nb)]
    for msg in found:
        print(msg)
    print(f"notebook kernelspec: {len(notebooks)} notebooks, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

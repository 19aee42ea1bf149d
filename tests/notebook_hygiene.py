"""Notebook hygiene: stored without outputs or execution counts, python3 kernel.

Run as a script (``make lint``) or import ``problems`` from the tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def problems(path: Path) -> list[str]:
    """Return what is wrong with one stored notebook (empty when it is clean)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        return [f"{path}: not a readable notebook ({err})"]
    found = []
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        found.append(f"{path}: kernelspec is {kernel!r}, expected 'python3'")
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"{path}: cell {i} has stored outputs (run nbstripout on it)")
        if cell.get("execution_count") is not None:
            found.append(f"{path}: cell {i} has an execution count (run nbstripout on it)")
    return found


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "notebooks")
    notebooks = sorted(p for p in folder.glob("*.ipynb"))
    if not notebooks:
        print(f"notebook hygiene: no notebooks found in {folder}/")
        return 1
    found = [msg for nb in notebooks for msg in problems(nb)]
    for msg in found:
        print(msg)
    print(f"notebook hygiene: {len(notebooks)} notebooks, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Write ``lite/pyodide-constraints.txt`` from a Pyodide release's ``pyodide-lock.json``.

The browser edition runs the kit on the packages Pyodide ships. ``tests/test_site.py`` installs
the kit under CPython with these versions pinned and runs every lesson, so a version the browser
would not have shows up in CI. This script keeps the pins true: it walks the kit's runtime
dependencies (``pyproject.toml``'s ``dependencies`` and, through the installed distributions,
theirs) and pins every one that Pyodide's lock file lists, at the lock file's version. The
others are installed from PyPI by the browser's pip (micropip) and are listed in a comment.

Where the lock file comes from (no Pyodide CDN is needed; the npm registry is enough)::

    npm pack pyodide@314.0.0          # the release jupyterlite-pyodide-kernel 0.8.x loads
    tar xzf pyodide-314.0.0.tgz       # package/pyodide-lock.json
    python lite/pins.py package/pyodide-lock.json

Run it in the kit's environment (``.venv``): the walk reads the installed packages' metadata.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lite" / "pyodide-constraints.txt"


def _name(requirement: str) -> str:
    """The normalised project name of a requirement string ("scikit-learn>=1.4" -> "scikit-learn")."""
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def runtime_requirements() -> list[str]:
    """The kit's direct runtime dependencies, read from pyproject.toml."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [_name(r) for r in project["dependencies"]]


#: Not walked: the widget stack hangs from the kernel's own packages (IPython, traitlets,
#: comm), which the Pyodide kernel brings in the browser and ipykernel brings under CPython;
#: pinning them to Pyodide's builds would fight ipykernel's own requirements.
KERNEL_SIDE = frozenset({"ipywidgets"})


def closure(names: list[str]) -> list[str]:
    """The names plus everything they require (extras and environment markers left out)."""
    seen: dict[str, None] = {}
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen[name] = None
        if name in KERNEL_SIDE:
            continue
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if ";" not in r]
    return list(seen)


def pins(lock: dict, names: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, version) for the names Pyodide ships, and the names it does not."""
    packages = {k.lower().replace("_", "-"): v for k, v in lock["packages"].items()}
    pinned = [(n, packages[n]["version"]) for n in names if n in packages]
    return pinned, [n for n in names if n not in packages]


def render(lock: dict, pinned: list[tuple[str, str]], from_pypi: list[str], source: str) -> str:
    info = lock.get("info", {})
    head = [
        "# Package versions of the Pyodide release the browser edition loads (make site), as pip",
        "# constraints: tests/test_site.py installs the kit with them into a separate environment",
        "# and runs every lesson under CPython, so a version the browser would not have shows up",
        "# in CI.",
        "#",
        f"# Written by lite/pins.py from {source}",
        f"# (Pyodide for Python {info.get('python', '?')}, ABI {info.get('abi_version', '?')}),",
        "# the release jupyterlite-pyodide-kernel 0.8.x (the `site` extra) loads. When the site",
        "# extra moves to another kernel release, rerun lite/pins.py on that release's lock file.",
        "#",
        "# Required by the installed packages but not in Pyodide's distribution: micropip installs",
        "# them from PyPI when the pinned versions need them.",
        "# from-pypi: " + " ".join(sorted(from_pypi)),
    ]
    return "\n".join(head + [f"{n}=={v}" for n, v in sorted(pinned)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path, help="path to a Pyodide release's pyodide-lock.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        lock = json.loads(args.lock.read_text(encoding="utf-8"))
        lock["packages"]
    except (OSError, ValueError, KeyError) as error:
        print(
            f"lite/pins.py: cannot read a Pyodide lock file at {args.lock}: {error}. "
            "Fix: pass the pyodide-lock.json of a Pyodide release (see this script's "
            "docstring).",
            file=sys.stderr,
        )
        return 2
    names = closure(runtime_requirements())
    pinned, from_pypi = pins(lock, names)
    release = lock.get("info", {}).get("version")
    package_json = args.lock.with_name("package.json")  # beside the lock in the npm package
    if release is None and package_json.exists():
        release = json.loads(package_json.read_text(encoding="utf-8")).get("version")
    source = f"the pyodide-lock.json of Pyodide {release or '(version not recorded)'}"
    args.out.write_text(render(lock, pinned, from_pypi, source), encoding="utf-8")
    print(f"{len(pinned)} pins written to {args.out}; from PyPI: {', '.join(sorted(from_pypi))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

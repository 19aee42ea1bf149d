"""Build the browser edition: a static JupyterLite site with the Pyodide kernel (``make site``).

The site holds the lessons, the kit's data (its CSV files and data dictionary) and the kit's
own wheel, indexed so that each lesson's first cell installs the kit in the browser with
``%pip install leads-conversions-lab`` (it does that only under Pyodide). The build needs no
network once the ``site`` extra is installed: the wheel is built without build isolation and
JupyterLite takes its pieces from the installed packages. Opening the site needs the network
once: the browser loads Pyodide and its packages (pandas, scikit-learn, ...) from Pyodide's
public CDN.

Usage: ``python lite/build.py --out build/site`` (what ``make site`` runs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def build_wheel(into: Path) -> Path:
    """The kit's wheel (with helpers/kitdata/), built offline from the source tree."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(into),
            str(ROOT),
        ],
        check=True,
        env=env,
    )
    (wheel,) = into.glob("leads_conversions_lab-*.whl")
    return wheel


def contents(into: Path) -> Path:
    """The site's file browser: the lessons at the top, the data in data/."""
    into.mkdir(parents=True, exist_ok=True)
    for lesson in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copyfile(lesson, into / lesson.name)
    (into / "data").mkdir(exist_ok=True)
    for item in sorted((ROOT / "data").iterdir()):
        if item.suffix in {".csv", ".md"}:
            shutil.copyfile(item, into / "data" / item.name)
    return into


def build(out: Path) -> Path:
    """Build the site into ``out`` (replaced) and return it."""
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        wheel = build_wheel(tmp_path / "wheels")
        content = contents(tmp_path / "content")
        lite_dir = tmp_path / "lite"
        lite_dir.mkdir()
        shutil.copyfile(HERE / "jupyter-lite.json", lite_dir / "jupyter-lite.json")
        if out.exists():
            shutil.rmtree(out)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyterlite_core",
                "build",
                "--lite-dir",
                str(lite_dir),
                "--contents",
                str(content),
                "--piplite-wheels",
                str(wheel),
                "--output-dir",
                str(out),
                "--apps",
                "lab",
                "--no-sourcemaps",
            ],
            check=True,
            cwd=lite_dir,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    args = parser.parse_args(argv)
    out = build(args.out)
    print(f"The browser edition is in {out}. Serve that folder with any static file host, e.g.")
    print(f"  python -m http.server --directory {out} 8000   then open http://localhost:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

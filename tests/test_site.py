"""The browser edition (make site): it builds offline, renders in Chromium, and its package
versions run every lesson."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import find_chromium, launch_chromium  # noqa: E402

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GUARD = 'if sys.platform == "emscripten":'
INSTALL = "    %pip install leads-conversions-lab"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """make site's build, run with the package index switched off: it must not need it."""
    out = tmp_path_factory.mktemp("site") / "site"
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}
    done = subprocess.run(
        [sys.executable, str(ROOT / "lite" / "build.py"), "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return out


def test_site_holds_the_lessons_the_data_and_the_kits_wheel(site):
    assert (site / "index.html").exists() and (site / "lab" / "index.html").exists()
    # the lessons and the pages beside them (contents, glossary, cheat sheet)
    every = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert set(LESSONS) <= set(every)
    assert sorted(p.name for p in (site / "files").glob("*.ipynb")) == every
    for name in ("sessions.csv", "events.csv", "leads.csv", "answer_key.csv", "README.md"):
        assert (site / "files" / "data" / name).read_bytes() == (ROOT / "data" / name).read_bytes()
    index = json.loads((site / "pypi" / "all.json").read_text())
    (release,) = index["leads-conversions-lab"]["releases"].values()
    wheel = site / "pypi" / release[0]["filename"]
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        packaged = zf.read("helpers/kitdata/sessions.csv")
    assert packaged == (ROOT / "data" / "sessions.csv").read_bytes()
    assert {"helpers/envcheck.py", "helpers/data.py", "helpers/kitdata/answer_key.csv"} <= names
    # the kit's wheel declares no server or test tool: piplite installs only what lessons use
    metadata = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        .decode()
    )
    runtime = [
        ln for ln in metadata.splitlines() if ln.startswith("Requires-Dist:") and "extra" not in ln
    ]
    assert runtime and not any("jupyterlab" in ln or "nbval" in ln for ln in runtime)


@pytest.mark.parametrize("lesson", LESSONS)
def test_setup_cell_installs_the_kit_only_under_pyodide(lesson):
    nb = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))
    first = "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])
    lines = first.splitlines()
    assert lines[:3] == [
        "import sys",
        GUARD + "  # the browser edition installs the kit from its site",
        INSTALL,
    ]
    # nowhere else: one install, at the top of the setup cell
    assert sum("".join(c["source"]).count("%pip install leads") for c in nb["cells"]) == 1


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.mark.slow
def test_every_lesson_renders_in_chromium(site):
    """Open the built site in Chromium: each lesson shows its title and its cells.

    Pyodide itself comes from its CDN, which this machine cannot reach, so the kernel never
    starts here; the lessons must still render (that is what a learner sees first).
    """
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing (Debian: apt-get install -y chromium)")
        pytest.skip("Chromium is not installed (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rendered = {}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            try:
                for lesson in LESSONS:
                    nb = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))
                    title = "".join(nb["cells"][0]["source"]).splitlines()[0].lstrip("# ").strip()
                    page = browser.new_page()
                    page.goto(f"{base}/lab/index.html?path={lesson}", wait_until="load")
                    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
                    page.wait_for_function(
                        "t => [...document.querySelectorAll('.jp-NotebookPanel h1')]"
                        ".some(h => h.textContent.includes(t))",
                        arg=title,
                        timeout=60_000,
                    )
                    # a code cell with its source drawn by the editor (the setup cell at least)
                    page.wait_for_selector(
                        ".jp-NotebookPanel .jp-CodeCell .cm-content", timeout=60_000
                    )
                    rendered[lesson] = page.locator(".jp-NotebookPanel .jp-CodeCell").count()
                    page.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    assert sorted(rendered) == LESSONS
    assert all(count > 0 for count in rendered.values()), rendered


@pytest.mark.slow
def test_every_lesson_runs_on_the_pyodide_package_versions(tmp_path):
    """Install the kit (not editable) with lite/pyodide-constraints.txt in a fresh environment
    and run every lesson from a folder outside the source tree: the versions the browser
    edition has, and the data found inside the installed package."""
    env_dir = tmp_path / "pyodide-pins"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    quiet.pop("PYTHONPATH", None)
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            f"{ROOT}[test]",
            "ipykernel",
            "-c",
            str(ROOT / "lite" / "pyodide-constraints.txt"),
        ],
        capture_output=True,
        text=True,
        env=quiet,
        timeout=1800,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    pins = [
        ln.split("==")
        for ln in (ROOT / "lite" / "pyodide-constraints.txt").read_text().splitlines()
        if ln and not ln.startswith("#")
    ]
    check = (
        "import importlib.metadata as m, sys\n"
        "for n in sys.argv[1:]:\n"
        "    try: print(n, m.version(n))\n"
        "    except m.PackageNotFoundError: pass\n"
    )
    out = subprocess.run(
        [str(python), "-c", check, *[n for n, _ in pins]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = dict(line.split() for line in out.splitlines())
    assert {"numpy", "pandas", "matplotlib", "scipy"} <= set(installed)
    assert installed == {n: v for n, v in pins if n in installed}
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for lesson in LESSONS:
        (lessons / lesson).write_bytes((ROOT / "notebooks" / lesson).read_bytes())
    run = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            "--rootdir",
            str(lessons),
            *LESSONS,
        ],
        cwd=lessons,
        capture_output=True,
        text=True,
        env=quiet,
        timeout=3000,
    )
    assert run.returncode == 0, run.stdout[-5000:]
    where = subprocess.run(
        [str(python), "-c", "from helpers import data; print(data.kit_data_dir())"],
        cwd=lessons,
        capture_output=True,
        text=True,
        env=quiet,
        check=True,
    ).stdout.strip()
    assert where.endswith(os.path.join("helpers", "kitdata")), where


def _constraints() -> tuple[dict[str, str], set[str]]:
    """The pins of lite/pyodide-constraints.txt and its from-pypi list."""
    text = (ROOT / "lite" / "pyodide-constraints.txt").read_text(encoding="utf-8")
    pinned = dict(ln.split("==") for ln in text.splitlines() if ln and not ln.startswith("#"))
    (line,) = [ln for ln in text.splitlines() if ln.startswith("# from-pypi:")]
    return pinned, set(line.removeprefix("# from-pypi:").split())


def test_every_runtime_dependency_is_pinned_or_known_to_come_from_pypi():
    """lite/pins.py wrote the file from Pyodide's lock: each of the kit's direct runtime
    dependencies is either pinned to Pyodide's version or listed as installed from PyPI,
    never both, so a dependency added to pyproject.toml without rerunning pins.py fails here."""
    sys.path.insert(0, str(ROOT / "lite"))
    import pins

    pinned, from_pypi = _constraints()
    direct = set(pins.runtime_requirements())
    assert not set(pinned) & from_pypi
    assert direct - set(pinned) - from_pypi == set()
    # the compiled packages the lessons import all come from Pyodide's own builds
    compiled = {"numpy", "pandas", "scipy", "scikit-learn", "statsmodels", "pyarrow", "matplotlib"}
    assert compiled <= set(pinned) and compiled <= direct


def test_pins_split_a_lock_file_into_pins_and_pypi_names(tmp_path):
    sys.path.insert(0, str(ROOT / "lite"))
    import pins

    lock = {"info": {"python": "3.14.0"}, "packages": {"NumPy": {"version": "9.9"},
                                                       "scikit_learn": {"version": "1.0"}}}
    pinned, missing = pins.pins(lock, ["numpy", "scikit-learn", "ipywidgets"])
    assert pinned == [("numpy", "9.9"), ("scikit-learn", "1.0")] and missing == ["ipywidgets"]
    path = tmp_path / "pyodide-lock.json"
    path.write_text(json.dumps(lock))
    out = tmp_path / "constraints.txt"
    assert pins.main([str(path), "--out", str(out)]) == 0
    text = out.read_text()
    assert "numpy==9.9" in text and "from-pypi:" in text and "pandas==" not in text
    assert pins.main([str(tmp_path / "absent.json"), "--out", str(out)]) == 2

"""helpers.envcheck: the friendly setup check of lesson 00 reports problems with their fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from helpers import data, envcheck

ROOT = Path(__file__).resolve().parent.parent


def test_kit_environment_is_ready():
    report = envcheck.check_environment()
    assert report.ok, str(report)
    assert report.verdict.startswith("All set")
    names = {f.what for f in report.findings}
    assert {"pandas", "crawler-user-agents", "data files"} <= names


def test_version_outside_the_pin_is_a_problem_with_a_fix():
    venv = envcheck.Place("venv", False, ROOT, "a virtual environment")
    (finding,) = envcheck.package_findings([Requirement("pandas<1")], venv)
    assert not finding.ok
    assert "outside the kit's pin" in finding.detail
    # the fix names the exact requirement and installs into this very Python
    assert '"pandas<1"' in finding.fix and "pip install" in finding.fix


def test_missing_package_is_reported_not_raised():
    (finding,) = envcheck.package_findings([Requirement("surely-not-installed-pkg==1.0")])
    assert (finding.ok, finding.detail) == (False, "not installed")
    make = envcheck.Place("make", False, ROOT, "")
    (finding,) = envcheck.package_findings([Requirement("surely-not-installed-pkg==1.0")], make)
    assert "make setup" in finding.fix


def test_missing_data_file_is_reported_with_the_fix(tmp_path):
    for name in ("sessions.csv", "events.csv", "leads.csv"):
        shutil.copy(data.DATA_DIR / name, tmp_path / name)
    report = envcheck.check_environment(folder=tmp_path)
    assert not report.ok
    (problem,) = report.problems
    assert problem.what == "data files"
    assert "answer_key" in problem.detail
    assert f'python -m helpers.synth --out "{tmp_path}"' in problem.fix  # a folder of one's own
    assert "1 thing to fix" in report.verdict


def test_invalid_data_file_is_reported_not_raised(tmp_path):
    for name in ("sessions.csv", "events.csv", "leads.csv", "answer_key.csv"):
        shutil.copy(data.DATA_DIR / name, tmp_path / name)
    text = (tmp_path / "sessions.csv").read_text().splitlines()
    header = text[0].replace("duration_s", "duration")
    (tmp_path / "sessions.csv").write_text("\n".join([header, *text[1:]]) + "\n")
    report = envcheck.check_environment(folder=tmp_path)
    assert not report.ok
    assert "duration_s" in report.problems[0].detail


# --- where the check runs decides the fix it prints and what it checks --------------------------

PLACES = {
    "make": envcheck.Place("make", False, ROOT, "the kit's own environment"),
    "venv": envcheck.Place("venv", False, ROOT, "a virtual environment"),
    "conda": envcheck.Place("conda", False, ROOT, "a conda environment"),
    "pyodide": envcheck.Place("pyodide", True, None, "the browser edition"),
    "hosted": envcheck.Place("hosted", True, None, "a hosted notebook"),
    "kernel": envcheck.Place("venv", True, ROOT, "a kernel"),
}


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("make", "make setup"),
        ("venv", f'"{sys.executable}" -m pip install "pandas>=2.2,<4"'),
        ("conda", "conda env update -f environment.yml"),
        ("pyodide", '%pip install "pandas>=2.2,<4"'),
        ("hosted", '%pip install "pandas>=2.2,<4"'),
        ("kernel", '%pip install "pandas>=2.2,<4"'),
    ],
)
def test_fix_fits_where_the_check_runs(place, expected):
    fix = envcheck.install_fix(PLACES[place], ["pandas>=2.2,<4"])
    assert expected in fix
    if PLACES[place].kernel:
        assert "Restart Kernel" in fix  # a package installed into a running kernel needs it


def test_browser_and_hosted_kernels_get_no_alarm_about_server_or_test_packages():
    local = {f.what for f in envcheck.package_findings(place=PLACES["venv"])}
    assert {"jupyterlab", "ipykernel", "pandas"} <= local  # a terminal check covers the lab
    for place in ("pyodide", "hosted", "kernel"):
        names = {f.what for f in envcheck.package_findings(place=PLACES[place])}
        assert "pandas" in names
        assert not names & {"jupyterlab", "ipykernel", "pytest", "nbval", "playwright"}, place


def test_data_fix_fits_how_the_kit_is_installed(tmp_path, monkeypatch):
    monkeypatch.delenv("KIT_DATA", raising=False)
    source = envcheck._data_fix(ROOT / "data", PLACES["venv"])
    assert "git checkout -- data/" in source  # a clone: git restores the files
    packaged = envcheck._data_fix(tmp_path / "helpers" / "kitdata", PLACES["venv"])
    assert "git" not in packaged and "pip install" in packaged  # pip install: reinstall
    monkeypatch.setenv("KIT_DATA", str(tmp_path))
    assert "KIT_DATA" in envcheck._data_fix(tmp_path, PLACES["venv"])


def test_where_knows_the_kits_own_environment():
    place = envcheck.where()
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        assert place.kind == "make"
    assert place.kernel is False  # pytest is not a Jupyter kernel
    assert place.source == ROOT


# --- the command a trainer can e-mail --------------------------------------------------------


def _envcheck(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "helpers.envcheck", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_command_prints_the_verdict_and_exits_zero_when_ready():
    done = _envcheck()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ pandas" in done.stdout and "All set" in done.stdout


def test_command_exits_non_zero_with_the_fix_when_data_is_missing(tmp_path):
    done = _envcheck(KIT_DATA=str(tmp_path))
    assert done.returncode == 1
    assert "✗ data files" in done.stdout and "fix: KIT_DATA points at" in done.stdout
    assert "1 thing to fix" in done.stdout


# --- lesson 00's check cell reports instead of crashing ---------------------------------------


def _check_cell() -> str:
    import json

    nb = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"])
    assert "check_environment" in source
    # plain Python cannot run IPython's %pip line; under CPython it never runs anyway
    return source.replace("    %pip install leads-conversions-lab", "    pass")


def test_lesson_00_check_cell_reports_in_a_python_without_the_kit(tmp_path):
    import venv

    venv.create(tmp_path / "bare", with_pip=False)  # a Python with nothing installed
    bare = tmp_path / "bare" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = subprocess.run(
        [str(bare), "-I", "-c", _check_cell()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "✗ the kit's helpers package: No module named 'helpers'" in done.stdout
    assert "fix: run  %pip install -e .." in done.stdout


def test_lesson_00_check_cell_reports_when_pandas_is_missing():
    blocked = "import sys; sys.modules['pandas'] = None  # pandas cannot be imported\n"
    done = subprocess.run(
        [sys.executable, "-c", blocked + _check_cell()],
        cwd=ROOT / "notebooks",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "✓ Python" in done.stdout
    assert "✗ data files: cannot load them" in done.stdout and "to fix" in done.stdout


@pytest.mark.slow
def test_make_setup_really_fixes_a_missing_package():
    """The advice in the kit's own .venv is `make setup`: remove a package, follow the advice,
    and the check is green again."""
    venv_python = ROOT / ".venv" / "bin" / "python"
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("runs in the kit's own .venv (make test)")
    pip = [str(venv_python), "-m", "pip", "--quiet"]
    subprocess.run([*pip, "uninstall", "--yes", "crawler-user-agents"], check=True, timeout=300)
    try:
        broken = _envcheck("--no-data")
        assert broken.returncode == 1
        assert "✗ crawler-user-agents: not installed" in broken.stdout
        assert "make setup" in broken.stdout
        fixed = subprocess.run(
            ["make", "--no-print-directory", "setup"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        again = _envcheck("--no-data")
        assert again.returncode == 0, again.stdout
        assert "✓ crawler-user-agents: 1.67.0" in again.stdout
    finally:  # never leave the environment broken for the tests that follow
        subprocess.run([*pip, "install", "crawler-user-agents==1.67.0"], timeout=600)

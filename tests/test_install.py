"""The no-make route of README.md, followed exactly in a fresh virtual environment.

    python -m venv .venv
    python -m pip install -e ".[lab]"
    python -m helpers.lab

Then JupyterLab must answer on lesson 00. The same environment then takes a plain (not
editable) `pip install .`, and the kit must find its data from any folder.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import free_port  # noqa: E402


def _python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _clean_env() -> dict[str, str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "JUPYTER_NO_CONFIG": "1"}
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    return env


def _wait_for_lab(port: int, token: str, proc: subprocess.Popen, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            req = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"}
            )
            with urllib.request.urlopen(req, timeout=2) as resp:
                status = json.loads(resp.read())
            url = f"http://127.0.0.1:{port}/lab/tree/00_start_here.ipynb?token={token}"
            with urllib.request.urlopen(url, timeout=5) as resp:
                return status, resp.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    return None, None


@pytest.mark.slow
def test_no_make_route_opens_lesson_00_and_pip_install_finds_the_data(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = _python(env_dir)
    env = _clean_env()
    env["PYTHONWARNINGS"] = "ignore:Editable installation"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-e", ".[lab]"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    # a learner's install: no test or benchmark tools
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {p["name"].lower() for p in json.loads(listed)}
    assert {"jupyterlab", "pandas", "leads-conversions-lab"} <= names
    assert not names & {"pytest", "nbval", "playwright", "duckdb", "hypothesis", "ruff"}

    port, token = free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(
        [
            str(python),
            "-m",
            "helpers.lab",
            "--no-browser",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, page = _wait_for_lab(port, token, proc)
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    log = out.decode()
    assert status is not None and "started" in status, log[-3000:]
    assert page and "JupyterLab" in page
    assert "/lab/tree/00_start_here.ipynb?token=" in log  # the printed link opens lesson 00

    # the setup check agrees, from the terminal
    check = subprocess.run(
        [str(python), "-m", "helpers.envcheck"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "✓ jupyterlab" in check.stdout and "All set" in check.stdout

    # pip install . (not editable): the data comes with the package, found from any folder
    plain = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", "."],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert plain.returncode == 0, plain.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "from helpers import data; ds = data.load_all(); "
        "print(data.kit_data_dir()); print(len(ds.sessions))"
    )
    done = subprocess.run(
        [str(python), "-I", "-c", probe],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    folder, rows = done.stdout.split()
    assert Path(folder).parts[-2:] == ("helpers", "kitdata") and str(env_dir) in folder
    expected = sum(1 for _ in (ROOT / "data" / "sessions.csv").open(encoding="utf-8")) - 1
    assert int(rows) == expected

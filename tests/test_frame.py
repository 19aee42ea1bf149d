"""The kit's frame: environment files agree, notebooks are clean, `make lab` really serves."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from notebook_hygiene import problems  # noqa: E402

# conda-forge names that differ from PyPI names (none today; keep the map explicit).
CONDA_NAMES: dict[str, str] = {}


def _split(requirement: str) -> tuple[str, str]:
    """'pandas>=2.2,<4' -> ('pandas', '>=2.2,<4'), names normalised."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs.extend(extra)
    return dict(_split(r) for r in reqs if not r.startswith(project["name"] + "["))  # own extras


def _environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep.get("pip", []):
                if not pip_dep.startswith("-e"):
                    name, spec = _split(pip_dep)
                    found[name] = spec
        else:
            name, spec = _split(dep)
            found[CONDA_NAMES.get(name, name)] = spec
    found.pop("python", None)
    found.pop("pip", None)
    return found


def test_environment_files_list_the_same_packages_and_pins():
    pyproject = _pyproject_requirements()
    conda = _environment_requirements()
    assert set(pyproject) == set(conda), (
        f"only in pyproject.toml: {sorted(set(pyproject) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(pyproject))}"
    )
    differ = {n: (pyproject[n], conda[n]) for n in pyproject if pyproject[n] != conda[n]}
    assert not differ, f"pins differ (pyproject, environment.yml): {differ}"


def test_environment_comparison_notices_a_difference(tmp_path, monkeypatch):
    """The agreement check above can fail: feed it a drifted copy."""
    env = (ROOT / "environment.yml").read_text().replace("pandas>=2.2,<4", "pandas>=1.5")
    (tmp_path / "environment.yml").write_text(env)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="pandas"):
        test_environment_files_list_the_same_packages_and_pins()


def test_crawler_list_is_pinned_exactly():
    assert _pyproject_requirements()["crawler-user-agents"].startswith("==")


def test_python_floor_and_typed_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10"
    assert (ROOT / "helpers" / "py.typed").exists()


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    assert problems(path) == []


def test_hygiene_check_catches_outputs_and_wrong_kernel(tmp_path):
    nb = json.loads(NOTEBOOKS[0].read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 3
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    nb["metadata"]["kernelspec"]["name"] = "conda-env-py"
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(json.dumps(nb))
    found = " ".join(problems(dirty))
    assert "stored outputs" in found and "execution count" in found and "kernelspec" in found


def test_readme_puts_the_two_commands_first():
    text = (ROOT / "README.md").read_text()
    first_code = re.search(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    assert first_code, "README.md has no command block"
    assert "make lab" in first_code.group(1) and "make test" in first_code.group(1)
    assert "conda env create -f environment.yml" in text


def test_ci_runs_lint_and_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make lint" in ci and "make test" in ci


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Stop `make` and the server it started (the whole process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


def test_make_lab_serves_jupyterlab():
    """Start the exact `make lab` command on a free port and ask the server for its status."""
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--no-browser --port={port} --IdentityProvider.token={token}"
    env = {**os.environ, "JUPYTER_NO_CONFIG": "1"}
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    status, lab_page = None, None
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/status",
                    headers={"Authorization": f"token {token}"},
                )
                with urllib.request.urlopen(req, timeout=2) as resp:
                    status = json.loads(resp.read())
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/lab/tree/00_start_here.ipynb?token={token}",
                    timeout=5,
                ) as resp:
                    lab_page = resp.read().decode()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        # Without the token the API refuses: token auth is left on.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=5)
        assert refused.value.code == 403
    finally:
        _stop(proc)
        out, _ = proc.communicate()
    assert status is not None, f"JupyterLab never answered /api/status:\n{out.decode()[-3000:]}"
    assert "started" in status
    assert lab_page and "JupyterLab" in lab_page
    assert "127.0.0.1" in out.decode(), "the server must listen on localhost only"

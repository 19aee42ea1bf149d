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

from tests.notebook_hygiene import problems

ROOT = Path(__file__).resolve().parent.parent

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


def _api(port: int, token: str, method: str, path: str) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=b"{}" if method == "POST" else None,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
    return json.loads(body) if body else {}


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
                # open every lesson as JupyterLab does: the server checks its trust then
                for nb in NOTEBOOKS:
                    urllib.request.urlopen(
                        urllib.request.Request(
                            f"http://127.0.0.1:{port}/api/contents/{nb.name}",
                            headers={"Authorization": f"token {token}"},
                        ),
                        timeout=10,
                    ).read()
                # start a kernel as opening a lesson does, and wait until it is ready
                kernel = _api(port, token, "POST", "/api/kernels")
                for _ in range(120):
                    if _api(port, token, "GET", f"/api/kernels/{kernel['id']}").get(
                        "execution_state"
                    ) in {"idle", "busy"}:
                        break
                    time.sleep(0.5)
                _api(port, token, "DELETE", f"/api/kernels/{kernel['id']}")
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
    text = out.decode()
    assert "127.0.0.1" in text, "the server must listen on localhost only"
    # a calm first start: the printed link opens lesson 00, and nothing alarming is logged
    assert f"http://127.0.0.1:{port}/lab/tree/00_start_here.ipynb?token=" in text
    for alarming in (
        "is not trusted",
        "Skipped non-installed server",
        "jupyter_lsp",
        "susceptible to eavesdropping",
        "Traceback",
    ):
        assert alarming not in text, f"make lab printed {alarming!r}:\n{text[-3000:]}"


# --- the package declares what it imports; the extras hold the rest -----------------------------

# Imported by helpers but installed by a declared dependency (IPython comes with ipywidgets,
# threadpoolctl with scikit-learn); lessons use jinja2 through DataFrame.style.
COMES_WITH = {
    "ipython": "ipywidgets",
    "threadpoolctl": "scikit-learn",
    # helpers/lab.py (the launcher) asks the kernel machinery JupyterLab brings
    "pyzmq": "jupyterlab",
    "jupyter-client": "jupyterlab",
}
# Never in the package's own dependencies: a browser kernel or a hosted notebook has no use
# for a server or a test runner.
NOT_RUNTIME = {"jupyterlab", "ipykernel", "notebook", "nbval", "pytest", "playwright", "ruff"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _names(requirements: list[str]) -> set[str]:
    return {_split(r)[0] for r in requirements}


def _imported_distributions(folder: Path) -> dict[str, set[str]]:
    """Third-party distributions imported by the .py files under folder -> importing files."""
    import ast
    from importlib.metadata import packages_distributions

    dists = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in {"helpers", "__future__"}:
                    continue
                for dist in dists.get(top, [top]):
                    name = re.sub(r"[-_.]+", "-", dist).lower()
                    found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_import_of_the_package_is_declared():
    project = _project()
    runtime = _names(project["dependencies"])
    extras = set().union(*(_names(e) for e in project["optional-dependencies"].values()))
    imported = _imported_distributions(ROOT / "helpers")
    assert {"pandas", "numpy", "matplotlib", "scikit-learn"} <= set(imported)
    undeclared = {
        name: sorted(files)
        for name, files in imported.items()
        if name not in runtime | extras and COMES_WITH.get(name) not in runtime | extras
    }
    assert not undeclared, (
        f"imported by helpers but declared nowhere in pyproject.toml: {undeclared}"
    )
    assert "jinja2" in runtime, "DataFrame.style in lessons 02, 05 and 06 needs jinja2"


def test_runtime_dependencies_hold_no_server_or_test_tools():
    project = _project()
    runtime = _names(project["dependencies"])
    assert not runtime & NOT_RUNTIME, f"move to an extra: {sorted(runtime & NOT_RUNTIME)}"
    extras = project["optional-dependencies"]
    assert {"jupyterlab", "ipykernel"} <= _names(extras["lab"])
    assert {"pytest", "nbval"} <= _names(extras["test"])
    assert {"jupyterlite-core", "jupyterlite-pyodide-kernel"} <= _names(extras["site"])


def test_import_scan_notices_an_undeclared_import(tmp_path, monkeypatch):
    """The declaration check above can fail: a module importing an undeclared package."""
    fake = tmp_path / "helpers"
    fake.mkdir()
    (fake / "x.py").write_text("import yaml\nimport pandas\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        (Path(__file__).parent.parent / "pyproject.toml").read_text()
    )
    found = _imported_distributions(fake)
    assert "pyyaml" in found and "pandas" in found
    project = _project()
    assert "pyyaml" not in _names(project["dependencies"])


def test_make_lab_installs_only_what_a_learner_needs():
    """make lab installs the lab extra, make test everything (separate stamps)."""
    makefile = (ROOT / "Makefile").read_text()
    lab_recipe = re.search(r"^\$\(STAMP_LAB\):.*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert 'install -e ".[lab]"' in lab_recipe
    assert re.search(r"^lab: \$\(STAMP_LAB\)$", makefile, re.M)
    assert re.search(r"^test: \$\(STAMP_DEV\)$", makefile, re.M)
    assert "DEV_EXTRAS := lab,test,bench,site" in makefile


def test_readme_first_screen_has_the_no_make_route_and_the_browser_edition():
    text = (ROOT / "README.md").read_text()
    first_screen = text[text.index("## Two commands") : text.index("### What the commands do")]
    for needed in (
        "make lab",
        "make test",
        "python -m venv .venv",
        'python -m pip install -e ".[lab]"',
        "python -m helpers.lab",
        "make site",
    ):
        assert needed in first_screen, f"README's first screen lacks {needed!r}"
    # the route it documents is the one tests/test_install.py follows
    assert 'install", "--quiet", "-e", ".[lab]"' in (ROOT / "tests" / "test_install.py").read_text()
    assert "python -m helpers.envcheck" in text and "CDN" in text

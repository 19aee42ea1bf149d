"""The package's structure: every module in its layer, UI only in explorers, modules small.

The rules CONTRIBUTING.md states ("The layers"), checked over the source of ``helpers/``
(its abstract syntax trees: every ``import`` and ``from ... import``, also inside functions):

1. ``import ipywidgets`` appears only under ``helpers/explorers/``;
2. the exercise modules import no explorer and no UI (ipywidgets, IPython, matplotlib,
   ``helpers.plots``): they grade through the domain modules;
3. no module imports a module *above* it: :data:`LAYERS` lists the modules from the ground
   up, and a module may import those of lower layers and those listed before it in its own;
4. no module is over :data:`MAX_LINES` lines, except ``plots`` (one function per chart kind).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "helpers"

#: The layers, from the ground up; in a layer, the order in which modules may import each
#: other. A package (``exercises``, ``explorers``) is one entry. Keep CONTRIBUTING.md in step.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundations", ("_frames", "_csv", "formatting", "metrics", "rules", "vocabulary")),
    ("data", ("data", "networks", "exports", "synth", "envcheck", "classroom", "lab")),
    ("concepts", ("user_agents", "bots", "bot_thresholds", "conversions", "claims", "experiments", "lag", "nurture", "leads",
                  "traffic", "personas")),
    ("composition", ("money", "pipeline", "report", "engines")),
    ("presentation", ("plots",)),
    ("teaching", ("check", "exercises", "explorers")),
)

#: The longest a module may be (plots, one function per chart, is the exception).
MAX_LINES = 1500

UI_MODULES = ("ipywidgets", "IPython", "matplotlib", "helpers.plots", "helpers.explorers")


def _rank() -> dict[str, int]:
    order = [name for _, names in LAYERS for name in names]
    return {name: i for i, name in enumerate(order)}


def _layer_of() -> dict[str, str]:
    return {name: layer for layer, names in LAYERS for name in names}


def _unit(path: Path) -> str:
    """The entry of LAYERS a file belongs to: ``bots``, ``exercises``..."""
    rel = path.relative_to(HELPERS)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _files() -> list[Path]:
    return sorted(p for p in HELPERS.rglob("*.py") if p.name != "__init__.py" or p.parent != HELPERS)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(("helpers", *path.relative_to(HELPERS).with_suffix("").parts))
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "helpers" or (node.level and not node.module):
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def _helpers_unit(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "helpers" and len(parts) > 1 else None


FILES = _files()


def test_every_module_has_a_layer():
    known = _layer_of()
    placed = {_unit(p) for p in FILES}
    missing = sorted(placed - set(known))
    assert not missing, (
        f"helpers/ has modules in no layer: {missing}. Add each to LAYERS in "
        "tests/test_structure.py and to 'The layers' in CONTRIBUTING.md."
    )
    assert not (HELPERS / "widgets.py").exists(), "helpers/explorers/ is the one home of explorers"


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(HELPERS)) for p in FILES])
def test_no_module_imports_a_module_above_it(path: Path):
    rank, layer = _rank(), _layer_of()
    me = _unit(path)
    if me not in rank:
        pytest.skip(f"{me} has no layer (test_every_module_has_a_layer says so)")
    wrong = []
    for line, module in _imports(path):
        other = _helpers_unit(module)
        if other is None or other == me or other == "__init__":
            continue
        if other not in rank or rank[other] > rank[me]:
            wrong.append(
                f"line {line}: {me} ({layer.get(me)}) imports {module} "
                f"({layer.get(other, 'no layer')}), which sits above it"
            )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(HELPERS)) for p in FILES])
def test_ipywidgets_only_in_explorers(path: Path):
    if _unit(path) == "explorers":
        return
    found = [f"line {line}: {m}" for line, m in _imports(path) if m.split(".")[0] == "ipywidgets"]
    assert not found, f"{path.name} imports ipywidgets; widgets live in helpers/explorers/: {found}"


EXERCISES = sorted((HELPERS / "exercises").glob("*.py"))


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_exercises_import_no_explorer_and_no_ui(path: Path):
    found = [
        f"line {line}: {m}"
        for line, m in _imports(path)
        if any(m == ui or m.startswith(ui + ".") for ui in UI_MODULES)
    ]
    assert not found, f"exercises grade through the domain modules, not the UI: {found}"


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(HELPERS)) for p in FILES])
def test_modules_stay_small(path: Path):
    if path.name == "plots.py":
        return
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (
        f"{path.relative_to(HELPERS)} has {lines} lines (at most {MAX_LINES}): split it by concept"
    )


def test_the_rules_can_fail(tmp_path):
    """The import reader sees nested and relative imports (so the rules above can fail)."""
    sample = HELPERS / "exercises" / "lesson04.py"
    imports = [m for _, m in _imports(sample)]
    assert "helpers.traffic" in imports and "helpers.check" in imports
    nested = HELPERS / "explorers" / "lesson03.py"
    assert "IPython.display" in [m for _, m in _imports(nested)]  # imported inside a function
    relative = [m for _, m in _imports(HELPERS / "traffic.py")]
    assert "helpers.bots" in relative and "helpers._frames" in relative


# --------------------------------------------------------------------------- one exercises cache


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_exercises_keep_no_cache_of_their_own(path: Path):
    """helpers/exercises/__init__.py holds the one cache of derived data (keyed on the files)."""
    if path.name == "__init__.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = [
        f"line {node.lineno}: {ast.unparse(node)[:60]}"
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in ("lru_cache", "cache"))
        or (isinstance(node, ast.Name) and node.id in ("lru_cache", "_CACHE", "_MEMO"))
        or (isinstance(node, ast.Attribute) and node.attr == "_CACHE")
    ]
    assert not own, f"use helpers.exercises.derived / cached instead: {own}"


def test_the_exercises_cache_follows_the_data_files(monkeypatch):
    from helpers import exercises

    stamp = ["v1"]
    monkeypatch.setattr(exercises, "data_stamp", lambda: tuple(stamp))
    calls = []

    def compute():
        calls.append(stamp[0])
        return len(calls)

    assert exercises.derived(("test", "x"), compute) == 1
    assert exercises.derived(("test", "x"), compute) == 1, "kept while the files are the same"
    stamp[0] = "v2"  # a data file changed on disk
    assert exercises.derived(("test", "x"), compute) == 2
    assert calls == ["v1", "v2"]

"""The notebook hygiene check (``make lint``): nbstripout's verify plus the kernelspec."""

from __future__ import annotations

import json
from pathlib import Path

from tests.notebook_hygiene import kernel_problems, main, problems, stripout_problems

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "05_conversion_rates.ipynb"


def _copy(folder: Path, name: str, change) -> Path:
    nb = json.loads(LESSON.read_text(encoding="utf-8"))
    change(nb)
    folder.mkdir(exist_ok=True)
    out = folder / f"{name}.ipynb"
    out.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _first_code(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def test_committed_notebooks_are_clean():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert len(notebooks) >= 8
    assert stripout_problems(notebooks) == []
    assert [m for nb in notebooks for m in kernel_problems(nb)] == []


def _outputs(nb):
    _first_code(nb)["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]


def _count(nb):
    _first_code(nb)["execution_count"] = 3


def _widget_state(nb):  # the old hand-written check let this through
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}


def _scrolled(nb):  # and this
    _first_code(nb)["metadata"]["scrolled"] = True


def test_dirty_copies_fail_with_the_fix_and_a_clean_copy_passes(tmp_path):
    # one folder, so nbstripout starts once for all of them
    clean = _copy(tmp_path, "clean", lambda nb: None)
    dirty = [_copy(tmp_path, f.__name__.strip("_"), f) for f in (_outputs, _count, _widget_state, _scrolled)]
    assert problems(clean) == []
    for path in dirty:
        found = problems(path)
        assert len(found) == 1 and found[0].startswith(f"{path}:"), found
        assert "nbstripout --keep-id" in found[0]
    # `make lint`'s own command fails on them
    assert len(stripout_problems(dirty)) == len(dirty)


def test_wrong_kernelspec_fails_and_main_says_so(tmp_path, capsys):
    def conda(nb):
        nb["metadata"]["kernelspec"]["name"] = "conda-env-py"

    path = _copy(tmp_path, "conda", conda)
    # only the kernelspec: nbstripout does not look at it
    assert problems(path) == [f"{path}: kernelspec is 'conda-env-py', expected 'python3'"]
    assert main(["notebook_hygiene.py", str(tmp_path)]) == 1
    assert "1 problems" in capsys.readouterr().out


def test_unreadable_notebook_is_a_problem_not_a_pass(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{ not json", encoding="utf-8")
    found = problems(bad)
    assert any("nbstripout failed" in m or "broken.ipynb" in m for m in found)
    assert any("not a readable notebook" in m for m in found)
    assert main(["notebook_hygiene.py", str(tmp_path / "empty")]) == 1

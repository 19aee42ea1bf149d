"""helpers.classroom: the trainer's learner copy has no solutions and still runs."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import classroom


def test_learner_copy_removes_trainer_cells_and_keeps_the_rest(tmp_path):
    written = classroom.learner_copy(tmp_path)
    originals = sorted(classroom.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    originals.append(classroom.NOTEBOOKS / classroom.PRIMER)
    assert [p.name for p in written] == [p.name for p in originals]
    for original, copy in zip(originals, written, strict=True):
        before = json.loads(original.read_text())["cells"]
        after = json.loads(copy.read_text())["cells"]
        trainer = [c for c in before if classroom.TRAINER_TAGS & set(c["metadata"].get("tags", []))]
        assert trainer, f"{original.name} has no solution, quiz-answer or instructor cell"
        assert len(after) == len(before) - len(trainer)
        for cell in after:
            assert not classroom.TRAINER_TAGS & set(cell["metadata"].get("tags", []))
            assert not re.search(r"check\.exercise\([^)]*strict=True", "".join(cell["source"]))
        # the learner's exercise cells and their checks are still there
        checks = [
            c for c in after if c["cell_type"] == "code" and "check.exercise(" in "".join(c["source"])
        ]
        assert len(checks) == sum("### Exercise" in "".join(c["source"]) for c in before)


def test_learner_copy_of_a_lesson_runs_top_to_bottom(tmp_path):
    (path,) = [p for p in classroom.learner_copy(tmp_path) if p.name.startswith("04_")]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    texts = [
        o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    ]
    assert any("not answered yet" in t for t in texts)


def test_learner_copy_refuses_to_overwrite_the_lessons():
    with pytest.raises(ValueError, match="another folder"):
        classroom.learner_copy(classroom.NOTEBOOKS)


def test_learner_cells_rejects_a_path_instead_of_a_notebook():
    with pytest.raises(TypeError, match="json.load"):
        classroom.learner_cells("notebooks/00_start_here.ipynb")


def test_handout_holds_no_answer_and_no_hidden_cell(tmp_path):
    for path in classroom.learner_copy(tmp_path):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            where = f"{path.name}: {source[:60]!r}"
            assert not cell["metadata"].get("jupyter", {}).get("source_hidden"), where
            for answer_marker in ("%%solution", "check.prose(", "strict=True", "**Answers**"):
                assert answer_marker not in source, where
            assert not source.lstrip().startswith("> **Instructor"), where


def test_handout_never_ships_outputs_whatever_the_source_holds(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for original in sorted(classroom.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(original.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":  # what an autosave after Run All leaves
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["✅ 42\n"]}]
                cell["execution_count"] = 7
        (src / original.name).write_text(json.dumps(nb))
    for path in classroom.learner_copy(tmp_path / "out", src):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None


def test_handout_lesson_00_describes_the_handout(tmp_path):
    (path,) = [p for p in classroom.learner_copy(tmp_path) if p.name.startswith("00_")]
    text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
    assert "check.solution" not in text and "reveal" not in text.lower()
    assert "no solutions" in text and "check.hint" in text


def test_handout_text_out_of_step_with_the_lesson_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setitem(
        classroom.HANDOUT_TEXT, "00_start_here.ipynb", {"text that is not there": "x"}
    )
    with pytest.raises(ValueError, match="HANDOUT_TEXT"):
        classroom.learner_copy(tmp_path)

"""helpers.data.kit_data_dir(): the one place that decides which data folder the kit reads."""

from __future__ import annotations

from pathlib import Path

from helpers import data
from helpers.exercises import data_folder


def test_default_is_the_source_tree_data(monkeypatch):
    monkeypatch.delenv("KIT_DATA", raising=False)
    assert data.kit_data_dir() == data.DATA_DIR
    assert data.is_default_data()
    assert data_folder() == data.DATA_DIR


def test_kit_data_absolute(monkeypatch, tmp_path):
    monkeypatch.setenv("KIT_DATA", str(tmp_path))
    assert data.kit_data_dir() == tmp_path.resolve()
    assert not data.is_default_data()
    assert data_folder() == tmp_path.resolve()


def test_kit_data_relative_is_resolved_from_the_kit_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # not the kit root: the answer must not depend on the cwd
    monkeypatch.setenv("KIT_DATA", "cohort_data")
    root = Path(data.__file__).resolve().parent.parent
    assert (root / "pyproject.toml").is_file()
    assert data.kit_data_dir() == (root / "cohort_data").resolve()


def test_loaders_read_kit_data(monkeypatch, tmp_path):
    sessions = data.load_sessions(data.DATA_DIR / "sessions.csv").head(30)
    out = sessions.assign(started_at=sessions["started_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    out.to_csv(tmp_path / "sessions.csv", index=False)
    monkeypatch.setenv("KIT_DATA", str(tmp_path))
    assert len(data.load_sessions()) == 30

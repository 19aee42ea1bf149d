"""helpers.envcheck: the friendly setup check of lesson 00 reports problems with their fix."""

from __future__ import annotations

import shutil

from packaging.requirements import Requirement

from helpers import data, envcheck


def test_kit_environment_is_ready():
    report = envcheck.check_environment()
    assert report.ok, str(report)
    assert report.verdict.startswith("All set")
    names = {f.what for f in report.findings}
    assert {"pandas", "crawler-user-agents", "data files"} <= names


def test_version_outside_the_pin_is_a_problem_with_a_fix():
    (finding,) = envcheck.package_findings([Requirement("pandas<1")])
    assert not finding.ok
    assert "outside the kit's pin" in finding.detail
    assert "make lab" in str(finding)


def test_missing_package_is_reported_not_raised():
    (finding,) = envcheck.package_findings([Requirement("surely-not-installed-pkg==1.0")])
    assert (finding.ok, finding.detail) == (False, "not installed")


def test_missing_data_file_is_reported_with_the_fix(tmp_path):
    for name in ("sessions.csv", "events.csv", "leads.csv"):
        shutil.copy(data.DATA_DIR / name, tmp_path / name)
    report = envcheck.check_environment(folder=tmp_path)
    assert not report.ok
    (problem,) = report.problems
    assert problem.what == "data files"
    assert "answer_key" in problem.detail
    assert "git checkout -- data/" in problem.fix
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

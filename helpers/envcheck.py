"""Is this kit ready to use? A friendly check of packages and data, with the fix for each problem.

Lesson 00 runs :func:`check_environment` first. It never raises: every problem becomes a
line in the report that says what is wrong and what to type to fix it.

Examples
--------
>>> report = check_environment(data=False)
>>> report.ok
True
>>> print(report.lines[0])  # doctest: +ELLIPSIS
✓ Python 3...
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

#: The distribution name of the kit in pyproject.toml.
KIT = "leads-conversions-lab"

#: The packages whose versions the check reports (the others are checked silently).
KEY_PACKAGES = (
    "jupyterlab",
    "pandas",
    "matplotlib",
    "ipywidgets",
    "statsmodels",
    "scikit-learn",
    "crawler-user-agents",
)

FIX_INSTALL = "In a terminal, in the kit's folder, run: make lab  (it reinstalls what is missing)"


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was checked, whether it is fine, and the fix if not."""

    what: str
    ok: bool
    detail: str
    fix: str = ""

    def __str__(self) -> str:
        mark = "✓" if self.ok else "✗"
        line = f"{mark} {self.what}: {self.detail}" if self.detail else f"{mark} {self.what}"
        return line if self.ok else f"{line}\n    fix: {self.fix}"


@dataclass(frozen=True)
class Report:
    """The result of :func:`check_environment`: ``ok`` and one finding per check."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when every finding is fine."""
        return all(f.ok for f in self.findings)

    @property
    def problems(self) -> tuple[Finding, ...]:
        """Only the findings that need a fix."""
        return tuple(f for f in self.findings if not f.ok)

    @property
    def lines(self) -> list[str]:
        """The report as printable lines."""
        return [str(f) for f in self.findings]

    @property
    def verdict(self) -> str:
        """One friendly sentence about the whole setup."""
        if self.ok:
            return "All set: your kit is ready. On to the lessons!"
        n = len(self.problems)
        return f"{n} thing{'s' if n > 1 else ''} to fix before the lessons will work (see ✗ above)."

    def __str__(self) -> str:
        return "\n".join([*self.lines, "", self.verdict])

    def _repr_pretty_(self, p, cycle):  # IPython display
        p.text(str(self))


def _python_finding() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Finding(
        f"Python {version}",
        ok,
        "" if ok else "the kit needs Python 3.10 or newer",
        "Install Python 3.10+ and run make lab again (or use environment.yml with conda).",
    )


def _requirements() -> list[Requirement]:
    try:
        raw = metadata.requires(KIT) or []
    except metadata.PackageNotFoundError:
        return []
    # Only the run-time requirements: not the test or bench extras.
    return [r for r in map(Requirement, raw) if r.marker is None]


def package_findings(requirements: list[Requirement] | None = None) -> list[Finding]:
    """Check installed versions against the kit's pins.

    Parameters
    ----------
    requirements : list of packaging Requirement, optional
        What to check; by default the kit's own run-time requirements.

    Returns
    -------
    list of Finding
        One per requirement; a missing package or a version outside the pin is not ok.

    Examples
    --------
    >>> [f.ok for f in package_findings([Requirement("pandas>=1")])]
    [True]
    >>> bad = package_findings([Requirement("pandas<1")])[0]
    >>> bad.ok, "outside the kit's pin" in bad.detail
    (False, True)
    >>> package_findings([Requirement("no-such-package-xyz>=1")])[0].detail
    'not installed'
    """
    if requirements is None:
        requirements = _requirements()
        if not requirements:
            return [
                Finding(
                    "the kit's package",
                    False,
                    "helpers is not installed as a package",
                    FIX_INSTALL,
                )
            ]
    findings = []
    for req in requirements:
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            findings.append(Finding(req.name, False, "not installed", FIX_INSTALL))
            continue
        try:
            fits = req.specifier.contains(Version(installed), prereleases=True)
        except InvalidVersion:
            fits = False
        detail = installed if fits else f"{installed} is outside the kit's pin {req.specifier}"
        findings.append(Finding(req.name, fits, detail, FIX_INSTALL))
    return findings


def data_findings(folder: Path | None = None) -> list[Finding]:
    """Check that the data files are there and pass the loaders' validation."""
    from . import data  # late import: a broken data module must not stop the check

    folder = Path(folder) if folder is not None else data.DATA_DIR
    fix = "Restore the files with: git checkout -- data/   or regenerate them with: make data"
    try:
        dataset = data.load_all(folder)
    except FileNotFoundError as err:
        return [Finding("data files", False, f"missing: {err}", fix)]
    except Exception as err:  # report any validation problem as a finding, never raise
        return [Finding("data files", False, f"{type(err).__name__}: {err}", fix)]
    sizes = ", ".join(
        f"{len(frame):,} {name.replace('_', ' ')} rows" for name, frame in dataset._asdict().items()
    )
    return [Finding("data files", True, sizes)]


def check_environment(*, data: bool = True, folder: Path | None = None) -> Report:
    """Check Python, the key packages against the kit's pins, and the data files.

    Parameters
    ----------
    data : bool, default True
        Also load and validate the data files.
    folder : Path, optional
        Where the data files are; by default the kit's data/ folder.

    Returns
    -------
    Report
        Print it for a verdict; ``report.ok`` is True when nothing needs fixing.
    """
    findings = [_python_finding()]
    packages = package_findings()
    key = [f for f in packages if f.what in KEY_PACKAGES]
    others_bad = [f for f in packages if f.what not in KEY_PACKAGES and not f.ok]
    findings += key + others_bad
    if data:
        findings += data_findings(folder)
    return Report(tuple(findings))

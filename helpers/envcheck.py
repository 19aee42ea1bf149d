"""Is this kit ready to use? A friendly check of packages and data, with the fix for each problem.

Lesson 00 runs :func:`check_environment` first, and a trainer can send one command before a
workshop::

    python -m helpers.envcheck

It prints one line per check, each starting with ✓ or ✗, every ✗ with the exact fix, then a
verdict, and exits with status 1 when something needs fixing. It never raises.

The check knows where it runs (:func:`where`): the kit's own ``.venv`` made by ``make``, another
virtual environment, conda, a Jupyter whose kernel is not the kit's, JupyterLite (Pyodide, in the
browser) or a hosted notebook; each fix it prints is the one that works there. It imports only
the standard library at the top (``packaging`` and the data loaders late), so it reports even
when pandas or another package is missing.

Examples
--------
>>> report = check_environment(data=False)
>>> report.ok
True
>>> print(report.lines[0])  # doctest: +ELLIPSIS
✓ Python 3...
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

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

#: The kit's source folder (holds pyproject.toml when the kit runs from a clone).
SOURCE_ROOT = Path(__file__).resolve().parent.parent

__all__ = [
    "KEY_PACKAGES",
    "KIT",
    "Finding",
    "Place",
    "Report",
    "check_environment",
    "data_findings",
    "install_fix",
    "main",
    "package_findings",
    "where",
]


@dataclass(frozen=True)
class Place:
    """Where the check runs, and so which fix works there.

    ``kind`` is one of ``"make"`` (the kit's own ``.venv`` made by ``make``), ``"venv"``
    (another virtual environment), ``"conda"``, ``"pyodide"`` (JupyterLite in the browser),
    ``"hosted"`` (Colab, Kaggle, Binder, ...) or ``"system"`` (a Python of its own).
    ``kernel`` is True inside a Jupyter kernel, where fixes are ``%pip`` lines for a cell.
    ``source`` is the kit's folder when the kit runs from one (a clone, an editable install).
    """

    kind: str
    kernel: bool
    source: Path | None
    description: str


def _in_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # an IPython too broken to answer is not a kernel we can help with
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _hosted() -> str:
    env = os.environ
    if "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in env:
        return "Google Colab"
    if "KAGGLE_KERNEL_RUN_TYPE" in env:
        return "Kaggle"
    if "BINDER_SERVICE_HOST" in env or "BINDER_REQUEST" in env:
        return "Binder"
    if "SM_CURRENT_HOST" in env or "SAGEMAKER_INTERNAL_IMAGE_URI" in env:
        return "SageMaker"
    return ""


def where() -> Place:
    """Find out where the check runs (see :class:`Place`).

    Examples
    --------
    >>> where().kind in {"make", "venv", "conda", "pyodide", "hosted", "system"}
    True
    """
    kernel = _in_kernel() or sys.platform == "emscripten"
    source = SOURCE_ROOT if (SOURCE_ROOT / "pyproject.toml").exists() else None
    prefix = Path(sys.prefix).resolve()
    if sys.platform == "emscripten":
        return Place("pyodide", True, None, "the browser edition (JupyterLite, Pyodide)")
    hosted = _hosted()
    if hosted:
        return Place("hosted", kernel, source, f"a hosted notebook ({hosted})")
    if source is not None and prefix == (source / ".venv").resolve():
        return Place("make", kernel, source, "the kit's own environment (.venv, made by make)")
    if (prefix / "conda-meta").is_dir():
        name = os.environ.get("CONDA_DEFAULT_ENV") or prefix.name
        return Place("conda", kernel, source, f"the conda environment {name!r}")
    if sys.prefix != sys.base_prefix:
        return Place("venv", kernel, source, f"the virtual environment {prefix}")
    return Place("system", kernel, source, f"the Python at {sys.executable}")


def _pip(args: str, place: Place) -> str:
    """A pip command that installs into *this* Python, written for where it will be typed."""
    if place.kernel:
        return f"run  %pip install {args}  in a new cell, then Kernel › Restart Kernel"
    return f'in a terminal, run:  "{sys.executable}" -m pip install {args}'


def install_fix(place: Place, requirements: list[str] | tuple[str, ...] = ()) -> str:
    """The command that (re)installs what is missing, for where the check runs.

    Examples
    --------
    >>> make = Place("make", False, Path("/kit"), "")
    >>> install_fix(make, ["pandas>=2.2,<4"])
    "In a terminal, in the kit's folder, run:  make setup  (it reinstalls what is missing)"
    >>> print(install_fix(Place("pyodide", True, None, ""), ["pandas>=2.2,<4"]))
    run  %pip install "pandas>=2.2,<4"  in a new cell, then Kernel › Restart Kernel
    """
    specs = " ".join(f'"{r}"' for r in requirements)
    if place.kind == "make":
        restart = ", then Kernel › Restart Kernel" if place.kernel else ""
        return (
            "In a terminal, in the kit's folder, run:  make setup  (it reinstalls what is "
            f"missing){restart}"
        )
    if place.kind == "conda" and place.source is not None:
        return (
            f"In a terminal, in the kit's folder ({place.source}), run:  "
            "conda env update -f environment.yml"
        )
    if specs:
        return _pip(specs, place)
    if place.source is not None:
        return _pip(f'-e "{place.source}"', place)
    return _pip(KIT, place)


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
    place: str = ""
    note: str = ""

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
        head = [f"✓ running in {self.place}"] if self.place else []
        tail = [self.note] if self.note else []
        return "\n".join([*head, *self.lines, *tail, "", self.verdict])

    def _repr_pretty_(self, p, cycle):  # IPython display
        p.text(str(self))


def _python_finding() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Finding(
        f"Python {version}",
        ok,
        "" if ok else "the kit needs Python 3.10 or newer",
        "Install Python 3.10 or newer (python.org, or conda), then follow README.md's setup "
        "again with it.",
    )


def _requirements(extras: tuple[str, ...] = ()) -> list:
    """The kit's run-time requirements, plus those of the named extras (e.g. ``("lab",)``)."""
    from packaging.requirements import Requirement

    try:
        raw = metadata.requires(KIT) or []
    except metadata.PackageNotFoundError:
        return []
    wanted = []
    for req in map(Requirement, raw):
        if req.marker is None:
            wanted.append(req)
        elif any(req.marker.evaluate({"extra": extra}) for extra in extras):
            wanted.append(req)
    return wanted


def _version_fits(requirement, installed: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return requirement.specifier.contains(Version(installed), prereleases=True)
    except InvalidVersion:
        return False


def package_findings(requirements: list | None = None, place: Place | None = None) -> list[Finding]:
    """Check installed versions against the kit's pins.

    Parameters
    ----------
    requirements : list of packaging Requirement, optional
        What to check; by default the kit's own run-time requirements (and, in a terminal on
        the computer the lessons run on, JupyterLab and the kernel: the ``lab`` extra).
    place : Place, optional
        Where the check runs (default :func:`where`); it decides which fix is printed.

    Returns
    -------
    list of Finding
        One per requirement; a missing package or a version outside the pin is not ok.

    Examples
    --------
    >>> from packaging.requirements import Requirement
    >>> [f.ok for f in package_findings([Requirement("pandas>=1")])]
    [True]
    >>> bad = package_findings([Requirement("pandas<1")])[0]
    >>> bad.ok, "outside the kit's pin" in bad.detail
    (False, True)
    >>> package_findings([Requirement("no-such-package-xyz>=1")])[0].detail
    'not installed'
    """
    place = where() if place is None else place
    try:
        import packaging  # noqa: F401
    except ImportError:
        return [Finding("packaging", False, "not installed", install_fix(place, ["packaging>=23"]))]
    if requirements is None:
        # JupyterLab and ipykernel matter where the learner starts JupyterLab from this
        # Python (a terminal, or the kit's own environment); a kernel started by another
        # Jupyter, the browser edition or a hosted notebook needs neither.
        local_lab = place.kind in {"make", "venv", "conda", "system"} and not place.kernel
        requirements = _requirements(("lab",) if local_lab else ())
        if not requirements:
            return [
                Finding(
                    "the kit's package",
                    False,
                    f"{KIT} is not installed in this Python",
                    install_fix(place),
                )
            ]
    findings = []
    for req in requirements:
        spec = str(req).split(";")[0].strip()
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            findings.append(Finding(req.name, False, "not installed", install_fix(place, [spec])))
            continue
        fits = _version_fits(req, installed)
        detail = installed if fits else f"{installed} is outside the kit's pin {req.specifier}"
        findings.append(Finding(req.name, fits, detail, install_fix(place, [spec])))
    return findings


def _data_fix(folder: Path, place: Place) -> str:
    """What restores the data folder, for how the kit is installed."""
    if os.environ.get("KIT_DATA"):
        return (
            f"KIT_DATA points at {folder}: put sessions.csv, events.csv, leads.csv and "
            "answer_key.csv there (python -m helpers.synth --out <folder> makes a set), "
            "or unset KIT_DATA to use the kit's own data"
        )
    if place.source is not None and folder == place.source / "data":
        if (place.source / ".git").exists():
            return (
                "In a terminal, in the kit's folder, restore the files with:  git checkout -- data/"
                "   (or regenerate them: python -m helpers.synth --out data)"
            )
        return "In a terminal, in the kit's folder, regenerate them:  python -m helpers.synth --out data"
    if folder.name == "kitdata" and folder.parent.name == "helpers":
        # the copy inside the installed package: reinstalling the kit restores it
        if place.kind == "pyodide":
            return (
                "run  %pip install leads-conversions-lab  in a new cell, then Kernel › Restart "
                "Kernel"
            )
        return "Reinstall the kit: " + install_fix(place)
    return (
        "Put sessions.csv, events.csv, leads.csv and answer_key.csv in that folder, or make a "
        f'set there:  python -m helpers.synth --out "{folder}"'
    )


def data_findings(folder: Path | None = None, place: Place | None = None) -> list[Finding]:
    """Check that the data files are there and pass the loaders' validation."""
    place = where() if place is None else place
    try:
        from . import data  # late import: pandas missing or a broken module must not stop us
    except Exception as err:
        return [
            Finding(
                "data files",
                False,
                f"cannot load them: {type(err).__name__}: {err}",
                "Fix the packages above first, then run this check again.",
            )
        ]
    folder = Path(folder) if folder is not None else data.kit_data_dir()
    fix = _data_fix(folder, place)
    try:
        dataset = data.load_all(folder)
    except FileNotFoundError as err:
        return [Finding("data files", False, f"missing: {err}", fix)]
    except Exception as err:  # report any validation problem as a finding, never raise
        return [Finding("data files", False, f"{type(err).__name__}: {err}", fix)]
    sizes = ", ".join(
        f"{len(frame):,} {name.replace('_', ' ')} rows" for name, frame in dataset._asdict().items()
    )
    return [Finding("data files", True, f"{sizes} (from {folder})")]


def check_environment(
    *, data: bool = True, folder: Path | None = None, place: Place | None = None
) -> Report:
    """Check Python, the key packages against the kit's pins, and the data files.

    Parameters
    ----------
    data : bool, default True
        Also load and validate the data files.
    folder : Path, optional
        Where the data files are; by default :func:`helpers.data.kit_data_dir`.
    place : Place, optional
        Where the check runs; by default :func:`where` finds out.

    Returns
    -------
    Report
        Print it for a verdict; ``report.ok`` is True when nothing needs fixing.
    """
    place = where() if place is None else place
    findings = [_python_finding()]
    packages = package_findings(place=place)
    key = [f for f in packages if f.what in KEY_PACKAGES]
    others_bad = [f for f in packages if f.what not in KEY_PACKAGES and not f.ok]
    findings += key + others_bad
    note = ""
    if data:
        if any(not f.ok for f in packages):
            note = "  (the data files are checked once the packages above are fixed)"
        else:
            findings += data_findings(folder, place)
    return Report(tuple(findings), place=place.description, note=note)


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.envcheck [--no-data]``: print the report; 1 when something needs fixing."""
    args = sys.argv[1:] if argv is None else argv
    if any(a in {"-h", "--help"} for a in args):
        print("usage: python -m helpers.envcheck [--no-data]\n\n" + (__doc__ or "").split("\n\n")[0])
        return 0
    report = check_environment(data="--no-data" not in args)
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

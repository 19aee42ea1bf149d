"""Build step: ship the kit's data set inside the package, as ``helpers/kitdata/``.

The source tree keeps one copy of the data, in ``data/``. A wheel (``pip install .``,
``make site``) gets a copy at ``helpers/kitdata/`` so the lessons find their data wherever
the kit is installed (``helpers.data.kit_data_dir``). Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: What the package carries: the eight CSV files and their data dictionary.
KIT_DATA = (
    "sessions.csv", "events.csv", "leads.csv", "answer_key.csv", "spend.csv", "networks.csv",
    "nurture.csv", "forms.csv", "README.md",
)


class build_py_with_kit_data(build_py):
    """The usual build, plus data/ copied to helpers/kitdata/ (not in editable installs,
    which read data/ from the source tree)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "helpers" / "kitdata"
        target.mkdir(parents=True, exist_ok=True)
        for name in KIT_DATA:
            source = ROOT / "data" / name
            if not source.exists():
                raise FileNotFoundError(
                    f"setup.py: data/{name} is missing, so the wheel would have no data; "
                    "restore it (git checkout -- data/) or regenerate it (make data)"
                )
            shutil.copyfile(source, target / name)


setup(cmdclass={"build_py": build_py_with_kit_data})

"""Set for every test, notebooks included (tests/conftest.py holds the shared fixtures).

Strict mode (helpers.check.strict_mode): solution cells run and must be right, prose checks
raise; progress is not written (tests that need it point KIT_PROGRESS at a temporary file).
It is set here, at the root, so that ``pytest notebooks/05_conversion_rates.ipynb`` on its own
is as strict as the whole suite: the notebooks' kernels inherit this environment.
"""

import os

os.environ.setdefault("KIT_STRICT", "1")
os.environ.setdefault("KIT_PROGRESS", "off")

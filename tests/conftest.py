"""Shared test set-up, and the only place for it.

- charts draw off-screen (Agg) and every test closes the figures it made;
- ``kit``: the kit's data set (``helpers.data.load_all()``), loaded once per test session.
  Tests must not change it (take a ``.copy()`` first): every helper is pure, so none does.
"""

from __future__ import annotations

import os

import matplotlib

# Strict mode (helpers.check.strict_mode): solution cells run and must be right, prose checks
# raise; progress is not written (tests that need it point KIT_PROGRESS at a temporary file).
os.environ.setdefault("KIT_STRICT", "1")
os.environ.setdefault("KIT_PROGRESS", "off")

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def kit():
    """The kit's data: sessions, events, leads and answer key (``data.Dataset``)."""
    from helpers import data

    return data.load_all()

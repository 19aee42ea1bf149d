"""Shared test set-up, and the only place for it.

- charts draw off-screen (Agg) and every test closes the figures it made;
- ``kit``: the kit's data set (``helpers.data.load_all()``), loaded once per test session.
  Tests must not change it (take a ``.copy()`` first): every helper is pure, so none does.
"""

from __future__ import annotations

import matplotlib

# KIT_STRICT and KIT_PROGRESS are set by the conftest.py at the kit's root (for notebooks too).

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

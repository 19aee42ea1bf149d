"""Shared test set-up: charts draw off-screen (Agg) and every test closes the figures it made."""

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

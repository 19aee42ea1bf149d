"""helpers.explorers: the explorer builder, and explorers that only show their domain result.

The analytics behind each explorer are tested with their domain module (tests/test_traffic.py,
tests/test_lessonNN.py); here: the builder, and the contract that an explorer's key figure is
its domain result's ``headline`` and ``value``."""

from __future__ import annotations

import base64

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from test_traffic import independent_mix, random_traffic

from helpers import explorers, traffic


@pytest.fixture
def mix_data():
    return random_traffic()


# --------------------------------------------------------------------------- the builder


def test_explorer_calls_update_on_every_change():
    slider = w.IntSlider(value=2, min=0, max=10)
    box = explorers.explorer({"n": slider}, lambda n: n * 10)
    assert isinstance(box, w.VBox)
    assert box.result == 20
    slider.value = 7
    assert box.result == 70
    assert 'class="kit-explorer-result"' in box.key.value
    assert 'data-value="70"' in box.key.value
    assert "kit-explorer" in box._dom_classes


def test_explorer_passes_every_control_by_name():
    controls = {"a": w.IntText(value=1), "b": w.Text(value="x")}
    box = explorers.explorer(controls, lambda a, b: f"{b * a}")
    controls["a"].value = 3
    assert box.result == "xxx"
    assert box.values() == {"a": 3, "b": "x"}


def test_explorer_shows_errors_instead_of_raising():
    box = explorers.explorer({"n": w.IntText(value=1)}, lambda n: 1 / (n - 2))
    assert box.result == -1
    box.controls["n"].value = 2
    assert box.result is None and isinstance(box.error, ZeroDivisionError)
    assert "Cannot show this choice" in box.output.outputs[0]["data"]["text/plain"]
    box.controls["n"].value = 3
    assert box.result == 1 and box.error is None


def test_explorer_renders_frames_figures_and_text():
    def update(n):
        return pd.DataFrame({"n": range(n)})

    def render(frame):
        fig, ax = plt.subplots()
        ax.plot(frame["n"])
        return [fig, frame, "done"]

    box = explorers.explorer({"n": w.IntSlider(value=3)}, update, render=render)
    kinds = [set(o["data"]) for o in box.output.outputs]
    assert "image/png" in kinds[0] and "text/html" in kinds[1] and kinds[2] == {"text/plain"}
    png = base64.b64decode(box.output.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert plt.get_fignums() == [], "figures are closed once rendered"


def test_explorer_custom_key():
    box = explorers.explorer(
        {"n": w.IntSlider(value=4)},
        lambda n: n / 8,
        key=lambda share: (f"{share:.0%} <of all>", share),
    )
    assert "50% &lt;of all&gt;" in box.key.value and 'data-value="0.5"' in box.key.value


# --------------------------------------------------------------------------- traffic mix


def test_traffic_mix_explorer_follows_the_dropdown(mix_data):
    sessions, answer_key = mix_data
    box = explorers.traffic_mix(sessions, answer_key)
    dropdown = box.controls["channel"]
    assert dropdown.options[0] == "all"
    assert set(dropdown.options[1:]) == {"email", "social", "direct"}

    all_bots = independent_mix(sessions, answer_key, "all")["bot"]
    assert box.result.table.at["bot", "share"] == pytest.approx(all_bots)
    assert f"Bots: {all_bots:.1%} of all sessions" in box.key.value

    dropdown.value = "email"
    email_bots = independent_mix(sessions, answer_key, "email")["bot"]
    assert email_bots != pytest.approx(all_bots)
    assert box.result.table.at["bot", "share"] == pytest.approx(email_bots)
    assert f'data-value="{round(email_bots, 6)}"' in box.key.value
    assert "of email sessions" in box.key.value
    outputs = box.output.outputs
    assert "image/png" in outputs[0]["data"] and "text/html" in outputs[1]["data"]


def test_key_figure_is_the_domain_headline(mix_data):
    """The browser test reads .kit-explorer-result and compares it with the domain's headline."""
    sessions, answer_key = mix_data
    box = explorers.traffic_mix(sessions, answer_key)
    box.controls["channel"].value = "social"
    found = traffic.traffic_mix(sessions, answer_key, "social")
    assert f">{found.headline}</div>" in box.key.value
    assert f'data-value="{found.value}"' in box.key.value


def test_default_key_reads_headline_and_value():
    class Result:
        headline, value = "Bots: 12.5% of all sessions", 0.125

    box = explorers.explorer({"n": w.IntSlider(value=1)}, lambda n: Result())
    assert ">Bots: 12.5% of all sessions</div>" in box.key.value
    assert 'data-value="0.125"' in box.key.value


def test_explorers_package_lists_one_explorer_per_lesson_file():
    import importlib
    import pkgutil

    lessons = sorted(m.name for m in pkgutil.iter_modules(explorers.__path__) if m.name.startswith("lesson"))
    assert lessons == [f"lesson0{n}" for n in range(1, 8)]
    for name in lessons:
        module = importlib.import_module(f"helpers.explorers.{name}")
        assert module.__all__, f"{name} exports no explorer"
        for exported in module.__all__:
            assert getattr(explorers, exported) is getattr(module, exported)


def test_explorer_charts_carry_alt_text_and_the_key_figure_is_announced():
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from helpers.explorers.base import explorer

    def chart(n):
        fig, ax = plt.subplots()
        ax.set_title(f"{n} bots")
        return fig

    box = explorer({"n": w.BoundedIntText(value=2, min=0, max=5, description="bots")}, chart,
                   key=lambda fig: ("two", 2))
    html = box.output.outputs[0]["data"]["text/html"]
    assert 'alt="Chart: 2 bots."' in html
    assert 'role="status" aria-live="polite"' in box.key.value

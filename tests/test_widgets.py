"""helpers.widgets: the explorer builder and the traffic-mix explorer, driven programmatically."""

from __future__ import annotations

import base64

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers import widgets


@pytest.fixture
def traffic():
    rng = np.random.default_rng(7)
    n = 600
    sessions = pd.DataFrame(
        {
            "session_id": [f"s{i:05d}" for i in range(n)],
            "channel": rng.choice(["email", "social", "direct"], n, p=[0.2, 0.5, 0.3]),
        }
    )
    answer_key = pd.DataFrame(
        {
            "session_id": sessions["session_id"],
            "segment": rng.choice(list(widgets.SEGMENTS), n),
        }
    )
    return sessions, answer_key


# --------------------------------------------------------------------------- the builder


def test_explorer_calls_update_on_every_change():
    slider = w.IntSlider(value=2, min=0, max=10)
    box = widgets.explorer({"n": slider}, lambda n: n * 10)
    assert isinstance(box, w.VBox)
    assert box.result == 20
    slider.value = 7
    assert box.result == 70
    assert 'class="kit-explorer-result"' in box.key.value
    assert 'data-value="70"' in box.key.value
    assert "kit-explorer" in box._dom_classes


def test_explorer_passes_every_control_by_name():
    controls = {"a": w.IntText(value=1), "b": w.Text(value="x")}
    box = widgets.explorer(controls, lambda a, b: f"{b * a}")
    controls["a"].value = 3
    assert box.result == "xxx"
    assert box.values() == {"a": 3, "b": "x"}


def test_explorer_shows_errors_instead_of_raising():
    box = widgets.explorer({"n": w.IntText(value=1)}, lambda n: 1 / (n - 2))
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

    box = widgets.explorer({"n": w.IntSlider(value=3)}, update, render=render)
    kinds = [set(o["data"]) for o in box.output.outputs]
    assert "image/png" in kinds[0] and "text/html" in kinds[1] and kinds[2] == {"text/plain"}
    png = base64.b64decode(box.output.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert plt.get_fignums() == [], "figures are closed once rendered"


def test_explorer_custom_key():
    box = widgets.explorer(
        {"n": w.IntSlider(value=4)},
        lambda n: n / 8,
        key=lambda share: (f"{share:.0%} <of all>", share),
    )
    assert "50% &lt;of all&gt;" in box.key.value and 'data-value="0.5"' in box.key.value


# --------------------------------------------------------------------------- traffic mix


def independent_mix(sessions, answer_key, channel):
    merged = sessions.merge(answer_key, on="session_id")
    if channel != "all":
        merged = merged[merged["channel"] == channel]
    counts = merged["segment"].value_counts()
    return {seg: counts.get(seg, 0) / len(merged) for seg in widgets.SEGMENTS}


@pytest.mark.parametrize("channel", ["all", "email", "social", "direct"])
def test_traffic_mix_matches_an_independent_count(traffic, channel):
    sessions, answer_key = traffic
    table = widgets.traffic_mix(sessions, answer_key, channel)
    expected = independent_mix(sessions, answer_key, channel)
    assert list(table.index) == list(widgets.SEGMENTS)
    for segment, share in expected.items():
        assert table.at[segment, "share"] == pytest.approx(share)
    assert table["share"].sum() == pytest.approx(1.0)


def test_traffic_mix_does_not_mutate_and_drops_nothing(traffic):
    sessions, answer_key = traffic
    before = sessions.copy()
    partial_key = answer_key.iloc[10:]
    table = widgets.traffic_mix(sessions, partial_key)
    pd.testing.assert_frame_equal(sessions, before)
    assert table["sessions"].sum() == len(sessions)
    assert table.at["unknown", "sessions"] == 10


def test_traffic_mix_errors_name_the_problem(traffic):
    sessions, answer_key = traffic
    with pytest.raises(ValueError, match="no sessions have channel 'fax'.*direct, email"):
        widgets.traffic_mix(sessions, answer_key, "fax")
    with pytest.raises(KeyError, match="traffic_mix\\(\\): answer_key has no column 'segment'"):
        widgets.traffic_mix(sessions, answer_key.rename(columns={"segment": "seg"}))


def test_traffic_mix_explorer_follows_the_dropdown(traffic):
    sessions, answer_key = traffic
    box = widgets.traffic_mix_explorer(sessions, answer_key)
    dropdown = box.controls["channel"]
    assert dropdown.options[0] == "all"
    assert set(dropdown.options[1:]) == {"email", "social", "direct"}

    all_bots = independent_mix(sessions, answer_key, "all")["bot"]
    assert box.result.at["bot", "share"] == pytest.approx(all_bots)
    assert f"Bots: {all_bots:.1%} of all sessions" in box.key.value

    dropdown.value = "email"
    email_bots = independent_mix(sessions, answer_key, "email")["bot"]
    assert email_bots != pytest.approx(all_bots)
    assert box.result.at["bot", "share"] == pytest.approx(email_bots)
    assert f'data-value="{round(email_bots, 6)}"' in box.key.value
    assert "of email sessions" in box.key.value
    outputs = box.output.outputs
    assert "image/png" in outputs[0]["data"] and "text/html" in outputs[1]["data"]


def test_key_text_is_the_summary_function(traffic):
    """The browser test reads .kit-explorer-result and compares it with traffic_mix_summary."""
    sessions, answer_key = traffic
    box = widgets.traffic_mix_explorer(sessions, answer_key)
    box.controls["channel"].value = "social"
    text = widgets.traffic_mix_summary(sessions, answer_key, "social")
    assert f">{text}</div>" in box.key.value


def test_explorer_charts_carry_alt_text_and_the_key_figure_is_announced():
    import ipywidgets as w
    import matplotlib.pyplot as plt

    def chart(n):
        fig, ax = plt.subplots()
        ax.set_title(f"{n} bots")
        return fig

    box = widgets.explorer({"n": w.IntSlider(value=2, min=0, max=5, description="bots")}, chart,
                           key=lambda fig: ("two", 2))
    html = box.output.outputs[0]["data"]["text/html"]
    assert 'alt="Chart: 2 bots."' in html
    assert 'role="status" aria-live="polite"' in box.key.value

"""helpers.plots: Axes back, takeaway titles, unit labels, percent axes, fixed colours."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.ticker import PercentFormatter

from helpers import plots


def hexes(patches):
    return [to_hex(p.get_facecolor()).upper() for p in patches]


def test_palette_is_okabe_ito_and_vermillion_means_bot():
    assert plots.color("bot") == "#D55E00"
    assert plots.color("Bots") == "#D55E00"
    assert plots.color(True, by="is_bot") == "#D55E00"
    assert plots.color(False, by="is_bot") == plots.color("human") == "#0072B2"
    assert plots.color("potential buyer") == "#009E73"
    okabe = set(plots.OKABE_ITO.values())
    grey = {"#999999"}
    assert set(plots.COLORS.values()) <= okabe | grey
    others = {k for k, v in plots.COLORS.items() if v == "#D55E00"}
    assert others == {"bot"}, "vermillion is reserved for bots"
    assert "#D55E00" not in plots._CYCLE


def test_no_global_style_at_import():
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(plots)
    assert dict(matplotlib.rcParams) == before


def test_charts_do_not_change_global_style():
    before = matplotlib.rcParams["axes.spines.top"]
    plots.bar_shares(pd.Series({"bot": 0.2, "human": 0.8}))
    assert matplotlib.rcParams["axes.spines.top"] == before


def test_bar_shares_series():
    shares = pd.Series({"human": 0.8, "bot": 0.2, "email": 0.1})
    ax = plots.bar_shares(shares)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == len(shares)
    assert hexes(ax.patches)[:2] == ["#0072B2", "#D55E00"]
    assert isinstance(ax.xaxis.get_major_formatter(), PercentFormatter)
    assert ax.get_title() == "Human is the largest share: 80%"
    assert "(%)" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["80.0%", "20.0%", "10.0%"]


def test_bar_shares_frame_and_given_title():
    frame = pd.DataFrame({"sessions": [0.2, 0.8], "leads": [0.0, 1.0]}, index=["bot", "human"])
    _, ax0 = plt.subplots()
    ax = plots.bar_shares(frame, "Bots make sessions, not leads", ax=ax0)
    assert ax is ax0
    assert ax.get_title() == "Bots make sessions, not leads"
    assert len(ax.patches) == frame.size
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sessions", "leads"]


def test_bar_shares_rejects_other_input():
    with pytest.raises(TypeError, match="bar_shares"):
        plots.bar_shares([0.1, 0.2])


def test_traffic_mix_stacks_segments_with_their_colours():
    mix = pd.DataFrame(
        {"bot": [10, 5], "potential_buyer": [3, 20], "stumbled": [7, 5]},
        index=pd.Index(["direct", "organic_search"], name="channel"),
    )
    ax = plots.traffic_mix(mix)
    assert len(ax.patches) == mix.size
    colours = hexes(ax.patches)
    assert colours[:2] == ["#D55E00", "#D55E00"] and colours[2:4] == ["#009E73"] * 2
    assert ax.get_title() == "Bots are 50% of direct traffic"
    assert isinstance(ax.xaxis.get_major_formatter(), PercentFormatter)
    widths = np.array([p.get_width() for p in ax.patches]).reshape(3, 2).sum(axis=0)
    np.testing.assert_allclose(widths, 1.0)


def test_daily_sessions_by_bot_flag():
    sessions = pd.DataFrame(
        {
            "started_at": pd.date_range("2024-03-01", periods=96, freq="h", tz="UTC"),
            "is_bot": np.arange(96) % 4 == 0,
        }
    )
    ax = plots.daily_sessions(sessions, by="is_bot")
    lines = {line.get_label(): to_hex(line.get_color()).upper() for line in ax.lines}
    assert lines == {"human": "#0072B2", "bot": "#D55E00"}
    assert all(len(line.get_xdata()) == 4 for line in ax.lines)
    assert ax.get_ylabel() == "sessions per day"
    assert ax.get_title() == "24 sessions a day on average over 4 days"


def test_daily_sessions_names_a_missing_column():
    with pytest.raises(KeyError, match="daily_sessions.*started_at"):
        plots.daily_sessions(pd.DataFrame({"ts": []}))


def test_rates_with_intervals_one_point_per_group():
    table = pd.DataFrame(
        {
            "channel": ["email", "social", "paid_search", "Total"],
            "conversions": [5, 3, 2, 10],
            "visitors": [50, 60, 40, 150],
            "rate": [0.10, 0.05, 0.05, 10 / 150],
            "low": [0.04, 0.02, 0.01, 0.04],
            "high": [0.21, 0.14, 0.17, 0.11],
        }
    )
    ax = plots.rates_with_intervals(table)
    assert len(ax.collections[0].get_offsets()) == 3
    intervals = [line for line in ax.lines if line.get_label().startswith("_")]
    assert len(intervals) == 3
    assert [line.get_xdata()[0] for line in intervals] == [0.04, 0.02, 0.01]
    # 5 of 50 against 3 of 60 and 2 of 40: the intervals overlap, so no "best"
    assert ax.get_title() == (
        "Email has the highest measured rate (10.0%), not clearly above social, paid search"
    )
    assert isinstance(ax.xaxis.get_major_formatter(), PercentFormatter)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["email", "social", "paid search"]


def test_rates_with_intervals_needs_low_and_high():
    with pytest.raises(KeyError, match="'rate', 'low' and 'high'"):
        plots.rates_with_intervals(pd.DataFrame({"rate": [0.1]}))


def test_funnel_bars_and_step_rates():
    steps = pd.DataFrame(
        {"step": ["page_view", "add_to_cart", "purchase"], "people": [1000, 100, 20]}
    )
    ax = plots.funnel(steps)
    assert [p.get_width() for p in ax.patches] == [1000, 100, 20]
    assert [t.get_text() for t in ax.texts] == [
        "1,000",
        "100  (10.0% of previous)",
        "20  (20.0% of previous)",
    ]
    assert ax.get_title() == "2.0% of the people at page view reach purchase"
    assert ax.get_xlabel() == "people"


def test_precision_recall():
    points = pd.DataFrame(
        {
            "threshold": [0.7, 0.1, 0.3, 0.5],
            "precision": [0.95, 0.5, 0.7, 0.9],
            "recall": [0.4, 0.99, 0.9, 0.8],
        }
    )
    ax = plots.precision_recall(points, chosen=0.5)
    precision, recall = ax.lines[:2]
    assert len(precision.get_xdata()) == len(points) == len(recall.get_xdata())
    assert to_hex(precision.get_color()).upper() == plots.COLORS["precision"]
    assert ax.get_title() == "At threshold 0.5: precision 90%, recall 80%"
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)


def test_score_hist_with_truth():
    scores = np.linspace(0, 1, 100, endpoint=False)
    ax = plots.score_hist(scores, 0.8, truth=scores > 0.75, bins=10)
    colours = set(hexes(ax.patches))
    assert colours == {"#0072B2", "#D55E00"}
    assert ax.get_title() == "Threshold 0.8 flags 20.0% of sessions"
    assert ax.get_xlabel() == "bot score" and ax.get_ylabel() == "sessions"


def test_confusion():
    counts = pd.DataFrame(
        [[900, 20], [30, 150]],
        index=pd.Index(["human", "bot"], name="truth"),
        columns=pd.Index(["human", "bot"], name="flagged"),
    )
    ax = plots.confusion(counts)
    assert [t.get_text() for t in ax.texts][0] == "900\n97.8%"
    assert len(ax.texts) == 4
    assert ax.get_title() == "The filter catches 83% of bots; 20 false alarms"
    assert ax.get_xlabel() == "verdict (flagged)"


def test_style_applies_globally_only_when_asked():
    with matplotlib.rc_context():
        plots.style()
        assert matplotlib.rcParams["axes.spines.top"] is False


def test_kit_style_keeps_interactive_mode_switched_on_inside_it():
    """Jupyter's inline backend switches interactive mode on at the first figure; keep it on.

    Undoing that switch made every chart after the first one in a notebook show nothing.
    """
    import matplotlib as mpl

    from helpers.plots import _kit_style

    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with _kit_style():
            mpl.interactive(True)  # what the inline backend does when it loads
        assert mpl.is_interactive()
        with _kit_style():
            assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)


def test_confusion_reads_the_bots_evaluation_table():
    """bots.evaluate labels rows 'bot'/'human' and columns 'flagged as bot'/'kept as human'."""
    import pandas as pd

    from helpers import plots

    table = pd.DataFrame(
        [[90, 10], [5, 895]],
        index=pd.Index(["bot", "human"], name="truth"),
        columns=pd.Index(["flagged as bot", "kept as human"], name="label"),
    )
    ax = plots.confusion(table)
    assert ax.get_xlabel() == "verdict" and ax.get_ylabel() == "truth"
    assert ax.get_title() == "The filter catches 90% of bots; 5 false alarms"


# --------------------------------------------------------------------------- claims in titles


def _table(rows):
    t = pd.DataFrame(rows, columns=["channel", "conversions", "visitors"])
    t["rate"] = t["conversions"] / t["visitors"]
    t["low"], t["high"] = t["rate"] * 0.9, t["rate"] * 1.1
    return t


def test_rates_title_says_best_only_when_the_intervals_support_it():
    clear = _table([("email", 200, 1000), ("direct", 50, 1000), ("social", 40, 1000)])
    assert plots.rates_with_intervals(clear).get_title() == (
        "Email converts best: 20.0%, clearly above every other group (Holm-corrected, 95%)"
    )
    unclear = _table([("email", 60, 1000), ("direct", 50, 1000)])
    title = plots.rates_with_intervals(unclear).get_title()
    assert "best" not in title and "not clearly above direct" in title


def test_rates_title_never_crowns_a_handful():
    # the CRM export's "Live chat converts best: 100.0%" (2 of 2) against 490 of 534
    table = _table([("live_chat", 2, 2), ("reference", 490, 534), ("google", 300, 1500)])
    title = plots.rates_with_intervals(table).get_title()
    assert "best" not in title
    assert title.startswith("Live chat has the highest measured rate (100.0%), but on only 2")
    volume = plots.rate_and_volume(table, count_label="customers").figure.get_suptitle()
    assert volume == ("Live chat has the highest measured rate (100.0%, on only 2 visitors), "
                      "but reference brings the most customers (490)")


def test_rates_title_without_counts_states_only_the_measurement():
    table = pd.DataFrame({"channel": ["a", "b"], "rate": [0.3, 0.1], "low": [0.2, 0.05],
                          "high": [0.4, 0.2]})
    assert plots.rates_with_intervals(table).get_title() == "A has the highest measured rate: 30.0%"


# --------------------------------------------------------------------------- accessibility


def _samples():
    """One call per chart kind on small made-up data (every public chart function)."""
    rng = np.random.default_rng(1)
    rates = _table([("email", 200, 1000), ("direct", 50, 1000), ("social", 40, 1000)])
    mix = pd.DataFrame({"bot": [10, 5], "potential_buyer": [3, 20], "stumbled": [7, 5]},
                       index=pd.Index(["direct", "organic_search"], name="channel"))
    sessions = pd.DataFrame({"started_at": pd.date_range("2026-01-01", periods=50, freq="9h", tz="UTC"),
                             "is_bot": rng.random(50) < 0.3})
    confusion = pd.DataFrame({False: [900, 3], True: [31, 160]},
                             index=pd.Index([False, True], name="truth"))
    confusion.columns.name = "flagged"
    return {
        "bar_shares": lambda: plots.bar_shares(pd.Series({"human": 0.8, "bot": 0.2})),
        "traffic_mix": lambda: plots.traffic_mix(mix),
        "segment_mix": lambda: plots.segment_mix(mix),
        "daily_sessions": lambda: plots.daily_sessions(sessions, by="is_bot"),
        "rates_with_intervals": lambda: plots.rates_with_intervals(rates),
        "rate_and_volume": lambda: plots.rate_and_volume(rates),
        "confusion": lambda: plots.confusion(confusion),
        "persona_segments": lambda: plots.persona_segments(
            pd.DataFrame({0: [90, 5], 1: [10, 95]}, index=["fan", "none"])),
        "funnel": lambda: plots.funnel(pd.DataFrame({"step": ["visit", "lead", "buy"],
                                                      "people": [1000, 200, 20]})),
    }


def _texts(fig):
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            yield text


def _background(text, fig):
    """The colour a text sits on: the bar or image cell under its centre, else the axes."""
    from matplotlib.image import AxesImage
    from matplotlib.patches import Rectangle

    renderer = fig.canvas.get_renderer()
    box = text.get_window_extent(renderer)
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    ax = text.axes
    if ax is None:
        return fig.get_facecolor()
    for image in ax.get_images():
        if isinstance(image, AxesImage) and image.get_window_extent(renderer).contains(x, y):
            col, row = ax.transData.inverted().transform((x, y))
            values = image.get_array()
            value = values[int(round(row)), int(round(col))]
            return image.cmap(image.norm(value))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_window_extent(renderer).contains(x, y):
            return patch.get_facecolor()
    return ax.get_facecolor()


@pytest.mark.parametrize("kind", sorted(_samples()))
def test_chart_text_is_large_and_has_enough_contrast(kind):
    ax = _samples()[kind]()
    fig = ax.figure
    fig.canvas.draw()
    texts = list(_texts(fig))
    assert texts, "the chart has no text at all"
    for text in texts:
        assert text.get_fontsize() >= 11, f"{kind}: {text.get_text()!r} is {text.get_fontsize()} pt"
        ratio = plots.contrast(text.get_color(), _background(text, fig))
        assert ratio >= plots.MIN_CONTRAST, (
            f"{kind}: {text.get_text()!r} has contrast {ratio:.2f}:1 (needs 4.5:1)")


def test_contrast_test_catches_white_on_a_light_bar():
    fig, ax = plt.subplots()
    bars = ax.barh([0], [1], color=plots.COLORS["stumbled"])
    ax.bar_label(bars, labels=["50%"], label_type="center", color="white", fontsize=12)
    fig.canvas.draw()
    label = next(t for t in _texts(fig) if t.get_text() == "50%")
    assert plots.contrast(label.get_color(), _background(label, fig)) < plots.MIN_CONTRAST


def test_every_palette_colour_has_a_readable_text_colour():
    import matplotlib as mpl

    backgrounds = [*plots.OKABE_ITO.values(), plots.NEUTRAL, plots.GREY,
                   *(mpl.colormaps["Blues"](x) for x in np.linspace(0, 1, 101))]
    for bg in backgrounds:
        assert plots.contrast(plots.text_colour(bg), bg) >= plots.MIN_CONTRAST, bg


def test_sample_registry_covers_the_chart_kinds_with_text_inside_shapes():
    # the charts that put labels on coloured shapes are the ones contrast can fail on
    inside = {"traffic_mix", "segment_mix", "confusion", "persona_segments"}
    assert inside <= set(_samples())


def test_figures_show_as_images_with_alt_text():
    ax = _samples()["rates_with_intervals"]()
    html = plots._show_with_alt_text(ax.figure)
    assert html.startswith('<img src="data:image/png;base64,')
    assert 'alt="Chart: Email converts best: 20.0%, clearly above every other group' in html
    assert "Horizontal axis: conversion rate (%)" in html


def test_tables_are_focusable_so_wide_ones_scroll_from_the_keyboard():
    frame = pd.DataFrame({"user_agent": ["x" * 300], "rate": [0.1]})
    for shown in (plots._focusable_table(frame), plots._focusable_table(frame.style)):
        assert shown.count('<table tabindex="0"') == 1

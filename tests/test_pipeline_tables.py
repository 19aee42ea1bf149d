"""The pipeline's metric functions, exactly: ``leads.pipeline`` (stage counts and rates) and
the tables of ``helpers.pipeline`` that compute numbers (``capstone_rates``, ``focus``,
``channel_funnel``, ``Capstone.rate``).

Each result is compared in full (the whole frame with its dtypes, every field of the result,
the whole sentence) with one recomputed here by hand on a small frame built in the test, and
each error with its whole sentence: ``make mutate`` (tests/MUTATION.md) needs a test that
fails when any part of them changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from helpers import conversions
from helpers import leads as ld
from helpers import pipeline as pl
from helpers.formatting import interval, label, p_value, percent

# ----------------------------------------------------------------------- leads.pipeline

_RANK = {"lead": 0, "mql": 1, "sql": 2, "customer": 3}
_UNIT = {"visitor": "visitors", "lead": "leads", "mql": "MQLs", "sql": "SQLs", "customer": "customers"}


def _raise_exactly(cases) -> None:
    """Each call raises its kind of error with exactly its sentence (KeyError's quotes aside)."""
    for call, kind, sentence in cases:
        with pytest.raises(kind) as caught:
            call()
        assert str(caught.value).strip("\"'") == sentence


def _pipeline_by_hand(stages, *, visitors=None, disqualified="count_as_lead", confidence=0.95):
    """leads.pipeline's definition, row by row: a lead reaches every stage up to its own."""
    stages = [str(s).strip().lower() for s in stages]
    names = ["lead", "mql", "sql", "customer"]
    reached, now_at = [], []
    unknown = stages.count("unknown")
    n_dq = stages.count("disqualified")
    for j, name in enumerate(names):
        if unknown and name in ("mql", "sql"):
            reached.append(pd.NA)
        else:
            n = sum(1 for s in stages if s in _RANK and _RANK[s] >= j)
            if name == "lead":
                n += unknown + (n_dq if disqualified == "count_as_lead" else 0)
            reached.append(n)
        now_at.append(stages.count(name))
    dq = [n_dq if disqualified == "count_as_lead" else 0, 0, 0, 0]
    unknown_col = [unknown, 0, 0, 0]
    if visitors is not None:
        names = ["visitor", *names]
        reached = [visitors, *reached]
        now_at = [visitors - reached[1], *now_at]
        dq = [0, *dq]
        unknown_col = [0, *unknown_col]
    rates = [None]
    for i in range(1, len(names)):
        known = [j for j in range(i) if reached[j] is not pd.NA]
        base = known[-1]
        if reached[i] is pd.NA or reached[base] == 0:
            rates.append(None)
        else:
            rates.append(conversions.rate(reached[i], reached[base], confidence, unit=_UNIT[names[base]]))
    columns = {
        "stage": names,
        "reached": pd.Series(reached, dtype="Int64" if unknown else "int64"),
        "now_at": pd.Series(now_at, dtype="int64"),
        "disqualified": pd.Series(dq, dtype="int64"),
    }
    if unknown:
        columns["unknown"] = pd.Series(unknown_col, dtype="int64")
    out = pd.DataFrame(columns)
    out["rate"] = pd.Series(rates, dtype=object)
    for field in ("value", "low", "high"):
        out["rate_value" if field == "value" else field] = [
            np.nan if r is None else getattr(r, field) for r in rates
        ]
    first = reached[0]
    out["overall"] = [np.nan if r is pd.NA else r / first for r in reached]
    return out


def _check_pipeline(stages, **kwargs):
    got = ld.pipeline(pd.DataFrame({"stage": stages}), **kwargs)
    pd.testing.assert_frame_equal(got, _pipeline_by_hand(stages, **kwargs))
    return got


def test_pipeline_in_full_with_visitors_mixed_case_and_a_confidence():
    stages = [" Lead", "lead", "MQL", "mql ", "mql", "sql", "Customer", "customer", "disqualified",
              "Disqualified", "lead"]
    got = _check_pipeline(stages, visitors=40, confidence=0.9)
    # the visitor row holds those who did not become leads; the lead row the 2 disqualified
    assert got["now_at"].tolist()[:2] == [40 - 11, 3] and got["disqualified"].tolist()[1] == 2
    assert got["rate"][1] == conversions.rate(11, 40, 0.9, unit="visitors")


def test_pipeline_in_full_without_visitors_and_with_disqualified_counted_or_excluded():
    stages = ["lead"] * 3 + ["mql"] * 2 + ["customer"] + ["disqualified"] * 4
    counted = _check_pipeline(stages)
    excluded = _check_pipeline(stages, disqualified="exclude")
    assert counted["reached"].tolist() == [10, 3, 1, 1]
    assert excluded["reached"].tolist() == [6, 3, 1, 1]
    assert excluded["disqualified"].tolist() == [0, 0, 0, 0]
    _check_pipeline(stages, disqualified="exclude", visitors=6)  # visitors may equal the leads


def test_pipeline_in_full_on_a_converted_flag_with_and_without_visitors():
    stages = ["customer"] * 2 + ["unknown"] * 5 + ["disqualified", "lead"]
    bare = _check_pipeline(stages)
    assert bare["unknown"].tolist() == [5, 0, 0, 0]
    assert bare["rate"][3] == conversions.rate(2, 9, unit="leads")  # measured from the lead row
    full = _check_pipeline(stages, visitors=30, disqualified="exclude")
    assert full["unknown"].tolist() == [0, 5, 0, 0, 0]
    assert full["rate"][4] == conversions.rate(2, 8, unit="leads")


def test_pipeline_in_full_on_one_lead_and_on_an_empty_stage():
    _check_pipeline(["lead"])
    _check_pipeline(["disqualified"])
    got = _check_pipeline(["lead", "lead", "customer"], visitors=3)
    assert got["rate"][2] == conversions.rate(1, 3, unit="leads")
    _check_pipeline(["lead", "disqualified"], visitors=5)  # mql reached by nobody: rates None


def test_pipeline_errors_say_the_whole_sentence():
    crm = pd.DataFrame({"stage": ["lead", "lead"]})
    cases = [
        (lambda: ld.pipeline([1, 2]), TypeError,
         "pipeline(): leads must be a pandas DataFrame, got list."),
        (lambda: ld.pipeline(pd.DataFrame({"x": [1]})), KeyError,
         "pipeline(): leads has no column 'stage'. It has: x. Rename it or pass stage='your_column'."),
        (lambda: ld.pipeline(pd.DataFrame({"lead_id": ["a", "a", "b"], "stage": ["lead"] * 3})),
         ValueError,
         "pipeline(): leads has 1 lead_id value(s) on more than one row (2 rows in all), e.g. "
         "['a']; each unit must be counted once. Drop the duplicates first, e.g. "
         "leads.drop_duplicates('lead_id')."),
        (lambda: ld.pipeline(pd.DataFrame({"stage": ["disqualified"]}), disqualified="exclude"),
         ValueError,
         "pipeline(): leads has no lead to follow (after disqualified='exclude'); pass a non-empty "
         "leads table, or disqualified='count_as_lead' to keep the disqualified ones."),
        (lambda: ld.pipeline(crm, visitors=True), ValueError,
         "pipeline(): visitors must be a whole number at least the number of leads (2), got True. "
         "Pass the count of human visitors, e.g. sessions.visitor_id.nunique()."),
        (lambda: ld.pipeline(crm, visitors=2.5), ValueError,
         "pipeline(): visitors must be a whole number at least the number of leads (2), got 2.5. "
         "Pass the count of human visitors, e.g. sessions.visitor_id.nunique()."),
        (lambda: ld.pipeline(crm, visitors=1), ValueError,
         "pipeline(): visitors must be a whole number at least the number of leads (2), got 1. "
         "Pass the count of human visitors, e.g. sessions.visitor_id.nunique()."),
    ]
    _raise_exactly(cases)
    # unique ids pass; a numpy whole number of visitors too
    ok = pd.DataFrame({"lead_id": ["a", "b"], "stage": ["lead", "sql"]})
    pd.testing.assert_frame_equal(ld.pipeline(ok, visitors=np.int64(4)),
                                  _pipeline_by_hand(ok["stage"], visitors=4))


# ----------------------------------------------------------------------- Capstone by hand

def _capstone(visitors: pd.DataFrame, confidence: float = 0.9) -> pl.Capstone:
    """A Capstone holding only what the rate tables read: ``visitors`` and ``confidence``."""
    return pl.Capstone(
        window=None, sessions=len(visitors), bot_sessions=0, audit=pd.DataFrame(), duplicates=0,
        human_events=pd.DataFrame(), leads=pd.DataFrame(), visitors=visitors,
        per_lead=pd.DataFrame(), qualified=None, cart=None, confidence=confidence,
    )


def _visitors() -> pd.DataFrame:
    return pd.DataFrame({
        "visitor_id": [f"v{i}" for i in range(12)],
        "channel": ["email"] * 5 + ["paid:search"] * 4 + ["social"] * 3,
        "persona": pd.Categorical(["barista", "none", "barista", "none", "office"] * 2 + ["none"] * 2,
                                  categories=["barista", "office", "none"]),
        "is_lead": [True, True, False, True, False, True, False, False, False, False, False, True],
        "bought": [False, True, False, False, False, True, True, False, True, False, False, False],
    })


def _rates_by_hand(visitors, by, column, confidence):
    rows = []
    for group, part in visitors.groupby(by, observed=True, sort=True):
        rows.append((group, int(part[column].sum()), len(part)))
    rows.append(("Total", int(visitors[column].sum()), len(visitors)))
    k = np.array([r[1] for r in rows])
    n = np.array([r[2] for r in rows])
    low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    return pd.DataFrame({
        by: [str(r[0]) for r in rows], "conversions": k, "visitors": n, "rate": k / n,
        "low": low, "high": high,
    })


@pytest.mark.parametrize("by", ["channel", "persona"])
@pytest.mark.parametrize("metric", ["lead", "purchase"])
def test_capstone_rates_in_full(by, metric):
    visitors = _visitors()
    column = {"lead": "is_lead", "purchase": "bought"}[metric]
    got = pl.capstone_rates(_capstone(visitors), by, metric)
    pd.testing.assert_frame_equal(got, _rates_by_hand(visitors, by, column, 0.9),
                                  check_dtype=False, atol=1e-9)
    assert list(got.columns) == [by, "conversions", "visitors", "rate", "low", "high"]
    assert got["conversions"].dtype == np.int64 and got["visitors"].dtype == np.int64


def test_capstone_rates_defaults_to_the_lead_rate_per_channel():
    visitors = _visitors()
    pd.testing.assert_frame_equal(pl.capstone_rates(_capstone(visitors)),
                                  _rates_by_hand(visitors, "channel", "is_lead", 0.9),
                                  check_dtype=False, atol=1e-9)


def test_capstone_rates_counts_visitors_even_without_a_visitor_id_column():
    visitors = _visitors().drop(columns="visitor_id")
    got = pl.capstone_rates(_capstone(visitors), "persona", "purchase")
    pd.testing.assert_frame_equal(got, _rates_by_hand(visitors, "persona", "bought", 0.9),
                                  check_dtype=False, atol=1e-9)


def test_capstone_rates_errors_say_the_whole_sentence():
    results = _capstone(_visitors())
    with pytest.raises(ValueError) as caught:
        pl.capstone_rates(results, "channel", "clicks")
    assert str(caught.value) == "capstone_rates(): metric 'clicks' is not one of lead, purchase."
    with pytest.raises(KeyError) as caught:
        pl.capstone_rates(results, "device")
    assert str(caught.value).strip('"') == (
        "capstone_rates(): results.visitors has no column 'device'. It has: visitor_id, channel, "
        "persona, is_lead, bought. Rename it, or load it with helpers.data."
    )


def test_capstone_rate_is_a_rate_at_the_results_confidence():
    results = _capstone(_visitors(), confidence=0.8)
    assert results.rate(np.int64(3), 10.0, "leads") == conversions.rate(3, 10, 0.8, unit="leads")
    assert results.rate(2, 5) == conversions.rate(2, 5, 0.8, unit="visitors")


# ----------------------------------------------------------------------- focus


def _focus_by_hand(visitors, segment, metric, confidence):
    column = {"lead": "is_lead", "purchase": "bought"}[metric]
    flag = visitors[column].tolist()
    total = conversions.rate(sum(flag), len(flag), confidence, unit="visitors")
    if segment == "all":
        return dict(segment=segment, metric=metric, by=None, group=None, rate=total, rest=None,
                    total=total, comparison=None,
                    table=_rates_by_hand(visitors, "channel", column, confidence))
    by, group = segment.split(":", 1)
    inside = [str(v) == group for v in visitors[by]]
    mine = [f for f, i in zip(flag, inside, strict=True) if i]
    others = [f for f, i in zip(flag, inside, strict=True) if not i]
    rate = conversions.rate(sum(mine), len(mine), confidence, unit="visitors")
    rest = conversions.rate(sum(others), len(others), confidence, unit="visitors") if others else None
    name = "no persona" if (by, group) == ("persona", "none") else label(group)
    comparison = (conversions.compare(rate, rest, confidence, names=(name, "everyone else"))
                  if rest is not None else None)
    return dict(segment=segment, metric=metric, by=by, group=group, rate=rate, rest=rest,
                total=total, comparison=comparison,
                table=_rates_by_hand(visitors, by, column, confidence))


def _sentences_by_hand(want):
    """Focus's headline and verdict, written out from the figures computed by hand."""
    words = {"lead": "became leads", "purchase": "bought something"}[want["metric"]]
    group, by = want["group"], want["by"]
    if group is None:
        who = "All human visitors"
    elif by == "persona":
        who = "Visitors matching " + ("no persona" if group == "none" else label(group))
    else:
        who = label(group).capitalize() + " visitors"
    rate, rest, c = want["rate"], want["rest"], want["comparison"]
    headline = (f"{who}: {percent(rate.value)} {words} "
                f"({rate.confidence:.0%} CI {interval(rate.low, rate.high)})")
    if c is None:
        return headline, ""
    clear = c.p_value < 1 - c.confidence and (c.difference_low > 0 or c.difference_high < 0)
    if clear:
        headline += (f", clearly {'above' if c.difference > 0 else 'below'} everyone else "
                     f"({percent(rest.value)})")
        ending = f"clearly {'higher' if c.difference > 0 else 'lower'} than everyone else's"
    else:
        headline += f", not clearly different from everyone else ({percent(rest.value)})"
        ending = "the data cannot tell it apart from everyone else's"
    verdict = (
        f"{who}: {percent(rate.value)} against {percent(rest.value)} for everyone else, a "
        f"difference of {c.difference * 100:+.1f} points ({c.confidence:.0%} CI "
        f"{c.difference_low * 100:+.1f} to {c.difference_high * 100:+.1f}; "
        f"{p_value(c.p_value, 3)}): {ending}."
    )
    return headline, verdict


def _check_focus(visitors, segment, metric="lead", confidence=0.9, **kwargs):
    got = pl.focus(_capstone(visitors, confidence), segment, metric, **kwargs)
    want = _focus_by_hand(visitors, segment, metric, confidence)
    for name, value in want.items():
        if name == "table":
            pd.testing.assert_frame_equal(got.table, value, check_dtype=False, atol=1e-9)
        else:
            assert getattr(got, name) == value, name
    headline, verdict = _sentences_by_hand(want)
    assert (got.headline, got.verdict, got.value) == (headline, verdict, round(want["rate"].value, 6))
    return got


def test_focus_says_clearly_above_or_below_only_when_the_interval_agrees():
    # 200 visitors: email 60 of 100 became leads, the rest 10 of 100
    visitors = pd.DataFrame({
        "channel": ["email"] * 100 + ["social"] * 100,
        "persona": ["none"] * 200,
        "is_lead": [True] * 60 + [False] * 40 + [True] * 10 + [False] * 90,
        "bought": [False] * 200,
    })
    above = _check_focus(visitors, "channel:email")
    below = _check_focus(visitors, "channel:social")
    assert above.comparison.significant and below.comparison.significant
    assert "clearly above" in above.headline and "clearly lower" in below.verdict


@pytest.mark.parametrize("segment", ["all", "channel:email", "channel:paid:search",
                                     "persona:none", "persona:barista"])
@pytest.mark.parametrize("metric", ["lead", "purchase"])
def test_focus_in_full(segment, metric):
    got = _check_focus(_visitors(), segment, metric)
    if got.comparison is not None:
        assert got.comparison.names[1] == "everyone else"


def test_focus_defaults_to_everyone_and_the_lead_rate():
    visitors = _visitors()
    got = pl.focus(_capstone(visitors))
    want = _focus_by_hand(visitors, "all", "lead", 0.9)
    assert (got.segment, got.metric, got.rate, got.total) == ("all", "lead", want["rate"], want["total"])
    assert got.headline == (
        f"All human visitors: {percent(want['rate'].value)} became leads (90% CI "
        f"{interval(want['rate'].low, want['rate'].high)})"
    )
    pd.testing.assert_frame_equal(got.table, want["table"], check_dtype=False, atol=1e-9)


def test_focus_on_a_group_that_is_everyone_has_no_one_to_compare_with():
    visitors = _visitors().assign(channel="email")
    got = _check_focus(visitors, "channel:email")
    assert got.rest is None and got.comparison is None and got.rate == got.total


def test_focus_names_the_group_in_the_comparison():
    got = _check_focus(_visitors(), "persona:none")
    assert got.comparison.names == ("no persona", "everyone else")
    got = _check_focus(_visitors(), "channel:paid:search")
    assert got.comparison.names == (label("paid:search"), "everyone else")


def test_focus_errors_say_the_whole_sentence():
    results = _capstone(_visitors())
    cases = [
        (dict(segment="device:mobile"),
         "focus(): segment 'device:mobile' must be 'all', 'channel:<name>' or 'persona:<name>', "
         "e.g. 'channel:paid_search'."),
        (dict(segment="channel:"),
         "focus(): segment 'channel:' must be 'all', 'channel:<name>' or 'persona:<name>', "
         "e.g. 'channel:paid_search'."),
        (dict(segment="channel:tv"),
         "focus(): no human visitor has channel 'tv'. Known: email, paid:search, social."),
        (dict(segment="all", metric="clicks"),
         "focus(): metric 'clicks' is not one of lead, purchase."),
    ]
    for kwargs, sentence in cases:
        with pytest.raises(ValueError) as caught:
            pl.focus(results, **kwargs)
        assert str(caught.value) == sentence
    # flags as text would all read True: refused with the fix
    text = _visitors().assign(bought=lambda d: d["bought"].map({True: "True", False: "False"}))
    with pytest.raises(TypeError) as caught:
        pl.focus(_capstone(text), "channel:email", "purchase")
    assert str(caught.value) == (
        "focus(): column 'bought' must be True/False (True for visitors who bought something), "
        "but holds text such as 'False'; text is never read as a flag. Convert it explicitly, "
        "e.g. frame['bought'].map({'True': True, 'False': False}), or load the file with "
        "helpers.data. Build results with capstone_results()."
    )


# ----------------------------------------------------------------------- channel_funnel


def _times(*texts):
    return pd.to_datetime(list(texts), utc=True)


def _sessions():
    """Eight sessions: a bot (v9) first, v1 starts on social then email, v6 has no channel."""
    return pd.DataFrame({
        "session_id": [f"s{i}" for i in range(8)],
        "visitor_id": ["v9", "v1", "v2", "v1", "v3", "v4", "v5", "v6"],
        "started_at": _times("2025-02-03 08:00", "2025-02-03 09:00", "2025-02-03 10:00",
                             "2025-02-04 09:00", "2025-02-04 11:00", "2025-02-05 12:00",
                             "2025-02-06 13:00", "2025-02-06 14:00"),
        "channel": ["email", "social", "email", "email", "email", "social", "email", None],
        "is_bot": [True, False, False, False, False, False, False, False],
    })


def _crm():
    """Leads: one bought at creation (v5), one created before the window (v3), one of the bot."""
    return pd.DataFrame({
        "lead_id": ["L1", "L2", "L3", "L4", "L5", "L9"],
        "visitor_id": ["v1", "v2", "v3", "v4", "v5", "v9"],
        "created_at": _times("2025-02-03 09:30", "2025-02-03 10:30", "2024-12-01 10:00",
                             "2025-02-05 12:30", "2025-02-06 13:30", "2025-02-03 08:30"),
        "stage": ["mql", "customer", "sql", "lead", "customer", "customer"],
        "became_customer_at": _times(None, "2025-02-10 10:00", None, None, "2025-02-06 13:30",
                                     "2025-02-04 10:00"),
    })


def _funnel_by_hand(sessions, leads, channel, remove_bots, window_only):
    start = sessions["started_at"].min()
    visits = sessions[~sessions["is_bot"]] if remove_bots else sessions
    first = visits.sort_values(["started_at", "session_id"]).drop_duplicates("visitor_id")
    if channel != "all":
        first = first[first["channel"].eq(channel).fillna(False).astype(bool)]
    ids = set(first["visitor_id"])
    mine = leads[[v in ids for v in leads["visitor_id"]]]
    if window_only:
        mine = mine[[t >= start for t in mine["created_at"]]]
    at_creation = [pd.notna(b) and b <= c for b, c in zip(mine["became_customer_at"],
                                                           mine["created_at"], strict=True)]
    skipped = sum(at_creation)
    kept = [s for s, a in zip(mine["stage"], at_creation, strict=True) if not a]
    return _pipeline_by_hand(kept, visitors=len(first)), skipped


def _check_funnel(sessions, leads, channel="all", remove_bots=True, window_only=True, **kwargs):
    got = pl.channel_funnel(sessions, leads, channel, remove_bots=remove_bots,
                            window_only=window_only, **kwargs)
    table, skipped = _funnel_by_hand(sessions, leads, channel, remove_bots, window_only)
    pd.testing.assert_frame_equal(got.table, table)
    assert (got.channel, got.remove_bots, got.window_only, got.skipped) == (
        channel, remove_bots, window_only, skipped)
    visitors, customers = int(table["reached"].iloc[0]), int(table["reached"].iloc[-1])
    assert (got.visitors, got.customers) == (visitors, customers)
    assert got.value == round(customers / visitors, 6) == round(got.overall, 6)
    assert got.mistakes == [text for text, on in (("bots counted as visitors", not remove_bots),
                                                  ("old leads counted as new", not window_only)) if on]
    return got


@pytest.mark.parametrize("channel", ["all", "email", "social"])
@pytest.mark.parametrize("remove_bots", [True, False])
@pytest.mark.parametrize("window_only", [True, False])
def test_channel_funnel_in_full(channel, remove_bots, window_only):
    got = _check_funnel(_sessions(), _crm(), channel, remove_bots, window_only)
    assert got.headline == (
        f"{got.customers / got.visitors:.1%} of {'all' if channel == 'all' else label(channel)} "
        f"visitors became customers ({got.customers:,} of {got.visitors:,})"
    )


def test_channel_funnel_defaults_follow_all_humans_and_new_leads_only():
    got = pl.channel_funnel(_sessions(), _crm())
    table, skipped = _funnel_by_hand(_sessions(), _crm(), "all", True, True)
    pd.testing.assert_frame_equal(got.table, table)
    assert (got.channel, got.remove_bots, got.window_only, got.skipped) == ("all", True, True, 1)
    # six human visitors (v6 without a channel included), v1, v2, v4 new leads to follow
    assert got.table["reached"].tolist()[:2] == [6, 3]


def test_channel_funnel_without_became_customer_at_skips_nobody():
    crm = _crm().drop(columns="became_customer_at")
    got = pl.channel_funnel(_sessions(), crm, "email", remove_bots=False, window_only=False)
    first = _sessions().sort_values("started_at").drop_duplicates("visitor_id")
    ids = set(first.loc[first["channel"].eq("email").fillna(False).astype(bool), "visitor_id"])
    want = _pipeline_by_hand([s for v, s in zip(crm["visitor_id"], crm["stage"], strict=True)
                              if v in ids], visitors=len(ids))
    pd.testing.assert_frame_equal(got.table, want)
    assert got.skipped == 0


def test_channel_funnel_on_one_session():
    one = _sessions().iloc[[1]]
    got = _check_funnel(one, _crm(), "social")
    assert got.visitors == 1 and got.customers == 0


def test_channel_funnel_labels_the_bots_itself_without_an_is_bot_column(kit):
    sessions, leads = kit.sessions, kit.leads
    from helpers import bots

    labelled = sessions.assign(is_bot=bots.label(sessions)["is_bot"].to_numpy())
    got = pl.channel_funnel(sessions, leads, "email")
    table, skipped = _funnel_by_hand(labelled, leads, "email", True, True)
    pd.testing.assert_frame_equal(got.table, table)
    assert got.skipped == skipped > 0


def test_channel_funnel_errors_say_the_whole_sentence():
    sessions, crm = _sessions(), _crm()
    naive = sessions.assign(started_at=sessions["started_at"].dt.tz_localize(None))
    naive_crm = crm.assign(created_at=crm["created_at"].dt.tz_localize(None))
    cases = [
        (lambda: pl.channel_funnel([1], crm), TypeError,
         "channel_funnel(): sessions must be a pandas DataFrame, got list."),
        (lambda: pl.channel_funnel(sessions, "crm.csv"), TypeError,
         "channel_funnel(): leads must be a pandas DataFrame, got str."),
        (lambda: pl.channel_funnel(sessions.drop(columns="channel"), crm), KeyError,
         "channel_funnel(): sessions has no column 'channel'. It has: session_id, visitor_id, "
         "started_at, is_bot. Rename it, or load it with helpers.data."),
        (lambda: pl.channel_funnel(sessions, crm.drop(columns="stage")), KeyError,
         "channel_funnel(): leads has no column 'stage'. It has: lead_id, visitor_id, created_at, "
         "became_customer_at. Rename it, or load it with helpers.data."),
        (lambda: pl.channel_funnel(naive, crm), ValueError,
         "channel_funnel(): sessions['started_at'] has times without a time zone; say which zone "
         "they are in, e.g. sessions['started_at'].dt.tz_localize('Europe/Paris'), or load the "
         "file with helpers.data and tz='Europe/Paris'."),
        (lambda: pl.channel_funnel(sessions, naive_crm), ValueError,
         "channel_funnel(): leads['created_at'] has times without a time zone; say which zone "
         "they are in, e.g. leads['created_at'].dt.tz_localize('Europe/Paris'), or load the "
         "file with helpers.data and tz='Europe/Paris'."),
        (lambda: pl.channel_funnel(sessions.iloc[:0], crm), ValueError,
         "channel_funnel(): sessions is empty; pass the sessions of the traffic window."),
        (lambda: pl.channel_funnel(sessions, crm, "tv"), ValueError,
         "channel_funnel(): no visitors came from channel 'tv'. Channels: email, social, or 'all'."),
        (lambda: pl.channel_funnel(sessions.assign(is_bot=["no"] * 8), crm), TypeError,
         "channel_funnel(): column 'is_bot' must be True/False (True for a bot session), but holds "
         "text such as 'no'; text is never read as a flag. Convert it explicitly, e.g. "
         "frame['is_bot'].map({'True': True, 'False': False}), or load the file with helpers.data. "
         "Pass bots.label(sessions), or drop the column to label them here."),
    ]
    _raise_exactly(cases)



# ----------------------------------------------------------------------- Capstone's figures


def _full_capstone(**changes):
    """A Capstone with hand-made leads, conversions per lead, qualified leads and cart."""
    leads = pd.DataFrame({
        "visitor_id": ["a", "b", "c", "d", None, "f", "g"],
        "source": ["form", "purchase", "newsletter", "form", "offline", "form", "form"],
        "new": [True, True, True, True, True, False, True],
    })
    per_lead = pd.DataFrame({"micro": [2, 0, 1, 0, 3], "macro": [0, 1, 1, 0, 2]},
                            index=pd.Index(["a", "b", "c", "d", "f"], name="visitor_id"))
    fields = dict(
        window=None, sessions=40, bot_sessions=6, audit=pd.DataFrame(), duplicates=0,
        human_events=pd.DataFrame(), leads=leads, visitors=_visitors(), per_lead=per_lead,
        qualified=pd.DataFrame({"qualified": [True, False, True, True]}),
        cart=pd.DataFrame({"step": ["add_to_cart", "purchase"], "people": [8, 3]}),
        confidence=0.9,
    )
    fields.update(changes)
    return pl.Capstone(**fields)


def test_capstone_figures_match_a_count_by_hand():
    results = _full_capstone()
    leads, per_lead = results.leads, results.per_lead
    follow = [v for v, s, new in zip(leads["visitor_id"], leads["source"], leads["new"], strict=True)
              if new and pd.notna(v) and s != "purchase"]
    macro = {v: int(per_lead["macro"].get(v, 0)) for v in follow}
    micro = {v: int(per_lead["micro"].get(v, 0)) for v in follow}
    assert results.bot_share == 6 / 40
    assert results.human_visitors == 12
    visitors = _visitors()
    assert results.lead_rate == conversions.rate(int(visitors["is_lead"].sum()), 12, 0.9, unit="visitors")
    assert results.purchase_rate == conversions.rate(int(visitors["bought"].sum()), 12, 0.9,
                                                     unit="visitors")
    new = [i for i, n in enumerate(leads["new"]) if n]
    pd.testing.assert_frame_equal(results.new_leads, leads.iloc[new])
    web = [i for i in new if pd.notna(leads["visitor_id"][i])]
    pd.testing.assert_frame_equal(results.new_web_leads, leads.iloc[web])
    pd.testing.assert_frame_equal(results.shop_buyers,
                                  leads.iloc[[i for i in web if leads["source"][i] == "purchase"]])
    assert results.leads_to_follow["visitor_id"].tolist() == follow
    assert results.lead_buy_rate == conversions.rate(
        sum(m > 0 for m in macro.values()), len(follow), 0.9, unit="leads")
    assert results.micro_only_share == sum(
        micro[v] > 0 and macro[v] == 0 for v in follow) / len(follow)
    pd.testing.assert_series_equal(
        results.conversions_by_kind,
        pd.Series({"micro": int(per_lead["micro"].sum()), "macro": int(per_lead["macro"].sum())}))
    assert results.qualified_rate == conversions.rate(3, 4, 0.9, unit="leads")
    assert results.cart_rate == conversions.rate(3, 8, 0.9, unit="people")


def test_capstone_figures_that_are_undefined_say_so():
    empty_cart = pd.DataFrame({"step": ["add_to_cart", "purchase"], "people": [0, 0]})
    results = _full_capstone(sessions=0, bot_sessions=0, qualified=pd.DataFrame({"qualified": []}),
                             cart=empty_cart, leads=pd.DataFrame({"visitor_id": ["b"],
                                                                  "source": ["purchase"],
                                                                  "new": [True]}))
    assert np.isnan(results.bot_share)
    assert results.qualified_rate is None and results.cart_rate is None
    assert results.micro_only_share == 0.0 and len(results.leads_to_follow) == 0
    assert _full_capstone(qualified=None, cart=None).qualified_rate is None
    assert _full_capstone(qualified=None, cart=None).cart_rate is None


# ----------------------------------------------------------------------- capstone_results' flags


@pytest.fixture(scope="module")
def month():
    from helpers import synth

    return synth.generate(synth.SynthConfig(seed=3, start="2025-03-03", visitors=150))


def test_capstone_results_counts_and_flags_match_a_count_by_hand(month):
    from helpers import bots

    sessions, events, crm = month.sessions, month.events, month.leads
    results = pl.capstone_results(sessions, events, crm, confidence=0.9)
    is_bot = bots.label(sessions)["is_bot"].to_numpy()  # the one definition of a bot session
    human_ids = set(sessions.loc[~is_bot, "session_id"])
    deduped = events.drop_duplicates()
    assert (results.sessions, results.bot_sessions, results.duplicates) == (
        len(sessions), int(is_bot.sum()), len(events) - len(deduped))
    human_events = deduped[deduped["session_id"].isin(human_ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(results.human_events, human_events)
    # one row per human visitor: channel and landing page of their first human session
    humans = sessions[~is_bot].sort_values(["started_at", "session_id"])
    first = humans.drop_duplicates("visitor_id")[["visitor_id", "channel", "landing_page"]]
    pd.testing.assert_frame_equal(results.visitors[["visitor_id", "channel", "landing_page"]],
                                  first.reset_index(drop=True))
    # a lead is new when its first contact is at or after the first session (bots included)
    start = sessions["started_at"].min()
    assert results.leads["new"].tolist() == [pd.notna(t) and t >= start
                                             for t in results.leads["first_at"]]
    bot_only = set(sessions["visitor_id"]) - set(sessions.loc[~is_bot, "visitor_id"])
    assert not set(results.leads["visitor_id"].dropna()) & bot_only
    new_ids = set(results.leads.loc[results.leads["new"], "visitor_id"].dropna())
    macro = set(conversions.CATALOGUE.macro)
    buyers = set(human_events.loc[human_events["event_name"].isin(macro), "visitor_id"])
    assert results.visitors["is_lead"].tolist() == [v in new_ids for v in first["visitor_id"]]
    assert results.visitors["bought"].tolist() == [v in buyers for v in first["visitor_id"]]
    assert results.visitors["is_lead"].dtype == bool and results.visitors["bought"].dtype == bool
    assert results.lead_rate == conversions.rate(len(new_ids & set(first["visitor_id"])),
                                                 len(first), 0.9, unit="visitors")
    assert 0 < results.lead_rate.conversions < len(first)  # the month has both kinds


def _capstone_by_hand(sessions, events, crm=None, *, rules=None, persona_list=None,
                      catalogue=None, confidence=0.95):
    """capstone_results' steps, one by one, each through its module's one definition."""
    from helpers import bots, personas, traffic

    labelled = bots.label(sessions) if rules is None else bots.label(sessions, rules)
    is_bot = labelled["is_bot"].to_numpy()
    humans = labelled[~is_bot]
    deduped = events.drop_duplicates()
    human_events = deduped[deduped["session_id"].isin(set(humans["session_id"]))].reset_index(drop=True)
    start = sessions["started_at"].min()
    bot_only = set(labelled["visitor_id"]) - set(humans["visitor_id"])
    found = ld.identify(human_events, crm)
    leads = found[np.array([v not in bot_only for v in found["visitor_id"]], dtype=bool)]
    leads = leads.reset_index(drop=True)
    if leads["first_at"].isna().all():  # no lead at all: the column keeps the events' time type
        leads["first_at"] = pd.Series(pd.NaT, index=leads.index, dtype=human_events["timestamp"].dtype)
    leads = leads.assign(new=np.array([pd.notna(t) and t >= start for t in leads["first_at"]],
                                      dtype=bool))
    catalogue = conversions.CATALOGUE if catalogue is None else catalogue
    per_lead = conversions.count(human_events, catalogue, leads=leads)
    keep = ["visitor_id", "channel"] + (["landing_page"] if "landing_page" in sessions else [])
    table = humans.sort_values(["started_at", "session_id"]).drop_duplicates("visitor_id")[keep]
    table = table.reset_index(drop=True)
    new = leads[leads["new"] & leads["visitor_id"].notna()]
    until = new.drop_duplicates("visitor_id").set_index("visitor_id")["first_at"]
    signals = personas.visitors(*personas.history_before(humans, human_events, until))
    left_out = ()
    if persona_list is None:  # a default persona needs every signal it uses, each topic read
        def observable(p):
            return all(c.signal in signals.columns and not (
                c.signal.startswith("reads_") and not signals[c.signal].fillna(False).astype(bool).any())
                for c in p.criteria)
        used = tuple(p for p in personas.DEFAULT_PERSONAS if observable(p))
        left_out = tuple(p.name for p in personas.DEFAULT_PERSONAS if not observable(p))
    elif isinstance(persona_list, personas.Persona):
        used = (persona_list,)
    else:
        used = tuple(persona_list)
    if used:
        assigned = personas.assign(signals, used)
        names = [p if isinstance(p, str) else "none"  # no behaviour before becoming a lead
                 for p in table["visitor_id"].map(assigned["persona"])]
        scores = table["visitor_id"].map(assigned["persona_score"]).astype(float)
    else:
        names, scores = ["none"] * len(table), pd.Series(np.nan, index=table.index)
    order = [p.name for p in used] + ["none"]
    table["persona"] = pd.Categorical(names, categories=order).remove_unused_categories()
    table["persona_score"] = scores.to_numpy()
    table["is_lead"] = table["visitor_id"].isin(set(new["visitor_id"])).to_numpy()
    buyers = human_events.loc[human_events["event_name"].isin(catalogue.macro), "visitor_id"]
    table["bought"] = table["visitor_id"].isin(set(buyers)).to_numpy()
    qualified = None
    if crm is not None and {"created_at", "email", "name"}.issubset(crm.columns):
        qualified = ld.qualify(crm[(crm["created_at"] >= start).to_numpy()],
                               bot_visitors=pd.Series(sorted(bot_only), dtype=object))
    names_seen = set(human_events["event_name"].astype(str))
    cart = (conversions.funnel(human_events, ["add_to_cart", "purchase"])
            if {"add_to_cart", "purchase"} <= names_seen else None)
    return dict(window=traffic.window(labelled), sessions=len(sessions),
                bot_sessions=int(is_bot.sum()), audit=bots.report(labelled),
                duplicates=len(events) - len(deduped), human_events=human_events, leads=leads,
                visitors=table, per_lead=per_lead, qualified=qualified, cart=cart,
                confidence=confidence, personas_left_out=left_out)


def _check_capstone(sessions, events, crm=None, **kwargs):
    got = pl.capstone_results(sessions, events, crm, **kwargs)
    want = _capstone_by_hand(sessions, events, crm, **kwargs)
    for name, value in want.items():
        mine = getattr(got, name)
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(mine, value, obj=name)
        else:
            assert mine == value, name
    return got


def test_capstone_results_in_full(month):
    got = _check_capstone(month.sessions, month.events, month.leads, confidence=0.9)
    assert got.qualified is not None and got.cart is not None and got.duplicates > 0


def test_capstone_results_in_full_with_defaults_and_without_a_crm(month):
    got = _check_capstone(month.sessions, month.events)
    assert got.confidence == 0.95 and got.qualified is None


def test_capstone_results_in_full_with_bot_rules_personas_and_a_catalogue(month):
    from helpers import bots, personas

    rules = bots.BotRules.ua_only()
    default = pl.capstone_results(month.sessions, month.events, month.leads)
    got = _check_capstone(month.sessions, month.events, month.leads, rules=rules)
    assert got.bot_sessions < default.bot_sessions  # the behaviour rules are off
    one = personas.DEFAULT_PERSONAS[1]
    got = _check_capstone(month.sessions, month.events, month.leads, persona_list=one)
    assert list(got.visitors["persona"].cat.categories) in ([one.name, "none"], ["none"], [one.name])
    _check_capstone(month.sessions, month.events, month.leads,
                    persona_list=list(reversed(personas.DEFAULT_PERSONAS)))
    nobody = _check_capstone(month.sessions, month.events, month.leads, persona_list=[])
    assert nobody.visitors["persona_score"].isna().all()
    shop = conversions.catalogue(add_to_cart="macro")
    got = _check_capstone(month.sessions, month.events, month.leads, catalogue=shop)
    assert got.visitors["bought"].sum() > default.visitors["bought"].sum()


def test_capstone_results_without_optional_columns_and_events(month):
    sessions, events, crm = month.sessions, month.events, month.leads
    # an event's visitor is its session's when the events have no visitor_id
    bare = pl.capstone_results(sessions, events.drop(columns="visitor_id"), crm)
    full = pl.capstone_results(sessions, events, crm)
    pd.testing.assert_frame_equal(bare.visitors, full.visitors)
    pd.testing.assert_frame_equal(bare.leads, full.leads)
    pd.testing.assert_frame_equal(bare.per_lead, full.per_lead)
    pd.testing.assert_frame_equal(bare.human_events, full.human_events[bare.human_events.columns])
    # no landing page, no email/name in the CRM, no cart events
    with pytest.warns(UserWarning, match="rule 'schedule' skipped"):
        _check_capstone(sessions.drop(columns="landing_page"), events, crm)
    got = _check_capstone(sessions, events, crm.drop(columns=["email"]))
    assert got.qualified is None
    no_cart = events[events["event_name"].ne("add_to_cart")]
    assert _check_capstone(sessions, no_cart, crm).cart is None
    # only the cart's two events: the cart is still followed; personas defined by topics
    # nobody read are left out
    cart_only = events[events["event_name"].isin(["add_to_cart", "purchase"])]
    got = _check_capstone(sessions, cart_only, crm)
    assert got.cart is not None and got.personas_left_out


def test_capstone_results_keeps_the_events_own_visitor_ids(month):
    # an analytics export that stitched devices: the event's visitor is not its session's
    events = month.events.copy()
    lead_rows = events.index[events["event_name"].eq("newsletter_signup")][:3]
    events.loc[lead_rows, "visitor_id"] = ["x1", "x2", "x3"]
    got = _check_capstone(month.sessions, events, month.leads)
    assert {"x1", "x2", "x3"} <= set(got.human_events["visitor_id"])


def test_capstone_results_with_two_new_leads_for_one_visitor_and_a_lead_before_any_visit(month):
    sessions, crm = month.sessions, month.leads
    start = sessions["started_at"].min()
    humans = sessions[~bots_label(sessions)]
    # a visitor whose CRM lead was created at the window's start, before their first visit
    late = humans.groupby("visitor_id")["started_at"].min().sort_values().index[-1]
    early = crm.iloc[[0]].assign(lead_id="LX1", visitor_id=late, created_at=start)
    # a second, later lead for a visitor who already has a new one
    new = crm[(crm["created_at"] >= start) & crm["visitor_id"].isin(set(humans["visitor_id"]))]
    again = new.iloc[[0]].assign(lead_id="LX2", created_at=new["created_at"].iloc[0] + pd.Timedelta("1D"))
    got = _check_capstone(sessions, month.events, pd.concat([crm, early, again], ignore_index=True))
    row = got.visitors.set_index("visitor_id").loc[late]
    assert row["persona"] == "none" and np.isnan(row["persona_score"]) and row["is_lead"]


def bots_label(sessions):
    from helpers import bots

    return bots.label(sessions)["is_bot"].to_numpy()


def test_capstone_results_without_any_lead_keeps_the_time_type(month):
    events = month.events[month.events["event_name"].eq("page_view")]
    got = _check_capstone(month.sessions, events)
    assert len(got.leads) == 0 and got.leads["first_at"].dtype == events["timestamp"].dtype


def test_capstone_results_errors_say_the_whole_sentence(month):
    sessions, events, crm = month.sessions, month.events, month.leads
    cases = [
        (lambda: pl.capstone_results([1], events), TypeError,
         "capstone_results(): sessions must be a pandas DataFrame, got list."),
        (lambda: pl.capstone_results(sessions, "events.csv"), TypeError,
         "capstone_results(): events must be a pandas DataFrame, got str."),
        (lambda: pl.capstone_results(sessions[["session_id", "visitor_id", "started_at"]], events),
         KeyError,
         "capstone_results(): sessions has no column 'channel'. It has: session_id, visitor_id, "
         "started_at. Rename it, or load it with helpers.data."),
        (lambda: pl.capstone_results(sessions, events[["session_id", "visitor_id", "timestamp"]]),
         KeyError,
         "capstone_results(): events has no column 'event_name'. It has: session_id, visitor_id, "
         "timestamp. Rename it, or load it with helpers.data."),
    ]
    _raise_exactly(cases)
    with pytest.raises(KeyError, match=r"capstone_results\(\): crm has no column 'created_at'"):
        pl.capstone_results(sessions, events, crm.drop(columns="created_at"))

"""Bad input (issue 14): the matrix of ``tests/bad_input_matrix.py`` and one regression test per
case fixed. The matrix's counts before and after are in ``tests/BAD_INPUT.md``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import conversions, leads, personas, traffic
from helpers._frames import need_flags, need_unique, need_zone
from tests import bad_input_matrix as bim

# Issue 14's goal, met: 0 silently wrong, 0 silent drops, 0 unclear errors (<= 2% asked).
# The counts before and after are in tests/BAD_INPUT.md.
CEILING = {"silently wrong": 0, "silent drop": 0, "unclear error": 0}

# Cases this branch fixed: each must stay a correct result or a clear error.
FIXED = [
    ("conversions.rate_table", "duplicated"),
    ("leads.pipeline", "duplicated"),
    ("leads.qualify_report", "duplicated"),
    ("leads.qualify_report", "bool_text"),
    ("leads.qualify_report", "wrong_dtype"),
    ("personas.visitors", "duplicated"),
    ("personas.visitors", "bool_text"),
    ("personas.visitors", "naive_time"),
    ("personas.visitors", "aware_time"),
    ("traffic.bot_visitors", "bool_text"),
    ("lag.lag_curve", "naive_time"),
    ("lag.conversion_lag", "naive_time"),
    ("lag.conversion_lag", "aware_time"),
    ("lag.bought_at_creation", "naive_time"),
    ("leads.identify", "naive_time"),
    ("traffic.window_leads", "naive_time"),
    ("traffic.window", "naive_time"),
    ("traffic.window", "aware_time"),
    ("pipeline.analysis_set", "naive_time"),
    ("pipeline.channel_funnel", "naive_time"),
    ("pipeline.scored_leads", "naive_time"),
    ("conversions.catalogue_counts", "naive_time"),
    ("bots.label", "naive_time"),
    ("bots.filter", "arrow"),
    ("leads.score_thresholds", "wrong_dtype"),
    ("leads.pipeline", "empty"),
    ("conversions.offered_events", "missing_column"),
    ("bots.report", "duplicated"),
    ("bots.evaluate", "empty"),
    ("bot_thresholds.inputs", "duplicated"),
    ("bot_thresholds.tradeoff", "empty"),
    ("lag.lag_curve", "duplicated"),
    ("leads.score_threshold", "duplicated"),
    ("money.channel_returns", "duplicated"),
    ("money.channel_returns", "impossible"),
    ("money.channel_returns", "nan"),
    ("traffic.traffic_mix", "duplicated"),
    ("traffic.human_events_and_leads", "empty"),
    ("plots.bar_shares", "nan"),
    ("plots.bar_shares", "impossible"),
    ("plots.confusion", "nan"),
    ("plots.bot_reasons", "numbers_as_text"),
    ("plots.rates_with_intervals", "missing_column"),
    ("plots.daily_sessions", "naive_time"),
]


@pytest.fixture(scope="module")
def matrix():
    return bim.matrix()


def test_every_public_function_is_in_the_matrix_or_says_why_not():
    public = set(bim.public_functions())
    specs, skipped = set(bim._spec_table()), set(bim.NOT_APPLICABLE)
    assert public - specs - skipped == set(), "add a Spec or a NOT_APPLICABLE reason"
    assert (specs | skipped) - public == set(), "a listed function is no longer public"
    assert specs & skipped == set()


def test_the_matrix_has_no_silent_or_unclear_case(matrix):
    tally = bim.counts(matrix)
    assert "spec error" not in tally, [r for r in matrix if r[2] == "spec error"]
    for outcome, ceiling in CEILING.items():
        assert tally[outcome] <= ceiling, (outcome, [r for r in matrix if r[2] == outcome])


@pytest.mark.parametrize(("func", "case"), FIXED)
def test_fixed_cases_stay_fixed(matrix, func, case):
    outcome = {(f, c): (o, d) for f, c, o, d in matrix}[(func, case)]
    assert outcome[0] in ("correct", "clear error"), outcome


def test_the_judge_tells_a_clear_error_from_an_unclear_one():
    assert bim.clear(ValueError("rate_table(): column 'x' is empty; drop it."), "c.rate_table", "x")
    assert not bim.clear(ValueError("cannot reindex on an axis with duplicate labels"), "c.f", None)
    assert not bim.clear(ValueError("rate_table(): bad."), "c.rate_table", "x")
    assert not bim.clear(AttributeError("rate_table(): column 'x'; drop it."), "c.rate_table", "x")


def test_the_judge_ignores_row_order_and_index_only():
    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    assert bim._norm(a) == bim._norm(a.iloc[::-1].set_axis(["p", "q"]))
    assert bim._norm(a) != bim._norm(a.assign(x=[1, 3]))


# --------------------------------------------------------------------------- the shared rules


def test_need_flags_refuses_text_and_names_the_fix():
    frame = pd.DataFrame({"won": ["True", "False"]})
    with pytest.raises(TypeError, match=r"f\(\): column 'won'.*text such as 'True'.*map\("):
        need_flags("f", frame, "won", "True for a win", "")
    for values in (["yes", "no"], pd.array(["True", "False"], dtype="string")):
        with pytest.raises(TypeError, match="text"):
            need_flags("f", pd.DataFrame({"won": values}), "won", "True for a win", "")


def test_need_flags_accepts_booleans_in_any_dtype():
    want = [True, False, True]
    for values in (want, pd.array(want, dtype="boolean"), [1, 0, 1], np.array(want, dtype=object)):
        assert need_flags("f", pd.DataFrame({"w": values}), "w", "m", "").tolist() == want
    arrow = pd.DataFrame({"w": want}).convert_dtypes(dtype_backend="pyarrow")
    assert need_flags("f", arrow, "w", "m", "").tolist() == want
    with pytest.raises(ValueError, match="missing"):
        need_flags("f", pd.DataFrame({"w": pd.array([True, None], dtype="boolean")}), "w", "m", "")


def test_need_unique_lists_the_duplicated_ids():
    frame = pd.DataFrame({"lead_id": ["a", "b", "a", None, None]})
    with pytest.raises(ValueError, match=r"g\(\): leads has 1 lead_id.*\['a'\].*drop_duplicates"):
        need_unique("g", "leads", frame, "lead_id")
    need_unique("g", "leads", frame.iloc[[0, 1, 3, 4]], "lead_id")  # missing ids are not units


def test_need_zone_refuses_naive_times_and_converts_zoned_ones():
    naive = pd.Series(pd.to_datetime(["2025-01-01 10:00"]))
    with pytest.raises(ValueError, match=r"h\(\): s\['t'\] has times without a time zone.*tz="):
        need_zone("h", "s", naive, "t")
    zoned = need_zone("h", "s", naive.dt.tz_localize("Asia/Tokyo"), "t")
    assert zoned.dt.hour.tolist() == [1] and str(zoned.dt.tz) == "UTC"
    with pytest.raises(TypeError, match="pd.to_datetime"):
        need_zone("h", "s", pd.Series([1.5]), "t")


# --------------------------------------------------------------------------- regressions


def test_rate_table_refuses_a_duplicated_unit(kit):
    frame = kit.sessions.head(200).assign(converted=lambda d: d["pageviews"] > 2)
    clean = conversions.rate_table(frame, "channel")
    with pytest.raises(ValueError, match=r"rate_table\(\): frame has 5 session_id.*s0000001"):
        conversions.rate_table(pd.concat([frame, frame.head(5)]), "channel")
    # an explicit unit that is a column is the id checked
    with pytest.raises(ValueError, match="visitor_id"):
        conversions.rate_table(kit.sessions.assign(converted=True), "channel", unit="visitor_id")
    assert clean.iloc[-1]["sessions"] == 200


def test_leads_pipeline_and_qualify_report_refuse_duplicated_leads(kit):
    crm = kit.leads.head(300)
    twice = pd.concat([crm, crm.head(4)])
    with pytest.raises(ValueError, match=r"pipeline\(\): leads has 4 lead_id"):
        leads.pipeline(twice)
    with pytest.raises(ValueError, match=r"qualify_report\(\): qualified has 4 lead_id"):
        leads.qualify_report(leads.qualify(twice))


def test_qualify_report_reads_text_flags_never_as_true(kit):
    qualified = leads.qualify(kit.leads.head(300))
    with pytest.raises(TypeError, match=r"qualify_report\(\): column 'qualified'.*text"):
        leads.qualify_report(qualified.assign(qualified=qualified["qualified"].astype(str)))


def test_qualify_report_does_not_depend_on_the_index(kit):
    qualified = leads.qualify(kit.leads.head(300)).drop(columns="lead_id")
    clean = leads.qualify_report(qualified)
    repeated = qualified.set_axis([0] * len(qualified))  # e.g. a concat of two exports
    pd.testing.assert_frame_equal(leads.qualify_report(repeated), clean)


def test_personas_visitors_checks_units_flags_and_zones(kit):
    s = kit.sessions.head(300)
    clean = personas.visitors(s)
    with pytest.raises(ValueError, match=r"visitors\(\): sessions has 3 session_id"):
        personas.visitors(pd.concat([s, s.head(3)]))
    with pytest.raises(TypeError, match=r"visitors\(\): column 'is_returning'.*text"):
        personas.visitors(s.assign(is_returning=s["is_returning"].astype(str)))
    with pytest.raises(ValueError, match=r"visitors\(\): sessions\['started_at'\].*time zone"):
        personas.visitors(s.assign(started_at=s["started_at"].dt.tz_localize(None)))
    tokyo = personas.visitors(s.assign(started_at=s["started_at"].dt.tz_convert("Asia/Tokyo")))
    pd.testing.assert_frame_equal(tokyo, clean)  # hours are read in UTC, as documented


def test_match_persona_reads_visitor_id_from_a_column(kit):
    people = personas.visitors(kit.sessions.head(2000), kit.events.head(8000))
    indexed = personas.match_persona(people, kit.answer_key)
    as_column = personas.match_persona(people.reset_index(), kit.answer_key)
    assert as_column == indexed and indexed.all_buyers > 0
    with pytest.raises(ValueError, match=r"match_persona\(\): no visitor of visitors is in truth"):
        personas.match_persona(people.reset_index(drop=True), kit.answer_key)


def test_personas_evaluate_refuses_an_answer_key_without_personas(kit):
    people = personas.visitors(kit.sessions.head(500), kit.events.head(2000))
    assigned = personas.assign(people)
    with pytest.raises(ValueError, match=r"evaluate\(\): answer_key has no 'persona' label"):
        personas.evaluate(assigned, kit.answer_key.assign(persona=None))


def test_bot_flags_as_text_are_refused(kit):
    from helpers import bots

    labelled = bots.label(kit.sessions.head(300))
    text = labelled.assign(is_bot=labelled["is_bot"].astype(str))
    with pytest.raises(TypeError, match=r"bot_visitors\(\): column 'is_bot'.*text"):
        traffic.bot_visitors(text)
    with pytest.raises(TypeError, match=r"human_events\(\): column 'is_bot'.*text"):
        traffic.human_events(kit.events.head(100), text)


def test_naive_times_are_refused_everywhere_a_zone_matters(kit):
    from helpers import bots, lag, pipeline

    crm = kit.leads.head(200)
    naive = crm.assign(created_at=crm["created_at"].dt.tz_localize(None))
    for call in (lambda: lag.lag_curve(naive), lambda: lag.bought_at_creation(naive),
                 lambda: leads.identify(kit.events.head(300), naive),
                 lambda: pipeline.analysis_set(naive, kit.sessions.head(300))):
        with pytest.raises(ValueError, match=r"\(\): (leads|crm)\['created_at'\] has times without a time zone.*tz"):
            call()
    s = kit.sessions.head(300)
    with pytest.raises(ValueError, match=r"label\(\): sessions\['started_at'\].*time zone"):
        bots.label(s.assign(started_at=s["started_at"].dt.tz_localize(None)))


def test_times_in_any_zone_give_the_same_answer(kit):
    from helpers import lag

    crm = kit.leads.head(400)
    paris = crm.assign(created_at=crm["created_at"].dt.tz_convert("Europe/Paris"),
                       became_customer_at=crm["became_customer_at"].dt.tz_convert("Asia/Tokyo"))
    pd.testing.assert_frame_equal(lag.conversion_lag(paris, "2023-01-01", "2024-01-01"),
                                  lag.conversion_lag(crm, "2023-01-01", "2024-01-01"))
    s = kit.sessions.head(300)
    assert traffic.window(s.assign(started_at=s["started_at"].dt.tz_convert("America/New_York"))) \
        == traffic.window(s)


def test_arrow_times_are_read(kit):
    from helpers import bots

    s = kit.sessions.head(300)
    arrow = s.convert_dtypes(dtype_backend="pyarrow")
    assert bots.filter(arrow)["session_id"].astype(str).tolist() == \
        bots.filter(s)["session_id"].astype(str).tolist()


def test_score_cuts_refuse_times_as_scores(kit):
    scored = kit.leads.head(50).assign(score=kit.leads.head(50)["created_at"], is_customer=False)
    with pytest.raises(TypeError, match=r"score_thresholds\(\): column 'score' must hold numbers"):
        leads.score_thresholds(scored)


def test_confusion_reads_the_table_by_label_not_position(kit):
    from helpers import bots, plots

    table = bots.evaluate(bots.label(kit.sessions.head(2000)), kit.answer_key).confusion
    title = plots.confusion(table).get_title()
    assert plots.confusion(table.iloc[::-1]).get_title() == title
    assert plots.confusion(table.iloc[::-1, ::-1]).get_title() == title
    assert "catches 0%" not in title


def test_charts_refuse_nan_and_shares_out_of_range():
    from helpers import plots

    with pytest.raises(ValueError, match=r"bar_shares\(\): shares has 1 missing value"):
        plots.bar_shares(pd.Series({"email": 0.2, "social": np.nan}))
    with pytest.raises(ValueError, match=r"bar_shares\(\): shares must be between 0 and 1, got 1.7"):
        plots.bar_shares(pd.Series({"email": 1.7}))
    table = pd.DataFrame({"channel": ["a", "b"], "rate": [0.3, np.nan], "low": [0.2, 0.1],
                          "high": [0.4, 0.2]})
    with pytest.raises(ValueError, match=r"rates_with_intervals\(\).*missing value"):
        plots.rates_with_intervals(table)
    with pytest.raises(ValueError, match=r"rates_with_intervals\(\).*between 0 and 1, got 1.7"):
        plots.rates_with_intervals(table.assign(rate=[0.3, 1.7], high=[0.4, 1.8]))
    report = pd.DataFrame({"sessions": [10, np.nan]}, index=["ua:list", "total"])
    with pytest.raises(ValueError, match=r"bot_reasons\(\).*missing value"):
        plots.bot_reasons(report)


def test_spend_is_checked_before_it_is_summed(kit):
    from helpers import money

    spend = money.load_spend()
    leads_ = kit.leads.assign(is_customer=kit.leads["stage"].eq("customer"))
    with pytest.raises(ValueError, match=r"channel_returns\(\): spend has 1 date and channel"):
        money.channel_returns(pd.concat([spend, spend.head(1)]), kit.sessions, leads_)
    with pytest.raises(ValueError, match=r"channel_returns\(\): spend has 1 row\(s\) with a negative"):
        money.channel_returns(spend.assign(spend=[-1.0] + [1.0] * (len(spend) - 1)), kit.sessions, leads_)


def test_persona_signals_must_be_flags_and_shares(kit):
    people = personas.visitors(kit.sessions.head(800), kit.events.head(3000))
    text = people.assign(reads_office=people["reads_office"].astype(str))
    with pytest.raises(TypeError, match=r"Criterion\(\): column 'reads_office'.*text"):
        personas.assign(text)
    with pytest.raises(ValueError, match=r"score\(\): visitors\['office_hours_share'\] must hold shares"):
        personas.assign(people.assign(office_hours_share=people["office_hours_share"] * 100))
    with pytest.raises(ValueError, match=r"match_persona\(\): visitors has 2 visitor_id"):
        personas.match_persona(pd.concat([people, people.head(2)]), kit.answer_key)
    with pytest.raises(ValueError, match=r"profile\(\): frame has 2 visitor_id"):
        assigned = personas.assign(people)
        personas.profile(pd.concat([assigned, assigned.head(2)]))


def test_segments_and_the_leader_do_not_depend_on_row_order(kit):
    from helpers import claims

    people = personas.visitors(kit.sessions.head(800))
    features = ["mobile_share", "evening_share"]
    clean = personas.segments(people, 3, features)
    shuffled = personas.segments(people.sample(frac=1.0, random_state=3), 3, features)
    assert shuffled.reindex(clean.index).equals(clean)
    table = conversions.rate_table(
        kit.sessions.head(3000).assign(converted=lambda d: d["pageviews"] > 3), "channel", total=False)
    assert claims.leader(table.iloc[::-1]).headline == claims.leader(table).headline


def test_other_checks_name_the_column(kit):
    from helpers import bots, lag

    s = kit.sessions.head(200)
    with pytest.raises(ValueError, match=r"label\(\): column 'duration_s' has 1 negative"):
        bots.label(s.assign(duration_s=[-1.0] + [1.0] * (len(s) - 1)))
    with pytest.raises(TypeError, match=r"label\(\): column 'duration_s' must hold numbers"):
        bots.label(s.assign(duration_s=s["started_at"]))
    with pytest.raises(ValueError, match=r"first_touch\(\): sessions has 1 session"):
        traffic.first_touch(s.assign(started_at=s["started_at"].where(s.index > 0)))
    with pytest.raises(ValueError, match=r"window\(\): sessions has 1 session"):
        traffic.window(s.assign(started_at=s["started_at"].where(s.index > 0)))
    crm = kit.leads.head(100)
    with pytest.raises(ValueError, match=r"lag_curve\(\): leads has 1 lead\(s\) without created_at"):
        lag.lag_curve(crm.assign(created_at=crm["created_at"].where(crm.index > 0)))
    with pytest.raises(ValueError, match=r"score\(\): leads has 1 negative company_size"):
        leads.score(crm.assign(company_size=pd.array([-5] + [10] * (len(crm) - 1), dtype="Int64")),
                    events=kit.events.head(100))
    with pytest.raises(TypeError, match=r"engagement\(\): column 'page' must hold page paths"):
        leads.engagement(kit.events.head(100).assign(page=1.5))
    with pytest.raises(TypeError, match=r"visitor_segments\(\): column 'segment'"):
        traffic.visitor_segments(kit.answer_key.head(100).assign(segment=1.5))
    labelled = bots.label(s)
    with pytest.raises(ValueError, match=r"human_events\(\): no event's session_id is in labelled"):
        traffic.human_events(kit.events.head(100).assign(session_id="nobody"), labelled)


def test_histograms_refuse_text_flags():
    from helpers import plots

    scores = pd.Series([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"score_hist\(\): column 'truth'.*text"):
        plots.score_hist(scores, truth=pd.Series(["True", "False", "False"]))
    with pytest.raises(TypeError, match=r"lead_score_hist\(\): column 'is_customer'.*text"):
        plots.lead_score_hist(scores, pd.Series(["False", "True", "False"]))
    assert plots.lead_score_hist(scores, pd.Series([False, True, False])) is not None

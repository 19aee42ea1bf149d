"""Tests of helpers.leads on small hand-made frames (expected values counted by hand)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import leads as ld
from helpers.conversions import rate

T = pd.Timestamp("2025-02-01", tz="UTC")


def _events():
    rows = [
        ("v1", "s1", "page_view", "/pricing", 0), ("v1", "s1", "contact_form", "/contact", 3),
        ("v1", "s2", "guide_download", "/guide", 60), ("v2", "s3", "page_view", "/blog/x", 1),
        ("v2", "s3", "blog_comment", "/blog/x", 2), ("v3", "s4", "newsletter_signup", "/newsletter", 5),
        ("v3", "s5", "page_view", "/wholesale", 90), ("v3", "s6", "page_view", "/", 95),
        ("v3", "s7", "page_view", "/", 99),
    ]
    return pd.DataFrame({
        "visitor_id": [r[0] for r in rows], "session_id": [r[1] for r in rows],
        "event_name": [r[2] for r in rows], "page": [r[3] for r in rows],
        "timestamp": [T + pd.Timedelta(minutes=r[4]) for r in rows],
    })


def _crm():
    return pd.DataFrame({
        "lead_id": ["L1", "L2", "L3", "L4", "L5"],
        "visitor_id": ["v1", "v3", None, "v9", "v8"],
        "created_at": [T + pd.Timedelta(minutes=m) for m in (3, 5, 500, -9000, 7)],
        "lead_source": ["contact_form", "newsletter_signup", "trade_show", "purchase", "contact_form"],
        "name": ["Ada Byron", "Test Test", "Lin Wu", "", "SEO Services"],
        "email": ["ada@example.com", "bo@@example.org", "lin@example.net", "zz@tempmail.example",
                  "k3j4h5g6@throwaway.example"],
        "phone": ["+44 20", None, "+44 21", None, None],
        "company": ["Acme", None, "Café X", None, None],
        "company_size": pd.array([40, None, 8, None, None], dtype="Int64"),
        "industry": ["legal", None, "hospitality", None, None],
        "country": ["DE", "US", "NL", None, "DE"],
        "stage": ["customer", "mql", "sql", "disqualified", "lead"],
        "became_customer_at": [T, None, None, None, None],
        "first_order_value": [120.0, None, None, None, None],
    })


def test_identify_web_only():
    out = ld.identify(_events())
    # v2 only commented: not a lead. v1's first lead event is the contact form.
    assert out.visitor_id.tolist() == ["v1", "v3"]
    assert out.first_event.tolist() == ["contact_form", "newsletter_signup"]
    assert out.first_at.iloc[0] == T + pd.Timedelta(minutes=3)


def test_identify_with_crm_adds_offline_and_old_leads():
    crm = _crm()
    out = ld.identify(_events(), crm)
    assert len(out) == 5  # v1 and v3 (web and CRM), trade show L3, v9 (old), v8 (CRM only)
    assert set(out.lead_id.dropna()) == {"L1", "L2", "L3", "L4", "L5"}
    offline = out[out.lead_id == "L3"].iloc[0]
    assert pd.isna(offline.visitor_id) and offline.source == "trade_show" and not offline.in_events
    assert out.loc[out.visitor_id == "v1", "in_crm"].item()
    pd.testing.assert_frame_equal(crm, _crm())  # not mutated
    with pytest.raises(KeyError, match="identify\\(\\): events has no column 'timestamp'"):
        ld.identify(_events().drop(columns="timestamp"))


def test_qualify_reasons_by_hand():
    q = ld.qualify(_crm(), bot_visitors={"v8"})
    reasons = dict(zip(q.lead_id, q.reasons, strict=True))
    assert reasons["L1"] == ""
    assert reasons["L2"] == "invalid_email; junk_name"
    assert reasons["L4"] == "disposable_email; missing_name"
    assert reasons["L5"] == "disposable_email; junk_name; created_by_bot"
    assert q.qualified.tolist() == [True, False, True, False, False]
    market = ld.qualify(_crm(), dataclasses.replace(ld.QualifyRules(), target_countries={"DE", "NL"}))
    assert "outside_target_market" in market.set_index("lead_id").reasons["L2"]
    assert market.set_index("lead_id").reasons["L4"].count("outside") == 0  # missing country is not held against
    with pytest.raises(KeyError, match="qualify\\(\\): leads has no column 'email'"):
        ld.qualify(_crm().drop(columns="email"))


def test_qualify_refuses_country_names_judged_against_codes():
    """qualify(target_countries={"IN"}) on "India" flagged every such lead as outside the
    market without a word; it now stops with the mapping that fixes it."""
    crm = _crm().assign(country=["India", "India", "Germany", None, "Germany"])
    with pytest.raises(ValueError, match=r"qualify\(\): leads' country holds country names "
                                         r"\('India', 'Germany'\).*mapping=\{'country': "
                                         r"'country_names'\}"):
        ld.qualify(crm, ld.QualifyRules(target_countries={"IN"}))
    # the names the file uses as the market, or codes after mapping, judge every lead
    by_name = ld.qualify(crm, ld.QualifyRules(target_countries={"India"}))
    outside = by_name["reasons"].str.contains("outside_target_market").tolist()
    assert outside == [False, False, True, False, True]
    coded = crm.assign(country=crm["country"].replace({"India": "IN", "Germany": "DE"}))
    by_code = ld.qualify(coded, ld.QualifyRules(target_countries={"IN"}))
    assert by_code["reasons"].str.contains("outside_target_market").tolist() == outside


@given(st.lists(st.tuples(st.sampled_from(["a@example.com", "bad", None, "x@tempmail.example", "test@example.org"]),
                          st.sampled_from(["Ada", "", None, "asdf"])), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_qualify_never_drops_rows(rows):
    crm = pd.DataFrame(rows, columns=["email", "name"])
    q = ld.qualify(crm)
    rep = ld.qualify_report(q)
    assert len(q) == len(crm)
    assert rep.loc["kept", "leads"] + rep.loc["removed (any reason)", "leads"] == rep.loc["total", "leads"] == len(crm)
    assert (q.qualified == q.reasons.eq("")).all()


def test_score_points_by_hand_and_explain():
    crm, ev = _crm(), _events()
    s = ld.score(crm, events=ev).set_index("lead_id")
    # L1: 10-500 people 15 + office industry 10 + phone 5 + company 5 = 35 fit;
    #     pricing 15 + contact form 20 = 35 engagement (2 sessions, not 3+)
    assert s.loc["L1", "fit_points"] == 35 and s.loc["L1", "engagement_points"] == 35
    # L2 (v3): wholesale 10 + 4 sessions 10
    assert s.loc["L2", "engagement_points"] == 20 and s.loc["L2", "fit_points"] == 0
    # L3: small business 5 + hospitality 15 + phone 5 + company 5; offline so no engagement
    assert s.loc["L3", "score"] == 30
    ex = ld.explain(crm, "L1", events=ev)
    assert ex.points.sum() == s.loc["L1", "score"]
    assert "visited pricing" in s.loc["L1", "score_reasons"]


def test_score_refuses_leakage():
    rule = ld.ScoreRule("was a customer", "stage", 100, values=("customer",))
    with pytest.raises(ValueError, match="leakage"):
        ld.score(_crm(), [rule])
    with pytest.warns(UserWarning, match="leakage"):
        out = ld.score(_crm(), [rule], allow_leakage=True)
    assert out.score.tolist() == [100, 0, 0, 0, 0]
    with pytest.raises(KeyError, match="pass events=events"):
        ld.score(_crm())
    with pytest.raises(ValueError, match="finite"):
        ld.ScoreRule("x", "company_size", float("inf"))


def test_pipeline_cumulative_reach_and_rates():
    crm = pd.DataFrame({"stage": ["lead"] * 6 + ["mql"] * 4 + ["sql"] * 2 + ["customer"] * 3 + ["disqualified"] * 5})
    p = ld.pipeline(crm)
    assert p.stage.tolist() == ["lead", "mql", "sql", "customer"]
    assert p.reached.tolist() == [20, 9, 5, 3]
    assert p.rate.iloc[2] == rate(5, 9, unit="MQLs")
    assert (np.diff(p.reached) <= 0).all()
    ex = ld.pipeline(crm, disqualified="exclude")
    assert ex.reached.tolist() == [15, 9, 5, 3]
    full = ld.pipeline(crm, visitors=200)
    assert full.stage.iloc[0] == "visitor" and full.rate_value.iloc[1] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="not stages: 'won'"):
        ld.pipeline(pd.DataFrame({"stage": ["lead", "won"]}))
    with pytest.raises(ValueError, match="at least the number of leads"):
        ld.pipeline(crm, visitors=3)


def test_pipeline_with_a_stage_nobody_reached_gives_undefined_rates_not_an_error():
    import math

    import pandas as pd

    from helpers import leads as lds

    table = lds.pipeline(pd.DataFrame({"stage": ["lead", "lead", "disqualified"]}))
    assert table["reached"].tolist() == [3, 0, 0, 0]
    assert table.loc[1, "rate_value"] == 0.0  # 0 of 3 reached MQL: a proper rate
    assert math.isnan(table.loc[2, "rate_value"]) and table.loc[2, "rate"] is None


def test_junk_patterns_with_backreferences_work_on_arrow_backed_text():
    # pyarrow's regex engine (RE2) has no backreferences: "^(.)\1{3,}$" must still run
    pyarrow = pytest.importorskip("pyarrow")
    from helpers._frames import contains

    names = pd.Series(["aaaa", "Ana", None], dtype=pd.ArrowDtype(pyarrow.string()))
    assert contains(names, r"^(.)\1{3,}$").tolist() == [True, False, False]


def test_pipeline_on_a_converted_flag_reports_unknown_stages_and_invents_none():
    flag_only = pd.DataFrame({"stage": ["customer"] * 3 + ["unknown"] * 9 + ["disqualified"] * 3})
    table = ld.pipeline(flag_only, visitors=100).set_index("stage")
    assert table.loc["lead", "reached"] == 15 and table.loc["lead", "unknown"] == 9
    assert table.loc[["mql", "sql"], "reached"].isna().all()
    assert table.loc[["mql", "sql"], "rate"].isna().all()
    customer = table.loc["customer", "rate"]
    assert (customer.conversions, customer.denominator, customer.unit) == (3, 15, "leads")
    assert table.loc["lead", "rate"].denominator == 100  # visitor -> lead still measured
    assert table.loc["customer", "overall"] == pytest.approx(3 / 100)
    # without unknown stages the table is what it always was: no unknown column, whole numbers
    plain = ld.pipeline(pd.DataFrame({"stage": ["lead", "mql", "customer"]}))
    assert "unknown" not in plain.columns and plain["reached"].tolist() == [3, 2, 1, 1]


def test_score_guards_the_analysts_own_after_the_fact_fields():
    crm = pd.DataFrame({"lead_id": ["L1", "L2"], "Won": ["yes", "no"], "size": [20, 3]})
    rule = ld.ScoreRule("won", "Won", 50, values=("yes",))
    assert ld.score(crm, [rule])["score"].tolist() == [50.0, 0.0]  # unknown to the kit
    with pytest.raises(ValueError, match=r"score\(\): weights use 'Won'.*leakage"):
        ld.score(crm, [rule], leakage_fields=["Won"])
    with pytest.raises(ValueError, match=r"explain\(\): weights use 'Won'"):
        ld.explain(crm, "L1", [rule], leakage_fields=["Won"])
    with pytest.raises(TypeError, match="leakage_fields must be a list of column names"):
        ld.score(crm, [rule], leakage_fields="Won")
    with pytest.warns(UserWarning, match="leakage"):
        ld.score(crm, [rule], leakage_fields=["Won"], allow_leakage=True)


# --------------------------------------------------------------------------- bought_before


def test_bought_before_compares_the_customer_date_with_the_moment():
    crm = pd.DataFrame({
        "lead_id": ["a", "b", "c", "d"],
        "became_customer_at": pd.to_datetime(
            ["2024-12-31 23:59:59", "2025-02-03 00:00:00", None, "2025-02-03 00:00:01"], utc=True),
    }, index=[10, 20, 30, 40])
    got = ld.bought_before(crm, "2025-02-03T00:00:00Z")
    assert got.tolist() == [True, False, False, False]  # strictly before; no date: no purchase
    assert got.index.tolist() == [10, 20, 30, 40] and got.dtype == bool
    # the same moment in another zone gives the same answer
    later = pd.Timestamp("2025-02-03 01:00:01", tz="Europe/Berlin")
    assert ld.bought_before(crm, later).tolist() == [True, True, False, False]


def test_bought_before_refuses_a_moment_without_a_zone_or_no_moment():
    crm = pd.DataFrame({"became_customer_at": pd.to_datetime(["2024-01-01"], utc=True)})
    with pytest.raises(ValueError, match=r"bought_before\(\): at='2025-02-03' has no time zone"):
        ld.bought_before(crm, "2025-02-03")
    with pytest.raises(ValueError, match=r"bought_before\(\): at='soon' is not a time"):
        ld.bought_before(crm, "soon")


def test_bought_before_on_the_kit_crm_matches_a_filter_by_hand():
    from helpers.data import load_leads

    crm = load_leads()
    at = pd.Timestamp("2025-02-03", tz="UTC")
    expected = crm["became_customer_at"].notna() & (crm["became_customer_at"] < at)
    assert ld.bought_before(crm, at).tolist() == expected.tolist()
    assert ld.bought_before(crm, at).sum() > 0


def test_qualify_past_purchase_option_by_hand():
    """as_of adds bought_before; require_past_purchase makes it a condition; default unchanged."""
    crm = pd.DataFrame({
        "lead_id": ["a", "b", "c", "d"],
        "name": ["Ada", "Bo", "Cy", "Di"],
        "email": ["a@example.com", "b@example.com", "bad", "d@example.com"],
        "became_customer_at": pd.to_datetime(
            ["2024-06-01 00:00:00", None, "2024-01-01 00:00:00", "2025-02-03 00:00:01"], utc=True),
    }, index=[7, 8, 9, 10])
    before = crm.copy()
    plain = ld.qualify(crm)
    assert "bought_before" not in plain.columns  # the default call adds nothing
    marked = ld.qualify(crm, as_of="2025-02-03T00:00Z")
    assert marked["bought_before"].tolist() == [True, False, True, False]
    assert marked.index.tolist() == [7, 8, 9, 10]
    pd.testing.assert_frame_equal(marked.drop(columns="bought_before"), plain)
    rules = ld.QualifyRules(require_past_purchase=True)
    loyal = ld.qualify(crm, rules, as_of=pd.Timestamp("2025-02-03", tz="UTC"))
    assert loyal["reasons"].tolist() == ["", "no_past_purchase", "invalid_email",
                                         "no_past_purchase"]
    assert loyal["qualified"].tolist() == [True, False, False, False]
    report = ld.qualify_report(loyal)
    assert report.loc["no_past_purchase", "leads"] == 2 and report.loc["kept", "leads"] == 1
    pd.testing.assert_frame_equal(crm, before)  # the input is not changed


def test_qualify_past_purchase_errors_name_qualify_and_as_of():
    crm = pd.DataFrame({"name": ["Ada"], "email": ["a@example.com"],
                        "became_customer_at": pd.to_datetime(["2024-01-01"], utc=True)})
    with pytest.raises(ValueError, match=r"qualify\(\): rules.require_past_purchase needs as_of="):
        ld.qualify(crm, ld.QualifyRules(require_past_purchase=True))
    with pytest.raises(ValueError, match=r"qualify\(\): as_of='2025-02-03' has no time zone"):
        ld.qualify(crm, as_of="2025-02-03")
    with pytest.raises(KeyError, match=r"qualify\(\): leads has no column 'became_customer_at'"):
        ld.qualify(crm.drop(columns="became_customer_at"), as_of="2025-02-03T00:00Z")


def test_qualify_past_purchase_on_the_kit_crm_matches_pandas_by_hand():
    from helpers.data import load_leads

    crm = load_leads()
    at = pd.Timestamp("2025-02-03", tz="UTC")
    bought = crm["became_customer_at"].notna() & (crm["became_customer_at"] < at)
    plain = ld.qualify(crm)
    loyal = ld.qualify(crm, ld.QualifyRules(require_past_purchase=True), as_of=at)
    assert loyal["bought_before"].tolist() == bought.tolist() and bought.sum() > 0
    # qualified = passes the default checks AND bought before: computed apart
    assert loyal["qualified"].tolist() == (plain["qualified"] & bought).tolist()
    has_reason = loyal["reasons"].str.contains("no_past_purchase")
    assert has_reason.tolist() == (~bought).tolist()


# --------------------------------------------------------------------------- characteristics


def test_characteristics_read_the_three_off_the_crm_fields():
    crm = pd.DataFrame({
        "email": ["ada@example.com", "broken@", None, "lin@example.org", None],
        "phone": [None, "+49 30 1234567", None, "", None],
        "lead_source": ["newsletter_signup", "trade_show", None, " ", "contact_form"],
        "stage": ["customer", "disqualified", "lead", "SQL", None],
    }, index=list("abcde"))
    got = ld.characteristics(crm)
    assert got.index.tolist() == list("abcde")
    assert got["contact"].tolist() == [True, True, False, True, False]  # broken e-mail, phone ok
    assert got["interest"].tolist() == [True, True, False, False, True]  # blank source: none
    assert got["qualification"].tolist() == ["qualified", "disqualified", "not yet", "qualified",
                                             "not yet"]


def test_characteristics_on_the_kit_crm_agree_with_qualify_and_the_stages():
    from helpers.data import load_leads

    crm = load_leads()
    got = ld.characteristics(crm)
    reasons = ld.qualify(crm)["reasons"].astype(str)
    bad_email = reasons.str.contains("missing_email") | reasons.str.contains("invalid_email")
    phone = crm["phone"].notna() & crm["phone"].astype(str).str.strip().ne("")
    assert got["contact"].tolist() == (~bad_email | phone).tolist()
    assert got["interest"].all() and len(got) == len(crm)
    qualified = crm["stage"].astype(str).isin(["mql", "sql", "customer"])
    assert got["qualification"].eq("qualified").tolist() == qualified.tolist()


def test_characteristics_name_the_missing_column():
    with pytest.raises(KeyError, match=r"characteristics\(\): leads has no column 'stage'"):
        ld.characteristics(pd.DataFrame({"email": ["a@b.example"], "lead_source": ["x"]}))


# --------------------------------------------------------------------------- by_form


def test_by_form_matches_a_count_by_hand():
    from helpers.data import load_leads

    crm = load_leads()
    forms = ld.load_forms()
    start, end = pd.Timestamp("2025-02-03", tz="UTC"), pd.Timestamp("2025-03-02 23:59:59", tz="UTC")
    got = ld.by_form(crm, forms, start, end)
    assert list(got["fields"]) == sorted(got["fields"])  # ordered by length
    made, bought = crm["created_at"], crm["became_customer_at"]
    for form, row in got.iterrows():
        door = forms.set_index("form").at[form, "lead_source"]
        mine = crm["lead_source"].astype(str).eq(door) & made.between(start, end) & ~bought.eq(made)
        within = (bought - made) <= pd.Timedelta(days=28)
        assert row["leads"] == mine.sum()
        assert row["customers"] == (mine & within.fillna(False)).sum()
        assert row["low"] <= row["rate"] <= row["high"]
    assert "checkout" not in got.index  # leads created by a purchase are left out


def test_by_form_refuses_bad_forms_and_naive_windows():
    from helpers.data import load_leads

    crm = load_leads()
    forms = ld.load_forms()
    start, end = pd.Timestamp("2025-02-03", tz="UTC"), pd.Timestamp("2025-03-03", tz="UTC")
    with pytest.raises(ValueError, match=r"by_form\(\): forms\['fields'\] must be whole numbers"):
        ld.by_form(crm, forms.assign(fields=0), start, end)
    with pytest.raises(ValueError, match=r"by_form\(\): start and end need a time zone"):
        ld.by_form(crm, forms, "2025-02-03", "2025-03-03")
    with pytest.raises(ValueError, match=r"forms has 1 lead_source value\(s\) on more than one row"):
        ld.by_form(crm, pd.concat([forms, forms.iloc[:1]]), start, end)


def test_identify_gives_each_visitor_once_even_when_the_crm_has_several_leads_for_one(kit):
    """capstone_results relies on it (it indexes the leads' first moments by visitor_id)."""
    first = kit.leads.dropna(subset=["visitor_id"]).iloc[0]
    again = first.copy()
    again["lead_id"], again["created_at"] = "L-again", first["created_at"] + pd.Timedelta(days=3)
    crm = pd.concat([kit.leads, again.to_frame().T.astype(kit.leads.dtypes.to_dict())], ignore_index=True)
    assert crm["visitor_id"].dropna().duplicated().sum() == 1  # one visitor with two leads
    found = ld.identify(kit.events, crm)
    web = found["visitor_id"].dropna()
    assert not web.duplicated().any()
    assert found.loc[found["visitor_id"] == first["visitor_id"], "lead_id"].tolist() == [first["lead_id"]]

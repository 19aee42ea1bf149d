"""Every comparative claim the report and the takeaway titles print is backed by its interval test.

Rendered on the kit's data, two generated variants, a GA4-shaped export, a web access log, a
CRM export with only a converted flag (through the mapping step), the kit's traffic on
another site's pages (none of those the example personas are defined by) and adversarial data
(a 2-of-2 channel, a persona at 0 of 2, a channel with one lead). Each
structured claim (:func:`helpers.report.capstone_claims`, :func:`helpers.claims.leader`) is
re-checked here with :func:`helpers.conversions.compare` / ``interval`` at the stated
confidence corrected for the number of groups, and a text scan fails on any comparative word
that no structured claim stands behind.
"""

from __future__ import annotations

import dataclasses
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import (
    claims,
    conversions,
    data,
    exports,
    personas,
    pipeline,
    plots,
    report,
    synth,
    vocabulary,
)

COMPARATIVE = re.compile(
    r"\b(best|worst|highest|lowest|higher|lower|clearly (above|below)|times as|far more|"
    r"least often|most often)\b", re.IGNORECASE)
# phrases that state no comparison (a negation, or a count of reasons)
NOT_A_CLAIM = re.compile(
    r"(not clearly|no channel or persona is clearly|highest measured rate|lowest measured lead "
    r"rate|\(most often: [^)]*\)|never from one dot)", re.IGNORECASE)


@pytest.fixture(scope="session")
def datasets(kit, tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims")
    out = {"kit": pipeline.capstone_results(kit.sessions, kit.events, kit.leads)}
    for seed in (7, 11):
        d = synth.generate(synth.SynthConfig(seed=seed, visitors=3000))
        out[f"seed{seed}"] = pipeline.capstone_results(d.sessions, d.events, d.leads)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ga4 = data.from_ga4(exports.to_ga4(kit, folder / "events_20250203.json"))
        log = data.from_access_log(exports.to_access_log(kit, folder / "access.log"))
    out["ga4"] = pipeline.capstone_results(ga4.sessions, ga4.events, None)
    out["crm"] = pipeline.capstone_results(kit.sessions, kit.events, _crm_export(kit, folder))
    out["access_log"] = pipeline.capstone_results(log.sessions, log.events, None)
    out["adversarial"] = _adversarial(out["kit"])
    out["foreign_pages"] = pipeline.capstone_results(*_foreign_pages(kit), None)
    return out


def _foreign_pages(kit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kit's traffic on another site: every page but the home page and /contact renamed
    to /docs/p<n>, so none of the pages the kit's personas are defined by is in the data."""
    def elsewhere(pages: pd.Series) -> pd.Series:
        text = pages.astype("string")
        codes = pd.Series(pd.factorize(text)[0], index=text.index).astype(str)
        return text.where(text.isin(["/", "/contact"]) | text.isna(), "/docs/p" + codes)

    events = kit.events.assign(page=elsewhere(kit.events["page"]))
    return kit.sessions.assign(landing_page=elsewhere(kit.sessions["landing_page"])), events


def _crm_export(kit, folder) -> pd.DataFrame:
    """The kit's CRM as a CRM tool exports it: its own column names and lead-source words, a
    1/0 converted flag and no stage or stage dates, loaded back through the mapping step."""
    words = {"contact_form": "Web Form", "newsletter_signup": "Newsletter", "purchase": "Online Shop"}
    crm = kit.leads.assign(**{
        "Lead Number": kit.leads["lead_id"],
        "Visitor": kit.leads["visitor_id"],
        "Created": kit.leads["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Lead Source": kit.leads["lead_source"].astype(str).map(words).fillna("Other"),
        "Converted": kit.leads["stage"].eq("customer").astype(int),
    })[["Lead Number", "Visitor", "Created", "Lead Source", "country", "name", "email",
        "company_size", "Converted"]]
    crm.to_csv(folder / "crm.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'Other' lead sources: kept and reported
        return data.load_leads(
            folder / "crm.csv", tz="UTC",
            rename={"Lead Number": "lead_id", "Visitor": "visitor_id", "Created": "created_at",
                    "Lead Source": "lead_source"},
            mapping={"lead_source": {v: k for k, v in words.items()},
                     "stage": vocabulary.converted_flag("Converted")},
        )


def _adversarial(base: pipeline.Capstone) -> pipeline.Capstone:
    """The kit month plus a channel of 2 visitors who both became leads, a channel of one
    visitor who became a lead, and a persona of 2 visitors who never did."""
    v = base.visitors.copy()
    for col in ("channel", "persona"):
        v[col] = v[col].astype(str)
    extra = v.iloc[:5].copy()
    extra["visitor_id"] = [f"adv{i}" for i in range(5)]
    extra["channel"] = ["two_of_two", "two_of_two", "one_lead", "email", "email"]
    extra["persona"] = ["none", "none", "none", "zero_of_two", "zero_of_two"]
    extra["is_lead"] = [True, True, True, False, False]
    return dataclasses.replace(base, visitors=pd.concat([v, extra], ignore_index=True))


def _holm_clear(target: conversions.Rate, others: dict, confidence: float) -> set[str]:
    """Holm's step-down, written here from compare's p-values (not from claims.py)."""
    alpha = 1 - confidence
    p = sorted((conversions.compare(target, r, confidence).p_value, n) for n, r in others.items())
    clear: set[str] = set()
    for step, (pv, name) in enumerate(p):
        if pv > alpha / (len(p) - step):
            break
        clear.add(name)
    return clear


def _rates(table: pd.DataFrame, by: str) -> dict[str, conversions.Rate]:
    rows = table[table[by].astype(str).ne("Total").to_numpy(dtype=bool)]
    return {str(r[by]): conversions.rate(int(r["conversions"]), int(r["visitors"]))
            for _, r in rows.iterrows() if int(r["visitors"]) > 0}


def _check_report_claim(results: pipeline.Capstone, c: report.Claim) -> None:
    alpha = 1 - c.confidence
    if c.kind in ("above_total", "below_total"):
        by = "channel" if c.group in set(results.visitors["channel"].astype(str)) else "persona"
        table = pipeline.capstone_rates(results, by)
        groups = table[table[by].astype(str).ne("Total").to_numpy(dtype=bool)]
        total = float(table["rate"].iloc[-1])
        row = groups[groups[by].astype(str).eq(c.group).to_numpy(dtype=bool)].iloc[0]
        low, high = conversions.interval(int(row["conversions"]), int(row["visitors"]),
                                         1 - alpha / len(groups))
        assert row["visitors"] >= claims.MIN_UNITS, c
        assert (low > total) if c.kind == "above_total" else (high < total), c
    elif c.kind == "times":
        v = results.visitors
        none = v["persona"].astype(str).eq("none").to_numpy()
        matched = conversions.rate(int(v.loc[~none, "is_lead"].sum()), int((~none).sum()))
        rest = conversions.rate(int(v.loc[none, "is_lead"].sum()), int(none.sum()))
        cmp = conversions.compare(matched, rest, c.confidence)
        assert cmp.significant and cmp.difference > 0 and cmp.ratio_low > 1, c
        assert min(matched.denominator, rest.denominator) >= claims.MIN_UNITS
    elif c.kind == "lowest":
        rates = _rates(pipeline.capstone_rates(results, "persona"), "persona")
        target = rates.pop(c.group)
        rates.pop("none", None)
        assert target.denominator >= claims.MIN_UNITS
        assert _holm_clear(target, rates, c.confidence) == set(rates), c
    else:
        raise AssertionError(f"unknown claim kind {c.kind}")


def _scan(text: str, allowed: list[str]) -> list[str]:
    """Lines with a comparative word that no structured claim accounts for."""
    bad = []
    for line in text.splitlines():
        rest = NOT_A_CLAIM.sub("", line)
        for phrase in allowed:
            rest = rest.replace(phrase, "")
        if COMPARATIVE.search(rest):
            bad.append(line)
    return bad


NAMES = ["kit", "seed7", "seed11", "ga4", "access_log", "crm", "adversarial", "foreign_pages"]
COUNTS: dict[str, int] = {}


@pytest.mark.parametrize("name", NAMES)
def test_every_report_claim_holds(datasets, name):
    results = datasets[name]
    text = report.capstone_report(results)
    found = report.capstone_claims(results)
    for c in found:
        _check_report_claim(results, c)
    # each claim's sentence is in the text, and no other comparative word is
    phrases = []
    for c in found:
        if c.kind == "above_total" or c.kind == "below_total":
            word = "clearly above" if c.kind == "above_total" else "clearly below"
            label = c.group.replace("_", " ")
            line = next(x for x in text.splitlines()
                        if f"**{label}**".lower() in x.lower() and word in x)
            phrases.append(line)
        elif c.kind == "times":
            phrases.append("times as often")
        else:
            phrases.append("least often (clearly, Holm-corrected)")
    assert _scan(text, phrases) == []
    COUNTS[name] = len(found)


@pytest.mark.parametrize("name", NAMES)
def test_every_takeaway_title_holds(datasets, name):
    results = datasets[name]
    checked = 0
    for by in ("channel", "persona"):
        for metric in ("lead", "purchase"):
            table = pipeline.capstone_rates(results, by, metric)
            for draw in (plots.rates_with_intervals, plots.rate_and_volume):
                ax = draw(table, by=by)
                first = ax[0] if isinstance(ax, tuple | list | np.ndarray) else ax
                fig = first.figure
                title = " ".join([a.get_title() for a in fig.axes]
                                 + ([fig._suptitle.get_text()] if fig._suptitle else []))
                lead = claims.leader(table, by=by)
                rates = _rates(table, by)
                if re.search(r"\bbest\b", title):
                    top = lead.name
                    others = {k: r for k, r in rates.items() if k != top}
                    assert rates[top].denominator >= claims.MIN_UNITS, title
                    assert rates[top].value == max(r.value for r in rates.values())
                    assert _holm_clear(rates[top], others, 0.95) == set(others), title
                    checked += 1
                    # the "clearly above" of a verified "best" is the same claim
                    title = re.sub(r"clearly above [^(]*\(Holm", "(Holm", title)
                rest = re.sub(r"highest measured rate|not clearly above[^.]*|\bbest\b|"
                              r"the most", "", title)
                assert not COMPARATIVE.search(rest), title
    COUNTS[f"{name} titles"] = checked


COFFEE_WORDS = ("coffee", "office", "café", "cafe", "brewing", "barista", "trade show",
                "welcome e-mail", "guide", "wholesale", "brewlark")


@pytest.mark.parametrize("name", NAMES)
def test_report_names_only_what_is_in_the_data(datasets, name):
    results = datasets[name]
    text = report.capstone_report(results, business="Test Co.").lower()
    in_data = " ".join(
        str(x).replace("_", " ").lower()
        for col in ("channel", "persona", "landing_page")
        if col in results.visitors.columns
        for x in results.visitors[col].dropna().unique()
    )
    for word in COFFEE_WORDS:
        assert word not in text or word in in_data, (name, word)


@pytest.mark.parametrize("name", ["ga4", "access_log"])
def test_the_default_title_names_no_business(datasets, name):
    """Without business=, the report does not assume whose data it is (it once said Brewlark)."""
    text = report.capstone_report(datasets[name])
    assert text.splitlines()[0].startswith("# Leads and conversions, ")
    assert "brewlark" not in text.lower()
    named = report.capstone_report(datasets[name], business="Test Co.")
    assert named.splitlines()[0].startswith("# Test Co.: leads and conversions, ")


@pytest.mark.parametrize(("days", "words"), [(28, "One month (28 days)"), (7, "1 week (7 days)"),
                                             (14, "2 weeks (14 days)"), (10, "10 days")])
def test_the_period_is_named_as_long_as_it_is(days, words):
    assert report._period(days) == words


def test_adversarial_groups_are_never_singled_out(datasets):
    results = datasets["adversarial"]
    text = report.capstone_report(results)
    named = {c.group for c in report.capstone_claims(results)}
    assert not named & {"two_of_two", "one_lead", "zero_of_two"}
    for line in text.lower().splitlines():
        for label in ("two of two", "one lead", "zero of two"):
            # named at most among the groups the leader cannot be told apart from
            if label in line:
                assert "not clearly different from" in line.split(label)[0], line
    # both tiny channels measure 100%: the leader is one of them, and too small to rank
    lead = claims.leader(pipeline.capstone_rates(results, "channel"), by="channel")
    assert lead.name in {"two_of_two", "one_lead"} and lead.small
    assert "best" not in lead.headline and "too few to rank" in lead.headline


def test_sections_that_cannot_be_computed_say_so(datasets):
    log = report.capstone_report(datasets["access_log"])
    assert "no lead rate can be computed" in log
    assert "| **lead rate** | n/a |" in log and "| purchase rate | n/a |" in log
    assert "There is no cart data" in log
    assert "records no lead event" in log.lower()
    # no sentence measures what the log cannot see: no rate "from 0.0%", no lead-rate ranking
    assert "0.0%" not in log and "Nothing to compare yet" in log
    ga4 = report.capstone_report(datasets["ga4"])
    assert "quality rules" not in ga4  # no CRM: the line is left out, not filled
    assert "no session was flagged by its user agent" in ga4
    assert "rules on the user agent" in report.capstone_report(datasets["kit"])


def test_a_crm_without_creation_dates_gets_the_fix_not_a_raw_error(kit):
    no_dates = kit.leads.drop(columns=["created_at"])
    with pytest.raises(KeyError, match=r"capstone_results\(\): crm has no column 'created_at'"
                                       r".*Fix: export the leads' creation date"):
        pipeline.capstone_results(kit.sessions, kit.events, no_dates)


def test_default_personas_need_their_pages_in_the_data(datasets, kit):
    """On a site without the kit's pages no visitor becomes one of the coffee shop's personas
    (an 'office manager' was once matched on desktop + office hours + /contact alone and
    reported 'clearly above' the total); the report says why, without naming them."""
    results = datasets["foreign_pages"]
    names = tuple(p.name for p in personas.DEFAULT_PERSONAS)
    assert set(results.visitors["persona"].astype(str)) == {"none"}
    assert results.personas_left_out == names
    text = report.capstone_report(results, business="Test Co.")
    pages = " ".join(results.human_events["page"].dropna().astype(str).unique())
    channels = " ".join(results.visitors["channel"].astype(str).unique())
    for word in (*COFFEE_WORDS, *(n.replace("_", " ") for n in names)):
        assert word not in text.lower() or word in f"{pages} {channels}".lower(), word
    assert "example personas are not used: the pages that define them are not in this data" in text
    assert "defined by pages this data does not have" in text
    assert not [c for c in report.capstone_claims(results) if c.group in names]
    # on the kit's own site every persona is used, and an analyst's own list is used as given
    assert datasets["kit"].personas_left_out == ()
    assert set(names) <= set(datasets["kit"].visitors["persona"].astype(str))
    own = pipeline.capstone_results(*_foreign_pages(kit), None,
                                    persona_list=personas.DEFAULT_PERSONAS)
    assert own.personas_left_out == ()
    # ... which matches visitors on the signals left: what the default rule prevents
    assert "office_manager" in set(own.visitors["persona"].astype(str))

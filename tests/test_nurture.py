"""The nurture e-mails (nurture.csv): the generator's sequence and hold-out, the loader's
checks, and the fair comparison against the selection trap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import conversions, data, nurture, synth
from helpers.synth.nurture import STEPS


@pytest.fixture(scope="module")
def crm():
    return data.load_leads()


@pytest.fixture(scope="module")
def log():
    return nurture.load_nurture()


def test_the_file_is_what_the_generator_writes(tmp_path, crm):
    config = synth.SynthConfig()
    path = synth.write_nurture(synth.nurture(crm, config.seed, config.start, config.days), tmp_path)
    assert path.read_bytes() == (data.kit_data_dir() / "nurture.csv").read_bytes()


def test_the_sequence_follows_its_rules(crm, log):
    """Weekly from the lead's creation, in order, stopping after the purchase; hold-outs get
    one row and no e-mail; only window leads with an e-mail, none created by a purchase."""
    leads = crm.set_index("lead_id")
    sent = log[log["step"].gt(0)]
    made = leads.loc[sent["lead_id"], "created_at"].to_numpy()
    weeks = (sent["sent_at"].to_numpy() - made) / np.timedelta64(7, "D")
    assert np.allclose(weeks, sent["step"].to_numpy() - 1)
    assert sent["email"].tolist() == [STEPS[s - 1] for s in sent["step"]]
    bought = leads.loc[sent["lead_id"], "became_customer_at"].to_numpy()
    before_last = sent.groupby("lead_id")["sent_at"].transform("max").ne(sent["sent_at"]).to_numpy()
    # no e-mail goes out after one already sent on or after the purchase
    assert not (before_last & (sent["sent_at"].to_numpy() >= bought)).any()
    held = log[log["step"].eq(0)]
    assert held["sent_at"].isna().all() and held["lead_id"].is_unique
    assert not set(held["lead_id"]) & set(sent["lead_id"])
    chosen = leads.loc[log["lead_id"].unique()]
    assert not chosen["lead_source"].astype(str).eq("purchase").any()
    assert chosen["email"].notna().all()


def test_effect_matches_a_count_by_hand(crm, log):
    got = nurture.effect(crm, log, within_days=28)
    leads = crm.set_index("lead_id")
    held = log.groupby("lead_id")["step"].max().eq(0)
    days = (leads.loc[held.index, "became_customer_at"] - leads.loc[held.index, "created_at"])
    within = (days <= pd.Timedelta(days=28)).fillna(False)
    for name, mine in (("nurtured", ~held), ("hold-out", held)):
        assert got.table.at[name, "leads"] == mine.sum()
        assert got.table.at[name, "customers"] == (within & mine).sum()
        expected = conversions.rate(int((within & mine).sum()), int(mine.sum()))
        assert got.table.at[name, "rate"] == pytest.approx(expected.value)
        assert got.table.at[name, "low"] == pytest.approx(expected.low)
    again = conversions.compare(conversions.rate(int(got.table.at["nurtured", "customers"]),
                                                 int(got.table.at["nurtured", "leads"])),
                                conversions.rate(int(got.table.at["hold-out", "customers"]),
                                                 int(got.table.at["hold-out", "leads"])))
    assert got.comparison.p_value == pytest.approx(again.p_value)
    word = "clearly more often" if got.comparison.significant else "not clearly differently"
    assert word in got.headline


def test_the_selection_trap_is_visible(crm, log):
    """Buyers leave the sequence, so they got fewer e-mails: what the lesson warns about."""
    table = nurture.emails_by_outcome(crm, log)
    assert table.at[True, "emails"] < table.at[False, "emails"]
    assert table["leads"].sum() == log.loc[log["step"].gt(0), "lead_id"].nunique()


def test_a_longer_window_never_lowers_the_rates(crm, log):
    short = nurture.effect(crm, log, within_days=7).table
    long = nurture.effect(crm, log, within_days=42).table
    assert (long["customers"] >= short["customers"]).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.assign(step=t["step"].where(t.index > 0, -1)), r"whole numbers from 0"),
        (lambda t: t.assign(sent_at=t["sent_at"].where(t["step"].eq(0) | (t.index > 0))),
         r"have no sent_at"),
        (lambda t: pd.concat([t, t.iloc[:1]]), r"on more than one row"),
        (lambda t: pd.concat([t, t[t["step"].gt(0)].iloc[:1].assign(step=0)]),
         r"held out \(step 0\) and were sent e-mails too"),
        (lambda t: t.drop(columns="email"), r"has no column 'email'"),
    ],
)
def test_bad_logs_are_refused_with_the_fix(log, change, message):
    with pytest.raises((ValueError, KeyError), match=message):
        nurture.validate_nurture(change(log.copy()))


def test_effect_refuses_a_log_of_another_crm_and_a_silly_window(crm, log):
    with pytest.raises(ValueError, match=r"effect\(\): \d+ lead\(s\) of the e-mail log are not in leads"):
        nurture.effect(crm.iloc[:10], log)
    with pytest.raises(ValueError, match=r"within_days must be a positive number"):
        nurture.effect(crm, log, within_days=0)


def test_load_nurture_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"load_nurture\(\): no file .*Fix: pass the path"):
        nurture.load_nurture(tmp_path / "absent.csv")


def test_bought_by_day_reads_a_lag_curve_per_group_by_hand(crm, log):
    got = nurture.bought_by_day(crm, log, days=(0, 7, 42))
    leads = crm.set_index("lead_id")
    held = log.groupby("lead_id")["step"].max().eq(0)
    lag = (leads.loc[held.index, "became_customer_at"] - leads.loc[held.index, "created_at"])
    for d in (0, 7, 42):
        within = (lag <= pd.Timedelta(days=d)).fillna(False)
        assert got.at[d, "nurtured"] == pytest.approx(within[~held].mean())
        assert got.at[d, "hold-out"] == pytest.approx(within[held].mean())
    assert (got.diff().dropna() >= 0).all().all()  # a curve never goes down
    assert got.at[28 if 28 in got.index else 42, "nurtured"] >= got.at[7, "nurtured"]


def test_a_lead_created_by_a_purchase_is_refused(crm, log):
    first = log.loc[log["step"].gt(0), "lead_id"].iloc[0]
    bought_at_once = crm.assign(became_customer_at=crm["became_customer_at"].where(
        crm["lead_id"].ne(first), crm["created_at"]))
    with pytest.raises(ValueError, match=r"effect\(\): 1 lead\(s\) of the e-mail log were created by a purchase"):
        nurture.effect(bought_at_once, log)

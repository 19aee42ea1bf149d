"""The committed data set: loaders, dtypes, consistency, privacy, realism, errors.

The realism bounds asserted here are the ones data/README.md claims.
"""

from __future__ import annotations

import ipaddress
import re

import numpy as np
import pandas as pd
import pytest

from helpers import data, synth

MICRO = ["newsletter_signup", "blog_comment", "social_follow", "guide_download"]


@pytest.fixture(scope="module")
def ds() -> data.Dataset:
    return data.load_all()


@pytest.fixture(scope="module")
def merged(ds) -> pd.DataFrame:
    return ds.sessions.merge(ds.answer_key, on=["session_id", "visitor_id"])


@pytest.fixture(scope="module")
def humans(merged) -> pd.DataFrame:
    return merged[merged["segment"] != "bot"]


# ---------------------------------------------------------------- loading and dtypes
def test_data_dir_points_at_repo_data():
    assert data.DATA_DIR.name == "data"
    assert (data.DATA_DIR / "sessions.csv").exists()


def test_dtypes(ds):
    s, e, leads, key = ds
    utc = "datetime64[us, UTC]"
    assert str(s["started_at"].dtype) == utc
    assert str(e["timestamp"].dtype) == utc
    assert str(leads["created_at"].dtype) == utc
    assert str(leads["became_customer_at"].dtype) == utc
    for frame, col in [(s, "channel"), (s, "device"), (e, "event_name"),
                       (leads, "lead_source"), (leads, "stage"), (key, "segment"),
                       (key, "bot_kind"), (key, "persona")]:
        assert isinstance(frame[col].dtype, pd.CategoricalDtype), col
        assert list(frame[col].cat.categories) == list(data.CATEGORIES[col])
    assert s["is_returning"].dtype == bool
    assert s["pageviews"].dtype == np.int64
    assert s["duration_s"].dtype == np.float64
    assert str(leads["company_size"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(s["session_id"].dtype)


def test_column_order_matches_schemas(ds):
    for name, frame in zip(ds._fields, ds, strict=True):
        assert list(frame.columns) == [c.name for c in data.SCHEMAS[name]]


def test_schema_dtype_property():
    col = data.SCHEMAS["sessions"][2]
    assert col.name == "started_at" and col.dtype == "datetime64[us, UTC]"


# ------------------------------------------------------------------------ consistency
def test_every_event_belongs_to_a_session(ds):
    assert ds.events["session_id"].isin(ds.sessions["session_id"]).all()


def test_pageviews_equal_page_view_events(ds):
    pv = ds.events[ds.events["event_name"] == "page_view"].groupby("session_id").size()
    got = pv.reindex(ds.sessions["session_id"]).fillna(0).to_numpy()
    assert (got == ds.sessions["pageviews"].to_numpy()).all()


def test_event_times_within_session(ds):
    m = ds.events.merge(ds.sessions[["session_id", "visitor_id", "started_at", "duration_s"]],
                        on="session_id", suffixes=("", "_s"))
    assert (m["timestamp"] >= m["started_at"]).all()
    elapsed = (m["timestamp"] - m["started_at"]).dt.total_seconds()
    assert (elapsed <= m["duration_s"]).all()
    assert (m["visitor_id"] == m["visitor_id_s"]).all()


def test_landing_page_is_first_page_view(ds):
    pv = ds.events[ds.events["event_name"] == "page_view"]
    first = pv.groupby("session_id")["page"].first()
    assert (first.reindex(ds.sessions["session_id"]).to_numpy()
            == ds.sessions["landing_page"].to_numpy()).all()


def test_leads_visitors_exist_unless_trade_show(ds):
    leads = ds.leads
    offline = leads["lead_source"] == "trade_show"
    assert leads.loc[~offline, "visitor_id"].isin(ds.sessions["visitor_id"]).all()
    assert leads.loc[offline, "visitor_id"].isna().all()
    assert offline.sum() == 120


def test_answer_key_one_row_per_session(ds):
    assert len(ds.answer_key) == len(ds.sessions)
    assert set(ds.answer_key["session_id"]) == set(ds.sessions["session_id"])
    assert ds.answer_key["session_id"].is_unique
    key = ds.answer_key
    assert (key["bot_kind"].notna() == (key["segment"] == "bot")).all()
    assert key.loc[key["persona"].notna(), "segment"].eq("potential_buyer").all()


def test_leakage_fields_only_for_customers(ds):
    leads = ds.leads
    cust = leads["stage"] == "customer"
    assert leads.loc[cust, "became_customer_at"].notna().all()
    assert leads.loc[~cust, "became_customer_at"].isna().all()
    assert leads.loc[cust, "first_order_value"].notna().all()
    assert leads.loc[~cust, "first_order_value"].isna().all()
    assert (leads["became_customer_at"].dropna()
            >= leads.loc[cust, "created_at"]).all()


def test_loyal_customers_have_old_leads(ds, merged):
    loyal = merged.loc[merged["segment"] == "loyal_customer", "visitor_id"].unique()
    ll = ds.leads[ds.leads["visitor_id"].isin(loyal)]
    assert len(ll) == len(loyal)
    assert (ll["created_at"] < ds.sessions["started_at"].min()).all()
    assert (ll["stage"] == "customer").all()


def test_firmographics_for_business_personas(ds, merged):
    persona = merged.drop_duplicates("visitor_id").set_index("visitor_id")["persona"]
    p = ds.leads["visitor_id"].map(persona).astype(object)
    b2b = ds.leads[p.isin(["office_manager", "cafe_owner"])]
    assert b2b["company"].notna().mean() > 0.8
    hb = ds.leads[p == "home_barista"]
    assert hb["company"].isna().all()
    cafe = ds.leads[p == "cafe_owner"]
    assert set(cafe["industry"].dropna()) == {"hospitality"}
    assert cafe["company_size"].dropna().between(1, 50).all()
    office = ds.leads[p == "office_manager"]
    assert office["company_size"].dropna().between(10, 500).all()


# ----------------------------------------------------------------------------- privacy
def test_email_domains_are_reserved(ds):
    emails = ds.leads["email"].dropna()
    with_at = emails[emails.str.contains("@")]
    domain = with_at.str.rsplit("@", n=1).str[-1]
    ok = domain.isin(["example.com", "example.org", "example.net"]) | domain.str.endswith(
        ".example")
    assert ok.all(), domain[~ok].unique()[:5]
    assert emails[~emails.str.contains("@")].str.contains(r"example\.(?:com|org|net)$|\.example$",
                                                          regex=True).all()


def test_ips_in_documentation_ranges(ds):
    nets = [ipaddress.ip_network(n) for n in
            ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
    for ip in ds.sessions["ip"].dropna().unique():
        addr = ipaddress.ip_address(ip)
        assert any(addr in n for n in nets), ip


def test_names_are_from_the_invented_lists(ds, merged):
    spam = merged.loc[merged["bot_kind"] == "form_spam", "visitor_id"]
    human = ds.leads[~ds.leads["visitor_id"].isin(spam)]
    first = human["name"].str.split(" ").str[0]
    last = human["name"].str.split(" ").str[-1]
    assert first.isin(synth._FIRST).all() and last.isin(synth._LAST).all()


def test_phones_are_fictional(ds):
    phones = ds.leads["phone"].dropna()
    assert phones.str.fullmatch(r"(\+44 20|020) 7946 0\d{3}").all()  # zero-padded: all whole


# ------------------------------------------------------------------ real user agents
def test_human_user_agents_are_real(merged):
    pool = {ua for uas, _ in synth.human_ua_pool().values() for ua in uas}
    inapp = {ua for uas in synth.in_app_ua_pool().values() for ua in uas}
    rows = synth._browser_rows()
    shipped = {r["useragent"] for r in rows}
    assert pool <= shipped and inapp <= shipped
    humans = merged[merged["segment"] != "bot"]["user_agent"].dropna()
    assert humans.isin(pool | inapp).all()
    assert humans.isin(inapp).sum() > 100  # in-app browsers do appear


def test_bot_user_agents_are_real(merged):
    import crawleruseragents

    instances = {i for e in crawleruseragents.CRAWLER_USER_AGENTS_DATA for i in e["instances"]}
    browsers = {ua for uas, _ in synth.human_ua_pool().values() for ua in uas}
    bots = merged[merged["segment"] == "bot"]
    crawl = bots[bots["bot_kind"] == "crawler"]["user_agent"]
    assert crawl.notna().all() and crawl.isin(instances).all()
    other = bots["user_agent"].dropna()
    assert other.isin(instances | browsers).all()
    headless = bots[bots["bot_kind"] == "headless"]["user_agent"]
    assert headless.str.contains("HeadlessChrome").any()


def test_human_pool_is_not_flagged_by_the_crawler_list():
    rx = synth._crawler_regex()
    for uas, _ in synth.human_ua_pool().values():
        assert not any(rx.search(u) for u in uas)


def test_device_matches_user_agent_type(humans):
    pools = synth.human_ua_pool()
    for kind, (uas, _) in pools.items():
        rows = humans[humans["user_agent"].isin(uas)]
        assert (rows["device"] == kind).all(), kind


# ----------------------------------------------------------------- realism bounds
def test_bot_share(merged):
    share = (merged["segment"] == "bot").mean()
    assert 0.15 <= share <= 0.30
    kinds = merged["bot_kind"].value_counts(normalize=True)
    bounds = {"crawler": (0.30, 0.50), "monitor": (0.20, 0.35), "scraper": (0.10, 0.25),
              "headless": (0.05, 0.15), "form_spam": (0.04, 0.12)}
    for kind, (lo, hi) in bounds.items():
        assert lo <= kinds[kind] <= hi, kind


def test_channel_mix(humans):
    mix = humans["channel"].value_counts(normalize=True)
    bounds = {"organic_search": (0.30, 0.45), "social": (0.20, 0.35), "email": (0.07, 0.15),
              "direct": (0.07, 0.15), "referral": (0.04, 0.10), "paid_search": (0.03, 0.10)}
    for ch, (lo, hi) in bounds.items():
        assert lo <= mix[ch] <= hi, ch


def test_every_segment_arrives_through_several_channels(merged):
    # A channel counts for a segment when it brings at least 1 % of that segment's sessions.
    share = pd.crosstab(merged["segment"], merged["channel"], normalize="index")
    used = (share >= 0.01).sum(axis=1)
    for segment in ("loyal_customer", "stumbled", "potential_buyer"):
        assert used[segment] >= 4, (segment, share.loc[segment].round(3).to_dict())
    assert used["bot"] >= 3, share.loc["bot"].round(3).to_dict()
    # bots neither click ads nor read the newsletter
    assert share.loc["bot", ["paid_search", "email"]].eq(0).all()


def test_device_mix(humans):
    mix = humans["device"].value_counts(normalize=True)
    assert 0.45 <= mix["mobile"] <= 0.65
    assert 0.30 <= mix["desktop"] <= 0.45
    assert 0.03 <= mix["tablet"] <= 0.10


def test_weekly_cycle(humans):
    daily = humans.groupby(humans["started_at"].dt.floor("D")).size()
    weekend = daily.index.day_of_week >= 5
    weekday_over_weekend = daily[~weekend].mean() / daily[weekend].mean()
    # data/README.md: weekdays are busier than weekends, but not by more than 40%
    assert weekday_over_weekend >= 1.05, weekday_over_weekend
    assert weekday_over_weekend <= 1.40, weekday_over_weekend


def test_daily_cycle(humans):
    hours = humans["started_at"].dt.hour.value_counts(normalize=True)
    assert 18 <= hours.idxmax() <= 21
    assert hours.reindex(range(1, 5)).sum() < 0.05


def test_micro_far_more_common_than_macro(ds):
    names = ds.events["event_name"]
    assert names.isin(MICRO).sum() >= 5 * (names == "purchase").sum() > 0


def test_events_per_session_and_messy_fields(ds):
    assert 3 <= len(ds.events) / len(ds.sessions) <= 5
    assert 0.01 <= ds.sessions["country"].isna().mean() <= 0.04
    assert 0.002 <= ds.sessions["user_agent"].isna().mean() <= 0.01
    assert 2000 <= len(ds.leads) <= 4000


def test_invalid_and_disposable_emails(ds, merged):
    emails = ds.leads["email"].dropna()
    valid = emails.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+")
    assert 0.01 <= (~valid).mean() <= 0.05
    spam = merged.loc[merged["bot_kind"] == "form_spam", "visitor_id"]
    human = ds.leads[~ds.leads["visitor_id"].isin(spam)]["email"].dropna()
    disposable = human.str.rsplit("@", n=1).str[-1].isin(synth.DISPOSABLE_DOMAINS)
    assert 0.01 <= disposable.mean() <= 0.05


def test_exact_duplicate_events(ds):
    dup = ds.events[ds.events.duplicated(keep="first")]
    assert len(dup) == 6
    assert (dup["event_name"] != "page_view").all()
    assert ds.events["event_id"].duplicated().sum() == 6


def test_form_speed_separates_spam(merged):
    spam = merged[merged["bot_kind"] == "form_spam"]["form_seconds"].dropna()
    human = merged[merged["segment"] != "bot"]["form_seconds"].dropna()
    assert len(spam) > 0 and (spam < 3).all()
    assert (human >= 3).all()


def test_returning_share(humans):
    assert 0.30 <= humans["is_returning"].mean() <= 0.50


def test_monitors_hit_home_on_a_schedule(merged):
    mon = merged[merged["bot_kind"] == "monitor"]
    assert (mon["landing_page"] == "/").all() and (mon["pageviews"] == 1).all()
    gaps = mon.sort_values("started_at").groupby("user_agent")["started_at"].diff().dropna()
    minutes = gaps.dt.total_seconds() / 60
    assert minutes.round().isin([60, 120]).mean() > 0.95


def test_scrapers_are_fast(merged):
    rate = merged["pageviews"] / (merged["duration_s"] / 60).clip(lower=1 / 60)
    assert rate[merged["bot_kind"] == "scraper"].median() > 60
    assert rate[merged["segment"] != "bot"].median() < 5


def test_personas_are_findable_but_not_perfectly(merged):
    dev = pd.crosstab(merged["persona"], merged["device"], normalize="index")
    assert dev.loc["office_manager", "desktop"] > 0.7
    assert dev.loc["home_barista", "mobile"] > 0.55
    assert dev.loc["home_barista", "desktop"] > 0.1  # not perfectly separable
    ch = pd.crosstab(merged["persona"], merged["channel"], normalize="index")
    assert ch.loc["cafe_owner", "referral"] > 0.25
    assert ch.loc["office_manager", "paid_search"] > 0.2


def test_readme_documents_every_column():
    text = (data.DATA_DIR / "README.md").read_text(encoding="utf-8")
    for cols in data.SCHEMAS.values():
        for col in cols:
            assert f"`{col.name}`" in text, col.name
    assert "CC BY 4.0" in text and "Apache-2.0" in text and "MIT" in text


# -------------------------------------------------------------------- bad input errors
def _small(ds):
    return ds.sessions.head(50).copy()


def test_missing_column_raises_keyerror(ds):
    with pytest.raises(KeyError, match=r"validate_sessions\(\): sessions has no column "
                                       r"'user_agent'. It has: .*Rename"):
        data.validate_sessions(_small(ds).drop(columns="user_agent"))


def test_wrong_type_raises(ds):
    bad = _small(ds).assign(started_at=lambda d: d["started_at"].astype(str))
    with pytest.raises(ValueError, match=r"sessions.started_at has dtype .* expected "
                                         r"datetime64\[us, UTC\].*load_sessions"):
        data.validate_sessions(bad)


def test_duplicate_ids_raise(ds):
    s = _small(ds)
    bad = pd.concat([s, s.head(2)], ignore_index=True)
    with pytest.raises(ValueError, match=r"sessions.session_id must be unique.*"
                                         r"session_id s0000001.*drop_duplicates"):
        data.validate_sessions(bad)


def test_negative_duration_raises(ds):
    s = _small(ds)
    s.loc[3, "duration_s"] = -5.0
    with pytest.raises(ValueError, match=r"duration_s must be >= 0.*"
                                         + re.escape(s.loc[3, "session_id"])):
        data.validate_sessions(s)


def test_negative_pageviews_raise_but_zero_is_a_visit_without_pages(ds):
    # 0 page views is a real visit in a server log (a client that fetched only robots.txt)
    data.validate_sessions(_small(ds).assign(pageviews=0))
    s = _small(ds).assign(pageviews=-1)
    with pytest.raises(ValueError, match=r"pageviews must be >= 0.*50 rows in all"):
        data.validate_sessions(s)


def test_unknown_category_is_kept_not_rejected(ds):
    # value lists are the analyst's vocabulary: kept, never rejected (issue 19)
    s = _small(ds)
    s["channel"] = s["channel"].astype(str)
    s.loc[0, "channel"] = "tiktok"
    s["channel"] = s["channel"].astype("category")
    assert data.validate_sessions(s) is s


def test_event_before_session_raises(ds):
    e = ds.events.head(20).copy()
    e.loc[5, "timestamp"] = e.loc[5, "timestamp"] - pd.Timedelta(days=1)
    with pytest.raises(ValueError, match=r"validate_events\(\): events.timestamp is before "
                                         r"its session's started_at.*event_id e00000006"
                                         r".*time zones"):
        data.validate_events(e, ds.sessions)


def test_orphan_event_raises(ds):
    e = ds.events.head(5).copy()
    e.loc[0, "session_id"] = "s9999999"
    with pytest.raises(ValueError, match=r"events.session_id refers to sessions that are "
                                         r"not in sessions"):
        data.validate_events(e, ds.sessions)


def test_conflicting_event_ids_raise_but_exact_duplicates_pass(ds):
    e = ds.events.head(10)
    data.validate_events(pd.concat([e, e.tail(1)], ignore_index=True))
    other = e.tail(1).assign(page="/about")
    with pytest.raises(ValueError, match=r"events.event_id must be unique"):
        data.validate_events(pd.concat([e, other], ignore_index=True))


def test_lead_errors(ds):
    leads = ds.leads.head(30).copy()
    data.validate_leads(leads.assign(stage=pd.Categorical(["hot"] * 30)))  # kept
    bad = leads.assign(company_size=pd.array([0] * 30, dtype="Int64"))
    with pytest.raises(ValueError, match=r"company_size must be >= 1"):
        data.validate_leads(bad)
    cust = leads[leads["stage"] == "customer"].head(1)
    swapped = cust.assign(became_customer_at=cust["created_at"] - pd.Timedelta(days=1))
    with pytest.raises(ValueError, match=r"became_customer_at is before created_at"):
        data.validate_leads(swapped)


def test_answer_key_errors(ds):
    key = ds.answer_key
    with pytest.raises(ValueError, match=r"answer_key.session_id misses 1 session"):
        data.validate_answer_key(key.iloc[1:], ds.sessions)
    bad = key.head(10).copy()
    bad["bot_kind"] = pd.Categorical(["crawler"] * 10, categories=data.CATEGORIES["bot_kind"])
    humans = bad["segment"] != "bot"
    if humans.any():
        with pytest.raises(ValueError, match=r"bot_kind must be filled for bots and only"):
            data.validate_answer_key(bad)


def test_loader_checks_an_analysts_file(tmp_path, ds):
    raw = ds.sessions.head(20).copy()
    path = tmp_path / "export.csv"
    synth.write(data.Dataset(raw, ds.events.head(0), ds.leads.head(0),
                             ds.answer_key.head(0)), tmp_path)
    path = tmp_path / "sessions.csv"
    text = path.read_text().replace(",1,", ",one,", 1)
    path.write_text(text)
    with pytest.raises(ValueError, match=r"load_sessions\(\): sessions.pageviews has values "
                                         r"that are not numbers.*\('one'\)"):
        data.load_sessions(path)
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError, match=r"load_sessions\(\): no file .*check the "
                                                r"path") as err:
        data.load_sessions(missing)
    assert "make data" not in str(err.value)  # the analyst's own folder: no kit command
    with pytest.raises(FileNotFoundError, match=r"make data"):
        data.load_sessions(data.DATA_DIR / "no_such_file.csv")


def test_loader_rejects_bad_timestamps_and_categories(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("lead_id,created_at,lead_source,stage\nL1,yesterday,trade_show,lead\n")
    with pytest.raises(ValueError, match=r"leads.created_at has values that are not "
                                         r"timestamps.*lead_id L1.*ISO-8601"):
        data.load_leads(path)
    path.write_text("lead_id,created_at,lead_source,stage\n"
                    "L1,2025-02-03T10:00:00Z,fax,lead\n")
    with pytest.warns(data.UnmappedValuesWarning, match=r"lead_source 'fax' \(1\)"):
        assert data.load_leads(path)["lead_source"].tolist() == ["fax"]
    path.write_text("lead_id,created_at,lead_source,stage\n"
                    "L1,2025-02-03T10:00:00Z,trade_show,lead\n")
    leads = data.load_leads(path)
    assert str(leads["created_at"].dtype) == "datetime64[us, UTC]"


def test_validators_do_not_mutate(ds):
    s = _small(ds)
    before = s.copy()
    data.validate_sessions(s)
    pd.testing.assert_frame_equal(s, before)


def test_not_a_dataframe():
    with pytest.raises(TypeError, match=r"validate_leads\(\): leads must be a pandas "
                                        r"DataFrame"):
        data.validate_leads([1, 2])


# ---- your own exports: renamed columns, no answer key -----------------------------------


def test_own_export_with_other_column_names_loads_through_rename(tmp_path):
    from helpers import data as kit_data

    raw = pd.read_csv(kit_data.DATA_DIR / "sessions.csv", dtype=str, nrows=50)
    raw.rename(columns={"user_agent": "ua", "started_at": "session_start"}).to_csv(
        tmp_path / "my_sessions.csv", index=False
    )
    with pytest.raises(KeyError, match="user_agent"):
        kit_data.load_sessions(tmp_path / "my_sessions.csv")
    loaded = kit_data.load_sessions(
        tmp_path / "my_sessions.csv", rename={"ua": "user_agent", "session_start": "started_at"}
    )
    assert len(loaded) == 50
    assert str(loaded["started_at"].dtype) == "datetime64[us, UTC]"


def test_rename_naming_a_column_the_file_lacks_is_a_clear_error(tmp_path):
    from helpers import data as kit_data

    pd.read_csv(kit_data.DATA_DIR / "leads.csv", dtype=str, nrows=5).to_csv(
        tmp_path / "leads.csv", index=False
    )
    with pytest.raises(KeyError) as err:
        kit_data.load_leads(tmp_path / "leads.csv", rename={"Email Address": "email"})
    text = str(err.value)
    assert "load_leads()" in text and "'Email Address'" in text and "It has: lead_id" in text


def test_own_folder_without_answer_key(tmp_path):
    import shutil

    from helpers import data as kit_data

    for name in ("sessions.csv", "events.csv", "leads.csv"):
        shutil.copy(kit_data.DATA_DIR / name, tmp_path / name)
    with pytest.raises(FileNotFoundError, match="answer_key"):
        kit_data.load_all(tmp_path)
    ds = kit_data.load_all(tmp_path, answer_key=False)
    assert ds.answer_key is None
    assert len(ds.sessions) == len(kit_data.load_sessions())

"""helpers.traffic: the traffic window, bot visitors, human events, first touch, segment mix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import bots, data, leads, traffic


def random_traffic(n: int = 600, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sessions in three channels and an answer key of random segments (also for test_explorers)."""
    rng = np.random.default_rng(seed)
    sessions = pd.DataFrame(
        {
            "session_id": [f"s{i:05d}" for i in range(n)],
            "channel": rng.choice(["email", "social", "direct"], n, p=[0.2, 0.5, 0.3]),
        }
    )
    answer_key = pd.DataFrame(
        {"session_id": sessions["session_id"], "segment": rng.choice(list(traffic.SEGMENTS), n)}
    )
    return sessions, answer_key


@pytest.fixture
def mix_data():
    return random_traffic()


def independent_mix(sessions, answer_key, channel):
    merged = sessions.merge(answer_key, on="session_id")
    if channel != "all":
        merged = merged[merged["channel"] == channel]
    counts = merged["segment"].value_counts()
    return {seg: counts.get(seg, 0) / len(merged) for seg in traffic.SEGMENTS}


@pytest.mark.parametrize("channel", ["all", "email", "social", "direct"])
def test_traffic_mix_matches_an_independent_count(mix_data, channel):
    sessions, answer_key = mix_data
    table = traffic.traffic_mix(sessions, answer_key, channel).table
    expected = independent_mix(sessions, answer_key, channel)
    assert list(table.index) == list(traffic.SEGMENTS)
    for segment, share in expected.items():
        assert table.at[segment, "share"] == pytest.approx(share)
    assert table["share"].sum() == pytest.approx(1.0)


def test_traffic_mix_does_not_mutate_and_drops_nothing(mix_data):
    sessions, answer_key = mix_data
    before = sessions.copy()
    table = traffic.traffic_mix(sessions, answer_key.iloc[10:]).table
    pd.testing.assert_frame_equal(sessions, before)
    assert table["sessions"].sum() == len(sessions)
    assert table.at["unknown", "sessions"] == 10


def test_traffic_mix_errors_name_the_problem(mix_data):
    sessions, answer_key = mix_data
    with pytest.raises(ValueError, match="no sessions have channel 'fax'.*direct, email"):
        traffic.traffic_mix(sessions, answer_key, "fax")
    with pytest.raises(KeyError, match="traffic_mix\\(\\): answer_key has no column 'segment'"):
        traffic.traffic_mix(sessions, answer_key.rename(columns={"segment": "seg"}))


def test_traffic_mix_headline(mix_data):
    sessions, answer_key = mix_data
    found = traffic.traffic_mix(sessions, answer_key, "email")
    share = independent_mix(sessions, answer_key, "email")["bot"]
    assert found.headline == f"Bots: {share:.1%} of email sessions"
    assert found.value == round(share, 6)


# --------------------------------------------------------------------------- definitions


def test_bot_visitors_are_only_ever_seen_as_bots():
    labelled = pd.DataFrame(
        {
            "visitor_id": ["human", "misread", "misread", "bot", "bot", None],
            "is_bot": [False, True, False, True, True, True],
        }
    )
    assert traffic.bot_visitors(labelled).tolist() == ["bot"]


def test_bot_visitors_on_the_kit_data_reconcile():
    ds = data.load_all()
    labelled = bots.label(ds.sessions)
    found = set(traffic.bot_visitors(labelled))
    flagged = set(labelled.loc[labelled["is_bot"], "visitor_id"])
    humans = set(labelled.loc[~labelled["is_bot"], "visitor_id"])
    assert found == flagged - humans
    assert found and found < flagged, "some visitors have both flagged and human sessions"


def test_qualified_leads_follow_the_one_bot_visitor_definition():
    """The README and lessons 06 and 07 qualify with traffic.bot_visitors: one count."""
    ds = data.load_all()
    labelled = bots.label(ds.sessions)
    one = leads.qualify(ds.leads, bot_visitors=traffic.bot_visitors(labelled))
    any_flag = leads.qualify(ds.leads, bot_visitors=labelled.loc[labelled["is_bot"], "visitor_id"])
    assert one["qualified"].sum() > any_flag["qualified"].sum()


def test_window_and_since_start():
    sessions = pd.DataFrame(
        {"started_at": pd.to_datetime(["2025-02-03 08:00", "2025-02-05 23:59"], utc=True)}
    )
    window = traffic.window(sessions)
    assert (window.start, window.end, window.days) == (
        sessions["started_at"][0], sessions["started_at"][1], 3)
    created = pd.Series(pd.to_datetime(["2025-02-03 07:59", "2025-02-03 08:00", None], utc=True))
    assert window.since_start(created).tolist() == [False, True, False]
    with pytest.raises(ValueError, match="empty"):
        traffic.window(sessions.iloc[:0])


def test_first_touch_takes_the_earliest_session_and_settles_ties_by_id():
    sessions = pd.DataFrame(
        {
            "session_id": ["s2", "s1", "s3"],
            "visitor_id": ["a", "a", "b"],
            "channel": ["email", "social", "direct"],
            "landing_page": ["/x", "/y", "/z"],
            "started_at": pd.to_datetime(["2025-02-03"] * 3, utc=True),
        }
    )
    first = traffic.first_touch(sessions, ("channel", "landing_page"))
    assert first.to_dict("list") == {
        "visitor_id": ["a", "b"], "channel": ["social", "direct"], "landing_page": ["/y", "/z"]}


def test_human_events_keep_only_human_sessions():
    labelled = pd.DataFrame({"session_id": ["s1", "s2"], "is_bot": [True, False]})
    events = pd.DataFrame({"session_id": ["s1", "s2", "s9"], "event_name": ["a", "b", "c"]})
    assert traffic.human_events(events, labelled)["event_name"].tolist() == ["b"]


# --------------------------------------------------------------------------- GA4's words


def _ga4_toy():
    """v1: two sessions, buys twice in s1 (a long visit); v2: one short one-page visit; v3: a
    one-page 12-second visit; v4: two pages in 3 seconds."""
    sessions = pd.DataFrame({
        "session_id": ["s1", "s2", "s3", "s4", "s5"],
        "visitor_id": ["v1", "v1", "v2", "v3", "v4"],
        "duration_s": [40.0, 4.0, 2.0, 12.0, 3.0],
        "pageviews": [3, 1, 1, 1, 2],
    })
    events = pd.DataFrame({
        "session_id": ["s1", "s1", "s2", "s9"],
        "event_name": ["purchase", "purchase", "newsletter_signup", "purchase"],
    })
    return sessions, events


def test_key_event_rates_count_sessions_users_and_both_counting_methods():
    sessions, events = _ga4_toy()
    r = traffic.key_event_rates(sessions, events, "purchase")
    # s9 is not in sessions: its purchase is not counted
    assert (r.session_rate.conversions, r.session_rate.denominator) == (1, 5)
    assert (r.user_rate.conversions, r.user_rate.denominator) == (1, 4)
    assert (r.once_per_event, r.once_per_session) == (2, 1)
    both = traffic.key_event_rates(sessions, events, ["purchase", "newsletter_signup"])
    assert (both.session_rate.conversions, both.user_rate.conversions) == (2, 1)
    assert (both.once_per_event, both.once_per_session) == (3, 2)
    assert r.value == r.user_rate.value == pytest.approx(0.25)
    assert "of 5 sessions" in r.headline and "of 4 users" in r.headline


def test_engaged_sessions_follow_ga4s_three_conditions():
    sessions, events = _ga4_toy()
    # s1 long, s2 has a key event only when sign-ups are key events, s4 over 10 s, s5 two pages
    assert traffic.engaged_sessions(sessions, events, "purchase").tolist() == [True, False, False, True, True]
    assert traffic.engaged_sessions(sessions, events, ["newsletter_signup"]).tolist() == [
        True, True, False, True, True]
    exactly_ten = sessions.assign(duration_s=10.0, pageviews=1)
    assert not traffic.engaged_sessions(exactly_ten, events.iloc[:0]).any(), "longer than 10 s"
    r = traffic.key_event_rates(sessions, events, "purchase")
    assert r.engaged == 3 and r.engagement_rate == pytest.approx(3 / 5)


def test_key_event_rates_do_not_mutate_and_explain_errors():
    sessions, events = _ga4_toy()
    before = sessions.copy(), events.copy()
    traffic.key_event_rates(sessions, events)
    pd.testing.assert_frame_equal(sessions, before[0])
    pd.testing.assert_frame_equal(events, before[1])
    with pytest.raises(KeyError, match=r"key_event_rates\(\): sessions has no column 'pageviews'"):
        traffic.key_event_rates(sessions.drop(columns="pageviews"), events)
    with pytest.raises(ValueError, match=r"key_event_rates\(\): key_events must be"):
        traffic.key_event_rates(sessions, events, [])
    with pytest.raises(ValueError, match="empty"):
        traffic.key_event_rates(sessions.iloc[:0], events)


def test_key_event_rates_on_the_kit_data_match_plain_pandas(kit):
    events = traffic.deduplicate_events(kit.events)
    r = traffic.key_event_rates(kit.sessions, events, "newsletter_signup")
    signups = events[events["event_name"] == "newsletter_signup"]
    assert r.session_rate.conversions == signups["session_id"].nunique()
    assert r.user_rate.conversions == signups["visitor_id"].nunique()
    assert r.users == kit.sessions["visitor_id"].nunique()
    assert r.user_rate.value > r.session_rate.value, "fewer users than sessions below the line"
    raw = traffic.key_event_rates(kit.sessions, kit.events, "newsletter_signup")
    assert raw.once_per_event - raw.once_per_session == kit.events.duplicated().sum()


def test_micro_conventions_match_a_count_by_hand():
    """Both conventions recomputed with pandas: visitors with the event over human visitors,
    and leads with the event from the moment they became leads over the human leads."""
    from helpers import bots, conversions, data

    ds = data.load_all()
    events, people = traffic.human_events_and_leads(ds.sessions, ds.events, ds.leads)
    labelled = bots.label(ds.sessions)
    humans = labelled[~labelled["is_bot"]]
    got = traffic.micro_conventions(humans, events, people)
    assert list(got.index) == list(conversions.CATALOGUE.micro)
    since = people.dropna(subset=["visitor_id"]).groupby("visitor_id")["first_at"].min()
    for event in got.index:
        mine = events[events["event_name"] == event]
        visitors_with = mine.loc[mine["session_id"].isin(humans["session_id"]), "visitor_id"].nunique()
        assert got.at[event, "visitors_with"] == visitors_with
        assert got.at[event, "visitors"] == humans["visitor_id"].nunique()
        after = mine["timestamp"] >= mine["visitor_id"].map(since)
        assert got.at[event, "leads_with"] == mine.loc[after.fillna(False), "visitor_id"].nunique()
        assert got.at[event, "leads"] == people["visitor_id"].nunique()
        for side in ("visitor", "lead"):
            low, value, high = got.loc[event, [f"{side}_low", f"{side}_rate", f"{side}_high"]]
            assert low <= value <= high
    # anonymous commenters count over visitors, not over leads
    assert got.at["blog_comment", "visitors_with"] > got.at["blog_comment", "leads_with"]


def test_micro_conventions_refuse_a_catalogue_that_is_not_one():
    from helpers import data

    ds = data.load_all()
    with pytest.raises(TypeError, match=r"micro_conventions\(\): catalogue must be a "
                                        r"conversions.Catalogue, got dict"):
        traffic.micro_conventions(ds.sessions, ds.events, ds.leads, {"purchase": "macro"})

"""GA4 BigQuery export: the kit's traffic written by exports.to_ga4, read back by from_ga4."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from helpers import data, exports


@pytest.fixture(scope="module")
def kit() -> data.Dataset:
    return data.load_all()


@pytest.fixture(scope="module", params=["json", "parquet"])
def round_trip(request, kit, tmp_path_factory):
    path = tmp_path_factory.mktemp("ga4") / f"events_20250203.{request.param}"
    exports.to_ga4(kit, path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        back = data.from_ga4(path)
    return back, caught, path


def test_sessions_round_trip(kit, round_trip):
    back, _, _ = round_trip
    s = kit.sessions
    assert len(back.sessions) == len(s)
    keys = ["visitor_id", "started_at"]
    m = s.merge(back.sessions, on=keys, suffixes=("", "_ga4"), validate="one_to_one")
    assert len(m) == len(s)
    for col in ("channel", "device", "landing_page", "pageviews", "country", "source"):
        left = m[col].astype(object).fillna("<missing>")
        right = m[f"{col}_ga4"].astype(object).fillna("<missing>")
        assert (left == right).all(), (col, m.loc[left != right, [col, f"{col}_ga4"]].head())
    assert (m["duration_s"] - m["duration_s_ga4"]).abs().max() < 1e-6
    assert (m["is_returning"] == m["is_returning_ga4"]).all()
    assert back.sessions["user_agent"].isna().all()  # GA4 exports no user agent
    assert back.answer_key is None and len(back.leads) == 0


def test_events_round_trip(kit, round_trip):
    back, _, _ = round_trip
    e = back.events[~back.events["event_name"].isin(["session_start", "user_engagement"])]
    assert len(e) == len(kit.events)
    cols = ["visitor_id", "timestamp", "event_name", "page", "value"]

    def norm(df):
        out = df[cols].astype({"event_name": str}).copy()
        out["page"] = out["page"].astype(object).fillna("<missing>")
        return out.sort_values(cols[:4], kind="stable", ignore_index=True)

    pd.testing.assert_frame_equal(norm(e), norm(kit.events), check_dtype=False)
    # every event sits in a session that has it, and the events reconcile to page views
    pv = back.events["event_name"].eq("page_view").sum()
    assert pv == back.sessions["pageviews"].sum() == kit.sessions["pageviews"].sum()


def test_ga4_event_names_are_kept_and_reported_once(round_trip):
    back, caught, _ = round_trip
    lines = [str(w.message) for w in caught if issubclass(w.category,
                                                         data.UnmappedValuesWarning)]
    assert len(lines) == 1 and "session_start" in lines[0] and "user_engagement" in lines[0]


def test_reads_the_export_as_google_writes_it(round_trip):
    _, _, path = round_trip
    if path.suffix == ".json":
        row = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    else:
        import pyarrow.parquet as pq

        row = pq.read_table(path).slice(0, 1).to_pylist()[0]
    assert {"event_date", "event_timestamp", "event_name", "event_params", "user_pseudo_id",
            "device", "geo", "traffic_source", "ecommerce"} <= set(row)
    keys = {p["key"] for p in row["event_params"]}
    assert {"ga_session_id", "page_location"} <= keys
    assert len(str(row["event_timestamp"])) == 16  # microseconds


def test_a_hand_written_ga4_row_with_string_integers(tmp_path):
    # BigQuery's JSON extract writes INT64 as strings; geo.country is an English name
    rows = [{"event_date": "20250203", "event_timestamp": "1738576800000000",
             "event_name": "page_view", "user_pseudo_id": "123.456",
             "event_params": [{"key": "ga_session_id", "value": {"int_value": "1738576800"}},
                              {"key": "page_location",
                               "value": {"string_value": "https://shop.example/a?b=1"}}],
             "device": {"category": "desktop"}, "geo": {"country": "Germany"},
             "collected_traffic_source": {"manual_source": "google",
                                          "manual_medium": "organic"}},
            {"event_date": "20250203", "event_timestamp": "1738576830000000",
             "event_name": "purchase", "user_pseudo_id": "123.456",
             "event_params": [{"key": "ga_session_id", "value": {"int_value": "1738576800"}},
                              {"key": "page_location",
                               "value": {"string_value": "https://shop.example/checkout"}}],
             "device": {"category": "desktop"}, "geo": {"country": "Germany"},
             "ecommerce": {"purchase_revenue": 42.5}}]
    path = tmp_path / "events_20250203.json"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ds = data.from_ga4(tmp_path)  # a folder of daily files works too
    s = ds.sessions.iloc[0]
    assert s["session_id"] == "123.456.1738576800" and s["channel"] == "organic_search"
    assert s["country"] == "DE" and s["landing_page"] == "/a" and s["duration_s"] == 30.0
    assert ds.events["value"].tolist()[1] == 42.5


def test_not_a_ga4_export_is_clear(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a": 1}\n')
    with pytest.raises(KeyError, match=r"from_ga4\(\): the export has no column "
                                       r"'event_timestamp'.*7029846"):
        data.from_ga4(path)


def test_the_generator_command_writes_a_ga4_export_and_a_log(tmp_path, capsys):
    """`python -m helpers.synth --ga4 FILE --access-log FILE` (the issue's "the generator can
    write ..."): the files it writes read back as the CSVs it writes beside them."""
    from helpers import synth

    ga4, log = tmp_path / "events_20250203.jsonl", tmp_path / "access.log"
    assert synth.main(["--out", str(tmp_path), "--visitors", "120", "--days", "3",
                       "--ga4", str(ga4), "--access-log", str(log)]) == 0
    written = data.load_all(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_ga4 = data.from_ga4(ga4)
        from_log = data.from_access_log(log)
    assert len(from_ga4.sessions) == len(written.sessions)
    assert int(from_ga4.events["event_name"].eq("page_view").sum()) == int(
        written.sessions["pageviews"].sum())
    assert set(from_ga4.sessions["visitor_id"]) == set(written.sessions["visitor_id"].astype(str))
    # a log client is an address and an agent: it sees every request of the traffic
    assert int(from_log.sessions["pageviews"].sum()) == int(written.sessions["pageviews"].sum())
    # without the options only the CSV files are written
    plain = tmp_path / "plain"
    synth.main(["--out", str(plain), "--visitors", "50", "--days", "2"])
    kit_files = sorted(p.name for p in data.kit_data_dir().glob("*.csv"))
    assert sorted(p.name for p in plain.iterdir()) == kit_files  # the kit's files, no more

"""Loaders on an analyst's inputs: any index, separators, encodings, Parquet, frames, zones,
the analyst's own vocabulary (mapping=) and a CRM file with only a converted flag."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import data


@pytest.fixture(scope="module")
def raw_sessions() -> pd.DataFrame:
    return pd.read_csv(data.DATA_DIR / "sessions.csv", dtype=str, keep_default_na=False,
                       nrows=2000)


@pytest.fixture(scope="module")
def raw_leads() -> pd.DataFrame:
    return pd.read_csv(data.DATA_DIR / "leads.csv", dtype=str, keep_default_na=False,
                       nrows=2000)


def _same_rows(typed: pd.DataFrame, raw: pd.DataFrame) -> None:
    """Every typed row still holds its own raw row's values (nothing scrambled)."""
    assert len(typed) == len(raw)
    assert typed.index.equals(raw.index)
    for col in ("session_id", "channel", "device", "pageviews"):
        if col in typed.columns:
            got = typed[col].astype(str).to_numpy()
            assert (got == raw[col].to_numpy()).all(), col


# ---------------------------------------------------------------- from_raw on any index
@pytest.mark.parametrize("case", ["filtered", "sorted", "concatenated", "sampled", "string",
                                  "multiindex"])
def test_from_raw_keeps_each_row_whole_on_any_index(raw_sessions, case):
    r = raw_sessions
    raw = {
        "filtered": lambda: r[r["device"] == "mobile"],
        "sorted": lambda: r.sort_values("user_agent"),
        "concatenated": lambda: pd.concat([r.iloc[1000:], r.iloc[:1000]]),
        "sampled": lambda: r.sample(frac=1.0, random_state=1),
        "string": lambda: r.set_axis([f"row{i}" for i in range(len(r))]),
        "multiindex": lambda: r.set_axis(pd.MultiIndex.from_arrays(
            [np.arange(len(r)) % 7, np.arange(len(r))])),
    }[case]()
    assert not raw.index.equals(pd.RangeIndex(len(raw)))  # the case really is off 0..n-1
    typed = data.from_raw("sessions", raw)
    _same_rows(typed, raw)


def test_from_raw_on_filtered_leads_has_no_false_missing_ids(raw_leads):
    raw = raw_leads[raw_leads["lead_source"] != "trade_show"]
    typed = data.from_raw("leads", raw)
    assert typed["lead_id"].notna().all()
    assert (typed["lead_id"].to_numpy() == raw["lead_id"].to_numpy()).all()
    assert (typed["stage"].astype(str).to_numpy() == raw["stage"].to_numpy()).all()


def test_from_raw_does_not_change_its_input(raw_sessions):
    raw = raw_sessions.iloc[::3]
    before = raw.copy()
    data.from_raw("sessions", raw)
    pd.testing.assert_frame_equal(raw, before)


# ---------------------------------------------------------------------- files and frames
def _write_kit_sessions(tmp_path, sep=",", encoding="utf-8", n=200):
    raw = pd.read_csv(data.DATA_DIR / "sessions.csv", dtype=str, keep_default_na=False,
                      nrows=n)
    path = tmp_path / f"sessions_{encoding}.csv"
    raw.to_csv(path, sep=sep, encoding=encoding, index=False)
    return path, data.load_sessions(data.DATA_DIR / "sessions.csv").head(n)


@pytest.mark.parametrize("sep,encoding", [(";", "utf-8"), ("\t", "utf-8"), (",", "latin-1"),
                                          (";", "cp1252"), (",", "utf-16"), ("|", "utf-8-sig")])
def test_any_separator_and_encoding_is_sniffed(tmp_path, sep, encoding):
    path, expected = _write_kit_sessions(tmp_path, sep, encoding)
    got = data.load_sessions(path)
    pd.testing.assert_frame_equal(got, expected)


def test_non_ascii_latin1_and_cp1252_text_reads_right(tmp_path):
    text = "lead_id;lead_source;stage;name;created_at\nL1;Messe;lead;Jürgen Müller €;2025-02-03T10:00:00Z\n"
    for enc in ("cp1252", "latin-1"):
        path = tmp_path / f"crm_{enc}.csv"
        path.write_bytes(text.replace("€", "") .encode(enc) if enc == "latin-1"
                         else text.encode(enc))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", data.UnmappedValuesWarning)
            leads = data.load_leads(path)
        assert leads["name"].iloc[0].startswith("Jürgen Müller"), enc


def test_wrong_encoding_override_names_sep_and_encoding(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes("a;b\n1;2\n".encode("utf-16"))
    with pytest.raises(ValueError, match=r"sep=.*encoding='utf-8'.*Fix: pass"):
        data.load_sessions(path, encoding="utf-8", sep=";")


def test_wrong_separator_override_is_named(tmp_path):
    path, _ = _write_kit_sessions(tmp_path, ";")
    with pytest.raises(ValueError, match=r"with sep=',' and encoding='utf-8'.*Fix: .*sep=';'"):
        data.load_sessions(path, sep=",")


def test_empty_file_and_directory_are_clear(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match=r"load_sessions\(\): .*empty.csv is empty"):
        data.load_sessions(empty)
    with pytest.raises(IsADirectoryError, match=r"is a folder.*load_all\(folder\)"):
        data.load_sessions(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"load_all\(\): no folder"):
        data.load_all(tmp_path / "nope")


def test_rename_onto_an_existing_column_is_clear(tmp_path):
    path, _ = _write_kit_sessions(tmp_path)
    with pytest.raises(ValueError, match=r"rename= maps 'ip' onto 'user_agent', but .* "
                                         r"already has a column 'user_agent'"):
        data.load_sessions(path, rename={"ip": "user_agent"})


def test_parquet_and_dataframe_inputs_equal_the_csv(tmp_path):
    kit = data.load_sessions().head(300)
    pq_path = tmp_path / "sessions.parquet"
    kit.to_parquet(pq_path)
    pd.testing.assert_frame_equal(data.load_sessions(pq_path), kit)
    pd.testing.assert_frame_equal(data.load_sessions(kit), kit)
    raw = pd.read_csv(data.DATA_DIR / "sessions.csv", dtype=str, nrows=300,
                      keep_default_na=False)
    pd.testing.assert_frame_equal(data.load_sessions(raw), kit)


# ------------------------------------------------------------------------- time zones
def test_naive_times_need_tz_and_are_converted_with_it():
    raw = pd.DataFrame({"lead_id": ["L1", "L2"], "lead_source": ["trade_show"] * 2,
                        "stage": ["lead"] * 2,
                        "created_at": ["2025-02-03 10:00:00", "2025-07-03 10:00:00"]})
    with pytest.raises(ValueError, match=r"from_raw\(\): leads.created_at has times without "
                                         r"a time zone.*lead_id L1.*tz="):
        data.from_raw("leads", raw)
    got = data.from_raw("leads", raw, tz="Europe/Berlin")["created_at"]
    assert got.tolist() == [pd.Timestamp("2025-02-03 09:00", tz="UTC"),
                            pd.Timestamp("2025-07-03 08:00", tz="UTC")]
    naive = raw.assign(created_at=pd.to_datetime(raw["created_at"]))
    with pytest.raises(ValueError, match=r"created_at has times without a time zone"):
        data.from_raw("leads", naive)
    assert data.from_raw("leads", naive, tz="UTC")["created_at"].dt.hour.tolist() == [10, 10]


def test_zoned_strings_are_converted_to_utc_without_tz():
    raw = pd.DataFrame({"lead_id": ["L1"], "lead_source": ["x"], "stage": ["lead"],
                        "created_at": ["2025-02-03T10:00:00+01:00"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.UnmappedValuesWarning)
        got = data.from_raw("leads", raw)["created_at"].iloc[0]
    assert got == pd.Timestamp("2025-02-03 09:00", tz="UTC")


# ------------------------------------------------------------------ vocabulary, mapping
def test_own_values_are_kept_and_reported_in_one_line(raw_sessions):
    raw = raw_sessions.head(10).copy()
    raw["channel"] = ["Organic Search", "Paid Search", "Organic Video", "Direct", "Email",
                      "Organic Social", "Referral", "Unassigned", "Direct", "Paid Social"]
    with pytest.warns(data.UnmappedValuesWarning) as caught:
        typed = data.from_raw("sessions", raw, mapping={"channel": "ga4_channel_groups"})
    assert len(caught) == 1
    line = str(caught[0].message)
    assert "channel 'Organic Video' (1), 'Unassigned' (1)" in line and "\n" not in line
    assert typed["channel"].astype(str).tolist() == [
        "organic_search", "paid_search", "Organic Video", "direct", "email", "social",
        "referral", "Unassigned", "direct", "social"]
    assert typed.attrs["unmapped"] == {"channel": {"Organic Video": 1, "Unassigned": 1}}
    # the kit's own order first, the analyst's extra values after: nothing dropped
    assert list(typed["channel"].cat.categories)[:6] == list(data.CATEGORIES["channel"])


def test_country_names_map_onto_iso_codes(raw_leads):
    raw = raw_leads.head(4).copy()
    raw["country"] = ["India", "Germany", "DE", "Atlantis"]
    with pytest.warns(data.UnmappedValuesWarning, match=r"country 'Atlantis' \(1\)"):
        typed = data.from_raw("leads", raw, mapping={"country": "country_names"})
    assert typed["country"].tolist() == ["IN", "DE", "DE", "Atlantis"]


def test_kit_data_loads_without_any_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data.load_all()


def test_unknown_mapping_name_is_clear(raw_sessions):
    with pytest.raises(ValueError, match=r"mapping\['channel'\] = 'ga4' is not a mapping"):
        data.from_raw("sessions", raw_sessions.head(2), mapping={"channel": "ga4"})


# --------------------------------------------------- CRM file with only a converted flag
def test_crm_with_only_a_converted_flag_loads_without_inventing(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Lead Number;Lead Source;Converted;Country\n"
                    "660737;Google;1;India\n660728;Direct Traffic;0;India\n"
                    "660727;Live Chat;No;\n", encoding="utf-8")
    with pytest.warns(data.UnmappedValuesWarning, match=r"lead_source 'Google' \(1\), 'Direct Traffic' \(1\)"):
        leads = data.load_leads(path, rename={"Lead Number": "lead_id",
                                              "Lead Source": "lead_source",
                                              "Country": "country"},
                                mapping={"stage": data.converted_flag("Converted"),
                                         "country": "country_names"})
    assert leads["stage"].astype(str).tolist() == ["customer", "unknown", "unknown"]
    assert leads["lead_id"].tolist() == ["660737", "660728", "660727"]  # ids stay text
    assert leads["country"].tolist()[:2] == ["IN", "IN"] and pd.isna(leads["country"][2])
    assert "created_at" not in leads.columns and "became_customer_at" not in leads.columns
    assert leads["lead_source"].astype(str).tolist() == ["Google", "Direct Traffic",
                                                         "Live Chat"]


def test_converted_flag_must_be_a_flag():
    raw = pd.DataFrame({"lead_id": ["L1"], "lead_source": ["trade_show"],
                        "Converted": ["maybe"]})
    with pytest.raises(ValueError, match=r"Converted must be True or False"):
        data.from_raw("leads", raw, mapping={"stage": data.converted_flag("Converted")})
    with pytest.raises(KeyError, match=r"reads column 'won'"):
        data.from_raw("leads", raw, mapping={"stage": data.converted_flag("won")})


# ------------------------------------------------------------- open files, not only paths


@pytest.mark.parametrize("kind", ["bytes", "text", "handle"])
@pytest.mark.parametrize(
    ("loader", "name"),
    [
        ("data.load_sessions", "sessions.csv"),
        ("data.load_events", "events.csv"),
        ("data.load_leads", "leads.csv"),
        ("data.load_answer_key", "answer_key.csv"),
        ("money.load_spend", "spend.csv"),
        ("networks.load_networks", "networks.csv"),
    ],
)
def test_loaders_take_an_open_file_as_they_take_its_path(loader, name, kind):
    """An upload (bytes), a text buffer or an open handle gives the frame the path gives."""
    import importlib
    import io

    module, function = loader.split(".")
    load = getattr(importlib.import_module(f"helpers.{module}"), function)
    path = data.kit_data_dir() / name
    raw = path.read_bytes()
    if kind == "handle":
        with open(path, "rb") as handle:
            got = load(handle)
    else:
        got = load(io.BytesIO(raw) if kind == "bytes" else io.StringIO(raw.decode("utf-8")))
    pd.testing.assert_frame_equal(got, load(path))


def test_log_and_ga4_readers_take_open_files(tmp_path):
    import io

    from helpers import exports

    kit = data.load_all()
    log = exports.to_access_log(kit, tmp_path / "access.log")
    ga4 = exports.to_ga4(kit, tmp_path / "events_20250203.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_buffer = data.from_access_log(io.BytesIO(log.read_bytes()))
        from_path = data.from_access_log(log)
        with open(ga4, "rb") as handle:
            ga4_buffer = data.from_ga4(handle)
        ga4_path = data.from_ga4(ga4)
    pd.testing.assert_frame_equal(from_buffer.sessions, from_path.sessions)
    pd.testing.assert_frame_equal(ga4_buffer.events, ga4_path.events)


def test_an_upload_keeps_its_suffix_so_parquet_is_read_as_parquet(tmp_path):
    import io

    sessions = data.load_sessions()
    target = tmp_path / "sessions.parquet"
    sessions.to_parquet(target)
    upload = io.BytesIO(target.read_bytes())
    upload.name = "sessions.parquet"  # what a file widget's upload carries
    pd.testing.assert_frame_equal(data.load_sessions(upload), data.load_sessions(target))


@pytest.mark.parametrize("bad", [42, ["sessions.csv"], b"sessions.csv"])
def test_a_path_of_the_wrong_type_is_refused_with_the_fix(bad):
    with pytest.raises(TypeError, match=r"load_sessions\(\): expected a file path \(str or "
                                        r"Path\), an open file or a DataFrame; got \w+\. Fix: pass"):
        data.load_sessions(bad)


def test_nameless_parquet_bytes_are_read_as_parquet(tmp_path):
    """io.BytesIO of a Parquet file without a .name was read as a CSV ('could not read ... as
    CSV with encoding cp1252'); its first bytes, PAR1, say what it is."""
    import io

    for frame, load in (("sessions", data.load_sessions), ("events", data.load_events)):
        target = tmp_path / f"{frame}.parquet"
        expected = load(None)
        expected.to_parquet(target)
        upload = io.BytesIO(target.read_bytes())
        assert not hasattr(upload, "name")
        pd.testing.assert_frame_equal(load(upload), load(target))
    # a CSV upload without a name is still read as CSV
    csv = io.BytesIO((data.kit_data_dir() / "leads.csv").read_bytes())
    pd.testing.assert_frame_equal(data.load_leads(csv), data.load_leads())

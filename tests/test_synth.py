"""The generator: reproducibility, small configs, knobs, scale, CLI."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from helpers import data, synth

SMALL = synth.SynthConfig(visitors=600, days=7, seed=11)


@pytest.fixture(scope="module")
def small() -> data.Dataset:
    return synth.generate(SMALL)


def test_regenerating_defaults_reproduces_committed_files(tmp_path):
    config = synth.SynthConfig()
    dataset = synth.generate(config)
    synth.write(dataset, tmp_path)
    synth.write_spend(synth.spend(dataset.sessions, config.seed, config.start, config.days), tmp_path)
    synth.write_networks(synth.networks(), tmp_path)
    synth.write_nurture(synth.nurture(dataset.leads, config.seed, config.start, config.days), tmp_path)
    synth.write_forms(synth.forms(), tmp_path)
    for name in ("sessions", "events", "leads", "answer_key", "spend", "networks", "nurture",
                 "forms"):
        committed = (data.DATA_DIR / f"{name}.csv").read_bytes()
        assert (tmp_path / f"{name}.csv").read_bytes() == committed, (
            f"data/{name}.csv differs from a fresh `make data`; regenerate and commit it")


def test_small_config_is_fast_and_consistent(small):
    t = time.perf_counter()
    synth.generate(SMALL)
    assert time.perf_counter() - t < 5
    s, e, leads, key = small
    data.validate_sessions(s)
    data.validate_events(e, s)
    data.validate_leads(leads)
    data.validate_answer_key(key, s)
    pv = e[e["event_name"] == "page_view"].groupby("session_id").size()
    assert (pv.reindex(s["session_id"]).to_numpy() == s["pageviews"].to_numpy()).all()
    window_end = pd.Timestamp(SMALL.start, tz="UTC") + pd.Timedelta(days=SMALL.days)
    assert (s["started_at"] < window_end).all()


def test_same_seed_same_data_other_seed_other_data(small):
    again = synth.generate(SMALL)
    for a, b in zip(small, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    other = synth.generate(synth.SynthConfig(visitors=600, days=7, seed=12))
    assert not other.sessions["started_at"].equals(small.sessions["started_at"])


def test_write_then_load_round_trips(small, tmp_path):
    synth.write(small, tmp_path)
    back = data.load_all(tmp_path)
    for a, b in zip(small, back, strict=True):
        pd.testing.assert_frame_equal(a, b)
    text = (tmp_path / "events.csv").read_bytes()
    assert b"\r\n" not in text


def test_bot_share_knob():
    for share in (0.1, 0.4):
        ds = synth.generate(synth.SynthConfig(visitors=800, days=7, bot_share=share, seed=3))
        got = (ds.answer_key["segment"] == "bot").mean()
        assert abs(got - share) < 0.03
    none = synth.generate(synth.SynthConfig(visitors=300, days=7, bot_share=0.0))
    assert (none.answer_key["segment"] != "bot").all()


def test_propensities_knob():
    base = synth.SynthConfig(visitors=3000, days=7, seed=5)
    more = synth.SynthConfig(visitors=3000, days=7, seed=5,
                             propensities=synth.Propensities(guide_download=3.0))
    n = [(synth.generate(c).events["event_name"] == "guide_download").sum() for c in (base, more)]
    assert n[1] > 2 * n[0]


def test_start_and_days_knobs():
    ds = synth.generate(synth.SynthConfig(visitors=300, days=3, start="2024-06-01"))
    s = ds.sessions["started_at"]
    assert s.min() >= pd.Timestamp("2024-06-01", tz="UTC")
    assert s.max() < pd.Timestamp("2024-06-04", tz="UTC")


@pytest.mark.parametrize("kwargs, message", [
    ({"bot_share": 0.95}, "bot_share must be between 0 and 0.9"),
    ({"days": 0}, "days must be at least 1"),
    ({"visitors": 3}, "visitors must be at least 10"),
    ({"start": "last monday"}, "start must be a date"),
])
def test_bad_config_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synth.SynthConfig(**kwargs)


def test_config_is_frozen():
    with pytest.raises(AttributeError):
        synth.SynthConfig().seed = 1  # type: ignore[misc]


def test_vectorised_scale_is_linear_and_quick():
    t = time.perf_counter()
    ds = synth.generate(synth.SynthConfig(visitors=synth._visitors_for(60_000, 0.22), seed=9))
    took = time.perf_counter() - t
    assert 50_000 < len(ds.sessions) < 70_000
    assert 3 <= len(ds.events) / len(ds.sessions) <= 5
    assert took < 10  # ~1.5 s on an idle laptop


def test_cli_writes_files(tmp_path, capsys):
    rc = synth.main(["--out", str(tmp_path), "--visitors", "200", "--days", "7",
                     "--seed", "4", "--bot-share", "0.3"])
    assert rc == 0
    assert "sessions" in capsys.readouterr().out
    ds = data.load_all(tmp_path)
    assert abs((ds.answer_key["segment"] == "bot").mean() - 0.3) < 0.06


def test_cli_scale(tmp_path):
    synth.main(["--out", str(tmp_path), "--scale", "5000", "--days", "28"])
    n = len(data.load_sessions(tmp_path / "sessions.csv"))
    assert 4000 < n < 6000


def test_cli_rejects_bad_bot_share(tmp_path):
    with pytest.raises(SystemExit):
        synth.main(["--out", str(tmp_path), "--bot-share", "2"])


def test_writes_only_into_the_given_folder(small, tmp_path):
    target = tmp_path / "new" / "folder"
    paths = synth.write(small, target)
    assert all(p.parent == target for p in paths.values())
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        p.name for p in paths.values())


def test_writer_quotes_commas_and_handles_missing(tmp_path):
    s = data.load_sessions().head(3).copy()
    s.loc[0, "user_agent"] = 'a "quoted", agent'
    s.loc[1, "user_agent"] = None
    ds = data.load_all()
    synth.write(data.Dataset(s, ds.events.head(0), ds.leads.head(0), ds.answer_key.head(0)),
                tmp_path)
    back = data.load_sessions(tmp_path / "sessions.csv")
    assert back.loc[0, "user_agent"] == 'a "quoted", agent'
    assert pd.isna(back.loc[1, "user_agent"])


def test_pools_are_deterministic_subsets():
    pool = synth.human_ua_pool()
    assert {k: len(v[0]) for k, v in pool.items()} == {"desktop": 143, "mobile": 150,
                                                      "tablet": 21}
    for _, w in pool.values():
        assert np.isclose(w.sum(), 1.0)
    assert set(synth.in_app_ua_pool()) == {"Facebook", "Instagram", "Twitter"}
    assert all(len(v) > 0 for v in synth.crawler_ua_pool().values())


def test_every_page_is_known(small):
    assert small.events["page"].isin(synth.PAGES).all()
    assert small.sessions["landing_page"].isin(synth.PAGES).all()


# ------------------------------------------------------------- the behaviour table
def test_every_group_has_one_behaviour_and_the_shares_add_up():
    assert set(synth.SEGMENTS) == set(synth.Group)
    humans = [synth.SEGMENTS[g] for g in synth.HUMAN_GROUPS]
    assert np.isclose(sum(b.visitor_share for b in humans), 1.0)
    for behaviour in humans:
        assert behaviour.devices is not None and np.isclose(sum(behaviour.devices), 1.0)
        assert set(behaviour.channels) <= set(data.CATEGORIES["channel"])
        assert sum(vars(behaviour.forms).values()) < 1  # one form per visit at most
    bot_shares = [synth.SEGMENTS[g].share_of_bots for g in synth.BOT_GROUPS
                  if g != synth.Group.MONITOR]
    assert np.isclose(sum(bot_shares), 1.0)
    assert all(np.isclose(sum(mix), 1.0) for mix in synth.STAGE_MIX.values())


def test_the_behaviour_table_is_read_only():
    with pytest.raises(TypeError):
        synth.SEGMENTS[synth.Group.LOYAL] = synth.SEGMENTS[synth.Group.STUMBLED]  # type: ignore[index]
    with pytest.raises(AttributeError):
        synth.SEGMENTS[synth.Group.LOYAL].add_to_cart = 0.5  # type: ignore[misc]


def test_answer_key_follows_the_table(small):
    key = small.answer_key
    for group in synth.Group:
        behaviour = synth.SEGMENTS[group]
        rows = (key["segment"] == behaviour.segment)
        if behaviour.bot_kind is not None:
            assert (key.loc[key["bot_kind"] == behaviour.bot_kind, "segment"] == "bot").all()
        if behaviour.persona is not None:
            assert rows[key["persona"] == behaviour.persona].all()


# ------------------------------------------------------------------ bad arguments
BAD_ARGUMENTS = [
    (["--days", "0"], "--days"), (["--days", "-3"], "--days"), (["--days", "1.5"], "--days"),
    (["--days", "x"], "--days"), (["--days", "5000"], "days must be at most"),
    (["--visitors", "0"], "--visitors"), (["--visitors", "-5"], "--visitors"),
    (["--visitors", "5"], "--visitors"), (["--visitors", "ten"], "--visitors"),
    (["--bot-share", "1"], "--bot-share"), (["--bot-share", "-0.1"], "--bot-share"),
    (["--bot-share", "nan"], "--bot-share"), (["--bot-share", "inf"], "--bot-share"),
    (["--bot-share", "22"], "--bot-share"), (["--bot-share", "abc"], "--bot-share"),
    (["--bot-share", "0.95"], "--bot-share"),
    (["--seed", "-1"], "--seed"), (["--seed", "1.5"], "--seed"), (["--seed", "abc"], "--seed"),
    (["--start", "2025-13-01"], "start must be a date"), (["--start", ""], "start must be a date"),
    (["--start", "last monday"], "start must be a date"),
    (["--start", "1960-01-01"], "window must lie between"),
    (["--start", "2199-12-30"], "window must lie between"),
    (["--scale", "0"], "--scale"), (["--scale", "-10"], "--scale"), (["--scale", "1.5"], "--scale"),
    (["--colour", "red"], "unrecognized arguments"),
]


@pytest.mark.parametrize("argv, names", BAD_ARGUMENTS, ids=lambda a: " ".join(a)
                         if isinstance(a, list) else None)
def test_cli_bad_argument_is_a_one_line_error(tmp_path, capsys, argv, names):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        synth.main(["--out", str(out), "--visitors", "50", "--days", "3", *argv])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert error[-1].startswith("python -m helpers.synth: error: ")
    assert names in error[-1]
    assert not out.exists()  # nothing written


@pytest.mark.parametrize("make_out, message", [
    (lambda tmp: tmp / "a_file", "is a file, not a folder"),
    (lambda tmp: tmp / "a_file" / "inside", "is a file"),
    (lambda tmp: "", "must name a folder"),
    (lambda tmp: "  ", "must name a folder"),
])
def test_cli_unusable_out_folder_is_a_one_line_error(tmp_path, capsys, make_out, message):
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(SystemExit) as exit_info:
        synth.main(["--out", str(make_out(tmp_path)), "--visitors", "50", "--days", "3"])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("python -m helpers.synth: error: argument --out: ")
    assert message in last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_cli_write_failure_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    def refuse(dataset, folder):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("helpers.synth.cli.write", refuse)
    with pytest.raises(SystemExit) as exit_info:
        synth.main(["--out", str(tmp_path), "--visitors", "50", "--days", "3"])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == f"python -m helpers.synth: error: cannot write to {tmp_path}: Permission denied"


def test_cli_as_a_program_prints_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "helpers.synth", "--out", str(tmp_path),
                             "--seed", "-1"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "python -m helpers.synth: error: argument --seed: must be at least 0, got -1")


@pytest.mark.parametrize("kwargs, message", [
    ({"seed": -1}, "seed must be a whole number"),
    ({"seed": 1.5}, "seed must be a whole number"),
    ({"seed": True}, "seed must be a whole number"),
    ({"start": ""}, "start must be a date"),
    ({"start": "1960-01-01"}, "window must lie between"),
    ({"start": "2199-12-01", "days": 60}, "window must lie between"),
    ({"days": 3661}, "days must be at most 3660"),
])
def test_more_bad_configs_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synth.SynthConfig(**kwargs)

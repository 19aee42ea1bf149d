"""The network list (networks.csv), the address lookup and the opt-in rule net:datacenter."""

from __future__ import annotations

import ipaddress
import warnings

import pandas as pd
import pytest

from helpers import bots, data, synth
from helpers.networks import KINDS, load_networks, network_of, validate_networks

DOC_BLOCKS = [ipaddress.ip_network(b) for b in
              ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


@pytest.fixture(scope="module")
def kit():
    return data.load_all()


@pytest.fixture(scope="module")
def table():
    return load_networks()


def _by_hand(ip: str | None, table: pd.DataFrame) -> str:
    """The kind of the longest range holding ip, written with ipaddress only."""
    if ip is None or ip == "":
        return "missing"
    address = ipaddress.ip_address(ip)
    holding = [(ipaddress.ip_network(c), k) for c, k in zip(table["cidr"], table["kind"], strict=True)
               if address in ipaddress.ip_network(c)]
    return max(holding, key=lambda h: h[0].prefixlen)[1] if holding else "unlisted"


def test_every_range_is_a_documentation_range_and_labelled_so(table):
    assert set(table["kind"]) == set(KINDS)
    for cidr, name in zip(table["cidr"], table["network"], strict=True):
        net = ipaddress.ip_network(cidr)
        assert any(net.subnet_of(block) for block in DOC_BLOCKS if block.version == net.version)
        assert name.endswith("(documentation range)")


def test_the_file_is_what_the_generator_writes(tmp_path, table):
    path = synth.write_networks(synth.networks(), tmp_path)
    assert path.read_bytes() == (data.kit_data_dir() / "networks.csv").read_bytes()
    pd.testing.assert_frame_equal(table, validate_networks(synth.networks()))


def test_lookup_matches_a_longest_prefix_search_by_hand(kit, table):
    ips = kit.sessions["ip"].drop_duplicates().sample(400, random_state=1)
    got = network_of(ips, table)["kind"]
    assert got.tolist() == [_by_hand(ip, table) for ip in ips]
    assert got.index.equals(ips.index)


def test_lookup_keeps_rows_order_and_says_what_it_could_not_read(table):
    ips = pd.Series(["203.0.113.200", None, "", "not-an-ip", "10.0.0.1", "2001:db8::1",
                     "203.0.113.7"], index=list("abcdefg"))
    got = network_of(ips, table)
    assert got.index.tolist() == list("abcdefg")
    assert got["kind"].tolist() == ["datacenter", "missing", "missing", "unlisted", "unlisted",
                                    "mobile", "consumer"]
    assert got.loc["a", "network"] == "Example Cloud (documentation range)"


def test_the_plan_fits_the_generators_bots_on_another_seed():
    """On a data set the kit did not ship (seed 5), where each kind of bot lands."""
    ds = synth.generate(synth.SynthConfig(visitors=3000, days=7, seed=5))
    kind = network_of(ds.sessions["ip"], synth.networks())["kind"]
    key = ds.answer_key.set_index("session_id").reindex(ds.sessions["session_id"])
    bot_kind = key["bot_kind"].astype("string").fillna("human").to_numpy()
    table = pd.crosstab(pd.Series(bot_kind, name="bot_kind"), pd.Series(kind.to_numpy(), name="kind"))
    assert set(table.loc["scraper"].loc[lambda c: c > 0].index) == {"datacenter"}
    assert set(table.loc["headless"].loc[lambda c: c > 0].index) == {"datacenter"}
    assert set(table.loc["crawler"].loc[lambda c: c > 0].index) == {"crawler"}
    # residential proxies: form spam in a consumer range too, and people mostly outside clouds
    assert table.loc["form_spam", "consumer"] > 0 and table.loc["form_spam", "datacenter"] > 0
    humans = table.loc["human"]
    assert 0 < humans.get("datacenter", 0) < 0.02 * humans.sum()
    assert humans.get("mobile", 0) > 0


def test_rule_flags_datacenter_addresses_only_when_asked(kit, table):
    plain = bots.label(kit.sessions)
    ruled = bots.label(kit.sessions, networks=table)
    in_cloud = network_of(kit.sessions["ip"], table)["kind"].eq("datacenter")
    fired = ruled["bot_reasons"].str.contains("net:datacenter", regex=False)
    assert fired.equals(in_cloud.rename("bot_reasons"))
    assert not plain["bot_reasons"].str.contains("net:").any()
    # nothing else changes: the rule only adds, and comes last in the reasons
    assert (ruled["is_bot"] | ~plain["is_bot"]).all()
    assert ruled.loc[plain["is_bot"], "bot_reason"].equals(plain.loc[plain["is_bot"], "bot_reason"])
    assert bots.REASONS[-1] == "net:datacenter"
    # the docstring's figures, recomputed from the answer key with plain pandas
    truth = kit.answer_key.set_index("session_id")["segment"].eq("bot")
    is_bot = truth.reindex(kit.sessions["session_id"]).to_numpy()
    bots_flagged, people_flagged = int((fired & is_bot).sum()), int((fired & ~is_bot).sum())
    doc = bots.label.__doc__
    assert f"{bots_flagged:,} bot sessions and {people_flagged} people" in doc
    assert f"{people_flagged / (~is_bot).sum():.1%} of human sessions" in doc
    assert f"precision {bots_flagged / (bots_flagged + people_flagged):.1%}" in doc
    only = ruled["is_bot"] & ~plain["is_bot"]
    assert f"it adds {int((only & is_bot).sum())} bot sessions and {int((only & ~is_bot).sum())} people" in doc


def test_rule_without_an_ip_column_is_skipped_with_a_warning(kit, table):
    sessions = kit.sessions.drop(columns="ip").head(200)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = bots.label(sessions, bots.BotRules(spread_min_ips=None), networks=table)
    assert any("net:datacenter" in str(w.message) and "'ip'" in str(w.message) for w in caught)
    assert not out["bot_reasons"].str.contains("net:").any()


def test_filter_passes_the_network_list_on(kit, table):
    sessions = kit.sessions.head(3000)
    kept = bots.filter(sessions, networks=table)
    assert not network_of(kept["ip"], table)["kind"].eq("datacenter").any()
    assert len(kept) < len(bots.filter(sessions))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (pd.DataFrame({"cidr": ["203.0.113.5/24"], "kind": ["datacenter"], "network": ["x"]}),
         r"validate_networks\(\): networks has 1 cidr value\(s\) that are not address ranges, "
         r"e\.g\. \['203\.0\.113\.5/24'\]\. Write each"),
        (pd.DataFrame({"cidr": ["203.0.113.0/24"], "kind": ["cloud"], "network": ["x"]}),
         r"kind value\(s\) \['cloud'\]; a kind is one of"),
        (pd.DataFrame({"cidr": ["203.0.113.0/24", "203.0.113.0/24"], "kind": ["consumer"] * 2,
                       "network": ["x", "y"]}),
         r"lists the range\(s\) \['203\.0\.113\.0/24'\] more than once"),
    ],
)
def test_bad_lists_are_refused_with_the_fix(bad, message):
    with pytest.raises(ValueError, match=message):
        validate_networks(bad)


def test_load_networks_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"load_networks\(\): no file .*Fix: pass the path"):
        load_networks(tmp_path / "absent.csv")


def test_network_of_refuses_a_frame_for_the_addresses(table):
    with pytest.raises(TypeError, match=r"network_of\(\): ips must be a pandas Series"):
        network_of(pd.DataFrame({"ip": ["192.0.2.1"]}), table)

"""Which network an IP address belongs to: a datacenter, a consumer line, a mobile carrier.

Bots that copy a real browser's user agent (headless Chrome, scrapers) say nothing about
themselves in the agent; what often gives them away is *where* they run: cloud and hosting
providers' address ranges, where few people browse from. Commercial and public lists map
address ranges to the kind of network that holds them. The kit's data comes with such a
list for its own addresses, ``networks.csv``:

========== =================================================================================
column     meaning
========== =================================================================================
cidr       an address range in CIDR notation (``203.0.113.192/26``, ``2001:db8::/32``)
kind       ``datacenter`` (cloud, hosting, monitoring services), ``consumer`` (home
           broadband), ``mobile`` (a mobile carrier) or ``crawler`` (ranges a search
           engine publishes for its crawlers)
network    the name of the network (invented: the kit's addresses are documentation-only)
========== =================================================================================

Every address in the kit's data comes from the blocks reserved for documentation
(RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 3849: 2001:db8::/32), so no
real network is named or implied: the ranges and names are a teaching plan, written by the
generator (:mod:`helpers.synth.networks`). Ranges may nest; an address belongs to the
*longest* (most specific) range that holds it, as in routing.

:func:`network_of` looks addresses up; :func:`helpers.bots.label` uses it for its opt-in
rule ``net:datacenter`` (``label(sessions, networks=load_networks())``).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import numpy as np
import pandas as pd

from helpers._csv import data_file
from helpers._frames import need_columns, need_frame, need_rows
from helpers.data import kit_data_dir

__all__ = ["KINDS", "load_networks", "network_of", "validate_networks"]

#: The kinds of network a range can be.
KINDS: tuple[str, ...] = ("datacenter", "consumer", "mobile", "crawler")
#: What :func:`network_of` says of an address that no range holds, and of a missing one.
UNLISTED = "unlisted"
MISSING = "missing"


def load_networks(path: str | Path | None = None) -> pd.DataFrame:
    """Read a network list (default: the kit's ``networks.csv``), checked.

    Examples
    --------
    >>> table = load_networks()
    >>> sorted(set(table["kind"])) == sorted(KINDS)
    True
    """
    with data_file("load_networks", path, kit_data_dir() / "networks.csv",
                   "a CSV with columns cidr, kind and network (see helpers.networks)") as where:
        table = pd.read_csv(where, dtype=str, keep_default_na=False)
    return validate_networks(table, func="load_networks")


def validate_networks(table: pd.DataFrame, *, func: str = "validate_networks") -> pd.DataFrame:
    """Check a network list and return it typed: ``cidr``, ``kind``, ``network`` as text.

    Every ``cidr`` must parse as an IPv4 or IPv6 network (host bits zero), every ``kind``
    must be one of :data:`KINDS`, and no range may be listed twice. Nothing is dropped.

    Examples
    --------
    >>> validate_networks(pd.DataFrame({"cidr": ["203.0.113.0/24"], "kind": ["datacenter"],
    ...                                 "network": ["Example Cloud"]}))
                 cidr        kind        network
    0  203.0.113.0/24  datacenter  Example Cloud
    """
    need_frame(func, "networks", table)
    need_columns(func, "networks", table, ["cidr", "kind", "network"],
                 "Pass a network list with one row per range: cidr, kind and network "
                 "(e.g. helpers.networks.load_networks()).")
    out = table[["cidr", "kind", "network"]].astype(str).apply(lambda col: col.str.strip())
    bad = []
    for cidr in out["cidr"]:
        try:
            ipaddress.ip_network(cidr)
        except ValueError:
            bad.append(cidr)
    if bad:
        raise ValueError(
            f"{func}(): networks has {len(bad)} cidr value(s) that are not address ranges, "
            f"e.g. {bad[:3]}. Write each as an address and a prefix length with the host bits "
            f"zero, e.g. '203.0.113.0/24' or '2001:db8::/32'."
        )
    odd = sorted(set(out["kind"]) - set(KINDS))
    if odd:
        raise ValueError(
            f"{func}(): networks has kind value(s) {odd}; a kind is one of {list(KINDS)}. "
            f"Map your list's categories onto these first."
        )
    canonical = out["cidr"].map(lambda c: str(ipaddress.ip_network(c)))
    twice = canonical[canonical.duplicated()].unique().tolist()
    if twice:
        raise ValueError(
            f"{func}(): networks lists the range(s) {twice[:3]} more than once. Keep one row "
            f"per range."
        )
    return out.reset_index(drop=True)


def network_of(ips: pd.Series, networks: pd.DataFrame) -> pd.DataFrame:
    """The network of each address: ``kind`` and ``network``, one row per input row.

    Parameters
    ----------
    ips : Series
        IP addresses as text (IPv4 or IPv6). Same index in the result.
    networks : DataFrame
        A network list (:func:`load_networks`).

    Returns
    -------
    DataFrame
        ``kind`` and ``network`` per address, from the longest range that holds it;
        ``"unlisted"`` (both columns) for an address no range holds or that is not an IP
        address (a proxy's placeholder, a hashed address), ``"missing"`` for an empty one.
        Nothing is dropped: the rows, order and index of ``ips``.

    Examples
    --------
    >>> table = pd.DataFrame({"cidr": ["203.0.113.0/24", "203.0.113.192/26"],
    ...                       "kind": ["consumer", "datacenter"],
    ...                       "network": ["Example Fibre", "Example Cloud"]})
    >>> network_of(pd.Series(["203.0.113.7", "203.0.113.200", "192.0.2.1", None]), table)
             kind        network
    0    consumer  Example Fibre
    1  datacenter  Example Cloud
    2    unlisted       unlisted
    3     missing        missing
    """
    func = "network_of"
    if not isinstance(ips, pd.Series):
        raise TypeError(f"{func}(): ips must be a pandas Series of addresses, got {type(ips).__name__}. "
                        f"Pass a column, e.g. sessions['ip'].")
    table = validate_networks(networks, func=func)
    need_rows(func, "networks", table, "Pass a network list with at least one range, e.g. "
              "helpers.networks.load_networks(); with none, every address would be 'unlisted'.")
    text = ips.astype("string").str.strip()
    missing = text.isna() | text.eq("")
    codes, uniques = pd.factorize(text.where(~missing), use_na_sentinel=True)
    # each distinct address once: its integer value and version (None: not an address)
    parsed = []
    for value in uniques:
        try:
            address = ipaddress.ip_address(str(value))
        except ValueError:
            parsed.append((None, 0))
        else:
            parsed.append((int(address), address.version))
    numbers = np.array([p[0] for p in parsed], dtype=object)
    versions = np.array([p[1] for p in parsed], dtype=np.int64)
    kind = np.full(len(uniques), UNLISTED, dtype=object)
    name = np.full(len(uniques), UNLISTED, dtype=object)
    found = np.zeros(len(uniques), dtype=bool)
    ranges = [(ipaddress.ip_network(c), k, n) for c, k, n in table.itertuples(index=False)]
    for net, k, n in sorted(ranges, key=lambda r: -r[0].prefixlen):  # longest first
        candidates = np.flatnonzero(~found & (versions == net.version))
        if not len(candidates):
            continue
        mask, base = int(net.netmask), int(net.network_address)
        inside = np.array([numbers[i] & mask == base for i in candidates], dtype=bool)
        hit = candidates[inside]
        kind[hit], name[hit], found[hit] = k, n, True
    row_kind = np.where(codes >= 0, kind[np.maximum(codes, 0)] if len(kind) else UNLISTED, MISSING)
    row_name = np.where(codes >= 0, name[np.maximum(codes, 0)] if len(name) else UNLISTED, MISSING)
    return pd.DataFrame({"kind": row_kind, "network": row_name}, index=ips.index).astype("str")

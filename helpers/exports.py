"""Write the kit's traffic in the formats analysts get from their own tools.

``to_ga4`` writes a GA4 BigQuery export (newline-delimited JSON or Parquet of
``events_YYYYMMDD`` rows, schema https://support.google.com/analytics/answer/7029846);
``to_access_log`` writes a web server log in the combined log format (Apache, Nginx).
``helpers.data.from_ga4`` and ``helpers.data.from_access_log`` read them back: a trainer can
show the whole pipeline on a GA4 export or a log without real customer data.

Command line::

    python -m helpers.exports ga4 data/ my_export/events_20250203.json
    python -m helpers.exports access-log data/ my_export/access.log
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data import COUNTRY_NAMES, Dataset, load_all

__all__ = ["to_access_log", "to_ga4"]

_MEDIUM = {"organic_search": "organic", "paid_search": "cpc", "social": "social",
           "email": "email", "referral": "referral", "direct": "(none)"}
SITE = "https://brewlark.example"


def _ga4_table(dataset: Dataset):
    """The GA4 rows of a dataset as a pyarrow Table (vectorised)."""
    import pyarrow as pa

    s = dataset.sessions.reset_index(drop=True)
    e = dataset.events.reset_index(drop=True)
    start_s = (s["started_at"].astype("int64") // 10**6).to_numpy()  # us -> s
    rank = s.sort_values("started_at").groupby("visitor_id").cumcount()
    first_ret = s.get("is_returning", pd.Series(False, index=s.index)).astype(bool)
    first_in_window = rank.reindex(s.index) == 0
    number = rank.reindex(s.index).to_numpy() + 1 + (first_in_window & first_ret).to_numpy()
    sess = pd.DataFrame({
        "session_id": s["session_id"], "visitor_id": s["visitor_id"],
        "ga_session_id": start_s, "ga_session_number": number,
        "source": s.get("source", pd.Series(None, index=s.index)).astype(object),
        "medium": s["channel"].astype(str).map(_MEDIUM).fillna(s["channel"].astype(str)),
        "device": s["device"].astype(str),
        "country": s.get("country", pd.Series(None, index=s.index)).map(COUNTRY_NAMES),
        "landing_page": s.get("landing_page", pd.Series("/", index=s.index)),
    })
    start = pd.DataFrame({"session_id": s["session_id"], "timestamp": s["started_at"],
                          "event_name": "session_start", "page": sess["landing_page"],
                          "value": np.nan})
    end = start.assign(timestamp=s["started_at"] + pd.to_timedelta(s["duration_s"], unit="s"),
                       event_name="user_engagement")
    ev = pd.concat([start, e[["session_id", "timestamp", "event_name", "page", "value"]]
                    .astype({"event_name": str}), end], ignore_index=True)
    ev = ev.merge(sess, on="session_id", how="left", validate="many_to_one")
    ev = ev.sort_values("timestamp", kind="stable", ignore_index=True)
    n = len(ev)
    micros = ev["timestamp"].dt.as_unit("us").astype("int64").to_numpy()
    keys = np.tile(np.array(["ga_session_id", "ga_session_number", "page_location"],
                            dtype=object), n)
    ints = np.column_stack([ev["ga_session_id"].to_numpy(),
                            ev["ga_session_number"].to_numpy(),
                            np.zeros(n, dtype=np.int64)]).ravel()
    int_valid = np.tile([True, True, False], n)
    url = (SITE + ev["page"].astype(object).fillna("/").astype(str)).to_numpy(dtype=object)
    strings = np.column_stack([np.full(n, None), np.full(n, None), url]).ravel()
    value_type = pa.struct([("string_value", pa.string()), ("int_value", pa.int64()),
                            ("float_value", pa.float64()), ("double_value", pa.float64())])
    values = pa.StructArray.from_arrays(
        [pa.array(strings, pa.string()), pa.array(ints, pa.int64(), mask=~int_valid),
         pa.nulls(3 * n, pa.float64()), pa.nulls(3 * n, pa.float64())],
        fields=list(value_type))
    params = pa.ListArray.from_arrays(
        pa.array(np.arange(0, 3 * n + 1, 3), pa.int32()),
        pa.StructArray.from_arrays([pa.array(keys, pa.string()), values], ["key", "value"]))
    src = ev["source"].where(ev["source"].notna(), None)

    def struct(**cols):
        return pa.StructArray.from_arrays([pa.array(v, pa.string(), from_pandas=True)
                                           for v in cols.values()],
                                          list(cols))

    date = ev["timestamp"].dt.strftime("%Y%m%d").to_numpy(dtype=object)
    revenue = ev["value"].where(ev["event_name"] == "purchase")
    return pa.table({
        "event_date": pa.array(date, pa.string()),
        "event_timestamp": pa.array(micros, pa.int64()),
        "event_name": pa.array(ev["event_name"].to_numpy(dtype=object), pa.string()),
        "event_params": params,
        "user_pseudo_id": pa.array(ev["visitor_id"].to_numpy(dtype=object), pa.string(),
                                   from_pandas=True),
        "device": struct(category=ev["device"].to_numpy(dtype=object)),
        "geo": struct(country=ev["country"].to_numpy(dtype=object)),
        "traffic_source": struct(source=src.to_numpy(dtype=object),
                                 medium=ev["medium"].to_numpy(dtype=object)),
        "collected_traffic_source": struct(manual_source=src.to_numpy(dtype=object),
                                           manual_medium=ev["medium"].to_numpy(dtype=object)),
        "ecommerce": pa.StructArray.from_arrays(
            [pa.array(revenue.to_numpy(dtype="float64"), pa.float64(),
                      mask=revenue.isna().to_numpy())], ["purchase_revenue"]),
    })


_REFERER = {"organic_search": ("https://www.", ".com/"), "paid_search": ("https://www.", ".com/"),
            "social": ("https://www.", ".com/"), "referral": ("https://", "/")}
ASSETS = ("/static/site.css", "/static/app.js", "/favicon.ico")
"""What ``to_access_log`` requests after every page view (static assets, not page views)."""


def to_access_log(dataset: Dataset, path: str | Path, *, assets: bool = True) -> Path:
    """Write a dataset's page views as a web server log in the combined log format.

    One ``GET`` line per ``page_view`` event, in time order, with the session's IP and user
    agent (``-`` when missing) and status 200. The first page of a session carries the
    referrer its channel implies (a search engine for organic and paid search, the social
    network, the referring site; none for direct and e-mail) and paid search and e-mail
    landing pages a ``utm_medium`` (``cpc``, ``email``); later pages have the previous page as
    referrer. With ``assets=True`` every page view is followed by requests for
    ``ASSETS`` (not page views: ``data.from_access_log`` must not count them). Crawler
    sessions of the answer key (``bot_kind == "crawler"``) first ask for ``/robots.txt``.

    Parameters
    ----------
    dataset : Dataset
        Typed frames (``helpers.data.load_all``).
    path : str or Path
        The log file to write (only this file is written).
    assets : bool, default True

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    s = dataset.sessions.reset_index(drop=True)
    pv = dataset.events[dataset.events["event_name"] == "page_view"]
    pv = pv[["session_id", "timestamp", "page"]].sort_values(["session_id", "timestamp"],
                                                             kind="stable")
    pv = pv.merge(s[["session_id", "ip", "user_agent", "channel", "source"]],
                  on="session_id", how="left", validate="many_to_one")
    first = ~pv["session_id"].duplicated().to_numpy()
    channel = pv["channel"].astype(str)
    source = pv["source"].astype(object).fillna("").astype(str)
    site_ref = SITE + pv.groupby("session_id", sort=False)["page"].shift(1).astype(object) \
        .fillna("/").astype(str)
    referer = pd.Series("-", index=pv.index, dtype=object)
    for ch, (before, after) in _REFERER.items():
        m = first & (channel == ch).to_numpy()
        referer[m] = before + source[m] + after
    referer[~first] = site_ref[~first]
    page = pv["page"].astype(object).fillna("/").astype(str)
    utm = channel.map({"paid_search": "?utm_medium=cpc", "email": "?utm_medium=email"})
    target = page.where(~(first & utm.notna().to_numpy()), page + utm.fillna(""))
    lines = pd.DataFrame({"ts": pv["timestamp"], "order": 1, "ip": pv["ip"].astype(str),
                          "target": target, "referer": referer,
                          "agent": pv["user_agent"].astype(object).fillna("-")})
    parts = [lines]
    if assets:
        for k, asset in enumerate(ASSETS):
            parts.append(lines.assign(order=2 + k, target=asset,
                                      referer=SITE + page))
    if dataset.answer_key is not None:
        crawl = dataset.answer_key.loc[dataset.answer_key["bot_kind"] == "crawler",
                                       "session_id"]
        c = lines[first & pv["session_id"].isin(crawl).to_numpy()]
        parts.append(c.assign(order=0, target="/robots.txt", referer="-"))
    log = pd.concat(parts, ignore_index=True).sort_values(["ts", "ip", "agent", "order"],
                                                          kind="stable")
    when = log["ts"].dt.strftime("%d/%b/%Y:%H:%M:%S +0000")
    text = (log["ip"] + " - - [" + when + '] "GET ' + log["target"] + ' HTTP/1.1" 200 '
            + "1024" + ' "' + log["referer"] + '" "' + log["agent"].str.replace('"', r'\"')
            + '"')
    path.write_text("\n".join(text.tolist()) + "\n", encoding="utf-8")
    return path


def to_ga4(dataset: Dataset, path: str | Path) -> Path:
    """Write a dataset's sessions and events as a GA4 BigQuery export.

    One row per event, as Google writes the ``events_YYYYMMDD`` tables: ``event_date``,
    ``event_timestamp`` (microseconds), ``event_name``, ``event_params`` (``ga_session_id``
    = the session's start in Unix seconds, ``ga_session_number``, ``page_location``),
    ``user_pseudo_id`` (the visitor), ``device.category``, ``geo.country`` (an English
    name), ``traffic_source`` and ``collected_traffic_source`` (source and medium),
    ``ecommerce.purchase_revenue``. Each session also gets the ``session_start`` and a
    closing ``user_engagement`` event GA4 records. No user agent: GA4 exports none.

    Parameters
    ----------
    dataset : Dataset
        Typed frames (``helpers.data.load_all`` or ``helpers.synth.generate``).
    path : str or Path
        ``.parquet`` writes Parquet; any other name newline-delimited JSON (as BigQuery's
        extract does). Only this file is written.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = _ga4_table(dataset)
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        pq.write_table(table, path)
    else:
        with open(path, "w", encoding="utf-8") as fh:
            for row in table.to_pylist():
                fh.write(json.dumps(row, separators=(",", ":")) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.exports {ga4,access-log} DATA_FOLDER OUT_FILE``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.exports",
        description="Write a kit data folder as a GA4 BigQuery export or an access log.")
    parser.add_argument("format", choices=["ga4", "access-log"])
    parser.add_argument("folder", help="a kit data folder (sessions.csv, events.csv, ...)")
    parser.add_argument("out", help="the file to write (.json/.jsonl or .parquet for ga4)")
    args = parser.parse_args(argv)
    try:
        ds = load_all(args.folder, answer_key=Path(args.folder, "answer_key.csv").exists())
    except (OSError, ValueError, KeyError) as exc:
        print(f"python -m helpers.exports: {exc}", file=sys.stderr)
        return 2
    out = (to_ga4 if args.format == "ga4" else to_access_log)(ds, args.out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

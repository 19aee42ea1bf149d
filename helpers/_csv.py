"""Reading the analyst's raw files: CSV as they saved it, and GA4's nested export records.

- :func:`read_csv`: any separator, any common encoding. The separator and the encoding are
  sniffed from the first 64 KiB (``sep=`` and ``encoding=`` override them); the file is read
  through pyarrow's CSV reader, with the kit's text columns kept as text (categories as Arrow
  dictionaries). Errors name the separator and encoding tried and the fix.
- :func:`ga4_table`, :func:`ga4_field`, :func:`ga4_param`: the GA4 BigQuery export
  (newline-delimited JSON or Parquet) as one Arrow table, a nested field of it, and one
  ``event_params`` key, for :func:`helpers.data.from_ga4`.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

__all__: list[str] = []

_CSV_SEPARATORS = ",;\t|"


def _is_file_object(source) -> bool:
    return hasattr(source, "read") and not isinstance(source, (str, bytes, os.PathLike))


@contextlib.contextmanager
def local_path(func: str, source, *, default_name: str = "upload.csv") -> Iterator:
    """A path for ``source``: a path as given, or an open file's content in a temporary file.

    Loaders take a path, a DataFrame (where they say so) or an open file: ``open(path,
    "rb")``, ``io.BytesIO`` (an upload's bytes, e.g. from a notebook's file widget) or
    ``io.StringIO``. A file object is read once, from where it stands, and its content goes
    to a temporary file named like the original (``.name`` when it has one, so a Parquet
    upload keeps its suffix; nameless bytes that start as a Parquet file does, ``PAR1``, are
    read as Parquet), deleted when the load ends. Anything else is refused here,
    with the fix, instead of failing deep inside pandas.
    """
    if source is None or isinstance(source, (str, os.PathLike, pd.DataFrame)):
        yield source
        return
    if not _is_file_object(source):
        raise TypeError(
            f"{func}(): expected a file path (str or Path), an open file or a DataFrame; got "
            f"{type(source).__name__}. Fix: pass the path of your file, e.g. "
            f"'exports/{default_name}'."
        )
    content = source.read()
    if isinstance(content, str):
        content = content.encode("utf-8")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{func}(): the file object gave {type(content).__name__}, not text or bytes. "
            "Fix: pass the path, or open the file with open(path, 'rb')."
        )
    name = Path(str(getattr(source, "name", "") or default_name)).name or default_name
    if bytes(content[:4]) == b"PAR1" and Path(name).suffix.lower() not in (".parquet", ".pq"):
        name = Path(name).stem + ".parquet"  # Parquet bytes without a name (io.BytesIO)
    with tempfile.TemporaryDirectory(prefix="kit-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(content))
        yield path


@contextlib.contextmanager
def data_file(func: str, path, default: Path, what: str) -> Iterator[Path]:
    """The file a loader reads: ``path`` (a path or an open file, see :func:`local_path`), or
    the kit's ``default`` when ``path`` is None; a missing file is refused with the fix."""
    with local_path(func, path, default_name=default.name) as source:
        where = Path(source) if source is not None else default
        if not where.is_file():
            raise FileNotFoundError(
                f"{func}(): no file {where}. Fix: pass the path of {what}, or regenerate the "
                "kit's data (`make data`, or `python -m helpers.synth --out data`)."
            )
        yield where


def _sniff_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(sample) >= 4 and sample[1:4:2] == b"\x00\x00" and sample[0:1] != b"\x00":
        return "utf-16-le"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
            return "utf-8"
        return "cp1252"


def _sniff_sep(text: str) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_CSV_SEPARATORS).delimiter
    except csv.Error:
        head = lines[0]
        return max(_CSV_SEPARATORS, key=head.count) if any(c in head for c in
                                                            _CSV_SEPARATORS) else ","


def read_csv(func: str, path: Path, sep, encoding, text_columns,
             category_columns=()) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with open(path, "rb") as fh:
        sample = fh.read(1 << 16)
    if not sample.strip():
        raise ValueError(f"{func}(): {path} is empty. Fix: export the file again with a "
                         "header row and at least one row of data.")
    enc = encoding or _sniff_encoding(sample)
    if sep is None:
        try:
            sep = _sniff_sep(sample.decode(enc, errors="replace"))
        except LookupError as exc:
            raise ValueError(f"{func}(): encoding={enc!r} is not an encoding Python knows. "
                             "Fix: use e.g. 'utf-8', 'cp1252', 'latin-1' or 'utf-16'.") from exc
    pa_enc = "utf8" if enc in ("utf-8", "utf8") else enc

    def attempt(e, multiline=False):
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=e),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=multiline),
            convert_options=pacsv.ConvertOptions(
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
                column_types={c: (pa.dictionary(pa.int32(), pa.string())
                                  if c in category_columns else pa.string())
                              for c in text_columns},
                true_values=["True", "true", "TRUE"], false_values=["False", "false", "FALSE"],
            ),
        )

    try:
        try:
            table = attempt(pa_enc)
        except pa.ArrowInvalid as exc:  # a quoted field with a line break: slower parser
            if "column" not in str(exc).lower():
                raise
            table = attempt(pa_enc, multiline=True)
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError) as exc:
        if encoding is None and pa_enc == "utf8" and "UTF8" in str(exc).upper():
            enc, pa_enc = "cp1252", "cp1252"
            try:
                table = attempt(pa_enc)
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc2:
                raise _csv_error(func, path, sep, enc, exc2) from exc2
        else:
            raise _csv_error(func, path, sep, enc, exc) from exc
    df = table.to_pandas()
    if df.shape[1] == 1 and sep not in str(df.columns[0]):
        other = [c for c in _CSV_SEPARATORS if c in str(df.columns[0])]
        if other:
            raise ValueError(
                f"{func}(): {path.name} read as a single column {str(df.columns[0])[:60]!r} "
                f"with sep={sep!r}; it looks separated by {other[0]!r}. Fix: pass "
                f"sep={other[0]!r}."
            )
    df.attrs["_kit_empty_is_null"] = True  # null_values=[""] on every string column
    return df


def _csv_error(func, path, sep, enc, exc) -> ValueError:
    return ValueError(
        f"{func}(): could not read {path} as CSV with sep={sep!r} and encoding={enc!r} "
        f"({str(exc).splitlines()[0][:200]}). Fix: pass the file's own separator and encoding, "
        "e.g. sep=';', encoding='cp1252' (Excel on Windows), 'latin-1' or 'utf-16'."
    )


def ga4_table(func: str, source):
    import pyarrow as pa

    if isinstance(source, pd.DataFrame):
        return pa.Table.from_pandas(source, preserve_index=False)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{func}(): no file or folder {path}. Fix: pass the GA4 "
                                "export (newline-delimited JSON or Parquet) or its folder.")
    files = (sorted(p for p in path.iterdir() if p.suffix.lower() in
                    (".json", ".jsonl", ".ndjson", ".parquet", ".pq"))
             if path.is_dir() else [path])
    if not files:
        raise FileNotFoundError(f"{func}(): {path} holds no .json, .jsonl, .ndjson or "
                                ".parquet file. Fix: export the events_YYYYMMDD tables there.")
    tables = []
    for f in files:
        if f.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            tables.append(pq.read_table(f))
        else:
            import pyarrow.json as pajson

            if f.stat().st_size == 0:
                raise ValueError(f"{func}(): {f} is empty. Fix: export the table again.")
            tables.append(pajson.read_json(f))
    return pa.concat_tables(tables, promote_options="permissive")


def ga4_field(table, *names) -> pd.Series:
    """A (nested) column of a GA4 table as a Series; all missing when the export lacks it."""
    import pyarrow.compute as pc

    n = table.num_rows
    if names[0] not in table.column_names:
        return pd.Series([None] * n, dtype="object")
    arr = table.column(names[0]).combine_chunks()
    for name in names[1:]:
        if not hasattr(arr.type, "get_field_index") or arr.type.get_field_index(name) < 0:
            return pd.Series([None] * n, dtype="object")
        arr = pc.struct_field(arr, name)
    return arr.to_pandas()


def ga4_param(table, key: str) -> pd.Series:
    """The value of one ``event_params`` key for every row (missing where absent)."""
    import pyarrow.compute as pc

    n = table.num_rows
    out = pd.Series([None] * n, dtype="object")
    if "event_params" not in table.column_names:
        return out
    params = table.column("event_params").combine_chunks()
    flat = pc.list_flatten(params)
    parents = pc.list_parent_indices(params).to_numpy()
    hit = pc.equal(pc.struct_field(flat, "key"), key).fill_null(False)
    values = pc.struct_field(flat, "value").filter(hit)
    hit = hit.to_numpy(zero_copy_only=False).astype(bool)
    if not hit.any():
        return out
    rows = parents[hit]
    got = pd.Series([None] * len(rows), dtype="object")
    for field in ("string_value", "int_value", "double_value", "float_value"):
        if values.type.get_field_index(field) >= 0:
            v = pc.struct_field(values, field).to_pandas()
            got = got.where(got.notna(), v.astype(object))
    first = ~pd.Series(rows).duplicated().to_numpy()
    out.iloc[rows[first]] = got.to_numpy()[first]
    return out

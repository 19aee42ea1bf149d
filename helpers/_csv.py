"""Reading a CSV file as the analyst saved it: any separator, any common encoding.

The separator and the encoding are sniffed from the first 64 KiB (``sep=`` and ``encoding=``
override them); the file is read through pyarrow's CSV reader, with the kit's text columns
kept as text. Errors name the separator and encoding tried and the fix.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

__all__: list[str] = []

_CSV_SEPARATORS = ",;\t|"


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


def read_csv(func: str, path: Path, sep, encoding, text_columns) -> pd.DataFrame:
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
                column_types={c: pa.string() for c in text_columns},
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
    return df


def _csv_error(func, path, sep, enc, exc) -> ValueError:
    return ValueError(
        f"{func}(): could not read {path} as CSV with sep={sep!r} and encoding={enc!r} "
        f"({str(exc).splitlines()[0][:200]}). Fix: pass the file's own separator and encoding, "
        "e.g. sep=';', encoding='cp1252' (Excel on Windows), 'latin-1' or 'utf-16'."
    )

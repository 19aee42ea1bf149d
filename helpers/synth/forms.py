"""``forms``: the forms on Brewlark's site and how long each is (``forms.csv``).

Every web lead comes in through a form, and a form's length decides who fills it in: a
one-field newsletter box lets anyone in, a contact form that asks for a company and a
message lets in mostly people with a real need. The table is the site's plan (no draws, the
same for every seed), so lesson 06 can set each door's leads and customers beside the
length of its form: the "many leads, few conversions" diagnosis of the Spanish article.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

#: (lead_source, form, page, fields, the fields asked) for each web door of the site.
_FORMS: tuple[tuple[str, str, str, int, str], ...] = (
    ("newsletter_signup", "newsletter box", "/newsletter and the blog posts", 1, "e-mail"),
    ("guide_download", "guide download", "/guide", 2, "name; e-mail"),
    ("contact_form", "contact form", "/contact", 6,
     "name; e-mail; company; company size; phone; message"),
    ("purchase", "checkout", "/checkout", 9,
     "name; e-mail; street; postcode; city; country; phone; delivery option; payment"),
)


def forms() -> pd.DataFrame:
    """The site's forms: ``lead_source``, ``form``, ``page``, ``fields``, ``asks``."""
    return pd.DataFrame(list(_FORMS), columns=["lead_source", "form", "page", "fields", "asks"])


def write_forms(table: pd.DataFrame, folder: str | Path) -> Path:
    """Write the plan as ``forms.csv`` (stable bytes)."""
    path = Path(folder) / "forms.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["lead_source", "form", "page", "fields", "asks"])
        writer.writerows(table.astype(str).itertuples(index=False))
    return path

"""The analyst's vocabulary mapped onto the kit's: channel groups, mediums, countries, flags.

The loaders in :mod:`helpers.data` take a ``mapping=`` per column: a dict ``{your value: kit
value}``, one of the named tables here (``"ga4_channel_groups"``, ``"mediums"``,
``"country_names"``) or a :class:`FromColumn` that fills a kit column from another column of
the file (:func:`converted_flag` turns a CRM's converted flag into ``stage``). Values the kit
has no name for are kept and reported in one :class:`UnmappedValuesWarning` line.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "COUNTRY_CODES",
    "COUNTRY_NAMES",
    "GA4_CHANNEL_GROUPS",
    "GA4_MEDIUMS",
    "FromColumn",
    "UnmappedValuesWarning",
    "channel_from",
    "converted_flag",
    "page_path",
]

class UnmappedValuesWarning(UserWarning):
    """Values the kit has no name for were kept as they are (one summary line per load)."""


@dataclass(frozen=True)
class FromColumn:
    """Fill a kit column from another column of your file, value by value.

    ``mapping={"stage": FromColumn("Converted", {True: "customer", False: "unknown"})}``
    reads the file's ``Converted`` column and writes ``stage``. With ``flag=True`` the
    source is read as a yes/no flag first (True/False, 1/0, yes/no, any case).
    A value the table does not name is kept as it is and reported.
    """

    column: str
    values: dict
    flag: bool = False


def converted_flag(column: str = "converted") -> FromColumn:
    """Map a CRM's converted flag onto ``stage``: converted -> customer, else unknown.

    A file with only a flag cannot say whether an unconverted lead is new, qualified
    or disqualified, so those leads get the stage ``"unknown"``: nothing is invented.

    Examples
    --------
    >>> raw = pd.DataFrame({"lead_id": ["L1", "L2"], "lead_source": ["Google", "Live Chat"],
    ...                     "Converted": [1, 0]})
    >>> from helpers.data import from_raw
    >>> from_raw("leads", raw, mapping={"stage": converted_flag("Converted")})["stage"].tolist()
    ['customer', 'unknown']
    """
    return FromColumn(column, {True: "customer", False: "unknown"}, flag=True)


GA4_CHANNEL_GROUPS: dict[str, str] = {
    "Direct": "direct",
    "Organic Search": "organic_search",
    "Paid Search": "paid_search",
    "Organic Social": "social",
    "Paid Social": "social",
    "Email": "email",
    "Referral": "referral",
    "Affiliates": "referral",
}
"""GA4 default channel groups -> the kit's channels. Groups the kit has no channel for
(Display, Organic Video, Paid Video, Organic Shopping, Paid Shopping, Cross-network, SMS,
Audio, Mobile Push Notifications, Unassigned) are kept as they are and reported."""

GA4_MEDIUMS: dict[str, str] = {
    "(none)": "direct", "(not set)": "direct", "organic": "organic_search",
    "cpc": "paid_search", "ppc": "paid_search", "paidsearch": "paid_search",
    "social": "social", "social-network": "social", "social-media": "social", "sm": "social",
    "email": "email", "e-mail": "email", "e_mail": "email", "newsletter": "email",
    "referral": "referral", "affiliate": "referral",
}
"""Traffic mediums (utm_medium, GA4 ``medium``) -> the kit's channels."""

_COUNTRY_TEXT = """AF Afghanistan|AL Albania|DZ Algeria|AD Andorra|AO Angola|AR Argentina|AM Armenia
AU Australia|AT Austria|AZ Azerbaijan|BS Bahamas|BH Bahrain|BD Bangladesh|BB Barbados|BY Belarus
BE Belgium|BZ Belize|BJ Benin|BT Bhutan|BO Bolivia|BA Bosnia & Herzegovina|BA Bosnia and Herzegovina
BW Botswana|BR Brazil|BN Brunei|BG Bulgaria|BF Burkina Faso|BI Burundi|KH Cambodia|CM Cameroon
CA Canada|CV Cape Verde|CF Central African Republic|TD Chad|CL Chile|CN China|CO Colombia
KM Comoros|CG Congo - Brazzaville|CD Congo - Kinshasa|CR Costa Rica|CI Côte d’Ivoire
CI Cote d'Ivoire|HR Croatia|CU Cuba|CY Cyprus|CZ Czechia|CZ Czech Republic|DK Denmark
DJ Djibouti|DM Dominica|DO Dominican Republic|EC Ecuador|EG Egypt|SV El Salvador
GQ Equatorial Guinea|ER Eritrea|EE Estonia|SZ Eswatini|ET Ethiopia|FJ Fiji|FI Finland|FR France
GA Gabon|GM Gambia|GE Georgia|DE Germany|GH Ghana|GR Greece|GD Grenada|GT Guatemala|GN Guinea
GW Guinea-Bissau|GY Guyana|HT Haiti|HN Honduras|HK Hong Kong|HU Hungary|IS Iceland|IN India
ID Indonesia|IR Iran|IQ Iraq|IE Ireland|IL Israel|IT Italy|JM Jamaica|JP Japan|JO Jordan
KZ Kazakhstan|KE Kenya|XK Kosovo|KW Kuwait|KG Kyrgyzstan|LA Laos|LV Latvia|LB Lebanon
LS Lesotho|LR Liberia|LY Libya|LI Liechtenstein|LT Lithuania|LU Luxembourg|MO Macao|MG Madagascar
MW Malawi|MY Malaysia|MV Maldives|ML Mali|MT Malta|MR Mauritania|MU Mauritius|MX Mexico
MD Moldova|MC Monaco|MN Mongolia|ME Montenegro|MA Morocco|MZ Mozambique|MM Myanmar (Burma)
MM Myanmar|NA Namibia|NP Nepal|NL Netherlands|NL The Netherlands|NZ New Zealand|NI Nicaragua
NE Niger|NG Nigeria|MK North Macedonia|NO Norway|OM Oman|PK Pakistan|PS Palestine|PA Panama
PG Papua New Guinea|PY Paraguay|PE Peru|PH Philippines|PL Poland|PT Portugal|PR Puerto Rico
QA Qatar|RE Réunion|RO Romania|RU Russia|RW Rwanda|SA Saudi Arabia|SN Senegal|RS Serbia
SC Seychelles|SL Sierra Leone|SG Singapore|SK Slovakia|SI Slovenia|SO Somalia|ZA South Africa
KR South Korea|SS South Sudan|ES Spain|LK Sri Lanka|SD Sudan|SR Suriname|SE Sweden
CH Switzerland|SY Syria|TW Taiwan|TJ Tajikistan|TZ Tanzania|TH Thailand|TG Togo
TT Trinidad & Tobago|TT Trinidad and Tobago|TN Tunisia|TR Türkiye|TR Turkey|TM Turkmenistan
UG Uganda|UA Ukraine|AE United Arab Emirates|GB United Kingdom|US United States|UY Uruguay
UZ Uzbekistan|VE Venezuela|VN Vietnam|YE Yemen|ZM Zambia|ZW Zimbabwe"""

COUNTRY_CODES: dict[str, str] = {
    name: code
    for line in _COUNTRY_TEXT.splitlines() for item in line.split("|")
    for code, name in [item.split(" ", 1)]
}
"""English country names (as GA4's ``geo.country`` and most CRMs write them) -> ISO-3166
alpha-2 codes. Use ``mapping={"country": "country_names"}``; two-letter codes pass as they
are, names not in this table are kept and reported."""

COUNTRY_NAMES: dict[str, str] = {}
for _name, _code in COUNTRY_CODES.items():
    COUNTRY_NAMES.setdefault(_code, _name)

_NAMED_MAPPINGS = {"ga4_channel_groups": GA4_CHANNEL_GROUPS, "country_names": COUNTRY_CODES,
                   "mediums": GA4_MEDIUMS}


def _named_mapping(func: str, column: str, spec):
    if isinstance(spec, str):
        if spec not in _NAMED_MAPPINGS:
            raise ValueError(
                f"{func}(): mapping[{column!r}] = {spec!r} is not a mapping the kit knows. "
                f"Fix: pass a dict {{your value: kit value}}, a data.FromColumn, or one of "
                f"{', '.join(map(repr, _NAMED_MAPPINGS))}."
            )
        return _NAMED_MAPPINGS[spec]
    if not isinstance(spec, dict | FromColumn):
        raise TypeError(
            f"{func}(): mapping[{column!r}] must be a dict, a data.FromColumn or a name "
            f"({', '.join(map(repr, _NAMED_MAPPINGS))}), got {type(spec).__name__}."
        )
    return spec


_UNKNOWN_OK = {"stage": ("unknown",), "device": ("unknown",)}  # what a converted flag cannot tell: said, not invented


_SOCIAL = r"(?:^|\.)(?:facebook|instagram|t\.co|twitter|x\.com|linkedin|lnkd\.in|reddit|" \
          r"pinterest|youtube|tiktok|threads)\b"
_SEARCH = r"(?:^|\.)(?:google|bing|duckduckgo|yahoo|ecosia|yandex|baidu|qwant|startpage)\b"


def page_path(url: pd.Series) -> pd.Series:
    """The path of a URL (``/shop/beans`` from ``https://x.com/shop/beans?utm=1``); ``/``
    for a bare host; missing stays missing."""
    text = url.astype("str")
    path = text.str.extract(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)?([^?#]*)", expand=False)
    return path.where(path.fillna("") != "", "/").where(text.notna())


def channel_from(source: pd.Series, medium: pd.Series) -> pd.Series:
    """The kit's channel from a (source, medium) pair; an unknown medium is kept as it is."""
    med = medium.astype("str").str.strip().str.lower()
    src = source.astype("str").str.strip().str.lower()
    chan = med.map(GA4_MEDIUMS).astype("object")
    chan = chan.where(chan.notna(), medium.astype("object"))
    referral = (med == "referral").fillna(False)
    chan[referral & src.str.contains(_SOCIAL, regex=True).fillna(False)] = "social"
    chan[referral & src.str.contains(_SEARCH, regex=True).fillna(False)] = "organic_search"
    direct = (src == "(direct)").fillna(False) & medium.isna()
    chan[direct] = "direct"
    return chan

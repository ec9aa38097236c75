"""The word lists of the facts engine, loaded once on first use and folded for lookup.

Every list lives in `data/` as plain text written for briefing; nothing here knows any
article. Loading is lazy so importing the engine stays cheap; lookups never raise.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

_FOLD_TABLE = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "’": "'",
        "‘": "'",
        "`": "'",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
    }
)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accent-, case- and dot-insensitive key, so "U.S." = "US" and "Erdoğan" = "Erdogan"."""
    text = text.translate(_FOLD_TABLE)
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return text.casefold().replace(".", "")


def _lines(name: str) -> list[str]:
    path = DATA_DIR / name
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [ln for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _words(name: str) -> frozenset[str]:
    return frozenset(fold(w) for ln in _lines(name) for w in ln.split())


def _sections(name: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    current = ""
    for ln in _lines(name):
        s = ln.strip()
        if s.startswith("[") and s.endswith("]"):
            current = s[1:-1]
            continue
        out.setdefault(current, set()).update(w.casefold() for w in s.split())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def given_names() -> frozenset[str]:
    return _words("given_names.txt")


@cache
def common_words() -> frozenset[str]:
    return _words("common_words.txt")


@cache
def role_words() -> dict[str, frozenset[str]]:
    """Sections "head", "modifier" and "honorific" of roles.txt (casefolded, dots kept)."""
    return _sections("roles.txt")


@cache
def org_words() -> dict[str, frozenset[str]]:
    """Sections "suffix" and "keyword" of org_words.txt (casefolded, dots kept)."""
    return _sections("org_words.txt")


@cache
def place_words() -> frozenset[str]:
    return frozenset(w.casefold() for ln in _lines("place_words.txt") for w in ln.split())


@cache
def event_words() -> frozenset[str]:
    return frozenset(w.casefold() for ln in _lines("event_words.txt") for w in ln.split())


@cache
def demonyms() -> dict[str, str]:
    """Folded adjective (one or two words) -> place it refers to ("" for none)."""
    out: dict[str, str] = {}
    for ln in _lines("demonyms.txt"):
        adjs, _, place = ln.partition("\t")
        for adj in adjs.split(","):
            if adj.strip():
                out[fold(adj.strip())] = place.strip()
    return out


MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip

NOT_NAMES_EXTRA = frozenset(
    {
        # Capitalised words that are not entities wherever they stand.
        "i", "i'm", "i'd", "i'll", "i've", "ok", "okay", "internet", "web", "christmas",
        "easter", "ramadan", "eid", "hanukkah", "thanksgiving", "new year", "halloween",
    }
)  # fmt: skip

ACRONYM_STOP = frozenset(
    {
        # Upper-case words that are units, formats or job titles, never named entities.
        "ceo", "cfo", "coo", "cto", "cio", "cmo", "vip", "tv", "lcd", "led", "gps", "utc",
        "gmt", "est", "edt", "pst", "pdt", "cet", "am", "pm", "ok", "dna", "rna", "gdp",
        "it", "ai", "pc", "pcs", "usb", "sms", "mp3", "mp4", "sdk", "api", "apis", "id",
        "faq", "ram", "cpu", "gpu", "gb", "mb", "kb", "tb", "ghz", "mhz", "km", "kg", "mph",
        "kph", "usd", "eur", "gbp", "jpy", "cny", "rss", "html", "url", "pdf", "ps", "nb",
        "ad", "bc", "ce", "bce", "hq", "pr", "ipo", "m&a", "r&d", "diy", "tba",
        "etc", "vs", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "a", "i",
        "q1", "q2", "q3", "q4", "h1", "h2", "fy", "yoy", "3g", "4g", "5g", "hd", "uhd",
        "os", "ui", "ux", "app", "apps", "lte", "wifi", "ceo's", "co2", "ev", "evs",
        "covid", "covid-19", "hiv", "aids", "sars", "mers", "dj", "mc", "rip",
    }
)  # fmt: skip

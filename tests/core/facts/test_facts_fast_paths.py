"""The engine's shortcuts find what the plain way finds.

Speed passes put cheap tests before costly patterns (a scan for where a match can start,
a hint that a sentence can hold one); each must only ever skip work that finds nothing.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing.core.facts import dates

_DATE_WORDS = st.sampled_from(
    [
        "12", "3rd", "31", "05", "2019", "1999", "2020s", "7/8/07", "12/31/2019", "1999-04-03",
        "45", "1.5", "March", "mar.", "MAY", "May", "Sept.", "sep", "December", "Jan", "of",
        "in", "early", "mid", "late", "last", "next", "this", "the", "end", "day", "days",
        "month", "months", "year", "ago", "from", "now", "Monday", "sunday", "Friday", "three",
        "a", "%", "percent", "$", ",", ".", "-", "/", "ſep", "İn", "today", "coming", "past",
        "3 years ago", "12 days ago", "45 months", "Maria", "Sunday", "Santiago", "market",
        "AUG", "Octo", "Novak", "deco", "juL",
    ]
)  # fmt: skip
_SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "-", ", ", ""])


_NUMBERS = st.sampled_from(["1", "12", "3rd", "31", "05", "2019", "1999", "7/8/07", "123"])
_MONTHS = st.sampled_from(["March", "mar.", "MAY", "Sept.", "Jan", "of May", "OF June", "Mayor"])


@st.composite
def _date_text(draw: st.DrawFn) -> str:
    """Date words in any order, with a number and a month side by side now and then."""
    pair = st.tuples(_NUMBERS, _SEPARATORS, _MONTHS).map("".join)
    words = draw(st.lists(st.one_of(_DATE_WORDS, pair), max_size=14))
    return "".join(w + draw(_SEPARATORS) for w in words)


def _plain_find_dates(text: str) -> list[tuple[int, int]]:
    """What `find_dates` finds, by running every family's pattern everywhere."""
    patterns: list[re.Pattern[str]] = [
        dates._P_MONTHDAY, dates._P_NUMERIC, dates._P_MONTH, dates._P_REL, dates._P_WDAY,
        dates._P_AHEAD(), dates._P_PERIOD,
    ]  # fmt: skip
    found = [m for p in patterns for m in p.finditer(text)]
    found.sort(key=lambda m: (m.start(), -m.end()))
    out: list[tuple[int, int]] = []
    end = -1
    for m in found:
        if m.start() >= end:
            out.append(m.span())
            end = m.end()
    return out


@settings(max_examples=400, deadline=None)
@given(_date_text())
@example("İn 45 months ")  # "İ" lower-cases to two characters: "in " was not found in it
def test_find_dates_matches_the_plain_patterns(text: str) -> None:
    assert [m.span() for m in dates.find_dates(text)] == _plain_find_dates(text)


def test_find_dates_shortcuts_keep_known_dates() -> None:
    text = "He left on 3rd of May 2019, met in 7/8/07 and will return in three days, 12 March."
    assert [m.group() for m in dates.find_dates(text)] == [
        "3rd of May 2019", "7/8/07", "in three days", "12 March",
    ]  # fmt: skip

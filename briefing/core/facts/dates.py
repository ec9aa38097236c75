"""Dates named in an article, normalised against the day it was published.

"Nov. 15" -> 2019-11-15, "July" -> the most recent July (the next one when the sentence
speaks of the future), "yesterday", "last Tuesday", "2019". An expression that cannot be
pinned to a calendar date, month or year is left out rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from briefing.core.facts.lexicon import MONTHS, WEEKDAYS, lazy_pattern
from briefing.core.models.facts import DateRef

_MON = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMWORD = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_FLAGS = re.X | re.I
# Each family of expressions is its own pattern, run only on sentences that could hold it
# (one alternation of everything is several times slower on number-heavy news).
_P_MONTHDAY = re.compile(
    rf"""
    (?P<mdy>\b(?P<m1>{_MON})\s+(?P<d1>{_DAY})\b(?!\s*(?:%|percent|million|billion|,\d))
        (?:,?\s+(?P<y1>{_YEAR})\b)?)
    |(?P<dmy>\b(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})(?![\w])(?:,?\s+(?P<y2>{_YEAR})\b)?)
    |(?P<my>\b(?P<m3>{_MON})\s+(?:of\s+)?(?P<y3>{_YEAR})\b)
    """,
    _FLAGS,
)
_P_NUMERIC = re.compile(
    rf"""
    (?P<iso>\b(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>[0-3]\d)\b)
    |(?P<num>\b(?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})/(?P<n3>\d{{4}}|\d{{2}})\b)
    |(?P<year>(?<![\d$£€¥#.,/-])\b(?P<ymod>(?:early|mid|late)[\s-]+)?(?P<y4>{_YEAR})\b
        (?!\s*(?:%|percent))(?![.,]\d)(?!-\d))
    """,
    _FLAGS,
)
# Where a month-day expression can start: a day's number before what could be a month
# name ("12 March", "3rd of May"), or a word opening with a month's first three letters (a
# superset; the full pattern decides). Letting the engine scan for these first is several
# times faster than `finditer` trying every offset; news has many numbers that are no day,
# each of which would cost a try of the full pattern. A numeric date starts with a year or
# with a day or month before "/" ("2019", "7/8/07").
_MONTHDAY_STARTS = re.compile(
    r"[\dADFJMNOSadfjmnos](?<!\w.)"
    r"(?:(?<=\d)(?=\d?(?i:st|nd|rd|th)?\s+(?i:of\s+)?[ADFJMNOSadfjmnos])"
    r"|(?i:(?<=j)an|(?<=f)eb|(?<=m)a[ry]|(?<=a)(?:pr|ug)|(?<=j)u[nl]|(?<=s)ep|(?<=o)ct|(?<=n)ov"
    r"|(?<=d)ec))"
)
_NUMERIC_STARTS = re.compile(
    r"[\dEeLlMm](?<!\w.)(?:(?<=1)(?=[6-9]\d\d)|(?<=2)(?=0\d\d)|(?<=\d)(?=\d?/)|(?i:arly|ate|id))"
)
_MONTH_STARTS = re.compile(
    r"[ABDEFIJLMNOSTUabdefijlmnostu](?<!\w.)(?i:arly|id|ate|he|nd|eginning|ast|ext|his|n|ince"
    r"|ntil|y|rom|f|uring|efore|fter|hrough|ill|s|anuary|ebruary|arch|pril|ay|une|uly|ugust"
    r"|eptember|ctober|ovember|ecember)"
)
_WDAY_STARTS = re.compile(
    r"[CFLMNOPSTWcflmnopstw](?<!\w.)"
    r"(?i:ast|ext|his|n|oming|onday|uesday|ednesday|hursday|riday|aturday|unday)"
)
# A number starts a period only as a count of days, months or years ("3 years ago").
_PERIOD_STARTS = re.compile(
    r"[\dACEFLNOPSTaceflnopst](?<!\w.)(?:(?<=\d)(?=\d?\s+(?i:day|month|year))|(?i:ast|his|ext|oming|arlier|ater|n|ne|wo"
    r"|hree|our|ive|ix|even|ight|ine|en|leven|welve|he|)(?!\w)"
    r"|(?i:ast|his|ext|oming|arlier|ater|he|)\s)"
)
# Non-ASCII letters that case-insensitive patterns match to ASCII ones ("ſ" is "s"): a
# sentence holding one is searched the slow, ordinary way.
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")


def skip_finditer(
    pattern: re.Pattern[str], starts: re.Pattern[str], text: str, odd: bool | None = None
) -> list[re.Match[str]]:
    """The matches of `pattern.finditer(text)` (which must never match empty), trying the
    pattern only where `starts` matches; `starts` must match at every offset a match of
    `pattern` can start at. `odd` is `_ODD_CASE.search(text) is not None` when the caller
    already knows it (find_dates tests it once per sentence, not once per pattern)."""
    if odd is None:
        odd = _ODD_CASE.search(text) is not None
    if odd:
        return list(pattern.finditer(text))
    out: list[re.Match[str]] = []
    end = 0
    match = pattern.match
    for c in starts.finditer(text):
        pos = c.start()
        if pos >= end:
            m = match(text, pos)
            if m is not None:
                out.append(m)
                end = m.end()
    return out
_NUMERIC_HINT = re.compile(r"\d\d\d\d|\d/\d")
_P_MONTH = re.compile(
    r"""
    (?P<mon>\b(?P<mmod>(?:early|mid|late|the\s+(?:first|second|last|final)\s+(?:week|half|
        days?|part|weeks)\s+of|the\s+(?:beginning|end|middle|start)\s+of|end\s+of|
        beginning\s+of|last|next|this|in|since|until|by|from|of|during|before|after|
        through|till|throughout|as\s+of)[\s-]+)?(?P<m4>(?:January|February|March|April|May|June|
        July|August|September|October|November|December))\b(?!\s+\d))
    """,
    _FLAGS,
)
_P_REL = re.compile(
    r"(?P<rel>\b(?P<rw>(?:the\s+day\s+(?:before|after)\s+)?(?:yesterday|tomorrow)|today|tonight|last\s+night|"
    r"this\s+(?:morning|afternoon|evening))\b)",
    _FLAGS,
)
_P_WDAY = re.compile(
    rf"(?P<wday>\b(?:(?P<wm>last|next|this|on|coming|past)\s+)?(?P<wd>{_WD})\b"
    rf"(?!\s*,?\s+{_MON}))",
    _FLAGS,
)
_P_PERIOD = re.compile(
    r"""
    (?P<period>\b(?P<pm>last|this|next|past|coming|earlier\s+this|later\s+this)\s+
        (?P<pu>month|year)\b)
    |(?P<ago>\b(?P<an>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|
        twelve)\s+(?P<au>days?|months?|years?)\s+ago\b)
    |(?P<boy>\bthe\s+(?:beginning|start|end|middle)\s+of\s+the\s+year\b)
    """,
    _FLAGS,
)
_P_AHEAD = lazy_pattern(
    r"(?P<ahead>\bin\s+(?P<hn>\d{1,2}|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve)\s+(?P<hu>days?|months?)\b(?!\s+(?:of|ago|time|later|earlier|before|after)\b)"
    r"|\b(?P<fn>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<fu>days?|months?)\s+from\s+now\b)",
    re.I,
)
"""A day or month counted ahead of the publication date: "in three days", "two months from
now" (not "in two days of talks", a span, nor "in a day", a rate)."""
_AHEAD_HINT = re.compile(r"\s(?:days?|months?)\b", re.I)
"""What every match of `_P_AHEAD` holds, found without trying it at every offset: the
unit as a word ("Monday" and "in " alone would do for the cheap tests before it)."""
_HAS_DIGIT = re.compile(r"\d")
_VALUE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REL_WORDS = ("today", "tonight", "yesterday", "tomorrow", "last night", "this morning", "this afternoon",
              "this evening")  # fmt: skip
_FUTURE_SRC = (
    r"\b(?:will|shall|(?:would|could|may|might|should)(?!\s+(?:not\s+)?have\b)|'ll|’ll|expects?\s+to|expected\s+to|"
    r"(?:is|are|be|been|was|were)\s+expected|plans?|planning|scheduled|due|upcoming|"
    r"set\s+to|going\s+to|aims?|intends?|hopes?|to\s+be\s+held|forthcoming|next|until|"
    r"is\s+to|are\s+to|later\s+this|expect(?:s|ed|ing)?|forecasts?|predicts?|predicted|"
    r"anticipates?|anticipated|year\s+(?:ending|ends)|to\s+be|slated|this\s+coming|ahead\s+of|"
    r"run-up\s+to|(?:is|are)\s+set\s+for|"
    r"(?:is|are)\s+(?:set|slated|poised|likely)\s+to)\b"
)
_FUTURE = lazy_pattern(_FUTURE_SRC, re.I)
# Past tense: a regular past form not after "be" ("to be completed" is no past) or a common
# irregular one. The cue nearest before a bare month decides which year it falls in.
_PAST_SRC = (
    r"\b(?:was|were|had|did|rose|fell|grew|won|lost|took|began|came|went|saw|gave|left|met|sold|"
    r"bought|paid|spent|became|broke|brought|kept|sent|stood|sank|shrank|said|told|ago|held|made|"
    r"struck|spoke|wrote|ran|led|fought|thought|felt|found|got|heard|knew|sought|shot|swore|taught|"
    r"threw|drove|flew|fled|froze|hid|rang|rode|shook|stuck|swept|tore|wore|withdrew|overtook|"
    r"upheld|arose|forgave|lent|rebuilt|been|earlier|previously|prior\s+to|drew|blew|chose|ate|"
    r"dealt|dug|fed|hung|meant|mistook|sang|sat|slept|spun|stole|swam|understood|bled|clung|crept|"
    r"dove|flung|knelt|leapt|overcame|oversaw|shone|slid|sped|swung|wept|withheld|withstood|"
    r"woke|wound|foresaw|undertook|outgrew|smote|strode|strove|"
    r"(?:would|could|should|might|may|must)\s+(?:not\s+)?have)\b"
    r"|(?<!\bbe\s)(?<!\bbeen\s)\b(?!(?:scheduled|planned|expected|slated|projected)\b)"
    r"[a-z]{2,}ed\b"
)
_PAST = lazy_pattern(_PAST_SRC, re.I)
_CASE_SENSITIVE_MONTH = re.compile(r"^(?:May|March)$")


def find_dates(text: str) -> list[re.Match[str]]:
    """Date expressions of one sentence, leftmost-longest, never overlapping."""
    odd = _ODD_CASE.search(text) is not None
    # A word test on the lower-cased text cannot stand in for a case-blind pattern where
    # a letter lower-cases to something else ("İn" is "i̇n"): with one, every family runs.
    has = _always if odd else text.lower().__contains__
    found: list[re.Match[str]] = []
    if _HAS_DIGIT.search(text):
        found.extend(skip_finditer(_P_MONTHDAY, _MONTHDAY_STARTS, text, odd))
        if _NUMERIC_HINT.search(text):
            found.extend(skip_finditer(_P_NUMERIC, _NUMERIC_STARTS, text, odd))
    if any(map(has, _MONTH_NAMES)):
        found.extend(skip_finditer(_P_MONTH, _MONTH_STARTS, text, odd))
    if any(map(has, _REL_WORDS)):
        found.extend(_P_REL.finditer(text))
    if has("day") and any(map(has, _WEEKDAY_NAMES)):
        found.extend(skip_finditer(_P_WDAY, _WDAY_STARTS, text, odd))
    if (
        (has("day") or has("month"))
        and (has("in ") or has("from now"))
        and _AHEAD_HINT.search(text)
    ):
        found.extend(_P_AHEAD().finditer(text))
    if has("year") or has("month") or has(" ago"):
        found.extend(skip_finditer(_P_PERIOD, _PERIOD_STARTS, text, odd))
    found.sort(key=lambda m: (m.start(), -m.end()))
    out: list[re.Match[str]] = []
    end = -1
    for m in found:
        if m.start() >= end:
            out.append(m)
            end = m.end()
    return out


def _always(_word: str) -> bool:
    return True


def _group(m: re.Match[str], name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def _month(word: str) -> int:
    w = word.rstrip(".").lower()
    return MONTHS.get(w, 0) or MONTHS.get(w[:3], 0)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_day(pub: date, m: int, d: int, future: bool) -> date | None:
    this = _safe_date(pub.year, m, d)
    if this is None:
        return _safe_date(pub.year - 1, m, d) if m == 2 and d == 29 else None
    if future:
        if this < pub - timedelta(days=7):
            return _safe_date(pub.year + 1, m, d)
        return this
    if this > pub + timedelta(days=90):
        return _safe_date(pub.year - 1, m, d)
    return this


def _month_only(pub: date, m: int, future: bool, mod: str) -> str:
    mod = mod.lower().strip()
    if mod.startswith("last"):
        return f"{pub.year if m < pub.month else pub.year - 1:04d}-{m:02d}"
    if mod.startswith("next"):
        return f"{pub.year if m > pub.month else pub.year + 1:04d}-{m:02d}"
    if mod.startswith("this") or m == pub.month:
        return f"{pub.year:04d}-{m:02d}"
    if future:
        return f"{pub.year if m > pub.month else pub.year + 1:04d}-{m:02d}"
    return f"{pub.year if m < pub.month else pub.year - 1:04d}-{m:02d}"


def _shift_month(pub: date, delta: int) -> str:
    idx = pub.year * 12 + pub.month - 1 + delta
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def _weekday(pub: date, wd: int, mod: str, future: bool) -> date:
    mod = (mod or "").lower()
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    if mod in {"last", "past"}:
        return pub - timedelta(days=back or 7)
    if mod in {"next", "coming"}:
        return pub + timedelta(days=ahead or 7)
    if future:
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back)


def _resolve(
    m: re.Match[str], pub: date | None, future: bool, groups: dict[str, str | None] | None = None
) -> str | None:
    """The ISO value of one date match; `groups` is `m.groupdict()` when the caller has it
    (one dict for the dozen or so names tested here, not a `_group` call for each)."""
    if groups is None:
        groups = m.groupdict()

    def g(name: str) -> str:
        return groups.get(name) or ""

    if g("iso") or g("num") or g("mdy") or g("dmy") or g("my") or g("year"):
        return _calendar(g, pub, future)
    if pub is None:
        return None
    if g("rel") or g("wday") or g("period"):
        return _around(g, pub, future)
    return _counted(m, g, pub, future)


def _calendar(g: Callable[[str], str], pub: date | None, future: bool) -> str | None:
    """A date written with its numbers or month name ("2019-11-16", "Nov. 16"): the year
    comes from the publication date only when the text leaves it out."""
    if g("iso"):
        d = _safe_date(int(g("iy")), int(g("im")), int(g("id")))
        return d.isoformat() if d else None
    if g("num"):
        a, b, y = int(g("n1")), int(g("n2")), int(g("n3"))
        if y < 100:
            y += 2000 if y < 70 else 1900
        d = _safe_date(y, a, b) or _safe_date(y, b, a)
        return d.isoformat() if d else None
    if g("mdy") or g("dmy"):
        mon = _month(g("m1") or g("m2"))
        day = int(re.sub(r"\D", "", g("d1") or g("d2")))
        year = g("y1") or g("y2")
        if not mon:
            return None
        if year:
            d = _safe_date(int(year), mon, day)
            return d.isoformat() if d else None
        if pub is None:
            return None
        d = _month_day(pub, mon, day, future)
        return d.isoformat() if d else None
    if g("my"):
        mon = _month(g("m3"))
        return f"{int(g('y3')):04d}-{mon:02d}" if mon else None
    return f"{int(g('y4')):04d}"  # "year"


def _around(g: Callable[[str], str], pub: date, future: bool) -> str | None:
    """A day or period named from the publication date: "yesterday", "on Tuesday",
    "last month"."""
    if g("rel"):
        w = " ".join(g("rw").lower().split())
        shift = {
            "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2,
            "last night": -1,
        }  # fmt: skip
        return (pub + timedelta(days=shift.get(w, 0))).isoformat()
    if g("wday"):
        wd = WEEKDAYS[g("wd").lower()]
        return _weekday(pub, wd, g("wm") or "", future).isoformat()
    mod = " ".join(g("pm").lower().split())  # "period"
    unit = g("pu").lower()
    delta = -1 if mod in {"last", "past"} else 1 if mod in {"next", "coming"} else 0
    if unit == "year":
        return f"{pub.year + delta:04d}"
    return _shift_month(pub, delta)


def _counted(m: re.Match[str], g: Callable[[str], str], pub: date, future: bool) -> str | None:
    """A date counted back from the publication date ("three days ago"), the start of its
    year, or a month alone ("in March")."""
    if g("ahead"):
        raw = (g("hn") or g("fn")).lower()
        n = int(raw) if raw.isdigit() else _NUMWORD.get(raw, 0)
        if (g("hu") or g("fu")).lower().startswith("day"):
            return (pub + timedelta(days=n)).isoformat()
        return _shift_month(pub, n)
    if g("ago"):
        raw = g("an").lower()
        n = int(raw) if raw.isdigit() else _NUMWORD.get(raw, 0)
        unit = g("au").lower()
        if unit.startswith("day"):
            return (pub - timedelta(days=n)).isoformat()
        if unit.startswith("month"):
            return _shift_month(pub, -n)
        if not _exactly(m):
            return None  # "two years ago" may be either of two calendar years
        return f"{pub.year - n:04d}"
    if g("boy"):
        return f"{pub.year:04d}"
    if g("mon"):
        word = g("m4")
        mod = g("mmod") or ""
        if _CASE_SENSITIVE_MONTH.match(word) and not mod:
            return None
        return _month_only(pub, MONTHS[word.lower()], future, mod)
    return None


_EXACT_BEFORE = re.compile(r"\bexactly\s+$", re.I)
_EXACT_AFTER = re.compile(r"^\s+(?:today|this\s+(?:week|month)|to\s+the\s+day)\b", re.I)


def _exactly(m: re.Match[str]) -> bool:
    """"exactly two years ago", "a year ago this week": a year ago that names a year."""
    text = m.string
    return bool(
        _EXACT_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
        or _EXACT_AFTER.match(text[m.end() : m.end() + 20])
    )


def extract_dates(
    sentences: list[str],
    published: date | None,
    found: list[list[re.Match[str]]] | None = None,
) -> list[DateRef]:
    """Dates of sentences (0 = title), in reading order, one per distinct text and value."""
    out: list[DateRef] = []
    seen: set[tuple[str, str]] = set()
    if found is None:
        found = [find_dates(t) for t in sentences]
    for si, text in enumerate(sentences):
        for m in found[si]:
            groups = m.groupdict()  # `_group` for each name, at the cost of one dict
            if groups.get("rel") and _in_quote(text, m.start()):
                # "today" in a quote is the day the words were spoken, which the article
                # may not give (remarks from Nov. 13 quoted on Nov. 16): left out, not guessed.
                # A weekday in a quote ("we meet on Monday") is kept: it names its own day.
                continue
            weekday = bool(groups.get("wd"))
            future = _future_tense(text, m.start(), m.end(), title=si == 0, weekday=weekday)
            if weekday and (groups.get("wm") or "").lower() == "this" and not future:
                # "this Sunday" is the coming one unless the sentence speaks of the past
                future = _PAST().search(text) is None
            word = m.group()
            name = next((k for k in ("m4", "wd", "m1", "m2", "m3") if groups.get(k)), None)
            if name is not None and not (groups.get(name) or " ")[0].isupper():
                continue
            if (
                name == "wd"
                and not groups.get("wm")
                and _NAMED_DAY().search(text, max(0, m.start() - 20), m.start())
            ):
                continue  # "Black Friday", "Super Tuesday": a named day, not last or next Friday
            try:
                value = _resolve(m, published, future, groups)
            except (OverflowError, ValueError):  # dates near year 1 or 9999
                continue
            if value is None or not _VALUE.fullmatch(value):
                continue
            text_out = _trim(word)
            if (text_out, value) in seen:
                continue
            seen.add((text_out, value))
            out.append(DateRef(text_out, value, si, published is not None and after(value, published)))
    return out


_NAMED_DAY = lazy_pattern(
    r"\b(?:Black|Cyber|Good|Holy|Ash|Super|Easter|Palm|Bloody|Maundy|Shrove|Giving|Fat|Blue|Whit)\s+$"
)
"""The first word of a named day: "Black Friday", "Super Tuesday", "Good Friday"."""


def after(value: str, published: date) -> bool:
    """Whether a normalised date lies after the publication date at its own precision: a
    later day, a later month ("2020-04" after March 2020) or a later year."""
    parts = [int(p) for p in value.split("-")]
    pub = (published.year, published.month, published.day)[: len(parts)]
    return tuple(parts) > pub


_OPENERS = "“«„"
_CLOSERS = "”»"


def _in_quote(text: str, at: int) -> bool:
    """Whether position `at` of a sentence lies inside a direct quotation.

    Curly quotes say which side they are on; straight ones toggle. A sentence inside a
    quotation that began in an earlier sentence shows only its closing mark.
    """
    before = text[:at]
    opened = sum(before.count(c) for c in _OPENERS) - sum(before.count(c) for c in _CLOSERS)
    if opened > 0 or before.count('"') % 2 == 1:
        return True
    if any(c in before for c in _OPENERS + _CLOSERS + '"'):
        return False
    after = text[at:].rstrip()
    return after.endswith(tuple(_CLOSERS) + ('"', '."', ',"')) and not any(c in after for c in _OPENERS)


# The tense cues again, case-sensitive, for lower-cased ASCII text: on ASCII, `re.I` on the
# text and a plain match on its lower-case form find the same spans (lower-casing keeps
# every offset there), and the plain patterns run twice as fast. The leading look-ahead
# (every first letter of a cue) lets the engine skip other offsets at once.
_FUTURE_LOW = lazy_pattern(r"(?=[wscmie'’apbdughtfnlyr])" + _FUTURE_SRC)
_PAST_LOW = lazy_pattern(_PAST_SRC)


def _future_tense(
    text: str, at: int, end: int | None = None, title: bool = False, weekday: bool = False
) -> bool:
    """Whether a date at text[at:end] lies ahead as its sentence reads it.

    The nearest tense cue before it in the sentence decides ("will hold talks on Monday",
    "held talks on Monday"); with none, "is"/"are" right before it ("the vote is on Sunday")
    or a verb of a scheduled event ("the hard part starts on Monday") looks forward; else
    the nearest cue after it in its clause ("On Monday, the minister will travel"); a
    headline's "to" ("Lee to visit Oslo on May 3") looks forward too. Else it lies behind."""
    start = max(0, at - 160)
    if _POSSESSIVE_BEFORE().search(text, max(0, at - 4), at):
        return False  # "Trump's July 25 call": an event the text takes as known
    future, past, event = _FUTURE(), _PAST(), _EVENT_VERB()
    original = text
    if text.isascii():
        text, future, past, event = text.lower(), _FUTURE_LOW(), _PAST_LOW(), _EVENT_VERB_LOW()
    before = _nearest_cue(original, text, future, past, start, at, last=True)
    if before is not None:
        return before
    if _COPULA_BEFORE().search(text, max(0, at - 24), at) or event.search(text, start, at):
        return True
    if weekday and _PROGRESSIVE().search(text, start, at):
        return True  # "the president is travelling to Lima on Monday": an arrangement
    if title and _HEADLINE_TO().search(original, start, at):
        return True
    if end is not None:
        # After the date only in its own clause, or past the comma of an opening phrase
        # ("On Monday, the minister will travel"); there only a verb's tense counts.
        begin = end
        if _OPENING().fullmatch(text, 0, at) and text[end : end + 1] == ",":
            begin = end + 1
        stop = _CLAUSE_STOP().search(text, begin, min(len(text), begin + 100))
        limit = stop.start() if stop else min(len(text), begin + 100)
        after = _nearest_cue(original, text, _VERB_FUTURE(), past, end, limit, last=False)
        if after is not None:
            return after
        if event.search(text, end, min(limit, end + 60)):
            return True
    return False


def _nearest_cue(
    original: str, text: str, future: re.Pattern[str], past: re.Pattern[str], a: int, b: int, last: bool
) -> bool | None:
    """Whether the tense cue in text[a:b] nearest to one end (the end when `last`, else the
    start) looks forward; None when there is none."""
    if last:
        after = -1
        for fm in future.finditer(text, a, b):
            if not _month_may(original, fm):
                after = fm.end()
        for pm in past.finditer(text, after if after >= 0 else a, b):
            if not _capitalised_ed(original, pm):
                return False  # a past cue after the last forward one
        return True if after >= 0 else None
    first_future = b + 1
    for fm in future.finditer(text, a, b):
        if not _month_may(original, fm):
            first_future = fm.start()
            break
    for pm in past.finditer(text, a, min(first_future, b)):
        if not _capitalised_ed(original, pm):
            return False  # a past cue before the first forward one
    return True if first_future <= b else None


def _month_may(original: str, m: re.Match[str]) -> bool:
    """The month, not the modal: "his inauguration in May and a speech in October"."""
    return m.start() > 0 and original[m.start() : m.end()] == "May"


def _capitalised_ed(original: str, m: re.Match[str]) -> bool:
    """"United", "Mohammed": names, not past forms."""
    return original[m.start()].isupper() and m.group().casefold().endswith("ed")


_PROGRESSIVE = lazy_pattern(r"\b(?:is|are|am)\s+(?:[a-z]+ly\s+)?[a-z]{3,}ing\b", re.I)
_POSSESSIVE_BEFORE = lazy_pattern(r"['’]s\s+$")
_COPULA_BEFORE = lazy_pattern(
    r"\b(?:is|are)\s+(?:(?:now\s+)?(?:on|for|due|set\s+for|scheduled\s+for)\s+)?$", re.I
)
_EVENT_VERB_SRC = (
    r"\b(?:starts|begins|opens|closes|ends|meets|holds|hosts|visits|arrives|leaves|travels|heads|"
    r"returns|resumes|kicks\s+off|launches|convenes|gathers|expires|takes\s+(?:place|effect|office)|"
    r"goes\s+to\s+the\s+polls|go\s+to\s+the\s+polls|meet(?!-)|convene|resume|gather)\b(?!-)"
)
_EVENT_VERB = lazy_pattern(_EVENT_VERB_SRC, re.I)
_EVENT_VERB_LOW = lazy_pattern(r"(?=[sbocmhvatlrgek])" + _EVENT_VERB_SRC)
"""A scheduled event in the present tense, as news writes what is to come: "the summit opens
on Monday", "voters go to the polls on Sunday" (lower-cased text)."""
_HEADLINE_TO = lazy_pattern(
    r"(?<=[A-Za-z]) to\s+(?!(?:be|the|a|an|his|her|its|their|our|this|that|these|those)\b)[a-z]{3,}\b"
)
_CLAUSE_STOP = lazy_pattern(r"[,;:]|\s[—–]\s|\bbut\b|\bwhile\b|\bwhich\b|\bwho\b")
_OPENING = lazy_pattern(
    r"\s*(?:(?:early|late|later|earlier|but|and|then|on|by|until|from|as\s+of)\s+)*", re.I
)
"""Nothing but an opening preposition before the date: "On Monday, ..." """
_VERB_FUTURE = lazy_pattern(
    r"\b(?:will|shall|(?:would|could|may|might|should)(?!\s+(?:not\s+)?have\b)|'ll|’ll|(?:is|are)\s+to|"
    r"(?:is|are|was|were)\s+(?:set|due|expected|scheduled|slated|poised|likely|going)\s+to)\b",
    re.I,
)
"""Future tense in a verb (not a noun such as "forecasts" or "plans"), for the words after a date."""


_LEAD = re.compile(
    r"^(?:on|in|since|until|by|from|of|during|before|after|through|till|throughout|as\s+of)\s+",
    re.I,
)


def _trim(text: str) -> str:
    return _LEAD.sub("", " ".join(text.split()))


def date_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of date expressions, so quantities skip "15" in "Nov. 15"."""
    return [m.span() for m in find_dates(sentence)]

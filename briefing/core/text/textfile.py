"""The plain-text article format shared by `briefing import` and `briefing facts`.

A title line, a blank line, then the body. Within the first lines of the body a
standalone date line ("December 10, 2013", "2019-11-16") is the published date and a
short line naming the outlet ("Duvar English") is the source; both are taken out of
the body, also when pasted as consecutive lines with no blank line between them.
Nothing here guesses beyond that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_MDY = re.compile(_WEEKDAY + r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_DMY = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})$", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_SOURCE_LINE = re.compile(
    r"^[A-Z][\w'’&.\-]*(?: (?:[A-Z0-9&][\w'’&.\-]*|of|the|and|de|du|al))*(?: \([\w .]{1,20}\))?$"
)
_SOURCE_PREFIX = re.compile(r"^(?:source|via|from)\s*:\s*(.{2,60})$", re.I)


@dataclass(frozen=True, slots=True)
class PlainArticle:
    title: str
    body: str
    published: date | None = None
    source: str | None = None


def parse_date_line(line: str) -> date | None:
    """A whole line that is a calendar date, or None. Never raises."""
    text = line.strip().strip("()")
    if not text or len(text) > 40:
        return None
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MDY.match(text):
            month = _MONTHS.get(m[1].lower())
            return date(int(m[3]), month, int(m[2])) if month else None
        if m := _DMY.match(text):
            month = _MONTHS.get(m[2].lower())
            return date(int(m[3]), month, int(m[1])) if month else None
    except ValueError:
        return None
    return None


def _looks_like_source(line: str) -> str | None:
    if m := _SOURCE_PREFIX.match(line):
        return m[1].strip()
    words = line.split()
    if 1 <= len(words) <= 5 and len(line) <= 48 and _SOURCE_LINE.match(line):
        return line
    return None


def _header_line(line: str) -> bool:
    """A line pasted under the title without a blank line: a date or an outlet's name."""
    return parse_date_line(line) is not None or _looks_like_source(line) is not None


def parse_plain_article(raw: str, *, scan_paragraphs: int = 4) -> PlainArticle:
    """Split raw text into title, body, dateline date and source line."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip() if lines else ""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[1:]:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    paragraphs: list[str] = []
    for i, block in enumerate(blocks):
        if i < scan_paragraphs and len(block) > 1 and all(map(_header_line, block)):
            paragraphs.extend(block)  # "Reuters" over "March 3, 2025": two header lines, not a sentence
        else:
            paragraphs.append(" ".join(block))

    published: date | None = None
    source: str | None = None
    kept: list[str] = []
    for i, para in enumerate(paragraphs):
        if i < scan_paragraphs and published is None and (d := parse_date_line(para)):
            published = d
            continue
        if i < scan_paragraphs and source is None and i + 1 < len(paragraphs):
            if (s := _looks_like_source(para)) is not None:
                source = s
                continue
        kept.append(para)
    return PlainArticle(title=title, body="\n\n".join(kept), published=published, source=source)

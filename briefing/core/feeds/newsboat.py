"""newsboat's `urls` file to feeds.toml, so a newsboat user moves over in one command.

Each line is a feed address and its tags (`"quoted tags"` may hold spaces); a `"~Title"`
tag renames the feed, `!` hides it in newsboat (nothing here). Lines starting with `#`
are comments. Query feeds (`"query:Name:expression"`) are views, not feeds, and are
skipped with a note; `exec:` and `filter:` feeds name programs to run and are skipped
with a note: nothing in the file is ever executed or fetched. The feeds go through the
same checks and the same writer as `briefing opml import`.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.core.errors import BriefingError
from briefing.core.feeds.opml import ImportReport, OpmlFeed, append_feeds
from briefing.core.text.clean import clean_line

MAX_URLS_BYTES = 5 * 1024 * 1024
"""A urls file is a few kilobytes; anything larger is not one."""


class NewsboatError(BriefingError):
    """The urls file cannot be read; the message says why."""


@dataclass(slots=True)
class UrlsList:
    """What a newsboat urls file holds: its feeds, and the lines left out with the reason."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_urls_file() -> Path:
    """Where newsboat keeps its urls: ~/.newsboat/urls, or the XDG place newer ones use."""
    classic = Path.home() / ".newsboat" / "urls"
    if classic.is_file():
        return classic
    import os

    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "newsboat" / "urls"
    return xdg if xdg.is_file() else classic


def read_urls(text: str) -> UrlsList:
    """The feeds of a urls file, in file order; a URL listed twice is imported once with
    the tags of every line."""
    listing = UrlsList()
    by_url: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=False, posix=True)
        except ValueError as exc:
            listing.skipped.append((f"line {number}", f"cannot be read ({exc})"))
            continue
        if not words:
            continue
        url, tags = words[0], words[1:]
        shown = clean_line(url, limit=200)
        kind = url.split(":", 1)[0].lower() if ":" in url else ""
        if kind == "query":
            name = clean_line(url.split(":", 2)[1] if url.count(":") >= 2 else url, limit=200)
            listing.skipped.append((f"line {number}: {name}",
                                    "a query feed (newsboat's saved search), not a feed; use a "
                                    "watchlist in watch.toml for the same"))
            continue
        if kind in ("exec", "filter"):
            listing.skipped.append((f"line {number}: {shown}",
                                    f"an {kind}: feed runs a program; briefing never runs one"))
            continue
        name = ""
        kept: list[str] = []
        for tag in tags:
            if tag.startswith("~"):
                name = clean_line(tag[1:], limit=200)
            elif tag and tag != "!":
                kept.append(clean_line(tag, limit=100))
        at = by_url.get(url)
        if at is not None:
            first = listing.feeds[at]
            listing.feeds[at] = OpmlFeed(first.name or name, first.url,
                                         tuple(dict.fromkeys((*first.tags, *kept))))
            listing.skipped.append((f"line {number}: {shown}", "listed again; imported once with "
                                    "the tags of every line"))
            continue
        by_url[url] = len(listing.feeds)
        listing.feeds.append(OpmlFeed(name, url, tuple(dict.fromkeys(kept))))
    return listing


def import_newsboat(path: Path, target: Path, *, bundled: Path, now: datetime | None = None) -> ImportReport:
    """Append the urls file's new feeds to `target` (created from `bundled` if absent)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NewsboatError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_URLS_BYTES:
        raise NewsboatError(f"{path}: larger than {MAX_URLS_BYTES // 2**20} MiB; not a newsboat urls file")
    notes: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        notes.append("not UTF-8; characters that could not be read are shown as \ufffd")
    listing = read_urls(text)
    report = append_feeds(listing.feeds, target, bundled=bundled, source=f"newsboat {path.name}", now=now)
    report.skipped, report.notes = listing.skipped, notes + listing.notes
    return report

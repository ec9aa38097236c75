"""What the reader draws, as plain data: stories told by several outlets, dates, outlet
names, a topic's articles per day.

No Textual here, so each is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from briefing.core.models.meta import ArticleMeta
from briefing.core.stories.topics import TopicIndex
from briefing.core.text.clean import clean_line


def copy_index(index: TopicIndex) -> TopicIndex:
    """A private copy the UI thread can read while a refresh adds to the store's own."""
    return index.copy()


def display(text: str | None, limit: int = 300) -> str:
    """An untrusted one-line string made safe to draw (the store should have cleaned it)."""
    return clean_line(text or "", limit=limit)


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def relative_date(ts: float | None, now: datetime) -> str:
    """Short age for lists: 5m, 3h, 2d; older: 15 Nov (this year) or Nov 2019."""
    if ts is None:
        return "—"
    when = datetime.fromtimestamp(ts, UTC)
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return f"{when.day} {_MONTHS[when.month - 1]}"
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d"
    if when.year == now.year:
        return f"{when.day} {_MONTHS[when.month - 1]}"
    return f"{_MONTHS[when.month - 1]} {when.year}"


_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
LIST_DATE_WIDTH = 10
"""The widest `list_date` ("2019-11-16")."""


def list_date(ts: float | None, now: datetime) -> str:
    """The list's date column, in UTC like the article's byline: the time for today
    ("14:05"), weekday and time within the last six days ("Tue 14:05"), day and month
    within the year ("15 Nov"), the full date before ("2019-11-15"). Never wider than
    `LIST_DATE_WIDTH`."""
    if ts is None:
        return "—"
    when = datetime.fromtimestamp(ts, UTC)
    today = now.astimezone(UTC).date()
    days = (today - when.date()).days
    if days == 0:
        return f"{when:%H:%M}"
    if 0 < days < 7:
        return f"{_WEEKDAYS[when.weekday()]} {when:%H:%M}"
    if when.year == today.year:
        return f"{when.day} {_MONTHS[when.month - 1]}"
    return f"{when:%Y-%m-%d}"


def ago(when: datetime | None, now: datetime) -> str:
    """How long ago, for the feeds screen: "just now", "5m ago", "3h ago", "2d ago", then
    the list's date ("15 Nov", "2019-11-15"); "never" for None."""
    if when is None:
        return "never"
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 7 * 86400:
        return f"{relative_date(when.timestamp(), now)} ago"
    return list_date(when.timestamp(), now)


def full_date(when: datetime | None) -> str:
    if when is None:
        return "date unknown"
    when = when.astimezone(UTC)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year} {when:%H:%M} UTC"


# -- one story, many outlets -------------------------------------------------------------


@dataclass(frozen=True)
class Stories:
    """Which story each article belongs to, and the members of stories told more than once.

    Built off the UI thread from `clusters.group_by_story`; exact duplicates (the same
    title and link, or title and outlet) are folded into one story even when clustering
    kept them apart, so they never show twice.
    """

    key_of: dict[str, str]
    """Article id -> story key, for articles whose story has other members."""
    members: dict[str, list[ArticleMeta]]
    """Story key -> its articles, newest first (stories of two or more only)."""

    def story_of(self, meta: ArticleMeta) -> str:
        return self.key_of.get(meta.id) or meta.cluster or meta.id

    def others(self, meta: ArticleMeta) -> list[ArticleMeta]:
        """The story's other articles, newest first."""
        return [m for m in self.members.get(self.story_of(meta), ()) if m.id != meta.id]


NO_STORIES = Stories({}, {})


def _signature(meta: ArticleMeta) -> tuple[str, str]:
    """What makes two articles exact duplicates: the same title and link (or outlet)."""
    return (" ".join(meta.title.casefold().split()), meta.link or meta.source or "")


def build_stories(groups: dict[str, list[ArticleMeta]]) -> Stories:
    """`groups` is `clusters.group_by_story(articles)`: story key -> members."""
    key_of: dict[str, str] = {}
    members: dict[str, list[ArticleMeta]] = {}
    exact: dict[tuple[str, str], str] = {}
    for key, group in groups.items():
        target = key
        for meta in group:
            twin = exact.get(_signature(meta))
            if twin is not None and twin != key:  # an exact duplicate in another story
                target = twin
                break
        for meta in group:
            exact.setdefault(_signature(meta), target)
        members.setdefault(target, []).extend(group)
    for key, group in list(members.items()):
        if len(group) < 2:
            del members[key]
            continue
        group.sort(key=lambda m: (-(m.ts or 0.0), m.id))
        for meta in group:
            key_of[meta.id] = key
    return Stories(key_of, members)


class StoryBuilder:
    """`build_stories(group_by_story(articles))` fed one article at a time, keeping only
    the stories that can have two members: half a million single-article stories are
    numbers here, not lists of ArticleMeta."""

    def __init__(self) -> None:
        self._first: dict[str, int] = {}
        """Story key -> the position of its first (newest) article."""
        self._more: dict[str, list[int]] = {}
        """Story key -> its articles' positions, for keys met more than once."""
        self._signatures: dict[int, str] = {}
        """The hash of an exact-duplicate signature -> the story key first met with it."""
        self._twinned: set[str] = set()
        """Story keys sharing a signature hash with another story (maybe a duplicate)."""

    def add(self, pos: int, meta: ArticleMeta) -> None:
        key = meta.cluster or meta.id
        first = self._first.setdefault(key, pos)
        if first != pos:
            more = self._more.get(key)
            if more is None:
                self._more[key] = [first, pos]
            else:
                more.append(pos)
        seen = self._signatures.setdefault(hash(_signature(meta)), key)
        if seen != key:
            self._twinned.update((seen, key))

    def build(self, articles: Sequence[ArticleMeta]) -> Stories:
        """The stories, from `articles` (the list the positions given to `add` are in)."""
        keys = sorted(self._more.keys() | self._twinned, key=self._first.__getitem__)
        groups: dict[str, list[ArticleMeta]] = {}
        for key in keys:
            metas = [articles[pos] for pos in self._more.get(key) or (self._first[key],)]
            metas.sort(key=lambda m: (m.ts or 0.0, m.id))
            groups[key] = metas
        return build_stories(groups)


def one_row_per_story(
    visible: Sequence[ArticleMeta], stories: Stories, chosen: dict[str, str] | None = None
) -> list[ArticleMeta]:
    """Each story once, at its newest visible article: shown by the version the user
    switched to (`chosen`, story key -> article id) when that one is visible, else by its
    newest starred version, else by its newest."""
    rows: list[ArticleMeta] = []
    seen: dict[str, int] = {}
    key_of = stories.key_of
    chosen = chosen or {}
    for meta in visible:
        key = key_of.get(meta.id) or meta.cluster or meta.id
        at = seen.get(key)
        if at is None:
            seen[key] = len(rows)
            rows.append(meta)
        elif chosen.get(key) == meta.id:
            rows[at] = meta
        elif meta.starred and not rows[at].starred and chosen.get(key) != rows[at].id:
            rows[at] = meta
    return rows


def outlets(metas: Iterable[ArticleMeta], limit: int = 6) -> list[str]:
    """Distinct outlet names, in order, cleaned for drawing."""
    names: list[str] = []
    for meta in metas:
        name = display(meta.source or meta.feed or "unknown outlet", 40)
        if name not in names:
            names.append(name)
            if len(names) >= limit:
                break
    return names


# -- topic timeline ------------------------------------------------------------------------

DAY = 86400.0


def articles_per_day(timestamps: Iterable[float | None], days: int = 30) -> tuple[list[int], float | None]:
    """Counts per UTC day for the `days` days ending on the newest dated article, oldest
    first, and that last day's start (None when nothing is dated)."""
    stamps = [ts for ts in timestamps if ts is not None]
    if not stamps:
        return [], None
    last = int(max(stamps) // DAY)
    first = last - days + 1
    counts = [0] * days
    for ts in stamps:
        day = int(ts // DAY)
        if day >= first:
            counts[day - first] += 1
    return counts, last * DAY

"""What the reader shows, as plain data: the active filters, the visible list, dates.

No textual here, so the filtering that must stay under 50 ms at 50k articles can be
measured and tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from briefing.core.models.meta import ArticleMeta
from briefing.core.stories.topics import TopicIndex
from briefing.core.text.clean import clean_line
from briefing.core.text.fold import fold_key


@dataclass(frozen=True)
class Filters:
    """The active filters; persisted in the store's ui state across restarts."""

    topics: tuple[str, ...] = ()
    """Folded topic keys, in the order they were added."""
    mode: str = "and"
    """"and": articles carrying every topic; "or": any of them."""
    unread_only: bool = False
    watch: str | None = None
    """The name of the watchlist the list is limited to (None: no watchlist)."""

    @property
    def active(self) -> bool:
        return bool(self.topics) or self.unread_only or self.watch is not None

    def toggled(self, key: str) -> Filters:
        if key in self.topics:
            return replace(self, topics=tuple(k for k in self.topics if k != key))
        return replace(self, topics=(*self.topics, key))

    def to_state(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "mode": self.mode, "unread_only": self.unread_only,
                "watch": self.watch}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Filters:
        topics = state.get("topics", [])
        mode = state.get("mode", "and")
        watch = state.get("watch")
        return cls(
            topics=tuple(str(t) for t in topics) if isinstance(topics, list) else (),
            mode=mode if mode in ("and", "or") else "and",
            unread_only=bool(state.get("unread_only", False)),
            watch=watch if isinstance(watch, str) and watch else None,
        )


def visible_articles(
    articles: Sequence[ArticleMeta],
    index: TopicIndex | None,
    filters: Filters,
    watch_ids: AbstractSet[str] | None = None,
) -> list[ArticleMeta]:
    """The list after the filters, newest first (the order of `articles`); `watch_ids` are
    the ids of the active watchlist (ignored when no watchlist filter is on)."""
    ids = index.matching(filters.topics, mode=filters.mode) if index and filters.topics else None
    if filters.watch is not None and watch_ids is not None:
        ids = set(watch_ids) if ids is None else set(ids) & set(watch_ids)
    if ids is None and not filters.unread_only:
        return list(articles)
    if ids is None:
        return [a for a in articles if not a.read]
    if filters.unread_only:
        return [a for a in articles if a.id in ids and not a.read]
    return [a for a in articles if a.id in ids]


def visible_without_index(articles: Sequence[ArticleMeta], filters: Filters) -> list[ArticleMeta]:
    """The same filter as `visible_articles` from each article's own topics (no index yet)."""
    wanted = set(filters.topics)
    shown: list[ArticleMeta] = []
    for article in articles:
        if filters.unread_only and article.read:
            continue
        if wanted:
            keys = {fold_key(name) for name in article.topic_names}
            hit = wanted <= keys if filters.mode == "and" else bool(wanted & keys)
            if not hit:
                continue
        shown.append(article)
    return shown


def copy_index(index: TopicIndex) -> TopicIndex:
    """A private copy the UI thread can read while a refresh adds to the store's own."""
    return index.copy()


def fold_titles(articles: Iterable[ArticleMeta]) -> dict[str, str]:
    return {a.id: fold_key(a.title) for a in articles}


def search_titles(
    query: str, articles: Sequence[ArticleMeta], folded: dict[str, str], *, limit: int = 50
) -> list[ArticleMeta]:
    """Articles whose title contains every word of the query, diacritic-insensitive."""
    words = fold_key(query).split()
    if not words:
        return []
    found: list[ArticleMeta] = []
    for article in articles:
        title = folded.get(article.id)
        if title is None:
            title = fold_key(article.title)
        if all(w in title for w in words):
            found.append(article)
            if len(found) >= limit:
                break
    return found


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


def build_stories(groups: dict[str, list[ArticleMeta]]) -> Stories:
    """`groups` is `clusters.group_by_story(articles)`: story key -> members."""
    key_of: dict[str, str] = {}
    members: dict[str, list[ArticleMeta]] = {}
    exact: dict[tuple[str, str], str] = {}
    def signature(meta: ArticleMeta) -> tuple[str, str]:
        return (" ".join(meta.title.casefold().split()), meta.link or meta.source or "")

    for key, group in groups.items():
        target = key
        for meta in group:
            twin = exact.get(signature(meta))
            if twin is not None and twin != key:  # an exact duplicate in another story
                target = twin
                break
        for meta in group:
            exact.setdefault(signature(meta), target)
        members.setdefault(target, []).extend(group)
    for key, group in list(members.items()):
        if len(group) < 2:
            del members[key]
            continue
        group.sort(key=lambda m: (-(m.ts or 0.0), m.id))
        for meta in group:
            key_of[meta.id] = key
    return Stories(key_of, members)


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

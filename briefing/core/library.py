"""The front door: one object the CLI and the reader both work through.

`Library.open(home, feeds=, clock=)` owns the store, the configuration and the one lock
that serialises store work across threads; every workflow a front end offers (which
articles to show, a feed's status, refresh, import, facts of files, export, search,
watchlists) is a method here, so it exists once. Front ends only parse and draw.
Heavy parts (refresh, the facts engine, export) are imported by the methods that use
them: opening a library costs what opening the store costs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefing.core.errors import BriefingError
from briefing.core.models.meta import AddResult, ArticleMeta
from briefing.core.paths import data_home
from briefing.core.select import ArticleFilter, select_articles
from briefing.core.store.files import Notice
from briefing.core.store.store import Store

if TYPE_CHECKING:
    from briefing.core.feeds.fulltext import FullTextResult
    from briefing.core.feeds.refresh import FeedOutcome, Progress
    from briefing.core.ingest.importers import FileResult
    from briefing.core.models.article import Article
    from briefing.core.models.facts import Facts
    from briefing.core.models.feeds import Feed, FeedState, Settings
    from briefing.core.retention import Pruned
    from briefing.core.stories.related import RelatedStory
    from briefing.core.stories.topics import Topic, TopicIndex
    from briefing.core.watch import Watch

Clock = Callable[[], datetime]


class NoSuchTopic(BriefingError):
    """A topic name that no stored article carries; the message suggests near ones."""


class NoSuchArticle(BriefingError):
    """An article id (or prefix) that names no stored article, or more than one."""


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """A configured feed joined with what the store knows of it."""

    feed: Feed
    state: FeedState | None
    articles: int
    """Articles of this feed in the store."""
    unread: int
    full_text: int = 0
    """Of `articles`, those whose text is complete offline (not a feed's summary): the
    feeds screen's "full text 38/40"."""


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """One canonical topic of the store, as the sidebar counts it."""

    key: str
    """The folded key `list --topic` and the reader's filters use."""
    name: str
    """Its most written spelling."""
    kind: str
    count: int
    """Articles that carry it."""
    unread: int
    aliases: tuple[str, ...]
    """Its other spellings and short forms in the store."""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "kind": self.kind, "count": self.count,
                "unread": self.unread, "aliases": list(self.aliases)}


@dataclass(frozen=True, slots=True)
class FileFacts:
    """The facts of one article of a file given to `briefing facts`, or why there are none."""

    path: Path
    title: str = ""
    facts: Facts | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FullTextReport:
    """What a backfill of full text (`briefing fetch --full-text`) came to, per article."""

    results: list[FullTextResult]

    @property
    def fetched(self) -> list[FullTextResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[FullTextResult]:
        return [r for r in self.results if not r.ok and not r.deferred]

    @property
    def deferred(self) -> list[FullTextResult]:
        """Not tried this time (a host asked to wait); tried again by a later run."""
        return [r for r in self.results if r.deferred]


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: list[FileResult]
    added: AddResult

    @property
    def refused(self) -> list[FileResult]:
        return [r for r in self.files if r.error]


class Library:
    """One data home: its store, its configuration and its workflows. Use `Library.open`."""

    def __init__(
        self,
        store: Store,
        *,
        feeds: str | Path | None = None,
        clock: Clock | None = None,
        watch_path: Path | None = None,
    ) -> None:
        self.store = store
        self.feeds_path = feeds
        """`--feeds`: the feeds.toml to read instead of the user's or the bundled one."""
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.watch_path = watch_path
        """watch.toml to read instead of the user's (tests)."""
        self.watch_problems: list[str] = []
        """The watchlists the last `watchlists()` left out, one line each."""
        self.config_problems: list[str] = []
        """The feeds.toml entries the last `config()` left out, one line each."""

    @classmethod
    def open(
        cls,
        home: str | Path | None = None,
        *,
        feeds: str | Path | None = None,
        clock: Clock | None = None,
        readonly: bool = False,
        notice: Notice | None = None,
        watch_path: Path | None = None,
    ) -> Library:
        """Open the store of `home` (default: the data home). `readonly` is a wish: a store
        that does not exist yet is created, so a first `briefing list` has samples to list."""
        root = data_home(home)
        if readonly and not (root / "store" / "store.json").exists():
            readonly = False
        store = Store.open(root, readonly=readonly, notice=notice)
        return cls(store, feeds=feeds, clock=clock, watch_path=watch_path)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def lock(self) -> threading.RLock:
        """Held by every store call; hold it around several calls that must agree."""
        return self.store.mutex

    @property
    def home(self) -> Path:
        return self.store.root.parent

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def now(self) -> datetime:
        return self.clock()

    # -- configuration ---------------------------------------------------------------------

    def feeds_file(self) -> Path:
        from briefing.core.config import find_feeds_file

        return find_feeds_file(self.feeds_path)

    def config(self) -> tuple[Settings, list[Feed]]:
        """feeds.toml's settings and feeds, read afresh (the analyst may have edited it).

        A bad `[[feeds]]` entry is left out and described in `config_problems`; a bad file
        or `[settings]` raises ConfigError. The settings' `lock_wait` applies to the store.
        """
        from briefing.core.config import load_config

        problems: list[str] = []
        settings, feeds = load_config(self.feeds_file(), problems)
        self.config_problems = problems
        self.store.lock_wait = settings.lock_wait
        return settings, feeds

    def watchlists(self) -> dict[str, Watch]:
        """The saved watchlists that parse; the others are described in `watch_problems`."""
        from briefing.core.watch import load_watchlists

        problems: list[str] = []
        watches = load_watchlists(self.watch_path, problems)
        self.watch_problems = problems
        return watches

    def watch_ids(self, name: str) -> set[str]:
        from briefing.core.watch import get_watch

        watch = get_watch(name, self.watch_path)
        with self.lock:
            return watch.ids(self.store, now=self.now())

    # -- reading ---------------------------------------------------------------------------

    def ensure_samples(self) -> int:
        """Load the bundled samples into a store that never had them."""
        from briefing.core.ingest.samples import ensure_samples

        with self.lock:
            return ensure_samples(self.store)

    def articles(self, chosen: ArticleFilter | None = None) -> list[ArticleMeta]:
        """The stored articles `chosen` lets through, newest first."""
        with self.lock:
            metas = self.store.articles()
            if chosen is None:
                return list(metas)
            index = self.store.topic_index() if chosen.topics else None
            watch_ids = self.watch_ids(chosen.watch) if chosen.watch else None
            return select_articles(metas, chosen, index=index, watch_ids=watch_ids)

    def topic_index(self) -> TopicIndex:
        with self.lock:
            return self.store.topic_index()

    def topic(self, name: str) -> Topic:
        """The topic a name (or alias, any case and diacritics) stands for."""
        index = self.topic_index()
        topic = index.get(name)
        if topic is not None:
            return topic
        near = [t.name for t in index.search(name, limit=3)]
        if near:
            hint = f"; did you mean {', '.join(repr(n) for n in near)}?"
        else:
            common = sorted(index.topics.values(), key=lambda t: (-t.count, t.name))[:3]
            hint = f"; the most common are {', '.join(repr(t.name) for t in common)}" if common else ""
        raise NoSuchTopic(f"no topic matches '{name}'{hint}")

    def topics(self, limit: int | None = None) -> list[TopicSummary]:
        """The store's canonical topics by article count (then newest), with unread counts:
        the topic index the sidebar and `list --topic` read."""
        with self.lock:
            index = self.store.topic_index()
            read = {m.id for m in self.store.articles() if m.read}
            ranked = index.by_count(limit=limit if limit and limit > 0 else None)
            return [
                TopicSummary(t.key, t.name, t.kind, t.count, len(t.articles - read), t.aliases)
                for t in ranked
            ]

    def topic_keys(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.topic(name).key for name in names)

    def resolve_id(self, given: str) -> str:
        """The id of the one article whose id is `given` or starts with it (as git does)."""
        given = given.strip().lower()
        with self.lock:
            if self.store.meta(given) is not None:
                return given
            found = [m.id for m in self.store.articles() if m.id.startswith(given)] if given else []
        if len(found) == 1:
            return found[0]
        if found:
            raise NoSuchArticle(f"'{given}' is the start of {len(found)} article ids; give more of it")
        raise NoSuchArticle(f"no article with id '{given}'; see `briefing list`")

    def article(self, given: str) -> Article:
        """The stored article `given` names (a whole id or a unique prefix)."""
        aid = self.resolve_id(given)
        with self.lock:
            article = self.store.get(aid)
        if article is None:
            raise NoSuchArticle(f"no article with id '{given}'; see `briefing list`")
        return article

    def meta(self, aid: str) -> ArticleMeta | None:
        with self.lock:
            return self.store.meta(aid)

    def feed_status(self) -> list[FeedStatus]:
        """Every configured feed with its state and its articles in the store."""
        _, feeds = self.config()
        with self.lock:
            states = self.store.feed_states()
            metas = self.store.articles()
        totals: dict[str, list[int]] = {}
        for meta in metas:
            counts = totals.setdefault(meta.feed or "", [0, 0, 0])
            counts[0] += 1
            counts[1] += not meta.read
            counts[2] += meta.text_kind == "full"
        return [FeedStatus(feed, states.get(feed.url), *totals.get(feed.name, (0, 0, 0))) for feed in feeds]

    def search(self, query: str, *, limit: int = 20) -> list[tuple[ArticleMeta, float]]:
        """Articles whose title or text match, best first, with their scores."""
        from briefing.core.search.index import search_index

        hits = search_index(self.store).search(query, limit=limit)
        with self.lock:
            return [(meta, hit.score) for hit in hits if (meta := self.store.meta(hit.id)) is not None]

    def related(self, aid: str, *, limit: int = 8) -> list[RelatedStory]:
        from briefing.core.stories.related import related_stories

        with self.lock:
            return related_stories(self.store, aid, limit=limit)

    # -- writing ---------------------------------------------------------------------------

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self.store.set_read(ids, read)

    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self.store.set_starred(ids, starred)

    def ui_state(self) -> dict[str, Any]:
        return self.store.ui_state()

    def save_ui_state(self, state: dict[str, Any]) -> None:
        self.store.save_ui_state(state)

    def refresh(
        self,
        feeds: Sequence[Feed] | None = None,
        *,
        on_outcome: Callable[[FeedOutcome], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> list[FeedOutcome]:
        """Fetch feeds (all configured ones by default) into the store, then enrich what is
        pending; one outcome each (see `feeds.refresh`)."""
        from briefing.core.feeds.refresh import refresh_feeds

        settings, configured = self.config()
        outcomes = refresh_feeds(self.store, configured if feeds is None else feeds, settings,
                                 on_outcome=on_outcome, on_progress=on_progress)
        self.prune()  # the background phase ends with retention: what has expired leaves
        return outcomes

    def prune(self, *, dry_run: bool = False) -> Pruned:
        """Remove the articles past `keep_days` (see `core.retention`); `dry_run` only counts."""
        from briefing.core.retention import Pruned, expired

        settings, feeds = self.config()
        if not settings.keep_days and not any(f.keep_days for f in feeds):
            return Pruned(0, 0, dry_run)
        try:
            watches = self.watchlists()
        except BriefingError:
            watches, self.watch_problems = {}, ["watch.toml cannot be read"]
        if self.watch_problems:  # a watchlist that cannot be read might match what would go
            return Pruned(0, 0, dry_run)
        keep: set[str] = set()
        for name in watches:
            keep |= self.watch_ids(name)
        with self.lock:
            gone = expired(self.store.articles(), settings, feeds, now=self.now(), keep=keep)
            if dry_run or not gone:
                size = sum(self.store.stored_size(aid) for aid in gone) if dry_run else 0
                return Pruned(len(gone), size, dry_run)
            count, size = self.store.remove_articles(gone)
        from briefing.core.search.index import search_index

        search_index(self.store).remove(gone)
        return Pruned(count, size)

    def fetch_full_texts(
        self, *, since: float | None = None, on_progress: Callable[[Progress], None] | None = None,
    ) -> FullTextReport:
        """Backfill: fetch the page of every stored summary-only article (published or stored
        since `since`, epoch seconds; None: all) whose page is still worth a try, then make
        the facts of the new texts. Feeds set `full_text = false` are left out; there is no
        page budget (the analyst asked), but the per-host limits and waits hold. Resumable:
        what each page came to is stored as it comes."""
        import os
        import time

        from briefing.core.feeds.fulltext import classify_text_kinds, feed_hosts, fetch_full_texts
        from briefing.core.feeds.refresh import PAGES_POOL_THRESHOLD, Progress
        from briefing.core.ingest.enrich import enrich
        from briefing.core.ingest.pipeline import worker_pool

        settings, feeds = self.config()
        never = {f.name for f in feeds if f.full_text is False}
        classify_text_kinds(self.store, since=since)
        with self.lock:
            ids = [aid for aid in self.store.full_text_candidates(since=since)
                   if (meta := self.store.meta(aid)) is not None and meta.feed not in never]

        def report(event: Literal["full_text", "enriched"], pages: int, enriched: int = 0,
                   pending: int = 0) -> None:
            if on_progress is not None:
                on_progress(Progress(event, time.monotonic(), 0, 0, 0, enriched, pending, pages=pages,
                                     pages_total=len(ids)))

        report("full_text", 0)
        pool = None
        if len(ids) >= PAGES_POOL_THRESHOLD and (os.cpu_count() or 1) > 1:
            pool = worker_pool(min(os.cpu_count() or 1, 4))
        try:
            results = fetch_full_texts(self.store, ids, settings, trusted_hosts=feed_hosts(feeds),
                                       facts=False, pool=pool,
                                       on_progress=lambda done, _: report("full_text", done))
            enrich(self.store, pool=pool,
                   on_batch=lambda step: report("enriched", len(ids), step.done, step.total))
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        return FullTextReport(results)

    def import_paths(self, paths: Sequence[Path]) -> ImportReport:
        from briefing.core.ingest.pipeline import import_paths

        files, added = import_paths(self.store, paths)
        return ImportReport(files, added)

    def reindex(self) -> int:
        """Re-extract facts made by an older engine; returns how many were redone."""
        from briefing.core.ingest.pipeline import refresh_stale_facts

        return refresh_stale_facts(self.store)

    def export(
        self,
        chosen: ArticleFilter | None = None,
        *,
        fmt: Literal["md", "html"] = "md",
        ids: Sequence[str] | None = None,
        path: Path | None = None,
        title: str | None = None,
        scope: str = "",
    ) -> tuple[Path | None, str, int]:
        """Write a briefing of the chosen articles (or of `ids`); returns the path written
        (None: not written), the document, and how many stories it holds."""
        from briefing.core.export import write_briefing

        now = self.now()
        if ids is not None:
            with self.lock:
                metas = [m for aid in dict.fromkeys(ids) if (m := self.store.meta(aid)) is not None]
            metas.sort(key=lambda m: m.ts or 0.0, reverse=True)
        else:
            metas = self.articles(chosen or ArticleFilter())
        with self.lock:
            return write_briefing(self.store, metas, fmt=fmt, now=now, path=path,
                                  title=title or "Briefing", scope=scope)

    def last_export(self) -> datetime | None:
        """When `briefing export` last wrote a briefing of the whole store (None: never)."""
        stamp = self.store.info().get("last_export")
        return datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int | float) else None

    def exported(self, when: datetime) -> None:
        """Remember `when` as the last export (nothing on a read-only store)."""
        if not self.readonly:
            self.store.set_info(last_export=when.timestamp())

    def default_export_path(self, fmt: Literal["md", "html"]) -> Path:
        """Where the reader saves a briefing when the analyst names no file: beside the store."""
        return self.home / "exports" / f"briefing-{self.now().strftime('%Y%m%d-%H%M%S')}.{fmt}"


def facts_of_files(paths: Iterable[Path], *, published: date | None = None) -> Iterator[FileFacts]:
    """The facts of every article in the given files, read as `briefing import` reads
    them (size and type checks, .txt/.md/.html/.json); one bad file never stops the rest.

    Needs no store: `briefing facts` works on files alone.
    """
    from dataclasses import replace

    from briefing.core.ingest.importers import iter_files, read_file
    from briefing.core.ingest.pipeline import facts_for

    for path, refused in iter_files(list(paths)):
        if refused:
            yield FileFacts(path, error=refused)
            continue
        result = read_file(path)
        if result.error:
            yield FileFacts(path, error=result.error)
            continue
        for article in result.articles:
            if published is not None:
                article = replace(article, published=datetime(published.year, published.month,
                                                              published.day, 12, tzinfo=UTC))
            try:
                facts = facts_for(article)
            except Exception as exc:  # noqa: BLE001 - one text's failure is reported, the rest go on
                yield FileFacts(path, article.title, error=f"facts failed ({type(exc).__name__})")
                continue
            yield FileFacts(path, article.title, facts)

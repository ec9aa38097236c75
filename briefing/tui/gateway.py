"""The reader's store work, off the UI thread: each call starts a worker and posts back.

Every read and write of the store the reader makes goes through here, through the
Library (one lock, the same workflows as the CLI). Workers never touch widgets: they
post the typed, past-tense messages of `messages.py` to the screen. Refresh and full
text run on daemon threads, not Textual workers: those are joined at exit, so a quit
(or SIGTERM) would wait on a slow feed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from textual.worker import get_current_worker

from briefing.core.errors import BriefingError
from briefing.core.library import Library
from briefing.tui.messages import (
    ArticleLoaded,
    ArticlesLoaded,
    ArticleUnreadable,
    BriefingExported,
    FeedRefreshed,
    FeedsListed,
    FullTextFetched,
    ReadFlagsWritten,
    RefreshFinished,
    RelatedFound,
    StoreChanged,
    StoreWriteFailed,
    TitlesFolded,
)
from briefing.tui.state import RelatedRow, count_unread_by_topic

if TYPE_CHECKING:
    from textual.message import Message
    from textual.screen import Screen

    from briefing.core.models.article import Article
    from briefing.core.models.meta import ArticleMeta

RELATED_STORIES = 6
FLAG_CHUNK = 500
KEEP_POSITIONS_FROM = 2000
"""Topics of this many articles have their list positions looked up when the list loads
(a smaller one's take a millisecond when its filter is set)."""
"""Read flags written per hold of the store's lock, so other store work goes on between."""


class Gateway:
    """Store work for one reader screen."""

    def __init__(self, library: Library, screen: Screen[Any]) -> None:
        self.library = library
        self.screen = screen
        self._watch_problem: str | None = None
        self._threads: list[threading.Thread] = []

    def _post(self, message: Message) -> None:
        self.screen.post_message(message)

    def _run(self, work: Any, group: str, description: str, *, exclusive: bool = True) -> None:
        self.screen.run_worker(work, group=group, description=description, thread=True,
                               exclusive=exclusive)

    @property
    def threads_running(self) -> bool:
        """A refresh or full-text thread is still alive (they may outlive the app)."""
        return any(t.is_alive() for t in self._threads)

    def _thread(self, target: Any, name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    # -- reading ---------------------------------------------------------------------------

    def load_articles(self, new_since: float | None = None) -> None:
        """The full list, topic index, stories and watchlists; `new_since` (a refresh's
        start) also flags the watchlists' new matches."""
        self._run(lambda: self._load_articles(new_since), "load", "Loading articles")

    def _watchlists(self) -> dict[str, Any]:
        """The saved watchlists (none, with a one-time notice, if watch.toml is broken)."""
        try:
            watches = self.library.watchlists()
        except BriefingError as exc:
            problems = [str(exc)]
            watches = {}
        else:
            problems = self.library.watch_problems
        problem = "; ".join(problems) or None
        if problem is not None and problem != self._watch_problem:
            self._post(StoreWriteFailed(f"watchlist not shown: {problem}"))
        self._watch_problem = problem
        return dict(watches)

    def _load_articles(self, new_since: float | None) -> None:
        from briefing.core.watch import new_matches
        from briefing.tui.articles import Articles
        from briefing.tui.reading import StoryBuilder, copy_index
        from briefing.tui.titles import TitleIndex

        library, store = self.library, self.library.store
        notices: list[str] = []
        watchlists = self._watchlists()
        now = library.now()
        watches: dict[str, frozenset[str]] = {}
        new: set[str] = set()
        with library.lock:
            if len(store) == 0 and not store.readonly:
                try:
                    library.ensure_samples()
                except Exception as exc:  # noqa: BLE001 - samples are a courtesy, never fatal
                    notices.append(f"could not load the sample articles: {exc}")
            listed = store.articles()  # built per item when read: holding it costs nothing
            index = copy_index(store.topic_index())
            for name, watch in watchlists.items():
                try:
                    watches[name] = frozenset(watch.ids(store, now=now))
                    if new_since is not None:
                        new.update(m.id for m in new_matches(store, watch, new_since, now=now))
                except (BriefingError, OSError) as exc:
                    notices.append(f"watchlist {name}: {exc}")
            notices += store.notices
            store.notices.clear()
        # One pass over every article: its flags and time into arrays, its story and title
        # noted; none of the ArticleMeta built on the way is kept.
        titles: list[str] = []
        builder = StoryBuilder()

        def each(pos: int, meta: ArticleMeta) -> None:
            titles.append(meta.title)
            builder.add(pos, meta)

        articles = Articles.scan(listed, each)
        stories = builder.build(articles)
        articles.set_stories(stories)
        ranked = index.ranked(now.timestamp())
        for topic in ranked:  # their positions, looked up now: a filter on them shows at once
            if topic.count >= KEEP_POSITIONS_FROM:
                articles.topic_positions(index, topic.key)
        unread = count_unread_by_topic(articles, index)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        self._post(ArticlesLoaded(articles, index, notices, ranked, stories, watches, frozenset(new),
                                  unread))
        folded = TitleIndex(titles)
        titles.clear()  # the index holds them in one string now
        if not worker.is_cancelled:
            self._post(TitlesFolded(articles, folded))

    def load_article(self, article_id: str, *, redo_stale: bool) -> None:
        """Read one article; with `redo_stale`, facts from an older engine are redone first."""
        self._run(lambda: self._load_article(article_id, redo_stale), "article", "Reading an article")

    def _load_article(self, article_id: str, redo_stale: bool) -> None:
        redone: tuple[tuple[str, str], ...] | None = None
        store = self.library.store
        try:
            with self.library.lock:
                article = store.get(article_id)
                made_by = store.facts_version_of(article_id)
            if redo_stale and article is not None and article.text and not get_current_worker().is_cancelled:
                article, redone = self._current_facts(article, made_by)
        except (BriefingError, OSError) as exc:
            self._post(ArticleUnreadable(article_id, str(exc)))
            return
        if article is not None and not get_current_worker().is_cancelled:
            self._post(ArticleLoaded(article, redone))

    def _current_facts(
        self, article: Article, made_by: str | None
    ) -> tuple[Article, tuple[tuple[str, str], ...] | None]:
        """The article with facts from this version of the engine.

        After an upgrade, stored facts come from the old engine until `briefing reindex`;
        an article opened before then is redone on the spot (a few ms) and stored, so
        what the analyst reads is never the old engine's. An article whose facts are
        still pending (just fetched) is shown with facts made now but not stored: the
        fetch's phase 2 stores them with its story and search terms.
        """
        from briefing.core.ingest.pipeline import facts_for, facts_version

        current = facts_version()
        if made_by == current:
            return article, None
        facts = facts_for(article)
        if made_by is None:
            return replace(article, facts=facts), None
        store = self.library.store
        with self.library.lock:
            if not store.readonly:
                store.update_article(article.id, facts=facts, facts_version=current)
            meta = store.meta(article.id)
        return replace(article, facts=facts), (meta.topics if meta is not None else None)

    def find_related(self, article_id: str) -> None:
        self._run(lambda: self._find_related(article_id), "related", "Finding related stories")

    def _find_related(self, article_id: str) -> None:
        rows: list[RelatedRow] = []
        try:
            with self.library.lock:
                for story in self.library.related(article_id, limit=RELATED_STORIES):
                    meta = self.library.meta(story.id)
                    if meta is not None:
                        rows.append(RelatedRow(meta.id, meta.title, meta.source or meta.feed or ""))
        except (BriefingError, OSError):
            return  # related stories are a help, never an error of their own
        if not get_current_worker().is_cancelled:
            self._post(RelatedFound(article_id, rows))

    def preload_search(self) -> None:
        """Read the full-text index now, so the analyst's first `/` query is fast."""

        def preload() -> None:
            from briefing.core.search.index import search_index

            try:
                search_index(self.library.store).load()
            except (BriefingError, OSError):
                pass  # the search screen says so when it is used

        self._run(preload, "search-index", "Reading the search index")

    def search_text(self, query: str, limit: int) -> list[ArticleMeta]:
        """Articles whose title or text match, best first (called from a worker thread)."""
        try:
            return [meta for meta, _ in self.library.search(query, limit=limit)]
        except (BriefingError, OSError, ValueError):
            return []

    def list_feeds(self) -> None:
        def gather() -> None:
            try:
                rows = self.library.feed_status()
                source = str(self.library.feeds_file())
            except BriefingError as exc:
                self._post(StoreWriteFailed(str(exc)))
                return
            self._post(FeedsListed(rows, source))

        self._run(gather, "feeds-screen", "Listing feeds")

    # -- writing ---------------------------------------------------------------------------

    def write_flags(self, article_id: str, read: bool | None, starred: bool | None) -> None:
        def write() -> None:
            try:
                with self.library.lock:
                    if read is not None:
                        self.library.set_read([article_id], read)
                    if starred is not None:
                        self.library.set_starred([article_id], starred)
            except (BriefingError, OSError) as exc:
                self._post(StoreWriteFailed(f"could not save: {exc}"))

        self._run(write, "write", "Saving read/starred", exclusive=False)

    def write_read(self, ids: Sequence[str], read: bool) -> None:
        """Many read flags at once (mark all read, undo), in chunks: the lock is let go
        between them, so opening an article is not held up by a long write."""

        def write() -> None:
            error = None
            try:
                for start in range(0, len(ids), FLAG_CHUNK):
                    with self.library.lock:
                        self.library.set_read(ids[start : start + FLAG_CHUNK], read)
            except (BriefingError, OSError) as exc:
                error = str(exc)
            self._post(ReadFlagsWritten(len(ids), error))

        self._run(write, "write-many", "Saving read marks", exclusive=False)

    def save_ui_state(self, state: dict[str, Any], *, now: bool = False) -> None:
        """Save filters and panes: in a worker, or `now` on this thread (on quit)."""

        def save() -> None:
            try:
                self.library.save_ui_state(state)
            except (BriefingError, OSError) as exc:
                self._post(StoreWriteFailed(f"could not save the filters: {exc}"))

        if self.library.readonly:
            return
        if now:
            save()
        else:
            self._run(save, "save-ui", "Saving filters")

    def export(self, fmt: Literal["md", "html"], ids: Sequence[str], title: str) -> None:
        def write() -> None:
            try:
                path, _, stories = self.library.export(
                    fmt=fmt, ids=ids, path=self.library.default_export_path(fmt), title=title)
            except (BriefingError, OSError) as exc:
                self._post(BriefingExported(None, 0, str(exc)))
                return
            self._post(BriefingExported(str(path) if path else None, stories))

        self._run(write, "export", "Writing a briefing")

    # -- the network -----------------------------------------------------------------------

    def refresh(self, feed_name: str | None = None) -> None:
        """Fetch every feed (or the one named) on a daemon thread; FeedRefreshed per feed,
        then RefreshFinished."""
        self._thread(self._refresh, "briefing-refresh", feed_name)

    def _refresh(self, feed_name: str | None) -> None:
        try:
            _, feeds = self.library.config()
            from briefing.core.feeds.refresh import FeedOutcome
            for problem in self.library.config_problems:  # a bad entry is skipped, the rest fetched
                self._post(StoreWriteFailed(problem))
        except BriefingError as exc:
            self._post(RefreshFinished(0, 0, str(exc)))
            return
        except ImportError as exc:
            self._post(RefreshFinished(0, 0, f"refresh is not available ({exc})"))
            return
        if feed_name is not None:
            feeds = [feed for feed in feeds if feed.name == feed_name]
            if not feeds:
                self._post(RefreshFinished(0, 0, f"no feed named '{feed_name}' in feeds.toml any more"))
                return
        total, done, added, failed = len(feeds), 0, 0, 0

        def on_outcome(outcome: FeedOutcome) -> None:
            nonlocal done, added, failed
            done += 1
            added += outcome.added
            failed += 1 if outcome.error else 0
            self._post(FeedRefreshed(outcome.feed.name, outcome.status, outcome.added, outcome.error,
                                     done, total))

        try:
            self.library.refresh(feeds, on_outcome=on_outcome)
        except Exception as exc:  # noqa: BLE001 - a refresh failure is shown, never a traceback
            self._post(RefreshFinished(added, failed, f"refresh stopped: {exc}"))
            return
        self._post(RefreshFinished(added, failed))

    def fetch_full_text(self, article_id: str) -> None:
        self._thread(self._fetch_full_text, "briefing-full-text", article_id)

    def _fetch_full_text(self, article_id: str) -> None:
        from briefing.core.feeds.fulltext import feed_hosts, fetch_full_text
        from briefing.core.models.feeds import Settings

        try:
            settings, feeds = self.library.config()
        except BriefingError:
            settings, feeds = Settings(), []
        try:
            result = fetch_full_text(self.library.store, article_id, settings,
                                     trusted_hosts=feed_hosts(feeds))
        except Exception as exc:  # noqa: BLE001 - shown in one line, never a traceback
            self._post(FullTextFetched(article_id, False, str(exc) or type(exc).__name__))
            return
        self._post(FullTextFetched(article_id, result.ok, result.reason))

    def poll_store(self) -> None:
        """Whether another process wrote the store: a stat, in a worker; StoreChanged if so."""

        def poll() -> None:
            try:
                changed = self.library.store.poll_changes()
            except (BriefingError, OSError):
                return  # the next poll tries again
            if changed:
                self._post(StoreChanged())

        self._run(poll, "poll", "Watching the store for other writers")

    def clock(self) -> datetime:
        return self.library.now()

"""Full text for offline reading: fetch an article's page and keep its main text.

Many feeds carry only a summary. For feeds marked `full_text = "auto"` (articles whose
body is short or cut) or `true` (every article), after a refresh, and on demand from the
reader or `briefing fetch --full-text`, the linked page is fetched (`pages.py`: polite,
pinned to checked addresses, with the feed limits), its main text extracted
(`text.extract`, as `briefing import` of a page) and stored in place of the summary, which
is kept as the article's lede. What came of each page is kept per article (`PageState`):
a page fetched is never fetched again, one that failed three times is left alone with its
reason. The store is written in small batches, never across network waits.
"""

from __future__ import annotations

import asyncio
import queue
import re
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from briefing.core.feeds.pages import PageReply, PageRequest, fetch_pages
from briefing.core.feeds.pinned import (
    Resolver,
    private_address,
    private_network_guard,
    system_resolve,
)
from briefing.core.models.article import PAGE_FAILURES_MAX, NewText, PageState, TextKind
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from briefing.core.text.clean import clean_line, safe_link

if TYPE_CHECKING:
    from briefing.core.text.extract import ExtractedArticle

__all__ = [
    "FullTextResult",
    "classify_text_kinds",
    "decode_page",
    "extract_main_text",
    "feed_hosts",
    "fetch_full_text",
    "fetch_full_texts",
    "private_address",
    "private_network_guard",
    "summary_only",
    "text_kind",
]

MIN_GAIN = 1.2
"""The page text must be this much longer than what is stored, or it is not worth keeping."""
SUMMARY_WORDS = 150
"""A feed body shorter than this is a summary (the median feed entry has 78 words)."""
COMMIT_EVERY = 25
"""Pages' outcomes written in one batch, at most..."""
COMMIT_SECONDS = 1.0
"""...or as soon as the first of them has waited this long."""

# A body the feed cut short: an ellipsis (bare or bracketed, as `text.boilerplate` leaves
# it) or a link label to the rest at its very end.
_CUT = re.compile(
    r"(?:…|\.\.\.|\[\s*(?:…|\.\.\.)\s*\]|\(\s*more\s*(?:…|\.\.\.)?\s*\)"
    r"|\b(?:read\s+more|continue\s+reading|keep\s+reading|read\s+(?:the\s+)?(?:full|whole|rest)\b[^.!?\n]{0,40})"
    r"[\s.:»›→>…\]\)]*)$",
    re.IGNORECASE,
)


def summary_only(text: str) -> bool:
    """Whether a feed's body is a summary of the story: under SUMMARY_WORDS words, or cut
    ("…", "[…]", "Read more", "Continue reading" at its end)."""
    if len(text.split()) < SUMMARY_WORDS:
        return True
    tail = text[-200:].rstrip().rstrip("\"'”’»")
    return _CUT.search(tail) is not None


def text_kind(text: str) -> TextKind:
    return "summary" if summary_only(text) else "full"


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """What came of one article's full-text fetch."""

    article_id: str
    ok: bool
    reason: str | None = None
    """Why the stored text was kept, one line."""
    chars: int = 0
    title: str | None = None
    """The headline the page states (its metadata), for callers to fill what the feed lacked."""
    published: datetime | None = None
    """The publication date the page states."""
    source: str | None = None
    """The outlet's name the page states."""
    url: str | None = None
    """The page's canonical http(s) address."""
    deferred: bool = False
    """Not tried now and no failure: its host asked to wait, or the refresh's page budget
    was spent. It is tried again by a later refresh or backfill."""


def decode_page(content: bytes, content_type: str | None) -> str:
    """Bytes of an HTML page as text: header charset, then <meta charset>, then UTF-8."""
    from briefing.core.text.html import meta_charset

    candidates: list[str] = []
    if content_type and (m := re.search(r"charset=([\w.:-]{1,40})", content_type, re.I)):
        candidates.append(m.group(1))
    if declared := meta_charset(content):
        candidates.append(declared)
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("utf-8", errors="replace")


def extract_main_text(html: str, url: str | None = None) -> str:
    """The article's own text from a whole page (see `text.extract.extract_article`)."""
    from briefing.core.text.extract import extract_article

    return extract_article(html, url=url).text


def classify_text_kinds(store: Store, *, since: float | None = None) -> int:
    """Mark feed articles stored before text kinds were recorded as summary or full text
    (by their stored text); returns how many. Costs a read of their bodies, once."""
    ids = store.unclassified(since=since)
    if not ids:
        return 0
    kinds: dict[str, TextKind] = {aid: text_kind(text) for aid, _, text in store.texts_of(ids)}
    store.set_text_kinds(kinds)
    return len(kinds)


def feed_hosts(feeds: Iterable[Feed]) -> set[str]:
    """Hosts of the user's own feeds: their pages may be fetched even on a private network."""
    return {host.lower() for f in feeds if (host := urlsplit(f.url).hostname)}


# -- one page's outcome --------------------------------------------------------------------


@dataclass(slots=True)
class _Article:
    """What is stored of an article whose page is fetched."""

    id: str
    text: str
    lede: str | None
    state: PageState


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A page's reply judged: the article's new page state, its new text if any, the result."""

    state: PageState | None
    """None: nothing to write (the page was not requested)."""
    text: NewText | None
    """The page's text, the lede to keep and the date the page states, when the text is replaced."""
    result: FullTextResult


def _host_of(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url else None


def _stated(aid: str, page: ExtractedArticle | None, ok: bool, reason: str | None = None,
            chars: int = 0) -> FullTextResult:
    """A result carrying what the page states about itself (headline, date, outlet, address)."""
    if page is None:
        return FullTextResult(aid, ok, reason, chars)
    return FullTextResult(aid, ok, reason, chars, title=page.title, published=page.published,
                          source=page.source, url=page.url)


Validators = tuple["str | None", "str | None"]
"""(ETag, Last-Modified) of a page as it last answered."""


def _failed(article: _Article, reason: str, now: datetime, page: ExtractedArticle | None = None, *,
            failures: int | None = None, validators: Validators | None = None) -> _Outcome:
    state = replace(article.state, tried=now, error=reason,
                    failures=article.state.failures + 1 if failures is None else failures)
    if validators is not None:
        state = replace(state, etag=validators[0], last_modified=validators[1])
    return _Outcome(state, None, _stated(article.id, page, False, reason))


def _judge(article: _Article, reply: PageReply, now: datetime) -> _Outcome:
    """What one page reply makes of the article."""
    result = reply.result
    if result is None:
        reason = reply.waiting or "not requested"
        return _Outcome(None, None, FullTextResult(article.id, False, reason, deferred=True))
    validators = (result.state.etag, result.state.last_modified)
    if result.status == "not_modified":
        if article.state.fetched is not None:
            when = f"{article.state.fetched:%Y-%m-%d %H:%M}"
            state = replace(article.state, tried=now)
            unchanged = f"the page is unchanged since {when}"
            return _Outcome(state, None, FullTextResult(article.id, True, unchanged))
        return _failed(article, "the page is unchanged and holds no more text than the summary", now,
                       validators=validators)
    if result.status != "ok" or reply.page is None:
        reason = result.error or f"not fetched ({result.status})"
        if result.state.retry_after is not None:  # the host asked to wait: no failure of the page's
            return _failed(article, reason, now, failures=article.state.failures)
        if result.state.gone:
            return _failed(article, "the page is gone (HTTP 410); not fetched again", now,
                           failures=max(PAGE_FAILURES_MAX, article.state.failures))
        return _failed(article, reason, now)
    page = reply.page
    if article.state.fetched is not None and page.text == article.text:
        state = replace(article.state, tried=now, etag=validators[0], last_modified=validators[1])
        return _Outcome(state, None, _stated(article.id, page, True, "the page's text is unchanged"))
    # Measured against the feed's summary: a page fetched before is replaced by its new version.
    summary = article.lede if article.state.fetched is not None and article.lede is not None else article.text
    if len(page.text) < max(200, int(len(summary) * MIN_GAIN)):
        return _failed(article, "the page holds no more text than the summary", now, page,
                       validators=validators)
    host = _host_of(result.final_url) or _host_of(reply.request.url)
    state = PageState(fetched=now, host=clean_line(host or "", limit=120) or None, etag=validators[0],
                      last_modified=validators[1], tried=now)
    lede = article.lede if article.lede is not None else (article.text or None)
    return _Outcome(state, NewText(page.text, lede, page.published),
                    _stated(article.id, page, True, chars=len(page.text)))


# -- many pages, written as they come --------------------------------------------------------


class _Writer:
    """Pages' outcomes to the store in small batches: COMMIT_EVERY, or COMMIT_SECONDS after
    the first waiting. Each batch takes the store's write lock only while it writes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.states: dict[str, PageState] = {}
        self.texts: dict[str, NewText] = {}
        self.since: float | None = None
        self.replaced: list[str] = []

    def add(self, aid: str, outcome: _Outcome) -> None:
        if outcome.state is None:
            return
        self.states[aid] = outcome.state
        if outcome.text is not None:
            self.texts[aid] = outcome.text
        if self.since is None:
            self.since = time.monotonic()
        if len(self.states) >= COMMIT_EVERY:
            self.flush()

    def due(self) -> float | None:
        """Seconds until the waiting outcomes must be written (None: nothing waits)."""
        return None if self.since is None else max(0.0, self.since + COMMIT_SECONDS - time.monotonic())

    def flush(self) -> None:
        if self.states:
            written = self.store.save_pages(self.states, self.texts)
            self.replaced += [aid for aid in written if aid in self.texts]
        self.states, self.texts, self.since = {}, {}, None


Progress = Callable[[int, int], None]
"""(pages settled, pages to settle) after each one."""


def fetch_full_texts(
    store: Store,
    ids: Sequence[str],
    settings: Settings,
    *,
    now: datetime | None = None,
    trusted_hosts: Collection[str] = (),
    resolve: Resolver = system_resolve,
    budget: int | None = None,
    facts: bool = True,
    on_progress: Progress | None = None,
    pool: Executor | None = None,
) -> list[FullTextResult]:
    """Fetch, extract and store the full text of several articles; one result per id.

    Article links come from feeds we do not control: one leading into a private network
    (a router's admin page, a cloud metadata address) is refused, redirects and DNS
    rebinding included, unless its host also serves one of the user's own feeds
    (`trusted_hosts`). At most `budget` pages are requested (None: no limit); the rest are
    deferred. With `facts`, the facts of each new text are made here (one article, on
    demand); without, they are left pending for `ingest.enrich`. `pool` (worker processes)
    extracts the pages' main texts, keeping that CPU work off this process.
    """
    def clock() -> datetime:
        return now if now is not None else datetime.now(UTC)

    moment = clock()
    results: dict[str, FullTextResult] = {}
    writer = _Writer(store)
    articles: dict[str, _Article] = {}
    requests = _requests(store, ids, moment, budget, results, writer, articles)
    if requests:
        _run(requests, settings, private_network_guard(trusted_hosts), resolve, clock, store, writer,
             articles, results, on_progress, pool)
    writer.flush()
    if facts and writer.replaced:
        _make_facts(store, writer.replaced)
    stopped = "not requested: the run was stopped"
    return [results.get(aid) or (FullTextResult(aid, False, stopped, deferred=True) if aid in articles
                                 else FullTextResult(aid, False, "no such article"))
            for aid in ids]


def _requests(
    store: Store, ids: Sequence[str], now: datetime, budget: int | None,
    results: dict[str, FullTextResult], writer: _Writer, articles: dict[str, _Article],
) -> list[PageRequest]:
    """The pages to request, in the order of `ids`; the articles that need none get results."""
    waits = store.host_waits()
    requests: list[PageRequest] = []
    for aid, link, text, lede, state in store.pages_of(ids):
        article = articles[aid] = _Article(aid, text, lede, state)
        url = safe_link(link)
        if url is None:
            outcome = _failed(article, "the article has no http(s) link", now, failures=PAGE_FAILURES_MAX)
            writer.add(aid, outcome)
            results[aid] = outcome.result
            continue
        request = PageRequest(aid, url, state)
        if (until := waits.get(request.host)) is not None and until > now:
            results[aid] = FullTextResult(aid, False, f"{request.host} asked to wait until "
                                          f"{until.astimezone(UTC):%Y-%m-%d %H:%M} UTC", deferred=True)
        elif budget is not None and len(requests) >= budget:
            results[aid] = FullTextResult(aid, False, f"left for later: the budget of {budget} pages "
                                          "a refresh is spent", deferred=True)
        else:
            requests.append(request)
    order = {aid: i for i, aid in enumerate(ids)}
    requests.sort(key=lambda r: order.get(r.article_id, 0))
    return requests


def _run(
    requests: list[PageRequest], settings: Settings, guard: Callable[[str, str], str | None],
    resolve: Resolver, clock: Callable[[], datetime], store: Store, writer: _Writer,
    articles: dict[str, _Article], results: dict[str, FullTextResult], on_progress: Progress | None,
    pool: Executor | None,
) -> None:
    """Fetch in a thread of its own (an event loop), judge and write here as replies come."""
    replies: queue.Queue[PageReply | BaseException | None] = queue.Queue()
    stop = threading.Event()

    def fetch() -> None:
        try:
            asyncio.run(fetch_pages(requests, settings, guard=guard, resolve=resolve, deliver=replies.put,
                                    clock=clock, stop=stop, pool=pool))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            replies.put(exc)
        finally:
            replies.put(None)

    fetcher = threading.Thread(target=fetch, name="briefing-pages", daemon=True)
    fetcher.start()
    waits: dict[str, datetime] = {}
    done = 0
    try:
        while True:
            try:
                reply = replies.get(timeout=writer.due())
            except queue.Empty:
                writer.flush()
                continue
            if reply is None:
                break
            if isinstance(reply, BaseException):
                raise reply
            aid = reply.request.article_id
            outcome = _judge(articles[aid], reply, clock())
            results[aid] = outcome.result
            writer.add(aid, outcome)
            if reply.result is not None and reply.result.state.retry_after is not None:
                waits.setdefault(reply.request.host, reply.result.state.retry_after)
            done += 1
            if on_progress is not None:
                on_progress(done, len(requests))
    finally:
        stop.set()  # a failing write stops the requests not yet started
    fetcher.join(timeout=5)
    if waits:
        store.save_host_waits(waits, clock())


def _make_facts(store: Store, ids: Sequence[str]) -> None:
    """Facts and search terms of new texts at once (on demand: one article, a few ms)."""
    from briefing.core.ingest.pipeline import facts_for, facts_version
    from briefing.core.search.index import index_new_articles

    for aid in ids:
        article = store.get(aid)
        if article is None:
            continue
        store.update_article(aid, facts=facts_for(article), facts_version=facts_version())
    index_new_articles(store, ids)


def fetch_full_text(
    store: Store, aid: str, settings: Settings, *, now: datetime | None = None,
    trusted_hosts: Collection[str] = (), resolve: Resolver = system_resolve,
) -> FullTextResult:
    """The reader's on-demand key: one article, its facts made at once."""
    return fetch_full_texts(store, [aid], settings, now=now, trusted_hosts=trusted_hosts, resolve=resolve)[0]

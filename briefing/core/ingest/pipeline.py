"""Articles in, facts extracted, store written: the one path every article takes.

Facts are computed here, at ingest, and stored with the article; the reader only
reads them. Large batches use a process pool so both cores work.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.ingest.importers import FileResult, iter_files, read_file
from briefing.core.models.article import Article, PreparedData
from briefing.core.models.facts import Facts
from briefing.core.models.meta import AddResult
from briefing.core.store.identity import article_id, canonical_link, content_hash
from briefing.core.store.store import Store

if TYPE_CHECKING:
    pass

POOL_THRESHOLD = 300
"""Below this many articles a process pool costs more to start than it saves."""
WORKER_NICENESS = 10
"""How far below the main process a worker's CPU priority drops once it extracts facts
for a refresh in the background of the reader (see `worker_pool`)."""


def facts_for(article: Article) -> Facts:
    from briefing.core.facts import extract_facts

    published: date | None = article.published.date() if article.published else None
    return extract_facts(article.title, article.text, published)


@lru_cache(maxsize=1)
def facts_version() -> str:
    """A fingerprint of the engine's code and word lists: stored facts older than it are redone."""
    import hashlib

    root = Path(__file__).resolve().parents[1] / "facts"
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".txt", ".tsv", ".json")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _with_facts(article: Article) -> Article:
    try:
        facts = facts_for(article)
    except Exception as exc:  # noqa: BLE001 - one article's bad text must not stop the batch
        return replace(article, extra={**article.extra, "facts_error": f"{type(exc).__name__}: {exc}"})
    return replace(article, facts=facts, extra={**article.extra, "facts_version": facts_version()})


def prepare(article: Article) -> Article:
    """`_with_facts` for a worker process, plus the rest of the per-article work of storing.

    The facts, the index row's topics, and the words story clustering and search index
    the article by travel back as one JSON blob (`Article.prepared`): it pickles and
    unpickles at a fraction of the cost of the Facts objects, and it is the form the
    store writes anyway, so the process storing a large refresh does only the work that
    needs the store.
    """
    import orjson

    from briefing.core.search.terms import index_text
    from briefing.core.stories.clusters import story_words
    from briefing.core.stories.topic_names import links_of, topics_of

    done = _with_facts(article)
    title_words, words = story_words(done.title, done.text)
    data: PreparedData = {
        "facts": done.facts.to_dict() if done.facts else None, "topics": topics_of(done),
        "topic_links": links_of(done),
        "title_words": title_words, "words": words,
        "search": [index_text(done.title), index_text(done.text)],
    }
    try:
        blob = orjson.dumps(data)
    except (TypeError, orjson.JSONEncodeError):
        return done  # a lone surrogate, say: the store's own writer knows how to scrub it
    return replace(done, facts=None, prepared=blob)


def refresh_stale_facts(store: Store, *, limit: int | None = None) -> int:
    """Re-extract facts made by an older engine (or never made), newest articles first.

    Returns how many were redone. Safe to stop at any batch boundary (see `enrich`).
    """
    from briefing.core.ingest.enrich import enrich

    return enrich(store, store.stale_facts(facts_version())[:limit])


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Processes for facts and parsing, started from a clean server process.

    The reader refreshes from a thread; forking a process that runs other threads can
    copy a lock another thread holds and hang the child. "forkserver" forks from a
    single-threaded server instead (where the platform has it).

    Parsing feeds runs at full priority: phase 1 is what a person waits on. Extracting
    facts for a refresh in the reader's background, a worker drops WORKER_NICENESS below
    it (`nice_for_facts`), so the reader's screen gets a core when it needs one. A
    `briefing fetch` has no screen to keep: niced workers there only starved behind
    any other busy process (phase 2 of the 10k bench on a shared machine: 162 s at
    niceness 5, 86 s at 0; niceness 10 made phase 1 too 3x newsboat).
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else None
    context = multiprocessing.get_context(method)
    with _stderr_with_a_descriptor():
        # The helper processes start here, not at the first task, while stderr is sound.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_end_with_parent)
        if method == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
    return pool


def _end_with_parent() -> None:
    """Runs as each worker starts: the worker ends when the process that started the pool
    does, however it died, and leaves Ctrl-C to it.

    A worker waits for tasks on a queue whose writing end it holds itself, and holds the
    fork server's lifeline too; with its parent killed alone (a cron job's timeout, the
    OOM killer), the workers, the fork server and the resource tracker waited forever,
    each holding the facts engine's memory or the job's output pipe. Workers only compute
    (the parent alone writes the store), so ending one mid-task loses nothing.

    Ctrl-C reaches the whole process group: the parent stops the run and says so in one
    line, and the workers ignore it (each printed a KeyboardInterrupt traceback)."""
    import multiprocessing
    import signal
    import threading
    from multiprocessing.connection import wait

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None else None
    if sentinel is None:
        return

    def watch() -> None:
        wait([sentinel])  # ready once the parent's end of it is closed: the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="briefing-parent-watch", daemon=True).start()


_niced = False


def nice_for_facts(niceness: int) -> None:
    """Lower this worker process's priority, once (see `worker_pool`); where os.nice
    does not exist, nothing."""
    global _niced
    if niceness and not _niced and hasattr(os, "nice"):
        _niced = True
        os.nice(niceness)


def warm_up(niceness: int = 0) -> None:
    """Runs in a worker near the end of phase 1: the facts engine's word lists load on
    its first article (a second or more), which then delayed phase 2's first batch."""
    nice_for_facts(niceness)
    prepare(Article(id="0", title="Talks in Ankara",
                    text="Maria Kowalski said in Ankara on Monday that NATO approved $5 billion."))


@contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    """multiprocessing hands its helper processes (resource tracker, fork server) the file
    descriptor of sys.stderr. Under the reader, sys.stderr is Textual's print capture,
    whose descriptor is -1, and starting them failed with "bad value(s) in fds_to_keep":
    every refresh large enough for the pool stopped. They get /dev/null meanwhile."""
    try:
        sound = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        sound = False
    if sound:
        yield
        return
    saved = sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as null:
        sys.stderr = null
        try:
            yield
        finally:
            sys.stderr = saved


def with_facts(articles: Sequence[Article], *, workers: int | None = None) -> list[Article]:
    """Attach facts to each article, in parallel for large batches."""
    todo = [a for a in articles if a.facts is None]
    if len(todo) < POOL_THRESHOLD or (workers or os.cpu_count() or 1) < 2:
        done = {id(a): _with_facts(a) for a in todo}
    else:
        n = workers or min(os.cpu_count() or 2, 4)
        with worker_pool(n) as pool:
            results = list(pool.map(_with_facts, todo, chunksize=max(1, len(todo) // (n * 4))))
        done = {id(a): r for a, r in zip(todo, results, strict=True)}
    return [done.get(id(a), a) for a in articles]


def ingest(store: Store, articles: Sequence[Article], *, now: datetime | None = None) -> AddResult:
    """Store new articles and enrich them at once (imports, the samples): both phases in a row.
    Known ones (guid, link or content) are skipped."""
    from briefing.core.ingest.enrich import enrich, place

    stamp = now or datetime.now(UTC)
    articles = [with_id(a if a.fetched else replace(a, fetched=stamp)) for a in articles]
    result = store_articles(store, articles)
    version = facts_version()
    ready = [aid for aid in result.added if store.facts_version_of(aid) == version]  # came with facts
    place(store, ready, texts={a.id: a.text for a in articles if a.id in set(ready)})
    enrich(store, [aid for aid in result.added if aid not in set(ready)])
    return result


def with_id(article: Article) -> Article:
    """The article with the id the store would give it (kept if it has one).

    The content hash is computed only for an article with neither link nor guid, the
    only one whose id it makes: normalising the text cost a fifth of parsing a feed item."""
    if article.id:
        return article
    if article.guid or canonical_link(article.link) is not None:
        chash = ""
    else:
        chash = content_hash(article.title, article.text)
    return replace(article, id=article_id(link=article.link, guid=article.guid, chash=chash))


def with_keys(article: Article) -> Article:
    """`with_id`, plus the canonical link and content hash the store dedupes it by: for a
    parse worker, so the process that stores a refresh does not compute them (a third
    of its work in phase 1)."""
    chash = content_hash(article.title, article.text)
    canon = canonical_link(article.link)
    aid = article.id or article_id(link=article.link, guid=article.guid, chash=chash)
    return replace(article, id=aid, keys=(canon, chash))


def store_articles(store: Store, articles: Sequence[Article]) -> AddResult:
    """Phase 1: store new articles as they are (title, text, link, source, date), readable
    at once; their facts, stories and search terms are pending until `enrich`. Every path
    into the store ends here, so nothing skips enrichment."""
    return store.add_articles([with_id(a) for a in articles])


def import_paths(
    store: Store, paths: Iterable[Path], *, sample: bool = False
) -> tuple[list[FileResult], AddResult]:
    """Import article files and directories; one FileResult per file, errors included."""
    results: list[FileResult] = []
    articles: list[Article] = []
    for path, refused in iter_files(list(paths)):
        if refused:
            results.append(FileResult(path, error=refused))
            continue
        result = read_file(path)
        if sample and result.articles:
            result = FileResult(path, tuple(replace(a, sample=True) for a in result.articles))
        results.append(result)
        articles.extend(result.articles)
    added = ingest(store, articles) if articles else AddResult((), 0)
    return results, added

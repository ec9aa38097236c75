"""The article store: TinyDB files laid out so cost grows with the work, not the store.

    store/store.json          schema version, feed state, UI state
    store/index/NNNNNN.json   articles' metadata (title, source, dates, topics), per segment
    store/bodies/NNNNNN.json  their text and facts, the same segments of SEGMENT_SIZE
    store/state/NN.json       read/starred flags in 16 shards (marking read rewrites one)
    store/lock                write lock holding the owner's PID

New articles go to the newest segment, so an ingest rewrites one or two small files
whatever the store's size. A batch writes bodies first and index rows last: the index
write is the commit point, so a kill at any moment leaves every article the index
already named intact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from datetime import UTC, datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any

from tinydb.table import Document

from briefing.core.errors import StoreError
from briefing.core.models.meta import AddResult, ArticleMeta
from briefing.core.store.base import SEGMENT_SIZE, _doc_id, _locked, _patch, _storage
from briefing.core.store.identity import article_id, canonical_link, content_hash
from briefing.core.store.keys import KeysMixin, _keys_of, _record
from briefing.core.store.state import StateMixin
from briefing.core.stories.topics import TopicIndex, links_of, topics_of

if TYPE_CHECKING:
    # Imported where articles are built: the reader's first screen needs only metadata,
    # and creating the model classes is a measurable part of its start-up.
    from briefing.core.models.article import Article, PreparedData
    from briefing.core.models.facts import Facts


class Store(KeysMixin, StateMixin):
    """The store of one data home. Open with `Store.open(home)`; use as a context manager."""

    # -- reading -------------------------------------------------------------------

    @_locked
    def __len__(self) -> int:
        self._ensure_all()
        return len(self._rows)

    def _meta_of(self, row: dict[str, Any]) -> ArticleMeta:
        flags = self._flags(row["id"])
        return ArticleMeta(
            id=row["id"],
            title=row.get("title", ""),
            source=row.get("source"),
            feed=row.get("feed"),
            link=row.get("link"),
            ts=row.get("ts"),
            topics=tuple(map(tuple, row.get("topics", ()))),
            sample=bool(row.get("sample")),
            cluster=row.get("cluster"),
            read=bool(flags.get("r")),
            starred=bool(flags.get("s")),
            fetched=row.get("fetched"),
            pending=not row.get("fv"),
        )

    @_locked
    def articles(self) -> list[ArticleMeta]:
        """Every article, newest first (undated last). Cached until the next write."""
        if self._sorted is None:
            self._ensure_all()
            rows = sorted(self._rows.values(), key=lambda r: r.get("ts") or 0.0, reverse=True)
            self._sorted = [self._meta_of(r) for r in rows]
            self._pos = {meta.id: i for i, meta in enumerate(self._sorted)}
        return self._sorted

    @_locked
    def articles_between(self, spans: Sequence[tuple[float, float]]) -> list[ArticleMeta]:
        """Articles whose time (published, else stored) falls in one of the sorted, disjoint spans.

        One pass over the in-memory rows, metadata built only for the matches: the cost of a
        date window, not of the store.
        """
        from bisect import bisect_right

        summary = self._segment_summary()
        for number in sorted(self._unloaded):
            info = summary.get(number, {})
            lo, hi = info.get("lo"), info.get("hi")
            if lo is None or hi is None or any(a <= hi and lo <= b for a, b in spans):
                self._load_segment(number)
        starts = [lo for lo, _ in spans]
        found = []
        for row in self._rows.values():
            when = row.get("ts") or row.get("fetched") or 0.0
            i = bisect_right(starts, when) - 1
            if i >= 0 and when <= spans[i][1]:
                found.append(self._meta_of(row))
        return found

    @_locked
    def cluster_sizes(self, *, loaded_only: bool = False) -> dict[str, int]:
        """Articles per story cluster, from the in-memory rows (no metadata built).

        `loaded_only` counts only the segments already read (e.g. by articles_between):
        enough for stories near those dates, without reading the whole store.
        """
        if not loaded_only:
            self._ensure_all()
        sizes: dict[str, int] = {}
        for row in self._rows.values():
            if cluster := row.get("cluster"):
                sizes[cluster] = sizes.get(cluster, 0) + 1
        return sizes

    @_locked
    def recent(self, n: int) -> list[ArticleMeta]:
        """The newest n articles without building the whole list (a fast first screen)."""
        import heapq

        # Read segments newest-first by their summary until no unread one can hold a
        # newer article than the n-th found: the first screen reads a few files, not all.
        summary = self._segment_summary()
        pending = sorted(self._unloaded, key=lambda k: -float(summary.get(k, {}).get("max_ts", math.inf)))
        for number in pending:
            if len(self._rows) >= n:
                nth = heapq.nlargest(n, (r.get("ts") or 0.0 for r in self._rows.values()))[-1]
                if float(summary.get(number, {}).get("max_ts", math.inf)) < nth:
                    break
            self._load_segment(number)
        rows = heapq.nlargest(n, self._rows.values(), key=lambda r: r.get("ts") or 0.0)
        return [self._meta_of(r) for r in rows]

    @_locked
    def meta(self, aid: str) -> ArticleMeta | None:
        row = self._row(aid)
        return self._meta_of(row) if row is not None else None

    @_locked
    def facts_version_of(self, aid: str) -> str | None:
        """The fingerprint of the engine that made an article's stored facts (None: unknown)."""
        row = self._row(aid)
        return row.get("fv") if row is not None else None

    @_locked
    def get(self, aid: str) -> Article | None:
        """The full article: text and facts loaded from its body segment."""
        from briefing.core.models.article import Article
        from briefing.core.models.facts import Facts

        row = self._row(aid)
        if row is None:
            return None
        body = self._body_db(int(row["seg"])).storage.read() or {}
        stored = body.get("bodies", {}).get(str(_doc_id(aid)), {})
        flags = self._flags(aid)
        facts = stored.get("facts")
        published, fetched = row.get("ts"), row.get("fetched")
        return Article(
            id=aid,
            title=row.get("title", ""),
            text=stored.get("text", ""),
            source=row.get("source"),
            feed=row.get("feed"),
            link=row.get("link"),
            guid=row.get("guid"),
            author=stored.get("author"),
            published=datetime.fromtimestamp(published, UTC) if published is not None else None,
            fetched=datetime.fromtimestamp(fetched, UTC) if fetched is not None else None,
            tags=tuple(row.get("tags", ())),
            facts=Facts.from_dict(facts) if isinstance(facts, dict) else None,
            read=bool(flags.get("r")),
            starred=bool(flags.get("s")),
            sample=bool(row.get("sample")),
            extra=dict(stored.get("extra") or {}),
        )

    @_locked
    def text_of(self, aid: str) -> str | None:
        """Just the body text: for work that needs no facts (story matching, indexing)."""
        row = self._row(aid)
        if row is None:
            return None
        body = _storage(self._body_db(int(row["seg"]))).read() or {}
        stored = body.get("bodies", {}).get(str(_doc_id(aid)), {})
        return str(stored.get("text", ""))

    @_locked
    def count(self) -> int:
        """How many articles the store holds, from the segment summary: no segment is read.
        After a crash mid-batch it may count a batch that never committed (never fewer)."""
        summary = self._segment_summary()
        numbers = set(self._segment_numbers("index"))
        if not numbers <= set(summary):
            return len(self)
        return sum(int(summary[n].get("count", 0)) for n in numbers)

    def texts_of(self, ids: Iterable[str]) -> Iterator[tuple[str, str, str]]:
        """(id, title, text) of many articles, a body segment at a time: in the order of
        `ids` each read could parse another segment. Holds the lock per segment."""
        with self._mutex:
            rows = [row for aid in ids if (row := self._row(aid)) is not None]
        rows.sort(key=lambda row: int(row["seg"]))
        for segment, group in groupby(rows, key=lambda row: int(row["seg"])):
            with self._mutex:
                bodies = (_storage(self._body_db(segment)).read() or {}).get("bodies", {})
            for row in group:
                stored = bodies.get(str(_doc_id(row["id"])), {})
                yield row["id"], row.get("title", ""), str(stored.get("text", ""))

    @_locked
    def topic_index(self) -> TopicIndex:
        """Topic -> articles for the whole store; built on first use, then kept current."""
        if self._topics is None:
            self._ensure_all()
            index = TopicIndex()
            for row in self._rows.values():
                index.add(row["id"], ((n, k) for n, k in row.get("topics", ())), row.get("ts") or 0.0,
                          links=row.get("topic_links", ()))
            self._topics = index
        return self._topics


    @_locked
    def add_articles(
        self, articles: Iterable[Article], prepared: Mapping[str, PreparedData] | None = None
    ) -> AddResult:
        """Store new articles in one batch; duplicates (guid, link or content) are skipped.

        `prepared` is the decoded `Article.prepared` of articles carrying it, by id, where
        the caller has decoded it already."""
        with self.batch():  # under the write lock from here: segments and keys as on disk now
            return self._add_articles(articles, prepared)

    def _add_articles(
        self, articles: Iterable[Article], prepared: Mapping[str, PreparedData] | None
    ) -> AddResult:
        decoded = prepared or {}
        added: list[str] = []
        duplicates = 0
        rows: dict[int, list[Document]] = {}
        bodies: dict[int, list[Document]] = {}
        segment = max(self._last_segment, 1)
        in_segment = self._segment_size(segment)
        known = self._known_keys()
        now = self._clock().timestamp()
        records: list[tuple[int, int, int, int]] = []
        for article in articles:
            chash = content_hash(article.title, article.text)
            aid = article.id or article_id(link=article.link, guid=article.guid, chash=chash)
            canon = canonical_link(article.link)
            record = _record(aid, article.guid, canon, chash)
            if any(d in known for d in record if d):
                duplicates += 1
                continue
            if in_segment >= SEGMENT_SIZE:
                segment, in_segment = segment + 1, 0
            in_segment += 1
            doc_id = _doc_id(aid)
            data = decoded.get(aid) or article.prepared_data()
            row: dict[str, Any] = {
                "id": aid,
                "title": article.title,
                "source": article.source,
                "feed": article.feed,
                "link": article.link,
                "guid": article.guid,
                "hash": chash,
                "ts": article.published.timestamp() if article.published else None,
                "fetched": article.fetched.timestamp() if article.fetched else now,
                "tags": list(article.tags),
                "topics": data["topics"] if data else topics_of(article),
                "topic_links": data.get("topic_links", []) if data else links_of(article),
                "seg": segment,
                "sample": article.sample,
                "cluster": article.extra.get("cluster"),
                "fv": article.extra.get("facts_version"),
            }
            if canon != article.link:  # stored only when it differs: most links are canonical
                row["canon"] = canon
            body = {
                "text": article.text,
                "author": article.author,
                "facts": data["facts"] if data else article.facts.to_dict() if article.facts else None,
                "extra": article.extra,
            }
            rows.setdefault(segment, []).append(Document(row, doc_id=doc_id))
            bodies.setdefault(segment, []).append(Document(body, doc_id=doc_id))
            known.update(d for d in record if d)
            records.append(record)
            if self._dedupe is not None:
                for key in _keys_of(article.guid, article.link, chash):
                    self._dedupe.setdefault(key, aid)
            self._rows[doc_id] = row  # provisional: undone by _reload_after_failure
            self._members.setdefault(segment, set()).add(doc_id)
            added.append(aid)
        if not added:
            return AddResult((), duplicates)
        with self.batch():
            for number, docs in bodies.items():
                self._body_db(number).table("bodies").insert_multiple(docs)
            for number, docs in rows.items():
                self._index_db(number).table("articles").insert_multiple(docs)
            self._write_summary(rows)
            self._pending_keys += records  # appended to keys.bin once the batch is on disk
        self._last_segment = max(self._last_segment, segment)
        for docs in rows.values():
            for doc in docs:
                if self._topics is not None:
                    self._topics.add(doc["id"], ((n, k) for n, k in doc["topics"]), doc["ts"] or 0.0,
                                     links=doc.get("topic_links", ()))
        self._sorted = None
        return AddResult(tuple(added), duplicates)

    def _segment_size(self, number: int) -> int:
        data = self._index_db(number).storage.read() or {}
        return len(data.get("articles") or {})

    @_locked
    def update_article(
        self, aid: str, *, text: str | None = None, facts: Facts | None = None,
        cluster: str | None = None, facts_version: str | None = None,
    ) -> None:
        """Replace the text/facts/cluster of a stored article (full text, re-extraction)."""
        row = self._row(aid)
        if row is None:
            raise StoreError(f"no article with id {aid}")
        doc_id = _doc_id(aid)
        body_fields: dict[str, Any] = {}
        if text is not None:
            body_fields["text"] = text
        if facts is not None:
            body_fields["facts"] = facts.to_dict()
        index_fields: dict[str, Any] = {}
        if facts is not None:
            tags = tuple(row.get("tags", ()))
            from briefing.core.models.article import Article

            bare = Article(id=aid, title="", text="", tags=tags, facts=facts)
            index_fields["topics"] = topics_of(bare)
            index_fields["topic_links"] = links_of(bare)
        if facts_version is not None:
            index_fields["fv"] = facts_version
        if cluster is not None:
            index_fields["cluster"] = cluster
        segment = int(row["seg"])
        with self.batch():
            if body_fields:
                self._body_db(segment).table("bodies").update(body_fields, doc_ids=[doc_id])
            if index_fields:
                self._index_db(segment).table("articles").update(index_fields, doc_ids=[doc_id])
        data = self._index_db(segment).storage.read() or {}
        row = self._rows[doc_id] = data["articles"][str(doc_id)]
        # Patch the in-memory views instead of rebuilding them: cost per article, not per store.
        if "topics" in index_fields and self._topics is not None:
            self._topics.remove(aid)
            self._topics.add(aid, ((n, k) for n, k in row["topics"]), row.get("ts") or 0.0,
                             links=row.get("topic_links", ()))
        if self._sorted is not None and (pos := self._pos.get(aid)) is not None:
            self._sorted[pos] = self._meta_of(row)

    @_locked
    def set_facts(self, done: Mapping[str, PreparedData], version: str) -> list[str]:
        """The facts (and the topics they give) of many articles, in one batch: the commit
        of one step of enrichment. Returns the ids updated (an article pruned meanwhile is
        skipped)."""
        updated: list[str] = []
        with self.batch():
            bodies: dict[int, dict[int, dict[str, Any]]] = {}
            rows: dict[int, dict[int, dict[str, Any]]] = {}
            for aid, data in done.items():
                row = self._row(aid)
                if row is None:
                    continue
                segment, doc_id = int(row["seg"]), _doc_id(aid)
                named = {n for n, _ in data["topics"]}
                topics = data["topics"] + [[t, "tag"] for t in row.get("tags", ()) if t not in named]
                bodies.setdefault(segment, {})[doc_id] = {"facts": data["facts"]}
                links = data.get("topic_links", [])
                rows.setdefault(segment, {})[doc_id] = {"topics": topics, "topic_links": links, "fv": version}
                updated.append(aid)
            for segment, changes in bodies.items():
                _patch(self._body_db(segment), "bodies", changes)
            for segment, changes in rows.items():
                _patch(self._index_db(segment), "articles", changes)
        for aid in updated:
            row = self._refresh_row(aid)
            if self._topics is not None:
                self._topics.remove(aid)
                self._topics.add(aid, ((n, k) for n, k in row["topics"]), row.get("ts") or 0.0,
                                 links=row.get("topic_links", ()))
        return updated

    def _refresh_row(self, aid: str) -> dict[str, Any]:
        """The in-memory row of an article from its (just written) segment, and its meta."""
        doc_id = _doc_id(aid)
        segment = int(self._rows[doc_id]["seg"])
        stored: dict[str, Any] = (self._index_db(segment).storage.read() or {})["articles"][str(doc_id)]
        row = self._rows[doc_id] = stored
        if self._sorted is not None and (pos := self._pos.get(aid)) is not None:
            self._sorted[pos] = self._meta_of(row)
        return row

    @_locked
    def set_clusters(self, clusters: Mapping[str, str]) -> None:
        """Story cluster ids of many articles: one table update per index segment.

        A refresh of 10,000 articles names 10,000 clusters; through `update_article`
        that was 10,000 table updates, a tenth of the refresh's clustering time.
        """
        by_segment: dict[int, dict[str, str]] = {}
        for aid, cluster in clusters.items():
            row = self._row(aid)
            if row is None:
                raise StoreError(f"no article with id {aid}")
            by_segment.setdefault(int(row["seg"]), {})[aid] = cluster
        with self.batch():
            for segment, named in by_segment.items():
                def name(doc: MutableMapping[str, Any], named: dict[str, str] = named) -> None:
                    doc["cluster"] = named[doc["id"]]

                self._index_db(segment).table("articles").update(
                    name, doc_ids=[_doc_id(aid) for aid in named])
        for segment, named in by_segment.items():
            stored = (self._index_db(segment).storage.read() or {}).get("articles") or {}
            for aid in named:
                doc_id = _doc_id(aid)
                row = self._rows[doc_id] = stored[str(doc_id)]
                if self._sorted is not None and (pos := self._pos.get(aid)) is not None:
                    self._sorted[pos] = self._meta_of(row)

    @_locked
    def unextracted(self) -> list[str]:
        """Ids of articles stored without facts yet (phase 2 pending), newest first."""
        self._ensure_all()
        rows = [r for r in self._rows.values() if not r.get("fv")]
        rows.sort(key=lambda r: r.get("ts") or r.get("fetched") or 0.0, reverse=True)
        return [r["id"] for r in rows]

    @_locked
    def stale_facts(self, version: str) -> list[str]:
        """Ids of articles whose facts came from another engine version (newest first)."""
        self._ensure_all()
        rows = [r for r in self._rows.values() if r.get("fv") != version]
        rows.sort(key=lambda r: r.get("ts") or 0.0, reverse=True)
        return [r["id"] for r in rows]

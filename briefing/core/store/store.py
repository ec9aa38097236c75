"""The article store: TinyDB files laid out so cost grows with the work, not the store.

    store/store.json          schema version, feed state, UI state
    store/index/NNNNNN.json   articles' metadata (title, source, dates, topics, text kind),
                              per segment
    store/bodies/NNNNNN.json  their text and facts (and the page's state, the feed's lede),
                              the same segments of SEGMENT_SIZE
    store/state/NN.json       read/starred flags in 16 shards (marking read rewrites one)
    store/lock                write lock holding the owner's PID

New articles go to the newest segment, so an ingest rewrites one or two small files
whatever the store's size. A batch writes bodies first and index rows last: the index
write is the commit point, so a kill at any moment leaves every article the index
already named intact.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any, overload

from tinydb.table import Document

from briefing.core.errors import StoreError
from briefing.core.models.meta import AddResult, ArticleMeta
from briefing.core.store.base import SEGMENT_SIZE, _doc_id, _drop, _locked, _patch, _shard_of, _storage
from briefing.core.store.columns import KIND_SUMMARY
from briefing.core.store.files import dump_bytes
from briefing.core.store.identity import article_id, canonical_link, content_hash
from briefing.core.store.keys import KeysMixin, _keys_of, _record
from briefing.core.store.state import StateMixin
from briefing.core.stories.topic_names import links_of, topics_of
from briefing.core.stories.topics import TopicIndex

if TYPE_CHECKING:
    # Imported where articles are built: the reader's first screen needs only metadata,
    # and creating the model classes is a measurable part of its start-up.
    from briefing.core.models.article import Article, NewText, PageState, PreparedData, TextKind
    from briefing.core.models.facts import Facts

_KIND_CODES: dict[str, str] = {"full": "f", "summary": "s"}
"""An index row's `tk`: the text kind in one letter (rows stay short). A row without one
predates text kinds (classified by `classify_text_kinds`) and counts as full meanwhile."""


class Store(KeysMixin, StateMixin):
    """The store of one data home. Open with `Store.open(home)`; use as a context manager."""

    # -- reading -------------------------------------------------------------------

    @_locked
    def __len__(self) -> int:
        self._ensure_all()
        return len(self._cols)

    def _meta_at(self, slot: int) -> ArticleMeta:
        cols = self._cols
        aid = cols.aid(slot)
        flags = self._flags(aid)
        return ArticleMeta(
            id=aid,
            title=cols.title(slot),
            source=cols.name(cols.source, slot),
            feed=cols.name(cols.feed, slot),
            link=cols.link(slot),
            ts=cols.when(slot),
            topics=cols.topics(slot),
            sample=bool(cols.sample[slot]),
            cluster=cols.name(cols.cluster, slot),
            read=bool(flags.get("r")),
            starred=bool(flags.get("s")),
            fetched=cols.stored(slot),
            pending=cols.version[slot] < 0,
            text_kind="summary" if cols.kind[slot] == KIND_SUMMARY else "full",
        )

    @_locked
    def articles(self) -> Sequence[ArticleMeta]:
        """Every article, newest first (undated last): a sequence whose items are built
        when read, so holding it costs the store nothing. The order is cached until the
        next change."""
        if self._order is None:
            self._ensure_all()
            cols = self._cols
            ts = cols.ts
            slots = [slot for slot in cols.slots()]
            slots.sort(key=lambda slot: -ts[slot] if ts[slot] == ts[slot] else 0.0)
            self._order = array("I", slots)
        return MetaList(self, self._order)

    @_locked
    def articles_between(self, spans: Sequence[tuple[float, float]]) -> list[ArticleMeta]:
        """Articles whose time (published, else stored) falls in one of the sorted, disjoint spans.

        One pass over the columns, metadata built only for the matches: the cost of a date
        window, not of the store.
        """
        from bisect import bisect_right

        summary = self._segment_summary()

        def near(number: int) -> bool:
            info = summary.get(number, {})
            lo, hi = info.get("lo"), info.get("hi")
            return lo is None or hi is None or any(a <= hi and lo <= b for a, b in spans)

        for number in sorted(self._unloaded):
            if near(number):
                self._load_segment(number)
        starts = [lo for lo, _ in spans]
        cols = self._cols
        alive = cols.alive
        # Only the segments whose times meet a span: with the whole store loaded (the
        # reader), every refresh's stories asked this of all 500,000 rows.
        slots = sorted(slot for number, members in self._members.items() if near(number)
                       for slot in members if alive[slot])
        found = []
        for slot in slots:
            when = cols.when(slot) or cols.stored(slot) or 0.0
            i = bisect_right(starts, when) - 1
            if i >= 0 and when <= spans[i][1]:
                found.append(self._meta_at(slot))
        return found

    @_locked
    def cluster_sizes(self, *, loaded_only: bool = False) -> dict[str, int]:
        """Articles per story cluster, from the columns (no metadata built).

        `loaded_only` counts only the segments already read (e.g. by articles_between):
        enough for stories near those dates, without reading the whole store.
        """
        if not loaded_only:
            self._ensure_all()
        cols = self._cols
        counts: dict[int, int] = {}
        cluster = cols.cluster
        for slot in cols.slots():
            number = cluster[slot]
            if number >= 0:
                counts[number] = counts.get(number, 0) + 1
        return {cols.names.value(n): c for n, c in counts.items()}

    @_locked
    def recent(self, n: int) -> list[ArticleMeta]:
        """The newest n articles without building the whole list (a fast first screen)."""
        import heapq

        # Read segments newest-first by their summary until no unread one can hold a
        # newer article than the n-th found: the first screen reads a few files, not all.
        summary = self._segment_summary()
        pending = sorted(self._unloaded, key=lambda k: -float(summary.get(k, {}).get("max_ts", math.inf)))
        cols = self._cols
        for number in pending:
            if len(cols) >= n:
                nth = heapq.nlargest(n, ((cols.when(s) or 0.0) for s in cols.slots()))[-1]
                if float(summary.get(number, {}).get("max_ts", math.inf)) < nth:
                    break
            self._load_segment(number)
        slots = heapq.nlargest(n, cols.slots(), key=lambda s: cols.when(s) or 0.0)
        return [self._meta_at(s) for s in slots]

    @_locked
    def meta(self, aid: str) -> ArticleMeta | None:
        slot = self._slot(aid)
        return self._meta_at(slot) if slot is not None else None

    @_locked
    def facts_version_of(self, aid: str) -> str | None:
        """The fingerprint of the engine that made an article's stored facts (None: unknown)."""
        slot = self._slot(aid)
        return self._cols.name(self._cols.version, slot) if slot is not None else None

    def _raw_row(self, aid: str) -> dict[str, Any] | None:
        """An article's whole index row as stored (guid, content hash and all)."""
        slot = self._slot(aid)
        if slot is None:
            return None
        storage = _storage(self._index_db(self._cols.seg[slot]))
        row = ((storage.read() or {}).get("articles") or {}).get(str(_doc_id(aid)))
        self._uncache(storage)
        return row if isinstance(row, dict) else None

    @_locked
    def get(self, aid: str) -> Article | None:
        """The full article: text and facts loaded from its body segment."""
        from briefing.core.models.article import Article, PageState
        from briefing.core.models.facts import Facts

        row = self._raw_row(aid)
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
            text_kind="summary" if row.get("tk") == "s" else "full",
            lede=stored.get("lede") if isinstance(stored.get("lede"), str) else None,
            page=PageState.from_dict(stored["page"]) if "page" in stored else None,
            extra=dict(stored.get("extra") or {}),
        )

    @_locked
    def text_of(self, aid: str) -> str | None:
        """Just the body text: for work that needs no facts (story matching, indexing)."""
        slot = self._slot(aid)
        if slot is None:
            return None
        body = _storage(self._body_db(self._cols.seg[slot])).read() or {}
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
        cols = self._cols
        for slot, stored in self._bodies_of(ids):
            yield cols.aid(slot), cols.title(slot), str(stored.get("text", ""))

    def _bodies_of(self, ids: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
        """(slot, stored body) of many articles, grouped by body segment so each segment is
        parsed once whatever the order of `ids`; the lock is held per segment, not per call."""
        cols = self._cols
        with self._mutex:
            slots = [slot for aid in ids if (slot := self._slot(aid)) is not None]
        slots.sort(key=lambda slot: cols.seg[slot])
        for segment, group in groupby(slots, key=lambda slot: cols.seg[slot]):
            with self._mutex:
                bodies = (_storage(self._body_db(segment)).read() or {}).get("bodies", {})
            for slot in group:
                yield slot, bodies.get(str(cols.doc[slot]), {})

    @_locked
    def topic_index(self) -> TopicIndex:
        """Topic -> articles for the whole store; built on first use, then kept current."""
        if self._topics is None:
            self._ensure_all()
            cols, slots = self._cols, array("I", self._cols.slots())  # rows streamed: a list cost 150 MB
            rows = ((cols.aid(s), cols.topics(s), cols.when(s) or 0.0, cols.topic_links(s)) for s in slots)
            (index := TopicIndex()).add_all(rows, array("q", map(cols.doc.__getitem__, slots)))
            self._topics = index  # from here, every segment read adds its rows' topics
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
            if article.keys is not None:  # computed by the worker that parsed it
                canon, chash = article.keys
            else:
                canon, chash = canonical_link(article.link), content_hash(article.title, article.text)
            aid = article.id or article_id(link=article.link, guid=article.guid, chash=chash)
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
                "tk": _KIND_CODES[article.text_kind],
            }
            if canon != article.link:  # stored only when it differs: most links are canonical
                row["canon"] = canon
            body = {
                "text": article.text,
                "author": article.author,
                "facts": data["facts"] if data else article.facts.to_dict() if article.facts else None,
                "extra": article.extra,
            }
            if article.lede is not None:
                body["lede"] = article.lede
            if article.page is not None:
                body["page"] = article.page.to_dict()
            rows.setdefault(segment, []).append(Document(row, doc_id=doc_id))
            bodies.setdefault(segment, []).append(Document(body, doc_id=doc_id))
            known.update(d for d in record if d)
            records.append(record)
            if self._dedupe is not None:
                for key in _keys_of(article.guid, article.link, chash):
                    self._dedupe.setdefault(key, aid)
            fresh = len(self._cols.doc)
            if self._cols.put(doc_id, row) >= fresh:  # provisional: undone by _reload_after_failure
                self._members.setdefault(segment, array("I")).append(fresh)
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
        self._order = None
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
        slot = self._slot(aid)
        if slot is None:
            raise StoreError(f"no article with id {aid}")
        doc_id = _doc_id(aid)
        body_fields: dict[str, Any] = {}
        if text is not None:
            body_fields["text"] = text
        if facts is not None:
            body_fields["facts"] = facts.to_dict()
        index_fields: dict[str, Any] = {}
        if facts is not None:
            from briefing.core.models.article import Article

            tags = tuple(self._cols.tags(slot))
            bare = Article(id=aid, title="", text="", tags=tags, facts=facts)
            index_fields["topics"] = topics_of(bare)
            index_fields["topic_links"] = links_of(bare)
        if facts_version is not None:
            index_fields["fv"] = facts_version
        if cluster is not None:
            index_fields["cluster"] = cluster
        segment = self._cols.seg[slot]
        with self.batch():
            if body_fields:
                _patch(self._body_db(segment), "bodies", {doc_id: body_fields})
            if index_fields:
                _patch(self._index_db(segment), "articles", {doc_id: index_fields})
        row = self._refresh_rows([aid])[aid]
        # Patch the in-memory views instead of rebuilding them: cost per article, not per store.
        if "topics" in index_fields and self._topics is not None:
            self._topics.remove(aid)
            self._topics.add(aid, ((n, k) for n, k in row["topics"]), row.get("ts") or 0.0,
                             links=row.get("topic_links", ()))

    @_locked
    def set_facts(self, done: Mapping[str, PreparedData], version: str) -> list[str]:
        """The facts (and the topics they give) of many articles, in one batch: the commit
        of one step of enrichment. Returns the ids updated (an article pruned meanwhile is
        skipped)."""
        updated: list[str] = []
        with self.batch():
            bodies: dict[int, dict[int, dict[str, Any]]] = {}
            rows: dict[int, dict[int, dict[str, Any]]] = {}
            cols = self._cols
            for aid, data in done.items():
                slot = self._slot(aid)
                if slot is None:
                    continue
                segment, doc_id = cols.seg[slot], _doc_id(aid)
                named = {n for n, _ in data["topics"]}
                topics = data["topics"] + [[t, "tag"] for t in cols.tags(slot) if t not in named]
                bodies.setdefault(segment, {})[doc_id] = {"facts": data["facts"]}
                links = data.get("topic_links", [])
                rows.setdefault(segment, {})[doc_id] = {"topics": topics, "topic_links": links, "fv": version}
                updated.append(aid)
            for segment, changes in bodies.items():
                _patch(self._body_db(segment), "bodies", changes)
            for segment, changes in rows.items():
                _patch(self._index_db(segment), "articles", changes)
        for aid, row in self._refresh_rows(updated).items():
            if self._topics is not None:
                self._topics.remove(aid)
                self._topics.add(aid, ((n, k) for n, k in row["topics"]), row.get("ts") or 0.0,
                                 links=row.get("topic_links", ()))
        return updated

    def _refresh_rows(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Articles' rows read back from their (just written) segments into the columns,
        each segment parsed once: a batch of 100 parsed its segment 100 times, the most
        the store cost an ingest."""
        cols = self._cols
        slots = [slot for aid in ids if (slot := cols.slot(_doc_id(aid))) is not None]
        slots.sort(key=lambda slot: cols.seg[slot])
        rows: dict[str, dict[str, Any]] = {}
        for segment, group in groupby(slots, key=lambda slot: cols.seg[slot]):
            storage = _storage(self._index_db(segment))
            stored = (storage.read() or {})["articles"]
            for slot in group:
                doc_id = cols.doc[slot]
                row = stored[str(doc_id)]
                cols.put(doc_id, row)
                rows[cols.aid(slot)] = row
            self._uncache(storage)
        return rows

    @_locked
    def remove_articles(self, ids: Iterable[str]) -> tuple[int, int]:
        """Remove articles for good (retention); returns how many and the bytes their stored
        form took. Their keys are remembered first, so no feed brings them back; then their
        index rows go (the commit point: they leave every list), then bodies and flags (a
        kill between leaves only orphan bodies, swept by the next removal)."""
        with self.batch():
            rows = self._raw_rows(ids)
            if not rows:
                return 0, 0
            records = [_record(r["id"], r.get("guid"), r.get("canon", r.get("link")), r.get("hash"))
                       for r in rows]
            self._bury(records)
            by_segment: dict[int, list[int]] = {}
            for row in rows:
                by_segment.setdefault(int(row["seg"]), []).append(_doc_id(row["id"]))
            size = 0
            for segment, doc_ids in by_segment.items():
                size += _drop(self._index_db(segment), "articles", doc_ids)
            self._write_summary(by_segment)
            for row in rows:
                doc_id = _doc_id(row["id"])
                self._cols.drop(doc_id)  # its slot stays in _members, dead
                if self._topics is not None:
                    self._topics.remove(row["id"])
            self._order = None
            self._dedupe = None
        with self.batch():
            for segment, doc_ids in by_segment.items():
                size += _drop(self._body_db(segment), "bodies", doc_ids)
            for row in rows:
                doc_id = _doc_id(row["id"])
                _drop(self._state_db(_shard_of(row["id"])), "flags", [doc_id])
            self._sweep_orphans(by_segment)
        self._known = None
        self._forget_keys(records)  # keys.bin must count what the index holds
        return len(rows), size

    @_locked
    def stored_size(self, aid: str) -> int:
        """Bytes an article's index row and body take in the store's files."""
        row = self._raw_row(aid)
        if row is None:
            return 0
        body = ((_storage(self._body_db(int(row["seg"]))).read() or {}).get("bodies") or {}).get(
            str(_doc_id(aid)), {})
        return len(dump_bytes(row)) + len(dump_bytes(body))

    def _sweep_orphans(self, segments: Iterable[int]) -> None:
        """Bodies whose index rows are gone (a removal killed halfway): drop them too."""
        for segment in segments:
            index = (_storage(self._index_db(segment)).read() or {}).get("articles") or {}
            bodies = (_storage(self._body_db(segment)).read() or {}).get("bodies") or {}
            orphans = [int(k) for k in bodies if k not in index]
            if orphans:
                _drop(self._body_db(segment), "bodies", orphans)

    @_locked
    def set_clusters(self, clusters: Mapping[str, str]) -> None:
        """Story cluster ids of many articles: one write per index segment.

        A refresh of 10,000 articles names 10,000 clusters; through `update_article`
        that was 10,000 table updates, a tenth of the refresh's clustering time.
        """
        cols = self._cols
        by_segment: dict[int, dict[int, dict[str, Any]]] = {}
        slots: dict[int, str] = {}
        for aid, cluster in clusters.items():
            slot = self._slot(aid)
            if slot is None:
                raise StoreError(f"no article with id {aid}")
            by_segment.setdefault(cols.seg[slot], {})[_doc_id(aid)] = {"cluster": cluster}
            slots[slot] = cluster
        with self.batch():
            for segment, changes in by_segment.items():
                _patch(self._index_db(segment), "articles", changes)
        for slot, cluster in slots.items():
            cols.set_cluster(slot, cluster)

    @_locked
    def unextracted(self) -> list[str]:
        """Ids of articles stored without facts yet (phase 2 pending), newest first."""
        self._ensure_all()
        cols = self._cols
        slots = [slot for slot in cols.slots() if cols.version[slot] < 0]
        slots.sort(key=lambda s: cols.when(s) or cols.stored(s) or 0.0, reverse=True)
        return [cols.aid(s) for s in slots]

    @_locked
    def stale_facts(self, version: str) -> list[str]:
        """Ids of articles whose facts came from another engine version (newest first)."""
        self._ensure_all()
        cols = self._cols
        number = cols.names.numbers.get(version, -2)
        slots = [slot for slot in cols.slots() if cols.version[slot] != number]
        slots.sort(key=lambda s: cols.when(s) or 0.0, reverse=True)
        return [cols.aid(s) for s in slots]


    # -- full text: text kinds and the pages of summary-only articles ----------------------

    @_locked
    def full_text_candidates(
        self, feeds: Iterable[str] | None = None, *, since: float | None = None
    ) -> list[str]:
        """Ids of summary-only articles whose page is still worth a try (not given up), of
        `feeds` (None: any feed) stored or published since `since`, newest first."""
        from briefing.core.models.article import PAGE_FAILURES_MAX

        self._ensure_all()
        cols = self._cols
        wanted = {cols.names.numbers.get(f, -2) for f in feeds} if feeds is not None else None
        slots = [slot for slot in cols.slots()
                 if cols.kind[slot] == KIND_SUMMARY and cols.failures[slot] < PAGE_FAILURES_MAX
                 and (wanted is None or cols.feed[slot] in wanted)
                 and (since is None or (cols.when(slot) or cols.stored(slot) or 0.0) >= since)]
        slots.sort(key=lambda s: cols.when(s) or cols.stored(s) or 0.0, reverse=True)
        return [cols.aid(s) for s in slots]

    @_locked
    def unclassified(self, *, since: float | None = None) -> list[str]:
        """Ids of feed articles stored before text kinds were recorded (no `tk`)."""
        self._ensure_all()
        cols = self._cols
        skip = {cols.names.numbers.get("import", -2), -1}
        return [cols.aid(slot) for slot in cols.slots()
                if cols.kind[slot] == 0 and cols.feed[slot] not in skip and not cols.sample[slot]
                and (since is None or (cols.when(slot) or cols.stored(slot) or 0.0) >= since)]

    @_locked
    def set_text_kinds(self, kinds: Mapping[str, TextKind]) -> None:
        """Record what the stored texts are (articles stored before text kinds were)."""
        changes: dict[int, dict[int, dict[str, Any]]] = {}
        for aid, kind in kinds.items():
            if (slot := self._slot(aid)) is not None:
                changes.setdefault(self._cols.seg[slot], {})[_doc_id(aid)] = {"tk": _KIND_CODES[kind]}
        if not changes:
            return
        with self.batch():
            for segment, fields in changes.items():
                _patch(self._index_db(segment), "articles", fields)
        self._refresh_rows(aid for aid in kinds if self._slot(aid) is not None)

    def pages_of(self, ids: Iterable[str]) -> Iterator[tuple[str, str | None, str, str | None, PageState]]:
        """(id, link, stored text, lede, page state) of many articles, a body segment at a time."""
        from briefing.core.models.article import PageState

        cols = self._cols
        for slot, stored in self._bodies_of(ids):
            lede = stored.get("lede")
            yield (cols.aid(slot), cols.link(slot), str(stored.get("text", "")),
                   lede if isinstance(lede, str) else None, PageState.from_dict(stored.get("page")))

    @_locked
    def save_pages(self, states: Mapping[str, PageState], texts: Mapping[str, NewText] | None = None
                   ) -> list[str]:
        """The outcome of fetching articles' pages, in one batch. Every article in `states`
        gets its page state; those in `texts` also their new text and the feed's summary as
        their lede: they become full text, their facts pending again (made from the new text
        by `ingest.enrich`), and an undated one takes the page's date. Returns the ids
        written (one pruned meanwhile is skipped)."""
        texts = texts or {}
        cols = self._cols
        bodies: dict[int, dict[int, dict[str, Any]]] = {}
        rows: dict[int, dict[int, dict[str, Any]]] = {}
        written: list[str] = []
        dated: list[str] = []
        for aid, state in states.items():
            slot = self._slot(aid)
            if slot is None:
                continue
            segment, doc_id = cols.seg[slot], _doc_id(aid)
            body: dict[str, Any] = {"page": state.to_dict()}
            fields: dict[str, Any] = {"fx": state.failures}
            if (new := texts.get(aid)) is not None:
                body.update(text=new.text, lede=new.lede, facts=None)
                fields.update(tk="f", fv=None)
                if cols.when(slot) is None and new.published is not None:
                    fields["ts"] = new.published.timestamp()
                    dated.append(aid)
            bodies.setdefault(segment, {})[doc_id] = body
            rows.setdefault(segment, {})[doc_id] = fields
            written.append(aid)
        if not written:
            return written
        with self.batch():
            for segment, changes in bodies.items():
                _patch(self._body_db(segment), "bodies", changes)
            for segment, changes in rows.items():
                _patch(self._index_db(segment), "articles", changes)
            if dated:
                self._write_summary(rows)
        for aid, row in self._refresh_rows(written).items():
            if aid in dated and self._topics is not None:
                self._topics.remove(aid)
                self._topics.add(aid, ((n, k) for n, k in row.get("topics", ())), row.get("ts") or 0.0,
                                 links=row.get("topic_links", ()))
        if dated:
            self._order = None  # a new date moves the article in the list
        return written


class MetaList(Sequence[ArticleMeta]):
    """The store's articles in an order, built into ArticleMeta one at a time when read."""

    __slots__ = ("_store", "_order")

    def __init__(self, store: Store, order: array[int]) -> None:
        self._store = store
        self._order = order

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> ArticleMeta: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleMeta]: ...

    def __getitem__(self, index: int | slice) -> ArticleMeta | list[ArticleMeta]:
        meta = self._store._meta_at
        if isinstance(index, slice):
            with self._store.mutex:
                return [meta(slot) for slot in self._order[index]]
        return meta(self._order[index])

    def __iter__(self) -> Iterator[ArticleMeta]:
        meta = self._store._meta_at
        for start in range(0, len(self._order), 4096):  # the lock a block at a time, not per item
            with self._store.mutex:
                block = [meta(slot) for slot in self._order[start:start + 4096]]
            yield from block

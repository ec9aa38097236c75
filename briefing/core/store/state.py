"""Small state beside the articles: read/starred flags, feed state, store info, UI state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tinydb.table import Document

from briefing.core.store.base import StoreBase, _doc_id, _locked, _shard_of, _storage

if TYPE_CHECKING:
    from briefing.core.models.feeds import FeedState


class StateMixin(StoreBase):
    """Flags in 16 shards (marking read rewrites one), everything else in store.json."""

    def _set_flag(self, ids: Iterable[str], flag: str, value: bool) -> None:
        """One write per shard, however many articles: marking 50,000 read through one
        upsert each rewrote a shard table 50,000 times."""
        with self.batch():
            by_shard: dict[int, list[str]] = {}
            for aid in ids:
                if self._slot(aid) is not None:
                    by_shard.setdefault(_shard_of(aid), []).append(aid)
            for shard, aids in by_shard.items():
                storage = _storage(self._state_db(shard))
                data = storage.read() or {}
                docs = data.setdefault("flags", {})
                changed = False
                for aid in aids:
                    key = str(_doc_id(aid))
                    current = docs.get(key) if isinstance(docs.get(key), dict) else {}
                    if bool(current.get(flag)) == value:
                        continue
                    docs[key] = {**current, "id": aid, flag: 1 if value else 0}
                    changed = True
                if changed:
                    storage.write(data)

    @_locked
    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self._set_flag(ids, "r", read)

    @_locked
    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self._set_flag(ids, "s", starred)

    # -- feeds, store info and UI state ------------------------------------------------

    @_locked
    def feed_states(self) -> dict[str, FeedState]:
        """Caching info and last errors, keyed by feed URL."""
        from briefing.core.models.feeds import FeedState

        return {
            row["url"]: FeedState.from_dict(row) for row in self._raw_table("feeds").values() if "url" in row
        }

    @_locked
    def save_feed_states(self, states: Iterable[FeedState]) -> None:
        with self.batch():
            table = self._main.table("feeds")
            existing = {row.get("url"): int(k) for k, row in self._raw_table("feeds").items()}
            next_id = max(existing.values(), default=0) + 1
            for state in states:
                doc_id = existing.get(state.url)
                if doc_id is None:
                    doc_id = existing[state.url] = next_id
                    next_id += 1
                table.upsert(Document(state.to_dict(), doc_id=doc_id))

    @_locked
    def host_waits(self) -> dict[str, datetime]:
        """Hosts that asked (429/503 Retry-After) that no page be fetched before a time."""
        from briefing.core.models.feeds import _parse_iso

        waits: dict[str, datetime] = {}
        for row in self._raw_table("hosts").values():
            until = _parse_iso(row.get("until"))
            if isinstance(row.get("host"), str) and until is not None:
                waits[row["host"]] = until
        return waits

    @_locked
    def save_host_waits(self, waits: Mapping[str, datetime], now: datetime) -> None:
        """Add hosts' waits to those kept; those already over by `now` are dropped."""
        merged = {host: until for host, until in {**self.host_waits(), **waits}.items() if until > now}
        if merged == self.host_waits():
            return
        with self.batch():
            table = self._main.table("hosts")
            table.truncate()
            for number, (host, until) in enumerate(sorted(merged.items()), start=1):
                table.insert(Document({"host": host, "until": until.isoformat()}, doc_id=number))

    @_locked
    def count_by_feed(self) -> dict[str, int]:
        self._ensure_all()
        cols = self._cols
        numbers: dict[int, int] = {}
        feed = cols.feed
        for slot in cols.slots():
            numbers[feed[slot]] = numbers.get(feed[slot], 0) + 1
        return {cols.names.value(n) or "": count for n, count in numbers.items()}

    @_locked
    def info(self) -> dict[str, Any]:
        """The store's own record: schema version, whether samples were loaded, ..."""
        doc = self._raw_table("meta").get("1")
        return dict(doc) if isinstance(doc, dict) else {}

    @_locked
    def set_info(self, **values: Any) -> None:
        with self.batch():
            self._main.table("meta").update(values, doc_ids=[1])

    @_locked
    def ui_state(self) -> dict[str, Any]:
        doc = self._raw_table("ui").get("1")
        return dict(doc) if isinstance(doc, dict) else {}

    @_locked
    def save_ui_state(self, state: dict[str, Any]) -> None:
        """Replace (not merge) the reader's saved state: filters, panes, ..."""
        if state == self.ui_state():
            return
        with self.batch():
            table = self._main.table("ui")
            table.truncate()
            table.insert(Document(state, doc_id=1))

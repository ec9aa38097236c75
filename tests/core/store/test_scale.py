"""The store's compact structures against the plain ones they replace: what another
process wrote is seen, and the lookups agree after loads, removals and reloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing.core.models.article import Article
from briefing.core.store.base import SEGMENT_SIZE
from briefing.core.store.store import Store


def make(i: int, **kw: object) -> Article:
    base: dict[str, object] = dict(
        id="", title=f"Story {i}", text=f"Body of story {i}. " * 3, link=f"https://news.example/{i}",
        guid=f"guid-{i}", published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i),
        feed="wire", source="Wire",
    )
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_a_reader_sees_the_segments_another_process_started(tmp_path: Path) -> None:
    with Store.open(tmp_path) as writer:
        writer.add_articles([make(i) for i in range(10)])
        with Store.open(tmp_path) as reader:
            assert len(reader) == 10
            more = SEGMENT_SIZE * 2
            writer.add_articles([make(i) for i in range(10, 10 + more)])
            assert reader.poll_changes()
            assert len(reader) == 10 + more
            assert reader.recent(1)[0].title == f"Story {9 + more}"
            newest = reader.recent(1)[0].id
            reader.set_read([newest])  # its batch builds on what the writer wrote
            writer.poll_changes()
            assert writer.meta(newest).read  # type: ignore[union-attr]
            assert not reader.poll_changes()


def test_rows_read_again_after_another_process_rewrote_their_segment(tmp_path: Path) -> None:
    with Store.open(tmp_path) as writer:
        ids = list(writer.add_articles([make(i) for i in range(SEGMENT_SIZE + 5)]).added)
        with Store.open(tmp_path) as reader:
            assert len(reader) == len(ids)
            writer.set_clusters({ids[0]: "c1", ids[-1]: "c2"})
            writer.remove_articles([ids[1]])
            assert reader.poll_changes()
            assert len(reader) == len(ids) - 1
            assert reader.meta(ids[1]) is None
            assert reader.meta(ids[0]).cluster == "c1"  # type: ignore[union-attr]
            assert reader.cluster_sizes() == {"c1": 1, "c2": 1}
            assert [a.id for a in reader.articles()] == [a.id for a in writer.articles()]

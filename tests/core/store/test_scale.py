"""The store's compact structures against the plain ones they replace: what another
process wrote is seen, and the lookups agree after loads, removals and reloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing.core.models.article import Article
from briefing.core.models.meta import ArticleMeta
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


def _topics_view(index: object) -> dict[str, tuple[str, frozenset[str]]]:
    from briefing.core.stories.topics import TopicIndex

    assert isinstance(index, TopicIndex)
    return {k: (t.name, frozenset(t.articles)) for k, t in index.topics.items()}


def test_the_topic_index_kept_current_is_the_one_read_back_from_disk(tmp_path: Path) -> None:
    from briefing.core.models.facts import Entity, Facts

    people = ["Recep Tayyip Erdoğan", "Vladimir Putin", "Olaf Scholz", "Emmanuel Macron"]

    def facts(i: int) -> Facts:
        chosen = [people[i % 4], people[(i * 3 + 1) % 4]]
        return Facts(title=f"Story {i}", entities=tuple(Entity(p, "person") for p in chosen),
                     topics=(*chosen, "Turkey" if i % 2 else "Syria"))

    with Store.open(tmp_path) as store:
        first = [make(i, facts=facts(i), tags=("news",)) for i in range(SEGMENT_SIZE + 40)]
        ids = list(store.add_articles(first).added)
        live = store.topic_index()  # kept current from here on
        store.add_articles([make(i, facts=facts(i)) for i in range(1000, 1030)])
        store.update_article(ids[3], facts=Facts(topics=("New Topic",)))
        store.remove_articles(ids[10:20])
        kept = _topics_view(live)
        filtered = live.matching(["turkey", "vladimir putin"])
        by_article = {aid: live.by_article[aid] for aid in live.by_article}
    with Store.open(tmp_path) as store:
        fresh = store.topic_index()
        assert _topics_view(fresh) == kept
        assert fresh.matching(["turkey", "vladimir putin"]) == filtered
        assert {aid: fresh.by_article[aid] for aid in fresh.by_article} == by_article
        assert fresh.get("New Topic").articles == {ids[3]}  # type: ignore[union-attr]
        assert not any(ids[15] in t.articles for t in fresh.topics.values())


def test_articles_between_reads_the_segments_near_the_spans_whatever_is_loaded(tmp_path: Path) -> None:
    hour = 3600.0
    with Store.open(tmp_path) as store:
        store.add_articles([make(i) for i in range(SEGMENT_SIZE * 3)])
        store.add_articles([make(i, published=None) for i in range(5000, 5010)])  # stored now
        start = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
        spans = [(start + 10 * hour, start + 20 * hour), (start + 900 * hour, start + 1000.5 * hour)]

        def expected(metas: list[ArticleMeta]) -> set[str]:
            return {m.id for m in metas if any(a <= (m.ts or m.fetched or 0.0) <= b for a, b in spans)}

        cold = {m.id for m in store.articles_between(spans)}
        everything = list(store.articles())
        assert cold == expected(everything) and len(cold) == 11 + 101
        assert {m.id for m in store.articles_between(spans)} == cold  # all loaded now
        now = store.articles()[0].fetched or 0.0
        assert {m.title for m in store.articles_between([(now - 60, now + 60)])} == {
            f"Story {i}" for i in range(5000, 5010)}

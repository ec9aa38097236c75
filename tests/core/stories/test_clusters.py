"""Story clusters: same-story groups form one cluster, different events do not, and the
work at ingest is bounded by the date window, not the store size."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.core.ingest.pipeline import facts_version, ingest, store_articles, with_id
from briefing.core.models.article import Article
from briefing.core.models.facts import Entity, Facts
from briefing.core.models.meta import ArticleMeta
from briefing.core.store.store import Store
from briefing.core.stories import clusters
from briefing.core.stories.clusters import assign_clusters, cluster_of, group_by_story, tokens
from tests.core.stories.cluster_corpus import DIFFERENT_EVENTS, SAMPLE_STORIES, load_corpus, pairwise_scores


@pytest.fixture(scope="module")
def corpus_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Store, dict[str, str], dict[str, str]]]:
    """The labelled corpus in one ingest, newest first: clustering must place it oldest first
    itself (bench/clusters.py ingests day by day, like refreshes)."""
    articles, story = load_corpus()
    articles.sort(key=lambda item: (item[1].published.timestamp() if item[1].published else 0.0, item[0]))
    articles.reverse()
    store = Store.open(tmp_path_factory.mktemp("corpus"))
    result = ingest(store, [a for _, a in articles])
    assert len(result.added) == len(articles)
    id_of = {key: aid for (key, _), aid in zip(articles, result.added, strict=True)}
    yield store, id_of, story
    store.close()


def _cluster(store: Store, aid: str) -> str | None:
    meta = store.meta(aid)
    assert meta is not None
    return meta.cluster


def test_tokens_fold_stem_and_drop_stopwords() -> None:
    assert tokens("Erdoğan's talks with the Presidents in Sochi, Oct. 22") == [
        "erdogan", "talk", "president", "sochi"]


def test_every_article_gets_a_cluster_and_singletons_their_own_id(corpus_store) -> None:
    store, id_of, story = corpus_store
    metas = store.articles()
    assert len(metas) == len(story)
    assert all(m.cluster for m in metas)
    seed = id_of["articles/putin-turkey.txt"]
    assert _cluster(store, seed) == seed


@pytest.mark.parametrize("name", sorted(SAMPLE_STORIES))
def test_same_story_groups_form_one_cluster(corpus_store, name: str) -> None:
    store, id_of, _ = corpus_store
    found = {_cluster(store, id_of[key]) for key in SAMPLE_STORIES[name]}
    assert len(found) == 1, f"{name} split into {found}"
    first = min(SAMPLE_STORIES[name], key=lambda k: (store.meta(id_of[k]).ts, id_of[k]))
    assert found == {id_of[first]}, "a story is named after its first article"


@pytest.mark.parametrize("pair", DIFFERENT_EVENTS, ids=[p[2].split(":")[0] for p in DIFFERENT_EVENTS])
def test_different_events_with_the_same_people_stay_apart(corpus_store, pair: list[str]) -> None:
    store, id_of, _ = corpus_store
    a, b, why = pair
    assert _cluster(store, id_of[a]) != _cluster(store, id_of[b]), why


def test_the_three_stories_do_not_absorb_other_articles(corpus_store) -> None:
    store, id_of, story = corpus_store
    key_of = {aid: key for key, aid in id_of.items()}
    groups = group_by_story(store.articles())
    for name, keys in SAMPLE_STORIES.items():
        members = groups[_cluster(store, id_of[keys[0]]) or ""]
        assert {story[key_of[m.id]] for m in members} == {name}


def test_pairwise_precision_and_recall_stay_high(corpus_store) -> None:
    store, id_of, story = corpus_store
    key_of = {aid: key for key, aid in id_of.items()}
    predicted = {key_of[m.id]: cluster_of(m) for m in store.articles()}
    precision, recall, *_ = pairwise_scores(story, predicted)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def _report(title: str, text: str, source: str, when: datetime, slug: str) -> Article:
    return Article(id="", title=title, text=text, source=source, feed="test",
                   link=f"https://example.test/{slug}", published=when)


_MEETING = (
    "Prime Minister Kyriakos Mitsotakis of Greece met President Recep Tayyip Erdoğan of Turkey in Ankara "
    "on Tuesday to discuss drilling rights off Cyprus and the maritime memorandum Turkey signed with Libya. "
    "The two leaders agreed to reopen exploratory talks on the continental shelf, officials said. "
    "Greek officials called the tone constructive but said the memorandum remained void under international "
    "law. Turkish officials said Ankara would keep its survey ships in the area."
)


def test_later_reports_join_the_story_and_a_meeting_a_week_later_does_not(tmp_path: Path) -> None:
    day = datetime(2020, 3, 3, 12, tzinfo=UTC)
    with Store.open(tmp_path) as store:
        first = ingest(store, [_report("Mitsotakis and Erdoğan meet in Ankara over Cyprus drilling",
                                       _MEETING, "Outlet A", day, "a")]).added[0]
        assert _cluster(store, first) == first
        # another outlet, the next morning, reworded and reordered: the same story
        sentences = _MEETING.split(". ")
        rewritten = ". ".join([sentences[0], sentences[3], sentences[1]]).replace("said", "stated")
        second = ingest(store, [_report("Greek and Turkish leaders agree to reopen shelf talks", rewritten,
                                        "Outlet B", day + timedelta(hours=20), "b")]).added[0]
        assert _cluster(store, second) == first
        # the same people and places a week later: a different meeting, a new story
        later = ingest(store, [_report("Mitsotakis and Erdoğan meet in Ankara over Cyprus drilling",
                                       _MEETING.replace("Tuesday", "Monday"), "Outlet C",
                                       day + timedelta(days=7), "c")]).added[0]
        assert _cluster(store, later) == later
        # and an unrelated piece the same day stays alone
        other = ingest(store, [_report("Central bank holds rates", "The central bank of Norway kept its "
                                       "policy rate unchanged on Tuesday, citing slowing inflation.",
                                       "Outlet B", day, "d")]).added[0]
        assert _cluster(store, other) == other


def test_clusters_survive_reopening_the_store(tmp_path: Path) -> None:
    day = datetime(2020, 3, 3, 12, tzinfo=UTC)
    original = _report("Mitsotakis and Erdoğan meet in Ankara", _MEETING, "A", day, "a")
    with Store.open(tmp_path) as store:
        first = ingest(store, [original]).added[0]
    with Store.open(tmp_path) as store:  # a new process: the index is rebuilt from the store
        reworded = _MEETING.replace("said", "stated")
        again = ingest(store, [_report("Leaders of Greece and Turkey meet", reworded, "B",
                                       day + timedelta(hours=3), "b")]).added[0]
        assert _cluster(store, again) == first
        assert ingest(store, [original]).added == (), "an exact duplicate is never stored twice"


_SYLLABLES = ["vel", "mar", "tor", "qua", "zen", "lox", "pra", "dun", "ser", "bik", "nol", "fep",
              "gra", "hun", "jiv", "kol", "ret", "sab", "tym", "wod"]
_WORDS = [a + b for a in _SYLLABLES for b in _SYLLABLES]  # 400 made-up words
_NAMES = [f"{a.title()}{b} {c.title()}ov" for a, b, c in zip(_WORDS, _SYLLABLES * 20, reversed(_WORDS),
                                                               strict=True)]


def _synthetic(rng: random.Random, i: int, when: datetime) -> Article:
    words = rng.sample(_WORDS, 14)
    names = rng.sample(_NAMES, 3)
    text = " ".join(f"{names[j % 3]} said {words[j]} {words[j + 1]} {words[j + 2]}." for j in range(10))
    facts = Facts(title=" ".join(words[:5]), topics=tuple(names),
                  entities=tuple(Entity(n, "person") for n in names))
    return Article(id="", title=" ".join(words[:5]), text=text, source=f"Outlet {i % 7}", feed="test",
                   link=f"https://example.test/{i}", published=when, facts=facts,
                   extra={"facts_version": facts_version()})  # its facts are this engine's


def test_ingesting_100_into_5000_compares_only_within_the_window(tmp_path: Path) -> None:
    rng = random.Random(5)
    start = datetime(2018, 1, 1, tzinfo=UTC)
    stored = [_synthetic(rng, i, start + timedelta(hours=2.4 * i)) for i in range(5000)]  # 10 a day
    with Store.open(tmp_path) as store:
        store.add_articles(stored)  # bulk-loaded: no clusters yet, like a store from before clustering
        new = [_synthetic(rng, 10_000 + i, start + timedelta(days=rng.uniform(0, 500))) for i in range(99)]
        target = stored[3210]
        copy = replace(target, link="https://example.test/copy", source="Another outlet",
                       text=target.text.replace(" said ", " stated "),
                       published=(target.published or start) + timedelta(hours=5))
        before = clusters.STATS.comparisons
        added = ingest(store, [*new, copy]).added
        compared = clusters.STATS.comparisons - before
        assert len(added) == 100
        assert 0 < compared < 100 * 5000 // 50, compared  # a window of days, not the store
        target_id = store.find_duplicate(target)
        assert target_id is not None
        assert _cluster(store, added[-1]) == target_id == _cluster(store, target_id)
        assert all(_cluster(store, aid) == aid for aid in added[:-1])


def test_assign_clusters_with_nothing_new_does_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert assign_clusters(store, []) == []


def test_a_batch_larger_than_the_feature_cache_reads_no_body_back(tmp_path: Path, monkeypatch) -> None:
    """Features of the batch come from the text in hand and stay for the whole batch."""
    rng = random.Random(7)
    start = datetime(2018, 1, 1, tzinfo=UTC)
    batch = [with_id(_synthetic(rng, i, start + timedelta(hours=i))) for i in range(40)]
    batch.append(replace(batch[3], link="https://example.test/copy", source="Another outlet",
                         text=batch[3].text.replace(" said ", " stated "), id=""))
    batch[-1] = with_id(batch[-1])
    monkeypatch.setattr(clusters, "FEATURE_CACHE", 4)
    with Store.open(tmp_path) as store:
        added = store.add_articles(batch).added
        assert len(added) == 41
        reads: list[str] = []
        text_of = store.text_of

        def reading(aid: str) -> str | None:
            reads.append(aid)
            return text_of(aid)

        monkeypatch.setattr(store, "text_of", reading)
        assign_clusters(store, added, {a.id: a.text for a in batch})
        assert reads == []
        assert _cluster(store, added[-1]) == _cluster(store, added[3])


def test_candidates_are_the_heaviest_shared_keys_ties_by_id() -> None:
    """The cut at the limit-th weight keeps exactly what sorting every candidate kept."""
    rng = random.Random(11)
    index = clusters.ClusterIndex()
    words, people = _WORDS[:30], _NAMES[:20]
    for i in range(600):
        topics = tuple((name, "person") for name in rng.sample(people, 3))
        meta = ArticleMeta(id=f"{i:012x}", title=" ".join(rng.sample(words, 4)), source=None, feed=None,
                           link=None, ts=float(i * 600), topics=topics, sample=False, cluster=None)
        index.add(meta, float(i * 600))
    window = 2 * 86400.0
    for aid in list(index.entries)[::37]:
        entry = index.entries[aid]
        weight: dict[str, float] = {}
        for key in entry.keys:
            within = [o for t, o in index.postings[key] if abs(t - entry.ts) <= window]
            for other in within:
                weight[other] = weight.get(other, 0.0) + index.idf(key)
        weight.pop(aid)
        expected = sorted(weight, key=lambda o: (-weight[o], o))
        for limit in (1, 5, 12):
            assert index.candidates(aid, window=window, limit=limit) == expected[:limit]


def test_uncovered_and_union_of_spans() -> None:
    covered = [(10.0, 20.0), (30.0, 40.0)]
    assert clusters._uncovered([(0.0, 5.0)], covered) == [(0.0, 5.0)]
    assert clusters._uncovered([(12.0, 18.0)], covered) == []
    assert clusters._uncovered([(5.0, 35.0)], covered) == [(5.0, 10.0), (20.0, 30.0)]
    assert clusters._uncovered([(15.0, 50.0), (60.0, 70.0)], covered) == [(20.0, 30.0), (40.0, 50.0),
                                                                          (60.0, 70.0)]
    assert clusters._uncovered([(0.0, 5.0)], []) == [(0.0, 5.0)]
    assert clusters._union(covered, [(18.0, 25.0), (50.0, 60.0)]) == [(10.0, 25.0), (30.0, 40.0),
                                                                     (50.0, 60.0)]


def test_one_index_serves_batches_far_apart_in_time(tmp_path: Path, monkeypatch) -> None:
    """A refresh's index, extended batch by batch, finds stored stories around each batch's
    dates, including dates the first batch did not cover."""
    monkeypatch.setattr(clusters, "MIN_IDF_ARTICLES", 1)  # no widening: the spans stay a month
    rng = random.Random(9)
    now = datetime(2020, 6, 1, tzinfo=UTC)
    old = [_synthetic(rng, i, now - timedelta(days=400, hours=3 * i)) for i in range(20)]
    recent = [_synthetic(rng, 100 + i, now - timedelta(hours=5 * i)) for i in range(20)]
    with Store.open(tmp_path) as store:
        store.add_articles(old + recent)  # stored before clustering
        index = clusters.ClusterIndex()

        def copy_of(article: Article, slug: str) -> Article:
            return replace(article, link=f"https://example.test/{slug}", source="Another outlet",
                           text=article.text.replace(" said ", " stated "),
                           published=(article.published or now) + timedelta(hours=2))

        first = ingest_with(store, [copy_of(recent[4], "a")], index)
        covered = list(index.covered)
        second = ingest_with(store, [copy_of(old[7], "b")], index)
        assert index.covered != covered, "the second batch's dates were read"
        assert _cluster(store, first) == store.find_duplicate(recent[4])
        assert _cluster(store, second) == store.find_duplicate(old[7])
        again = copy_of(recent[4], "c")
        third = ingest_with(store, [replace(again, text=again.text + " More soon.")], index)
        assert _cluster(store, third) == _cluster(store, first), "earlier batches are in the index"


def ingest_with(store: Store, articles: list[Article], index: clusters.ClusterIndex) -> str:
    from briefing.core.ingest.enrich import place

    added = store_articles(store, [with_id(a) for a in articles]).added
    assert len(added) == 1
    place(store, added, stories=index, texts={a.id: a.text for a in articles})
    return added[0]


def test_a_window_added_at_once_indexes_as_one_by_one(corpus_store) -> None:
    """`add_window` sorts postings once at the end; the index must be the one `add` builds."""
    store, _, _ = corpus_store
    metas = list(store.articles())
    assert len(metas) > 20
    rng = random.Random(7)
    rng.shuffle(metas)
    stamps = [(m, clusters._effective_ts(m)) for m in metas]
    one_by_one, at_once = clusters.ClusterIndex(), clusters.ClusterIndex()
    for meta, ts in stamps[:5]:  # some known before, as when a refresh's index grows
        one_by_one.add(meta, ts)
        at_once.add(meta, ts)
    for meta, ts in stamps[5:]:
        one_by_one.add(meta, ts)
    at_once.add_window(stamps[5:] + stamps[:3])
    assert at_once.postings == one_by_one.postings
    assert at_once.df == one_by_one.df and at_once.members == one_by_one.members
    assert {k: (e.ts, e.keys, e.source, e.cluster) for k, e in at_once.entries.items()} == {
        k: (e.ts, e.keys, e.source, e.cluster) for k, e in one_by_one.entries.items()}

"""The in-memory topic index behind the sidebar: folding, filters, co-occurrence, search."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from briefing.core.stories.topic_names import topics_of
from briefing.core.stories.topics import TopicIndex
from briefing.core.text.fold import fold_key

DAY = 86400.0


def build() -> TopicIndex:
    index = TopicIndex()
    index.add("a1", [("Recep Tayyip Erdoğan", "person"), ("S-400", "other"), ("Turkey", "place")], 10 * DAY)
    index.add("a2", [("Recep Tayyip Erdoğan", "person"), ("Vladimir Putin", "person"),
                     ("TurkStream", "other")], 9 * DAY)
    index.add("a3", [("S-400", "other"), ("turkey", "tag"), ("NATO", "organization")], 8 * DAY)
    index.add("a4", [("NATO", "organization"), ("united-states", "tag"), ("United States", "place")], 1 * DAY)
    return index


def test_fold_ignores_case_diacritics_and_separators() -> None:
    assert fold_key("Erdoğan") == fold_key("erdogan") == "erdogan"
    assert fold_key("İbrahim Kalın") == "ibrahim kalin"
    assert fold_key("united-states") == fold_key("United  States")
    assert fold_key("O’Brien") == fold_key("O'Brien")


def test_same_topic_spelled_differently_is_one_topic() -> None:
    index = build()
    turkey = index.get("TURKEY")
    assert turkey is not None and turkey.articles == {"a1", "a3"}
    assert turkey.name == "Turkey"  # the first spelling seen names it
    us = index.get("United States")
    assert us is not None and us.count == 1  # tag and entity of one article count once


def test_and_or_filters() -> None:
    index = build()
    keys = [fold_key("S-400"), fold_key("Turkey")]
    assert index.matching(keys) == {"a1", "a3"}
    assert index.matching([fold_key("S-400"), fold_key("Vladimir Putin")]) == set()
    assert index.matching([fold_key("S-400"), fold_key("Vladimir Putin")], mode="or") == {"a1", "a2", "a3"}
    assert index.matching([]) is None
    assert index.matching(["no such topic"]) == set()


def test_ranking_prefers_many_recent_articles() -> None:
    index = build()
    ranked = [t.name for t in index.ranked(now=10 * DAY)]
    assert ranked[:3] == ["Recep Tayyip Erdoğan", "S-400", "Turkey"]
    assert ranked.index("NATO") < ranked.index("Vladimir Putin")
    assert len(index.ranked(now=10 * DAY, limit=2)) == 2


def test_cooccurring_topics() -> None:
    index = build()
    pairs = [(t.name, n) for t, n in index.cooccurring(fold_key("S-400"))]
    assert pairs[0] == ("Turkey", 2)
    assert ("NATO", 1) in pairs and ("Recep Tayyip Erdoğan", 1) in pairs
    assert all(name != "S-400" for name, _ in pairs)


def test_fuzzy_search_is_diacritic_insensitive_and_ranked() -> None:
    index = build()
    assert [t.name for t in index.search("erdogan")] == ["Recep Tayyip Erdoğan"]
    assert [t.name for t in index.search("tur")][:2] == ["Turkey", "TurkStream"]
    assert "Vladimir Putin" in [t.name for t in index.search("vput")]  # subsequence
    assert index.search("") == []
    assert index.search("zzz") == []


def test_a_lone_surname_joins_the_one_person_of_that_name() -> None:
    index = TopicIndex()
    index.add("a1", [("Erdoğan", "person"), ("Incirlik", "place")], 1 * DAY)  # before the full name
    index.add("a2", [("Recep Tayyip Erdoğan", "person")], 2 * DAY)
    index.add("a3", [("Tayyip Erdoğan", "person"), ("Putin", "person")], 3 * DAY)
    index.add("a4", [("Vladimir Putin", "person")], 4 * DAY)
    erdogan = index.get("erdogan")
    assert erdogan is not None and erdogan.name == "Recep Tayyip Erdoğan"
    assert erdogan.articles == {"a1", "a2", "a3"}
    assert index.get("Tayyip Erdogan") is erdogan
    assert index.by_article["a1"] == ("recep tayyip erdogan", "incirlik")
    putin = index.get("Putin")
    assert putin is not None and putin.articles == {"a3", "a4"}
    assert index.matching(["erdogan"]) == {"a1", "a2", "a3"}  # a saved filter on the short form


def test_a_short_form_absorbed_later_in_the_same_article_leaves_no_stale_key() -> None:
    """The reader crashed (KeyError in cooccurring) when one article named a surname first
    and the full name after it, the short form already seen in another article."""
    index = TopicIndex()
    index.add("a1", [("Baghdadi", "person")], DAY)
    index.add("a2", [("Baghdadi", "person"), ("Abu Bakr al-Baghdadi", "person"),
                     ("Syria", "place")], 2 * DAY)
    assert index.by_article["a2"] == ("abu bakr al baghdadi", "syria")
    assert all(k in index.topics for keys in index.by_article.values() for k in keys)
    syria = index.get("Syria")
    assert syria is not None
    assert [(t.name, n) for t, n in index.cooccurring(syria.key)] == [("Abu Bakr al-Baghdadi", 1)]


def test_ambiguous_surnames_and_places_stay_apart() -> None:
    index = TopicIndex()
    index.add("a1", [("Donald Trump", "person"), ("Ivanka Trump", "person")], DAY)
    index.add("a2", [("Trump", "person")], DAY)
    index.add("a3", [("George Washington", "person")], DAY)
    index.add("a4", [("Washington", "place")], DAY)
    trump = index.get("Trump")
    assert trump is not None and trump.articles == {"a2"}
    washington = index.get("Washington")
    assert washington is not None and washington.kind == "place" and washington.articles == {"a4"}


def test_removed_person_no_longer_absorbs_short_forms() -> None:
    index = TopicIndex()
    index.add("a1", [("Mark Rutte", "person")], DAY)
    index.remove("a1")
    index.add("a2", [("Rutte", "person")], DAY)
    rutte = index.get("Rutte")
    assert rutte is not None and rutte.name == "Rutte"


def test_the_bundled_samples_index_is_consistent(tmp_path: Path) -> None:
    """Every topic key an article points at exists, and every topic's neighbours resolve:
    the reader calls cooccurring for whichever topic the cursor is on."""
    from briefing.core.ingest.samples import load_samples
    from briefing.core.store.store import Store

    with Store.open(tmp_path) as store:
        assert load_samples(store) > 25
        index = store.topic_index()
        assert all(k in index.topics for keys in index.by_article.values() for k in keys)
        for key in list(index.topics):
            for topic, count in index.cooccurring(key):
                assert count >= 1 and topic.key in index.topics


def _all_orders(adds: list[tuple[str, list[tuple[str, str]]]]) -> list[TopicIndex]:
    from itertools import permutations

    out = []
    for order in permutations(adds):
        index = TopicIndex()
        for aid, pairs in order:
            index.add(aid, pairs, DAY)
        out.append(index)
    return out


def _snapshot(index: TopicIndex) -> dict[str, tuple[str, str, frozenset[str]]]:
    return {k: (t.name, t.kind, frozenset(t.articles)) for k, t in index.topics.items()}


def test_topics_are_the_same_whatever_order_the_articles_came_in() -> None:
    """The sidebar's index grows as articles arrive, `list --topic` builds it from the rows:
    both must link the same names, or the sidebar's count and the list disagree."""
    adds = [
        ("a1", [("Halvorsen", "person"), ("Tromsø", "place")]),
        ("a2", [("Ingrid Halvorsen", "person")]),
        ("a3", [("Mats Halvorsen", "person"), ("Halvorsen", "person")]),
        ("a4", [("Oduya", "person"), ("Amara Oduya", "person")]),
    ]
    snapshots = [_snapshot(index) for index in _all_orders(adds)]
    assert all(s == snapshots[0] for s in snapshots)
    index = _all_orders(adds)[0]
    halvorsen = index.get("Halvorsen")  # two people of that name: the short form stays apart
    assert halvorsen is not None and halvorsen.articles == {"a1", "a3"}
    oduya = index.get("Oduya")
    assert oduya is not None and oduya.name == "Amara Oduya"


def test_incremental_adds_agree_with_a_fresh_build() -> None:
    stream = [
        ("a1", [("Selin Aydın", "person"), ("Aydın", "person")]),
        ("a2", [("Selin Aydin", "person")]),
        ("a3", [("Aydin", "person"), ("Izmir", "place")]),
        ("a4", [("Izmir", "place"), ("Selin Aydın", "person")]),
        ("a5", [("Aydın", "organization")]),
    ]
    growing = TopicIndex()
    for i, (aid, pairs) in enumerate(stream):
        growing.add(aid, pairs, DAY)
        fresh = TopicIndex()
        for aid2, pairs2 in stream[: i + 1]:
            fresh.add(aid2, pairs2, DAY)
        assert _snapshot(growing) == _snapshot(fresh)
        assert growing.by_article == fresh.by_article
    growing.remove("a4")
    fresh = TopicIndex()
    for aid2, pairs2 in stream:
        if aid2 != "a4":
            fresh.add(aid2, pairs2, DAY)
    assert _snapshot(growing) == _snapshot(fresh)


def test_spellings_join_and_the_most_written_one_names_the_topic() -> None:
    index = TopicIndex()
    index.add("a1", [("Selin Aydın", "person")], DAY)
    index.add("a2", [("Selin Aydin", "person")], DAY)
    index.add("a3", [("Selin Aydin", "person")], DAY)
    index.add("a4", [("Oleksandr Kovalenkiy", "person")], DAY)
    index.add("a5", [("Oleksandr Kovalenky", "person")], DAY)
    index.add("a6", [("Oleksandr Kovalennky", "person")], DAY)
    selin = index.get("selin aydin")
    assert selin is not None and selin.articles == {"a1", "a2", "a3"}
    assert selin.name == "Selin Aydin" and selin.aliases == ("Selin Aydın",)
    kovalenky = index.get("Oleksandr Kovalenkiy")
    assert kovalenky is not None and kovalenky.articles == {"a4", "a5", "a6"}
    assert len(index.topics) == 2


def test_a_lone_word_never_joins_across_kinds_nor_from_one_or_two_letters() -> None:
    index = TopicIndex()
    index.add("a1", [("Gerald Ford", "person")], DAY)
    index.add("a2", [("Ford", "organization")], DAY)
    index.add("a3", [("Anton Rask", "person"), ("Xu", "person")], DAY)
    index.add("a4", [("Li Xu", "person")], DAY)
    index.add("a5", [("Rask", "place")], DAY)
    ford = index.get("Ford")
    assert ford is not None and ford.kind == "organization" and ford.articles == {"a2"}
    xu = index.get("Xu")
    assert xu is None  # two letters, not in capitals: no topic at all
    rask = index.get("Rask")
    assert rask is not None and rask.kind == "place" and rask.articles == {"a5"}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("R", "organization"),
        ("V Roger Revelle", "person"),
        ("Meeting C", "organization"),
        ("Anton R", "person"),
        ("Moon For The First Time", "person"),
        ("Argentina An Argentine", "place"),
        ("Argentina an Argentine", "place"),
        ("MORE THAN A THIRD OF WEWORK", "organization"),
        ("Xu", "person"),
        ("1984", "other"),
        ("ok go", "phrase"),
    ],
)
def test_junk_names_make_no_topic(name: str, kind: str) -> None:
    index = TopicIndex()
    index.add("a1", [(name, kind), ("Lisbon", "place")], DAY)
    assert index.get(name) is None
    assert list(index.topics) == ["lisbon"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("EU", "organization"),
        ("S-400", "other"),
        ("Vitamin D", "other"),
        ("Court for the Southern District", "organization"),
        ("Luiz Inácio Lula da Silva", "person"),
        ("George W. Bush", "person"),
        ("The Hague", "place"),
        ("world", "tag"),
        ("air defense", "phrase"),
    ],
)
def test_real_names_are_topics(name: str, kind: str) -> None:
    index = TopicIndex()
    index.add("a1", [(name, kind)], DAY)
    found = index.get(name)
    assert found is not None and found.name == name


def test_copy_is_independent() -> None:
    index = build()
    copy = index.copy()
    index.add("a9", [("S-400", "other")], DAY)
    s400 = copy.get("S-400")
    assert s400 is not None and s400.articles == {"a1", "a3"}
    assert index.topics[s400.key].articles == {"a1", "a3", "a9"}


def test_a_place_named_the_old_way_is_one_topic_with_the_new() -> None:
    index = TopicIndex()
    index.add("a1", [("Kyiv", "place")], DAY)
    index.add("a2", [("Kiev", "place")], DAY)  # facts of an older engine
    kyiv = index.get("Kiev")
    assert kyiv is not None and kyiv.name == "Kyiv" and kyiv.articles == {"a1", "a2"}
    assert index.get("Kyiv") is kyiv
    assert len(index.topics) == 1


def test_the_outlets_own_name_and_byline_are_no_topics() -> None:
    from briefing.core.models.article import Article
    from briefing.core.models.facts import Entity, Facts

    def entity(name: str, kind: str) -> Entity:
        return Entity(name=name, type=kind, aliases=(), role=None, mentions=2, sentence=1)  # type: ignore[arg-type]

    names = ("Harbour Ledger", "Mira Sandvik", "Kestrel Wire", "Kestrel", "Norvasta")
    kinds = ("organization", "person", "organization", "place", "organization")
    facts = Facts(
        entities=tuple(entity(n, k) for n, k in zip(names, kinds, strict=True)),
        topics=(*names, "Turkey", "air defense"),
    )
    article = Article(id="a1", title="t", text="", source="The Harbour Ledger", author="By Mira Sandvik",
                      link="https://www.kestrelwire.com/story/1", facts=facts, tags=("energy",))
    assert topics_of(article) == [["Kestrel", "place"], ["Norvasta", "organization"], ["Turkey", "place"],
                                  ["air defense", "phrase"], ["energy", "tag"]]


def test_a_company_is_one_topic_however_registered() -> None:
    index = TopicIndex()
    index.add("a1", [("Norvasta", "organization")], DAY)
    index.add("a2", [("Norvasta Inc.", "organization")], DAY)
    index.add("a3", [("Norvasta Corp", "organization"), ("Norvasta Holdings", "organization")], DAY)
    index.add("a4", [("Halden Ltd", "organization"), ("Halden", "place")], DAY)  # never across kinds
    norvasta = index.get("Norvasta Inc.")
    assert norvasta is not None and norvasta.key == "norvasta"
    assert norvasta.articles == {"a1", "a2", "a3"} and norvasta.kind == "organization"
    assert index.get("Norvasta Holdings") is not norvasta
    halden = index.get("Halden")
    assert halden is not None and halden.kind == "place" and index.get("Halden Ltd") is not halden


def test_an_alias_the_articles_show_joins_its_topic() -> None:
    """"Baltic Energy Council (BEC)" in one article: another that writes only "BEC" is
    about the same body. Ambiguous links, links across kinds and short aliases join nothing."""
    adds = [
        ("a1", [("Baltic Energy Council", "organization")], [("BEC", "Baltic Energy Council")]),
        ("a2", [("BEC", "organization"), ("Riga", "place")], []),
        ("a3", [("Harbour Ward", "organization"), ("HA", "organization")], [("HA", "Harbour Ward")]),
        ("a4", [("Tamsin Vale", "person"), ("Vale", "organization")], [("Vale", "Tamsin Vale")]),
        ("a5", [("Orlen Rail Union", "organization")], [("ORU", "Orlen Rail Union")]),
        ("a6", [("Oslo Road Unit", "organization"), ("ORU", "organization")], [("ORU", "Oslo Road Unit")]),
    ]
    from itertools import permutations

    snapshots = []
    for order in list(permutations(adds))[:48]:
        index = TopicIndex()
        for aid, pairs, links in order:
            index.add(aid, pairs, DAY, links=links)
        snapshots.append(_snapshot(index))
    assert all(s == snapshots[0] for s in snapshots)
    bec = index.get("BEC")
    assert bec is not None and bec.name == "Baltic Energy Council" and bec.articles == {"a1", "a2"}
    assert "BEC" in bec.aliases
    ha = index.get("HA")  # two letters: an acronym of its own, never joined to another name
    assert ha is not None and ha.name == "HA" and ha.articles == {"a3"}
    vale = index.get("Vale")
    assert vale is not None and vale.kind == "organization" and vale.articles == {"a4"}
    oru = index.get("ORU")  # linked to two bodies: stays apart
    assert oru is not None and oru.name == "ORU"
    index.remove("a1")
    bec = index.get("BEC")
    assert bec is not None and bec.name == "BEC" and bec.articles == {"a2"}


def test_an_alias_no_article_wrote_alone_finds_its_topic() -> None:
    index = TopicIndex()
    index.add("a1", [("Kyiv", "place")], DAY, links=[("Kiev", "Kyiv")])
    index.add("a2", [("North Grid Office", "organization")], DAY, links=[("NGO", "North Grid Office")])
    ngo = index.get("NGO")
    assert ngo is not None and ngo.name == "North Grid Office" and ngo.aliases == ("NGO",)
    kyiv = index.get("kiev")
    assert kyiv is not None and kyiv.name == "Kyiv"


def test_a_lone_common_head_never_joins_by_links() -> None:
    index = TopicIndex()
    index.add("a1", [("Northern Rail Commission", "organization")], DAY,
              links=[("Commission", "Northern Rail Commission")])
    index.add("a2", [("Commission", "organization")], DAY)
    commission = index.get("Commission")
    assert commission is not None and commission.articles == {"a2"}


def test_one_articles_link_never_joins_two_names_written_elsewhere() -> None:
    index = TopicIndex()
    index.add("a1", [("Harbour Council", "organization")], DAY)
    index.add("a2", [("Harbour Council", "organization")], DAY)
    index.add("a3", [("Harbour Council Appeals Board", "organization")], DAY,
              links=[("Harbour Council", "Harbour Council Appeals Board")])
    council = index.get("Harbour Council")
    assert council is not None and council.articles == {"a1", "a2"}
    index.add("a4", [("Harbour Council Appeals Board", "organization")], DAY,
              links=[("Harbour Council", "Harbour Council Appeals Board")])
    joined = index.get("Harbour Council")  # two articles link them: one topic, the most named
    assert joined is not None and joined.articles == {"a1", "a2", "a3", "a4"}


def test_an_alias_joins_its_topic_in_a_store_read_back_from_disk(tmp_path: Path) -> None:
    """The links live in the index rows: a reader that opens the store later (its topic
    index built from the compact columns) joins "BEC" to the council as the writer did."""
    from briefing.core.ingest.pipeline import ingest
    from briefing.core.models.article import Article
    from briefing.core.store.store import Store

    long_form = Article(id="", title="Energy council meets in Riga", link="https://example.com/a1",
                        text="The Baltic Energy Council (BEC) met in Riga on Monday. The BEC agreed "
                             "to pool gas reserves for the winter, its chairman said.")
    alias = Article(id="", title="BEC sets gas reserve target", link="https://example.com/a2",
                    text="The BEC said on Tuesday that members would hold reserves for ninety days. "
                         "The BEC will meet again in Vilnius in March.")
    with Store.open(tmp_path) as store:
        ingest(store, [long_form, alias])
        written = store.topic_index().get("BEC")
        assert written is not None and written.name == "Baltic Energy Council" and len(written.articles) == 2
    with Store.open(tmp_path, readonly=True) as store:
        read = store.topic_index().get("BEC")
        assert read is not None and read.name == "Baltic Energy Council"
        assert read.articles == written.articles


# -- the compact index: articles as numbers, topics as sorted arrays ----------------------------


def _consistent(index: TopicIndex) -> None:
    """Every view of the index agrees with every other: topics' articles, filters, each
    article's topics, and a copy."""
    by_article = index.by_article
    carried: dict[str, set[str]] = {}
    for aid in by_article:
        for key in by_article[aid]:
            carried.setdefault(key, set()).add(aid)
    for key, topic in index.topics.items():
        assert topic.articles == carried.get(key, set()), key
        assert topic.count == len(topic.articles)
        assert list(topic.numbers) == sorted(set(topic.numbers))
        assert index.matching([key]) == topic.articles
    assert set(carried) <= set(index.topics)
    assert len(by_article) == len(list(by_article))
    assert _snapshot(index.copy()) == _snapshot(index)


def test_the_views_agree_through_adds_removals_and_re_adds() -> None:
    import random

    rng = random.Random(7)
    names = [("Recep Tayyip Erdoğan", "person"), ("Erdoğan", "person"), ("Turkey", "place"),
             ("turkey", "tag"), ("NATO", "organization"), ("S-400", "other"), ("Kiev", "place"),
             ("Kyiv", "place"), ("air defense", "phrase"), ("Vladimir Putin", "person")]
    ids = [f"{rng.getrandbits(48):012x}" for _ in range(300)] + ["a1", "odd id", "0x12"]
    index = TopicIndex()
    live: dict[str, list[tuple[str, str]]] = {}
    for step in range(2000):
        aid = rng.choice(ids)
        if aid in live and rng.random() < 0.3:
            index.remove(aid)
            del live[aid]
        else:
            pairs = rng.sample(names, rng.randint(0, 4))
            links = [["NATO", "North Atlantic Treaty Organization"]] if rng.random() < 0.2 else []
            index.add(aid, pairs, float(step), links=links)
            live[aid] = pairs
        if step % 250 == 0:
            _consistent(index)
    _consistent(index)
    assert set(index.by_article) == set(live)
    for aid, pairs in live.items():
        assert set(index.by_article[aid]) == {index.get(n).key for n, _ in pairs}  # type: ignore[union-attr]
    assert index.by_article.get("never added", ()) == ()


def test_many_store_ids_are_found_again_across_the_lookups_sorts() -> None:
    from briefing.core.stories.article_numbers import ArticleNumbers

    numbers = ArticleNumbers()
    ids = [f"{(i * 2654435761) % (1 << 48):012x}" for i in range(60_000)]
    assert [numbers.number(aid) for aid in ids] == list(range(len(ids)))
    assert numbers.number("a1") == len(ids) and numbers.number("A1B2C3D4E5F6") == len(ids) + 1
    assert all(numbers.find(aid) == i for i, aid in enumerate(ids))
    assert all(numbers.id(i) == aid for i, aid in enumerate(ids))
    assert numbers.find("ffffffffffff") is None and numbers.id(len(ids) + 1) == "A1B2C3D4E5F6"
    copy = numbers.copy()
    copy.number("000000000001")
    assert numbers.find("000000000001") is None and len(copy) == len(numbers) + 1


def test_lists_of_numbers_survive_being_compacted() -> None:
    from briefing.core.stories.article_numbers import NumberLists

    lists = NumberLists()
    for round_ in range(40):  # each round writes every list anew: the old slices go stale
        for n in range(3000):
            lists.set(n, [n, round_, n % 7][: n % 4])
    assert len(lists.values) < 100_000  # 180,000 written, 4,500 live
    assert all(list(lists.get(n)) == [n, 39, n % 7][: n % 4] for n in range(3000))
    lists.clear(5)
    assert list(lists.get(5)) == [] and list(lists.get(99_999)) == []


def test_counting_by_topic_is_counting_each_articles_topics() -> None:
    import random

    rng = random.Random(3)
    names = [("Recep Tayyip Erdoğan", "person"), ("Erdoğan", "person"), ("Turkey", "place"),
             ("turkey", "tag"), ("S-400", "other"), ("Kyiv", "place"), ("Kiev", "place")]
    ids = [f"{rng.getrandbits(48):012x}" for _ in range(25_000)] + ["a1", "a2"]
    index = TopicIndex()
    for i, aid in enumerate(ids):
        index.add(aid, rng.sample(names[2:], 2) if i % 2 else rng.sample(names, 3), float(i))
    asked = [*ids[::3], "never added", "a2"]
    expected: dict[str, int] = {}
    for aid in asked:
        for key in index.by_article.get(aid, ()):
            expected[key] = expected.get(key, 0) + 1
    assert index.aliases  # "Erdoğan" and "Kiev" are joined to another name: counted once
    assert index.count_by_topic(asked) == expected
    plain = TopicIndex()
    for aid in ids[:100]:
        plain.add(aid, [("S-400", "other"), ("NATO", "organization")], 1.0)
    assert plain.count_by_topic(ids[:10] + ids[:10]) == {"s 400": 20, "nato": 20}


def _whole(index: TopicIndex, ids: list[str]) -> tuple[object, ...]:
    topics = {k: (t.name, t.kind, t.numbers.tolist(), t.latest, t.aliases) for k, t in index.topics.items()}
    return topics, dict(index.aliases), {aid: index.by_article.get(aid) for aid in ids}


def test_a_whole_store_added_at_once_indexes_as_one_by_one(tmp_path: Path) -> None:
    """`add_all` (a store's first read) judges each distinct name once: the index must be
    the one `add` builds, links, junk and a name given twice in one article included."""
    from briefing.core.ingest.samples import load_samples
    from briefing.core.store.store import Store
    from briefing.core.stories.topic_names import links_of

    with Store.open(tmp_path) as store:
        load_samples(store)
        articles = [a for m in store.articles() if (a := store.get(m.id)) is not None]
    rows = [(a.id, [(n, k) for n, k in topics_of(a)], a.published.timestamp() if a.published else 0.0,
             links_of(a)) for a in articles]
    rows.append(("0000000000ff", [("EU", "organization"), ("E.U.", "organization"), ("x", "place"),
                                  ("European Union", "organization"), ("EU", "organization")], 5.0,
                 [["EU", "European Union"]]))
    assert sum(1 for row in rows if row[3]) >= 2
    for given in (rows, [*rows, ("not-a-store-id", [("Ankara", "place")], 1.0, [])], [*rows, rows[0]]):
        one, many = TopicIndex(), TopicIndex()
        for aid, topics, ts, links in given:
            one.add(aid, topics, ts, links=links)
        numbers = array("q", (int(aid, 16) if len(aid) == 12 else -1 for aid, *_ in given))
        many.add_all(iter(given), numbers)
        ids = [row[0] for row in given]
        assert _whole(many, ids) == _whole(one, ids)
        assert len(one.topics) > 30

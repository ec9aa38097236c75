"""The in-memory topic index behind the sidebar: folding, filters, co-occurrence, search."""

from __future__ import annotations

from pathlib import Path

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
    index.add("a1", [("Erdoğan", "organization"), ("Incirlik", "place")], 1 * DAY)  # before the full name
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
    index.add("a1", [("Baghdadi", "organization")], DAY)
    index.add("a2", [("Baghdadi", "organization"), ("Abu Bakr al-Baghdadi", "person"),
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

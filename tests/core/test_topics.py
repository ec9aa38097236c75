"""The in-memory topic index behind the sidebar: folding, filters, co-occurrence, search."""

from __future__ import annotations

from briefing.core.topics import TopicIndex, fold

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
    assert fold("Erdoğan") == fold("erdogan") == "erdogan"
    assert fold("İbrahim Kalın") == "ibrahim kalin"
    assert fold("united-states") == fold("United  States")
    assert fold("O’Brien") == fold("O'Brien")


def test_same_topic_spelled_differently_is_one_topic() -> None:
    index = build()
    turkey = index.get("TURKEY")
    assert turkey is not None and turkey.articles == {"a1", "a3"}
    assert turkey.name == "Turkey"  # the first spelling seen names it
    us = index.get("United States")
    assert us is not None and us.count == 1  # tag and entity of one article count once


def test_and_or_filters() -> None:
    index = build()
    keys = [fold("S-400"), fold("Turkey")]
    assert index.matching(keys) == {"a1", "a3"}
    assert index.matching([fold("S-400"), fold("Vladimir Putin")]) == set()
    assert index.matching([fold("S-400"), fold("Vladimir Putin")], mode="or") == {"a1", "a2", "a3"}
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
    pairs = [(t.name, n) for t, n in index.cooccurring(fold("S-400"))]
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

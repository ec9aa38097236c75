"""Related stories: shared topics weighted by rarity, the open story left out, other
stories shown once, ties to the newer story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing.core.models.article import Article
from briefing.core.models.facts import Entity, Facts
from briefing.core.store.store import Store
from briefing.core.stories.related import related_stories

DAY0 = datetime(2020, 1, 1, 12, tzinfo=UTC)


def _article(slug: str, topics: tuple[str, ...], day: int, tags: tuple[str, ...] = ()) -> Article:
    facts = Facts(title=slug, topics=topics, entities=tuple(Entity(t, "person") for t in topics))
    return Article(id="", title=slug, text=f"About {slug}.", source="Outlet", feed="test",
                   link=f"https://example.test/{slug}", published=DAY0 + timedelta(days=day),
                   facts=facts, tags=tags)


def _store(tmp_path: Path, articles: list[Article], clusters: dict[str, str]) -> tuple[Store, dict[str, str]]:
    store = Store.open(tmp_path)
    added = store.add_articles(articles).added
    ids = {a.title: aid for a, aid in zip(articles, added, strict=True)}
    for slug, story in clusters.items():
        store.update_article(ids[slug], cluster=ids[story])
    return store, ids


# Twelve background articles, half of them on Turkey: "Turkey" is common, "Haftar" rare.
_BACKGROUND = [_article(f"bg{i}", ("Turkey", f"Filler {i}") if i % 2 else (f"Filler {i}",), i)
               for i in range(12)]


def test_rare_shared_topics_outweigh_common_ones(tmp_path: Path) -> None:
    articles = [
        _article("open", ("Turkey", "Libya", "Khalifa Haftar", "Fayez al-Sarraj"), 20),
        _article("rare", ("Khalifa Haftar", "Fayez al-Sarraj"), 21),
        _article("common", ("Turkey", "Libya"), 22),
        _article("libya", ("Libya",), 23),
        *_BACKGROUND,
    ]
    store, ids = _store(tmp_path, articles, {})
    with store:
        found = related_stories(store, ids["open"])
        order = [r.id for r in found]
        assert order[:3] == [ids["rare"], ids["common"], ids["libya"]]
        assert found[0].shared == ("Fayez al-Sarraj", "Khalifa Haftar")
        assert ids["open"] not in order
        assert set(order) - {ids["rare"], ids["common"], ids["libya"]} <= {ids[f"bg{i}"] for i in range(12)}


def test_the_open_story_is_left_out_and_other_stories_appear_once(tmp_path: Path) -> None:
    articles = [
        _article("open", ("Sochi", "YPG", "Vladimir Putin"), 10),
        _article("same-story", ("Sochi", "YPG", "Vladimir Putin"), 10),
        _article("patrol-a", ("Sochi", "YPG"), 19),
        _article("patrol-b", ("Sochi", "YPG", "Vladimir Putin"), 19),
        _article("putin", ("Vladimir Putin",), 30),
        *_BACKGROUND,
    ]
    store, ids = _store(tmp_path, articles, {"same-story": "open", "patrol-a": "patrol-a",
                                             "patrol-b": "patrol-a"})
    with store:
        found = related_stories(store, ids["open"])
        assert [r.id for r in found][:2] == [ids["patrol-b"], ids["putin"]]
        assert found[0].cluster == ids["patrol-a"] and found[0].others == (ids["patrol-a"],)
        assert ids["same-story"] not in {r.id for r in found}
        assert all(ids["patrol-a"] != r.id for r in found)


def test_ties_go_to_the_newer_story_and_limit_holds(tmp_path: Path) -> None:
    articles = [
        _article("open", ("Naftogaz",), 50),
        *[_article(f"tie{d}", ("Naftogaz",), d) for d in (3, 40, 7, 25)],
        *_BACKGROUND,
    ]
    store, ids = _store(tmp_path, articles, {})
    with store:
        assert [r.id for r in related_stories(store, ids["open"], limit=3)] == [
            ids["tie40"], ids["tie25"], ids["tie7"]]
        assert related_stories(store, ids["open"], limit=0) == []
        assert related_stories(store, "0123456789ab") == []


def test_feed_tags_count_half_and_topics_everyone_has_count_nothing(tmp_path: Path) -> None:
    articles = [
        _article("open", ("Gazprom",), 1, tags=("energy",)),
        _article("by-tag", (), 2, tags=("energy",)),
        _article("by-entity", ("Gazprom",), 3),
        *[_article(f"x{i}", (), 4 + i, tags=("sample",)) for i in range(6)],
    ]
    store, ids = _store(tmp_path, articles, {})
    with store:
        found = related_stories(store, ids["open"])
        assert [r.id for r in found] == [ids["by-entity"], ids["by-tag"]]
        assert found[1].score == round(found[0].score / 2, 3)


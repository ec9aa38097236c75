"""The reader's compact list: positions agree with the plain-list filter, the streamed
story builder with the whole-list one, the title index with `fold_key`, and flags laid
over the store's list with `replace`."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter, select_articles, select_positions
from briefing.core.stories.clusters import group_by_story
from briefing.core.stories.topics import TopicIndex
from briefing.core.text.fold import fold_key
from briefing.tui.articles import Articles, with_flags
from briefing.tui.reading import StoryBuilder, build_stories
from briefing.tui.titles import TitleIndex

PLACES = ("Ankara", "Sochi", "Berlin", "Kyiv", "Ørsted Field")


def corpus(n: int, seed: int = 7) -> list[ArticleMeta]:
    rng = random.Random(seed)
    metas = []
    for i in range(n):
        topics = tuple((p, "place") for p in rng.sample(PLACES, rng.randint(0, 3)))
        cluster = f"c{rng.randint(0, n // 3)}" if rng.random() < 0.6 else None
        title = f"Title {i % (n // 4)}"  # repeated titles: exact duplicates when the link agrees
        link = f"https://x.example/{i % (n // 4)}" if rng.random() < 0.3 else f"https://x.example/u{i}"
        metas.append(ArticleMeta(f"{i:012x}", title, rng.choice(("One", "Two")), rng.choice(("f1", "f2")),
                                 link, 1.6e9 - i * 60, topics, False, cluster, rng.random() < 0.4,
                                 rng.random() < 0.1))
    return metas


@pytest.mark.parametrize("seed", range(4))
def test_positions_choose_what_the_plain_filter_chooses(seed: int) -> None:
    metas = corpus(400, seed)
    index = TopicIndex()
    for m in metas:
        index.add(m.id, m.topics, m.ts or 0.0)
    articles = Articles.of(metas)
    rng = random.Random(seed)
    for _ in range(30):
        chosen = ArticleFilter(
            topics=tuple(fold_key(p) for p in rng.sample(PLACES, rng.randint(0, 2))),
            mode=rng.choice(("and", "or")), unread_only=rng.random() < 0.5,
            feed=rng.choice((None, "f1")), watch=rng.choice((None, "w")))
        watch = frozenset(m.id for m in metas[::3])
        for given in (index, None):  # None: the first frame, topics read from each article
            expected = [m.id for m in select_articles(metas, chosen, index=given, watch_ids=watch)]
            positions = select_positions(articles, chosen, index=given, watch_ids=watch)
            assert [articles[p].id for p in positions] == expected, chosen


def test_stories_streamed_are_the_stories_of_the_whole_list() -> None:
    metas = corpus(600)
    builder = StoryBuilder()
    articles = Articles.scan(metas, builder.add)
    streamed = builder.build(articles)
    whole = build_stories(group_by_story(metas))
    assert streamed.key_of == whole.key_of
    assert {k: [m.id for m in v] for k, v in streamed.members.items()} == \
        {k: [m.id for m in v] for k, v in whole.members.items()}
    assert whole.members  # the corpus has stories of several articles, some joined as duplicates
    articles.set_stories(streamed)
    for number, key in enumerate(articles.story_keys):
        assert [articles.ids[p] for p in articles.members[number]] == \
            sorted((m.id for m in streamed.members[key]), key=lambda aid: articles.position(aid) or 0)


def test_titles_are_found_as_fold_key_finds_them() -> None:
    titles = ["Erdoğan meets Putin in Sochi", "S-400 delivery: Turkey's ‘first batch’", "Gas_flows rise",
              "Kyiv\nreport", "Ørsted wins", "Nothing here", "ERDOGAN again"]
    index = TitleIndex(titles)
    folded = [fold_key(t) for t in titles]
    for query in ("erdogan", "ERDOĞAN", "putin erdo", "s-400", "400 turkey", "gas flows", "kyiv report",
                  "orsted", "here nothing", "'first", "zzz", "o", ""):
        words = fold_key(query).split()
        expected = [i for i, t in enumerate(folded) if words and all(w in t for w in words)]
        assert index.search(query) == expected, query
    assert index.search("e", limit=2) == [0, 1]  # the first positions (the newest), at most limit


def test_flags_laid_over_the_list_are_replace() -> None:
    metas = corpus(50)
    articles = Articles.of(metas)
    unread = articles.unread
    changed = articles.set_read(range(10), True)
    assert articles.unread == unread - len(changed)
    for pos in range(10):
        assert articles[pos] == replace(metas[pos], read=True)
    articles.set_starred(3, not metas[3].starred)
    assert articles[3] == replace(metas[3], read=True, starred=not metas[3].starred)
    assert articles[20] is metas[20]  # untouched: the list's own item
    assert list(articles.unread_ids()) == [m.id for m in articles if not m.read]
    full = metas[5]
    assert with_flags(full, True, True) == replace(full, read=True, starred=True)


def test_a_list_whose_store_dropped_its_memory_draws_stand_ins() -> None:
    """After a failed write the store reads its files again: positions past what it holds
    give a stand-in with the id, never an IndexError in the middle of drawing."""
    metas = corpus(10)
    scanned = Articles.scan(metas)
    articles = Articles(metas[:3], scanned.ids, scanned.read, scanned.starred, scanned.ts)  # the store's
    assert articles[2] == metas[2]
    stand_in = articles[7]
    assert stand_in.id == metas[7].id and stand_in.ts == metas[7].ts and stand_in.read == metas[7].read

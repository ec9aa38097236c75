"""ReaderState without Textual: list dates, sort orders, next unread across stories, mark
all read and its undo, unread counts per topic, starred versions of a story."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta

from briefing.core.models.meta import ArticleMeta
from briefing.core.stories.topics import TopicIndex
from briefing.tui.reading import ago, build_stories, list_date
from briefing.tui.state import SORTS, ReaderState, count_unread_by_topic, with_read

NOW = datetime(2019, 11, 20, 12, 0, tzinfo=UTC)  # a Wednesday


def at(**delta: float) -> float:
    return (NOW - timedelta(**delta)).timestamp()


def test_list_dates_by_age_stay_narrow() -> None:
    assert list_date(at(minutes=5), NOW) == "11:55"
    assert list_date(at(hours=11, minutes=59), NOW) == "00:01"  # still today
    assert list_date(at(hours=12, minutes=1), NOW) == "Tue 23:59"  # yesterday
    assert list_date(at(days=6), NOW) == "Thu 12:00"
    assert list_date(at(days=7), NOW) == "13 Nov"
    assert list_date(at(days=300), NOW) == "24 Jan"
    assert list_date(at(days=400), NOW) == "2018-10-16"
    assert list_date(None, NOW) == "—"
    assert list_date((NOW + timedelta(days=3)).timestamp(), NOW) == "23 Nov"  # the future: no weekday
    assert max(len(list_date(at(days=d), NOW)) for d in range(0, 800, 7)) <= 10


def test_ago_for_the_feeds_screen() -> None:
    assert ago(None, NOW) == "never"
    assert ago(NOW - timedelta(seconds=20), NOW) == "just now"
    assert ago(NOW - timedelta(hours=3), NOW) == "3h ago"
    assert ago(NOW - timedelta(days=30), NOW) == "21 Oct"


def meta(aid: str, hours: float, *, source: str = "Wire", read: bool = False, starred: bool = False,
         cluster: str | None = None, topics: tuple[str, ...] = ()) -> ArticleMeta:
    return ArticleMeta(aid, f"Title {aid}", source, "feed", None, at(hours=hours),
                       tuple((t, "place") for t in topics), False, cluster, read, starred, at(hours=hours))


def loaded(metas: list[ArticleMeta]) -> ReaderState:
    index = TopicIndex()
    for m in metas:
        index.add(m.id, m.topics, m.ts or 0.0)
    groups: dict[str, list[ArticleMeta]] = {}
    for m in metas:
        groups.setdefault(m.cluster or m.id, []).append(m)
    state = ReaderState()
    state.loaded(metas, index, [], build_stories(groups), {}, frozenset())
    state.visible()
    return state


# a story told by three outlets (s1..s3), one by two (t1, t2), two single articles
CORPUS = [
    meta("a1", 1, topics=("Ankara",)),
    meta("s1", 2, source="One", cluster="s", topics=("Sochi", "Ankara")),
    meta("t1", 3, source="One", cluster="t", read=True),
    meta("s2", 4, source="Two", cluster="s", topics=("Sochi",)),
    meta("b1", 5, read=True, topics=("Berlin",)),
    meta("t2", 6, source="Two", cluster="t"),
    meta("s3", 7, source="Three", cluster="s", read=True),
]


def ids(state: ReaderState) -> list[str]:
    return [m.id for m in state.rows]


def test_sorts_newest_most_covered_and_unread_first() -> None:
    state = loaded(list(CORPUS))
    assert SORTS == ("newest", "covered", "unread")
    assert ids(state) == ["a1", "s1", "t1", "b1"]
    assert state.cycle_sort() == "covered" and state.sort_title == "most covered first"
    state.visible()
    assert ids(state) == ["s1", "t1", "a1", "b1"]  # 3 outlets, 2, then newest first
    assert state.cycle_sort() == "unread"
    state.visible()
    assert ids(state) == ["a1", "s1", "t1", "b1"]  # t1's row is read: unread first, then newest
    state.updated(state.rows[0], read=True)
    state.visible()
    assert ids(state) == ["s1", "a1", "t1", "b1"]
    assert state.cycle_sort() == "newest"
    assert state.to_state()["sort"] == "newest"
    sorts = []
    for saved in ("covered", "sideways"):
        restored = ReaderState()
        restored.restore({"sort": saved})
        sorts.append(restored.sort)
    assert sorts == ["covered", "newest"]


def test_next_unread_goes_across_stories_to_an_unread_version_and_wraps() -> None:
    state = loaded(list(CORPUS))
    assert state.next_unread(0) == (1, state.rows[1])  # s1
    row, found = state.next_unread(1) or (-1, None)
    # t1 is read but its story has an unread version, t2: that one opens
    assert row == 2 and found is not None and found.id == "t2"
    assert state.show_version(row, found) == "t1" and ids(state) == ["a1", "s1", "t2", "b1"]
    assert state.visible() and ids(state) == ["a1", "s1", "t2", "b1"]  # the choice is kept
    assert state.next_unread(2) == (0, state.rows[0])  # b1 is read: wraps to a1
    assert state.next_unread(0, -1) == (2, state.rows[2])  # backwards, wrapping to the end
    for m in list(state.articles):
        state.updated(m, read=True)
    assert state.next_unread(0) is None


def test_next_unread_leaves_out_versions_the_filter_hides() -> None:
    state = loaded(list(CORPUS))
    state.filter = replace(state.filter, topics=("sochi",))
    state.visible()
    assert ids(state) == ["s1"]
    state.updated(state.rows[0], read=True)
    assert state.next_unread(0) is not None and state.next_unread(0)[1].id == "s2"  # type: ignore[index]


def test_mark_all_read_and_undo() -> None:
    state = loaded(list(CORPUS))
    state.filter = replace(state.filter, topics=("sochi",))
    state.visible()
    assert state.counts() == "2 unread of 2 articles (7 in all) · 1 story"
    marked = state.mark_all_read()
    assert sorted(marked.ids) == ["s1", "s2"]  # every version the filter shows, not just the row
    assert state.counts() == "0 unread of 2 articles (7 in all) · 1 story"
    assert state.rows[0].read and state.meta("s2") is not None and state.meta("s2").read  # type: ignore[union-attr]
    assert not state.meta("a1").read  # type: ignore[union-attr]  # hidden by the filter: untouched
    assert state.topic_unread == {"ankara": 1}
    undone = state.undo_mark_all_read()
    assert undone == marked and state.undo_mark_all_read() is None
    assert not state.meta("s2").read  # type: ignore[union-attr]
    assert state.topic_unread == {"ankara": 2, "sochi": 2}
    assert state.counts() == "2 unread of 2 articles (7 in all) · 1 story"


def test_unread_counts_per_topic_follow_the_flags() -> None:
    state = loaded(list(CORPUS))
    assert state.topic_unread == count_unread_by_topic(state.articles, state.index)  # type: ignore[arg-type]
    assert state.topic_unread == {"ankara": 2, "sochi": 2}  # b1 (Berlin) is read: left out
    state.updated(state.meta("a1"), read=True)  # type: ignore[arg-type]
    assert state.topic_unread == {"ankara": 1, "sochi": 2}
    state.updated(state.meta("b1"), read=False)  # type: ignore[arg-type]
    assert state.topic_unread["berlin"] == 1
    assert state.counts() == "4 unread of 7 articles · 4 stories"


def test_a_story_row_shows_its_starred_version() -> None:
    metas = list(CORPUS)
    metas[3] = replace(metas[3], starred=True)  # s2, not the newest of its story
    state = loaded(metas)
    assert ids(state) == ["a1", "s2", "t1", "b1"]  # opens the starred one, at the story's place
    assert state.story_starred(state.rows[1]) and not state.story_starred(state.rows[2])
    state.chosen["s"] = "s3"  # a version the analyst switched to still wins
    state.visible()
    assert ids(state)[1] == "s3" and state.story_starred(state.rows[1])


def test_with_read_is_replace_on_every_field() -> None:
    full = ArticleMeta("x", "T", "S", "F", "https://x", 1.0, (("A", "place"),), True, "c", False, True, 2.0,
                       True, "summary")
    assert len(fields(ArticleMeta)) == 14  # a new field must be added to with_read too
    assert with_read(full, True) == replace(full, read=True)
    assert with_read(full, False) == full

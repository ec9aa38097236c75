"""Related stories for the open article: other stories that share its rarer topics.

Built on the store's TopicIndex, so it costs the size of the article's topics' article
sets, never a scan of the store. Other reports of the same story are not "related":
they are the story itself, so they are left out (the list shows them as "also in").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefing.core.models.meta import ArticleMeta
from briefing.core.store.store import Store
from briefing.core.stories.clusters import cluster_of

TAG_WEIGHT = 0.5
"""Feed tags are shared by every article of a feed: they say less than a named entity does."""
COMMON_SHARE = 0.5
"""Topics carried by more than this share of the store (e.g. the feed's own tag) link nothing."""


@dataclass(frozen=True, slots=True)
class RelatedStory:
    """One related story, shown by its best-matching article."""

    id: str
    """The article to open: the story's member sharing the most (and rarest) topics."""
    cluster: str
    score: float
    """Sum over shared topics of log(store size / articles with the topic)."""
    shared: tuple[str, ...]
    """Display names of the topics it shares with the open article, rarest first."""
    others: tuple[str, ...] = ()
    """Other articles of that story that also share topics, best first."""


def related_stories(store: Store, article_id: str, *, limit: int = 8) -> list[RelatedStory]:
    """The stories most related to `article_id`, best first; ties go to the newer story.

    An article's score is the rarity-weighted count of topics it shares; a story scores
    as its best article. Articles of the open article's own story are excluded.
    """
    index = store.topic_index()
    me = store.meta(article_id)
    if me is None or limit <= 0:
        return []
    own_story = cluster_of(me)
    total = max(1, len(index.by_article))
    scores: dict[str, float] = {}
    shared: dict[str, list[tuple[float, str]]] = {}
    for key in index.by_article.get(article_id, ()):
        topic = index.topics[key]
        if topic.count <= 1 or topic.count > total * COMMON_SHARE:
            continue
        weight = math.log(total / topic.count) * (TAG_WEIGHT if topic.kind == "tag" else 1.0)
        for other in topic.articles:
            if other != article_id:
                scores[other] = scores.get(other, 0.0) + weight
                shared.setdefault(other, []).append((weight, topic.name))

    # Walk down the scores, loading metadata only as far as needed: until `limit` stories
    # are found and every article tied with the last of them has been seen.
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    stories: dict[str, list[tuple[float, ArticleMeta]]] = {}
    floor: float | None = None
    for aid, score in ranked:
        if floor is not None and score < floor:
            break
        meta = store.meta(aid)
        if meta is None or cluster_of(meta) == own_story:
            continue
        stories.setdefault(cluster_of(meta), []).append((score, meta))
        if floor is None and len(stories) >= limit:
            floor = score
    found: list[tuple[float, float, str, RelatedStory]] = []
    for story, members in stories.items():
        members.sort(key=lambda sm: (-sm[0], -(sm[1].ts or 0.0), sm[1].id))
        best_score, best = members[0]
        names = tuple(name for _, name in sorted(shared[best.id], key=lambda wn: (-wn[0], wn[1])))
        related = RelatedStory(best.id, story, round(best_score, 3), names,
                               tuple(m.id for _, m in members[1:]))
        found.append((-best_score, -(best.ts or 0.0), best.id, related))
    found.sort(key=lambda f: f[:3])
    return [f[3] for f in found[:limit]]

"""The labelled story-clustering corpus: the bundled samples plus synthetic rewrites.

Used by tests/core/stories/test_clusters.py and bench/clusters.py. Every article has a key
(`articles/<file>`, `articles/batch.json#N`, `feeds/<file>#<slug>`, `rewrites/<N>`);
labels.json names the multi-article stories, every other article is a story of its own.
`python -m tests.core.stories.cluster_corpus` regenerates rewrites.json and labels.json.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from briefing.core.facts.sentences import split_sentences
from briefing.core.feeds.parse import parse_feed
from briefing.core.ingest.importers import read_file
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed
from briefing.core.paths import samples_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clusters"
LABELS = FIXTURES / "labels.json"
REWRITES = FIXTURES / "rewrites.json"

# From briefing/samples/README.md, "Labelled groups".
SAMPLE_STORIES: dict[str, list[str]] = {
    "white-house": [
        "articles/erdogan-trump-white-house-meeting.md",
        "articles/erdogan-washington-visit-s400-talks.md",
        "articles/trump-hosts-erdogan.txt",
    ],
    "turkstream-launch": [
        "articles/turkstream-inaugurated-istanbul.md",
        "articles/turkstream-ceremony-borissov-vucic.md",
        "articles/batch.json#0",
    ],
    "sochi": [
        "articles/sochi-memorandum-ypg-withdrawal.md",
        "articles/putin-erdogan-sochi-deal.md",
        "articles/sochi-patrol-plan.txt",
    ],
}
DIFFERENT_EVENTS: list[list[str]] = [
    ["articles/libya-moscow-ceasefire-talks.md", "articles/berlin-conference-libya.md",
     "libya-moscow-vs-berlin: two Libya meetings six days apart, same people"],
    ["articles/mitsotakis-erdogan-london-meeting.md", "articles/greece-expels-libyan-ambassador.md",
     "greece-london-vs-athens: a meeting at the NATO summit vs an expulsion two days later"],
    ["articles/sochi-memorandum-ypg-withdrawal.md", "articles/joint-patrols-begin.txt",
     "the Sochi deal vs the first joint patrol nine days later"],
    ["articles/turkey-gna-maritime-memorandum.md", "articles/greece-expels-libyan-ambassador.md",
     "signing of the maritime memorandum vs Greece's reaction a week later"],
]

_OUTLETS = ["Harbour Courier (sample)", "Steppe Review (sample)", "Meridian Post (sample)",
            "Northern Ledger (sample)", "Bosphorus Observer (sample)", "Continental Wire (sample)"]
_SYNONYMS = {
    "said": "stated", "says": "states", "meeting": "talks", "meet": "hold talks", "agreed": "reached a deal",
    "president": "leader", "leaders": "heads of state", "sanctions": "penalties", "deal": "agreement",
    "agreement": "accord", "announced": "unveiled", "officials": "authorities", "troops": "forces",
    "began": "started", "begins": "starts", "opened": "inaugurated", "pipeline": "line",
    "talks": "negotiations", "withdrawal": "pullback", "visit": "trip", "government": "administration",
    "warned": "cautioned", "criticised": "condemned", "approved": "passed", "signed": "concluded",
}
_DATELINE = re.compile(r"^[A-Z]{2,}[^—]{0,30} — ")


def sample_articles() -> list[tuple[str, Article]]:
    """The bundled corpus with its keys, as the importers and the feed parser read it."""
    root = samples_dir()
    out: list[tuple[str, Article]] = []
    for path in sorted((root / "articles").iterdir()):
        result = read_file(path)
        for i, article in enumerate(result.articles):
            key = f"articles/{path.name}" + (f"#{i}" if path.suffix == ".json" else "")
            out.append((key, replace(article, sample=True)))
    for path in sorted((root / "feeds").iterdir()):
        feed = Feed(name=f"{path.stem} (sample)", url=path.resolve().as_uri(), tags=("sample",))
        parsed = parse_feed(path.read_bytes(), {}, feed, fetched=datetime(2020, 2, 1, tzinfo=UTC))
        for article in parsed.articles:
            slug = (article.link or article.guid or article.title).rstrip("/").rsplit("/", 1)[-1]
            out.append((f"feeds/{path.name}#{slug}", replace(article, sample=True)))
    return out


def _sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def _headline(sentence: str, words: int) -> str:
    return " ".join(_DATELINE.sub("", sentence).split()[:words]).rstrip(",.;:")


def _swap(text: str, rng: random.Random, rate: float) -> str:
    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        new = _SYNONYMS.get(word.lower())
        if new is None or rng.random() > rate:
            return word
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return re.sub(r"[A-Za-z]+", sub, text)


def _rewrite(article: Article, rng: random.Random, n: int) -> dict[str, Any]:
    """A paraphrase-like copy: another outlet, hours later, reordered, reworded, cut or retitled."""
    sentences = _sentences(article.text)
    lead, rest = sentences[:1], sentences[1:]
    recipe = n % 4
    if recipe == 0:  # reorder the body, swap words
        rng.shuffle(rest)
        body = lead + rest
        title = _swap(article.title, rng, 0.8)
    elif recipe == 1:  # a feed summary: the first sentences only, under a new headline
        body = sentences[: rng.randint(2, 3)]
        title = _headline(sentences[0], 12) if sentences else article.title
    elif recipe == 2:  # a rewritten piece: most sentences, reordered in blocks, reworded
        keep = rest[: max(2, int(len(rest) * 0.7))]
        half = len(keep) // 2
        body = lead + keep[half:] + keep[:half]
        title = _swap(article.title, rng, 1.0)
    else:  # truncated and reworded, new title from the second sentence
        body = sentences[: max(3, len(sentences) // 2)]
        second = sentences[1] if len(sentences) > 1 else article.title
        title = _headline(second, 11)
    text = "\n\n".join(_swap(s, rng, 0.6) for s in body)
    published = (article.published or datetime(2019, 11, 15, 12, tzinfo=UTC)) + timedelta(
        hours=rng.randint(1, 30))
    outlets = [o for o in _OUTLETS if o != article.source]
    return {
        "title": title,
        "text": text,
        "source": outlets[n % len(outlets)],
        "published": published.isoformat(),
        "url": f"https://samples.briefing.invalid/rewrites/{n:03d}",
        "recipe": ["reorder+synonyms", "summary+new-title", "blocks+synonyms", "truncate+new-title"][recipe],
    }


def generate(seed: int = 6) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rewrites of every file article (not the seed) and the labels that cover them."""
    rng = random.Random(seed)
    rewrites: list[dict[str, Any]] = []
    stories = {name: list(keys) for name, keys in SAMPLE_STORIES.items()}
    story_of = {key: name for name, keys in stories.items() for key in keys}
    for key, article in sample_articles():
        if not key.startswith("articles/") or key.endswith("putin-turkey.txt"):
            continue
        n = len(rewrites)
        rewrite = {"key": f"rewrites/{n:03d}", "of": key, **_rewrite(article, rng, n)}
        rewrites.append(rewrite)
        story = story_of.get(key) or f"rewrite-of:{key}"
        stories.setdefault(story, [key]).append(rewrite["key"])
        story_of[key] = story
    labels = {
        "about": "Story labels for bench/clusters.py and tests/core/stories/test_clusters.py. Each story "
                 "lists the keys of its articles; every other article of the corpus is its own "
                 "story. Keys: articles/<file> and feeds/<file>#<slug> from briefing/samples, "
                 "rewrites/<N> from rewrites.json (synthetic, regenerate with "
                 "`python -m tests.core.stories.cluster_corpus`).",
        "stories": stories,
        "different_events": DIFFERENT_EVENTS,
    }
    return rewrites, labels


def load_corpus() -> tuple[list[tuple[str, Article]], dict[str, str]]:
    """Every keyed article (samples and rewrites) and the story of each key."""
    articles = sample_articles()
    for item in json.loads(REWRITES.read_text(encoding="utf-8")):
        articles.append((item["key"], Article(
            id="", title=item["title"], text=item["text"], source=item["source"], feed="import",
            link=item["url"], published=datetime.fromisoformat(item["published"]), tags=("sample",),
            sample=True,
        )))
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    story = {key: key for key, _ in articles}
    for name, keys in labels["stories"].items():
        for key in keys:
            story[key] = name
    return articles, story


def pairwise_scores(story: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, int, int, int]:
    """Pairwise precision and recall of predicted clusters against the labelled stories."""
    keys = sorted(story)
    tp = fp = fn = 0
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            same, guessed = story[a] == story[b], predicted[a] == predicted[b]
            tp += same and guessed
            fp += guessed and not same
            fn += same and not guessed
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


if __name__ == "__main__":
    generated, labelled = generate()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    REWRITES.write_text(json.dumps(generated, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    LABELS.write_text(json.dumps(labelled, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(generated)} rewrites and {len(labelled['stories'])} stories to {FIXTURES}")

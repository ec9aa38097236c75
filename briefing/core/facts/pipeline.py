"""The facts pipeline: one article's title and body in, one `Facts` out.

Runs the extractors in order (sentences, entities, dates, quantities, quotes, salience) on
plain text. Pure and deterministic: no I/O beyond the lazily loaded word lists, no network.
"""

from __future__ import annotations

import datetime

from briefing.core.facts.dates import extract_dates, find_dates
from briefing.core.facts.entities import extract_entities
from briefing.core.facts.quantities import extract_quantities
from briefing.core.facts.quotes import extract_quotes
from briefing.core.facts.salience import entity_scores, key_sentences, topics
from briefing.core.facts.sentences import split_sentences
from briefing.core.models.facts import Facts, Sentence


def extract_facts(title: str, body: str, published: datetime.date | None) -> Facts:
    """Key facts of one article; `body` is plain text with blank lines between paragraphs."""
    if isinstance(published, datetime.datetime):
        published = published.date()
    title = " ".join(title.split())
    sentences = [Sentence(title, -1, -1), *split_sentences(body)]
    texts = [s.text for s in sentences]
    found = extract_entities(texts)
    date_matches = [find_dates(t) for t in texts]
    dates = extract_dates(texts, published, date_matches)
    quantities = extract_quantities(texts, [[m.span() for m in ms] for ms in date_matches])
    quotes = extract_quotes(body, sentences, found.mentions, found.entities)
    scores = entity_scores(found.entities, found.mentions, len(sentences))
    keys = key_sentences(sentences, found.mentions, scores, dates, quantities)
    return Facts(
        title=title,
        published=published.isoformat() if published else None,
        sentences=tuple(sentences),
        entities=tuple(found.entities),
        dates=tuple(dates),
        quantities=tuple(quantities),
        quotes=tuple(quotes),
        key_sentences=tuple(keys),
        topics=tuple(topics(found.entities, scores, found.countries, sentences)),
    )

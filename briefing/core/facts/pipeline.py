"""The facts pipeline: one article's title and body in, one `Facts` out.

Runs the extractors in order (sentences, entities, dates, quantities, quotes, salience) on
plain text. Pure and deterministic: no I/O beyond the lazily loaded word lists, no network.
Never raises on any text: a kind of fact whose extractor fails is left empty and named in
`Facts.failures`, and every other kind is kept.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import TypeVar

from briefing.core.facts.dates import extract_dates, find_dates
from briefing.core.facts.entities import EntityResult, extract_entities
from briefing.core.facts.quantities import extract_quantities
from briefing.core.facts.quotes import extract_quotes
from briefing.core.facts.salience import entity_scores, key_sentences, topics
from briefing.core.facts.sentences import split_sentences
from briefing.core.models.facts import DateRef, Facts, Quantity, Quote, Sentence

_T = TypeVar("_T")


class _Failures:
    """Runs one extractor step; on an exception, records "kind: ExceptionName" and returns
    the step's empty result, so one broken rule costs one kind of fact, not the article."""

    def __init__(self) -> None:
        self.found: dict[str, None] = {}

    def run(self, kind: str, step: Callable[[], _T], empty: _T) -> _T:
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - the failure is recorded, the others go on
            self.found[f"{kind}: {type(exc).__name__}"] = None
            return empty


def _whole_body(body: str) -> list[Sentence]:
    """The body as one sentence: what is left when the sentence splitter fails."""
    start = len(body) - len(body.lstrip())
    end = len(body.rstrip())
    return [Sentence(body[start:end], start, end)] if end > start else []


def extract_facts(title: str, body: str, published: datetime.date | None) -> Facts:
    """Key facts of one article; `body` is plain text with blank lines between paragraphs."""
    if isinstance(published, datetime.datetime):
        published = published.date()
    title = " ".join(title.split())
    failures = _Failures()
    run = failures.run
    body_sentences = run("sentences", lambda: split_sentences(body), None)
    if body_sentences is None:
        body_sentences = _whole_body(body)
    sentences = [Sentence(title, -1, -1), *body_sentences]
    texts = [s.text for s in sentences]
    found = run("entities", lambda: extract_entities(texts), EntityResult([], [], []))
    no_dates: list[list[re.Match[str]]] = [[] for _ in texts]
    date_matches = run("dates", lambda: [find_dates(t) for t in texts], no_dates)
    dates: list[DateRef] = run("dates", lambda: extract_dates(texts, published, date_matches), [])
    date_spans = [[m.span() for m in ms] for ms in date_matches]
    quantities: list[Quantity] = run("quantities", lambda: extract_quantities(texts, date_spans), [])
    quotes: list[Quote] = run(
        "quotes", lambda: extract_quotes(body, sentences, found.mentions, found.entities), []
    )
    no_scores = [0.0] * len(found.entities)
    scores = run(
        "salience",
        lambda: entity_scores(found.entities, found.mentions, len(sentences), sentences),
        no_scores,
    )
    keys: list[int] = run(
        "salience", lambda: key_sentences(sentences, found.mentions, scores, dates, quantities), []
    )
    subjects: list[str] = run(
        "salience", lambda: topics(found.entities, scores, found.countries, sentences), []
    )
    return Facts(
        title=title,
        published=published.isoformat() if published else None,
        sentences=tuple(sentences),
        entities=tuple(found.entities),
        dates=tuple(dates),
        quantities=tuple(quantities),
        quotes=tuple(quotes),
        key_sentences=tuple(keys),
        topics=tuple(subjects),
        failures=tuple(failures.found),
    )

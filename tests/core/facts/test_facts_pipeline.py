"""One extractor failing costs its own kind of fact, never the article's other facts."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, NoReturn

import pytest

from briefing.core.facts import extract_facts, pipeline
from briefing.core.models.facts import Facts

TITLE = "Harbour authority buys two cranes for $40 million"
BODY = (
    "The Port of Valdmark said on Monday it would spend $40 million on two new cranes, "
    "raising capacity by 15% by March 2026.\n\n"
    '"We have waited a long time for this," said harbour master Ilse Brandt, who added that '
    "the cranes would arrive from Rotterdam next year.\n\n"
    "Unions welcomed the plan."
)


def _raise(*args: Any, **kwargs: Any) -> NoReturn:
    raise IndexError("provoked")


def _facts() -> Facts:
    return extract_facts(TITLE, BODY, date(2025, 3, 3))


def test_a_whole_article_records_no_failures_and_no_failures_key() -> None:
    facts = _facts()
    assert facts.failures == ()
    assert "failures" not in facts.to_dict()
    assert facts.entities and facts.dates and facts.quantities and facts.quotes


def test_a_failing_quantity_extractor_keeps_every_other_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _facts()
    monkeypatch.setattr(pipeline, "extract_quantities", _raise)
    facts = _facts()
    assert facts.failures == ("quantities: IndexError",)
    assert facts.quantities == ()
    assert (facts.entities, facts.dates, facts.quotes, facts.topics) == (
        whole.entities,
        whole.dates,
        whole.quotes,
        whole.topics,
    )
    assert facts.key_sentences  # still ranked, with one signal fewer


@pytest.mark.parametrize(
    ("step", "kind", "emptied"),
    [
        ("split_sentences", "sentences", None),
        ("extract_entities", "entities", "entities"),
        ("find_dates", "dates", "dates"),
        ("extract_dates", "dates", "dates"),
        ("extract_quotes", "quotes", "quotes"),
        ("entity_scores", "salience", None),
        ("key_sentences", "salience", "key_sentences"),
        ("topics", "salience", "topics"),
    ],
)
def test_each_kind_fails_alone(
    monkeypatch: pytest.MonkeyPatch, step: str, kind: str, emptied: str | None
) -> None:
    monkeypatch.setattr(pipeline, step, _raise)
    facts = _facts()
    assert facts.failures == (f"{kind}: IndexError",)
    if emptied:
        assert getattr(facts, emptied) == ()
    assert facts.quantities or kind == "sentences"
    if kind != "entities":
        assert facts.entities
    n = len(facts.sentences)
    indexes = [x.sentence for x in facts.quantities] + [x.sentence for x in facts.dates]
    assert all(0 <= i < n for i in indexes + [x.sentence for x in facts.quotes])


def test_a_failed_sentence_splitter_leaves_the_body_as_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "split_sentences", _raise)
    facts = _facts()
    assert [s.text for s in facts.sentences[1:]] == [BODY.strip()]
    assert {q.text for q in facts.quantities} >= {"$40 million", "15%"}


def test_failures_round_trip_through_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "extract_quotes", _raise)
    facts = _facts()
    data = json.loads(json.dumps(facts.to_dict()))
    assert data["failures"] == ["quotes: IndexError"]
    assert Facts.from_dict(data) == facts
    assert Facts.from_dict({**data, "failures": []}).failures == ()
    assert Facts.from_dict({k: v for k, v in data.items() if k != "failures"}).failures == ()

"""The facts engine on every real text we have and on hostile mutations of them: it returns,
its facts point at real sentences, and no extractor fails.

The CI run takes every real text, two mutations of each (kinds in turn), each text with its
numbers spelled out, the very long and the tiny texts; `-m slow` runs every mutation of every
text (asked for by name: `pytest -m slow tests/core/facts/test_facts_corpus.py`). Without
../shared only the repo's own texts are run (the count test says so).
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from functools import cache

import pytest

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Facts
from tests.core.facts.corpus import MUTATIONS, Text, mutations, real_texts, shared_present

SHARDS = 8
PUBLISHED = date(2020, 1, 15)
KNOWN_FAILURES: set[str] = set()
"""Failures the harness tolerates with a warning while a fix is under way (none now)."""


def _norm(text: str) -> str:
    return " ".join(text.split())


def check_facts(facts: Facts, title: str, body: str) -> None:
    """What must hold of the facts of any text, however odd."""
    n = len(facts.sentences)
    assert n >= 1 and facts.sentences[0].text == _norm(title)
    for s in facts.sentences[1:]:
        assert 0 <= s.start < s.end <= len(body) and body[s.start : s.end] == s.text
    for q in facts.quantities:
        assert 0 <= q.sentence < n and q.text and q.text in facts.sentences[q.sentence].text, q
        assert q.value is None or q.value == q.value  # never NaN
    for d in facts.dates:
        assert 0 <= d.sentence < n and d.text in _norm(facts.sentences[d.sentence].text), d
    whole = _norm(title) + " " + _norm(body)
    for quote in facts.quotes:
        # A quotation may run on over several sentences; it starts in or after its sentence.
        assert 0 <= quote.sentence < n and _norm(quote.text) in whole, quote
    for e in facts.entities:
        assert 0 <= e.sentence < n and e.name
    assert all(0 <= i < n for i in facts.key_sentences)
    assert Facts.from_dict(facts.to_dict()) == facts


def _run(items: list[Text]) -> None:
    failures: list[tuple[str, str]] = []
    for name, title, body in items:
        try:
            facts = extract_facts(title, body, PUBLISHED)
        except Exception as exc:  # noqa: BLE001 - collected, so one run names every text
            failures.append((name, f"raised {type(exc).__name__}: {exc}"))
            continue
        try:
            check_facts(facts, title, body)
        except AssertionError as exc:
            failures.append((name, f"invalid facts: {exc}"))
        failures.extend((name, f) for f in facts.failures)
    known = [(name, f) for name, f in failures if f in KNOWN_FAILURES]
    if known:
        warnings.warn(f"{len(known)} known extractor failures, e.g. {known[0]}", stacklevel=2)
    unexpected = [(name, f) for name, f in failures if f not in KNOWN_FAILURES]
    assert not unexpected, f"{len(unexpected)} of {len(items)} texts failed: {unexpected[:10]}"


@cache
def ci_sample() -> tuple[Text, ...]:
    """Every real text, two mutations of each (the kinds in turn), every text spelled out, a
    third of the long texts and every tiny one: some 1,300 runs, six seconds of CPU."""
    texts = real_texts()
    kinds = list(MUTATIONS)
    per_texts = len(texts) * len(kinds)
    out: list[Text] = list(texts)
    for i, item in enumerate(mutations(texts)):
        base, _, kind = item[0].rpartition("#")
        if i < per_texts:
            turn = i // len(kinds)
            wanted = kind in {"spelled", kinds[turn % len(kinds)], kinds[(turn + 6) % len(kinds)]}
        else:
            wanted = base != "long" or int(kind) % 90 == 0
        if wanted:
            out.append(item)
    return tuple(out)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_real_texts_and_mutations_never_fail(shard: int) -> None:
    _run(list(ci_sample()[shard::SHARDS]))


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_mutation_of_every_text_never_fails(shard: int, request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.option.markexpr or ""):
        pytest.skip("some 4,000 runs (a minute of CPU): run with -m slow")
    items = [*real_texts(), *mutations(real_texts())]
    _run(items[shard::SHARDS])


def test_the_harness_reads_the_shared_texts() -> None:
    if not shared_present():
        pytest.skip("../shared is absent: the harness runs the repo's own texts only")
    names = [name for name, _, _ in real_texts()]
    assert sum(n.startswith("article-extraction/") for n in names) >= 150
    assert sum("meantime-dev" in n for n in names) >= 50


def test_spelled_mutation_writes_numbers_in_words() -> None:
    import random

    from tests.core.facts.corpus import spell_numbers

    rng = random.Random(1)
    out = spell_numbers("Profit rose 12% to $3 billion in 2019, or 15-20% more than 1,250 rivals.", rng)
    assert "twelve percent" in out or "twelve per cent" in out
    assert "three billion dollars" in out and "2019" in out
    assert "one thousand two hundred and fifty rivals" in out
    assert not re.search(r"\d", out.replace("2019", ""))

"""End to end on the seed article against its gold key facts (../shared/seed)."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Facts
from briefing.core.text.textfile import parse_plain_article

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
SEED = SHARED / "seed" / "putin-turkey.txt"
GOLD = SHARED / "seed" / "putin-turkey.facts.json"

pytestmark = pytest.mark.skipif(
    not (SEED.exists() and GOLD.exists()), reason="../shared/seed is not next to the repo"
)


def _fold(text: str) -> str:
    text = text.replace("ı", "i").replace("İ", "I").replace("’", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@pytest.fixture(scope="module")
def seed() -> tuple[Facts, dict[str, Any]]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    article = parse_plain_article(SEED.read_text(encoding="utf-8"))
    facts = extract_facts(article.title, article.body, date.fromisoformat(gold["published"]))
    return facts, gold


def test_every_gold_entity_with_type_and_role(seed: tuple[Facts, dict[str, Any]]) -> None:
    facts, gold = seed
    for g in gold["entities"]:
        names = {_fold(n) for n in g["names"]}
        hits = [e for e in facts.entities if {_fold(n) for n in (e.name, *e.aliases)} & names]
        assert hits, f"missing {g['names'][0]}"
        types = {g["type"], g.get("also_type", g["type"])}
        assert any(e.type in types for e in hits), (g["names"][0], [e.type for e in hits])
        if want := g.get("role_contains"):
            roles = [e.role or "" for e in hits]
            assert any(want.casefold() in r.casefold() for r in roles), (want, roles)


def test_no_forbidden_entities(seed: tuple[Facts, dict[str, Any]]) -> None:
    facts, gold = seed
    bad = {_fold(n) for n in gold["must_not"]}
    assert not [e.name for e in facts.entities if _fold(e.name) in bad]


def test_dates(seed: tuple[Facts, dict[str, Any]]) -> None:
    facts, gold = seed
    values = {d.value for d in facts.dates}
    for d in gold["dates"]:
        assert d["value"] in values, d


def test_quotes_and_speakers(seed: tuple[Facts, dict[str, Any]]) -> None:
    facts, gold = seed
    for q in gold["quotes"]:
        found = [x for x in facts.quotes if _fold(x.text).startswith(_fold(q["starts"]))]
        assert found, q["starts"]
        assert any(_fold(x.speaker or "") == _fold(q["speaker"]) for x in found), (
            q,
            [x.speaker for x in found],
        )


def test_key_sentences_and_topics(seed: tuple[Facts, dict[str, Any]]) -> None:
    facts, gold = seed
    keys = [_fold(t) for t in facts.key_sentence_texts()]
    leads = [_fold(t) for t in gold["key_sentences_include_one_of"]]
    assert any(k.startswith(lead) for k in keys for lead in leads)
    topics = {_fold(t) for t in facts.topics}
    for t in gold["topics_include"]:
        assert _fold(t) in topics, t

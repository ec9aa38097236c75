"""The JSON of facts: the new keys (speaker_description, future) round-trip, old stored facts
without them still load, and the reader's outputs show who speaks and which dates lie ahead."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from briefing.commands import _render_facts
from briefing.core.facts import extract_facts
from briefing.core.models.facts import DateRef, Facts, Quote, quote_attribution


def test_new_keys_round_trip() -> None:
    facts = Facts(
        title="Talks",
        dates=(DateRef("Monday", "2024-03-11", 1, True), DateRef("May", "2023-05", 2)),
        quotes=(
            Quote("We are close to a deal", None, 1, "a senior negotiator"),
            Quote("Nothing is agreed yet", "Lena Varga", 2),
        ),
    )
    data = facts.to_dict()
    assert data["dates"][0]["future"] is True
    assert data["dates"][1]["future"] is False
    assert data["quotes"][0]["speaker_description"] == "a senior negotiator"
    assert "speaker_description" in data["quotes"][1]  # present always, null when none
    assert data["quotes"][1]["speaker_description"] is None
    assert Facts.from_dict(data) == facts


def test_old_stored_facts_without_the_new_keys_load() -> None:
    old = {
        "title": "Old article",
        "published": "2019-11-16",
        "entities": [],
        "dates": [{"text": "Friday", "value": "2019-11-15", "sentence": 1}],
        "quantities": [],
        "quotes": [{"text": "We will not resign today", "speaker": "Ana Ruiz", "sentence": 2}],
        "key_sentences": [],
        "key_sentence_ids": [],
        "topics": [],
        "sentences": [["Old article", -1, -1]],
    }
    facts = Facts.from_dict(old)
    assert facts.dates == (DateRef("Friday", "2019-11-15", 1, False),)
    assert facts.quotes == (Quote("We will not resign today", "Ana Ruiz", 2, None),)
    assert facts.to_dict()["quotes"][0]["speaker_description"] is None


def test_the_engine_flags_dates_after_publication() -> None:
    facts = extract_facts(
        "Port strike", "The dockers walked out on Tuesday. Talks will resume on Monday.", date(2024, 3, 9)
    )
    flags = {d.text: (d.value, d.future) for d in facts.dates}
    assert flags == {"Tuesday": ("2024-03-05", False), "Monday": ("2024-03-11", True)}


def test_attribution_shown_instead_of_unattributed() -> None:
    assert quote_attribution(None, "a port official") == "a port official"
    assert quote_attribution("Ana Ruiz", None) == "Ana Ruiz"
    assert quote_attribution(None, None) == "unattributed"
    assert quote_attribution("Norvik", "a Norvik spokesman") == "a Norvik spokesman"
    assert quote_attribution("Norvik", "a spokesman for the firm") == "Norvik (a spokesman for the firm)"


def test_facts_output_names_described_speakers_and_future_dates() -> None:
    facts = Facts(
        title="Talks",
        dates=(DateRef("Monday", "2024-03-11", 1, True),),
        quotes=(Quote("We are close to a deal", None, 1, "a senior negotiator"),),
    )
    out = io.StringIO()
    _render_facts(Console(file=out, width=200), facts.to_dict())
    text = out.getvalue()
    assert "— a senior negotiator" in text
    assert "unattributed" not in text
    assert "2024-03-11 (future)" in text

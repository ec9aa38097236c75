"""Key sentences and topics: the lead and the salient names, deduplicated."""

from __future__ import annotations

from datetime import date

from briefing.core.facts import extract_facts
from briefing.core.models.facts import DateRef, Entity, Quantity, Quote

BODY = (
    "Chilean President Gabriel Rojas signed a $4 billion lithium deal with Korvex Mining "
    "in Santiago on Tuesday, officials said.\n\n"
    "The agreement gives Korvex Mining rights to two salt flats until 2040.\n\n"
    "Rojas said the deal would create 3,000 jobs. Critics disagreed.\n\n"
    "It rained in the afternoon."
)


def test_key_sentences_are_three_distinct_body_sentences_lead_first() -> None:
    facts = extract_facts("Chile signs lithium deal with Korvex Mining", BODY, date(2023, 4, 12))
    keys = facts.key_sentences
    assert len(keys) == 3 and len(set(keys)) == 3
    assert 0 not in keys
    assert keys[0] == 1
    assert "It rained in the afternoon." not in facts.key_sentence_texts()


def test_topics_hold_salient_names_and_countries_from_adjectives() -> None:
    facts = extract_facts("Chile signs lithium deal with Korvex Mining", BODY, date(2023, 4, 12))
    topics = list(facts.topics)
    assert "Gabriel Rojas" in topics
    assert "Korvex Mining" in topics
    assert "Chile" in topics
    assert len(topics) == len({t.casefold() for t in topics})


def test_every_fact_points_at_a_real_sentence() -> None:
    facts = extract_facts("Chile signs lithium deal with Korvex Mining", BODY, date(2023, 4, 12))
    n = len(facts.sentences)
    assert facts.sentences[0].start == facts.sentences[0].end == -1
    items: list[Entity | DateRef | Quantity | Quote] = [
        *facts.entities,
        *facts.dates,
        *facts.quantities,
        *facts.quotes,
    ]
    assert all(0 <= item.sentence < n for item in items)
    for s in facts.sentences[1:]:
        assert BODY[s.start : s.end] == s.text


def test_credits_and_cited_media_are_no_topics() -> None:
    from briefing.core.facts import extract_facts

    body = (
        "VARNOSA (Kestrel Wire) - Floods cut the road between Varnosa and Teldrin on Monday, "
        "the Ministry of Roads said.\n\n"
        "By Ilse Marwick\n\n"
        "The Ministry of Roads told Harbour Ledger that repairs would take a month, and the "
        "Ministry of Roads said crews were on site.\n\n"
        "Reporting by Ilse Marwick; Editing by Tomas Brell"
    )
    facts = extract_facts("Floods cut road", body, None)
    assert "Ministry of Roads" in facts.topics
    for name in ("Kestrel Wire", "Harbour Ledger", "Ilse Marwick", "Tomas Brell", "Editing"):
        assert name not in facts.topics, name
    assert "Editing" not in {e.name for e in facts.entities}


def test_in_a_dateline_only_its_first_name_is_a_topic() -> None:
    from briefing.core.facts import extract_facts

    facts = extract_facts(
        "Navalny jailed again",
        "LISBON, 24 SET (ANSA) - Opposition leader Ilya Vorontsov was jailed for 20 more days "
        "on Monday, Russian media said.",
        None,
    )
    assert "Lisbon" in facts.topics and "Ilya Vorontsov" in facts.topics
    assert "SET" not in facts.topics and "ANSA" not in facts.topics

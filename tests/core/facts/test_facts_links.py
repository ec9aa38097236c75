"""Web and mail addresses give no names, and blanking them moves no offset."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.core.facts import extract_facts
from briefing.core.facts.entities.links import without_addresses


@pytest.mark.parametrize(
    "sentence",
    [
        "Source link: (bit.ly/2jBh4LU) (bit.ly/2jpEXYR)",
        "See https://www.Reuters.com/Markets/Story for more.",
        "Visit www.BBC.co.uk/News today.",
        "Write to John.Smith@Reuters.com for details.",
        "Read more: http://amzn.to/2hYzHgP",
    ],
)
def test_no_name_comes_from_an_address(sentence: str) -> None:
    facts = extract_facts("Report", sentence, date(2026, 11, 20))
    assert [e.name for e in facts.entities] == []


def test_names_around_an_address_keep_their_place_in_the_text() -> None:
    body = "Maria Kowalski of Gazprom said so (bit.ly/2jBh4LU), Reuters reported from Ankara."
    facts = extract_facts("Report", body, date(2026, 11, 20))
    assert {e.name for e in facts.entities} >= {"Maria Kowalski", "Gazprom", "Ankara"}
    sentence = facts.sentences[1]
    for e in facts.entities:  # every entity's name is where its sentence says it is
        assert e.name in sentence.text or any(a in sentence.text for a in e.aliases)


def test_a_site_named_without_an_address_stays_a_name() -> None:
    facts = extract_facts("Report", "The retailer Amazon.com said sales rose in Ohio.", date(2026, 11, 20))
    assert "Amazon.com" in {e.name for e in facts.entities}


def test_blanking_keeps_lengths_and_everything_else() -> None:
    sentences = ["Plain text, no address.", "Trade between the U.S./China and 1.5bn/year rose.",
                 "Go to www.example.com/a?b=c now.", "Mail a.b@example.org or call."]
    out = without_addresses(sentences)
    assert [len(s) for s in out] == [len(s) for s in sentences]
    assert out[:2] == sentences[:2]  # a slash between words or numbers is no address
    assert out[2] == "Go to " + " " * len("www.example.com/a?b=c") + " now."
    assert out[3] == "Mail " + " " * len("a.b@example.org") + " or call."

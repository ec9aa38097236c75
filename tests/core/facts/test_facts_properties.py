"""Any text at all yields valid facts without exceptions."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.facts import extract_facts
from briefing.core.models.facts import DateRef, Entity, Facts, Quantity, Quote

_NEWSY = st.sampled_from(
    [
        "President", "Ankara", "U.S.", "said", "“", "”", '"', "Nov.", "15", "$3bn", "12%",
        "Inc.", "(EADS)", "the", "of", "and", ",", ".", "\n\n", "Mr.", "O’Brien", "-", "’s",
        "January", "yesterday", "last", "Tuesday", "he", "it", "told", "according", "to",
    ]
)  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(_NEWSY, st.text(max_size=8)), max_size=80).map(" ".join),
)


def _check(facts: Facts, body: str) -> None:
    n = len(facts.sentences)
    assert n >= 1
    for s in facts.sentences[1:]:
        assert 0 <= s.start <= s.end <= len(body)
        assert body[s.start : s.end] == s.text
    items: list[Entity | DateRef | Quantity | Quote] = [
        *facts.entities,
        *facts.dates,
        *facts.quantities,
        *facts.quotes,
    ]
    assert all(0 <= item.sentence < n for item in items)
    for e in facts.entities:
        assert e.name and e.type in {"person", "organization", "place", "other"}
        assert e.mentions >= 1
    for d in facts.dates:
        assert len(d.value) in (4, 7, 10)
        date.fromisoformat(d.value if len(d.value) == 10 else d.value[:4] + "-01-01")
    assert len(facts.key_sentences) <= 3
    assert all(0 <= i < n for i in facts.key_sentences)
    assert Facts.from_dict(facts.to_dict()) == facts


@settings(max_examples=200, deadline=None)
@given(title=_TEXT, body=_TEXT, published=st.one_of(st.none(), st.dates()))
def test_any_text_gives_valid_facts(title: str, body: str, published: date | None) -> None:
    _check(extract_facts(title, body, published), body)

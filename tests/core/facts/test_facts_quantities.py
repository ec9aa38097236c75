"""Money, percentages and counts with values and units; dates are never quantities."""

from __future__ import annotations

import pytest

from briefing.core.facts.dates import date_spans
from briefing.core.facts.quantities import extract_quantities
from briefing.core.models import Quantity


def _q(sentence: str) -> list[Quantity]:
    return extract_quantities(["Title", sentence], [[], date_spans(sentence)])


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("The deal is worth $15 billion.", "$15 billion", 15e9, "USD"),
        ("Brussels set aside €2.3bn for the scheme.", "€2.3bn", 2.3e9, "EUR"),
        ("The club paid £48m for him.", "£48m", 48e6, "GBP"),
        ("Exports reached US$7.2 bn last year.", "US$7.2 bn", 7.2e9, "USD"),
        ("The fine was 9.9 billion yuan.", "9.9 billion yuan", 9.9e9, "CNY"),
        ("Tickets cost 40 euros each.", "40 euros", 40.0, "EUR"),
        ("Shares closed at $1,099 apiece.", "$1,099", 1099.0, "USD"),
        ("Rogers agreed to buy Shaw in a $20-billion deal.", "$20-billion", 20e9, "USD"),
        ("The city approved a 3-billion-euro plan.", "3-billion-euro", 3e9, "EUR"),
        ("The repairs will cost $20-30 billion.", "$20-30 billion", 20e9, "USD"),
    ],
)
def test_money(sentence: str, text: str, value: float, unit: str) -> None:
    money = [q for q in _q(sentence) if q.kind == "money"]
    assert [(q.text, q.value, q.unit) for q in money] == [(text, value, unit)]


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Turnout was 61.5% in the capital.", "61.5%", 61.5),
        ("Costs rose 78 percent in a year.", "78 percent", 78.0),
        ("Airlines want gains of 15-20% from new jets.", "15-20%", 15.0),
        ("Inflation eased to 3.1 per cent.", "3.1 per cent", 3.1),
    ],
)
def test_percent(sentence: str, text: str, value: float) -> None:
    pct = [q for q in _q(sentence) if q.kind == "percent"]
    assert [(q.text, q.value, q.unit) for q in pct] == [(text, value, "%")]


def test_counts_take_the_counted_noun() -> None:
    found = _q("The navy bought 179 new aerial refueling tankers and twelve submarines.")
    counts = [(q.text, q.value, q.unit) for q in found if q.kind == "quantity"]
    assert ("179 new aerial refueling tankers", 179.0, "tankers") in counts
    assert ("twelve submarines", 12.0, "submarines") in counts


def test_dates_and_years_are_not_quantities() -> None:
    assert _q("The law took effect on March 3, 2020, and again in 2021.") == []


def test_range_of_money_is_one_quantity() -> None:
    money = [q for q in _q("Airbus will pay between $12 million and $20 million.")]
    assert money[0].kind == "money"
    assert money[0].text.startswith("$12 million")


@pytest.mark.parametrize(
    ("sentence", "text", "unit"),
    [
        ("The county fined the farm 2.5 million shillings.", "2.5 million shillings", "KES"),
        ("A beer in Prague costs 60 crowns.", "60 crowns", "CZK"),
        ("The bond raised 800 million forints.", "800 million forints", "HUF"),
        ("Rent rose to 4,000 cedis a month.", "4,000 cedis", "GHS"),
    ],
)
def test_more_currency_words(sentence: str, text: str, unit: str) -> None:
    money = [q for q in _q(sentence) if q.kind == "money"]
    assert [(q.text, q.unit) for q in money] == [(text, unit)]


def test_money_spans_never_swallow_letters_of_words_before() -> None:
    texts = [q.text for q in _q("Sales fell by €12 million or 4% after it sold a unit for $90 million.")]
    assert texts == ["€12 million", "4%", "$90 million"]
    assert [q.text for q in _q("The firm won a $2bn order.")] == ["$2bn"]


def test_index_names_scores_and_bare_numbers_are_not_quantities() -> None:
    assert _q("The DAX 40 slipped while the Hang Seng 300 gained.") == []
    assert _q("She took the match 6-4, 3-6, 7-5.") == []
    assert _q("Shares rose 300 points and 12 analysts agreed.")[0].text == "300 points"


def test_count_stops_at_its_noun() -> None:
    assert [q.text for q in _q("Police made 45 arrests overnight in the city.")] == ["45 arrests"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The index slipped below the five thousand mark.",
        "Five thousand.",
        "twelve million",
        "It cost $5 (USD and more.",
        "A " + "9" * 400 + " tanks rolled in.",
        "They paid 5 bİllion dollars.",
        "hundreds",
    ],
    ids=lambda s: s[:30],
)
def test_odd_numbers_never_raise_and_texts_stay_in_the_sentence(sentence: str) -> None:
    for q in _q(sentence):
        assert q.text in sentence
        assert q.value is None or q.value < float("inf")


def test_a_number_too_large_for_a_float_has_no_value() -> None:
    [q] = _q("A " + "9" * 400 + " tanks rolled in.")
    assert (q.value, q.unit) == (None, "tanks")

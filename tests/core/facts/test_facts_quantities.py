"""Money, percentages and counts with values and units; dates are never quantities."""

from __future__ import annotations

import pytest

from briefing.core.facts.dates import date_spans
from briefing.core.facts.quantities import extract_quantities
from briefing.core.models.facts import Quantity


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


@pytest.mark.parametrize(
    ("sentence", "text", "value", "high"),
    [
        ("The repairs will cost $20-30 billion.", "$20-30 billion", 20e9, 30e9),
        ("Airlines want gains of 15-20% from new jets.", "15-20%", 15.0, 20.0),
        ("Yields may rise 20 to 30 percent.", "20 to 30 percent", 20.0, 30.0),
        ("Growth will be between 2 and 5 percent.", "2 and 5 percent", 2.0, 5.0),
        ("Between 40 and 60 people were hurt.", "40 and 60 people", 40.0, 60.0),
        ("The plan costs 20 to 30 million euros.", "20 to 30 million euros", 20e6, 30e6),
    ],
)
def test_a_range_keeps_its_low_end_as_value_and_its_high_end(
    sentence: str, text: str, value: float, high: float
) -> None:
    [q] = _q(sentence)
    assert (q.text, q.value, q.high) == (text, value, high)


def test_from_one_number_to_another_is_a_change_not_a_range() -> None:
    assert [(q.text, q.high) for q in _q("Turnout rose from 20 to 30 percent.")] == [("30 percent", None)]
    found = _q("Costs went from $5 million to $7 million.")
    assert [(q.text, q.high) for q in found] == [("$5 million", None), ("$7 million", None)]


def test_and_between_two_sums_without_between_makes_two_sums() -> None:
    assert [q.text for q in _q("He paid $5 million and $3 million respectively.")] == [
        "$5 million",
        "$3 million",
    ]


@pytest.mark.parametrize(
    ("sentence", "text", "unit"),
    [
        ("Some 500 people died in the floods.", "500 people", "people"),
        ("Some 40,000 Iraqis crossed the border.", "40,000 Iraqis", "Iraqis"),
        ("The bloc sent 2,500 EU monitors.", "2,500 EU monitors", "monitors"),
        ("The depot hired 40 police officers.", "40 police officers", "officers"),
        ("The engine makes 318 hp at full power.", "318 hp", "hp"),
    ],
)
def test_the_counted_noun_is_a_plural_or_a_unit_and_never_a_verb(sentence: str, text: str, unit: str) -> None:
    assert [(q.text, q.unit) for q in _q(sentence)] == [(text, unit)]


@pytest.mark.parametrize(
    "sentence",
    ["The yard sold two to Oceanic Ferries.", "Driver 20 Chris Palmer was fourth.", "55 are missing."],
)
def test_function_words_and_names_are_no_counted_nouns(sentence: str) -> None:
    assert _q(sentence) == []


def test_high_is_in_the_json_only_for_ranges() -> None:
    from briefing.core.models.facts import Facts

    facts = Facts(quantities=tuple(_q("Prices rose 15-20% after a 3% fall.")))
    data = facts.to_dict()["quantities"]
    assert data[0]["high"] == 20.0 and "high" not in data[1]
    assert Facts.from_dict(facts.to_dict()) == facts

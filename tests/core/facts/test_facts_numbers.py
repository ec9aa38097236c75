"""Numbers written in words: the number grammar of `numbers`, and what `quantities` makes
of each (money, percent, counts, ranges, shares), with the words that only look like one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.facts.dates import date_spans
from briefing.core.facts.numbers import find_word_numbers
from briefing.core.facts.quantities import extract_quantities
from briefing.core.models.facts import Quantity


def _q(sentence: str, title: bool = False) -> list[Quantity]:
    if title:
        return extract_quantities([sentence], [date_spans(sentence)])
    return extract_quantities(["Title", sentence], [[], date_spans(sentence)])


def _one(sentence: str) -> tuple[str, str, float | None, str | None, float | None]:
    found = _q(sentence)
    assert len(found) == 1, found
    q = found[0]
    return q.text, q.kind, q.value, q.unit, q.high


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("seven", 7),
        ("nineteen", 19),
        ("forty-two", 42),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("fifteen hundred", 1500),
        ("three hundred and six", 306),
        ("two hundred fifty", 250),
        ("twenty-five thousand", 25_000),
        ("two hundred and fifty thousand", 250_000),
        ("a million", 1e6),
        ("one and a half million", 1.5e6),
        ("a billion and a half", 1.5e9),
        ("four million six hundred thousand", 4.6e6),
        ("two point five million", 2.5e6),
        ("half a billion", 5e8),
        ("three quarters of a million", 750_000),
        ("a dozen", 12),
        ("three dozen", 36),
    ],
)
def test_cardinals_in_words(words: str, value: float) -> None:
    [number] = find_word_numbers(f"They counted {words} of them.")
    assert number.kind == "cardinal"
    assert number.value == pytest.approx(value)
    assert f"They counted {words} of them."[number.start : number.end] == words


@pytest.mark.parametrize(
    "words", ["tens of thousands", "hundreds of millions", "several hundred", "a few thousand", "dozens"]
)
def test_vague_magnitudes_have_no_value(words: str) -> None:
    [number] = find_word_numbers(f"Officials said {words} were there.")
    assert (number.value, number.kind) == (None, "vague")


def test_a_range_is_two_numbers_never_one() -> None:
    text = "between two hundred and five hundred"
    assert [n.value for n in find_word_numbers(text)] == [200, 500]
    assert [n.value for n in find_word_numbers("between two and five")] == [2, 5]


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("Inflation rose nine percent in March.", ("nine percent", "percent", 9.0, "%", None)),
        ("Prices climbed nearly twelve per cent.", ("twelve per cent", "percent", 12.0, "%", None)),
        (
            "The bank trimmed rates by a quarter of a percent.",
            ("a quarter of a percent", "percent", 0.25, "%", None),
        ),
        (
            "Its lead shrank by half a percentage point.",
            ("half a percentage point", "quantity", 0.5, "percentage points", None),
        ),
        (
            "The central bank made a quarter-point cut.",
            ("a quarter-point", "quantity", 0.25, "percentage points", None),
        ),
        (
            "Growth should be between two and five percent.",
            ("two and five percent", "percent", 2.0, "%", 5.0),
        ),
        ("Turnout fell twenty to thirty percent.", ("twenty to thirty percent", "percent", 20.0, "%", 30.0)),
        ("Fifty-one percent voted yes.", ("Fifty-one percent", "percent", 51.0, "%", None)),
    ],
)
def test_rates_in_words(sentence: str, want: tuple[object, ...]) -> None:
    assert _one(sentence) == want


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("Brussels pledged three billion euros to the fund.", ("three billion euros", 3e9, "EUR")),
        ("The club paid eighty million pounds for the striker.", ("eighty million pounds", 8e7, "GBP")),
        ("The fine came to two hundred million yuan.", ("two hundred million yuan", 2e8, "CNY")),
        ("Farmers lost a million rupees each.", ("a million rupees", 1e6, "INR")),
        ("The bank lent five million Swiss francs.", ("five million Swiss francs", 5e6, "CHF")),
        ("They were offered half a million dollars.", ("half a million dollars", 5e5, "USD")),
        ("It signed a billion-dollar contract.", ("a billion-dollar", 1e9, "USD")),
        ("Seoul spent ten billion won on it.", ("ten billion won", 1e10, "KRW")),
        (
            "The scheme cost hundreds of millions of dollars.",
            ("hundreds of millions of dollars", None, "USD"),
        ),
        ("It will cost millions of euros.", ("millions of euros", None, "EUR")),
    ],
)
def test_money_in_words(sentence: str, want: tuple[str, float | None, str]) -> None:
    text, kind, value, unit, _ = _one(sentence)
    assert (kind, (text, value, unit)) == ("money", want)


def test_a_money_range_in_words_has_both_ends() -> None:
    assert _one("The bailout is worth two to three billion dollars.") == (
        "two to three billion dollars",
        "money",
        2e9,
        "USD",
        3e9,
    )


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "The army sent twenty-five thousand troops north.",
            ("twenty-five thousand troops", 25_000.0, "troops"),
        ),
        ("A million people marched on Sunday.", ("A million people", 1e6, "people")),
        (
            "Tens of thousands of protesters filled the square.",
            ("Tens of thousands of protesters", None, "protesters"),
        ),
        ("Thousands more residents were told to leave.", ("Thousands more residents", None, "residents")),
        (
            "The city has one and a half million residents.",
            ("one and a half million residents", 1.5e6, "residents"),
        ),
        ("The index slipped below the five thousand mark.", ("five thousand", 5000.0, None)),
        ("A dozen people were hurt.", ("A dozen people", 12.0, "people")),
        ("Rescuers found three children alive.", ("three children", 3.0, "children")),
        ("The carrier ordered six new A321 aircraft.", ("six new A321 aircraft", 6.0, "aircraft")),
    ],
)
def test_counts_in_words(sentence: str, want: tuple[str, float | None, str | None]) -> None:
    text, kind, value, unit, _ = _one(sentence)
    assert (kind, (text, value, unit)) == ("quantity", want)


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("A third of voters backed the plan.", "A third of voters", 33.33),
        ("Two-thirds of the members agreed.", "Two-thirds of the members", 66.67),
        ("Half the staff walked out.", "Half the staff", 50.0),
        ("One quarter of the electorate stayed home.", "One quarter of the electorate", 25.0),
    ],
)
def test_a_fraction_of_a_group_is_its_share_in_percent(sentence: str, text: str, value: float) -> None:
    assert _one(sentence) == (text, "percent", value, "%", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "He was one of the few who stayed.",
        "No one answered the door.",
        "She tried a second time, then a third time.",
        "It was the first day of the talks.",
        "One day the river rose.",
        "At one point he won one.",
        "Fans of One Direction queued outside.",
        "Leaders of the Group of Seven met in Italy.",
        "The second half of the year was calmer.",
        "He spent half an hour there and a quarter of the time waiting.",
        "The army unveiled a five-year plan after two-day talks.",
        "Thousands fled the fighting.",
        "The team won three games.",
        "Covid-nineteen reached the island.",
        "Police Say Seven Were Hurt",
        "a third of the way through",
    ],
)
def test_words_that_only_look_like_numbers(sentence: str) -> None:
    kept = [q for q in _q(sentence) if q.text not in {"three games"}]
    assert kept == []


def test_a_currency_that_is_also_a_word_needs_a_scale() -> None:
    assert [(q.text, q.kind) for q in _q("Three crowns were stolen, and the team won seven.")] == [
        ("Three crowns", "quantity")
    ]
    assert [q.unit for q in _q("They paid five million crowns.")] == ["CZK"]


def test_a_title_case_headline_still_counts() -> None:
    assert [q.text for q in _q("Police Say Twelve People Died In Crash", title=True)] == ["Twelve People"]


def test_all_capitals_are_read_like_any_text() -> None:
    assert [(q.text, q.value) for q in _q("TWELVE PEOPLE DIED AND FIVE THOUSAND FLED")] == [
        ("TWELVE PEOPLE", 12.0),
        ("FIVE THOUSAND", 5000.0),
    ]


_PIECES = st.sampled_from(
    """zero one two five twelve twenty forty-two ninety hundred thousand million billion dozen
    half quarter quarters third thirds tens hundreds thousands millions several few many couple
    a an and of point to between from percent per cent percentage points dollars euros won
    people troops voters the staff One Seven Million - – , . $ 5 3.5 20% 1,000""".split()
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PIECES, st.sampled_from([" ", " ", "-", "", "  ", ", "])), max_size=30))
def test_any_run_of_number_words_gives_sound_numbers(pieces: list[tuple[str, str]]) -> None:
    text = "".join(a + b for a, b in pieces)
    numbers = find_word_numbers(text)
    ends = [0] + [n.end for n in numbers]
    for number, previous_end in zip(numbers, ends, strict=False):
        assert previous_end <= number.start < number.end <= len(text)
        assert number.value is None or number.value >= 0
    for q in _q(text):
        assert q.text and q.text in text
        assert q.high is None or (q.value is not None and q.high >= 0)

"""Numbers written in words: the number grammar of `numbers`."""

from __future__ import annotations

import pytest

from briefing.core.facts.numbers import find_word_numbers


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

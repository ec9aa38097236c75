"""Dates normalised against the publication date; unresolvable ones left out."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.core.facts.dates import extract_dates

PUB = date(2019, 11, 16)  # a Saturday


def _values(sentence: str, published: date | None = PUB) -> list[str]:
    return [d.value for d in extract_dates(["Title", sentence], published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The minister spoke on Nov. 15 in Paris.", ["2019-11-15"]),
        ("Rates were cut on 3 October 2018.", ["2018-10-03"]),
        ("The plant opened on March 4, 2001.", ["2001-03-04"]),
        ("The treaty was signed in May 2008.", ["2008-05"]),
        ("Sales fell sharply in 2017.", ["2017"]),
        ("Prices rose yesterday.", ["2019-11-15"]),
        ("The board meets today.", ["2019-11-16"]),
        ("The strike began last Tuesday.", ["2019-11-12"]),
        ("Protesters gathered on Thursday.", ["2019-11-14"]),
        ("The talks will resume on Wednesday.", ["2019-11-20"]),
        ("Exports collapsed in July.", ["2019-07"]),
        ("He is expected to visit Rome in the first week of January.", ["2020-01"]),
        ("The company said profits doubled last year.", ["2018"]),
        ("The law passed last month.", ["2019-10"]),
        ("The mine closed exactly two years ago.", ["2017"]),
        ("The mine closed two years ago.", []),
        ("A flood hit the town on 2019-08-30.", ["2019-08-30"]),
        ("The vote on Dec. 20 is expected to be close.", ["2019-12-20"]),
        ("The company was founded in early 2009.", ["2009"]),
    ],
)
def test_resolves(sentence: str, expected: list[str]) -> None:
    assert _values(sentence) == expected


def test_a_day_month_that_would_be_far_in_the_future_is_last_year() -> None:
    assert _values("The ship sank on 11 December.", date(2020, 1, 25)) == ["2019-12-11"]


@pytest.mark.parametrize(
    "sentence",
    [
        "You may leave now.",
        "The army will march on the capital.",
        "He paid $2019 for 1,500 shares, a 2000% gain.",
        "Earlier, they met several times.",
    ],
)
def test_no_false_dates(sentence: str) -> None:
    assert _values(sentence) == []


def test_relative_dates_need_a_publicationdate() -> None:
    assert _values("Prices rose yesterday and in July.", None) == []
    assert _values("The plant opened on March 4, 2001.", None) == ["2001-03-04"]


def test_each_date_keeps_its_sentence() -> None:
    refs = extract_dates(["Vote due in 2020", "It passed in 2018.", "Nothing here."], PUB)
    assert [(d.text, d.value, d.sentence) for d in refs] == [
        ("2020", "2020", 0),
        ("2018", "2018", 1),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Modal verbs look forward: the next March / February 3 after a November article.
        ("The mayor said she would call a referendum in March.", ["2020-03"]),
        ("Analysts said fares could double by February.", ["2020-02"]),
        ("He said he might resign on February 3, ending a long feud.", ["2020-02-03"]),
        # The nearest verb wins: a past verb after a forward-looking one.
        ("Traders had expected a cut after exports fell 2% in September.", ["2019-09"]),
        ("The plan, which was expected to pass, collapsed in August.", ["2019-08"]),
        # A passive after a modal is still the future.
        ("The bridge is expected to be completed in April.", ["2020-04"]),
    ],
)
def test_tense_of_the_clause_picks_the_year(sentence: str, expected: list[str]) -> None:
    assert _values(sentence) == expected


def test_bare_month_after_expect_is_the_coming_one() -> None:
    got = extract_dates(["T", "Traders expected a rate cut in December."], date(2025, 10, 14))
    assert [(d.text, d.value) for d in got] == [("December", "2025-12")]
    got = extract_dates(["T", "The fiscal year ending in March looks weak."], date(2025, 10, 14))
    assert [(d.text, d.value) for d in got] == [("March", "2026-03")]
    got = extract_dates(["T", "Prices rose 4% in the year to June."], date(2025, 7, 14))
    assert [(d.text, d.value) for d in got] == [("June", "2025-06")]


def test_years_ago_is_no_year_unless_exact() -> None:
    assert extract_dates(["T", "The plant closed two years ago."], date(2025, 10, 14)) == []
    got = extract_dates(["T", "The plant closed exactly a year ago."], date(2025, 10, 14))
    assert [d.value for d in got] == ["2024"]


def test_day_words_inside_quotes_are_not_guessed() -> None:
    from briefing.core.facts import extract_facts

    body = (
        "The minister spoke to reporters on Nov. 13. “We signed the deal today, and we will start "
        "work on Monday,” she said. She added: “Tomorrow we rest.”\n\n"
        "The ministry said on Friday that the talks would resume today."
    )
    facts = extract_facts("Deal signed", body, date(2019, 11, 16))
    found = {(d.text, d.value) for d in facts.dates}
    assert ("Nov. 13", "2019-11-13") in found
    assert ("Friday", "2019-11-15") in found  # reported speech, outside the quote
    assert ("today", "2019-11-16") in found  # the article's own "today"
    assert not any(d.text.lower() == "tomorrow" for d in facts.dates)
    assert ("Monday", "2019-11-18") in found  # a weekday names its own day, quoted or not
    in_quote = [d for d in facts.dates if d.sentence == 2 and d.text == "today"]
    assert in_quote == []


def test_the_month_may_is_no_modal_may() -> None:
    december = date(2024, 12, 9)
    held = _values("China held major exercises after his inauguration in May and his speech in October.",
                   december)
    assert held == ["2024-05", "2024-10"]
    assert _values("The ministry may hold talks in October.", december) == ["2025-10"]

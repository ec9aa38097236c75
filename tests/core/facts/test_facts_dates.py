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


SUNDAY = date(2024, 3, 10)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the verb's tense decides which Monday a Sunday's article means
        ("The two leaders will hold talks in Oslo on Monday.", "2024-03-11"),
        ("The two leaders held talks in Oslo on Monday.", "2024-03-04"),
        ("The two leaders are to hold talks in Oslo on Monday.", "2024-03-11"),
        ("The two leaders are expected to meet in Oslo on Monday.", "2024-03-11"),
        # a scheduled event in the present tense lies ahead
        ("The difficult part begins on Monday.", "2024-03-11"),
        ("The trade fair opens to the public on Friday.", "2024-03-15"),
        ("The run-off vote is on Sunday.", "2024-03-10"),
        # the verb after an opening phrase
        ("On Wednesday, the minister will fly to Lagos.", "2024-03-13"),
        ("On Wednesday, the minister flew to Lagos.", "2024-03-06"),
        # a past verb after the date in its own clause
        ("The envoy's visit on Wednesday ended without a deal, but both will talk again.", "2024-03-06"),
        # a counterfactual is no future
        ("Before Tuesday, he would have said the plan was sound.", "2024-03-05"),
    ],
)
def test_weekdays_resolve_forward_or_back_by_tense(sentence: str, expected: str) -> None:
    assert _values(sentence, SUNDAY) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The new border scanners are to be activated in April.", "2024-04"),
        ("The new border scanners were activated in April.", "2023-04"),
        ("The harbour has been closed since April.", "2023-04"),
        ("Lee's September 4 speech still divides the party.", "2023-09-04"),
    ],
)
def test_months_resolve_forward_or_back_by_tense(sentence: str, expected: str) -> None:
    assert _values(sentence, date(2024, 3, 20)) == [expected]


def test_a_headline_to_looks_forward() -> None:
    got = extract_dates(["Premier to visit Lagos on Thursday", "Body."], SUNDAY)
    assert [(d.value, d.future) for d in got] == [("2024-03-14", True)]


def test_named_days_are_no_weekday_references() -> None:
    assert _values("Shops expect record sales on Black Friday and Cyber Monday.", SUNDAY) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The truce expires in three days.", ["2024-03-13"]),
        ("A ruling is due two months from now.", ["2024-05"]),
        ("Talks resume the day after tomorrow.", ["2024-03-12"]),
        ("The deal was struck the day before yesterday.", ["2024-03-08"]),
        ("Dozens died in two days of fighting.", []),
        ("Rebels shelled the town last night.", ["2024-03-09"]),
    ],
)
def test_days_and_months_counted_from_publication(sentence: str, expected: list[str]) -> None:
    assert _values(sentence, SUNDAY) == expected


def test_future_flag_follows_the_resolved_value() -> None:
    got = extract_dates(
        ["T", "Voting ended on Tuesday; the count will finish on Tuesday next week, in April or in 2025."],
        date(2024, 3, 20),
    )
    assert {(d.text, d.value, d.future) for d in got} >= {("Tuesday", "2024-03-19", False)}
    assert all(d.future == (d.value > "2024-03-20") for d in got)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Parties held final rallies ahead of Sunday's run-off.", "2024-03-10"),
        ("In the run-up to Thursday's budget, ministers argued.", "2024-03-14"),
        ("The first reading is set for Tuesday.", "2024-03-12"),
        ("The premier is travelling to Lima on Monday.", "2024-03-11"),
        ("The march this Saturday will be the largest yet.", "2024-03-16"),
        ("This Saturday the march drew thousands.", "2024-03-09"),
    ],
)
def test_cues_of_what_is_to_come(sentence: str, expected: str) -> None:
    assert _values(sentence, SUNDAY) == [expected]

"""Sentence splitting: abbreviations never end a sentence, paragraphs always do."""

from __future__ import annotations

from briefing.core.facts.sentences import split_sentences


def _texts(body: str) -> list[str]:
    return [s.text for s in split_sentences(body)]


def test_offsets_point_back_into_the_body() -> None:
    body = "The mayor spoke first. Then the council voted.\n\nA second paragraph follows."
    for s in split_sentences(body):
        assert body[s.start : s.end] == s.text
    assert _texts(body) == [
        "The mayor spoke first.",
        "Then the council voted.",
        "A second paragraph follows.",
    ]


def test_titles_and_month_abbreviations_do_not_end_sentences() -> None:
    body = "Mr. Harlan met Dr. Osei on Nov. 4 in St. Louis. They talked for an hour."
    assert _texts(body) == [
        "Mr. Harlan met Dr. Osei on Nov. 4 in St. Louis.",
        "They talked for an hour.",
    ]


def test_us_and_inc_end_a_sentence_only_before_a_sentence_word() -> None:
    body = (
        "Tariffs were raised by the U.S. The move angered Ottawa. "
        "Shares of Veltrix Inc. Chief Executive Dana Moss rose."
    )
    assert _texts(body) == [
        "Tariffs were raised by the U.S.",
        "The move angered Ottawa.",
        "Shares of Veltrix Inc. Chief Executive Dana Moss rose.",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    body = "“We will appeal.” The lawyers left the court."
    assert _texts(body) == ["“We will appeal.”", "The lawyers left the court."]


def test_blank_body_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\n  ") == []

"""Direct quotes with speakers: after, before, pronouns, run-on paragraphs, organisations."""

from __future__ import annotations

from datetime import date

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Quote


def _quotes(body: str) -> list[Quote]:
    return list(extract_facts("Report", body, date(2022, 5, 2)).quotes)


def _speaker(quotes: list[Quote], start: str) -> str | None:
    for q in quotes:
        if q.text.startswith(start):
            return q.speaker
    raise AssertionError(f"no quote starting {start!r} in {[q.text for q in quotes]}")


def test_speaker_after_the_quote_both_orders() -> None:
    quotes = _quotes(
        "Mayor Rosa Delgado visited the flooded district on Sunday.\n\n"
        "“We will rebuild every house on this street,” Delgado said.\n\n"
        '"The water came in within minutes of the alarm," said Peter Lindqvist, a resident.'
    )
    assert _speaker(quotes, "We will rebuild") == "Rosa Delgado"
    assert _speaker(quotes, "The water came in") == "Peter Lindqvist"


def test_speaker_before_the_quote_with_colon() -> None:
    quotes = _quotes(
        'Finance Minister Olga Brandt told reporters: "The budget will balance by next spring."'
    )
    assert _speaker(quotes, "The budget will balance") == "Olga Brandt"


def test_the_subject_speaks_not_the_body_named_in_its_apposition() -> None:
    quotes = _quotes(
        "Dr. Mira Osei, a virologist at Halden University, said the results were "
        '"the clearest signal we have had in years."\n\n'
        'Tomas Reyes, speaking to Radio Norte, said: "The port will reopen on Monday."'
    )
    assert _speaker(quotes, "the clearest signal") == "Mira Osei"
    assert _speaker(quotes, "The port will reopen") == "Tomas Reyes"


def test_person_in_an_office_apposition_speaks_for_it() -> None:
    quotes = _quotes('The head of the Port Authority, Ilse Marten, told reporters: "We are ready to sail."')
    assert _speaker(quotes, "We are ready") == "Ilse Marten"


def test_according_to() -> None:
    quotes = _quotes(
        'According to Hamid Rostami, "the border crossing has been closed since dawn."'
    )
    assert _speaker(quotes, "the border crossing") == "Hamid Rostami"


def test_pronoun_resolves_to_the_person_just_named() -> None:
    quotes = _quotes(
        "Coach Mario Bellini praised the defence after the match.\n\n"
        "“They played with real discipline tonight,” he said."
    )
    assert _speaker(quotes, "They played") == "Mario Bellini"


def test_quote_running_into_the_next_paragraph_keeps_its_speaker() -> None:
    quotes = _quotes(
        "“Our exports fell for the third month in a row,” said Karin Holm, an economist.\n\n"
        "“We expect a recovery only in the second half of the year.”"
    )
    assert _speaker(quotes, "We expect a recovery") == "Karin Holm"


def test_organisation_speaks_through_it_said() -> None:
    quotes = _quotes(
        "Hours later, the Interior Ministry issued a statement. "
        "“Security forces acted within the law at all times,” it said."
    )
    assert _speaker(quotes, "Security forces acted") == "Interior Ministry"


def test_scare_quotes_are_not_quotes() -> None:
    quotes = _quotes('The minister called the plan "reckless" and left.')
    assert quotes == []


def test_quotes_in_single_marks_as_british_outlets_write_them() -> None:
    quotes = _quotes(
        "Pest control group Harlow Initial agreed to buy Termen Global on Monday.\n\n"
        "'This is an exciting combination that will create a global leader,' Termen chairman "
        "Naveen Gurdas said.\n\n"
        "‘We believe the deal is a compelling opportunity for everyone,’ Harlow chairman Rhys "
        "Solwen said.\n\n"
        "The firm's shares, which peaked in the '90s, didn't move, analysts said."
    )
    assert [(q.text[:12], q.speaker) for q in quotes] == [
        ("This is an e", "Naveen Gurdas"), ("We believe t", "Rhys Solwen")]


def test_a_company_officer_named_after_the_quote_speaks_not_the_company() -> None:
    quotes = _quotes(
        "Vellan agreed to merge with Sorel on Monday.\n\n"
        "“The time for confrontation is over,” Vellan CEO and Chairman Anton Ferrat said in a "
        "statement."
    )
    assert _speaker(quotes, "The time") == "Anton Ferrat"

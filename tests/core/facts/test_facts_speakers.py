"""Who speaks, as a careful reader attributes it: named, described, pronouns, quotes that run
across paragraphs, speakers named after the quote, and no name taken from inside a clause."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Quote


def _quotes(body: str) -> list[Quote]:
    return list(extract_facts("Report", body, date(2023, 6, 12)).quotes)


def _who(quotes: list[Quote], start: str) -> tuple[str | None, str | None]:
    for q in quotes:
        if q.text.startswith(start):
            return q.speaker, q.speaker_description
    raise AssertionError(f"no quote starting {start!r} in {[q.text for q in quotes]}")


@pytest.mark.parametrize(
    ("sentence", "described"),
    [
        ("“The deadline will slip again,” one European official said.", "one European official"),
        ("“The deadline will slip again,” a Norwegian port official said.", "a Norwegian port official"),
        ("“The deadline will slip again,” said a grain trader in Rotterdam.", "a grain trader in Rotterdam"),
        ("“The deadline will slip again,” analysts said.", "analysts"),
        ("“The deadline will slip again,” a senior diplomat told reporters.", "a senior diplomat"),
        ("A senior diplomat told reporters: “The deadline will slip again.”", "a senior diplomat"),
        ("“The deadline will slip again,” the ministry's spokesman said.", "the ministry's spokesman"),
    ],
)
def test_unnamed_speakers_are_described_not_unattributed(sentence: str, described: str) -> None:
    assert _who(_quotes(sentence), "The deadline") == (None, described)


def test_no_name_from_a_relative_clause_is_the_speaker() -> None:
    quotes = _quotes(
        "Copper prices fell for a third day.\n\n"
        "“Smelters are running out of patience,” said a mining engineer who advises Andean "
        "cooperatives.\n\n"
        "“Nobody will sign before the vote,” said a lawyer whose clients include Velkor Mining."
    )
    assert _who(quotes, "Smelters") == (None, "a mining engineer who advises Andean cooperatives")
    assert _who(quotes, "Nobody will sign") == (
        None,
        "a lawyer whose clients include Velkor Mining",
    )


def test_a_name_in_a_complement_of_the_description_does_not_speak() -> None:
    quotes = _quotes("“Rates will stay high into next year,” an economist at Harlow Capital said.")
    assert _who(quotes, "Rates will stay") == (None, "an economist at Harlow Capital")


def test_the_body_a_spokesperson_speaks_for_is_the_speaker() -> None:
    quotes = _quotes(
        "Velkor Mining shut its smelter on Monday.\n\n"
        "“The closure is temporary,” a Velkor Mining spokeswoman said."
    )
    assert _who(quotes, "The closure") == ("Velkor Mining", "a Velkor Mining spokeswoman")


def test_a_name_after_titles_and_possessives_speaks() -> None:
    quotes = _quotes(
        "“We will cut output by a tenth,” said Velkor Mining chief executive Odile Marchetti.\n\n"
        "“Prices have to recover first,” Norway's trade minister Lars Hovde told reporters.\n\n"
        "“The mine stays open,” chairman, CEO and founder Ruben Aldana said in a statement."
    )
    assert _who(quotes, "We will cut") == ("Odile Marchetti", None)
    assert _who(quotes, "Prices have") == ("Lars Hovde", None)
    assert _who(quotes, "The mine stays") == ("Ruben Aldana", None)


def test_a_leading_apposition_names_the_speaker() -> None:
    quotes = _quotes(
        "The chief of the port authority, Ingrid Solberg, told reporters: “Every berth is full.”\n\n"
        "“The queue will clear by Friday,” Tomasz Wrona, a logistics adviser to the port, said."
    )
    assert _who(quotes, "Every berth") == ("Ingrid Solberg", None)
    assert _who(quotes, "The queue") == ("Tomasz Wrona", None)


def test_pronouns_find_the_person_of_the_right_gender() -> None:
    quotes = _quotes(
        "Mayor Helena Duarte met the union leader Paulo Mendes on Tuesday.\n\n"
        "“We found common ground on the night shifts,” she said.\n\n"
        "“It is a start, nothing more,” he said."
    )
    assert _who(quotes, "We found common") == ("Helena Duarte", None)
    assert _who(quotes, "It is a start") == ("Paulo Mendes", None)


def test_gender_comes_from_the_text_when_the_name_says_nothing() -> None:
    quotes = _quotes(
        "Ms. Okonkwo-Ridley and Tomasz Wrona spoke after the hearing.\n\n"
        "“The court got it wrong,” she said."
    )
    assert _who(quotes, "The court got") == ("Okonkwo-Ridley", None)


def test_it_and_they_are_the_organisation_named_before() -> None:
    quotes = _quotes(
        "Tollwerk AG cut its forecast on Thursday.\n\n"
        "“Demand in Asia has not recovered,” it said in a statement."
    )
    assert _who(quotes, "Demand in Asia") == ("Tollwerk AG", None)


def test_the_company_is_the_organisation_named_last() -> None:
    quotes = _quotes(
        "Tollwerk AG cut its forecast on Thursday.\n\n"
        "“Demand in Asia has not recovered,” the company said."
    )
    assert _who(quotes, "Demand in Asia") == ("Tollwerk AG", None)


def test_a_definite_title_is_the_person_who_holds_it() -> None:
    quotes = _quotes(
        "Finance Minister Odile Marchetti presented the budget on Monday.\n\n"
        "“There is no room for new spending,” the minister said."
    )
    assert _who(quotes, "There is no room") == ("Odile Marchetti", None)


def test_a_quote_over_several_paragraphs_takes_the_speaker_named_at_its_end() -> None:
    quotes = _quotes(
        "The strike entered its second week.\n\n"
        "“We have offered more than any employer in the region.\n\n"
        "“Nobody can ask for more than that,” the port's director, Ingrid Solberg, said."
    )
    assert _who(quotes, "We have offered") == ("Ingrid Solberg", None)
    assert _who(quotes, "Nobody can ask") == ("Ingrid Solberg", None)


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker() -> None:
    quotes = _quotes(
        "“The harvest is the worst in a decade,” a farm union official said.\n\n"
        "“Without rain in July, many farms will not survive the winter.”\n\n"
        "The ministry did not comment."
    )
    assert _who(quotes, "Without rain") == (None, "a farm union official")


def test_a_second_quote_in_the_paragraph_of_the_first_keeps_its_speaker() -> None:
    quotes = _quotes(
        "“The talks went well,” said Tomasz Wrona. “We meet again in a month.”\n\n"
        "“Both drafts are ready. We only need the signatures,” an aide said."
    )
    assert _who(quotes, "We meet again") == ("Tomasz Wrona", None)
    assert _who(quotes, "Both drafts") == (None, "an aide")


@pytest.mark.parametrize(
    "verb", ["told reporters", "added", "warned", "wrote", "tweeted", "noted", "insisted", "argued",
             "acknowledged", "posted on social media", "cautioned"],
)
def test_many_verbs_of_saying_attribute(verb: str) -> None:
    quotes = _quotes(
        f"Senator Ruben Aldana spoke late on Monday.\n\n“The bill will pass this week,” Aldana {verb}."
    )
    assert _who(quotes, "The bill will") == ("Ruben Aldana", None)


def test_according_to_and_quoted_as_saying() -> None:
    quotes = _quotes(
        "According to Ingrid Solberg, “the port will reopen within days.”\n\n"
        "“The port will reopen within days,” the Harbour Gazette quoted Tomasz Wrona as saying."
    )
    assert _who(quotes, "the port will reopen") == ("Ingrid Solberg", None)
    assert _who(quotes, "The port will reopen") == ("Tomasz Wrona", None)


def test_the_subject_of_the_sentence_speaks_through_a_participle_or_a_label() -> None:
    quotes = _quotes(
        "Tomasz Wrona closed the meeting early, saying “there is nothing left to discuss today.”\n\n"
        "Ingrid Solberg called the offer “an insult to every worker in this port.”"
    )
    assert _who(quotes, "there is nothing") == ("Tomasz Wrona", None)
    assert _who(quotes, "an insult") == ("Ingrid Solberg", None)


def test_the_speaker_named_before_a_second_verb_of_the_clause() -> None:
    quotes = _quotes(
        "Ingrid Solberg said the port was full and added that “every berth is taken until July.”"
    )
    assert _who(quotes, "every berth") == ("Ingrid Solberg", None)


def test_a_title_before_the_name_ends_at_its_full_stop_only_at_the_end() -> None:
    quotes = _quotes(
        "“The tariffs stay,” Mr. Aldana said on Tuesday.\n\n"
        "“The tariffs stay for now,” said a former U.S. trade negotiator who worked in Geneva."
    )
    assert (quotes[0].text, quotes[0].speaker) == ("The tariffs stay", "Aldana")
    assert _who(quotes, "The tariffs stay for now") == (
        None,
        "a former U.S. trade negotiator who worked in Geneva",
    )


def test_a_quote_named_as_a_title_is_not_attributed_to_its_label() -> None:
    quotes = _quotes("At the last minute a demo arrived called “Home Is Where the Harbour Is”.")
    assert all(q.speaker is None and q.speaker_description is None for q in quotes)


def test_words_someone_will_say_are_the_reporting_speakers() -> None:
    quotes = _quotes(
        "Governor Ann Okafor and Senator Ruben Aldana met in a final debate.\n\n"
        "Aldana countered that the governor would say “anything to stay in office for four more years.”"
    )
    assert _who(quotes, "anything to stay") == ("Ruben Aldana", None)


def test_transcript_labels_in_capitals_name_the_speaker() -> None:
    quotes = _quotes(
        "Agency director Oskar Lindqvist says the estimate uses better data.\n\n"
        'OSKAR LINDQVIST: "The epidemic has peaked in most countries."\n\n'
        'REPORTER: "Twenty years ago the picture was very different."'
    )
    assert _who(quotes, "The epidemic") == ("Oskar Lindqvist", None)
    assert _who(quotes, "Twenty years") == (None, "reporter")


def test_present_tense_attribution_as_broadcast_copy_writes_it() -> None:
    quotes = _quotes(
        "Agency director Oskar Lindqvist says the estimate uses better data.\n\n"
        '"We have better methods now," he says. "And more clinics are reporting."\n\n'
        '"The numbers were always political," says Maria Okafor, who heads a patients group.'
    )
    assert _who(quotes, "We have better") == ("Oskar Lindqvist", None)
    assert _who(quotes, "And more clinics") == ("Oskar Lindqvist", None)
    assert _who(quotes, "The numbers") == ("Maria Okafor", None)


def test_a_paragraph_that_is_only_a_quote_takes_the_speaker_named_after_the_next() -> None:
    quotes = _quotes(
        "The port reopened on Monday after a week of strikes.\n\n"
        "“Nobody won this strike.”\n\n"
        "“We all lost a week of work,” said Ingrid Solberg, the port's director.\n\n"
        "The union did not comment."
    )
    assert _who(quotes, "Nobody won") == ("Ingrid Solberg", None)


def test_a_group_named_at_a_sentence_start_is_described_not_named() -> None:
    quotes = _quotes('Analysts said: "The rally will not last beyond the summer."\n\n'
                     'Parise said: "We have been there before, many times."')
    assert _who(quotes, "The rally") == (None, "Analysts")
    assert _who(quotes, "We have been") == ("Parise", None)


def test_a_question_closing_its_quote_is_still_attributed_after_it() -> None:
    quotes = _quotes(
        "“What is left to negotiate if the tariffs stay?” Odile Marchetti, a former trade envoy, "
        "said at a forum in Lyon.\n\n"
        "“Rates are not the problem,” Ruben Aldana, an economist at the Harlow institute, has written."
    )
    assert _who(quotes, "What is left") == ("Odile Marchetti", None)
    assert _who(quotes, "Rates are not") == ("Ruben Aldana", None)


def test_a_quoted_heading_or_title_is_no_quote() -> None:
    quotes = _quotes(
        'The hearing went on for nine hours.\n\n4. "The Harbour problem"\n\n'
        "Ingrid Solberg testified that the port had been warned twice.\n\n"
        "The “Blue Harbour” singer has not commented, a friend claimed to the paper."
    )
    assert quotes == []

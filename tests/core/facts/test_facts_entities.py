"""Entities: names found, typed, merged across spellings, never invented from plain words."""

from __future__ import annotations

from datetime import date

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Facts
from tests.core.facts.helpers import entity as _entity
from tests.core.facts.helpers import names as _names


def _facts(body: str, title: str = "A report") -> Facts:
    return extract_facts(title, body, date(2021, 3, 10))






def test_sentence_initial_words_and_pronouns_are_not_entities() -> None:
    facts = _facts(
        "Minutes after the vote, the Senate adjourned. He left quickly. "
        "To nobody's surprise, Governor Ellen Park declined to comment. "
        "Officials said the bill would return next week."
    )
    names = _names(facts)
    for word in ("Minutes", "He", "To", "Officials"):
        assert word not in names
    assert _entity(facts, "Ellen Park").type == "person"


def test_title_gives_person_and_role_and_surname_merges() -> None:
    facts = _facts(
        "Brazilian President Luiz Carvalho arrived in Lisbon on Monday. "
        "Carvalho met business leaders. Later, Carvalho flew to Madrid."
    )
    person = _entity(facts, "Luiz Carvalho")
    assert person.type == "person"
    assert person.role == "Brazilian President"
    assert "Carvalho" in person.aliases
    assert person.mentions == 3
    assert "Brazilian" not in _names(facts)
    assert "Brazil" in facts.topics


def test_diacritics_and_middle_names_are_one_person() -> None:
    facts = _facts(
        "Prime Minister Mehmet Ali Doğan spoke in Izmir. "
        "Critics of Ali Dogan say the plan is late. Doğan rejected that."
    )
    people = [e for e in facts.entities if e.type == "person"]
    assert len(people) == 1
    assert people[0].name == "Mehmet Ali Doğan"


def test_apposition_gives_role_and_makes_a_person() -> None:
    facts = _facts(
        "Tomasz Wierzba, a senior adviser to the finance minister, said rates would stay."
    )
    person = _entity(facts, "Tomasz Wierzba")
    assert person.type == "person"
    assert person.role is not None and "adviser" in person.role


def test_organisation_words_and_acronyms_link() -> None:
    facts = _facts(
        "The Federal Aviation Administration (FAA) grounded the jets. "
        "The FAA said checks would take weeks. Norvane Holdings Inc. fell 4%."
    )
    faa = _entity(facts, "Federal Aviation Administration")
    assert faa.type == "organization"
    assert "FAA" in faa.aliases
    assert _entity(facts, "Norvane Holdings Inc.").type == "organization"


def test_acronym_linked_by_initials_without_brackets() -> None:
    facts = _facts(
        "The International Energy Agency cut its forecast. Analysts at IEA expect a glut."
    )
    iea = _entity(facts, "International Energy Agency")
    assert "IEA" in iea.aliases


def test_us_spellings_are_one_place() -> None:
    facts = _facts(
        "The United States imposed sanctions. U.S. officials met in Geneva. "
        "Talks between the US and Iran stalled."
    )
    us = _entity(facts, "United States")
    assert us.type == "place"
    assert {"U.S.", "US"} <= set(us.aliases)
    assert _entity(facts, "Geneva").type == "place"
    assert _entity(facts, "Iran").type == "place"


def test_possessives_never_split_or_extend_a_name() -> None:
    facts = _facts("Kenya’s central bank raised rates. Kenya's shilling rose.")
    kenya = _entity(facts, "Kenya")
    assert kenya.type == "place"
    assert kenya.mentions == 2
    assert not any("’s" in n or "'s" in n for n in _names(facts))


def test_products_and_models_are_other() -> None:
    facts = _facts(
        "The army ordered the K-9 howitzer and more Patriot missiles. "
        "The NordLink power cable opened."
    )
    assert _entity(facts, "K-9").type == "other"
    assert _entity(facts, "NordLink").type == "other"


def test_company_short_name_is_an_alias_of_the_long_one() -> None:
    facts = _facts(
        "Harrow Dynamics Corporation won the tender. Harrow said production starts soon."
    )
    company = _entity(facts, "Harrow Dynamics Corporation")
    assert company.type == "organization"
    assert "Harrow" in company.aliases


def test_place_glued_to_an_organisation_is_split() -> None:
    facts = _facts(
        "The UK Treasury published figures. The Treasury said borrowing fell."
    )
    assert _entity(facts, "United Kingdom").type == "place"
    assert _entity(facts, "Treasury").type == "organization"


def test_place_named_organisations_in_a_list_stay_whole() -> None:
    facts = _facts(
        "Orders came from Lagos Airlines, Dakar Airlines and Accra Airlines. "
        "A title alone is no name: the Prime Minister arrived late."
    )
    names = _names(facts)
    for airline in ("Lagos Airlines", "Dakar Airlines", "Accra Airlines"):
        assert _entity(facts, airline).type == "organization"
    assert not names & {"Airlines", "Lagos", "Dakar", "Accra", "Prime", "Prime Minister"}


"""Entity typing from general cues: unfamiliar people and places, head words, titles, links.

Every sentence here is written for these tests; the names are invented or deliberately
absent from the given-name list, so only the cue under test can type them.
"""

from __future__ import annotations

from datetime import date

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Facts
from tests.core.facts.helpers import entity as _entity
from tests.core.facts.helpers import names as _names


def _facts(body: str, title: str = "A report") -> Facts:
    return extract_facts(title, body, date(2022, 5, 10))






def test_unfamiliar_name_followed_by_said_is_a_person() -> None:
    facts = _facts("Tarkan Voskuijlen said the port would reopen within a week.")
    assert _entity(facts, "Tarkan Voskuijlen").type == "person"


def test_surname_standing_alone_later_makes_a_person_and_links() -> None:
    facts = _facts(
        "Oduya Kembleton took charge of the ferry line in March. "
        "Critics doubt the plan. Kembleton rejected their view on Friday."
    )
    person = _entity(facts, "Oduya Kembleton")
    assert person.type == "person"
    assert "Kembleton" in person.aliases


def test_possessive_role_and_weak_apposition_make_people() -> None:
    facts = _facts(
        "The scheme began under Tomasz Wrzeszcz, Halvorsen's predecessor. "
        "Ilse Brakvoort, the acting head of the water board, disagreed."
    )
    assert _entity(facts, "Tomasz Wrzeszcz").type == "person"
    assert _entity(facts, "Ilse Brakvoort").type == "person"


def test_name_of_the_organisation_is_a_person() -> None:
    facts = _facts("Obinna Adeyemo of the Reform Alliance Party came third.")
    assert _entity(facts, "Obinna Adeyemo").type == "person"


def test_place_cues_in_x_island_of_x_and_compass_words() -> None:
    facts = _facts(
        "Floods hit farms in Vostrania on Tuesday. The ferry sails to the island of Quelmar. "
        "Rescue teams reached West Tarundi by road."
    )
    assert _entity(facts, "Vostrania").type == "place"
    assert _entity(facts, "Quelmar").type == "place"
    assert _entity(facts, "West Tarundi").type == "place"


def test_head_word_beats_embedded_place_and_given_name() -> None:
    facts = _facts(
        "Researchers at the University of Cape Town shared the data with Banco Meridia and "
        "the Robert Halvey National Laboratory."
    )
    assert _entity(facts, "University of Cape Town").type == "organization"
    assert _entity(facts, "Banco Meridia").type == "organization"
    assert _entity(facts, "Robert Halvey National Laboratory").type == "organization"


def test_acronym_beside_a_place_is_an_organisation() -> None:
    facts = _facts("Officials at Asia FDX said the fund would grow.")
    assert _entity(facts, "Asia FDX").type == "organization"


def test_single_inner_name_links_to_the_full_name() -> None:
    facts = _facts(
        "President Joaquim Alvaro Tavinho da Costa opened the summit. "
        "Tavinho urged rich nations to pay."
    )
    person = _entity(facts, "Joaquim Alvaro Tavinho da Costa")
    assert "Tavinho" in person.aliases


def test_titles_glued_to_names_become_roles() -> None:
    facts = _facts(
        "UN Secretary-General Halima Oduro spoke first. Councillor Bram Teskey Vale said no. "
        "Special Agent Lorna Quist of the FBI described the ring."
    )
    oduro = _entity(facts, "Halima Oduro")
    assert oduro.type == "person" and oduro.role and "Secretary-General" in oduro.role
    assert _entity(facts, "Bram Teskey Vale").type == "person"
    quist = _entity(facts, "Lorna Quist")
    assert quist.type == "person" and quist.role == "Special Agent"


def test_lowercase_connectors_inside_names() -> None:
    facts = _facts(
        "The Pacific Centres for Crop Health and Biosecurity warned farmers. "
        "Staff at the Institute of Marine and Polar Science agreed. "
        "The Order and Progress (OP) party won. "
        "A judge at the District Court for the Northern District of Texas ruled. "
        "Crowds filled the Place de la Bastille."
    )
    names = _names(facts)
    assert "Pacific Centres for Crop Health and Biosecurity" in names
    assert _entity(facts, "Institute of Marine and Polar Science").type == "organization"
    assert _entity(facts, "Order and Progress").type == "organization"
    court = "District Court for the Northern District of Texas"
    assert _entity(facts, court).type == "organization"
    assert _entity(facts, "Place de la Bastille").type == "place"


def test_demonyms_inside_place_names_and_adjectives_outside() -> None:
    facts = _facts(
        "Saudi Arabia hosted the talks. Troops left the Democratic Republic of Congo. "
        "Several South American countries objected. Hunger grew in sub-Saharan Africa. "
        "Rich nations must pay, delegates said."
    )
    names = _names(facts)
    assert _entity(facts, "Saudi Arabia").type == "place"
    assert _entity(facts, "Democratic Republic of Congo").type == "place"
    assert _entity(facts, "Africa").type == "place"
    for bad in ("Arabia", "South American", "Saharan Africa", "Rich"):
        assert bad not in names


def test_codes_and_hyphenated_given_names() -> None:
    facts = _facts(
        "The R21,X vaccine and the clade IIb strain spread. "
        "Chip executive Choi Min-seo said demand recovered."
    )
    names = _names(facts)
    assert not {"X", "IIb"} & names
    assert _entity(facts, "Choi Min-seo").type == "person"


def test_city_known_by_its_short_name_and_spacing() -> None:
    facts = _facts("The ministers met in Frankfurt, then flew to Hai Phong.")
    assert _entity(facts, "Frankfurt").type == "place"
    assert _entity(facts, "Hai Phong").type == "place"


def test_hyphenated_given_name_survives_a_month_elsewhere() -> None:
    facts = _facts("Analyst Seo Ha-june expects a rebound by June. Seo said orders rose.")
    assert _entity(facts, "Seo Ha-june").type == "person"


def test_party_named_with_a_role_word_keeps_its_last_word() -> None:
    facts = _facts("Voters backed Peace and Justice (PJ), the ruling party, on Sunday.")
    assert "Peace and Justice" in _names(facts)


def test_two_companies_joined_by_and_stay_two() -> None:
    facts = _facts("Shares of Rivian rose while Toyota and General Motors fell.")
    names = _names(facts)
    assert "General Motors" in names
    assert "Toyota and General Motors" not in names


def test_links_first_name_acronym_short_form_but_not_a_place_or_sibling() -> None:
    facts = _facts(
        "Director-General Amare Tesfaye Gebremariam opened the meeting. Amare said funds ran low. "
        "The Europe Bureau for Crop Protection and its Europe BCP unit agreed. "
        "Workers moved to Veltrana, which the Veltrana Capital Authority runs. "
        "Keller Group owns Keller Logistics."
    )
    assert "Amare" in _entity(facts, "Amare Tesfaye Gebremariam").aliases
    assert "Europe BCP" in _entity(facts, "Europe Bureau for Crop Protection").aliases
    assert _entity(facts, "Veltrana").type == "place"
    assert "Veltrana" not in _entity(facts, "Veltrana Capital Authority").aliases
    assert "Keller Group" not in _entity(facts, "Keller Logistics").aliases


def test_camel_case_company_that_speaks_is_an_organisation() -> None:
    facts = _facts("BlueHarbor said its new ferries would launch soon.")
    assert _entity(facts, "BlueHarbor").type == "organization"

"""Names that are no organisation, and pieces of text that are no name at all.

Every sentence here is written for these tests (invented ships, laws, airports, people).
"""

from __future__ import annotations

from datetime import date

import pytest

from briefing.core.facts import extract_facts
from briefing.core.models.facts import Facts
from tests.core.facts.helpers import entity as _entity
from tests.core.facts.helpers import names as _names


def _facts(body: str, title: str = "A report") -> Facts:
    return extract_facts(title, body, date(2022, 5, 10))


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("The Kestrelmoor drillship left port on Monday, the ministry said.", "Kestrelmoor"),
        ("The navy sent the frigate Valdorn to the area.", "Valdorn"),
        ("USS Harrowgate docked in Souda Bay after a month at sea.", "USS Harrowgate"),
        ("The HMS Tellerby sailed from Portsmouth with a crew of 200.", "HMS Tellerby"),
        ("The R/V Maren Ostby returned from the Arctic with ice cores.", "Maren Ostby"),
    ],
)
def test_ships_are_other_things_not_bodies(body: str, name: str) -> None:
    assert _entity(_facts(body), name).type == "other"


def test_an_airport_is_a_place_and_a_law_acronym_is_other() -> None:
    facts = _facts(
        "Flights at Karvessa airport were halted after the shelling. Lawmakers want sanctions "
        "under TRAMLA, the Tariff Relief And Market Liberalisation Act, which the Brenton "
        "Export Control Act amended."
    )
    assert _entity(facts, "Karvessa").type == "place"
    assert _entity(facts, "TRAMLA").type == "other"
    assert _entity(facts, "Brenton Export Control Act").type == "other"


def test_lone_letters_are_no_names_and_initials_stay_in_the_name() -> None:
    facts = _facts(
        "The R/V Maren Ostby docked in Bergen. The panel met at Session C and heard from "
        "Ilse K. Varnhagen, who chaired Plan B talks. Varnhagen said the data were sound."
    )
    found = _names(facts)
    assert not any(len(n) == 1 or n.endswith((" C", " R")) for n in found), found
    assert not any(n.startswith("V ") for n in found), found
    assert _entity(facts, "Ilse K. Varnhagen").type == "person"
    assert "Session" not in found


def test_title_case_words_cut_a_name() -> None:
    facts = _facts(
        "Astronomers said the lander touched down on Friday, the agency's first such landing.",
        title="Lander Touches Down On Far Side Of Moon For The First Time",
    )
    assert not any(" For " in n or " The " in n or " On " in n for n in _names(facts))
    facts = _facts("Argentina An Argentine court ruled on Monday that the debt talks would go on.")
    assert "An Argentine" not in _names(facts)


def test_a_subheading_in_title_case_gives_no_names() -> None:
    body = (
        "The console streams games over the network.\n\n"
        "But The Price Tag Is Not Small For Most Buyers\n\n"
        "Each game costs as much as a boxed copy."
    )
    assert not any("Price" in n or "Buyers" in n for n in _names(_facts(body)))


def test_a_company_opening_a_headline_or_sentence_is_found() -> None:
    facts = _facts(
        "Dravonik reported higher gas sales on Tuesday. Analysts said demand was strong.\n\n"
        "Police said the terminal was calm. Velmora says its tankers are fully booked.",
        title="Kestrovan says pipeline flows to Hungary doubled",
    )
    found = _names(facts)
    assert {"Dravonik", "Velmora", "Kestrovan"} <= found
    assert not {"Analysts", "Police"} & found


def test_a_headline_in_capitals_takes_the_case_of_the_body() -> None:
    facts = _facts(
        "Nearly half of the staff at Brellowind will lose their jobs, the company said on Monday. "
        "Brellowind, backed by Tarsova Capital, has struggled since its listing was pulled.",
        title="NEARLY HALF OF BRELLOWIND STAFF TO BE CUT AFTER FAILED LISTING",
    )
    found = _names(facts)
    assert "Brellowind" in found
    assert not any(n.isupper() and " " in n for n in found), found


def test_wire_copy_all_in_capitals_gives_only_what_the_word_lists_know() -> None:
    facts = _facts(
        "ANKARA, MARCH 3 - TURKEY'S STATE PIPELINE FIRM SAID ON TUESDAY THAT IMPORTS FELL BY A "
        "FIFTH IN FEBRUARY.\n\nPRESIDENT RECEP TAYYIP ERDOGAN SAID THE NEW LINE TO SOUTH AFRICA "
        "WOULD OPEN NEXT YEAR.",
        title="TURKISH GAS IMPORTS FALL",
    )
    found = {(e.name, e.type) for e in facts.entities}
    assert {("Ankara", "place"), ("Turkey", "place"), ("South Africa", "place")} <= found
    assert not any(len(n.split()) > 4 or n.isupper() for n, _ in found), found


def test_no_name_from_contractions_party_labels_or_a_title_dot() -> None:
    facts = _facts(
        "“We’re not done,” said Rep. Hanna Veltri (D-Minn.), who spoke with Sen. Orrin Falke "
        "(R-Texas). The special envoy for Ukraine Olena Dovzhenko said MORE talks were due."
    )
    found = _names(facts)
    assert {"Hanna Veltri", "Orrin Falke", "Ukraine", "Olena Dovzhenko"} <= found, found
    assert not {"We’re", "D-Minn", "R-Texas", "MORE", "Ukraine Olena Dovzhenko"} & found, found
    assert not any(n.startswith(".") for n in found), found


def test_a_company_with_a_chief_executive_is_no_person() -> None:
    facts = _facts(
        "Deliveries rose in May, according to Velmorgaz, the state-owned supplier. Ivo Stanek, "
        "Velmorgaz's chief executive, and Tarnell's board approved the deal, while Pernak's "
        "predecessor opposed it."
    )
    assert _entity(facts, "Velmorgaz").type == "organization"
    assert _entity(facts, "Tarnell").type == "organization"
    assert _entity(facts, "Pernak").type == "person"


def test_a_short_title_case_headline_gives_places_but_no_common_nouns() -> None:
    facts = _facts(
        "Bush fire season is nothing new to Australians, but this summer has been calamitous.",
        title="Why the Fires in Australia Are So Bad",
    )
    found = _names(facts)
    assert "Fires" not in found
    assert "Australia" in found or "Australia" in facts.topics


def test_the_wire_of_a_dateline_is_no_acronym_of_the_place() -> None:
    facts = _facts("LISBON (AP) — The Senate voted on Tuesday. The Port Board of Varnosa (PBV) met later.")
    assert "AP" not in _entity(facts, "Lisbon").aliases
    assert "PBV" in _entity(facts, "Port Board of Varnosa").aliases
    assert "AP" not in facts.topics


def test_a_text_that_capitalises_every_noun_gives_names_only_by_other_evidence() -> None:
    body = (
        "Die Nutzer der neuen Version können ihre Daten nun auch in der Cloud speichern, wie "
        "die Firma Veltrasoft GmbH am Montag in Berlin mitteilte. Das Update ist für alle "
        "Kunden kostenlos und wird über die App verteilt. Laut Sprecherin Anna Kessler sind "
        "die Server in Frankfurt und bei der TK im Einsatz."
    )
    found = _names(_facts(body, title="Neue Version verfügbar"))
    assert {"Berlin", "Frankfurt", "Anna Kessler", "TK"} <= found, found
    assert not {"Nutzer", "Version", "Daten", "Update", "Kunden", "Cloud"} & found, found

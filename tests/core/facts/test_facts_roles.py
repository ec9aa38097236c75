"""Roles keep what qualifies them ("former", "acting", "deputy", "then") and come from
appositions before a name as well as after it."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.core.facts import extract_facts
from tests.core.facts.helpers import entity


def _role(body: str, name: str) -> str | None:
    return entity(extract_facts("Report", body, date(2024, 3, 10)), name).role


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("Odile Marchetti, a former deputy prime minister, denied the charges.", "Odile Marchetti",
         "former deputy prime minister"),
        ("Former deputy prime minister Odile Marchetti denied the charges.", "Odile Marchetti",
         "Former deputy prime minister"),
        ("Ruben Aldana, the outgoing trade minister, denied the charges.", "Ruben Aldana",
         "outgoing trade minister"),
        ("Acting Governor Lena Holm denied the charges.", "Lena Holm", "Acting Governor"),
        ("Ex-mayor Tomasz Wrona denied the charges.", "Tomasz Wrona", "Ex-mayor"),
        ("The bill passed while Ingrid Solberg, then the speaker of the chamber, was abroad.",
         "Ingrid Solberg", "then speaker of the chamber"),
    ],
)  # fmt: skip
def test_qualifiers_stay_in_the_role(body: str, name: str, role: str) -> None:
    assert _role(body, name) == role


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("Norway's foreign minister, Lars Hovde, flew to Oslo.", "Lars Hovde", "Norway's foreign minister"),
        ("The UN's acting envoy for Yemen, Odile Marchetti, met both sides.", "Odile Marchetti",
         "UN's acting envoy for Yemen"),
        ("The deputy governor of the central bank, Lena Holm, spoke on Monday.", "Lena Holm",
         "deputy governor of the central bank"),
        ("On Monday, the former president of Chile, Ruben Aldana, spoke.", "Ruben Aldana",
         "former president of Chile"),
    ],
)  # fmt: skip
def test_roles_from_an_apposition_before_the_name(body: str, name: str, role: str) -> None:
    assert _role(body, name) == role


@pytest.mark.parametrize(
    ("body", "name"),
    [
        # a clause before the comma is no title
        ("After meeting the finance minister, Lars Hovde flew to Oslo.", "Lars Hovde"),
        ("Photos that circulated online show actress, Odile Marchetti, at the gala.", "Odile Marchetti"),
        ("Senators have questioned the police chief, Tomasz Wrona, about the raid.", "Tomasz Wrona"),
    ],
)
def test_no_role_from_a_clause_before_a_comma(body: str, name: str) -> None:
    role = _role(body, name)
    assert role is None or "meeting" not in role and "show" not in role and "have" not in role


def test_the_country_whose_minister_it_is_stays_in_the_title() -> None:
    assert _role("Chile's President Ruben Aldana opened the summit.", "Ruben Aldana") == "Chile's President"


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("EPA Administrator Scott Pruitt said so.", "Scott Pruitt", "EPA Administrator"),
        ("Democratic candidate Hillary Clinton spoke in Ohio.", "Hillary Clinton", "Democratic candidate"),
        ("Supreme Court nominee Brett Kavanaugh testified.", "Brett Kavanaugh", "Supreme Court nominee"),
    ],
)
def test_more_titles_before_a_name(body: str, name: str, role: str) -> None:
    """An administrator, a candidate, a nominee: the title is the role, not part of a
    name (the whole "EPA Administrator Scott Pruitt" was one organisation)."""
    found = entity(extract_facts("Report", body, date(2026, 11, 20)), name)
    assert (found.type, found.role) == ("person", role)


@pytest.mark.parametrize(
    ("body", "name"),
    [("Dutchman Patrick van Balkom won the race.", "Patrick van Balkom"),
     ("The race was won by Frenchman Pierre Dubois.", "Pierre Dubois"),
     ("Briton Andy Murray won in Paris.", "Andy Murray")],
)
def test_a_nationality_noun_before_a_name_is_no_part_of_it(body: str, name: str) -> None:
    facts = extract_facts("Report", body, date(2026, 11, 20))
    assert entity(facts, name).type == "person"
    assert not any(e.name.startswith(("Dutchman", "Frenchman", "Briton")) for e in facts.entities)


@pytest.mark.parametrize(
    ("body", "name"),
    [("General Electric Co said profits rose.", "General Electric Co"),
     ("Shares of General Motors Corp fell.", "General Motors Corp"),
     ("General Mills Inc. agreed to buy it.", "General Mills Inc.")],
)
def test_a_company_named_with_a_title_keeps_it(body: str, name: str) -> None:
    """"General" is a rank before a person's name, but a company's first word before its
    legal form: "Electric Co" was a person titled General."""
    assert entity(extract_facts("Report", body, date(2026, 11, 20)), name).type == "organization"
    assert entity(extract_facts("Report", "General Mark Milley said so.", date(2026, 11, 20)),
                  "Mark Milley").role == "General"

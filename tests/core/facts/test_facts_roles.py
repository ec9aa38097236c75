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

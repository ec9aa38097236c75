"""Wire-copy patterns: long titles with "of", short quotes, company cues, wire money and rates.

Every sentence is written for these tests; most names are invented so only the pattern under
test can find them.
"""

from __future__ import annotations

from datetime import date

import pytest

from briefing.core.facts import extract_facts
from briefing.core.facts.dates import date_spans
from briefing.core.facts.quantities import extract_quantities
from briefing.core.models.facts import Facts, Quantity
from tests.core.facts.helpers import entity as _entity
from tests.core.facts.helpers import names as _names


def _facts(body: str) -> Facts:
    return extract_facts("A report", body, date(2023, 9, 14))






# -- titles containing "of" ---------------------------------------------------------------


def test_place_and_title_with_of_before_a_name_and_a_second_titled_person() -> None:
    facts = _facts(
        "U.S. Secretary of State Mike Pompeo and UN Secretary-General Antonio Guterres "
        "met in Geneva on Monday."
    )
    pompeo = _entity(facts, "Mike Pompeo")
    assert (pompeo.type, pompeo.role) == ("person", "U.S. Secretary of State")
    guterres = _entity(facts, "Antonio Guterres")
    assert (guterres.type, guterres.role) == ("person", "UN Secretary-General")
    assert _entity(facts, "UN").type == "organization"
    assert _entity(facts, "United States").type == "place"
    assert not any("Secretary" in n for n in _names(facts))


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        (
            "Minister of Foreign Affairs Dorel Vantanescu said the talks would go on.",
            "Dorel Vantanescu",
            "Minister of Foreign Affairs",
        ),
        (
            "Director of National Intelligence Odalys Fenwick briefed the committee.",
            "Odalys Fenwick",
            "Director of National Intelligence",
        ),
        (
            "Governor of the Bank of Norland Ruaridh Kestrel warned of higher rates.",
            "Ruaridh Kestrel",
            "Governor of the Bank of Norland",
        ),
        (
            "Minister of Trade and Industry Paravin Gohlar opened the fair.",
            "Paravin Gohlar",
            "Minister of Trade and Industry",
        ),
        (
            "Attorney General Corwin Ashdale announced the charges.",
            "Corwin Ashdale",
            "Attorney General",
        ),
    ],
)
def test_title_with_of_ends_where_the_name_begins(body: str, name: str, role: str) -> None:
    facts = _facts(body)
    person = _entity(facts, name)
    assert (person.type, person.role) == ("person", role)
    assert all(len(e.name.split()) <= 3 for e in facts.entities if e.type == "person")


def test_body_named_inside_a_title_is_an_organisation() -> None:
    facts = _facts("Governor of the Bank of Norland Ruaridh Kestrel warned of higher rates.")
    assert _entity(facts, "Bank of Norland").type == "organization"


def test_title_before_a_comma_apposition_is_the_role_not_the_rank() -> None:
    facts = _facts(
        "The Chief of Staff of the Army, General Torvald Brenneke, told reporters the unit "
        "was ready."
    )
    person = _entity(facts, "Torvald Brenneke")
    assert (person.type, person.role) == ("person", "Chief of Staff of the Army")
    assert "Staff" not in _names(facts)


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("Earlier Norgaz chief executive Aleksei Varin said the talks had stalled.", "Aleksei Varin",
         "Norgaz chief executive"),
        ("Meanwhile Foreign Minister Dorota Welk said talks would go on.", "Dorota Welk", "Foreign Minister"),
        ("WHO Director-General Amara Tesfay declared an emergency.", "Amara Tesfay", "WHO Director-General"),
        ("US Energy Secretary Corwin Ashdale visited the plant.", "Corwin Ashdale", "US Energy Secretary"),
        ("The strike was blamed on the government of President Karim Haddan.", "Karim Haddan", "President"),
        ("WHO emergencies chief Dr Petra Salvik told reporters.", "Petra Salvik", "WHO emergencies chief"),
        ("Apple said chief executive Tim Corran would speak.", "Tim Corran", "chief executive"),
        ("It held a drill after Nora Pellam, then the speaker of the House, visited the island.",
         "Nora Pellam", "then speaker of the House"),
    ],
)
def test_a_sentence_opening_word_is_not_part_of_the_title(body: str, name: str, role: str) -> None:
    assert _entity(_facts(body), name).role == role


def test_title_with_no_name_is_no_entity_but_its_country_is() -> None:
    facts = _facts("Officials said the King of Saudi Arabia would attend.")
    assert "Arabia" not in _names(facts)
    assert _entity(facts, "Saudi Arabia").type == "place"


def test_role_never_runs_across_and_into_another_name() -> None:
    facts = _facts("Former Prime Minister Halvard Osk and President Mirela Dunca met in Oslo.")
    assert _entity(facts, "Mirela Dunca").role == "President"
    assert _entity(facts, "Halvard Osk").role == "Former Prime Minister"


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("Prime Minister-designate Tarik Belhadj met the president.", "Tarik Belhadj",
         "Prime Minister-designate"),
        ("The talks were led by ex-President Olumide Ajayi.", "Olumide Ajayi", "ex-President"),
        ("Sen. Marguerite Wexley (D-Mass.) opposed the bill.", "Marguerite Wexley", "Sen."),
        ("The law was signed by Gov. Ron DeSantis on Friday.", "Ron DeSantis", "Gov."),
        ("Arvid Solberg, 54, a former banker, was arrested.", "Arvid Solberg", "former banker"),
    ],
)  # fmt: skip
def test_wire_titles_and_ages(body: str, name: str, role: str) -> None:
    person = _entity(_facts(body), name)
    assert (person.type, person.role) == ("person", role)


def test_title_compound_is_not_split_by_its_parts_standing_alone() -> None:
    facts = _facts(
        "General Oskar Lindqvist arrived. Secretary-General Amara Keita welcomed him."
    )
    assert _entity(facts, "Amara Keita").role == "Secretary-General"


# -- companies at the start of a sentence ---------------------------------------------------


def test_sentence_initial_company_before_shares_and_said() -> None:
    facts = _facts("Zentrix shares rose 3.2% to $182.50 on Tuesday. Zentrix said demand was strong.")
    company = _entity(facts, "Zentrix")
    assert company.type == "organization"
    assert company.mentions == 2


def test_possessive_profit_makes_a_company() -> None:
    facts = _facts("Halvorsens' profit fell 12 percent in the quarter.")
    assert _entity(facts, "Halvorsens").type == "organization"


def test_sector_words_and_single_weak_cues_make_no_company() -> None:
    facts = _facts(
        "Oil shares fell sharply. Bank shares rose. Prosecutors said the case was closed. "
        "Prosecutors will appeal."
    )
    assert not {"Oil", "Bank", "Prosecutors"} & _names(facts)


def test_office_that_speaks_is_an_organisation() -> None:
    facts = _facts("Kelvin Street said the plan was final.")
    assert _entity(facts, "Kelvin Street").type == "organization"


# -- short quotes ----------------------------------------------------------------------------


def test_short_quote_after_reporting_verb_and_colon() -> None:
    facts = _facts(
        'The Chief of Staff of the Army, General Torvald Brenneke, told reporters: "We are ready."'
    )
    assert [(q.text, q.speaker) for q in facts.quotes] == [("We are ready.", "Torvald Brenneke")]


def test_short_quote_attributed_after_it() -> None:
    facts = _facts('"Not yet," Ilsabet Varga said on Monday.')
    assert [(q.text, q.speaker) for q in facts.quotes] == [("Not yet", "Ilsabet Varga")]


def test_scare_quotes_and_quoted_titles_stay_out() -> None:
    facts = _facts(
        'The jet is a "stealth" design. Critics called the report "Fake News." '
        'The minister said the "Reform Bill" was dead.'
    )
    assert facts.quotes == ()


# -- money and rates -----------------------------------------------------------------------


def _q(sentence: str) -> list[Quantity]:
    return extract_quantities(["Title", sentence], [[], date_spans(sentence)])


@pytest.mark.parametrize(
    ("sentence", "text", "kind", "value", "unit"),
    [
        ("The state spent Rs 500 crore on roads.", "Rs 500 crore", "money", 5e9, "INR"),
        ("The plan costs ₹2,000 crore.", "₹2,000 crore", "money", 2e10, "INR"),
        ("The firm earned 1.2 trillion yen.", "1.2 trillion yen", "money", 1.2e12, "JPY"),
        ("The group raised $3.5bn from investors.", "$3.5bn", "money", 3.5e9, "USD"),
        ("Growth was 3.5 per cent last year.", "3.5 per cent", "percent", 3.5, "%"),
        ("She holds a 10-percentage-point lead.", "10-percentage-point", "quantity", 10.0,
         "percentage points"),
        ("Rates rose 2 percentage points.", "2 percentage points", "quantity", 2.0,
         "percentage points"),
    ],
)  # fmt: skip
def test_wire_money_and_rates(sentence: str, text: str, kind: str, value: float, unit: str) -> None:
    found = [(q.text, q.kind, q.value, q.unit) for q in _q(sentence)]
    assert (text, kind, value, unit) in found
    assert not any(q.kind == "percent" for q in _q(sentence) if "point" in q.text)


def test_currency_letters_are_no_entity() -> None:
    facts = _facts("The state spent Rs 500 crore on roads in Kerala.")
    assert not any(n.startswith("Rs") for n in _names(facts))


# -- dates ------------------------------------------------------------------------------------


def test_wire_dates() -> None:
    facts = _facts(
        "The deal closed on Feb. 3. Sales fell last Thursday and rose earlier this month, "
        "unlike in the 1990s."
    )
    values = {d.text: d.value for d in facts.dates}
    assert values["Feb. 3"] == "2023-02-03"
    assert values["last Thursday"] == "2023-09-07"
    assert values["earlier this month"] == "2023-09"
    assert "the 1990s" not in values and "1990s" not in values


def test_a_name_with_an_arabic_article_stays_whole() -> None:
    facts = _facts("Fighters loyal to al-Nahda Front and al-Rashid attacked the town of Al-Zahra on Monday.")
    names = _names(facts)
    assert {"al-Nahda Front", "al-Rashid", "Al-Zahra"} <= names
    assert not names & {"Nahda Front", "Rashid", "Al", "Zahra"}
    assert _entity(facts, "al-Nahda Front").type == "organization"


def test_a_person_named_with_an_arabic_article_is_the_same_person_alone() -> None:
    facts = _facts("The strike was blamed on President Karim al-Haddad. Haddad denied it on Tuesday, "
                   "and officials said Haddad would speak again.")
    person = _entity(facts, "Karim al-Haddad")
    assert person.type == "person" and "Haddad" in person.aliases and person.mentions == 3


def test_older_spellings_of_a_city_are_one_place() -> None:
    facts = _facts("The allegations made by Kiev officials are untrue, the ministry said. "
                   "Officials in Kyiv said shelling hit Odessa.")
    city = _entity(facts, "Kyiv")
    assert (city.type, city.aliases) == ("place", ("Kiev",))
    assert _entity(facts, "Odessa").name == "Odesa"


def test_a_mixed_case_acronym_in_brackets_abbreviates_the_name_before_it() -> None:
    facts = _facts("Pressure is mounting on the Ministry of Defence (MoD) to explain the strike. "
                   "The MoD declined to comment.")
    ministry = _entity(facts, "Ministry of Defence")
    assert ministry.type == "organization" and ministry.aliases == ("MoD",) and ministry.mentions == 3
    assert "MoD" not in {e.name for e in facts.entities}


def test_a_short_acronym_in_mixed_case_is_a_body_not_a_product() -> None:
    facts = _facts("The BoN said on Thursday that inflation would fall. The DoT opened an inquiry, "
                   "and the new uPhone went on sale.")
    assert _entity(facts, "BoN").type == "organization"
    assert _entity(facts, "DoT").type == "organization"
    assert _entity(facts, "uPhone").type == "other"


def test_a_mixed_case_acronym_is_the_body_named_in_full() -> None:
    facts = _facts("The Bank of Norland raised rates on Monday. The BoN will also stop buying bonds. "
                   "The ruling Norland Renewal Union (NoWa) lost its majority.")
    assert _entity(facts, "Bank of Norland").aliases == ("BoN",)
    assert _entity(facts, "Norland Renewal Union").aliases == ("NoWa",)


def test_a_surname_that_is_also_a_town_is_the_person_unless_it_is_a_place_there() -> None:
    # "Lucena" is a city in the gazetteer.
    said = _facts("Electoral council President Tibisay Lucena spoke on Monday. Lucena said the results "
                  "were not final.")
    assert _entity(said, "Tibisay Lucena").aliases == ("Lucena",)
    where = _facts("Electoral council President Tibisay Lucena spoke on Monday. Voters in Lucena "
                   "queued for hours.")
    assert _entity(where, "Lucena").type == "place"


def test_a_tweet_is_a_quote_of_whoever_tweeted_it() -> None:
    facts = _facts('Henrique Cavallo, a former candidate, tweeted: "We won the city, and we always '
                   'said we would."')
    assert [(q.speaker, q.text[:10]) for q in facts.quotes] == [("Henrique Cavallo", "We won the")]


def test_a_company_based_somewhere_is_a_company_even_named_like_a_town() -> None:
    # "Suez" is a city in the gazetteer; nothing is "Paris-based" but a body.
    facts = _facts("Paris-based Suez rebuffed the offer on Monday, the company said.")
    assert _entity(facts, "Suez").type == "organization"
    assert _entity(facts, "Paris").type == "place"


def test_provinces_and_oblasts_are_places() -> None:
    facts = _facts("Fighting spread across Tigray on Monday, and Rogers dominated Ontario. "
                   "Russian troops withdrew from Kherson Oblast, officials in Khuzestan said.")
    for name in ("Tigray", "Ontario", "Kherson Oblast", "Khuzestan"):
        assert _entity(facts, name).type == "place", name


def test_time_zones_temperature_scales_and_relative_clauses_are_not_names_or_roles() -> None:
    facts = _facts("Nine aftershocks were recorded by 9 p.m. ET Monday, when it was minus 4 degrees "
                   "Fahrenheit. “It was too intense,” said Wen Lixia, a student from Lanzhou University "
                   "who posted the images. Crews reached the Tibetan Plateau.")
    assert not {"ET", "ET Monday", "Fahrenheit"} & _names(facts)
    assert _entity(facts, "Wen Lixia").role == "student from Lanzhou University"
    assert _entity(facts, "Tibetan Plateau").type == "place"


def test_someone_sworn_in_is_a_person_not_a_place() -> None:
    facts = _facts("On Friday, the president swore in Dinesh Gunaratne, a close ally, as prime minister. "
                   "He had been sworn in in Colombo on Wednesday.")
    assert _entity(facts, "Dinesh Gunaratne").type == "person"
    assert _entity(facts, "Colombo").type == "place"


def test_dr_in_capitals_is_the_dr_of_dr_congo_not_a_doctor() -> None:
    facts = _facts("The WHO chief and DR Congo’s health minister agreed on Friday. Dr Peter Salvi said so.")
    congo = _entity(facts, "DR Congo")
    assert (congo.name, congo.type) == ("Democratic Republic of the Congo", "place")
    assert _entity(facts, "Peter Salvi").type == "person"


def test_a_disease_is_no_body_and_never_speaks() -> None:
    facts = _facts("The head of the Health Agency said that Ebola vaccines will be shipped “as quickly as "
                   "possible” as the outbreak grows.")
    assert _entity(facts, "Ebola").type == "other"
    assert [q.speaker for q in facts.quotes] == ["Health Agency"]


def test_given_names_common_in_world_news_make_people() -> None:
    facts = _facts("Troops loyal to Khalifa Marwadi advanced, while Dmytro Kovalchuk and Nayib Arcena "
                   "watched.")
    for name in ("Khalifa Marwadi", "Dmytro Kovalchuk", "Nayib Arcena"):
        assert _entity(facts, name).type == "person", name

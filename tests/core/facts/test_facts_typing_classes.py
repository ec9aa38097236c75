"""Entity typing by class on sentences written for these tests: people with no title,
natural features and venues, organisation names, capitalised common phrases."""

from __future__ import annotations

import datetime

import pytest

from briefing.core.facts import extract_facts

PUBLISHED = datetime.date(2025, 10, 14)


def _types(body: str) -> dict[str, str]:
    facts = extract_facts("Report", body, PUBLISHED)
    return {e.name: e.type for e in facts.entities}


def _entity(body: str, name: str) -> tuple[str, tuple[str, ...]]:
    facts = extract_facts("Report", body, PUBLISHED)
    found = next(e for e in facts.entities if e.name == name)
    return found.type, found.aliases


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Fans cheered as Kwame Asante walked onto the pitch.", "Kwame Asante"),
        ("Critics say Priya Raman understated the risk.", "Priya Raman"),
        ("Hiroshi Tanabe resigned on Monday after the audit.", "Hiroshi Tanabe"),
        ("Dunmore Kells was appointed to the board in May.", "Dunmore Kells"),
        ("Orla Vennick said she would not stand again.", "Orla Vennick"),
    ],
)
def test_people_without_titles(body: str, name: str) -> None:
    assert _types(body)[name] == "person"


def test_family_name_first_then_alone_is_one_person() -> None:
    kind, aliases = _entity(
        "Wang Yi met his counterpart in Geneva. Wang said the talks were useful.", "Wang Yi"
    )
    assert kind == "person"
    assert "Wang" in aliases


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Climbers were stranded on Mount Karvel overnight.", "Mount Karvel"),
        ("Barges ran aground on the Tarn river.", "Tarn"),
        ("Two Sherpas died near Lhotse peak last week.", "Lhotse"),
        ("Fans packed Veldt Stadium for the final.", "Veldt Stadium"),
        ("Flights left Harlow Airport late.", "Harlow Airport"),
    ],
)
def test_natural_features_and_venues_are_places(body: str, name: str) -> None:
    assert _types(body)[name] == "place"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Floods along the Danube closed ports in Vienna and Budapest.", "Danube"),
        ("Tankers waited to cross the Bosporus on Friday.", "Bosphorus"),
        ("Aid convoys reached Tigray after months of fighting.", "Tigray"),
        ("Skiers returned to the Alps as snow fell early.", "Alps"),
        ("Egypt fears a dam will cut the flow of the Nile.", "Nile"),
    ],
)
def test_bare_named_features_are_places_by_gazetteer(body: str, name: str) -> None:
    """Rivers, ranges and regions that no cue marks: the gazetteer knows them."""
    assert _types(body)[name] == "place"


def test_names_left_out_of_the_feature_list_stay_people() -> None:
    assert _types("Shannon Miller said the inquiry would report in May.")["Shannon Miller"] == "person"


def test_companies_named_like_people_are_organisations() -> None:
    types = _types("Morgan Stanley will cut 2,000 jobs. Wells Fargo said profit rose. "
                   "Analysts at Goldman Sachs agreed.")
    assert types["Morgan Stanley"] == "organization"
    assert types["Wells Fargo"] == "organization"
    assert types["Goldman Sachs"] == "organization"


def test_a_person_named_companys_short_form_joins_it() -> None:
    _, aliases = _entity("Eli Lilly raised its forecast. Lilly shares rose 3%.", "Eli Lilly")
    assert "Lilly" in aliases
    assert _types("Lilly Allen sang at the gala. Eli Lilly paid for it.")["Lilly Allen"] == "person"


@pytest.mark.parametrize(
    "cue",
    ["Shares of Martin Kessler fell 3% on Friday.", "Martin Kessler shares rose 3% on Friday.",
     "Martin Kessler's profit rose 3% in the quarter."],
)
def test_one_listed_company_cue_types_a_person_like_name(cue: str) -> None:
    """An invented firm no list knows: one cue outweighs the plain mentions."""
    body = f"Martin Kessler said it would close two plants. {cue} Martin Kessler employs 9,000 people."
    assert _types(body)["Martin Kessler"] == "organization"


def test_a_person_sharing_a_view_stays_a_person() -> None:
    assert _types("Martin Kessler shares his view with the committee.")["Martin Kessler"] == "person"


@pytest.mark.parametrize(
    "name",
    ["United Nations", "World Economic Forum", "Human Rights Watch", "Amnesty International",
     "Border Patrol", "Central Command", "World Food Programme", "UN Development Programme"],
)
def test_bodies_named_by_their_last_word_are_organisations(name: str) -> None:
    """ "X said" alone would make a two-word name a person; the body's own word decides."""
    assert _types(f"The {name} said on Monday that talks would resume.")[name] == "organization"


def test_platforms_company_and_its_short_form() -> None:
    kind, aliases = _entity("Meta Platforms was fined on Monday. Meta said it would appeal.",
                            "Meta Platforms")
    assert kind == "organization" and "Meta" in aliases


def test_long_title_before_a_name_is_kept_whole() -> None:
    facts = extract_facts("Report", "Meta's chief global affairs officer Joel Kaplan objected.", PUBLISHED)
    kaplan = next(e for e in facts.entities if e.name == "Joel Kaplan")
    assert kaplan.role is not None and kaplan.role.endswith("chief global affairs officer")


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("The final was played in New Zealand on Sunday.", "New Zealand"),
        ("New Zealand troops arrived in Fiji.", "New Zealand"),
        ("New York police said two men were held.", "New York"),
        ("New Caledonia voted on Sunday.", "New Caledonia"),
    ],
)
def test_places_starting_with_new(body: str, name: str) -> None:
    """ "New" is a common word dropped at a sentence's start, and "New Zealand" its own
    adjective; neither may lose the place."""
    assert _types(body)[name] == "place"


def test_a_score_is_not_part_of_the_name_but_a_model_number_is() -> None:
    types = _types("Spain beat England 1-0 in the final. Real Madrid lost 3–1 at home. "
                   "The Apollo 11 crew flew on a Boeing 737-800 jet.")
    assert "England" in types and "Real Madrid" in types
    assert "England 1" not in types and "Real Madrid 3" not in types
    assert "Apollo 11" in types and "Boeing 737" in types


def test_a_clause_after_a_comma_is_no_apposition() -> None:
    facts = extract_facts("Report", "Fans packed Stadium Australia, with captain Olga Carmona "
                                    "scoring the winner.", PUBLISHED)
    kinds = {e.name: (e.type, e.role) for e in facts.entities}
    assert kinds["Stadium Australia"][0] != "person" and kinds["Stadium Australia"][1] is None
    assert kinds["Olga Carmona"] == ("person", "captain")


def test_names_opening_with_a_plural_genitive_stay_whole() -> None:
    types = _types("Spain won the Women's World Cup. The People's Liberation Army held drills.")
    assert "Women's World Cup" in types and "Women" not in types
    assert types["People's Liberation Army"] == "organization"


def test_cities_named_like_people_need_a_place_context() -> None:
    assert _types("AUSTIN, Texas (AP) — A judge blocked the law.")["Austin"] == "place"
    assert _types("The company moved to Charlotte last year.")["Charlotte"] == "place"
    assert _types("Florence Pugh won an award.")["Florence Pugh"] == "person"


def test_court_titles_stay_in_the_role() -> None:
    facts = extract_facts("Report", "U.S. District Judge Robert Pitman granted the injunction.", PUBLISHED)
    kinds = {e.name: (e.type, e.role) for e in facts.entities}
    assert kinds["Robert Pitman"] == ("person", "U.S. District Judge")
    assert "District" not in kinds


def test_a_camel_cased_name_in_a_list_of_companies_is_a_company() -> None:
    types = _types("Members of the group include Google, Meta and TikTok.")
    assert types["TikTok"] == "organization"
    models = _types("Toyota recalled the Corolla, the Camry and the RAV4 on Monday.")
    assert models.get("RAV4") != "organization"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("The suit was brought by NetChoice, a trade group whose members include banks.", "NetChoice"),
        ("Vantor, a British defence company, won the deal.", "Vantor"),
    ],
)
def test_an_apposition_naming_a_kind_of_body(body: str, name: str) -> None:
    assert _types(body)[name] == "organization"


def test_an_opening_adverb_before_the_company_is_no_name() -> None:
    assert _types("Separately, the bank said rates would fall.") == {}


def test_a_number_with_its_unit_is_no_name() -> None:
    facts = extract_facts("Report", "Temperatures ran about 1.54C above pre-industrial levels.", PUBLISHED)
    assert [e.name for e in facts.entities] == [] and "54C" not in facts.topics


def test_a_programme_that_is_no_agency_stays_other() -> None:
    assert _types("The Artemis Program will land astronauts on the Moon.")["Artemis Program"] == "other"


@pytest.mark.parametrize(
    ("body", "name", "kind"),
    [
        ("Zabihullah Mujahid, the Taliban's chief spokesman, said the toll would rise.",
         "Taliban", "organization"),
        ("Analysts at Kessel Brandt said the deal was fair.", "Kessel Brandt", "organization"),
    ],
)
def test_context_marks_a_body(body: str, name: str, kind: str) -> None:
    assert _types(body)[name] == kind


def test_name_after_law_firm_is_an_organisation() -> None:
    assert _types("The law firm Clifford Chance advised the buyer.")["Clifford Chance"] == ("organization")


def test_name_with_bracketed_acronym_is_an_organisation() -> None:
    kind, aliases = _entity(
        "The National Cyber Security Centre (NCSC) issued a warning, the NCSC said.",
        "National Cyber Security Centre",
    )
    assert kind == "organization"
    assert aliases == ("NCSC",)


def test_and_inside_a_body_name_after_the() -> None:
    types = _types("The Food and Drug Administration approved the drug on Friday.")
    assert types == {"Food and Drug Administration": "organization"}


def test_x_department_is_department_of_x() -> None:
    facts = extract_facts(
        "Report", "The Justice Department sued. The Department of Justice said it would win.", None
    )
    assert [(e.name, e.aliases) for e in facts.entities] == [
        ("Department of Justice", ("Justice Department",))
    ]


def test_company_short_form_is_not_the_city() -> None:
    kind, aliases = _entity(
        "Toyota Motor Corp raised its forecast. Toyota said demand was strong.", "Toyota Motor Corp"
    )
    assert kind == "organization"
    assert aliases == ("Toyota",)


def test_bare_body_word_is_the_body_named_before() -> None:
    kind, aliases = _entity(
        "The European Commission proposed rules. The Commission said it would act.",
        "European Commission",
    )
    assert aliases == ("Commission",)


@pytest.mark.parametrize(
    "body",
    [
        "She became the first Black woman to lead the union.",
        "Rain stopped play in the fourth Test on Sunday.",
        "The startup closed a Series B round last week.",
        "Profit rose in the January-March quarter.",
    ],
)
def test_capitalised_common_phrases_are_not_entities(body: str) -> None:
    assert _types(body) == {}


@pytest.mark.parametrize(
    ("body", "name", "kind"),
    [
        ("Shares of Ørsted fell sharply.", "Ørsted", "organization"),
        ("Workers in Łódź protested.", "Łódź", "place"),
        ("Anders Østergaard chairs the panel.", "Anders Østergaard", "person"),
    ],
)
def test_non_ascii_capitals_start_names(body: str, name: str, kind: str) -> None:
    assert _types(body).get(name) == kind


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("On 21 October the campaign website went live.", set()),
        ("From 1 January, a new law protects computer users.", set()),
        ("On 14 October Google released desktop search software.", {"Google"}),
        ("By 2 March 2005 Siemens will close the plant.", {"Siemens"}),
        ("Since March 2 Gazprom has cut supplies.", {"Gazprom"}),
        ("On Oct. 21 Airbus said so.", {"Airbus"}),
    ],
)
def test_a_date_opening_a_sentence_is_no_name_nor_part_of_one(body: str, kept: set[str]) -> None:
    """A day and its month after "On", "From", "By" (British order, capitalised at a
    sentence's start) made a name of their own ("21 October") or glued onto the next
    one ("14 October Google")."""
    assert set(_types(body)) == kept



@pytest.mark.parametrize(
    ("body", "places"),
    [
        ("SACRAMENTO, Calif. - The state said prices rose.", {"Sacramento", "California"}),
        ("Officials in Hartford, Conn., said prices rose.", {"Hartford", "Connecticut"}),
        ("CAMDEN, N.J. - The city said prices rose.", {"Camden", "New Jersey"}),
    ],
)
def test_a_state_as_us_wire_copy_abbreviates_it_is_a_place(body: str, places: set[str]) -> None:
    """"Calif.", "Conn.", "N.J." after a town (a dateline's or the text's) are states, not
    organisations; abbreviations that are also words ("Miss.", "Wash.") are not read so."""
    types = _types(body)
    assert {name for name, kind in types.items() if kind == "place"} == places


def test_an_abbreviation_that_is_also_a_word_is_no_state() -> None:
    assert _types("Miss Ann Lee met Kenji Kimura in Tokyo.") == {
        "Ann Lee": "person", "Kenji Kimura": "person", "Tokyo": "place"}


@pytest.mark.parametrize(
    "body",
    ["The president wrote that the agency should be charging MUCH MORE!",
     "THANK YOU to our great troops, he wrote.", "ALSO READ: Shares fell in Mumbai on Monday."],
)
def test_common_words_shouted_in_capitals_are_no_name(body: str) -> None:
    assert not {name for name, kind in _types(body).items() if kind == "organization"}


@pytest.mark.parametrize(
    ("body", "name"),
    [("Ships crossed the RED SEA on Monday.", "Red Sea"), ("The WHITE HOUSE said so.", "WHITE HOUSE"),
     ("The WHO's office in Copenhagen said so.", "WHO"), ("The US EU deal was signed.", "European Union")],
)
def test_a_name_in_capitals_is_still_a_name(body: str, name: str) -> None:
    """An organisation's or place's word, an acronym of two letters or one word alone
    keeps a name in capitals one."""
    assert name in _types(body)


@pytest.mark.parametrize(
    ("body", "town"),
    [
        ("FORT LAUDERDALE, Fla., March 3 - Citrus growers said prices rose.", "Fort Lauderdale"),
        ("OLD GREENWICH, Conn., March 3 - The company said it would sell its unit.", "OLD GREENWICH"),
        ("HAYWARD (Reuters) - Growers said prices rose.", "Hayward"),
    ],
)
def test_the_town_of_a_dateline_is_a_place_however_small(body: str, town: str) -> None:
    assert _types(body)[town] == "place"


def test_a_company_opening_its_release_is_no_dateline() -> None:
    assert _types("ACME CORP, March 3 - The company said it would sell its unit.") == {
        "ACME CORP": "organization"}


@pytest.mark.parametrize("body", ["HAYWARD (Reuters", "HAYWARD (", "HAYWARD,", "HAYWARD (Reuters)"])
def test_a_dateline_cut_short_fails_nothing(body: str) -> None:
    facts = extract_facts("Report", body, PUBLISHED)
    assert not facts.failures

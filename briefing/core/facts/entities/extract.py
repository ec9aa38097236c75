"""The whole entity pass for one document: spans, then groups, then merges, then names.

The order of the stages matters (typing needs every span, each merge pass reads the
types the passes before it left), so it is written out here once, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.facts.entities import merging
from briefing.core.facts.entities.document import Doc, Mention
from briefing.core.facts.entities.groups import Groups
from briefing.core.facts.entities.naming import name_entities
from briefing.core.facts.entities.spans import extract_spans
from briefing.core.models.facts import Entity


@dataclass(slots=True)
class EntityResult:
    entities: list[Entity]
    mentions: list[Mention]
    """Every mention, with `group` = index into `entities`."""
    countries: list[str]
    """Places named only through adjectives ("Turkish" -> Turkey), in order of appearance."""


def extract_entities(sentences: list[str]) -> EntityResult:
    """Entities of a document whose sentence 0 is the title."""
    doc = Doc(sentences)
    extract_spans(doc)
    mentions = doc.mentions
    merging.link_bracket_acronyms(doc)
    groups = Groups(mentions, doc.suffixes)
    merging.favour_traded(groups, mentions)
    merging.merge_bracket_acronyms(groups, mentions)
    merging.surname_votes(groups, doc)
    groups.retype()
    people = merging.index_people(groups)
    merging.merge_short_names(groups, people)
    merging.merge_surname_towns(doc, groups, people)
    merging.merge_org_short_forms(doc, groups)
    orgs = merging.live_organisations(groups)
    merging.merge_first_word_acronyms(groups, orgs)
    merging.merge_last_word_bodies(doc, groups, orgs)
    merging.merge_family_names(groups, people)
    merging.merge_name_prefixes(groups)
    merging.coordinated_votes(doc, groups)
    entities = name_entities(groups, mentions)
    countries = list(dict.fromkeys(c for c in doc.countries if c))
    return EntityResult(entities, mentions, countries)

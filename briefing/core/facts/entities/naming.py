"""Naming: the one name each merged group is shown by, and its other spellings as aliases.

Readers see one line per real thing, so the fullest spelling (or the gazetteer's name for
a place) wins; the others are kept because quotes and topics refer to them.
"""

from __future__ import annotations

from briefing.core.facts.entities.document import Mention
from briefing.core.facts.entities.groups import Group, Groups
from briefing.core.facts.gazetteer import Place
from briefing.core.models.facts import Entity, EntityType


def name_entities(groups: Groups, mentions: list[Mention]) -> list[Entity]:
    """One entity per group left after merging, in order of first mention; sets each
    mention's `group` to its entity's index (-1 for none)."""
    first_of: dict[int, Mention] = {}
    for i, g in enumerate(groups.items):
        if g.parent < 0 and g.mentions:
            ms = g.mentions
            first_of[i] = ms[0] if len(ms) == 1 else min(ms, key=_position)
    entities: list[Entity] = []
    group_entity: dict[int, int] = {}
    for gi in sorted(first_of, key=lambda i: _position(first_of[i])):
        group_entity[gi] = len(entities)
        entities.append(_entity(groups.items[gi], groups.kinds[gi], first_of[gi]))
    for m in mentions:
        m.group = group_entity.get(groups.root(groups.of(m)), -1)
    return entities


def _position(m: Mention) -> tuple[int, int]:
    return (m.sentence, m.start)


def _entity(g: Group, kind: EntityType, first: Mention) -> Entity:
    ms = g.mentions
    surfaces, place = _surfaces(ms)
    name = _canonical(kind, surfaces, place)
    aliases = tuple([s for s in surfaces if s != name])
    role = None
    if kind == "person":
        role = next((m.role for m in ms if m.role), None)
    return Entity(
        name=name,
        type=kind,
        aliases=aliases,
        role=role,
        mentions=len(g.mentions),
        sentence=first.sentence,
    )


def _surfaces(ms: list[Mention]) -> tuple[list[str], Place | None]:
    """Each distinct spelling in order of first use, and the first gazetteer place."""
    if len(ms) == 1:
        return [ms[0].text], ms[0].place
    surfaces = list(dict.fromkeys([m.text for m in ms]))
    place = next((m.place for m in ms if m.place is not None), None)
    return surfaces, place


def _canonical(kind: EntityType, surfaces: list[str], place: Place | None) -> str:
    """The place's own name, else the spelling with most words (then letters); "737s"
    is shown as "737" when that was written too."""
    if kind == "place" and place is not None:
        return place.name
    if len(surfaces) == 1:
        name = surfaces[0]
    else:
        name = max(surfaces, key=lambda s: (len(s.split()), len(s)))
    if len(name) > 2 and name[-1] == "s" and name[-2].isdigit():
        name = next((s for s in surfaces if s == name[:-1]), name)
    return name

"""Look-ups the facts tests share: one entity by any of its names, and every name."""

from __future__ import annotations

from briefing.core.models.facts import Entity, Facts


def entity(facts: Facts, name: str) -> Entity:
    """The entity called `name` (or with it as an alias); fails listing what was found."""
    for e in facts.entities:
        if name == e.name or name in e.aliases:
            return e
    found = [(e.name, e.type, e.role, e.aliases) for e in facts.entities]
    raise AssertionError(f"{name!r} not among {found}")


def names(facts: Facts) -> set[str]:
    return {n for e in facts.entities for n in (e.name, *e.aliases)}

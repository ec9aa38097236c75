"""The whole entity pass for one document: spans, then groups, then merges, then names.

The order of the stages matters (typing needs every span, merging needs every type),
so it is written out here once rather than left to the callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Doc, Mention
from briefing.core.facts.entities.groups import (
    Group,
    best_type,
    city_only,
    company_name,
    first_at,
    mention_key,
    position,
    typed_otherwise,
)
from briefing.core.facts.entities.merging import after_locative, coordinated_votes, surname_votes
from briefing.core.facts.entities.shapes import (
    initials,
    is_acronym,
    is_bracket_acronym,
    is_known_place,
    is_mixed_case_acronym,
)
from briefing.core.facts.entities.spans import extract_spans
from briefing.core.facts.lexicon import fold
from briefing.core.facts.tokens import without_article
from briefing.core.models import Entity, EntityType


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
    suffixes = doc.suffixes
    # Acronyms in brackets right after a name abbreviate it: "Royal Air Force (RAF)".
    for idx, m in enumerate(mentions):
        if idx == 0:
            continue
        prev = mentions[idx - 1]
        if prev.sentence != m.sentence:
            continue
        between = doc.sentences[m.sentence][prev.end : m.start]
        if between.strip() == "(" and is_bracket_acronym(m.text.replace(" ", ""), prev.text):
            m.acronym_of = idx - 1

    groups: list[Group] = []
    by_key: dict[str, int] = {}
    traded: set[int] = set()
    for m in mentions:
        m.key = mention_key(m, suffixes)
        gi = by_key.get(m.key)
        if gi is None:
            gi = len(groups)
            by_key[m.key] = gi
            groups.append(Group(m.key, [], {}))
        g = groups[gi]
        g.mentions.append(m)
        if m.traded:
            traded.add(gi)
        for k, v in m.votes.items():
            g.votes[k] = g.votes.get(k, 0.0) + v
    for gi in sorted(traded):
        g = groups[gi]
        # One "shares of X" outweighs any number of plain "X said": people have no shares.
        if not any(m.role for m in g.mentions):
            person = g.votes.get("person", 0.0)
            if g.votes.get("organization", 0.0) <= person:
                g.votes["organization"] = person + 1.0

    def root(i: int) -> int:
        while groups[i].parent >= 0:
            i = groups[i].parent
        return i

    # Each group's type, `best_type(votes)`, read by every merging rule below: kept up to
    # date by `merge` (the only change to votes between `surname_votes` and
    # `coordinated_votes`) instead of being worked out again in each pass.
    kinds: list[EntityType] = ["organization"] * len(groups)

    def merge(child: int, parent: int) -> None:
        c, p = root(child), root(parent)
        if c == p:
            return
        groups[c].parent = p
        pv = groups[p].votes
        for k, v in groups[c].votes.items():
            pv[k] = pv.get(k, 0.0) + v
        kinds[p] = best_type(pv)
        groups[p].mentions.extend(groups[c].mentions)
        groups[c].mentions = []

    for m in mentions:
        if m.acronym_of >= 0:
            long_form = mentions[m.acronym_of]
            if (
                not is_known_place(long_form.place)
                and len(long_form.text.split()) > 1
                and long_form.votes.get("other", 0.0) < 2.2
            ):
                m.vote("organization", 3.5)  # "National Cyber Security Centre (NCSC)": a body
                gl = groups[root(by_key[long_form.key])]
                gl.votes["organization"] = gl.votes.get("organization", 0.0) + 3.5
            merge(by_key[m.key], by_key[long_form.key])

    surname_votes(groups, doc, root)
    kinds[:] = [best_type(g.votes) for g in groups]
    key_parts = [g.key.split() for g in groups]  # keys never change

    # People: "Erdoğan" and "Tayyip Erdoğan" are "Recep Tayyip Erdoğan".
    person_suffix: dict[str, int] = {}
    person_inner: dict[str, int] = {}
    person_first: dict[str, int] = {}
    ordered = sorted(range(len(groups)), key=lambda i: -len(key_parts[i]))
    for gi in ordered:
        if kinds[gi] != "person":
            continue
        g = groups[gi]
        parts = key_parts[gi]
        if gi != root(gi):
            continue
        target = person_suffix.get(g.key)
        if target is not None and root(target) != gi:
            merge(gi, target)
            continue
        for s in range(1, len(parts)):
            person_suffix.setdefault(" ".join(parts[s:]), gi)
        bare = without_article(parts[-1]) if len(parts) > 1 else None
        if bare:  # "Assad" for "Bashar al-Assad"
            person_suffix.setdefault(bare, gi)
        for part in parts[1:-1]:  # "Lula" in "Luiz Inácio Lula da Silva"
            if part not in vocab.PARTICLES and len(part) > 2:
                person_inner.setdefault(part, gi)
        if len(parts) >= 3:  # "Tedros" for "Tedros Adhanom Ghebreyesus"; one such name only
            person_first[parts[0]] = -1 if parts[0] in person_first else gi
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions:
            continue
        target = person_suffix.get(g.key)
        if target is None and " " not in g.key:
            target = person_inner.get(g.key)
            if target is None and person_first.get(g.key, -1) >= 0:
                target = person_first[g.key]
        if target is None or root(target) == gi:
            continue
        if g.votes.get("organization", 0) >= 3.0 or g.votes.get("other", 0) >= 2.5:
            continue
        if g.key.startswith("place:"):
            continue
        merge(gi, target)
    # "Lucena said" after "Tibisay Lucena": a surname that is also a town's name is the
    # person, unless a mention is where something happens ("in Lucena").
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions or not g.key.startswith("place:"):
            continue
        place = g.mentions[0].place
        surface = {fold(m.text) for m in g.mentions}
        if place is None or place.kind != "city" or len(surface) != 1:
            continue
        target = person_suffix.get(surface.pop())
        if target is None or root(target) == gi or any(after_locative(doc, m) for m in g.mentions):
            continue
        merge(gi, target)

    # Organisations: "Lockheed" is "Lockheed Martin"; "GAO" is "Government Accountability
    # Office"; the first-named long form wins when a short form could be several.
    long_first: dict[str, int] = {}
    long_initials: dict[str, int] = {}
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions:
            continue
        if kinds[gi] != "organization":
            continue
        words = g.mentions[0].text.split()
        if len(words) > 1:
            long_first.setdefault(fold(words[0]), gi)
            if fold(g.mentions[0].text) in doc.person_companies:
                long_first.setdefault(fold(words[-1]), gi)  # "Lilly" for "Eli Lilly"
            ini = initials(words)
            if len(ini) >= 2:
                long_initials.setdefault(ini, gi)
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions or " " in g.mentions[0].text.strip():
            continue
        kind = kinds[gi]
        target = long_first.get(fold(g.mentions[0].text))
        if (
            target is not None
            and kind == "place"
            and city_only(g)
            and company_name(groups[root(target)], doc.suffixes)
            and first_at(groups[root(target)]) < first_at(g)
        ):
            merge(gi, target)  # "Toyota" after "Toyota Motor Corp": the company, not the city
            continue
        if " " in g.key or g.key.startswith("place:"):
            continue
        if kind == "person" or g.votes.get("place", 0.0) >= 1.0:
            continue  # "Nusantara" is not "Nusantara Capital Authority"
        if any(" " in m.text.strip() for m in g.mentions):
            continue  # "Tata Group" is not "Tata Electronics"
        target = long_first.get(g.key)
        text = g.mentions[0].text
        if target is None and is_acronym(text):
            target = long_initials.get(text.replace(".", "").upper())
        elif target is None and is_mixed_case_acronym(text):  # "BoJ" for "Bank of Japan"
            target = long_initials.get("".join(c for c in text if c.isupper()))
        if target is not None and root(target) != gi:
            if kinds[root(target)] == "person":
                continue
            merge(gi, target)

    # "Africa CDC" is "Africa Centres for Disease Control": same first word, then initials.
    org_groups = [
        gi
        for gi, g in enumerate(groups)
        if kinds[gi] == "organization" and g.parent < 0 and g.mentions
    ]
    for gi in org_groups:
        words = groups[gi].mentions[0].text.split()
        if len(words) != 2 or not is_acronym(words[1]) or groups[gi].parent >= 0:
            continue
        for gj in org_groups:
            other = groups[gj].mentions[0].text.split()
            if gj != gi and len(other) > 2 and fold(other[0]) == fold(words[0]):
                if initials(other[1:]).startswith(words[1].replace(".", "").upper()):
                    merge(gi, gj)
                    break

    # "the Commission" is the "European Commission" named before, when only one body so ends.
    last_word: dict[str, int] = {}
    for gi in org_groups:
        if groups[gi].parent >= 0 or not groups[gi].mentions:
            continue
        words = key_parts[gi]
        if len(words) > 1 and words[-1] in doc.keywords:
            last_word[words[-1]] = -1 if words[-1] in last_word else gi
    for gi, g in enumerate(groups):
        target = last_word.get(g.key, -1)
        if target < 0 or groups[gi].parent >= 0 or not g.mentions or root(target) == gi:
            continue
        if first_at(groups[root(target)]) < first_at(g):
            merge(gi, target)

    # "Wang" after "Wang Yi": a family name written first, and said alone later.
    heads: dict[str, int] = {}
    for gi, g in enumerate(groups):
        parts = key_parts[gi]
        if len(parts) == 2 and kinds[gi] == "person" and g.parent < 0 and g.mentions:
            heads[parts[0]] = -1 if parts[0] in heads else gi
    for gi, g in enumerate(groups):
        target = heads.get(g.key, -1)
        if target < 0 or groups[gi].parent >= 0 or not g.mentions or root(target) == gi:
            continue
        if typed_otherwise(g.votes, 2.0) or g.key in person_suffix:
            continue
        merge(gi, target)

    # "China Eastern" is "China Eastern Airlines".
    org_keys = [
        (gi, key_parts[gi])
        for gi, g in enumerate(groups)
        if kinds[gi] == "organization" and g.parent < 0 and g.mentions
    ]
    longer_by_prefix: dict[tuple[str, ...], int] = {}
    for gi, words in org_keys:
        for cut in range(2, len(words)):
            longer_by_prefix.setdefault(tuple(words[:cut]), gi)
    for gi, words in org_keys:
        target = longer_by_prefix.get(tuple(words)) if len(words) >= 2 else None
        if target is not None and target != gi and groups[gi].parent < 0:
            merge(gi, target)

    coordinated_votes(doc, groups, root, kinds)

    entities: list[Entity] = []
    group_entity: dict[int, int] = {}
    first_of: dict[int, Mention] = {}
    for i, g in enumerate(groups):
        if g.parent < 0 and g.mentions:
            ms = g.mentions
            first_of[i] = ms[0] if len(ms) == 1 else min(ms, key=position)
    firsts = sorted(first_of, key=lambda i: position(first_of[i]))
    for gi in firsts:
        g = groups[gi]
        kind = kinds[gi]
        ms = g.mentions
        if len(ms) == 1:
            surfaces = [ms[0].text]
            place = ms[0].place
        else:
            surfaces = list(dict.fromkeys([m.text for m in ms]))
            place = None
            for m in ms:
                if m.place is not None:
                    place = m.place
                    break
        if kind == "place" and place is not None:
            name = place.name
        elif len(surfaces) == 1:
            name = surfaces[0]
        else:
            name = max(surfaces, key=lambda s: (len(s.split()), len(s)))
        if (
            not (kind == "place" and place is not None)
            and len(name) > 2
            and name[-1] == "s"
            and name[-2].isdigit()
        ):
            name = next((s for s in surfaces if s == name[:-1]), name)
        aliases = tuple([s for s in surfaces if s != name])
        role = None
        if kind == "person":
            role = next((m.role for m in ms if m.role), None)
        first = first_of[gi]
        group_entity[gi] = len(entities)
        entities.append(
            Entity(
                name=name,
                type=kind,
                aliases=aliases,
                role=role,
                mentions=len(g.mentions),
                sentence=first.sentence,
            )
        )
    for m in mentions:
        m.group = group_entity.get(root(by_key[m.key]), -1)
    countries = list(dict.fromkeys(c for c in doc.countries if c))
    return EntityResult(entities, mentions, countries)

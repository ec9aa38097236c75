"""Merging: the passes that find one real thing behind several spellings.

Each pass handles one way news shortens or re-spells a name and only joins groups or adds
votes, so the passes can be read, ordered and tested one at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Doc, Mention
from briefing.core.facts.entities.groups import (
    Group,
    Groups,
    best_type,
    city_only,
    company_name,
    first_at,
    typed_otherwise,
)
from briefing.core.facts.entities.shapes import (
    initials,
    is_acronym,
    is_bracket_acronym,
    is_known_place,
    is_mixed_case_acronym,
)
from briefing.core.facts.lexicon import fold
from briefing.core.facts.tokens import without_article

_DATELINE_END = re.compile(r"\)\s*[-\u2013\u2014]")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")


def link_bracket_acronyms(doc: Doc) -> None:
    """Acronyms in brackets right after a name abbreviate it: "Royal Air Force (RAF)"."""
    mentions = doc.mentions
    for idx, m in enumerate(mentions):
        if idx == 0:
            continue
        prev = mentions[idx - 1]
        if prev.sentence != m.sentence:
            continue
        text = doc.sentences[m.sentence]
        between = text[prev.end : m.start]
        if between.strip() == "(" and is_bracket_acronym(m.text.replace(" ", ""), prev.text):
            opening = m.start <= 60 and not any(c.islower() for c in text[: prev.start])
            if opening and _DATELINE_END.match(text, m.end):
                continue  # "WASHINGTON (AP) —" opening the text: the wire of a dateline, no acronym
            m.acronym_of = idx - 1


def favour_traded(groups: Groups, mentions: list[Mention]) -> None:
    """One "shares of X" outweighs any number of plain "X said": people have no shares."""
    for gi in sorted({groups.of(m) for m in mentions if m.traded}):
        g = groups.items[gi]
        if not any(m.role for m in g.mentions):
            person = g.votes.get("person", 0.0)
            if g.votes.get("organization", 0.0) <= person:
                g.votes["organization"] = person + 1.0


def merge_bracket_acronyms(groups: Groups, mentions: list[Mention]) -> None:
    """"(NCSC)" after "National Cyber Security Centre" is that body, by the same name."""
    for m in mentions:
        if m.acronym_of < 0:
            continue
        long_form = mentions[m.acronym_of]
        if (
            not is_known_place(long_form.place)
            and len(long_form.text.split()) > 1
            and long_form.votes.get("other", 0.0) < 2.2
        ):
            m.vote("organization", 3.5)  # "National Cyber Security Centre (NCSC)": a body
            gl = groups.items[groups.root(groups.of(long_form))]
            gl.votes["organization"] = gl.votes.get("organization", 0.0) + 3.5
        groups.merge(groups.of(m), groups.of(long_form))


def surname_votes(groups: Groups, doc: Doc) -> None:
    """A name of two to four words with no organisation word whose last word also stands
    alone ("Wassim Mansouri" ... "Mansouri") is a person: organisations are shortened to their
    first word ("Northrop" for "Northrop Grumman"), people to their last."""
    items = groups.items
    singles: dict[str, int] = {}
    for gi, g in enumerate(items):
        if g.parent < 0 and g.mentions and " " not in g.key and not g.key.startswith("place:"):
            singles[g.key] = gi
    if not singles:
        return
    for gi, g in enumerate(items):
        parts = groups.key_parts[gi]
        if g.parent >= 0 or not g.mentions or not 2 <= len(parts) <= 4:
            continue
        if g.key.startswith("place:") or typed_otherwise(g.votes, 2.0):
            continue
        if any(p in doc.keywords or p in doc.suffixes or p in doc.place_words for p in parts):
            continue
        si = singles.get(parts[-1])
        if si is None or si == gi or typed_otherwise(items[si].votes, 3.0):
            continue
        if parts[-1] in doc.common or is_acronym(items[si].mentions[0].text):
            continue
        short = items[si].votes
        g.votes["person"] = g.votes.get("person", 0.0) + 2.0 + sum(short.values())


@dataclass(slots=True)
class People:
    """Where the short forms of the people's names lead, longest names first."""

    suffix: dict[str, int] = field(default_factory=dict)
    """"Erdoğan", "Tayyip Erdoğan", "Assad" -> the group of the full name."""
    inner: dict[str, int] = field(default_factory=dict)
    """"Lula" in "Luiz Inácio Lula da Silva"."""
    first: dict[str, int] = field(default_factory=dict)
    """"Tedros" for "Tedros Adhanom Ghebreyesus"; -1 when two such names share it."""


def index_people(groups: Groups) -> People:
    """Index every person's name by its short forms, joining on the way a person whose
    whole name is the tail of a longer one ("Tayyip Erdoğan" into "Recep Tayyip Erdoğan")."""
    people = People()
    key_parts, kinds = groups.key_parts, groups.kinds
    for gi in sorted(range(len(groups)), key=lambda i: -len(key_parts[i])):
        if kinds[gi] != "person" or gi != groups.root(gi):
            continue
        parts = key_parts[gi]
        target = people.suffix.get(groups.items[gi].key)
        if target is not None and groups.root(target) != gi:
            groups.merge(gi, target)
            continue
        for s in range(1, len(parts)):
            people.suffix.setdefault(" ".join(parts[s:]), gi)
        bare = without_article(parts[-1]) if len(parts) > 1 else None
        if bare:  # "Assad" for "Bashar al-Assad"
            people.suffix.setdefault(bare, gi)
        for part in parts[1:-1]:  # "Lula" in "Luiz Inácio Lula da Silva"
            if part not in vocab.PARTICLES and len(part) > 2:
                people.inner.setdefault(part, gi)
        if len(parts) >= 3:  # "Tedros" for "Tedros Adhanom Ghebreyesus"; one such name only
            people.first[parts[0]] = -1 if parts[0] in people.first else gi
    return people


def merge_short_names(groups: Groups, people: People) -> None:
    """People: "Erdoğan" and "Tayyip Erdoğan" are "Recep Tayyip Erdoğan", unless the
    short form is clearly something else (a body, a product, a place)."""
    for gi, g in enumerate(groups.items):
        if g.parent >= 0 or not g.mentions:
            continue
        target = people.suffix.get(g.key)
        if target is None and " " not in g.key:
            target = people.inner.get(g.key)
            if target is None and people.first.get(g.key, -1) >= 0:
                target = people.first[g.key]
        if target is None or groups.root(target) == gi:
            continue
        cued = _cued_organisation(g)
        if cued >= 3.0 or g.votes.get("other", 0) >= 2.5:
            continue
        if g.key.startswith("place:"):
            continue
        if "organization" in g.votes:  # the short form of a person: its half votes were no cue
            g.votes["organization"] = max(0.0, cued)
        groups.merge(gi, target)


_UNCUED = {"organization": 0.5}
"""The votes of a lone word nothing types (see `classify.type_mention`)."""


def _cued_organisation(g: Group) -> float:
    """Organisation votes that some cue gave: not the half vote each mention of a lone word
    nothing types gets, which six plain "Trump"s would otherwise sum into a company."""
    return g.votes.get("organization", 0.0) - 0.5 * sum(m.votes == _UNCUED for m in g.mentions)


def merge_surname_towns(doc: Doc, groups: Groups, people: People) -> None:
    """"Lucena said" after "Tibisay Lucena": a surname that is also a town's name is the
    person, unless a mention is where something happens ("in Lucena")."""
    for gi, g in enumerate(groups.items):
        if g.parent >= 0 or not g.mentions or not g.key.startswith("place:"):
            continue
        place = g.mentions[0].place
        surface = {fold(m.text) for m in g.mentions}
        if place is None or place.kind != "city" or len(surface) != 1:
            continue
        target = people.suffix.get(surface.pop())
        if target is None or groups.root(target) == gi:
            continue
        if any(_after_locative(doc, m) for m in g.mentions):
            continue
        groups.merge(gi, target)


def _after_locative(doc: Doc, m: Mention) -> bool:
    """The mention follows a preposition of place ("in Lucena", "near Lucena")."""
    before = doc.sentences[m.sentence][: m.start].split()
    return bool(before) and before[-1].casefold() in vocab.TOWN_LOCATIVES


def merge_org_short_forms(doc: Doc, groups: Groups) -> None:
    """Organisations: "Lockheed" is "Lockheed Martin"; "GAO" is "Government Accountability
    Office"; the first-named long form wins when a short form could be several."""
    long_first: dict[str, int] = {}
    long_initials: dict[str, int] = {}
    for gi, g in enumerate(groups.items):
        if g.parent >= 0 or not g.mentions or groups.kinds[gi] != "organization":
            continue
        words = g.mentions[0].text.split()
        if len(words) > 1:
            long_first.setdefault(fold(words[0]), gi)
            if fold(g.mentions[0].text) in doc.person_companies:
                long_first.setdefault(fold(words[-1]), gi)  # "Lilly" for "Eli Lilly"
            ini = initials(words)
            if len(ini) >= 2:
                long_initials.setdefault(ini, gi)
    for gi, g in enumerate(groups.items):
        if g.parent >= 0 or not g.mentions or " " in g.mentions[0].text.strip():
            continue
        target = long_first.get(fold(g.mentions[0].text))
        if target is not None and _company_not_city(doc, groups, gi, target):
            groups.merge(gi, target)  # "Toyota" after "Toyota Motor Corp": the company, not the city
            continue
        target = _short_form_target(groups, gi, long_first, long_initials)
        if target is not None and groups.root(target) != gi:
            if groups.kinds[groups.root(target)] == "person":
                continue
            groups.merge(gi, target)


def _company_not_city(doc: Doc, groups: Groups, gi: int, target: int) -> bool:
    """A one-word town named after a company named earlier in full is the company."""
    long_form = groups.items[groups.root(target)]
    g = groups.items[gi]
    return (
        groups.kinds[gi] == "place"
        and city_only(g)
        and company_name(long_form, doc.suffixes)
        and first_at(long_form) < first_at(g)
    )


def _short_form_target(
    groups: Groups, gi: int, long_first: dict[str, int], long_initials: dict[str, int]
) -> int | None:
    """The organisation a one-word name shortens, by first word or initials, if any."""
    g = groups.items[gi]
    if " " in g.key or g.key.startswith("place:"):
        return None
    if groups.kinds[gi] == "person" or g.votes.get("place", 0.0) >= 1.0:
        return None  # "Nusantara" is not "Nusantara Capital Authority"
    if any(" " in m.text.strip() for m in g.mentions):
        return None  # "Tata Group" is not "Tata Electronics"
    target = long_first.get(g.key)
    text = g.mentions[0].text
    if target is None and is_acronym(text):
        target = long_initials.get(text.replace(".", "").upper())
    elif target is None and is_mixed_case_acronym(text):  # "BoJ" for "Bank of Japan"
        target = long_initials.get("".join(c for c in text if c.isupper()))
    return target


def live_organisations(groups: Groups) -> list[int]:
    return [
        gi
        for gi, g in enumerate(groups.items)
        if groups.kinds[gi] == "organization" and g.parent < 0 and g.mentions
    ]


def merge_first_word_acronyms(groups: Groups, orgs: list[int]) -> None:
    """"Africa CDC" is "Africa Centres for Disease Control": same first word, then initials."""
    items = groups.items
    for gi in orgs:
        if items[gi].parent >= 0 or not items[gi].mentions:  # merged away earlier in this pass
            continue
        words = items[gi].mentions[0].text.split()
        if len(words) != 2 or not is_acronym(words[1]):
            continue
        for gj in orgs:
            if gj == gi or not items[gj].mentions:
                continue
            other = items[gj].mentions[0].text.split()
            if len(other) > 2 and fold(other[0]) == fold(words[0]):
                if initials(other[1:]).startswith(words[1].replace(".", "").upper()):
                    groups.merge(gi, gj)
                    break


def merge_last_word_bodies(doc: Doc, groups: Groups, orgs: list[int]) -> None:
    """"the Commission" is the "European Commission" named before, when only one body so ends."""
    items = groups.items
    last_word: dict[str, int] = {}
    for gi in orgs:
        if items[gi].parent >= 0 or not items[gi].mentions:
            continue
        words = groups.key_parts[gi]
        if len(words) > 1 and words[-1] in doc.keywords:
            last_word[words[-1]] = -1 if words[-1] in last_word else gi
    for gi, g in enumerate(items):
        target = last_word.get(g.key, -1)
        if target < 0 or g.parent >= 0 or not g.mentions or groups.root(target) == gi:
            continue
        if first_at(items[groups.root(target)]) < first_at(g):
            groups.merge(gi, target)


def merge_family_names(groups: Groups, people: People) -> None:
    """"Wang" after "Wang Yi": a family name written first, and said alone later."""
    heads: dict[str, int] = {}
    for gi, g in enumerate(groups.items):
        parts = groups.key_parts[gi]
        if len(parts) == 2 and groups.kinds[gi] == "person" and g.parent < 0 and g.mentions:
            heads[parts[0]] = -1 if parts[0] in heads else gi
    for gi, g in enumerate(groups.items):
        target = heads.get(g.key, -1)
        if target < 0 or g.parent >= 0 or not g.mentions or groups.root(target) == gi:
            continue
        if typed_otherwise(g.votes, 2.0) or g.key in people.suffix:
            continue
        groups.merge(gi, target)


def merge_name_prefixes(groups: Groups) -> None:
    """"China Eastern" is "China Eastern Airlines": an organisation's name cut short."""
    org_keys = [(gi, groups.key_parts[gi]) for gi in live_organisations(groups)]
    longer_by_prefix: dict[tuple[str, ...], int] = {}
    for gi, words in org_keys:
        for cut in range(2, len(words)):
            longer_by_prefix.setdefault(tuple(words[:cut]), gi)
    for gi, words in org_keys:
        target = longer_by_prefix.get(tuple(words)) if len(words) >= 2 else None
        if target is not None and target != gi and groups.items[gi].parent < 0:
            groups.merge(gi, target)


def coordinated_votes(doc: Doc, groups: Groups) -> None:
    """Names in one list are of one kind: in "Google, Meta and TikTok" the camel-cased
    "TikTok" (a product, by its letters alone) is a company like the two beside it.

    Only a weak "other" (letters alone, under 3 votes, no digits) gives way, and only to
    a kind at least two other members of the list hold.
    """
    by_sentence: dict[int, list[tuple[Mention, int]]] = {}
    for gi, g in enumerate(groups.items):
        if g.parent < 0:
            for m in g.mentions:
                by_sentence.setdefault(m.sentence, []).append((m, gi))
    for si, ms in by_sentence.items():
        if len(ms) < 3:
            continue
        ms.sort(key=lambda mg: mg[0].start)
        for chain in _lists(doc.sentences[si], ms):
            if len(chain) >= 3:
                _align_list(groups, chain)


def _lists(text: str, ms: list[tuple[Mention, int]]) -> list[list[int]]:
    """The groups of a sentence's mentions, in runs joined only by commas, "and", "or"."""
    chains: list[list[int]] = [[ms[0][1]]]
    for (a, _), (b, gb) in zip(ms, ms[1:], strict=False):
        if _LIST_GAP.fullmatch(text, a.end, b.start):
            chains[-1].append(gb)
        else:
            chains.append([gb])
    return chains


def _align_list(groups: Groups, chain: list[int]) -> None:
    kinds = groups.kinds
    chain_kinds = [kinds[groups.root(gi)] for gi in chain]
    others = Counter(k for k in chain_kinds if k != "other")
    if not others:
        return
    major, count = others.most_common(1)[0]
    if count < 2:
        return
    for gi, kind in zip(chain, chain_kinds, strict=True):
        r = groups.root(gi)
        g: Group = groups.items[r]
        votes = g.votes
        if kind != "other" or votes.get("other", 0.0) >= 3.0:
            continue
        if any(c.isdigit() for m in g.mentions for c in m.text):
            continue  # "RAV4", "A350": models keep their kind
        votes[major] = votes.get(major, 0.0) + votes.get("other", 0.0) + 0.5
        kinds[r] = best_type(votes)

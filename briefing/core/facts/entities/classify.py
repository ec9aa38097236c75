"""Typing: votes for person, organisation, place or other, not a single decision.

Merging adds up the votes of every spelling of one thing before a type is chosen, so each
mention only votes, from its own words (cached per name) and then from its context.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.facts import roles
from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Doc, Mention
from briefing.core.facts.entities.shapes import (
    DIGIT,
    is_acronym,
    is_camel,
    is_known_place,
    of_head,
    singular,
)
from briefing.core.facts.gazetteer import Place, lookup
from briefing.core.facts.lexicon import MONTHS, fold
from briefing.core.facts.tokens import Token, without_article


@dataclass(frozen=True, slots=True)
class _Static:
    folded: tuple[str, ...]
    place: Place | None
    known_place: bool
    kind: str
    """The type the words alone give ("" for none), and its weight."""
    weight: float
    camel: bool
    digits: bool


_STATIC_CACHE: dict[tuple[str, tuple[str, ...]], _Static] = {}

_STATIC_ONE: dict[str, _Static] = {}
"""`_STATIC_CACHE` for names of one word, keyed by the word alone."""


def _static(doc: Doc, text: str, wtexts: tuple[str, ...]) -> _Static:
    """What a name's words alone say about it; the same for every mention, so cached."""
    key = (text, wtexts)
    hit = _STATIC_CACHE.get(key)
    if hit is not None:
        return hit
    folded = tuple(fold(w) for w in wtexts)
    heads = [f for f in folded if not f[:1].isdigit()]
    last = (heads or folded)[-1]
    n = len(wtexts)
    place = lookup(text)
    known_place = is_known_place(place)
    # The head word decides: "University of Cape Town" and "Banco Base" are organisations,
    # "Gulf of Mexico" and "East Kalimantan" places, whatever else they contain.
    head, connector = of_head(list(folded))
    if not head and n > 1 and (folded[0] in doc.head_first or folded[0] in vocab.PLACE_FIRST):
        head = folded[0]
    # "Centre for Policy Studies": places are "of" something, bodies are "for" something.
    body_for = connector == "for" and singular(head) in doc.place_words
    org_word = any(f in doc.suffixes for f in folded) or (
        any(f in doc.keywords for f in folded[1:]) or (folded[0] in doc.keywords and n > 1)
    )
    kind, weight = "", 0.0
    if body_for or (
        head and (head in doc.keywords or head in doc.suffixes) and head not in doc.events
    ):
        kind, weight = "organization", 3.0
    elif head and (singular(head) in doc.place_words or head in vocab.PLACE_FIRST) and not known_place:
        kind, weight = "place", 3.0
    elif last in vocab.PROGRAMME and n > 1 and folded[0] in vocab.UN_FIRST:
        kind, weight = "organization", 3.0  # "World Food Programme": a UN agency, not a plan
    elif n == 1 and last in vocab.DISEASES:
        kind, weight = "other", 3.0  # "Ebola vaccines", not a body that can speak
    elif last in doc.events and n > 1:
        kind, weight = "other", 3.0
    elif last in doc.place_words and n > 1 and last not in doc.keywords:
        kind, weight = "place", 3.0
    elif known_place:
        pass
    elif org_word:
        only_air = all(f == "air" for f in folded if f in doc.keywords) and not any(
            f in doc.suffixes for f in folded
        )
        kind, weight = "organization", 1.5 if only_air else 3.0
    elif last in doc.place_words and n > 1:
        kind, weight = "place", 2.0
    elif n > 1 and any(is_acronym(w) and len(w) > 1 for w in wtexts):
        kind, weight = "organization", 2.5  # "Africa CDC": an acronym beside a name
    elif (
        n > 1
        and folded[0] in vocab.COMPASS
        and not _has_name_word(doc, list(folded))
        and " ".join(folded[1:]) not in doc.demonyms
    ):
        kind, weight = "place", 2.5  # "East Kalimantan", "Northern Cape"
    out = _Static(
        folded=folded,
        place=place,
        known_place=known_place,
        kind=kind,
        weight=weight,
        camel=any(is_camel(w) for w in wtexts),
        digits=DIGIT.search(text) is not None,
    )
    if len(_STATIC_CACHE) > 100_000:
        _STATIC_CACHE.clear()
    _STATIC_CACHE[key] = out
    return out


def type_mention(doc: Doc, m: Mention, toks: list[Token], words: list[int], person_ev: bool) -> None:
    """Add the votes of a new mention: its own words first, then the words around it."""
    n = len(words)
    last_k = words[-1]
    st, first = _static_of(doc, m, toks, words)
    votes = m.votes
    get = votes.get
    place = st.place
    if place is not None:
        m.place = place
        if st.known_place:
            votes["place"] = get("place", 0.0) + 2.5
        elif _locative(doc, toks, words):
            votes["place"] = get("place", 0.0) + 2.0
        else:
            votes["place"] = get("place", 0.0) + 0.4
    if person_ev:
        votes["person"] = get("person", 0.0) + 3.0
    kind = st.kind
    if kind:
        votes[kind] = get(kind, 0.0) + st.weight
        if kind == "place" and n > 1 and not st.known_place and _speaks(doc, toks, last_k):
            # "Downing Street said": the office
            votes["organization"] = get("organization", 0.0) + (st.weight + 0.5)
    ntoks = len(toks)
    word_after = toks[last_k + 1].text if last_k + 1 < ntoks else ""
    if words[0] == 0 and word_after in {",", "("} and _dateline(doc, toks, words):
        votes["place"] = get("place", 0.0) + 4.0
    if (doc.vessel_cues and _vessel(toks, words, word_after)) or (
        word_after == "," and _law_acronym(doc, toks, words, word_after)
    ):
        votes["other"] = get("other", 0.0) + 4.0
    _neighbour_votes(doc, votes, toks, words, st, person_ev, word_after)
    _shape_votes(doc, m, toks, words, st, first, person_ev)
    if (not votes or max(votes.values()) < 1.0) and not st.camel and not st.digits:
        _context_votes(doc, m, toks, words, n)
    if n == 1 and (not votes or max(votes.values()) < 1.0):
        # a lone unknown word, said again and again: a company
        votes["organization"] = get("organization", 0.0) + 0.5
    typed_elsewise = (
        get("organization", 0) >= 3.0 or get("other", 0) >= 2.2 or get("place", 0) >= 2.0
    )
    if not typed_elsewise:
        _role_votes(doc, m, toks, words, st.folded, word_after)
    nxt = last_k + 1
    for k in range(nxt, min(nxt + 3, ntoks)):
        tk = toks[k].text
        if tk.casefold() in vocab.PRODUCT_NOUNS:
            votes["other"] = get("other", 0.0) + (1.0 if st.camel or st.digits else 0.4)
            break
        if not tk.isalpha() or not tk.islower():
            break


def _vessel(toks: list[Token], words: list[int], word_after: str) -> bool:
    """A ship: "USS Mount Whitney", "R/V Roger Revelle", "the frigate Gemlik", "the Yavuz
    drillship" (a vessel's name is no body that acts or speaks)."""
    first = words[0]
    lead = toks[first].text
    if len(words) > 1 and lead.isupper() and lead.casefold().replace(".", "") in vocab.VESSEL_PREFIXES:
        return True
    if word_after.islower() and word_after in vocab.VESSEL_NOUNS:
        return True
    before = toks[first - 1].text if first > 0 else ""
    if before.islower() and before in vocab.VESSEL_NOUNS:
        return True
    return (  # "R/V", "M/V" before the name
        first >= 3
        and toks[first - 2].text == "/"
        and len(before) == 1
        and len(toks[first - 3].text) == 1
        and before.isupper()
    )


def _law_acronym(doc: Doc, toks: list[Token], words: list[int], word_after: str) -> bool:
    """"CAATSA, the Countering America's Adversaries Through Sanctions Act": an acronym that
    an apposition names as a law, a treaty or another named thing of `event_words`."""
    if len(words) != 1 or word_after != "," or not is_acronym(toks[words[0]].text):
        return False
    k = words[0] + 2
    if k >= len(toks) or toks[k].text.casefold() != "the":
        return False
    for j in range(k + 1, min(k + 14, len(toks))):
        t = toks[j]
        if not (t.is_cap or t.text.casefold() in vocab.CONNECT or t.text in vocab.POSSESSIVE):
            return False
        if t.is_cap and fold(t.text) in doc.events:
            return True
    return False


def _static_of(doc: Doc, m: Mention, toks: list[Token], words: list[int]) -> tuple[_Static, str]:
    """What the mention's words alone say, and its first word."""
    if len(words) == 1:
        # One word (most names): its text is the mention's, so it alone keys the cache.
        first = toks[words[0]].text
        st1 = _STATIC_ONE.get(first)
        if st1 is None:
            st1 = _static(doc, first, (first,))
            if len(_STATIC_ONE) > 100_000:
                _STATIC_ONE.clear()
            _STATIC_ONE[first] = st1
        return st1, first
    wtexts = tuple([toks[k].text for k in words])
    return _static(doc, m.text, wtexts), wtexts[0]


def _neighbour_votes(
    doc: Doc,
    votes: dict[str, float],
    toks: list[Token],
    words: list[int],
    st: _Static,
    person_ev: bool,
    word_after: str,
) -> None:
    """The word right before or after a name that says what kind of thing it is."""
    first_k, last_k = words[0], words[-1]
    get = votes.get
    word_before = toks[first_k - 1].text if first_k > 0 else ""
    if word_before.islower() and word_before in vocab.ORG_NOUNS and not st.known_place:
        # "the law firm Clifford Chance"
        votes["organization"] = get("organization", 0.0) + 3.5
    elif word_before == "based" and doc.current_text[max(0, toks[first_k - 1].start - 1)] == "-":
        # "Paris-based Suez": a place is never based somewhere, even one named like a town
        votes["organization"] = get("organization", 0.0) + 4.0
    elif (
        word_after == "," and not person_ev and not st.known_place and org_apposition(doc, toks, last_k)
    ):
        # "NetChoice, a trade group whose members..."
        votes["organization"] = get("organization", 0.0) + 3.5
    elif word_after.islower() and word_after in vocab.GEO_NOUNS and st.kind != "organization":
        votes["place"] = get("place", 0.0) + 3.0  # "the Tarn river", "Lhotse peak"


def _shape_votes(
    doc: Doc, m: Mention, toks: list[Token], words: list[int], st: _Static, first: str, person_ev: bool
) -> None:
    """Votes from how the name is written and what this document does with it: camel
    case, digits, a company's short form, shares traded, a given name first."""
    n = len(words)
    last_k = words[-1]
    folded = st.folded
    camel, digits = st.camel, st.digits
    votes = m.votes
    get = votes.get
    if (
        n == 1
        and first[0].isupper()
        and (camel or folded[0] in doc.company_strong)
        and _acts_like_company(doc, toks, last_k)
    ):
        # "BlueHarbor said", "BlueHarbor shares fell"
        votes["organization"] = get("organization", 0.0) + 3.0
    if digits:
        votes["other"] = get("other", 0.0) + 2.5
    elif first[0].islower() and without_article(first) is None:  # "iPhone", not "al-Qaeda"
        votes["other"] = get("other", 0.0) + 2.5
    elif camel and folded[0] not in doc.given:
        votes["other"] = get("other", 0.0) + 2.2
    if n == 1 and not person_ev and folded[0] in doc.company_short:
        votes["organization"] = get("organization", 0.0) + 3.0
    elif n >= 2 and not person_ev:
        if " ".join(folded) in doc.person_companies:
            votes["organization"] = get("organization", 0.0) + 4.0  # "Morgan Stanley"
        elif _traded(doc, toks, words[0], last_k):
            m.traded = True  # "shares of Lang Kessler": a company, whatever its name
            votes["organization"] = get("organization", 0.0) + 3.0
    org_typed = get("organization", 0) >= 3.0
    if n >= 2 and folded[0] in doc.given and not person_ev and not org_typed:
        votes["person"] = get("person", 0.0) + 2.0
    elif (
        2 <= n <= 4
        and folded[0] in doc.world_given
        and not person_ev
        and not org_typed
        and not st.kind
        and not st.known_place
    ):
        # "Kwame Asante", "Priya Raman": a given name of the world
        votes["person"] = get("person", 0.0) + 1.5
    if n == 1 and is_acronym(first):
        votes["organization"] = get("organization", 0.0) + 1.0


def _role_votes(
    doc: Doc, m: Mention, toks: list[Token], words: list[int], folded: tuple[str, ...], word_after: str
) -> None:
    """A title before the name or an apposition after it: the role, and a vote for a
    person (only for a name nothing else has typed)."""
    n = len(words)
    first_k, last_k = words[0], words[-1]
    votes = m.votes
    get = votes.get
    role = m.role or roles.role_before(doc.current_text, toks, first_k)
    if role:
        m.role = role
        if n <= 4 and not get("organization") and not get("other"):
            votes["person"] = get("person", 0.0) + 1.5
    # An apposition, like an age below, starts with a comma after the name.
    after, strong = (
        roles.role_after(doc.current_text, toks, last_k) if word_after == "," else (None, False)
    )
    if after:
        m.role = m.role or after
        if strong and not get("organization"):
            votes["person"] = get("person", 0.0) + 2.0
        elif n >= 2 and not get("organization") and not _has_name_word(doc, list(folded)):
            # "Ann Lee, the acting head of ..."
            votes["person"] = get("person", 0.0) + 1.5
    if word_after == "," and roles.age_after(toks, last_k):
        votes["person"] = get("person", 0.0) + 3.0


def _dateline(doc: Doc, toks: list[Token], words: list[int]) -> bool:
    """A sentence opening with a name in capitals, then a state, a date or a wire in
    brackets: a wire story's dateline ("FORT LAUDERDALE, Fla., March 3 -", "BOCA RATON,
    March 3 -", "HAYWARD (Reuters) -"), whose name is the town it was filed from, however
    small (the gazetteer's big cities need no such cue)."""
    if not all(toks[k].text.isupper() or not toks[k].text.isalpha() for k in words):
        return False
    if any(fold(toks[k].text) in doc.keywords or fold(toks[k].text) in doc.suffixes for k in words):
        return False  # "ACME CORP, March 3 -": a company's release
    at = words[-1] + 1
    following = [t.text for t in toks[at + 1 : at + 4]]
    if not following:
        return False
    if toks[at].text == "(":  # the wire, then a dash
        return following[0][:1].isupper() and following[1:] in _WIRE_ENDS
    place = lookup(following[0])
    return fold(following[0]) in MONTHS or (place is not None and place.kind in _REGIONS)


_REGIONS = frozenset({"state", "country", "region"})
_WIRE_ENDS = ([")", "-"], [")", "—"], [")", "–"])


def _speaks(doc: Doc, toks: list[Token], last: int) -> bool:
    j = last + 1
    return j < len(toks) and toks[j].text.casefold() in vocab.OFFICE_SPEAKS


def org_apposition(doc: Doc, toks: list[Token], last: int) -> bool:
    """", a trade group", ", the US lender": an apposition whose head is a kind of body."""
    i = last + 1
    if i + 2 >= len(toks) or toks[i].text != "," or toks[i + 1].text.casefold() not in {"a", "an", "the"}:
        return False
    for k in range(i + 2, min(i + 6, len(toks))):
        word = toks[k].text
        if word.casefold() in vocab.ORG_NOUNS and word.islower():
            # closed like an apposition: not "Separately, the bank said"
            after = toks[k + 1].text.casefold() if k + 1 < len(toks) else "."
            return after in vocab.APPOSITION_ENDS
        if not word.isalpha() or word.casefold() in vocab.NOT_MODIFIERS:
            return False
    return False


def _traded(doc: Doc, toks: list[Token], first: int, last: int) -> bool:
    """"Shares of X", "a stake in X", "X shares fell", "X's profit": a listed company."""
    if (
        first >= 2
        and toks[first - 1].text.casefold() in {"of", "in"}
        and toks[first - 2].text.casefold() in vocab.TRADED_BEFORE
    ):
        return True
    j = last + 1
    if j + 1 < len(toks) and toks[j].text.casefold() in vocab.STRONG_COMPANY_NEXT:
        return toks[j + 1].text.casefold() in vocab.MARKET_MOVES  # not "X shares his view"
    return (
        j + 1 < len(toks)
        and toks[j].text in vocab.POSSESSIVE
        and toks[j + 1].text.casefold() in vocab.TRADED_OWNS
    )


def _acts_like_company(doc: Doc, toks: list[Token], last: int) -> bool:
    j = last + 1
    if j < len(toks) and toks[j].text in vocab.POSSESSIVE:
        j += 1
    return j < len(toks) and toks[j].text.casefold() in vocab.COMPANY_NEXT_OR_OWNS


def _has_name_word(doc: Doc, folded: list[str]) -> bool:
    return any(
        f in doc.keywords or f in doc.suffixes or f in doc.events or f in doc.given
        for f in folded
    )


def _context_votes(doc: Doc, m: Mention, toks: list[Token], words: list[int], n: int) -> None:
    """Cues around a name nothing else types: "X said", "Mr X", "in X", "X's deputy"."""
    i, j = words[0] - 1, words[-1] + 1
    nxt = toks[j].text.casefold() if j < len(toks) else ""
    nxt2 = toks[j + 1].text if j + 1 < len(toks) else ""
    prev = toks[i].text.casefold() if i >= 0 else ""
    prev2 = toks[i - 1].text.casefold() if i >= 1 else ""
    if nxt in {"'s", "’s"} and nxt2 and roles.is_head(nxt2) and nxt2.islower():
        nxt3 = toks[j + 2].text.casefold() if j + 2 < len(toks) else ""
        if prev == "the" or nxt2 in vocab.COMPANY_HEADS or (nxt2 == "chief" and nxt3 in vocab.COMPANY_HEADS):
            m.vote("organization", 2.0)  # "the Taliban's chief spokesman", "Gazprom's chief executive"
        else:
            m.vote("person", 2.0)  # "Ueda's predecessor"
        return
    if prev in {"at", "of", "from"} and prev2 in vocab.MEMBERS:
        m.vote("organization", 2.0)  # "officials at X", "analysts from X", "members of X"
        return
    if n >= 2 and (
        nxt in vocab.PERSON_VERBS
        or (nxt in {"was", "is", "has", "had"} and nxt2 in vocab.PERSON_PASSIVES)
        or (nxt in vocab.SAID and nxt2.casefold() in {"he", "she"})
    ):
        m.vote("person", 2.0)  # "Kami Rita resigned", "Ana Lobo was born", "X said she"
        return
    if n >= 2:
        if nxt in vocab.SAID or (nxt == "," and nxt2.casefold() == "who") or nxt == "of":
            m.vote("person", 1.5)
            return
        if (prev == "to" and prev2 == "according") or (
            prev in vocab.SAID and nxt in {",", ".", ";", ""}
        ):
            m.vote("person", 1.0)
            return
    if prev == "of" and singular(prev2) in doc.place_words and prev2 not in doc.keywords:
        m.vote("place", 2.0)  # "the island of X", "the province of X"
        return
    if prev in {"to", "into"} and prev2 in vocab.MOTION_VERBS:
        m.vote("place", 1.0)  # "flew to X", "moved into X"
        return
    if prev == "in" and prev2 in vocab.SWORN:
        m.vote("person", 1.0)  # "swore in Dinesh Gunawardena as prime minister"
        return
    if prev in vocab.STRONG_PLACE_PREPS and prev2 not in vocab.STAKE_NOUNS and nxt not in {"'s", "’s"}:
        m.vote("place", 1.0 if prev in vocab.STRONG_PLACE_PREPS else 0.6)


def _locative(doc: Doc, toks: list[Token], words: list[int]) -> bool:
    i = words[0] - 1
    if i >= 0 and toks[i].text.casefold() in vocab.LOCATIVE:
        return not (toks[i].text.casefold() == "in" and i >= 1 and toks[i - 1].text.casefold() in vocab.SWORN)
    j = words[-1] + 1
    if j + 1 < len(toks) and toks[j].text == "," and toks[j + 1].is_cap:
        nxt = lookup(toks[j + 1].text)
        if nxt is not None and nxt.kind in {"state", "country", "region"}:
            return True
    return j < len(toks) and toks[j].text.casefold() in {"based", "-based"}

"""Capital runs: the stretches of a sentence that may hold a name.

A run is where every later decision starts, so it errs on the long side ("Court for
the Southern District", "Place de la Concorde"); spans cut it shorter afterwards.
"""

from __future__ import annotations

from briefing.core.facts import roles
from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Doc
from briefing.core.facts.entities.shapes import is_acronym, is_year, singular
from briefing.core.facts.gazetteer import lookup
from briefing.core.facts.lexicon import fold
from briefing.core.facts.tokens import Token

_LINKS: dict[str, bool] = {}
"""Memo of `_may_link`."""


def _may_link(word: str) -> bool:
    """Whether a token that is no name's start may still carry a run on: a number
    ("Apollo 11"), an abbreviation's dot, a particle ("von der"), "of", "and", "&", "the"
    or a possessive. Any other ends the run, whatever follows (see `find_runs`)."""
    return word.isdigit() or word == "." or word in vocab.POSSESSIVE or word.casefold() in vocab.LINK_WORDS


def find_runs(doc: Doc, toks: list[Token]) -> list[list[int]]:
    out: list[list[int]] = []
    cur: list[int] = []
    n = len(toks)
    connectors = vocab.TITLE_CONNECTORS
    i = 0
    while i < n:
        t = toks[i]
        if not cur and not t.is_cap:
            i += 1
            continue
        if (
            not cur
            and i >= 2
            and toks[i - 1].text == "."
            and toks[i - 1].start == toks[i - 2].end
            and toks[i - 1].end == t.start
            and toks[i - 2].text.isdigit()
        ):
            i += 1  # "1.54C": the tail of a number with its unit, not a name
            continue
        w = t.text
        nxt0 = toks[i + 1] if i + 1 < n else None
        if nxt0 is not None and t.is_cap and (
            (nxt0.text == "$" and nxt0.start == t.end)
            or nxt0.text.casefold() in {"dollar", "dollars"}
        ):
            # "US$", "US dollars": a currency, not a place.
            if cur:
                out.append(cur)
                cur = []
            i += 1
            continue
        if t.is_cap and (t.is_word or not cur or not is_year(w)):
            if w in connectors and i > 0 and (cur or toks[i - 1].text in connectors):
                # "Lands On Far Side Of Moon For The First Time": title case, no name goes on
                # over such a word (a name writes it in lower case) nor starts with it.
                if cur:
                    out.append(cur)
                    cur = []
                i += 1
                continue
            cur.append(i)
            i += 1
            continue
        if cur:
            link = _LINKS.get(w)
            if link is None:
                link = _may_link(w)
                if len(_LINKS) > 100_000:
                    _LINKS.clear()
                _LINKS[w] = link
            if not link:  # the common end of a run: a lower-case word, a comma
                out.append(cur)
                cur = []
                i += 1
                continue
            joined, ends = _carry(doc, toks, cur, i)
            if joined:
                cur.extend(range(i, i + joined))
                i += joined
                if ends:
                    out.append(cur)
                    cur = []
                continue
            out.append(cur)
            cur = []
        i += 1
    if cur:
        out.append(cur)
    for run in out:  # a run never ends on a connector
        while run and toks[run[-1]].text.casefold() in vocab.CONNECT:
            run.pop()
    return [r for r in out if r]


def _carry(doc: Doc, toks: list[Token], cur: list[int], i: int) -> tuple[int, bool]:
    """How many tokens from i (a number, a dot, a particle, a connector) the run `cur`
    takes on, 0 for none, and whether the run then ends."""
    n = len(toks)
    t = toks[i]
    w = t.text
    prev = toks[i - 1]
    nxt = toks[i + 1] if i + 1 < n else None
    lw = w.casefold()
    if (
        w.isdigit()
        and not is_year(w)
        and prev.is_word
        and prev.end + 1 == t.start
        and prev.text.casefold() not in vocab.CURRENCY_TOKENS
    ):
        score = (  # "England 1-0", "Barcelona 3–1": a result, not "Apollo 11"
            nxt is not None
            and nxt.text in {"-", "–"}
            and nxt.start == t.end
            and i + 2 < n
            and toks[i + 2].text.isdigit()
            and len(w) <= 2
            and len(toks[i + 2].text) <= 2  # "Boeing 737-800" is a model
        )
        if not score and (nxt is None or nxt.text not in {"%", "percent", "million", "billion"}):
            return 1, False
    if (
        w == "."
        and prev.end == t.start
        and len(prev.text) == 1
        and prev.text.isupper()
        and nxt is not None
        and nxt.is_cap
        and nxt.is_word
    ):
        return 1, False  # a middle initial: "Anton R. Belov", "George W. Bush"
    if w == "." and prev.end == t.start and prev.text.casefold() in vocab.DOT_ABBR:
        ends_org = fold(prev.text) in doc.suffixes
        goes_on = nxt is not None and nxt.is_cap and not (ends_org and fold(nxt.text) in doc.given)
        return 1, not goes_on
    if nxt is None:
        return 0, True
    two_on = i + 2 < n and toks[i + 2].is_cap and toks[i + 2].is_word
    if two_on and lw in vocab.PARTICLES and nxt.text.casefold() in vocab.PARTICLES:
        return 2, False  # "Place de la Concorde", "Ursula von der Leyen"
    if two_on and lw in {"of", "for"} and nxt.text == "the" and _of_joinable(doc, toks, cur):
        return 2, False  # "Court for the Southern District"
    if not (nxt.is_cap and nxt.is_word):
        return 0, True
    if w in vocab.POSSESSIVE and len(cur) <= 2 and fold(toks[cur[-1]].text) in vocab.GENITIVE_HEADS:
        return 1, False  # "Women's World Cup", "People's Liberation Army"
    return (1, False) if _joins_before_name(doc, toks, cur, i) else (0, True)


def _joins_before_name(doc: Doc, toks: list[Token], cur: list[int], i: int) -> bool:
    """Whether a particle or connector right before a capitalised word belongs to the name:
    "Ursula von Leyen", "Bank of England", "Smith and Nephew", "Procter & Gamble"."""
    lw = toks[i].text.casefold()
    if lw in vocab.PARTICLES or lw == "&":
        return True
    if lw in {"of", "for"}:
        return _of_joinable(doc, toks, cur)
    if lw == "the":
        return toks[i - 1].text.casefold() in {"of", "for"}
    if lw in {"'s", "’s"}:
        return doc.token_counts.get(fold(toks[i - 1].text), 0) == 1 and _keyword_ahead(doc, toks, i + 1)
    return lw == "and" and _and_joinable(doc, toks, cur, i)


def _of_joinable(doc: Doc, toks: list[Token], cur: list[int]) -> bool:
    last = toks[cur[-1]].text.casefold()
    f = fold(last)
    return (
        f in doc.keywords
        or f in doc.place_words
        or singular(f) in doc.place_words
        or singular(f) in doc.keywords
        or f in vocab.OF_HEADS
        or roles.is_head(last)
        or f in {"minister", "secretary", "department", "ministry", "university"}
    )


def _open_title(doc: Doc, toks: list[Token], cur: list[int]) -> bool:
    """Whether the run so far is a title whose "of" object may go on: "Minister of Trade"."""
    for k in range(len(cur) - 2):
        if toks[cur[k + 1]].text.casefold() in {"of", "for"} and roles.is_head(toks[cur[k]].text):
            return all(
                roles.is_role_word(toks[c].text) or toks[c].text.casefold() in vocab.CONNECT
                for c in cur[k + 2 :]
            )
    return False


def _inside_of_name(doc: Doc, toks: list[Token], cur: list[int], i: int, j: int) -> bool:
    """"Institute of Marine and Polar Science", "Department of Health and Human Services":
    "and" inside the object of an organisation's "of", joining words found nowhere else."""
    of_at = next(
        (k for k, c in enumerate(cur) if toks[c].text.casefold() in {"of", "for"} and k > 0),
        -1,
    )
    if of_at < 0 or j - i > 3:
        return False
    head = singular(fold(toks[cur[of_at - 1]].text))
    if head not in doc.keywords and head not in doc.place_words:
        return False
    obj = doc.current_text[toks[cur[of_at + 1]].start : toks[cur[-1]].end]
    if lookup(obj) is not None:
        return False  # "Bank of Japan and ...": the name is already complete
    right = [fold(toks[k].text) for k in range(i + 1, j)]
    if any(w in doc.keywords or w in doc.suffixes or lookup(w) for w in right):
        return False
    return all(doc.token_counts.get(w, 0) <= 1 for w in right)


def _keyword_ahead(doc: Doc, toks: list[Token], j: int) -> bool:
    k = j
    while k < len(toks) and k - j < 5 and (toks[k].is_cap or toks[k].text == "of"):
        f = fold(toks[k].text)
        if f in doc.keywords or f in doc.place_words or (f in doc.events and k > j):
            return True  # "Women's Bank", "America's Cup", "America's Adversaries ... Act"
        k += 1
    return False


def _and_joinable(doc: Doc, toks: list[Token], cur: list[int], i: int) -> bool:
    if _open_title(doc, toks, cur) and fold(toks[i + 1].text) not in doc.given:
        return True  # "Minister of Trade and Industry Piyush Goyal"
    left = fold(toks[cur[-1]].text)
    if left in doc.keywords or left in doc.suffixes:
        return False
    j = i + 1
    last = ""
    while j < len(toks) and j - i <= 5 and toks[j].is_cap and toks[j].is_word:
        last = fold(toks[j].text)
        j += 1
    core = [c for c in cur if toks[c].text.casefold() != "the"]
    if (
        len(core) == 1
        and core[0] > 0
        and toks[core[0] - 1].text.casefold() == "the"
        and j - i == 3
        and last in doc.keywords
        and doc.token_counts.get(left, 0) <= 1
        and lookup(toks[core[0]].text) is None
    ):
        return True  # "the Food and Drug Administration": one body, not "Food"
    if (
        j + 2 < len(toks)
        and j - i <= 4
        and len(cur) <= 3
        and toks[j].text == "("
        and is_acronym(toks[j + 1].text.replace("i", "I"))
        and toks[j + 2].text == ")"
    ):
        return True  # "Law and Order (LO)": an acronym names the whole phrase
    if _inside_of_name(doc, toks, cur, i, j):
        return True
    # "Smith and Nephew plc" is one name; "Ford and General Motors" two: a right side
    # that is a complete organisation name of its own does not join.
    if last and (
        last in doc.suffixes or (last in doc.keywords and last != "air" and j - i == 2)
    ):
        return True
    start = toks[cur[0]].start
    joined = doc.current_text[start : toks[j - 1].end] if j - 1 > i else ""
    place = lookup(joined) if joined else None
    return place is not None and place.kind != "city"

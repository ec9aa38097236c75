"""Spans: a run cut down to the names it holds, each added as a typed mention.

A run is too generous (it keeps "New rules", "the Prime Minister", "U.S. Air Force"
whole); this is where the words that are no part of a name are dropped.
"""

from __future__ import annotations

import re

from briefing.core.facts import roles
from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.classify import org_apposition, type_mention
from briefing.core.facts.entities.document import Doc, Mention
from briefing.core.facts.entities.runs import find_runs
from briefing.core.facts.entities.shapes import DIGIT, is_acronym, is_camel, is_known_place, is_year
from briefing.core.facts.entities.titles import (
    demonym_len,
    ends_in_org_word,
    inner_role,
    place_starts,
    role_prefix,
    title_of,
)
from briefing.core.facts.gazetteer import BIG_CITY_POPULATION, lookup
from briefing.core.facts.lexicon import (
    ACRONYM_STOP,
    MONTHS,
    NOT_NAMES_EXTRA,
    WEEKDAYS,
    fold,
)
from briefing.core.facts.tokens import Token


def extract_spans(doc: Doc) -> None:
    for si, toks in enumerate(doc.tokens):
        doc.current_text = doc.sentences[si]
        first_word = next((k for k, t in enumerate(toks) if t.is_word), -1)
        for run in find_runs(doc, toks):
            _process_run(doc, si, toks, run, first_word)


def _process_run(doc: Doc, si: int, toks: list[Token], run: list[int], first_word: int) -> None:
    before = toks[run[0] - 1].text if run[0] > 0 else ""
    initial = run[0] == first_word or before in vocab.OPENERS or before in vocab.TITLE_CONNECTORS
    if len(toks[run[0]].text) == 1 or len(toks[run[-1]].text) == 1:
        run = _without_lone_letters(toks, run)
        if not run:
            return
    if len(run) == 1:  # the common case: one capitalised word
        _process_word(doc, si, toks, run, initial)
        return
    cuts = title_of(doc, toks, run)
    if cuts is not None:
        for words, first, person, role in cuts:
            _add_span(doc, si, toks, words, first, person, role)
        return
    j, person_ev = _lead_end(doc, toks, run, initial)
    words = [k for k in run[j:] if toks[k].text != "."] if j else run[:]
    # "9 p.m. ET Monday", "minus 4 degrees Fahrenheit": clock zones, weekdays and scales
    # at the end of a run name nothing.
    while words and (
        toks[words[-1]].text in vocab.ZONES_AND_SCALES or fold(toks[words[-1]].text) in WEEKDAYS
    ):
        words.pop()
    if words and (toks[words[0]].text.isdigit() or fold(toks[words[0]].text) in MONTHS):
        words = _without_opening_date(toks, words)
    if not words or _shouted(doc, toks, words):
        return
    stripped = j > 0
    # A title inside the run: "U.S. President Donald Trump", "Apple CEO Steve Jobs".
    split = inner_role(doc, toks, words)
    if split is not None:
        left, right = split
        if left:
            _add_span(doc, si, toks, left, initial and not stripped, False)
        _add_span(doc, si, toks, right, False, True)
        return
    if _drop_end_title(doc, toks, words):
        _add_span(doc, si, toks, words, initial and not stripped, person_ev)


def _shouted(doc: Doc, toks: list[Token], words: list[int]) -> bool:
    """Common words in capitals ("MUCH MORE", "THANK YOU", "READ MORE"): a quoted post's
    shouting or a page's label, no name. A name's own words in capitals hold an
    organisation's or a place's word ("WHITE HOUSE", "RED SEA"), or a word no list calls
    common; capitals of a whole headline are recased before this (see `casing`). One
    word alone is left to the rules for one word ("The WHO's" is the WHO)."""
    if len(words) < 2:
        return False
    for k in words:
        w = toks[k].text
        if len(w) < 3 or not w.isupper():
            return False  # "US", "EU": acronyms are names
        f = fold(w)
        if f not in doc.common or f in doc.keywords or f in doc.place_words or f in doc.suffixes:
            return False
    return True


def _day(text: str) -> bool:
    return text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 31


def _without_opening_date(toks: list[Token], words: list[int]) -> list[int]:
    """The words of a run after the date it opens with: a day and its month in either
    order, a year after them. "On 21 October" (its "On" already cut) names nothing and
    "On 14 October Google released" names Google, but "the May 4 Movement" is one name.
    A month alone never opens a span (see `_process_word`), and a number is no date
    without its month ("Apollo 11")."""
    plain = [k for k in words if toks[k].text != "."]  # "Oct. 21"
    texts = [toks[k].text for k in plain[:3]] + ["", ""]
    before = [toks[k].text for k in range(max(0, words[0] - 2), words[0]) if toks[k].text != "."]
    if _day(texts[0]) and before and fold(before[-1]) in MONTHS:
        opens, date_words = before[:-1], 1  # "Since March 2 Google": the month was cut as a run's lead
    elif (_day(texts[0]) and fold(texts[1]) in MONTHS) or (fold(texts[0]) in MONTHS and _day(texts[1])):
        opens, date_words = before, 2
    else:
        return words
    if opens and fold(opens[-1]) in vocab.DETERMINERS and len(plain) > date_words:
        return words  # "the May 4 Movement": a name that holds a date
    last = plain[date_words] if is_year(texts[date_words]) else plain[date_words - 1]
    return [k for k in words if k > last]


def _lone_letter(toks: list[Token], k: int) -> bool:
    """A capital letter alone, no initial's dot after it: "R" of "R/V", "C" of "Meeting C"."""
    t = toks[k]
    return (
        len(t.text) == 1
        and t.is_word
        and not (k + 1 < len(toks) and toks[k + 1].text == "." and toks[k + 1].start == t.end)
    )


def _without_lone_letters(toks: list[Token], run: list[int]) -> list[int]:
    """A run without lone letters at its ends: no name is one letter, nor opens with one
    ("V Roger Revelle" of "R/V Roger Revelle") or ends with one ("Meeting C"), except a
    thing named by a letter ("Plan B", "Vitamin D", "Group A")."""
    if len(toks[run[0]].text) > 1 and len(toks[run[-1]].text) > 1:
        return run  # the common case: no one-letter word at either end
    words = [k for k in run if toks[k].is_word]
    if not words:
        return run
    if _lone_letter(toks, words[0]):
        run = [k for k in run if k > words[0]]
    if run and words[-1] in run and _lone_letter(toks, words[-1]):
        head = [k for k in run if toks[k].is_word and k != words[-1]]
        if not head or (
            toks[head[0]].text.casefold() not in vocab.LETTER_SERIES
            and not any(is_acronym(toks[k].text) or is_camel(toks[k].text) for k in head)
        ):  # "Mac OS X", "SGB V" keep theirs
            # "Meeting C" is a code, not a "Meeting"; "Anton R" is cut short, still Anton
            run = [k for k in run if k < words[-1]] if len(head) > 1 else []
    while run and toks[run[-1]].text.casefold() in vocab.CONNECT:
        run = run[:-1]
    return run


def _process_word(doc: Doc, si: int, toks: list[Token], run: list[int], initial: bool) -> None:
    """A run of one capitalised word: what `_process_run` does, by the shortest way."""
    w0 = toks[run[0]].text
    if w0 in vocab.ZONES_AND_SCALES:
        return
    f0 = _plain_name_fold(doc, w0, toks[run[0]].is_word)
    if f0 is not None:
        # A word none of the checks below rejects by its letters: only its context
        # can still make it no name. `_add_span` would test what `_code_like` does.
        if _common_phrase(doc, toks, run[0], f0) or _code_like(doc, toks, run[0]):
            return
        _finish_span(doc, si, toks, run, w0, f0, initial, False, None)
        return
    f0 = fold(w0)
    if f0 in vocab.DETERMINERS or f0 in MONTHS or f0 in WEEKDAYS:
        return
    if _common_phrase(doc, toks, run[0], f0):
        return
    if initial and f0 in doc.common and not is_acronym(w0):
        return
    # What the general loop of `_lead_end` does with one word: an honorific alone or a
    # nationality adjective is no name; anything else is a span of its own.
    if roles.is_honorific(w0):
        return
    if f0 in doc.demonyms:
        place = doc.demonyms.get(f0)
        if place:
            doc.countries.append(place)
        return
    _add_span(doc, si, toks, run, initial, False)


def _lead_end(doc: Doc, toks: list[Token], words: list[int], initial: bool) -> tuple[int, bool]:
    """Where the name starts after what leads the run (honorifics, dates, determiners, a
    nationality, a title), and whether an honorific or a title there marks a person.
    A nationality found on the way is noted in `doc.countries`."""
    person_ev = False
    j = 0
    stripped_upto = 0
    while j < len(words):
        t = toks[words[j]]
        w = t.text
        f = fold(w)
        if w == ".":
            j += 1
            continue
        if roles.is_honorific(w):
            person_ev = True
            j += 1
            continue
        at_start = initial and j == stripped_upto
        if not is_acronym(w) and (
            f in MONTHS
            or f in WEEKDAYS
            or f in vocab.DETERMINERS
            or (at_start and f in doc.common and not place_starts(doc, toks, words, j, True))
        ):  # "New rules" loses its "New"; "New Zealand", "New York" keep theirs
            j += 1
            stripped_upto = j
            continue
        dem = demonym_len(doc, toks, words, j)
        if dem and j + dem < len(words) and place_starts(doc, toks, words, j):
            break  # "Saudi Arabia", "Democratic Republic of the Congo"
        if dem:
            rest = words[j + dem :]
            place = doc.demonyms.get(fold(" ".join(toks[k].text for k in words[j : j + dem])))
            if place:
                doc.countries.append(place)
            if not rest or not ends_in_org_word(doc, toks, rest):
                j += dem
                continue
            break
        k = role_prefix(doc, toks, words, j)
        if k > j:
            rest = words[k:]
            if any(fold(toks[m].text) in doc.suffixes for m in rest[-2:]):
                break  # "General Electric Co", "General Mills Inc.": a company named so
            if rest and toks[rest[0]].text.casefold() in {"of", "for"}:
                j = k + 1
                person_ev = False
                continue
            person_ev = True
            j = k
            continue
        break
    return j, person_ev


def _drop_end_title(doc: Doc, toks: list[Token], words: list[int]) -> bool:
    """Drop a title at the end ("Ryanair CEO") from `words`; False if nothing but a title
    is left ("the Prime Minister")."""
    while (
        len(words) > 1
        and fold(toks[words[0]].text) not in doc.given
        and roles.is_head(toks[words[-1]].text)
        and toks[words[-2]].text.casefold() not in {"of", "the", "for", "and", "&"}
        and fold(toks[words[-1]].text) not in doc.keywords
    ):
        words.pop()
        while len(words) > 1 and roles.is_role_word(toks[words[-1]].text):
            words.pop()
        if all(roles.is_role_word(toks[k].text) for k in words):
            return False  # "the Prime Minister": a title with no name
    return True


def _common_phrase(doc: Doc, toks: list[Token], k: int, f: str) -> bool:
    """A capitalised word in a common phrase, no name: "the fourth Test", "the first Black
    woman", "the January-March quarter"."""
    nxt = toks[k + 1].text if k + 1 < len(toks) else ""
    prev = toks[k - 1].text.casefold() if k > 0 else ""
    if "-" in f and all(p in MONTHS or p in WEEKDAYS for p in f.split("-")):
        return True
    if nxt == "by" and f.endswith("ing"):
        return True  # "Editing by", "Reporting by": a credit
    if prev in vocab.ORDINALS and (not nxt or not nxt[0].isupper()):
        return not is_acronym(toks[k].text)
    return f in vocab.RACE_WORDS and nxt.isalpha() and nxt.islower()


def _add_span(
    doc: Doc,
    si: int,
    toks: list[Token],
    words: list[int],
    initial: bool,
    person_ev: bool,
    role: str | None = None,
) -> None:
    while words and (toks[words[0]].text.casefold() in vocab.CONNECT or toks[words[0]].text == "."):
        words = words[1:]
    if not words:
        return
    text = doc.current_text[toks[words[0]].start : toks[words[-1]].end]
    if len(words) == 1:
        # One word: what its letters alone rule out is known from any earlier mention.
        bad = _SINGLE_BAD.get(text)
        if bad is None:
            bad = _single_bad(doc, text, toks[words[0]].is_word)
            if len(_SINGLE_BAD) > 100_000:
                _SINGLE_BAD.clear()
            _SINGLE_BAD[text] = bad
        if bad or _code_like(doc, toks, words[0]):
            return
        _finish_span(doc, si, toks, words, text, fold(text), initial, person_ev, role)
        return
    f = fold(text)
    if (f in doc.common and not is_acronym(text)) or f in NOT_NAMES_EXTRA:
        return
    if f in MONTHS or f in WEEKDAYS:
        return
    if f in doc.demonyms:
        return
    if (
        len(words) == 2
        and f.startswith("series ")
        and len(toks[words[1]].text) == 1
        and words[-1] + 1 < len(toks)
        and toks[words[-1] + 1].text.casefold() in vocab.FUNDING_NEXT
    ):
        return  # "a Series B round"
    if _hyphen_adjective(doc, toks, words[0]):
        words = words[1:]  # "sub-Saharan Africa" is Africa
        _add_span(doc, si, toks, words, False, person_ev)
        return
    if _split_place_prefix(doc, si, toks, words, initial, person_ev):
        return
    if len(words) > 2:
        flight = next(
            (
                k
                for k in range(1, len(words) - 1)
                if toks[words[k]].text.casefold() == "flight"
                and toks[words[k + 1]].text.isdigit()
            ),
            0,
        )
        if flight:
            _add_span(doc, si, toks, words[:flight], initial, False)
    if all(roles.is_role_word(toks[k].text) for k in words) and any(
        roles.is_head(toks[k].text) for k in words
    ):
        return
    _finish_span(doc, si, toks, words, text, f, initial, person_ev, role)


_SINGLE_BAD: dict[str, bool] = {}
"""Memo of `_single_bad` per word: the same for every document."""
_PLAIN_NAMES: dict[str, str | None] = {}


def _plain_name_fold(doc: Doc, word: str, is_word: bool) -> str | None:
    """The folded word if, standing alone, nothing in its letters rules it out as a name
    (no determiner, month, title, nationality, connector or other `_single_bad` word);
    None if something may. The same for every document, so memoised per word."""
    if word in _PLAIN_NAMES:
        return _PLAIN_NAMES[word]
    f = fold(word)
    bad = (
        f in vocab.DETERMINERS
        or f in MONTHS
        or f in WEEKDAYS
        or roles.is_honorific(word)
        or f in doc.demonyms
        or word.casefold() in vocab.CONNECT
        or _single_bad(doc, word, is_word)
    )
    out = None if bad else f
    if len(_PLAIN_NAMES) > 100_000:
        _PLAIN_NAMES.clear()
    _PLAIN_NAMES[word] = out
    return out


def _single_bad(doc: Doc, text: str, is_word: bool) -> bool:
    """Whether one word is no name whatever its context: a common word, a month, a
    nationality, a currency code, a title alone ("President"), no letters at all."""
    f = fold(text)
    return (
        (f in doc.common and not is_acronym(text))
        or f in NOT_NAMES_EXTRA
        or f in MONTHS
        or f in WEEKDAYS
        or f in doc.demonyms
        or f in ACRONYM_STOP
        or f in vocab.CURRENCY_TOKENS
        or (len(f) > 3 and f.endswith("s") and f[:-1] in doc.demonyms)
        or (not is_word and not any(c.isalpha() for c in text))
        or (roles.is_role_word(text) and roles.is_head(text))
        or (len(f) >= 4 and f in doc.common)  # "MORE", "THAN": a common word in capitals
        or _CONTRACTION.search(text) is not None  # "We’re", "They've"
        or _PARTY_STATE.match(text) is not None  # "D-Minn", "R-Texas": a member's party and state
    )


_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|m|t)$", re.I)
_PARTY_STATE = re.compile(r"^[DRI]-[A-Z][a-z]{1,5}\.?$")


def _finish_span(
    doc: Doc,
    si: int,
    toks: list[Token],
    words: list[int],
    text: str,
    f: str,
    initial: bool,
    person_ev: bool,
    role: str | None,
) -> None:
    single = len(words) == 1
    w0 = toks[words[0]].text
    if si in doc.titled and not _in_body(doc, f) and not is_known_place(lookup(text)):
        return  # a line in title case may still name places ("Why the Fires in Australia Are So Bad")
    if initial and single and not person_ev:
        known = (
            f in doc.mid_caps
            or is_known_place(lookup(text))
            or f in doc.name_ends
            or (is_acronym(w0) and len(w0) > 1)
            or DIGIT.search(text) is not None
            or (w0[0].islower())
            or any(c.isupper() for c in w0[1:])
            or doc.company_cued(f)
            or org_apposition(doc, toks, words[-1])
            or _speaks_first(doc, toks, words[-1], f)
        )
        if not known:
            return
    if doc.nouns_capitalised and not _named_beyond_capitals(doc, toks, words, text):
        given = next((i for i, k in enumerate(words[1:-1], 1) if _given(doc, toks[k].text)), 0)
        if given:  # "Laut Sprecherin Anna Kessler": the name starts at the given name
            _add_span(doc, si, toks, words[given:], False, person_ev, role)
        return
    m = Mention(si, toks[words[0]].start, toks[words[-1]].end, text, role=role)
    type_mention(doc, m, toks, words, person_ev)
    doc.mentions.append(m)
    if not single:  # "Harrow" after "Harrow Dynamics", "Kembleton" after "Oduya Kembleton"
        doc.name_ends.add(fold(w0))
        doc.name_ends.add(fold(toks[words[-1]].text))


def _speaks_first(doc: Doc, toks: list[Token], k: int, f: str) -> bool:
    """"Gazprom says ...", "Novatek reported ...": an unknown word opening a sentence (or
    a headline) with a verb of saying right after it is who speaks, a name. Not a plural
    or a word for people in general ("Analysts said", "Police said")."""
    nxt = toks[k + 1].text if k + 1 < len(toks) else ""
    if not nxt.islower() or nxt not in vocab.OPENER_SAID:
        return False
    word = toks[k].text
    return (
        not (f.endswith("s") and not f.endswith("ss"))
        and f not in vocab.COLLECTIVE_NOUNS
        and not word.endswith(("ly", "ing"))
        and word.isalpha()
        and word[1:].islower()
    )


def _named_beyond_capitals(doc: Doc, toks: list[Token], words: list[int], text: str) -> bool:
    """In a text that capitalises every noun: whether something besides capitals makes
    this a name (a known place, an acronym or camel case, a digit, a given name before a
    surname, a company's legal form)."""
    wtexts = [toks[k].text for k in words]
    if is_known_place(lookup(text)) or DIGIT.search(text) is not None:
        return True
    if any(is_acronym(w) or is_camel(w) for w in wtexts):
        return True
    return (len(wtexts) > 1 and _given(doc, wtexts[0])) or fold(wtexts[-1]) in doc.suffixes


def _given(doc: Doc, word: str) -> bool:
    f = fold(word)
    return f in doc.given or f in doc.world_given


def _code_like(doc: Doc, toks: list[Token], k: int) -> bool:
    """"RTS,S", "clade Ib", "phase III": codes and classes, not names."""
    text = doc.current_text
    t = toks[k]
    if t.end + 1 < len(text) and text[t.end] == "," and text[t.end + 1].isalnum():
        return True
    if t.start >= 2 and text[t.start - 1] == "," and text[t.start - 2].isalnum():
        return True
    return (
        k > 0
        and len(t.text) <= 4
        and toks[k - 1].text in vocab.CLASSIFIERS
        and not lookup(t.text)
    )


def _hyphen_adjective(doc: Doc, toks: list[Token], k: int) -> bool:
    if k == 0 or doc.current_text[toks[k].start - 1 : toks[k].start] != "-":
        return False
    prev, word = toks[k - 1], toks[k].text
    return (
        prev.end == toks[k].start - 1
        and prev.text.islower()
        and word.endswith(("an", "ian", "ese", "ic", "ish", "ist", "ern"))
    )


def _split_place_prefix(
    doc: Doc, si: int, toks: list[Token], words: list[int], initial: bool, person_ev: bool
) -> bool:
    """"UK RAF", "U.S. Air Force": a place glued to a name that also stands alone."""
    for size in (3, 2, 1):
        if size >= len(words):
            continue
        prefix = doc.current_text[toks[words[0]].start : toks[words[size - 1]].end]
        place = lookup(prefix)
        if place is None or (place.kind == "city" and place.population < BIG_CITY_POPULATION):
            continue
        rest = doc.current_text[toks[words[size]].start : toks[words[-1]].end]
        first, last = fold(toks[words[size]].text), fold(toks[words[-1]].text)
        given = (
            2 <= len(words) - size <= 3
            and (first in doc.given or first in doc.world_given)
            and last not in doc.keywords
            and last not in doc.suffixes
        )
        if given or _stands_alone(doc, rest):  # "for Ukraine Kurt Volker": a place, then a person
            _add_span(doc, si, toks, words[:size], initial, False)
            _add_span(doc, si, toks, words[size:], False, person_ev)
            return True
        return False
    return False


def _stands_alone(doc: Doc, name: str) -> bool:
    """Whether `name` occurs somewhere not glued to a capitalised word before it."""
    text = doc.full_text
    i = text.find(name)
    while i >= 0:
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        k = j
        while k >= 0 and (text[k].isalnum() or text[k] in ".'’-&"):
            k -= 1
        before = text[k + 1 : j + 1]
        if not before or not before[0].isupper() or fold(before) in doc.common:
            end = i + len(name)
            if end >= len(text) or not text[end].isalnum():
                return True
        i = text.find(name, i + 1)
    return False


def _in_body(doc: Doc, f: str) -> bool:
    return f in doc.mid_caps or all(part in doc.mid_caps for part in f.split())

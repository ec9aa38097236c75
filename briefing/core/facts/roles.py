"""Roles of people: the title before a name and the apposition after it.

"Russian President Vladimir Putin" gives "Russian President"; "İbrahim Kalın, a senior aide
to Turkish President Recep Tayyip Erdoğan," gives "senior aide to Turkish President Recep
Tayyip Erdoğan". Reads tokens only; never decides what is a name.
"""

from __future__ import annotations

from functools import lru_cache

from briefing.core.facts.lexicon import common_words, demonyms, fold, role_words, speech_verbs
from briefing.core.facts.tokens import Token

# Role heads that also name things ("leader" of a market, "producer" of cars): they make a
# role for someone already known to be a person, but are no evidence of a person on their own.
WEAK_HEADS = frozenset(
    "leader owner partner principal producer player head chair director author writer".split()
)
_HEAD_TAILS = frozenset({"general", "elect", "designate", "in-chief", "chief"})
_BRIDGE = frozenset({"of", "and", "&", "-", "[", "]", "'s", "’s"})
_APPOS_STOP = frozenset({",", ".", ";", ":", ")", "(", "—", "–", '"', "“", "”"})
_LEADING = frozenset({"the", "a", "an"})
_APPOS_SKIP = frozenset({"a", "an", "the", "formerly", "now", "currently", "also"})
"""Words an apposition may open with that are no part of the role; "former", "acting" and
"then" stay: "a former deputy prime minister" is no deputy prime minister."""
_POSSESSIVE = frozenset({"'s", "’s"})
_CLAUSE_MARKS = frozenset({",", ";", ":", "(", ")", "—", "–", '"', "“", "”"})
_LEADING_STOP = frozenset({"of", "for", "in", "at", "to", "from", "with", "on"})
_FINITE = frozenset("is are was were has have had will would can could did does do".split())
_RELATIVES = frozenset({"who", "whom", "whose", "which", "that", "where"})
_NOT_APPOSITION = frozenset(
    """with without while as after before because although though when where whereas despite
    including in on at for from to by and but or so if unless until since""".split()
)


@lru_cache(maxsize=50_000)
def is_head(word: str) -> bool:
    """A word naming a role on its own; "Director-General" and "vice-chair" count too."""
    w = word.casefold()
    heads = role_words().get("head", frozenset())
    if w in heads or (len(w) <= 4 and w + "." in heads):  # "Sen" of "Sen."
        return True
    if "-" in w:
        parts = w.split("-")
        return parts[-1] in heads or (parts[0] in heads and parts[-1] in _HEAD_TAILS)
    return False


@lru_cache(maxsize=50_000)
def is_role_word(word: str) -> bool:
    w = word.casefold()
    roles = role_words()
    if w in roles.get("head", frozenset()) or w in roles.get("modifier", frozenset()):
        return True
    return is_head(w)


@lru_cache(maxsize=50_000)
def is_honorific(word: str) -> bool:
    """"Dr", "Mr.", "Sen."; not "DR" in capitals, which is the DR of "DR Congo"."""
    if len(word) > 1 and word.isupper() and word.isalpha():
        return False
    return word.casefold() in role_words().get("honorific", frozenset())


def role_before(text: str, tokens: list[Token], first: int) -> str | None:
    """The title right before tokens[first] ("U.S. President", "Apple Computer CEO"); a rank
    after a longer title in commas gives way to it ("The Chief of Staff of the Army, General
    Mark Milley," -> "Chief of Staff of the Army")."""
    i = first - 1
    while i >= 0 and is_honorific(tokens[i].text.rstrip(".")):
        i -= 1
    while i >= 0 and tokens[i].text == ".":
        i -= 1
    if i >= 1 and tokens[i].text == "," and is_head(tokens[i - 1].text):
        i -= 1
    if i >= 0 and tokens[i].text == "]":
        i -= 1
    found = _title_ending_at(text, tokens, i)
    if first >= 1 and tokens[first - 1].text == ",":
        leading = _leading_apposition(text, tokens, first)
        if leading is not None and (found is None or found[0] in leading):
            return leading  # "The UN's acting envoy for Libya, Ann Lee," / "Russia's foreign minister, ..."
    if found is None:
        return None
    role, stop = found
    if (
        " " not in role
        and stop >= 1
        and tokens[stop].text == ","
        and _closes_apposition(tokens, first)
    ):
        longer = _title_ending_at(text, tokens, stop - 1)
        if longer is not None and " of " in longer[0]:
            return longer[0]
    return role


def _leading_apposition(text: str, tokens: list[Token], first: int) -> str | None:
    """A role written before a name and a comma: "Russia's foreign minister, Sergei Lavrov,",
    "The UN's acting envoy for Libya, Ann Lee,", "The former president of Peru, Alan Garcia,".
    The phrase runs back to the clause's start; it must hold a role word before any
    preposition, start with no verb, preposition or conjunction, and the name must close
    the apposition (a comma) or be followed by its verb."""
    comma = first - 1
    k = comma - 1
    while k >= 0 and comma - k <= 14 and tokens[k].text not in _CLAUSE_MARKS:
        k -= 1
    if k >= 0 and tokens[k].text not in _CLAUSE_MARKS:
        return None  # longer than an apposition
    words = tokens[k + 1 : comma]
    while words and words[0].text.casefold() in _LEADING:
        words = words[1:]
    if not words or not _name_closes(tokens, first):
        return None
    lead = words[0].text
    if lead.casefold() in _NOT_APPOSITION or (lead.islower() and lead.endswith(("ed", "ing"))):
        return None  # "After meeting the minister," / "Asked about the deal,"
    verbs = speech_verbs("quote")
    for w in words:
        lw = w.text.casefold()
        if lw in verbs or lw in _FINITE or (w.text.islower() and lw.endswith("ed") and not is_role_word(lw)):
            return None  # a clause, not a title: "Senators have dragged the inspector, ..."
    # Before the role word only modifiers ("Russia's", "acting", "UN", "long-serving"); after
    # it only more title words or a complement ("of the central bank", "for Libya").
    head_at = -1
    for n, w in enumerate(words[:8]):
        lw = w.text.casefold()
        if lw in _LEADING_STOP:
            break
        if is_head(w.text):
            head_at = n
        elif not (w.is_cap or w.text in _POSSESSIVE or is_role_word(lw) or "-" in w.text
                  or fold(w.text) in demonyms()):
            if head_at < 0:
                return None  # "show Nigerian actress,": a word of the clause before the title
            break
    if head_at < 0:
        return None
    rest = words[head_at + 1 :]
    if rest and rest[0].text.casefold() not in _LEADING_STOP and not all(
        w.is_cap or is_role_word(w.text) or w.text in _POSSESSIVE for w in rest
    ):
        return None  # "Imam Muslim dsb bikin kitab ...": no title
    return text[words[0].start : words[-1].end]


def _name_closes(tokens: list[Token], first: int) -> bool:
    """After the name: a comma closing the apposition, or a lower-case verb."""
    k = first
    while k < len(tokens) and (tokens[k].is_cap or tokens[k].text in {"-", "."}):
        k += 1
    if k >= len(tokens):
        return False
    nxt = tokens[k].text
    return nxt == "," or (nxt.islower() and nxt.isalpha() and nxt not in {"and", "or", "of", "in"})


def _acronym_before_nouns(tokens: list[Token], i: int) -> int:
    """Where a title starts when one or two lower-case nouns end at tokens[i] right after
    a body's acronym ("WHO emergencies chief", "UN refugee agency chief"); -1 if they do not."""
    common = common_words()
    verbs = speech_verbs("quote")
    k = i
    while k >= 0 and i - k < 2 and tokens[k].text.isalpha() and tokens[k].text.islower():
        if tokens[k].text in common or tokens[k].text in verbs:
            return -1
        k -= 1
    if k < 0 or k == i:
        return -1
    acronym = tokens[k].text.replace(".", "")
    return k if 2 <= len(acronym) <= 6 and acronym.isalpha() and acronym.isupper() else -1


def _function_word(word: str) -> bool:
    """A capitalised function word is no name: "Earlier Gazprom chief executive" starts at
    "Gazprom". Acronyms ("WHO", "US") and honorifics ("Mr Justice") are not function words."""
    return word[1:].islower() and word.casefold() in common_words() and not is_honorific(word.rstrip("."))


def _closes_apposition(tokens: list[Token], first: int) -> bool:
    k = first
    while k < len(tokens) and tokens[k].is_cap:
        k += 1
    return k < len(tokens) and tokens[k].text == ","


def _title_ending_at(text: str, tokens: list[Token], end: int) -> tuple[str, int] | None:
    """The title whose last token is tokens[end], and the index where the scan stopped."""
    i = end
    begin = -1
    steps = 0
    seen_head = False
    while i >= 0 and steps < 12:
        t = tokens[i].text
        lt = t.casefold()
        if is_role_word(t) or fold(t) in demonyms():
            begin = i
            seen_head = seen_head or is_head(t)
        elif lt in {"and", "&"} and seen_head:
            break  # "... Mike Pompeo and UN Secretary-General": another person's title
        elif lt == "the" and i >= 1 and tokens[i - 1].text.casefold() in {"of", "for"}:
            pass  # "Chief of Staff of the Army"
        elif tokens[i].is_cap or t in _BRIDGE:
            pass
        else:
            start = _acronym_before_nouns(tokens, i) if seen_head and begin == i + 1 else -1
            if start >= 0:  # "WHO emergencies chief", "UN refugee chief"
                begin, i = start, start - 1
            break
        i -= 1
        steps += 1
    if begin < 0 or end < begin:
        return None
    # The role starts at its first role/demonym word or the proper name glued before it.
    j = begin
    while j - 1 >= 0 and tokens[j - 1].is_cap and j - 1 > i and not _function_word(tokens[j - 1].text):
        j -= 1
    if j - 2 > i and tokens[j - 1].text in _POSSESSIVE and tokens[j - 2].is_cap:
        j -= 2  # "Russia's foreign minister": whose minister is part of the title
        while j - 1 > i and tokens[j - 1].is_cap and not _function_word(tokens[j - 1].text):
            j -= 1
    words = [tok for tok in tokens[j : end + 1] if tok.text not in "[]"]
    while words and (words[-1].text in _BRIDGE or words[-1].text.casefold() == "the"):
        words.pop()
    while words and (words[0].text in _BRIDGE or words[0].text.casefold() in _LEADING):
        words.pop(0)
    # "of" joins a title to what it is of ("Minister of Defence"); with no title before it,
    # as in "the government of President Bashar al-Assad", the title starts after it.
    of_at = next((k for k, w in enumerate(words) if w.text.casefold() == "of"), -1)
    if of_at > 0 and not any(is_head(w.text) for w in words[:of_at]):
        words = words[of_at + 1 :]
        while words and words[0].text.casefold() in _LEADING:
            words.pop(0)
    if not words or not any(is_head(w.text) for w in words):
        return None
    stop = words[-1].end
    heads = role_words().get("head", frozenset())
    if text[stop : stop + 1] == "." and words[-1].text.casefold() + "." in heads:
        stop += 1  # "Sen." keeps its dot
    return text[words[0].start : stop], i


def role_after(text: str, tokens: list[Token], last: int) -> tuple[str | None, bool]:
    """An apposition after tokens[last] naming a role: (role, strong evidence of a person)."""
    i = last + 1
    if i >= len(tokens) or tokens[i].text != ",":
        return None, False
    i += 1
    if i + 2 < len(tokens) and tokens[i].text.isdigit() and tokens[i + 1].text == ",":
        i += 2  # "John Smith, 54, a former banker,"
    while i < len(tokens) and tokens[i].text.casefold() in _APPOS_SKIP:
        i += 1
    begin = i
    then_the = (
        i + 1 < len(tokens)
        and tokens[i].text.casefold() == "then"
        and tokens[i + 1].text.casefold() in _LEADING
    )
    head_at = -1
    verbs = speech_verbs("quote")
    while i < len(tokens) and i - begin < 16:
        t = tokens[i].text
        if t in _APPOS_STOP or t.casefold() in verbs or (i > begin and t.casefold() in _RELATIVES):
            break  # "a student from Lanzhou University who posted ...": the role ends at "who"
        if head_at < 0 and i - begin < 5 and is_head(t):
            head_at = i
        i += 1
    if head_at < 0 or i <= begin:
        return None, False
    if tokens[begin].text.isdigit() or tokens[begin].text.casefold() in _NOT_APPOSITION:
        return None, False  # ", with captain X scoring": a clause, not what the name is
    role = text[tokens[begin].start : tokens[i - 1].end]
    if then_the and i - 1 > begin + 1:  # "then the speaker" -> "then speaker"
        role = "then " + text[tokens[begin + 2].start : tokens[i - 1].end]
    strong = tokens[head_at].text.casefold() not in WEAK_HEADS
    return role, strong


def age_after(tokens: list[Token], last: int) -> bool:
    """", 49," or ", aged 55," right after a name: a person."""
    i = last + 1
    if i + 1 < len(tokens) and tokens[i].text == ",":
        nxt = tokens[i + 1].text
        if nxt.casefold() == "aged" and i + 2 < len(tokens) and tokens[i + 2].text.isdigit():
            return True
        if nxt.isdigit() and len(nxt) <= 3 and i + 2 < len(tokens):
            return tokens[i + 2].text in {",", "."}
    return False

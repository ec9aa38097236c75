"""Property: sentences rebuilt from fragments of real news, with numbers in words and digits
mixed in, always give valid facts, and no extractor fails on them."""

from __future__ import annotations

import random
import re
from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core.facts import extract_facts
from tests.core.facts.corpus import in_words, real_texts, spell_numbers
from tests.core.facts.test_facts_corpus import KNOWN_FAILURES, check_facts

_CUT = re.compile(r"(?<=[,;:.!?”\"])\s+|\s+(?=(?:and|but|said|which|who|after|while|as)\s)")


@cache
def fragments() -> tuple[str, ...]:
    """Phrases of at most a dozen words cut from the real texts (every third one, so the pool
    stays a few thousand), plus each with its digits spelled out when it has any."""
    rng = random.Random(5)
    out: list[str] = []
    for i, (_, title, body) in enumerate(real_texts()):
        for j, piece in enumerate(_CUT.split(title + "\n\n" + body)):
            words = piece.split()
            if not words or (i + j) % 3:
                continue
            for k in range(0, len(words), 12):
                phrase = " ".join(words[k : k + 12])
                out.append(phrase)
                if re.search(r"\d", phrase):
                    out.append(spell_numbers(phrase, rng))
    return tuple(out) or ("The council met on Monday.", "It spent twelve million euros.")


_SEPARATORS = st.sampled_from(
    [" ", " ", ", ", ". ", "\n\n", " — ", ' "', '" ', " “", "” ", ": ", " (", ") ", "-", " to ", " and "]
)
_NUMBER = st.builds(
    lambda lead, n, scale, unit: f"{lead}{in_words(n)}{scale}{unit}",
    st.sampled_from(["", "", "nearly ", "a ", "between ", "half a ", "tens of ", "one and a half "]),
    st.integers(0, 999_999),
    st.sampled_from(["", "", " thousand", " million", " billion", "-", " and a half"]),
    st.sampled_from(
        [
            "",
            " percent",
            " per cent",
            " dollars",
            " euros",
            " people",
            " of voters",
            " percentage points",
            "%",
        ]
    ),
)
_PIECE = st.one_of(st.sampled_from(fragments()), _NUMBER)
_TEXT = st.lists(st.tuples(_PIECE, _SEPARATORS), max_size=24).map(lambda ps: "".join(a + b for a, b in ps))


@settings(max_examples=250, deadline=None)
@given(title=_TEXT, body=_TEXT, published=st.one_of(st.none(), st.dates()))
def test_recombined_real_fragments_give_valid_facts(title: str, body: str, published: date | None) -> None:
    facts = extract_facts(title, body, published)
    check_facts(facts, title, body)
    assert set(facts.failures) <= KNOWN_FAILURES, facts.failures

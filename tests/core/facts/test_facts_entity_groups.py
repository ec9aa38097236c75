"""The boundaries inside the entity package: the union-find of groups and the word lists.

`Groups` is what every merge pass relies on (a merged group's votes, mentions and type
live at its root); the word lists are read lazily from data/, so a section renamed in a
file would only fail when first used, which these tests make happen at once.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefing.core.facts import lexicon
from briefing.core.facts.entities import Mention, vocab
from briefing.core.facts.entities.groups import Groups
from briefing.core.facts.entities.merging import merge_first_word_acronyms, merge_name_prefixes


def _mention(text: str, start: int, **votes: float) -> Mention:
    return Mention(0, start, start + len(text), text, votes=dict(votes))


def _groups(*mentions: Mention) -> Groups:
    groups = Groups(list(mentions), frozenset({"ltd", "inc"}))
    groups.retype()
    return groups


def test_mentions_with_one_key_share_a_group_and_add_their_votes() -> None:
    a = _mention("Acme Ltd", 0, organization=1.0)
    b = _mention("Acme", 20, organization=2.0, person=0.5)
    groups = _groups(a, b)
    assert len(groups) == 1 and groups.of(a) == groups.of(b)
    assert groups.items[0].votes == {"organization": 3.0, "person": 0.5}
    assert groups.kinds == ["organization"]


def test_merge_moves_mentions_votes_and_type_to_the_root() -> None:
    long = _mention("Nora Vell", 0, person=2.0)
    short = _mention("Vell", 30, organization=1.0)
    other = _mention("Kestrel", 50, place=1.0)
    groups = _groups(long, short, other)
    gl, gs, go = groups.of(long), groups.of(short), groups.of(other)
    groups.merge(gs, gl)
    assert groups.root(gs) == gl and not groups.live(gs) and groups.live(gl)
    assert groups.items[gl].mentions == [long, short] and groups.items[gs].mentions == []
    assert groups.items[gl].votes == {"person": 2.0, "organization": 1.0}
    assert groups.kinds[gl] == "person"
    groups.merge(go, gs)  # into a merged group: lands on its root
    assert groups.root(go) == gl and groups.items[gl].mentions[-1] is other
    groups.merge(gs, go)  # already one tree: nothing moves
    assert len(groups.items[gl].mentions) == 3


def test_a_name_cut_short_joins_the_longer_organisation() -> None:
    full = _mention("China Eastern Airlines", 0, organization=3.0)
    cut = _mention("China Eastern", 40, organization=1.0)
    groups = _groups(full, cut)
    merge_name_prefixes(groups)
    assert groups.root(groups.of(cut)) == groups.of(full)


def test_every_word_list_is_found_in_data() -> None:
    names = [n for n in vocab.__annotations__ if n.isupper() and not n.startswith("_")]
    assert len(names) > 40
    for name in names:
        words = getattr(vocab, name)
        assert isinstance(words, frozenset) and words, name
    with pytest.raises(AttributeError):
        vocab.NO_SUCH_LIST  # noqa: B018


def test_speech_verb_views_are_subsets_of_one_list() -> None:
    quote = lexicon.speech_verbs("quote")
    assert {"said", "told", "according"} <= quote
    assert vocab.SAID <= quote and "according" not in vocab.SAID
    assert "denied" in vocab.OFFICE_SPEAKS and "denied" not in quote
    assert {"said", "announced"} <= vocab.COMPANY_NEXT and "shares" in vocab.COMPANY_NEXT
    with pytest.raises(ValueError):
        lexicon.speech_verbs("nonsense")


def test_importing_the_engine_reads_no_word_list() -> None:
    code = (
        "import briefing.core.facts; "
        "from briefing.core.facts import lexicon; "
        "from briefing.core.facts.entities import vocab; "
        "assert lexicon.word_lists.cache_info().currsize == 0; "
        "assert lexicon.speech_verbs.cache_info().currsize == 0; "
        "assert 'PARTICLES' not in vars(vocab)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_acronym_pass_skips_organisations_merged_away_before_it() -> None:
    # In all-capitals copy whole clauses become "organisations", and an earlier pass may
    # have merged one into another; the pass must not read the emptied group's mentions.
    full = _mention("Africa Centres for Disease Control", 0, organization=3.0)
    short = _mention("Africa CDC", 60, organization=1.0)
    emptied = _mention("Billion To", 90, organization=1.0)
    host = _mention("Billion Tender Offer", 120, organization=1.0)
    groups = _groups(full, short, emptied, host)
    groups.merge(groups.of(emptied), groups.of(host))
    orgs = [groups.of(m) for m in (emptied, short, full, host)]
    merge_first_word_acronyms(groups, orgs)
    assert groups.root(groups.of(short)) == groups.root(groups.of(full))


def test_a_surname_said_again_and_again_is_still_the_person() -> None:
    """Each plain mention of a lone surname gets half a vote for a company; seven of them
    must not outweigh the full name with a title, nor keep the surname apart from it."""
    from briefing.core.facts import extract_facts

    body = (
        "Governor Halima Oyelaran-Voss opened the new port on Tuesday.\n\n"
        + "\n\n".join(f"Oyelaran-Voss spoke about the port for the {n} time." for n in
                      ("first", "second", "third", "fourth", "fifth", "sixth", "seventh"))
    )
    facts = extract_facts("Port opens", body, None)
    people = [(e.name, e.type) for e in facts.entities if "Oyelaran" in e.name]
    assert people == [("Halima Oyelaran-Voss", "person")]

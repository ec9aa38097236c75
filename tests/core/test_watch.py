"""Watchlists: the filter language (precedence, quoting, fields, errors with columns), its
evaluation over a real store, watch.toml, new matches after a refresh, `list --watch`."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.core.errors import BriefingError, ConfigError
from briefing.core.models.article import Article
from briefing.core.models.facts import Entity, Facts
from briefing.core.store.store import Store
from briefing.core.watch import (
    And,
    Not,
    Or,
    Since,
    Source,
    Topic,
    WatchError,
    get_watch,
    load_watchlists,
    matching_ids,
    new_matches,
    parse,
    watch_file,
)

NOW = datetime(2020, 1, 20, 12, tzinfo=UTC)

# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("expr", "tree"), [
    ("S-400 OR F-35 AND Turkey", '("S-400" OR ("F-35" AND "Turkey"))'),
    ("(S-400 OR F-35) AND Turkey", '(("S-400" OR "F-35") AND "Turkey")'),
    ("NOT Syria AND Turkey", '(NOT "Syria" AND "Turkey")'),
    ("NOT Syria OR Turkey", '(NOT "Syria" OR "Turkey")'),
    ("NOT (Syria OR Turkey)", 'NOT ("Syria" OR "Turkey")'),
    ("NOT NOT Syria", 'NOT NOT "Syria"'),
    ("Turkey Libya OR Greece", '(("Turkey" AND "Libya") OR "Greece")'),
    ("a or b and not c", '("a" OR ("b" AND NOT "c"))'),
    ("a AnD b", '("a" AND "b")'),
    ("((a))", '"a"'),
])
def test_precedence_is_not_then_and_then_or(expr: str, tree: str) -> None:
    assert str(parse(expr)) == tree


def test_quoting_fields_and_bare_words() -> None:
    assert parse('"Recep Tayyip Erdoğan"') == Topic("Recep Tayyip Erdoğan")
    assert parse('"AND"') == Topic("AND"), "a quoted keyword is a topic"
    assert parse("S-400") == Topic("S-400")
    assert parse('source:"Sample Wire" source:Duvar') == And((Source("Sample Wire"), Source("Duvar")))
    assert parse("Turkey(Syria)") == And((Topic("Turkey"), Topic("Syria")))
    assert parse("since:24h") == Since("24h")
    assert parse("SINCE:7D") == Since("7d")
    assert parse("since:2w") == Since("2w")
    tree = parse("since:2019-11-01 NOT source:x OR y")
    assert isinstance(tree, Or) and isinstance(tree.terms[0], And)
    assert isinstance(tree.terms[0].terms[1], Not)


@pytest.mark.parametrize(("expr", "message", "column"), [
    ("Turkey AND (", "expected a topic", 13),
    ("", "expected a topic", 1),
    ("   ", "expected a topic", 4),
    ("S-400 OR", "expected a topic", 9),
    ("AND Turkey", "expected a topic", 1),
    ("Turkey NOT", "expected a topic", 11),
    ("(Turkey OR Syria", "expected ')'", 17),
    ("Turkey)", "this ')' closes nothing", 7),
    ("Turkey OR ()", "expected a topic", 12),
    ('Turkey "S-400', "this quote is never closed", 8),
    ('""', "empty quotes", 1),
    ("source:", "expected a source name after source:", 8),
    ("Turkey since:", "expected a time", 14),
    ("since:yesterday", "'yesterday' is not a time", 7),
    ("since:2019-13-01", "is not a time", 7),
])
def test_malformed_expressions_name_the_column(expr: str, message: str, column: int) -> None:
    with pytest.raises(WatchError) as caught:
        parse(expr)
    text = str(caught.value)
    assert text.startswith(f"watch '{expr}': ")
    assert message in text and f"at column {column}" in text, text
    assert isinstance(caught.value, BriefingError)


# -- evaluation over a real store ------------------------------------------------------------


def _article(slug: str, topics: tuple[str, ...], source: str, published: datetime | None,
             fetched: datetime = NOW - timedelta(days=30)) -> Article:
    facts = Facts(title=slug, topics=topics, entities=tuple(Entity(t, "place") for t in topics))
    return Article(id="", title=slug, text=f"About {slug}.", source=source, feed="wire",
                   link=f"https://example.test/{slug}", published=published, fetched=fetched, facts=facts)


ARTICLES = [
    _article("s400", ("Turkey", "S-400"), "Ankara Desk (sample)", NOW - timedelta(hours=2)),
    _article("f35-turkey", ("Turkey", "F-35"), "Sample Wire", NOW - timedelta(days=3)),
    _article("f35-us", ("F-35", "United States"), "Atlantic Notes", NOW - timedelta(days=10)),
    _article("erdogan", ("Recep Tayyip Erdoğan", "Syria", "Kıyıköy"), "Duvar English",
             datetime(2019, 11, 2, tzinfo=UTC)),
    _article("undated", ("Libya",), "Sample Wire", None),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "home") as opened:
        added = opened.add_articles(ARTICLES).added
        assert len(added) == len(ARTICLES)
        yield opened


def _titles(store: Store, expr: str) -> set[str]:
    ids = matching_ids(store, expr, now=NOW)
    return {m.title for m in store.articles() if m.id in ids}


@pytest.mark.parametrize(("expr", "titles"), [
    ("S-400 OR F-35 AND Turkey", {"s400", "f35-turkey"}),
    ("S-400 OR F-35", {"s400", "f35-turkey", "f35-us"}),
    ("(S-400 OR F-35) AND NOT Turkey", {"f35-us"}),
    ("F-35 NOT Turkey", {"f35-us"}),
    ("NOT Turkey", {"f35-us", "erdogan", "undated"}),
    ("NOT Turkey AND NOT F-35", {"erdogan", "undated"}),
    ('"United States" OR Libya', {"f35-us", "undated"}),
    ("turkey", {"s400", "f35-turkey"}),
    ("Nowhere", set()),
    ("Nowhere OR libya", {"undated"}),
])
def test_boolean_structure_over_topics(store: Store, expr: str, titles: set[str]) -> None:
    assert _titles(store, expr) == titles


@pytest.mark.parametrize("expr", ["Erdoğan", "erdogan", "ERDOGAN", '"Tayyip Erdogan"',
                                  '"recep tayyip erdoğan"', "kiyikoy", "KIYIKÖY"])
def test_topics_match_without_case_or_diacritics_by_whole_words(store: Store, expr: str) -> None:
    assert _titles(store, expr) == {"erdogan"}


def test_partial_words_do_not_match(store: Store) -> None:
    assert _titles(store, "Erdo") == set()
    assert _titles(store, "Turk") == set()


def test_source_matches_outlet_words(store: Store) -> None:
    assert _titles(store, 'source:"Sample Wire"') == {"f35-turkey", "undated"}
    assert _titles(store, "source:ankara") == {"s400"}
    assert _titles(store, "source:WIRE") == {"s400", "f35-turkey", "f35-us", "erdogan", "undated"}, (
        "the feed name counts too")
    assert _titles(store, "source:duvar Syria") == {"erdogan"}
    assert _titles(store, "source:nobody") == set()


def test_since_relative_and_absolute_leave_undated_out(store: Store) -> None:
    assert _titles(store, "since:24h") == {"s400"}
    assert _titles(store, "since:7d") == {"s400", "f35-turkey"}
    assert _titles(store, "since:2w") == {"s400", "f35-turkey", "f35-us"}
    assert _titles(store, "since:2019-11-01") == {"s400", "f35-turkey", "f35-us", "erdogan"}
    assert _titles(store, "since:2019-11-03") == {"s400", "f35-turkey", "f35-us"}
    assert _titles(store, "NOT since:7d") == {"f35-us", "erdogan", "undated"}


# -- watch.toml ------------------------------------------------------------------------------


def _write_watch(text: str) -> Path:
    path = watch_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_watch_file_lives_in_the_xdg_config_home() -> None:
    assert watch_file() == Path(os.environ["XDG_CONFIG_HOME"]) / "briefing" / "watch.toml"


def test_watchlists_load_in_order_and_missing_file_means_none() -> None:
    assert load_watchlists() == {}
    _write_watch('[watch]\n"Turkey defence" = "S-400 OR F-35 AND Turkey"\nLibya = "Libya since:7d"\n')
    watches = load_watchlists()
    assert list(watches) == ["Turkey defence", "Libya"]
    assert str(watches["Turkey defence"].tree) == '("S-400" OR ("F-35" AND "Turkey"))'
    assert get_watch("turkey DEFENCE").name == "Turkey defence"
    with pytest.raises(WatchError, match=r"no watchlist named 'Syria'.*'Turkey defence', 'Libya'"):
        get_watch("Syria")


@pytest.mark.parametrize(("text", "error", "message"), [
    ('[watches]\nx = "a"\n', ConfigError, "unknown key 'watches'"),
    ('[watch]\nx = 3\n', ConfigError, 'watch."x" must be a string'),
    ('watch = "a"\n', ConfigError, "'watch' must be a table"),
    ('[watch]\nx = "a\n', ConfigError, "not valid TOML"),
    ('[watch]\n"Bad one" = "Turkey AND ("\n', WatchError,
     "watchlist \"Bad one\": watch 'Turkey AND (': expected a topic at column 13"),
])
def test_watch_toml_is_strict(text: str, error: type[Exception], message: str) -> None:
    path = _write_watch(text)
    with pytest.raises(error) as caught:
        load_watchlists()
    assert str(caught.value).startswith(str(path)) and message in str(caught.value), str(caught.value)


# -- new matches and unread counts -----------------------------------------------------------


def test_new_matches_are_unread_arrivals_since_the_refresh(store: Store) -> None:
    _write_watch('[watch]\nturkey = "Turkey OR Libya OR Syria"\n')
    watch = get_watch("turkey")
    refresh = NOW - timedelta(minutes=5)
    assert new_matches(store, watch, refresh.timestamp(), now=NOW) == []
    store.add_articles([
        _article("fresh", ("Turkey",), "Sample Wire", NOW - timedelta(hours=1), fetched=NOW),
        _article("fresh-read", ("Turkey",), "Sample Wire", NOW - timedelta(hours=1), fetched=NOW),
        _article("fresh-off-watch", ("Peru",), "Sample Wire", NOW, fetched=NOW),
        _article("fresh-undated", ("Libya",), "Sample Wire", None, fetched=NOW),
        _article("fresh-but-stale", ("Syria",), "Sample Wire", NOW - timedelta(days=40), fetched=NOW),
    ])
    read = next(m.id for m in store.articles() if m.title == "fresh-read")
    store.set_read([read])
    found = [m.title for m in new_matches(store, watch, refresh.timestamp(), now=NOW)]
    assert found == ["fresh", "fresh-undated"]
    # unread matches: s400, f35-turkey, erdogan, undated, fresh, fresh-undated, fresh-but-stale
    assert watch.unread(store, now=NOW) == 7
    assert [m.title for m in watch.articles(store, now=NOW)][:2] == ["fresh", "fresh-read"]


# -- the CLI -------------------------------------------------------------------------------


def test_cli_list_watch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "cli-home"
    with Store.open(home) as opened:
        opened.set_info(samples_loaded=True)
        opened.add_articles(ARTICLES)
    _write_watch('[watch]\n"Turkey defence" = "S-400 OR F-35 AND Turkey"\n')
    assert main(["--home", str(home), "list", "--watch", "Turkey defence", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["title"] for a in listed] == ["s400", "f35-turkey"]
    assert main(["--home", str(home), "list", "--watch", "Turkey defence", "--unread", "--limit", "1"]) == 0
    assert "s400" in capsys.readouterr().out
    assert main(["--home", str(home), "list", "--watch", "Nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("briefing: no watchlist named 'Nope'") and err.count("\n") == 1
    _write_watch('[watch]\nbroken = "(Turkey"\n')
    assert main(["--home", str(home), "list", "--watch", "broken"]) == 1
    assert "expected ')' at column 8" in capsys.readouterr().err


def test_one_malformed_watchlist_leaves_the_others_working(tmp_path: Path) -> None:
    path = tmp_path / "watch.toml"
    path.write_text('[watch]\n"Good" = "Turkey"\n"Broken" = "Turkey AND ("\n"Also" = "Sochi"\n',
                    encoding="utf-8")
    problems: list[str] = []
    watches = load_watchlists(path, problems)
    assert list(watches) == ["Good", "Also"]
    assert len(problems) == 1 and '"Broken"' in problems[0] and "column" in problems[0]
    assert get_watch("Good", path).expression == "Turkey"
    with pytest.raises(WatchError, match="Broken"):
        get_watch("Broken", path)

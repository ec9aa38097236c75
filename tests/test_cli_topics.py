"""`briefing topics` and topic identity across the store, end to end through the CLI."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from briefing.cli import main
from briefing.core.library import Library

# One story, three ways: with its diacritics, without them, and with the city's old name.
STORY = """{title}

Harbour Ledger
2024-03-{day:02d}

{president} arrived in {city} on Tuesday for talks on grain shipments across the Black Sea.

{surname} told reporters in {city} that the corridor would stay open through the winter, and
that Ankara would send a second delegation next month.

Officials in {city} said the visit by {surname} was the first by a Turkish leader this year.
"""

LEADER = "Turkish President Recep Tayyip {surname}"
VERSIONS = [
    dict(title="Erdoğan visits Kyiv for grain talks", surname="Erdoğan", city="Kyiv", day=5),
    dict(title="Erdogan in Kyiv to discuss grain corridor", surname="Erdogan", city="Kyiv", day=6),
    dict(title="Erdogan holds grain talks in Kiev", surname="Erdogan", city="Kiev", day=7),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with Library.open(home) as library:
        library.store.set_info(samples_loaded=True)  # the three stories only
        files = []
        for i, version in enumerate(VERSIONS):
            path = tmp_path / f"story{i}.txt"
            president = LEADER.format(surname=version["surname"])
            path.write_text(STORY.format(president=president, **version), encoding="utf-8")
            files.append(path)
        report = library.import_paths(files)
        assert len(report.added.added) == 3
    return home


def test_one_topic_for_the_person_and_one_for_the_city_however_spelled(home: Path) -> None:
    with Library.open(home) as library:
        topics = library.topics()
        index = library.topic_index()
        people = [t for t in topics if "erdogan" in t.key]
        assert [(t.name, t.kind, t.count) for t in people] == [("Recep Tayyip Erdogan", "person", 3)]
        places = [t for t in topics if t.key in {"kyiv", "kiev"}]
        assert [(t.name, t.kind, t.count) for t in places] == [("Kyiv", "place", 3)]
        for name in ("Recep Tayyip Erdoğan", "recep tayyip erdogan", "Erdoğan", "Kiev", "KYIV"):
            topic = index.get(name)
            assert topic is not None and topic.count == 3, name
        assert "Recep Tayyip Erdoğan" in people[0].aliases


def test_list_by_topic_finds_all_three_and_agrees_with_topics(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--home", str(home), "topics", "--json")
    assert code == 0
    rows = orjson.loads(out)
    assert all(set(r) == {"key", "name", "kind", "count", "unread", "aliases"} for r in rows)
    counts = {r["name"]: r["count"] for r in rows}
    for name in ("Recep Tayyip Erdoğan", "Erdogan", "Kiev", "Kyiv"):
        code, out, err = run(capsys, "--home", str(home), "list", "--json", "--topic", name)
        assert code == 0, err
        assert len(orjson.loads(out)) == 3, name
    assert counts["Recep Tayyip Erdogan"] == 3 and counts["Kyiv"] == 3
    # Counts in `topics` are what `list --topic` lists, for every topic.
    for row in rows:
        code, out, _ = run(capsys, "--home", str(home), "list", "--json", "--topic", row["key"])
        assert len(orjson.loads(out)) == row["count"], row["name"]


def test_topics_text_limit_and_unread(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Library.open(home) as library:
        first = library.articles()[0]
        library.set_read([first.id])
    code, out, _ = run(capsys, "--home", str(home), "topics", "--limit", "2")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert "3" in lines[0] and "2 unread" in lines[0]
    code, out, _ = run(capsys, "--home", str(home), "topics", "--json", "--limit", "1")
    assert len(orjson.loads(out)) == 1


def test_topics_prints_names_as_text_not_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        library.store.set_info(samples_loaded=True)
        path = tmp_path / "markup.txt"
        body = "Officials from Norvasta Holdings said [red]Norvasta Holdings[/red] would sell grain."
        path.write_text(f"[bold]Grain[/bold] talks\n\nHarbour Ledger\n\n{body}\n", encoding="utf-8")
        library.import_paths([path])
    code, out, _ = run(capsys, "--home", str(home), "topics")
    assert code == 0
    assert "Norvasta Holdings" in out


def test_an_acronym_in_brackets_links_articles_that_write_only_the_acronym(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    first = ("Grid talks open\n\nHarbour Ledger\n2024-03-05\n\n"
             "The Baltic Energy Council (BEC) met in Riga on Tuesday to discuss winter supplies. "
             "The BEC said reserves were full.\n")
    second = ("Reserves full, says BEC\n\nHarbour Ledger\n2024-03-06\n\n"
              "The BEC told member states in Vilnius that gas storage stood at record levels.\n")
    with Library.open(home) as library:
        library.store.set_info(samples_loaded=True)
        paths = []
        for i, text in enumerate((first, second)):
            path = tmp_path / f"bec{i}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        library.import_paths(paths)
    code, out, _ = run(capsys, "--home", str(home), "topics", "--json")
    rows = {r["name"]: r for r in orjson.loads(out)}
    assert rows["Baltic Energy Council"]["count"] == 2, rows
    assert "BEC" in rows["Baltic Energy Council"]["aliases"]
    code, out, _ = run(capsys, "--home", str(home), "list", "--json", "--topic", "BEC")
    assert code == 0 and len(orjson.loads(out)) == 2

"""Retention with a fixed clock: what expires leaves, what the analyst marked stays, a
re-fetch does not bring back what left, and a kill during pruning loses nothing that stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.core.library import Library
from briefing.core.models.article import Article
from briefing.core.search.index import index_new_articles, search
from briefing.core.store.store import Store

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def article(n: int, days_old: float, feed: str = "Wire", title: str = "") -> Article:
    return Article(id="", title=title or f"Story {n} about harbour cranes", text=f"Body {n} of a report.",
                   source=feed, feed=feed, link=f"https://news.example/{feed}/{n}", guid=f"{feed}-{n}",
                   published=NOW - timedelta(days=days_old))


def library(tmp_path: Path, settings: str, feeds: str = "") -> Library:
    config = tmp_path / "feeds.toml"
    config.write_text(f"[settings]\nrefresh_minutes = 0\n{settings}\n{feeds}", encoding="utf-8")
    watch = tmp_path / "watch.toml"
    watch.write_text('[watch]\n"Cranes" = "kept-topic"\n', encoding="utf-8")
    return Library.open(tmp_path / "home", feeds=config, clock=lambda: NOW, watch_path=watch)


def test_old_articles_go_and_marked_ones_stay(tmp_path: Path) -> None:
    lib = library(tmp_path, "keep_days = 30",
                  '[[feeds]]\nname = "Slow"\nurl = "https://slow.example/rss"\nkeep_days = 400\n')
    store = lib.store
    store.set_info(samples_loaded=True)
    watched = replace(article(5, 90), title="Old watched story", tags=("kept-topic",))
    added = store.add_articles([article(1, 5), article(2, 45), article(3, 45), article(4, 200, "Slow"),
                                article(6, 500, "Slow"), watched]).added
    index_new_articles(store, added)
    fresh, old, starred, slow_kept, slow_old, watch_id = added
    store.set_starred([starred])
    dry = lib.prune(dry_run=True)
    assert (dry.articles, dry.dry_run) == (2, True) and dry.bytes > 0
    assert len(store.articles()) == 6  # a dry run removes nothing
    done = lib.prune()
    assert done.articles == 2 and done.bytes > 0
    left = {m.id for m in store.articles()}
    assert left == {fresh, starred, slow_kept, watch_id}
    assert old not in left and slow_old not in left
    assert [h.id for h in search(store, "cranes", limit=10)] and old not in {
        h.id for h in search(store, "cranes", limit=10)}
    # A feed that still lists a removed article does not bring it back.
    again = store.add_articles([article(2, 45), article(7, 1)])
    assert again.duplicates == 1 and len(again.added) == 1
    lib.close()
    with Store.open(tmp_path / "home") as reopened:  # nor after a restart
        assert reopened.is_known(article(2, 45)) and len(reopened.articles()) == 5


def test_keep_days_zero_keeps_everything(tmp_path: Path) -> None:
    lib = library(tmp_path, "keep_days = 0")
    lib.store.add_articles([article(1, 5000)])
    assert lib.prune().articles == 0 and len(lib.store.articles()) == 1
    lib.close()


def test_an_unreadable_watchlist_stops_pruning(tmp_path: Path) -> None:
    lib = library(tmp_path, "keep_days = 30")
    assert lib.watch_path is not None
    lib.watch_path.write_text('[watch]\n"Broken" = "kept AND ("\n', encoding="utf-8")
    lib.store.add_articles([article(1, 90)])
    assert lib.prune().articles == 0 and len(lib.store.articles()) == 1
    lib.close()


@pytest.mark.slow
def test_sigkill_during_pruning_never_loses_an_article_that_stays(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\nrefresh_minutes = 0\nkeep_days = 30\n", encoding="utf-8")
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        store.add_articles([article(n, 5 if n % 3 else 60) for n in range(1500)])
        cutoff = (NOW - timedelta(days=30)).timestamp()
        keep = {m.id for m in store.articles() if (m.ts or 0) > cutoff}
    code = textwrap.dedent(f"""
        from datetime import datetime, UTC
        from briefing.core.library import Library
        lib = Library.open({str(home)!r}, feeds={str(config)!r},
                           clock=lambda: datetime.fromisoformat({NOW.isoformat()!r}))
        print("start", flush=True)
        lib.prune()
        print("done", flush=True)
    """)
    import random

    rng = random.Random(7)
    killed = 0
    for r in range(8):
        with Store.open(home) as store:  # each round brings more to prune, and more that stays
            batch = [article(10_000 * (r + 1) + n, 5 if n % 3 else 60) for n in range(600)]
            added = store.add_articles(batch)
            keep |= {aid for aid in added.added if (m := store.meta(aid)) and (m.ts or 0) > cutoff}
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE,
                                start_new_session=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"start"
        try:
            proc.wait(timeout=rng.uniform(0.01, 0.5))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            killed += 1
        with Store.open(home) as store:
            ids = {m.id for m in store.articles()}
            assert keep <= ids, f"{len(keep - ids)} articles that stay were lost"
            for aid in list(keep)[:50]:
                got = store.get(aid)
                assert got is not None and got.text.startswith("Body")
    assert killed >= 3
    lib = Library.open(home, feeds=config, clock=lambda: NOW)
    lib.prune()
    assert {m.id for m in lib.store.articles()} == keep
    lib.close()

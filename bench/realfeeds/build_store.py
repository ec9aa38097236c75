"""Build a fresh briefing store from the captured real feeds and print its top topics.

Usage: python bench/realfeeds/build_store.py [--home DIR] [--top N] [--no-private]

Every feed file under bench/realfeeds/files (committed, permissive licences) and, when
present, under /work/realfeeds-private (not committed: unclear licences, see SOURCES.md)
becomes one `file:` feed of a generated feeds.toml; `briefing --home DIR --feeds TOML
fetch` imports them all into an empty store, exactly as the reader would. Then the
store's top topics by article count are printed, like a `briefing topics` listing: with
`briefing topics --json` when the CLI has it, else from the store's topic index
(`Store.topic_index().ranked(now)`). The point is to look at real feeds' topics for junk
(boilerplate phrases, podcast furniture, site names), not to score anything.
Last line: feeds=N articles=N topics=N.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from briefing.core.store.store import Store  # noqa: E402

FILES = HERE / "files"
PRIVATE = Path("/work/realfeeds-private")
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}


def feed_files(include_private: bool) -> list[Path]:
    folders = [FILES] + ([PRIVATE] if include_private and PRIVATE.is_dir() else [])
    found = (p for d in folders for p in d.rglob("*") if p.is_file())
    return sorted(p for p in found if p.suffix.lower() in FEED_SUFFIXES)


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def write_feeds_toml(files: list[Path], path: Path) -> None:
    lines = ["[settings]", "refresh_minutes = 0", "concurrency = 4", ""]
    for f in files:
        url = f.resolve().as_uri()
        lines += ["[[feeds]]", f"name = {_toml_string(f.stem)}", f"url = {_toml_string(url)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def briefing(home: Path, feeds: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "briefing", "--home", str(home), "--feeds", str(feeds), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)


def top_topics(home: Path, feeds: Path, top: int) -> list[tuple[int, str, str]]:
    """(article count, kind, name), best first."""
    help_text = briefing(home, feeds, "--help").stdout
    if " topics " in help_text:
        done = briefing(home, feeds, "topics", "--json")
        if done.returncode == 0:
            rows = json.loads(done.stdout)
            out = []
            for row in rows[:top]:
                count = row.get("count", row.get("articles", 0))
                count = len(count) if isinstance(count, list) else int(count)
                out.append((count, str(row.get("kind", "")), str(row.get("name", ""))))
            return out
    with Store.open(home, readonly=True) as store:
        ranked = store.topic_index().ranked(time.time())
    by_count = sorted(ranked, key=lambda t: (-t.count, t.name))
    return [(t.count, t.kind, t.name) for t in by_count[:top]]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="data directory to build (default: a new temporary one)")
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--no-private", action="store_true", help="only the committed files")
    args = ap.parse_args(argv)
    files = feed_files(not args.no_private)
    if not files:
        print("no feed files found")
        return 1
    home = args.home or Path(tempfile.mkdtemp(prefix="realfeeds-store-"))
    home.mkdir(parents=True, exist_ok=True)
    feeds_toml = home / "feeds.toml"
    write_feeds_toml(files, feeds_toml)
    with Store.open(home) as store:  # mark samples as loaded: the store holds the real feeds only
        if len(store) == 0:
            store.set_info(samples_loaded=True)
    done = briefing(home, feeds_toml, "fetch")
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        return done.returncode
    listed = briefing(home, feeds_toml, "feeds")
    print(listed.stdout.rstrip())
    with Store.open(home, readonly=True) as store:
        metas = store.articles()
        articles = sum(1 for m in metas if not m.sample)
        n_topics = len(store.topic_index().topics)
    print(f"\nstore: {home}")
    print(f"top {args.top} topics by article count:")
    for rank, (count, kind, name) in enumerate(top_topics(home, feeds_toml, args.top), 1):
        print(f"{rank:3d}. {count:4d}  {kind:<12} {name}")
    print(f"feeds={len(files)} articles={articles} topics={n_topics}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

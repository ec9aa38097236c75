"""Are the store's top topics clean, and do their articles speak of them? Real text only.

Usage: python bench/topics_quality.py [--home DIR] [--top N] [--sample N] [--articles DIR ...]
       [--feeds-dir DIR ...] [--no-shared] [--verbose]

Builds a fresh store the way the reader does (`briefing fetch` of `file:` feeds, `briefing
import` of article files) from real published text: the captured feeds of bench/realfeeds
(and /work/realfeeds-private when present), and, when ../shared is there, the 181 article
pages of the article-extraction benchmark and the meantime-dev texts; plus any --feeds-dir
(feed files) and --articles (article files) given. With --home DIR holding a store already,
that store is measured as it is.

Then it reads the top N topics of `briefing topics --json` and reports:

- junk: a topic no analyst would keep on screen, by rules of its own (not the engine's):
  fewer than two letters or digits, or none but digits; a lone letter opening or ending a
  name; a capitalised connector inside it ("Moon For The First Time") or a lower-case word
  no name holds ("Argentina an Argentine"); more than six words; three or more words in
  capitals; the name of an outlet the store's articles come from.
- precision: for each topic, up to --sample of its articles as `briefing list --topic KEY`
  lists them (evenly spread), and whether each mentions the topic's name or one of its
  aliases in its title or text (folded: case, accents, hyphens). The aliases are the
  topic's own (other spellings, short forms), the spellings the article's own facts give
  the entity ("U.S." for "United States"), and for a country its adjectives ("Turkish"),
  through which the engine names it. A feed tag counts as mentioned when the article
  carries the tag (it is the feed's own label, not a word of the text).

Last line: `junk_in_top50=N topic_precision=R` (with N the --top given).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.core.facts.lexicon import demonyms  # noqa: E402
from briefing.core.library import Library  # noqa: E402
from briefing.core.store.store import Store  # noqa: E402
from briefing.core.text.fold import fold_key  # noqa: E402

SHARED = ROOT.parent / "shared"
REALFEEDS = ROOT / "bench" / "realfeeds"
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
_CONNECTORS = {"a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to", "by", "from",
               "as", "is", "are", "was", "were", "be", "with"}
_NAME_LOWER = {"of", "for", "the", "and", "de", "du", "des", "da", "di", "do", "dos", "das", "del",
               "della", "van", "von", "der", "den", "ter", "al", "el", "bin", "ibn", "bint", "abu",
               "la", "le", "y", "e", "&", "upon", "on"}


def junk_reason(name: str, kind: str, outlets: set[str]) -> str | None:
    """Why a topic's name is junk, or None."""
    alnum = sum(c.isalnum() for c in name)
    letters = sum(c.isalpha() for c in name)
    if alnum < 2 or not letters:
        return "fewer than two letters"
    if kind == "tag":
        return None
    words = name.split()
    if len(words) == 1 and letters == 2 and not name.isupper():
        return "two letters"
    if len(words) > 6:
        return "more than six words"
    if len(words) >= 3 and name.isupper():
        return "three words in capitals"
    if len(words) > 1:
        for w in (words[0], words[-1]):
            if len(w) == 1 and w.isalpha():
                return "a lone letter at an end"
        for w in words[1:]:
            if w.casefold() in _CONNECTORS and w[:1].isupper():
                return "a capitalised connector inside"
            if w.isalpha() and w.islower() and w not in _NAME_LOWER and kind != "phrase":
                return "a lower-case word inside"
    key = fold_key(name).removeprefix("the ")
    if kind != "place" and key and (key in outlets or key.replace(" ", "") in outlets):
        return "an outlet's name"
    return None


def _outlets(home: Path) -> set[str]:
    with Store.open(home, readonly=True) as store:
        sources = {m.source for m in store.articles() if m.source}
    out: set[str] = set()
    for source in sources:
        key = fold_key(source).removeprefix("the ")
        out.add(key)
        out.add(key.replace(" ", ""))
    return out


def _country_words() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for adjective, place in demonyms().items():
        if place:
            out.setdefault(fold_key(place), []).append(adjective)
    return out


def _folded(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold_key(text))) + " "


def _mentions(text: str, names: list[str]) -> bool:
    for name in names:
        key = " ".join(re.findall(r"\w+", fold_key(name)))
        if key and f" {key} " in text:
            return True
    return False


def _briefing(home: Path, feeds: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "briefing", "--home", str(home)]
    if feeds is not None:
        cmd += ["--feeds", str(feeds)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=ROOT, check=False)


def build(home: Path, feed_dirs: list[Path], article_dirs: list[Path], shared: bool) -> None:
    files: list[Path] = []
    for d in [REALFEEDS / "files", Path("/work/realfeeds-private"), *feed_dirs]:
        found = (p for p in d.rglob("*") if p.is_file()) if d.is_dir() else iter(())
        files += sorted(p for p in found if p.suffix.lower() in FEED_SUFFIXES)
    feeds_toml = home / "feeds.toml"
    lines = ["[settings]", "refresh_minutes = 0", "concurrency = 4", ""]
    for f in files:  # one `file:` feed each, as bench/realfeeds/build_store.py writes them
        url = f.resolve().as_uri()
        lines += ["[[feeds]]", f"name = {json.dumps(f.stem)}", f"url = {json.dumps(url)}", ""]
    feeds_toml.write_text("\n".join(lines), encoding="utf-8")
    with Store.open(home) as store:  # the real text only: no bundled samples
        if len(store) == 0:
            store.set_info(samples_loaded=True)
    done = _briefing(home, feeds_toml, "fetch", "--quiet")
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-2000:])
    dirs = list(article_dirs)
    if shared and SHARED.is_dir():
        pages = SHARED / "eval" / "article-extraction" / "html"
        if pages.is_dir():
            unpacked = home / "pages"
            unpacked.mkdir(exist_ok=True)
            for page in sorted(pages.glob("*.html.gz")):
                (unpacked / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
            dirs.append(unpacked)
        meantime = SHARED / "eval" / "meantime-dev"
        if meantime.is_dir():
            texts = home / "meantime"
            texts.mkdir(exist_ok=True)
            for text in sorted(meantime.glob("*.txt")):
                shutil.copy(text, texts / text.name)
            dirs.append(texts)
    for d in dirs:
        done = _briefing(home, feeds_toml, "import", str(d))
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr[-2000:])


def measure(home: Path, top: int, sample: int, verbose: bool) -> tuple[int, float, list[str]]:
    done = _briefing(home, None, "topics", "--json", "--limit", str(top))
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    outlets = _outlets(home)
    countries = _country_words()
    junk = 0
    hits = total = 0
    lines: list[str] = []
    with Library.open(home, readonly=True) as library:
        index = library.topic_index()
        for rank, row in enumerate(rows, 1):
            reason = junk_reason(row["name"], row["kind"], outlets)
            junk += reason is not None
            listed = _briefing(home, None, "list", "--json", "--topic", row["key"])
            ids = [a["id"] for a in json.loads(listed.stdout)] if listed.returncode == 0 else []
            step = max(1, len(ids) // sample) if sample else 1
            chosen = ids[::step][:sample]
            found = 0
            missed: list[str] = []
            for aid in chosen:
                article = library.article(aid)
                names = [row["name"], *row["aliases"], *countries.get(row["key"], [])]
                if article.facts:
                    for e in article.facts.entities:
                        topic = index.get(e.name)
                        if topic is not None and topic.key == row["key"]:
                            names += [e.name, *e.aliases]
                if row["kind"] == "tag":
                    ok = any(fold_key(t) == row["key"] for t in article.tags) or _mentions(
                        _folded(article.title + "\n" + article.text), names)
                else:
                    ok = _mentions(_folded(article.title + "\n" + article.text), names)
                found += ok
                if not ok:
                    missed.append(article.title[:70])
            hits += found
            total += len(chosen)
            mark = f"JUNK ({reason})" if reason else ""
            lines.append(f"{rank:3d}. {row['count']:4d}  {row['kind']:<12} {row['name']}  "
                         f"{found}/{len(chosen)} mention it  {mark}")
            if verbose:
                lines += [f"        missed: {t}" for t in missed]
    return junk, (hits / total if total else 1.0), lines


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="store to measure (built there when empty)")
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--sample", type=int, default=20, help="articles checked per topic")
    ap.add_argument("--articles", type=Path, action="append", default=[], help="article files to import")
    ap.add_argument("--feeds-dir", type=Path, action="append", default=[], help="feed files to fetch")
    ap.add_argument("--no-shared", action="store_true", help="leave out ../shared's real texts")
    ap.add_argument("--verbose", action="store_true", help="list the articles not mentioning their topic")
    args = ap.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="topics-quality-"))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "store" / "store.json").exists():
        build(home, args.feeds_dir, args.articles, not args.no_shared)
    with Store.open(home, readonly=True) as store:
        articles = len(store)
    junk, precision, lines = measure(home, args.top, args.sample, args.verbose)
    print(f"store: {home} ({articles} articles)")
    print("\n".join(lines))
    print(f"junk_in_top{args.top}={junk} topic_precision={precision:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

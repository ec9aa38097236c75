"""The CLI's subcommands: each opens the store, calls core, prints.

Rich renders for people on a terminal; plain lines and JSON for scripts. Text from
feeds and files is printed as Rich `Text` (never markup) and was cleaned at ingest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Literal

import orjson

from briefing.core.errors import BriefingError
from briefing.core.paths import data_home
from briefing.core.store.store import ArticleMeta, Store


def _c(value: object) -> str:
    """Untrusted text (file names, feed names, server replies) made safe for a terminal line."""
    from briefing.core.text.clean import clean_line

    return clean_line(str(value), limit=1000)


def _home(args: argparse.Namespace) -> Path:
    return data_home(args.home)


def _notice(message: str) -> None:
    print(f"briefing: {_c(message)}", file=sys.stderr)


def _open(args: argparse.Namespace, *, readonly: bool = False) -> Store:
    from briefing.core.ingest.samples import ensure_samples

    home = _home(args)
    if readonly and not (home / "store" / "store.json").exists():
        readonly = False
    store = Store.open(home, readonly=readonly, notice=_notice)
    if not readonly:
        ensure_samples(store)
    return store


def _print_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def cmd_import(args: argparse.Namespace) -> int:
    from briefing.core.ingest.pipeline import import_paths

    with _open(args) as store:
        results, added = import_paths(store, args.paths)
    failed = 0
    for result in results:
        if result.error:
            failed += 1
            print(f"{_c(result.path)}: {_c(result.error)}", file=sys.stderr)
    print(f"imported {len(added.added)} new article(s), {added.duplicates} already stored, "
          f"{failed} file(s) refused")
    return 1 if failed else 0


def _filtered(store: Store, args: argparse.Namespace) -> list[ArticleMeta]:
    articles = store.articles()
    if args.topic:
        index = store.topic_index()
        keys = []
        for name in args.topic:
            topic = index.get(name)
            if topic is None:
                return []
            keys.append(topic.key)
        ids = index.matching(keys)
        articles = [a for a in articles if ids is None or a.id in ids]
    if getattr(args, "watch", None):
        from briefing.core.watch import watch_ids

        watched = watch_ids(store, args.watch)
        articles = [a for a in articles if a.id in watched]
    if args.unread:
        articles = [a for a in articles if not a.read]
    if args.limit and args.limit > 0:
        articles = articles[: args.limit]
    return articles


def _print_lines(articles: list[ArticleMeta], *, marks: bool) -> None:
    """One line per article for people: [unread/star marks] id, date, title — source."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for a in articles:
        line = Text()
        if marks:
            line.append(" " if a.read else "●", style="bold cyan")
            line.append("★ " if a.starred else "  ", style="yellow")
        line.append(a.id + "  ", style="dim")
        line.append((a.published.strftime("%Y-%m-%d") if a.published else " " * 10) + "  ", style="dim")
        line.append(a.title)  # a Text span: never parsed as markup
        if a.source:
            line.append(f"  — {a.source}", style="dim")
        console.print(line, soft_wrap=True)


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args, readonly=True) as store:
        articles = _filtered(store, args)
    if args.json:
        _print_json([a.to_dict() for a in articles])
        return 0
    _print_lines(articles, marks=True)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args, readonly=True) as store:
        article = store.get(args.id)
    if article is None:
        raise BriefingError(f"no article with id '{args.id}'; see `briefing list`")
    if args.json:
        data = {
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "feed": article.feed,
            "link": article.link,
            "author": article.author,
            "published": article.published.isoformat() if article.published else None,
            "topics": list(article.topics),
            "read": article.read,
            "starred": article.starred,
            "text": article.text,
            "facts": article.facts.to_dict() if article.facts else None,
        }
        _print_json(data)
        return 0
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(article.title, style="bold"))
    meta = " · ".join(x for x in (article.source, article.published and article.published.strftime(
        "%Y-%m-%d"), article.link) if x)
    console.print(Text(meta, style="dim"))
    console.print()
    console.print(Text(article.text))
    if article.facts:
        console.print()
        _render_facts(console, article.facts.to_dict())
    return 0


def _render_facts(console: Any, facts: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, kind in (("People", "person"), ("Organisations", "organization"), ("Places", "place"),
                        ("Other", "other")):
        items = [e for e in facts["entities"] if e["type"] == kind]
        if items:
            text = Text()
            for i, e in enumerate(items):
                if i:
                    text.append("; ")
                text.append(e["name"])
                if e.get("role"):
                    text.append(f" ({e['role']})", style="dim")
            table.add_row(label, text)
    if facts["dates"]:
        dates = dict.fromkeys(f"{d['text']} → {d['value']}" for d in facts["dates"])
        table.add_row("Dates", Text("; ".join(dates)))
    if facts["quantities"]:  # each mention is kept in the JSON; a reader needs each number once
        numbers = dict.fromkeys(q["text"] for q in facts["quantities"])
        table.add_row("Numbers", Text("; ".join(numbers)))
    for q in facts["quotes"]:
        table.add_row("Quote", Text(f"“{q['text']}” — {q['speaker'] or 'unattributed'}"))
    for s in facts["key_sentences"]:
        table.add_row("Key", Text(s))
    if facts["topics"]:
        table.add_row("Topics", Text(", ".join(facts["topics"])))
    console.print(table)


def cmd_facts(args: argparse.Namespace) -> int:
    from briefing.core.facts import extract_facts
    from briefing.core.text.clean import clean_text
    from briefing.core.text.textfile import parse_plain_article

    failed = 0
    console = None
    for path in args.files:
        try:
            raw = path.read_bytes()
            text = clean_text(raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            failed += 1
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            print(f"{_c(path)}: {_c(reason)}", file=sys.stderr)
            continue
        plain = parse_plain_article(text)
        facts = extract_facts(plain.title, plain.body, args.published or plain.published)
        data = facts.to_dict()
        if args.json:
            if len(args.files) > 1:
                data = {"path": str(path), **data}
                sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
            else:
                _print_json(data)
            continue
        from rich.console import Console
        from rich.text import Text

        console = console or Console(highlight=False)
        console.rule(Text(plain.title))
        _render_facts(console, data)
    sys.stdout.flush()
    return 1 if failed else 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from briefing.core.config import find_feeds_file, load_config
    from briefing.core.feeds.refresh import refresh_feeds

    settings, feeds = load_config(find_feeds_file(args.feeds))
    tty = sys.stderr.isatty() and not args.quiet
    with _open(args) as store:
        if tty:
            from rich.progress import Progress

            with Progress(transient=True) as progress:
                task = progress.add_task("Fetching feeds", total=len(feeds))
                outcomes = refresh_feeds(store, feeds, settings,
                                         on_outcome=lambda o: progress.advance(task))
        else:
            outcomes = refresh_feeds(store, feeds, settings)
    failed = 0
    for outcome in outcomes:
        if outcome.error:
            failed += 1
            print(f"{_c(outcome.feed.name)}: {_c(outcome.error)}", file=sys.stderr)
        elif not args.quiet:
            detail = {"not_modified": "not modified", "skipped": f"skipped ({outcome.detail})"}.get(
                outcome.status, f"{outcome.added} new")
            print(f"{_c(outcome.feed.name)}: {_c(detail)}")
    return 1 if failed else 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from briefing.core.config import find_feeds_file, load_config

    _, feeds = load_config(find_feeds_file(args.feeds))
    with _open(args, readonly=True) as store:
        states = store.feed_states()
        counts = store.count_by_feed()
    for feed in feeds:
        state = states.get(feed.url)
        last = state.last_fetch.strftime("%Y-%m-%d %H:%M") if state and state.last_fetch else "never"
        error = f"  error: {_c(state.last_error)}" if state and state.last_error else ""
        print(f"{_c(feed.name)}\t{counts.get(feed.name, 0)} articles\tlast fetch {last}{error}")
    return 0


# --- issue 6: full-text search, OPML, briefing export ------------------------------------


def _open_for_search(args: argparse.Namespace) -> Store:
    """Writable when we can (so a rebuilt index is kept); read-only beside a running reader."""
    from briefing.core.errors import StoreLockedError

    try:
        return _open(args)
    except StoreLockedError:
        return Store.open(_home(args), readonly=True, notice=_notice)


def cmd_search(args: argparse.Namespace) -> int:
    from briefing.core.search.index import search

    query = " ".join(args.query)
    with _open_for_search(args) as store:
        hits = search(store, query, limit=max(args.limit, 1))
        found = [(meta, hit.score) for hit in hits if (meta := store.meta(hit.id)) is not None]
    if args.json:
        _print_json([{**meta.to_dict(), "score": score} for meta, score in found])
        return 0
    if not found:
        print(f"no articles match {_c(repr(query))}", file=sys.stderr)
        return 1
    _print_lines([meta for meta, _ in found], marks=False)
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from briefing.core.ingest.pipeline import refresh_stale_facts

    with _open(args) as store:
        done = refresh_stale_facts(store)
    print(f"re-extracted facts for {done} article(s)")
    return 0


def cmd_opml(args: argparse.Namespace) -> int:
    from briefing.core.config import find_feeds_file, load_config
    from briefing.core.feeds import opml
    from briefing.core.paths import bundled_feeds_toml, config_home

    if args.opml_command == "export":
        _, feeds = load_config(find_feeds_file(args.feeds))
        data, skipped = opml.export_opml(feeds)
        for feed in skipped:
            print(f"{_c(feed.name)}: left out, OPML readers cannot fetch {_c(feed.url)}", file=sys.stderr)
        if args.output:
            from briefing.core.store.files import atomic_write

            atomic_write(args.output, data, keep_backup=False)
            print(f"wrote {len(feeds) - len(skipped)} feed(s) to {args.output}", file=sys.stderr)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise BriefingError(f"{args.file}: cannot read ({exc.strerror})") from None
    target = Path(args.feeds).expanduser() if args.feeds else config_home() / "feeds.toml"
    try:
        report = opml.import_opml(data, target, bundled=bundled_feeds_toml(), source=args.file.name)
    except opml.OpmlError as exc:
        raise BriefingError(f"{args.file}: {exc}") from None
    for note in report.notes:
        print(f"note: {_c(args.file.name)}: {_c(note)}", file=sys.stderr)
    for item, existing in report.duplicates:
        print(f"duplicate: {_c(item.name or item.url)} is already subscribed as '{_c(existing)}'",
              file=sys.stderr)
    for item, reason in report.refused:
        print(f"refused: {_c(item.name or item.url)} ({_c(reason)})", file=sys.stderr)
    for what, reason in report.skipped:
        print(f"skipped: {_c(what)} ({_c(reason)})", file=sys.stderr)
    for feed in report.added:
        tags = f" [{_c(', '.join(feed.tags))}]" if feed.tags else ""
        print(f"added: {_c(feed.name)} {_c(feed.url)}{tags}")
    print(f"{len(report.added)} feed(s) added to {target}, {len(report.duplicates)} duplicate(s), "
          f"{len(report.refused)} refused, {len(report.skipped)} outline(s) skipped")
    return 1 if report.refused else 0


def cmd_export(args: argparse.Namespace) -> int:
    from briefing.core.export import parse_since, write_briefing

    by_suffix = args.output is not None and args.output.suffix.lower() in (".html", ".htm")
    html = args.format == "html" or (not args.format and by_suffix)
    fmt: Literal["md", "html"] = "html" if html else "md"
    since = parse_since(args.since)
    with _open_for_search(args) as store:
        path, text = write_briefing(store, topics=args.topic, watch=args.watch, since=since, fmt=fmt,
                                    path=args.output)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        print(f"wrote {path}", file=sys.stderr)
    return 0

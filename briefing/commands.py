"""The CLI's subcommands: each parses its options, calls the Library, and prints.

Rich renders for people on a terminal; plain lines and JSON for scripts. Text from
feeds and files is printed as Rich `Text` (never markup) and was cleaned at ingest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson

from briefing.core.library import Library
from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter

if TYPE_CHECKING:
    from briefing.core.feeds.refresh import FeedOutcome, Progress
    from briefing.core.models.feeds import Feed


def _c(value: object) -> str:
    """Untrusted text (file names, feed names, server replies) made safe for a terminal line."""
    from briefing.core.text.clean import clean_line

    return clean_line(str(value), limit=1000)


def _notice(message: str) -> None:
    print(f"briefing: {_c(message)}", file=sys.stderr)


def _open(args: argparse.Namespace, *, readonly: bool = False) -> Library:
    library = Library.open(args.home, feeds=args.feeds, readonly=readonly, notice=_notice)
    if not library.readonly:
        library.ensure_samples()
    return library


def _open_for_reading(args: argparse.Namespace) -> Library:
    """Writable, so a search index caught up with the store is kept for the next query."""
    return _open(args)


def _print_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def _filter(library: Library, args: argparse.Namespace) -> ArticleFilter:
    return ArticleFilter(topics=library.topic_keys(getattr(args, "topic", ())),
                         unread_only=bool(getattr(args, "unread", False)),
                         watch=getattr(args, "watch", None) or None)


def cmd_import(args: argparse.Namespace) -> int:
    with _open(args) as library:
        report = library.import_paths(args.paths)
    for result in report.refused:
        print(f"{_c(result.path)}: {_c(result.error)}", file=sys.stderr)
    print(f"imported {len(report.added.added)} new article(s), {report.added.duplicates} already stored, "
          f"{len(report.refused)} file(s) refused")
    return 1 if report.refused else 0


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
    with _open(args, readonly=True) as library:
        articles = library.articles(_filter(library, args))
    if args.limit and args.limit > 0:
        articles = articles[: args.limit]
    if args.json:
        _print_json([a.to_dict() for a in articles])
        return 0
    _print_lines(articles, marks=True)
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    with _open(args, readonly=True) as library:
        topics = library.topics(args.limit if args.limit and args.limit > 0 else None)
    if args.json:
        _print_json([t.to_dict() for t in topics])
        return 0
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    width = max((len(str(t.count)) for t in topics), default=1)
    for t in topics:
        line = Text()
        line.append(f"{t.count:>{width}} ", style="bold")
        line.append(f"{t.unread:>{width}} unread  ", style="cyan" if t.unread else "dim")
        line.append(t.name)  # a Text span: never parsed as markup
        line.append(f"  {t.kind}", style="dim")
        if t.aliases:
            line.append("  also: " + ", ".join(t.aliases[:6]), style="dim")
        console.print(line, soft_wrap=True)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args, readonly=True) as library:
        article = library.article(args.id)
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
    from briefing.core.library import facts_of_files

    failed = 0
    console = None
    several = len(args.files) > 1
    for item in facts_of_files(args.files, published=args.published):
        if item.error or item.facts is None:
            failed += 1
            print(f"{_c(item.path)}: {_c(item.error)}", file=sys.stderr)
            continue
        data = item.facts.to_dict()
        if args.json:
            if several:
                sys.stdout.buffer.write(orjson.dumps({"path": str(item.path), **data}) + b"\n")
            else:
                _print_json(data)
            continue
        from rich.console import Console
        from rich.text import Text

        console = console or Console(highlight=False)
        console.rule(Text(item.title))
        _render_facts(console, data)
    sys.stdout.flush()
    return 1 if failed else 0


def cmd_fetch(args: argparse.Namespace) -> int:
    mode = "none" if args.quiet else args.progress
    if mode == "auto":
        mode = "bar" if sys.stderr.isatty() else "none"
    with _open(args) as library:
        _, feeds = library.config()
        if mode == "bar":
            outcomes = _fetch_with_bar(library, feeds)
        elif mode == "json":
            def event(step: Progress) -> None:
                sys.stdout.buffer.write(orjson.dumps(step.to_dict()) + b"\n")
                sys.stdout.flush()

            outcomes = library.refresh(feeds, on_progress=event)
        else:
            outcomes = library.refresh(feeds)
    failed = 0
    for outcome in outcomes:
        if outcome.error:
            failed += 1
            print(f"{_c(outcome.feed.name)}: {_c(outcome.error)}", file=sys.stderr)
        elif not args.quiet and mode != "json":
            detail = {"not_modified": "not modified", "skipped": f"skipped ({outcome.detail})"}.get(
                outcome.status, f"{outcome.added} new")
            print(f"{_c(outcome.feed.name)}: {_c(detail)}")
    return 1 if failed else 0


def _fetch_with_bar(library: Library, feeds: list[Feed]) -> list[FeedOutcome]:
    """Both phases on one line each: feeds stored, then facts made."""
    from rich.progress import Progress as Bar

    with Bar(transient=True) as bar:
        stored = bar.add_task("Stored 0 new", total=len(feeds))
        facts = bar.add_task("Facts", total=None, visible=False)

        def event(step: Progress) -> None:
            bar.update(stored, completed=step.feeds_done, description=f"Stored {step.stored:,} new")
            if step.event == "enriched":
                bar.update(facts, completed=step.enriched, total=step.pending or None, visible=True,
                           description=f"Facts {step.enriched:,}/{step.pending:,}")

        return library.refresh(feeds, on_progress=event)


def cmd_feeds(args: argparse.Namespace) -> int:
    with _open(args, readonly=True) as library:
        status = library.feed_status()
    for row in status:
        state = row.state
        last = state.last_fetch.strftime("%Y-%m-%d %H:%M") if state and state.last_fetch else "never"
        error = f"  error: {_c(state.last_error)}" if state and state.last_error else ""
        print(f"{_c(row.feed.name)}\t{row.articles} articles\tlast fetch {last}{error}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with _open_for_reading(args) as library:
        found = library.search(query, limit=max(args.limit, 1))
    if args.json:
        _print_json([{**meta.to_dict(), "score": score} for meta, score in found])
        return 0
    if not found:
        print(f"no articles match {_c(repr(query))}", file=sys.stderr)
        return 1
    _print_lines([meta for meta, _ in found], marks=False)
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    with _open(args) as library:
        done = library.reindex()
    print(f"re-extracted facts for {done} article(s)")
    return 0


def cmd_opml(args: argparse.Namespace) -> int:
    from briefing.core.errors import BriefingError
    from briefing.core.feeds import opml
    from briefing.core.paths import bundled_feeds_toml, config_home

    if args.opml_command == "export":
        from briefing.core.config import find_feeds_file, load_config

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
    from briefing.core.export import describe_scope
    from briefing.core.select import parse_since

    by_suffix = args.output is not None and args.output.suffix.lower() in (".html", ".htm")
    html = args.format == "html" or (not args.format and by_suffix)
    fmt: Literal["md", "html"] = "html" if html else "md"
    with _open_for_reading(args) as library:
        since = parse_since(args.since, library.now())
        chosen = ArticleFilter(topics=library.topic_keys(args.topic), watch=args.watch or None, since=since)
        scope = describe_scope(topics=args.topic, watch=args.watch, since=args.since)
        path, text, _ = library.export(chosen, fmt=fmt, path=args.output, scope=scope)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        print(f"wrote {path}", file=sys.stderr)
    return 0

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

from briefing.core.errors import UsageError
from briefing.core.library import Library
from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter

if TYPE_CHECKING:
    from collections.abc import Callable

    from briefing.core.feeds.refresh import FeedOutcome, Progress
    from briefing.core.models.article import PageState
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
        stored_meta = library.meta(article.id)
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
            "text_kind": article.text_kind,
            "lede": article.lede,
            "page": _page_json(article.page),
            "facts": article.facts.to_dict() if article.facts else None,
            "facts_pending": bool(stored_meta and stored_meta.pending),
        }
        _print_json(data)
        return 0
    from rich.console import Console
    from rich.text import Text

    from briefing.core.models.article import text_line

    console = Console(highlight=False)
    console.print(Text(article.title, style="bold"))
    meta_line = " · ".join(x for x in (article.source, article.published and article.published.strftime(
        "%Y-%m-%d"), article.link) if x)
    console.print(Text(meta_line, style="dim"))
    console.print(Text(text_line(article, "`briefing fetch --full-text` fetches the page") or "full text",
                       style="dim"))
    console.print()
    if article.lede and not article.text.startswith(article.lede.rstrip("…. ")):
        console.print(Text(article.lede, style="italic"))
        console.print()
    console.print(Text(article.text))
    if article.facts:
        console.print()
        _render_facts(console, article.facts.to_dict())
    return 0


def _page_json(page: PageState | None) -> dict[str, Any] | None:
    if page is None:
        return None
    return {"fetched": page.fetched.isoformat() if page.fetched else None, "host": page.host,
            "tried": page.tried.isoformat() if page.tried else None, "failures": page.failures,
            "given_up": page.given_up, "error": page.error}


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
        dates = dict.fromkeys(
            f"{d['text']} → {d['value']}" + (" (future)" if d.get("future") else "") for d in facts["dates"]
        )
        table.add_row("Dates", Text("; ".join(dates)))
    if facts["quantities"]:  # each mention is kept in the JSON; a reader needs each number once
        numbers = dict.fromkeys(q["text"] for q in facts["quantities"])
        table.add_row("Numbers", Text("; ".join(numbers)))
    from briefing.core.models.facts import quote_attribution

    for q in facts["quotes"]:
        who = quote_attribution(q.get("speaker"), q.get("speaker_description"))
        table.add_row("Quote", Text(f"“{q['text']}” — {who}"))
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


def _progress_mode(args: argparse.Namespace) -> str:
    mode = "none" if args.quiet else str(args.progress)
    if mode == "auto":
        mode = "bar" if sys.stderr.isatty() else "none"
    return mode


def _json_event(step: Progress) -> None:
    sys.stdout.buffer.write(orjson.dumps(step.to_dict()) + b"\n")
    sys.stdout.flush()


def cmd_fetch(args: argparse.Namespace) -> int:
    if args.full_text:
        return _fetch_full_text(args)
    if args.since is not None:
        raise UsageError("--since goes with --full-text (feeds are always fetched whole)")
    mode = _progress_mode(args)
    with _open(args) as library:
        _, feeds = library.config()
        for problem in library.config_problems:
            print(f"briefing: {_c(problem)}", file=sys.stderr)
        if mode == "bar":
            outcomes = _fetch_with_bar(library, feeds)
        elif mode == "json":
            outcomes = library.refresh(feeds, on_progress=_json_event)
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
    return 1 if failed or library.config_problems else 0


def _fetch_with_bar(library: Library, feeds: list[Feed]) -> list[FeedOutcome]:
    """Each phase on a line of its own: feeds stored, pages fetched, facts made."""
    from rich.progress import Progress as Bar

    with Bar(transient=True) as bar:
        stored = bar.add_task("Stored 0 new", total=len(feeds))
        return library.refresh(feeds, on_progress=_bar_events(bar, stored))


def _bar_events(bar: Any, stored: Any = None) -> Callable[[Progress], None]:
    """A progress handler drawing `Progress` events on a Rich progress display."""
    pages = bar.add_task("Pages", total=None, visible=False)
    facts = bar.add_task("Facts", total=None, visible=False)

    def event(step: Progress) -> None:
        if stored is not None:
            bar.update(stored, completed=step.feeds_done, description=f"Stored {step.stored:,} new")
        if step.event == "full_text":
            bar.update(pages, completed=step.pages, total=step.pages_total or None, visible=True,
                       description=f"Pages {step.pages:,}/{step.pages_total:,}")
        elif step.event == "enriched":
            bar.update(facts, completed=step.enriched, total=step.pending or None, visible=True,
                       description=f"Facts {step.enriched:,}/{step.pending:,}")

    return event


def _fetch_full_text(args: argparse.Namespace) -> int:
    """`fetch --full-text`: the pages of stored summary-only articles (see Library.fetch_full_texts)."""
    from briefing.core.select import parse_since

    mode = _progress_mode(args)
    with _open(args) as library:
        since = parse_since(args.since, library.now())
        if mode == "bar":
            from rich.progress import Progress as Bar

            with Bar(transient=True) as bar:
                report = library.fetch_full_texts(since=since, on_progress=_bar_events(bar))
        else:
            handler = _json_event if mode == "json" else None
            report = library.fetch_full_texts(since=since, on_progress=handler)
        for result in report.failed + report.deferred:
            meta = library.meta(result.article_id)
            title = meta.title if meta is not None else result.article_id
            print(f"{result.article_id}  {_c(title)[:80]}: {_c(result.reason or 'failed')}", file=sys.stderr)
    if not args.quiet and mode != "json":
        waiting = f", {len(report.deferred)} waiting for their host" if report.deferred else ""
        print(f"full text stored for {len(report.fetched)} of {len(report.results)} summary-only article(s), "
              f"{len(report.failed)} failed{waiting}")
    return 1 if report.failed or report.deferred else 0


def cmd_feeds(args: argparse.Namespace) -> int:
    if getattr(args, "feeds_command", None) == "import-newsboat":
        return _import_newsboat(args)
    with _open(args, readonly=True) as library:
        status = library.feed_status()
    for row in status:
        state = row.state
        ok = state.last_success.strftime("%Y-%m-%d %H:%M") if state and state.last_success else "never"
        line = (f"{_c(row.feed.name)}\t{row.unread}/{row.articles} unread\tfull text {row.full_text}/"
                f"{row.articles}\tlast success {ok}")
        if state and state.last_error:
            failed = state.last_fetch.strftime("%Y-%m-%d %H:%M") if state.last_fetch else "?"
            line += f"\tlast error {failed}: {_c(state.last_error)}"
        print(line)
    return 0


def _feeds_target(args: argparse.Namespace) -> Path:
    from briefing.core.paths import config_home

    return Path(args.feeds).expanduser() if args.feeds else config_home() / "feeds.toml"


def _print_import(report: Any, source: str, target: Path, skipped: str = "line(s)") -> int:
    """What an import of another reader's feeds added, and what it did not and why."""
    for note in report.notes:
        print(f"note: {_c(source)}: {_c(note)}", file=sys.stderr)
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
    print(f"{len(report.added)} feed(s) added to {_c(target)}, {len(report.duplicates)} duplicate(s), "
          f"{len(report.refused)} refused, {len(report.skipped)} {skipped} skipped")
    return 1 if report.refused else 0


def _import_newsboat(args: argparse.Namespace) -> int:
    from briefing.core.feeds.newsboat import default_urls_file, import_newsboat
    from briefing.core.paths import bundled_feeds_toml

    path = args.path.expanduser() if args.path else default_urls_file()
    target = _feeds_target(args)
    report = import_newsboat(path, target, bundled=bundled_feeds_toml())
    return _print_import(report, path.name, target)


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


def cmd_prune(args: argparse.Namespace) -> int:
    with _open(args) as library:
        pruned = library.prune(dry_run=args.dry_run)
    verb = "would remove" if pruned.dry_run else "removed"
    print(f"{verb} {pruned.articles} article(s), {pruned.mib:.1f} MiB")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    with _open(args) as library:
        done = library.reindex()
    print(f"re-extracted facts for {done} article(s)")
    return 0


def cmd_opml(args: argparse.Namespace) -> int:
    from briefing.core.errors import BriefingError
    from briefing.core.feeds import opml
    from briefing.core.paths import bundled_feeds_toml

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
    target = _feeds_target(args)
    try:
        report = opml.import_opml(data, target, bundled=bundled_feeds_toml(), source=args.file.name)
    except opml.OpmlError as exc:
        raise BriefingError(f"{args.file}: {exc}") from None
    return _print_import(report, args.file.name, target, "outline(s)")


def _export_window(library: Library, since: str | None) -> tuple[ArticleFilter, str]:
    """The time window of `briefing export`: published since `--since` (a duration or a
    date), else stored since the last whole-store export, else stored in the last 24 hours."""
    from datetime import timedelta

    from briefing.core.export import describe_scope
    from briefing.core.select import parse_since

    now = library.now()
    if since is not None:
        return ArticleFilter(since=parse_since(since, now)), f"published: {describe_scope(since=since)}"
    last = library.last_export()
    if last is not None:
        return (ArticleFilter(stored_since=last.timestamp()),
                f"new since the last export ({last:%Y-%m-%d %H:%M} UTC)")
    return (ArticleFilter(stored_since=(now - timedelta(hours=24)).timestamp()),
            "stored in the last 24 hours (no earlier export)")


def cmd_export(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from briefing.core.export import describe_scope

    by_suffix = args.output is not None and args.output.suffix.lower() in (".html", ".htm")
    html = args.format == "html" or (not args.format and by_suffix)
    fmt: Literal["md", "html"] = "html" if html else "md"
    whole_store = not args.topic and not args.watch
    with _open_for_reading(args) as library:
        now = library.now()
        window, words = _export_window(library, args.since)
        chosen = replace(window, topics=library.topic_keys(args.topic), watch=args.watch or None)
        scope = describe_scope(topics=args.topic, watch=args.watch)
        scope = words if scope == "all articles" else f"{scope}, {words}"
        path, text, stories = library.export(chosen, fmt=fmt, path=args.output, scope=scope)
        remembered = whole_store and not library.readonly
        if remembered:
            library.exported(now)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    print(f"briefing: {stories} stor{'y' if stories == 1 else 'ies'}, {_c(scope)}"
          + (f"; wrote {_c(path)}" if path is not None else ""), file=sys.stderr)
    if whole_store and not remembered:
        print("briefing: the store is open in the reader (read-only here): this export is not "
              "remembered as the last one", file=sys.stderr)
    return 0

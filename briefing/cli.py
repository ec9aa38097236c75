"""The `briefing` command: argument parsing, and each subcommand a few lines over core.

Errors print one line, never a traceback; exit codes follow `core.errors.exit_code`.
Rich is imported only by the subcommands that print with it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

from briefing import __version__
from briefing.core.errors import BriefingError


def _parser() -> argparse.ArgumentParser:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:  # one line, exit 2
            self.exit(2, f"briefing: {message}\n")

    # SUPPRESS: an option given before the subcommand must survive the subparser's defaults.
    common = _Parser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS,
                        help="data directory (default: XDG data dir, or $BRIEFING_HOME)")
    common.add_argument("--feeds", default=argparse.SUPPRESS,
                        help="feeds.toml to use (default: your config dir's, else bundled)")

    parser = _Parser(prog="briefing", description="A terminal briefing reader for analysts.",
                     parents=[common], epilog=_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("read", parents=[common], help="open the reader (the default)")
    p = sub.add_parser("fetch", parents=[common], help="fetch all feeds into the store",
                       description="Fetch every feed: new articles are stored and readable at once "
                                   "(phase 1), then their facts, stories and search terms are made "
                                   "(phase 2). A run stopped in phase 2 is finished by the next one.")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.add_argument("--progress", choices=("auto", "bar", "json", "none"), default="auto",
                   help="auto: a progress bar on a terminal; json: one event a line on stdout "
                        "(feed, stored, full_text, enriched, with a monotonic time and counts)")
    p.add_argument("--full-text", action="store_true",
                   help="instead of fetching feeds, fetch the pages of stored articles whose text is a "
                        "feed's summary (resumable; exit 1 if some pages failed or must wait)")
    p.add_argument("--since", metavar="WHEN",
                   help="with --full-text: only articles of this period, e.g. 7d, 24h, 2024-01-01 "
                        "(default: all)")

    p = sub.add_parser("import", parents=[common], help="import article files or directories")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    p = sub.add_parser("list", parents=[common], help="list stored articles")
    p.add_argument("--topic", action="append", default=[], help="only articles with this topic (repeatable)")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--watch", metavar="NAME", help="only articles of this saved watchlist (watch.toml)")
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.add_argument("--limit", type=int, default=0, help="at most N articles")

    p = sub.add_parser("topics", parents=[common], help="list the store's topics by article count",
                       description="The store's canonical topics (one per person, place, body or "
                                   "thing however it is spelled), most articles first: the topics "
                                   "of the reader's sidebar, with unread counts and other spellings.")
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.add_argument("--limit", type=int, default=0, help="at most N topics")

    p = sub.add_parser("show", parents=[common], help="show one article")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("facts", parents=[common], help="extract key facts from article files")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="JSON (JSON Lines for several files)")
    p.add_argument("--published", type=_iso_date, help="publication date YYYY-MM-DD")

    p = sub.add_parser("feeds", parents=[common], help="list configured feeds and their state")
    feeds = p.add_subparsers(dest="feeds_command", metavar="ACTION", parser_class=_Parser)
    q = feeds.add_parser("import-newsboat", parents=[common],
                         help="add a newsboat urls file's feeds to your feeds.toml")
    q.add_argument("path", nargs="?", type=Path, metavar="PATH",
                   help="newsboat's urls file (default: ~/.newsboat/urls)")
    p = sub.add_parser("prune", parents=[common], help="remove articles past keep_days (feeds.toml)",
                       description="Remove the articles older than keep_days ([settings] or per feed); "
                                   "starred ones, watchlist matches and the samples stay. A fetch "
                                   "does this too, after its new articles are enriched.")
    p.add_argument("--dry-run", action="store_true", help="only say how many and how much")
    sub.add_parser("reindex", parents=[common],
                   help="re-extract facts made by an older version of the engine")

    # --- issue 6: full-text search, OPML, briefing export (handlers in commands.py)
    p = sub.add_parser("search", parents=[common], help="full-text search over titles and bodies")
    p.add_argument("query", nargs="+", help='words (all must match), "a phrase", prefix*, -excluded')
    p.add_argument("--json", action="store_true", help="one JSON array, best first")
    p.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")

    p = sub.add_parser("opml", parents=[common], help="import or export feeds as OPML")
    opml = p.add_subparsers(dest="opml_command", metavar="ACTION", required=True, parser_class=_Parser)
    q = opml.add_parser("import", parents=[common], help="add an OPML file's feeds to your feeds.toml")
    q.add_argument("file", type=Path, metavar="FILE")
    q = opml.add_parser("export", parents=[common], help="write your feeds as OPML")
    q.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")

    p = sub.add_parser("export", parents=[common], help="write a briefing document (Markdown or HTML)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--watch", metavar="NAME", help="the articles of this watchlist")
    which.add_argument("--topic", action="append", default=[], help="articles with this topic (repeatable)")
    p.add_argument("--since", default=None,
                   help="published since: a duration (90m, 24h, 7d, 2w), a date (2019-11-16) or all; "
                        "default: what was stored since the last export of the whole store, else "
                        "in the last 24 hours")
    p.add_argument("--format", choices=("md", "html"), help="default: from -o's suffix, else md")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    # --- end issue 6
    return parser


def _epilog() -> str:
    """Where things live on this machine, the environment, and the exit codes."""
    from briefing.core.paths import config_home, data_home, log_dir

    config = config_home()
    return f"""\
files:
  feeds.toml   {config / 'feeds.toml'} (if missing, the bundled one; --feeds to choose)
  config.toml  {config / 'config.toml'}: [keys] remaps the reader's keys
  watch.toml   {config / 'watch.toml'}: saved watchlists
  the store    {data_home()} (--home to choose)
  crash logs   {log_dir()}

environment:
  BRIEFING_HOME         the data directory (like --home)
  BRIEFING_CONFIG_HOME  the directory of feeds.toml, config.toml and watch.toml
  BRIEFING_LOG_DIR      where crash logs go
  XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_STATE_HOME are followed; NO_COLOR turns colours off

exit codes:
  0 all done; 1 some feeds or files failed; 2 usage or configuration error (nothing done);
  3 the store is busy (another briefing kept writing past lock_wait) or unusable;
  130 interrupted (Ctrl-C); 143 terminated (SIGTERM): what was stored is kept
"""


def _iso_date(value: str) -> date:
    import argparse

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2019-11-16") from None


def _reader_options(argv: Sequence[str]) -> dict[str, str | None] | None:
    """`briefing [--home DIR] [--feeds PATH]`, the reader, without building the full parser.

    Opening the reader is the common case and its start-up is measured; the parser with
    every subcommand costs ~10 ms. Anything else goes to argparse.
    """
    options: dict[str, str | None] = {"home": None, "feeds": None}
    items = list(argv)
    while items:
        item = items.pop(0)
        name, eq, value = item.partition("=")
        if name not in ("--home", "--feeds"):
            return None
        if not eq:
            if not items or items[0].startswith("-"):
                return None
            value = items.pop(0)
        options[name[2:]] = value
    return options


def main(argv: Sequence[str] | None = None) -> int:
    fast = _reader_options(sys.argv[1:] if argv is None else argv)
    if fast is not None:
        return _guarded(lambda: _run_reader(fast["home"], fast["feeds"]))
    args = _parser().parse_args(argv)
    for option in ("home", "feeds"):
        if not hasattr(args, option):
            setattr(args, option, None)
    command = args.command or "read"
    if command == "read":
        return _guarded(lambda: _cmd_read(args))

    def run() -> int:
        from briefing import commands

        return int(getattr(commands, f"cmd_{command}")(args))

    return _guarded(run)


class _Terminated(BaseException):
    """SIGTERM, raised where the run is, like Ctrl-C's KeyboardInterrupt: a half-done store
    batch is dropped as after any failure, the worker processes are shut down, and what
    was printed is flushed. Killed by the signal's default action instead, a `briefing
    fetch` under cron or systemd lost its buffered output and left the resource tracker
    warning of leaked semaphores."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _guarded(run: Callable[[], int]) -> int:
    """One line for a user's error, never a traceback."""
    import signal

    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: the caller's own handling stands
        previous = None
    try:
        return _run_guarded(run)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run_guarded(run: Callable[[], int]) -> int:
    try:
        return run()
    except BriefingError as exc:
        from briefing.core.errors import exit_code
        from briefing.core.text.clean import clean_line

        print(f"briefing: {clean_line(str(exc), limit=2000)}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("briefing: terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug: logged in full, one line here
        from briefing.core.crash import crash_line, write_crash_log

        print(crash_line(exc, write_crash_log(exc)), file=sys.stderr)
        return 1


def _cmd_read(args: argparse.Namespace) -> int:
    return _run_reader(args.home, args.feeds)


def _run_reader(home: str | None, feeds: str | None) -> int:
    import gc

    # Start-up allocates tens of thousands of long-lived objects (classes, styles, the
    # first screen) and frees almost none, so the cyclic collector's passes over them are
    # pure cost: a quarter of the wait for the first frame. The reader turns it back on
    # once that frame is painted (BriefingApp._first_frame_painted).
    gc.disable()
    from briefing.tui.app import run_reader

    return run_reader(home=home, feeds=feeds)

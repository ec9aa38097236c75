"""Watchlists: named topic filters in a small language, saved in watch.toml.

    expr  := or
    or    := and ("OR" and)*
    and   := not (["AND"] not)*          adjacent terms are ANDed
    not   := "NOT" not | atom            so NOT binds tighter than AND, AND than OR
    atom  := "(" or ")" | "quoted topic" | source:NAME | since:90m|24h|7d|2w|2019-11-01 | word

Keywords are case-insensitive. A topic (bare word or quoted) matches an article carrying
a topic whose folded name equals it or contains it as whole words ("Erdogan" finds
"Recep Tayyip Erdoğan"); `source:` matches the outlet or feed name the same way. Errors
name the column. Evaluation is set operations over the store's TopicIndex, never a
parse of article bodies.

    | file                                   | read by                                 |
    |----------------------------------------|-----------------------------------------|
    | `$XDG_CONFIG_HOME/briefing/watch.toml` | `briefing list/export --watch`, the TUI |

    [watch]
    "Turkey defence" = "S-400 OR F-35 AND Turkey"
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing.core.errors import BriefingError, ConfigError
from briefing.core.models.meta import ArticleMeta
from briefing.core.select import SinceError, parse_since
from briefing.core.store.store import Store
from briefing.core.stories.topics import TopicIndex
from briefing.core.text.fold import fold_key

NEW_LOOKBACK = timedelta(days=7)
"""An item dated more than this before a refresh is not flagged as new, even if first seen then."""


class WatchError(BriefingError):
    """A watch expression that does not parse; the message gives the column."""


# -- the syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    name: str

    def __str__(self) -> str:
        return _quote(self.name)


@dataclass(frozen=True, slots=True)
class Source:
    name: str

    def __str__(self) -> str:
        return f"source:{_quote(self.name)}"


@dataclass(frozen=True, slots=True)
class Since:
    text: str
    """As written: "90m", "24h", "7d", "2w" or "2019-11-01" (see `select.parse_since`)."""

    def cutoff(self, now: datetime) -> float:
        return parse_since(self.text, now) or 0.0

    def __str__(self) -> str:
        return f"since:{self.text}"


@dataclass(frozen=True, slots=True)
class Not:
    term: Node

    def __str__(self) -> str:
        return f"NOT {self.term}"


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " AND ".join(map(str, self.terms)) + ")"


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " OR ".join(map(str, self.terms)) + ")"


Node = Topic | Source | Since | Not | And | Or


def _quote(text: str) -> str:
    return '"' + text + '"'


# -- tokens and parser -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    """"(", ")", "AND", "OR", "NOT", "word", "quoted", "source", "since" or "end"."""
    text: str
    column: int
    """1-based, for error messages."""


_KEYWORDS = {"and": "AND", "or": "OR", "not": "NOT"}
_FIELDS = ("source:", "since:")


def _tokens(expr: str) -> Iterator[_Token]:
    i, n = 0, len(expr)
    while i < n:
        ch = expr[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield _Token(ch, ch, i + 1)
            i += 1
        elif ch == '"':
            start = i
            text, i = _quoted(expr, i)
            yield _Token("quoted", text, start + 1)
        else:
            start = i
            while i < n and not expr[i].isspace() and expr[i] not in '()"':
                i += 1
            word = expr[start:i]
            lower = word.lower()
            field = next((f for f in _FIELDS if lower.startswith(f)), None)
            if field is not None:
                value = word[len(field):]
                if not value and i < n and expr[i] == '"':
                    value, i = _quoted(expr, i)
                if not value:
                    what = "a source name" if field == "source:" else "a time like 90m, 24h, 7d or 2019-11-01"
                    _fail(expr, f"expected {what} after {field}", i + 1)
                yield _Token(field[:-1], value, start + 1)
            elif lower in _KEYWORDS:
                yield _Token(_KEYWORDS[lower], word, start + 1)
            else:
                yield _Token("word", word, start + 1)
    yield _Token("end", "", n + 1)


def _quoted(expr: str, start: int) -> tuple[str, int]:
    """The text between the quote at `start` and the next one, and the index after it."""
    end = expr.find('"', start + 1)
    if end < 0:
        _fail(expr, "this quote is never closed", start + 1)
    text = expr[start + 1:end].strip()
    if not text:
        _fail(expr, "empty quotes; put a topic between them", start + 1)
    return text, end + 1


def _fail(expr: str, message: str, column: int, detail: str = "") -> None:
    raise WatchError(f"watch '{expr}': {message} at column {column}" + (f" ({detail})" if detail else ""))


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = list(_tokens(expr))
        self.pos = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.parse_or()
        if self.token.kind == ")":
            _fail(self.expr, "this ')' closes nothing", self.token.column)
        if self.token.kind != "end":  # pragma: no cover - every other token starts a term
            _fail(self.expr, f"unexpected '{self.token.text}'", self.token.column)
        return node

    def parse_or(self) -> Node:
        terms = [self.parse_and()]
        while self.token.kind == "OR":
            self.take()
            terms.append(self.parse_and())
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def parse_and(self) -> Node:
        terms = [self.parse_not()]
        while True:
            if self.token.kind == "AND":
                self.take()
            elif self.token.kind not in ("word", "quoted", "source", "since", "(", "NOT"):
                break
            terms.append(self.parse_not())
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def parse_not(self) -> Node:
        if self.token.kind == "NOT":
            self.take()
            return Not(self.parse_not())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        token = self.take()
        if token.kind == "(":
            node = self.parse_or()
            if self.token.kind != ")":
                opened = f"to close the '(' at column {token.column}"
                _fail(self.expr, "expected ')'", self.token.column, opened)
            self.take()
            return node
        if token.kind in ("word", "quoted"):
            return Topic(token.text)
        if token.kind == "source":
            return Source(token.text)
        if token.kind == "since":
            return _since(self.expr, token)
        found = "the expression ends" if token.kind == "end" else f"found '{token.text}'"
        _fail(self.expr, "expected a topic", token.column, found)
        raise AssertionError("unreachable")  # pragma: no cover


def _since(expr: str, token: _Token) -> Since:
    try:
        if parse_since(token.text, datetime.now(UTC)) is None:
            raise SinceError(token.text)
    except SinceError:
        _fail(expr, f"'{token.text}' is not a time like 90m, 24h, 7d, 2w or 2019-11-01", token.column + 6)
    return Since(token.text.lower())


def parse(expr: str) -> Node:
    """The syntax tree of a watch expression; WatchError (with the column) if it is malformed."""
    return _Parser(expr).parse()


# -- evaluation --------------------------------------------------------------------------------


def _has_words(haystack: str, needle: str) -> bool:
    return haystack == needle or f" {needle} " in f" {haystack} "


class _Context:
    """What one evaluation needs, computed once: the index, the articles, the clock."""

    def __init__(self, store: Store, now: datetime) -> None:
        self.metas = store.articles()
        self.index: TopicIndex = store.topic_index()
        self.now = now
        self.universe = {m.id for m in self.metas}

    def topic(self, name: str) -> set[str]:
        needle = fold_key(name)
        found: set[str] = set()
        for key, topic in self.index.topics.items():
            if needle in key and _has_words(key, needle):  # the substring test is the cheap filter
                found |= topic.articles
        return found

    def source(self, name: str) -> set[str]:
        needle = fold_key(name)
        return {m.id for m in self.metas
                if _has_words(fold_key(m.source or ""), needle) or _has_words(fold_key(m.feed or ""), needle)}

    def since(self, node: Since) -> set[str]:
        cutoff = node.cutoff(self.now)
        return {m.id for m in self.metas if m.ts is not None and m.ts >= cutoff}


def _evaluate(node: Node, ctx: _Context) -> set[str]:
    if isinstance(node, Topic):
        return ctx.topic(node.name)
    if isinstance(node, Source):
        return ctx.source(node.name)
    if isinstance(node, Since):
        return ctx.since(node)
    if isinstance(node, Not):
        return ctx.universe - _evaluate(node.term, ctx)
    if isinstance(node, And):
        result = _evaluate(node.terms[0], ctx)
        for term in node.terms[1:]:
            if not result:
                break
            result &= _evaluate(term, ctx)
        return result
    result = set()
    for term in node.terms:
        result |= _evaluate(term, ctx)
    return result


def matching_ids(store: Store, node: Node | str, *, now: datetime | None = None) -> set[str]:
    """Ids of the stored articles an expression (or its tree) matches."""
    tree = parse(node) if isinstance(node, str) else node
    return _evaluate(tree, _Context(store, now or datetime.now(UTC)))


# -- saved watchlists --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Watch:
    """One saved watchlist."""

    name: str
    expression: str
    tree: Node

    def ids(self, store: Store, *, now: datetime | None = None) -> set[str]:
        return matching_ids(store, self.tree, now=now)

    def articles(self, store: Store, *, now: datetime | None = None) -> list[ArticleMeta]:
        """Its articles, newest first (the store's order)."""
        ids = self.ids(store, now=now)
        return [m for m in store.articles() if m.id in ids]

    def unread(self, store: Store, *, now: datetime | None = None) -> int:
        """The sidebar's count."""
        ids = self.ids(store, now=now)
        return sum(1 for m in store.articles() if m.id in ids and not m.read)


def watch_file() -> Path:
    from briefing.core.paths import config_home

    return config_home() / "watch.toml"


def load_watchlists(path: Path | None = None, problems: list[str] | None = None) -> dict[str, Watch]:
    """The saved watchlists, in file order; none if the file does not exist.

    Strict like feeds.toml: anything but a `[watch]` table of name = "expression"
    strings is an error naming the file and key. With `problems`, a watchlist whose
    expression is wrong is described there and left out, so the others still work.
    """
    path = path or watch_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc}); check the file is UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"watch"})
    if unknown:
        raise ConfigError(f"{path}: unknown key '{unknown[0]}'; watchlists go in a [watch] table")
    table = data.get("watch", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'watch' must be a table: [watch] then name = \"expression\" lines")
    watches: dict[str, Watch] = {}
    for name, expression in table.items():
        try:
            if not isinstance(expression, str):
                raise ConfigError(f"{path}: watch.\"{name}\" must be a string expression, "
                                  f"e.g. \"S-400 OR F-35 AND Turkey\"")
            try:
                tree = parse(expression)
            except WatchError as exc:
                raise WatchError(f"{path}: watchlist \"{name}\": {exc}") from None
        except BriefingError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
            continue
        watches[name] = Watch(name, expression, tree)
    return watches


def get_watch(name: str, path: Path | None = None) -> Watch:
    """One saved watchlist by name (exact, else the only case-insensitive match); the
    others being wrong does not stop it."""
    problems: list[str] = []
    watches = load_watchlists(path, problems)
    for problem in problems:
        if f'"{name}"' in problem:
            raise WatchError(problem)
    if name in watches:
        return watches[name]
    folded = [w for key, w in watches.items() if fold_key(key) == fold_key(name)]
    if len(folded) == 1:
        return folded[0]
    known = ", ".join(f"'{n}'" for n in watches) or "none yet"
    raise WatchError(f"no watchlist named '{name}' in {path or watch_file()} (saved: {known})")


def watch_ids(store: Store, name: str, *, now: datetime | None = None) -> set[str]:
    """Ids matching a saved watchlist: `briefing list/export --watch NAME`."""
    return get_watch(name).ids(store, now=now)


def new_matches(
    store: Store, watch: Watch, since_ts: float, *, now: datetime | None = None
) -> list[ArticleMeta]:
    """Unread articles of a watchlist that arrived (were fetched or imported) at or after `since_ts`.

    The TUI calls this after a refresh with the refresh's start time to flag what is new.
    Only matches dated within NEW_LOOKBACK of `since_ts` (or undated) are checked, so the
    bodies read for their fetch time are few, whatever the store's size.
    """
    horizon = since_ts - NEW_LOOKBACK.total_seconds()
    found: list[ArticleMeta] = []
    for meta in watch.articles(store, now=now):
        if meta.read or (meta.ts is not None and meta.ts < horizon):
            continue
        article = store.get(meta.id)
        if article is not None and article.fetched is not None and article.fetched.timestamp() >= since_ts:
            found.append(meta)
    return found

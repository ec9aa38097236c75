"""Stored article files -> Articles: plain text, Markdown, HTML and JSON.

Files are untrusted: only regular files under a size cap are read, directories are
walked without following symlinks, and each bad file yields a one-line reason while
the rest of the batch goes on.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from briefing.core.models.article import Article
from briefing.core.text.clean import clean_line, clean_text, safe_link
from briefing.core.text.textfile import parse_date_line, parse_plain_article

MAX_FILE_BYTES = 8 * 1024 * 1024
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".json": "json"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True, slots=True)
class FileResult:
    """What came of one file: its articles, or the reason it was refused."""

    path: Path
    articles: tuple[Article, ...] = ()
    error: str | None = None


@dataclass(slots=True)
class _Walk:
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Yield (file, None) for files to read and (path, reason) for paths refused outright."""
    walk = _Walk()
    for path in paths:
        yield from _iter_path(path, walk, top=True)


def _iter_path(path: Path, walk: _Walk, *, top: bool) -> Iterator[tuple[Path, str | None]]:
    try:
        st = path.stat() if top else path.lstat()
    except OSError as exc:
        yield path, f"cannot read ({exc.strerror or exc})"
        return
    if stat.S_ISLNK(st.st_mode):
        yield path, "symbolic link inside a directory, not followed"
        return
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in walk.seen_dirs:
            yield path, "directory already visited (a loop), skipped"
            return
        walk.seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            yield path, f"cannot list directory ({exc.strerror or exc})"
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            yield from _iter_path(child, walk, top=False)
        return
    if not stat.S_ISREG(st.st_mode):
        yield path, "not a regular file (FIFO, socket or device), skipped"
        return
    yield path, None


def read_file(path: Path) -> FileResult:
    """Read one file into articles; never raises for bad content."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return FileResult(path, error=f"unknown file type '{path.suffix or 'none'}'; "
                          "use .txt, .md, .html or .json")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        return FileResult(path, error=f"cannot open ({exc.strerror or exc})")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return FileResult(path, error="not a regular file, skipped")
        if st.st_size > MAX_FILE_BYTES:
            return FileResult(path, error=f"too large ({st.st_size // (1024 * 1024)} MiB; "
                              f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MiB)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return FileResult(path, error=f"cannot read ({exc.strerror or exc})")
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        return FileResult(path, error="grew past the size limit while being read")
    text = _decode(raw)
    if text is None:
        return FileResult(path, error="binary or not UTF-8 text")
    if kind == "html":
        text = _decode_page(raw, text)
    try:
        articles = _PARSERS[kind](text, path)
    except ValueError as exc:
        return FileResult(path, error=str(exc))
    if not articles:
        return FileResult(path, error="no article found (empty title and text)")
    return FileResult(path, articles=tuple(articles))


def _decode(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw[:4096]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = raw[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.01:
        return None
    return raw.decode("cp1252", errors="replace")


def _decode_page(raw: bytes, text: str) -> str:
    """A saved page that is not UTF-8 in the encoding its <meta charset> names (a Russian
    page in windows-1251, a Japanese one in Shift_JIS), not as Windows-1252."""
    from briefing.core.text.html import meta_charset

    declared = meta_charset(raw)
    if declared is None or declared == "utf-8" or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return text
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(declared, errors="replace")
    return text  # valid UTF-8 whatever the page claims: the bytes win


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T12:00:00+00:00"  # a bare date: noon UTC shows the same day in most zones
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        day = parse_date_line(text)
        return datetime.combine(day, time(12, 0), tzinfo=UTC) if day else None
    if not 1970 <= parsed.year <= 2200:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _article(*, title: str, text: str, path: Path, source: Any = None, published: Any = None,
             url: Any = None, tags: Any = None, sample: bool = False, author: Any = None) -> Article | None:
    title = clean_line(title or "")
    body = clean_text(text or "")
    if not title and not body:
        return None
    if not title:
        title = clean_line(body.split("\n", 1)[0])[:120]
    tag_list = tags if isinstance(tags, list) else ([tags] if isinstance(tags, str) else [])
    clean_tags = tuple(dict.fromkeys(clean_line(str(t)) for t in tag_list if clean_line(str(t))))
    if "sample" in clean_tags:  # a marker, not a topic: it would top every topic list
        sample = True
        clean_tags = tuple(t for t in clean_tags if t != "sample")
    return Article(
        id="",
        title=title,
        text=body,
        source=clean_line(str(source)) if source else None,
        feed="import",
        link=safe_link(str(url)) if url else None,
        author=clean_line(str(author)) if author else None,
        published=_when(published),
        tags=clean_tags,
        sample=sample,
        extra={"path": clean_line(path.name)},  # file names are untrusted text too
    )


def _read_text(text: str, path: Path) -> list[Article]:
    plain = parse_plain_article(text)
    article = _article(title=plain.title, text=plain.body, path=path, source=plain.source,
                       published=plain.published)
    return [article] if article else []


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The small YAML subset we accept: `key: value` scalars and `[a, b]` flow lists."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, Any] = {}
    for line in match.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"front matter line '{line.strip()[:40]}' is not 'key: value'")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip().lower()] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
        else:
            meta[key.strip().lower()] = _unquote(value)
    return meta, text[match.end():]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _markdown_to_text(body: str) -> tuple[str | None, str]:
    """Markdown rendered by markdown-it-py (CommonMark, with tables) and read by our
    HTML-to-text, so emphasis, escapes, reference links, code fences and table pipes become
    what a reader sees. A level-1 heading that opens the text is its title."""
    from markdown_it import MarkdownIt

    from briefing.core.text.html import html_to_text

    markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    env: dict[str, object] = {}
    tokens = markdown.parse(body, env)
    title: str | None = None
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        title = clean_line(html_to_text(markdown.renderer.render(tokens[:3], markdown.options, env)))
        tokens = tokens[3:]
    return title or None, html_to_text(markdown.renderer.render(tokens, markdown.options, env))


def _read_markdown(text: str, path: Path) -> list[Article]:
    meta, body = parse_front_matter(text.replace("\r\n", "\n"))
    heading, clean_body = _markdown_to_text(body)
    title = meta.get("title") or heading
    if not title:
        plain = parse_plain_article(clean_body)
        title, clean_body = plain.title, plain.body
    article = _article(
        title=str(title), text=clean_body, path=path, source=meta.get("source"),
        published=meta.get("published") or meta.get("date"), url=meta.get("url") or meta.get("link"),
        tags=meta.get("tags"), sample=str(meta.get("sample", "")).lower() == "true",
        author=meta.get("author"),
    )
    return [article] if article else []


def _read_html(text: str, path: Path) -> list[Article]:
    """A saved web page, through the same extractor as full-text fetches, with the
    headline, date, outlet, author and address its metadata states."""
    from urllib.parse import urlsplit

    from briefing.core.text.extract import extract_article

    page = extract_article(text)
    source = page.source
    if not source and page.url:  # no outlet name stated: the host it was saved from says it
        host = urlsplit(page.url).hostname or ""
        source = host.removeprefix("www.") or None
    article = _article(title=page.title or "", text=page.text, path=path, source=source,
                       published=page.published, url=page.url, author=page.author)
    return [article] if article else []


def _read_json(text: str, path: Path) -> list[Article]:
    import orjson

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc})") from exc
    items = data if isinstance(data, list) else [data]
    articles = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"item {i} is not an object")
        text_value = item.get("text") or item.get("body") or item.get("content") or ""
        if not isinstance(text_value, str) or not isinstance(item.get("title", ""), str):
            raise ValueError(f"item {i}: 'title' and 'text' must be strings")
        article = _article(
            title=item.get("title", ""), text=text_value, path=path, source=item.get("source"),
            published=item.get("published") or item.get("date"), url=item.get("url") or item.get("link"),
            tags=item.get("tags"), sample=item.get("sample") is True, author=item.get("author"),
        )
        if article:
            articles.append(article)
    return articles


_PARSERS = {"text": _read_text, "markdown": _read_markdown, "html": _read_html, "json": _read_json}

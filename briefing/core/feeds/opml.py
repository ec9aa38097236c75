"""OPML in and out: other readers' subscription lists to feeds.toml, and back.

OPML files come from elsewhere and are untrusted XML: a document with a DOCTYPE or an
ENTITY declaration is refused before ElementTree sees it (no billion laughs, no XXE), and
only http(s) feeds are accepted. Import appends to the user's feeds.toml and never
rewrites what is already there.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.parsers import expat

from briefing.core.config import parse_config
from briefing.core.errors import BriefingError, ConfigError
from briefing.core.models.feeds import Feed
from briefing.core.store.files import atomic_write
from briefing.core.text.clean import clean_line

MAX_OPML_BYTES = 5 * 1024 * 1024
"""Subscription lists are small; anything larger is not one."""
MAX_DEPTH = 32

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class OpmlError(BriefingError):
    """The OPML file cannot be read or is refused; the message says why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription as the OPML file states it (not yet checked)."""

    name: str
    url: str
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class ImportReport:
    added: list[Feed] = field(default_factory=list)
    duplicates: list[tuple[OpmlFeed, str]] = field(default_factory=list)
    """Feeds already subscribed, with the name they have in feeds.toml."""
    refused: list[tuple[OpmlFeed, str]] = field(default_factory=list)
    """Feeds not imported, with the reason."""
    target: Path | None = None


# -- reading -------------------------------------------------------------------------------


def _refuse_declarations(data: bytes) -> None:
    """Reject DTDs before parsing: a byte scan for the common case, then expat itself.

    The expat pass sees the document in whatever encoding it declares (UTF-16, EBCDIC...),
    so a declaration hidden from the byte scan by an exotic encoding is still caught.
    """
    if _DECLARATION.search(data):
        raise OpmlError("the file declares a DOCTYPE or ENTITY; OPML needs neither, so it is refused")

    def refuse(*_: object) -> None:
        raise OpmlError("the file declares a DOCTYPE or ENTITY; OPML needs neither, so it is refused")

    scanner = expat.ParserCreate()
    scanner.StartDoctypeDeclHandler = refuse
    scanner.EntityDeclHandler = refuse
    scanner.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        scanner.Parse(data, True)
    except expat.ExpatError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an xmlUrl, tagged by its folders and its `category` attribute."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is larger than {MAX_OPML_BYTES // 2**20} MiB; not a subscription list")
    _refuse_declarations(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"the root element is <{clean_line(root.tag, limit=40)}>, not <opml>")
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise OpmlError("the file has no <body>; there are no subscriptions in it")
    feeds: list[OpmlFeed] = []
    _walk(body, (), feeds, 0)
    return feeds


def _label(outline: ET.Element) -> str:
    return clean_line(outline.get("title") or outline.get("text") or "", limit=200)


def _walk(parent: ET.Element, folders: tuple[str, ...], out: list[OpmlFeed], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise OpmlError(f"outlines nested deeper than {MAX_DEPTH} levels; not a subscription list")
    for outline in parent:
        if outline.tag.lower() != "outline":
            continue
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            tags = [*folders, *_categories(outline.get("category") or "")]
            out.append(OpmlFeed(_label(outline), url, tuple(dict.fromkeys(t for t in tags if t))))
            _walk(outline, folders, out, depth + 1)
        else:
            folder = _label(outline)
            _walk(outline, (*folders, folder) if folder else folders, out, depth + 1)


def _categories(value: str) -> list[str]:
    """`category="/world/europe,energy"`: comma-separated, each a slash path of tags."""
    tags: list[str] = []
    for item in value.split(","):
        tags.extend(clean_line(part, limit=100) for part in item.split("/") if part.strip())
    return tags


# -- writing -------------------------------------------------------------------------------


def export_opml(feeds: list[Feed], *, title: str = "briefing feeds") -> tuple[bytes, list[Feed]]:
    """OPML 2.0 of the http(s) feeds, in folders by first tag; returns it and the feeds left out.

    Every tag is also in `category`, so an import gives each feed back exactly its tags.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    skipped: list[Feed] = []
    for feed in feeds:
        if urlsplit(feed.url).scheme.lower() not in ("http", "https"):
            skipped.append(feed)
            continue
        parent = body
        if feed.tags:
            parent = folders.get(feed.tags[0]) or ET.SubElement(body, "outline", text=feed.tags[0])
            folders[feed.tags[0]] = parent
        attrs = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.tags:
            attrs["category"] = ",".join(feed.tags)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n", skipped


# -- importing into feeds.toml ---------------------------------------------------------------


def _url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path if parts.path not in ("", "/") else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{'?' + parts.query if parts.query else ''}"


def _refusal(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "the URL is malformed"
    if parts.scheme.lower() not in ("http", "https"):
        scheme = clean_line(parts.scheme, limit=20) or "no scheme"
        return f"only http(s) feeds are imported, this one is {scheme}:"
    if not parts.hostname:
        return "the URL has no host"
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        return "the URL contains spaces or control characters"
    return None


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = ['"']
    for ch in value:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _feed_block(feed: Feed) -> str:
    lines = ["[[feeds]]", f"name = {toml_string(feed.name)}", f"url = {toml_string(feed.url)}"]
    if feed.tags:
        lines.append(f"tags = [{', '.join(toml_string(t) for t in feed.tags)}]")
    return "\n".join(lines) + "\n"


def plan_import(opml_feeds: list[OpmlFeed], existing: list[Feed]) -> ImportReport:
    """Decide per OPML feed: added, duplicate (by URL) or refused (with the reason)."""
    report = ImportReport()
    by_url = {_url_key(f.url): f.name for f in existing}
    names = {f.name for f in existing}
    for item in opml_feeds:
        reason = _refusal(item.url)
        if reason:
            report.refused.append((item, reason))
            continue
        key = _url_key(item.url)
        if key in by_url:
            report.duplicates.append((item, by_url[key]))
            continue
        base = item.name or urlsplit(item.url).hostname or "feed"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        feed = Feed(name=name, url=item.url, tags=item.tags)
        report.added.append(feed)
        by_url[key] = name
        names.add(name)
    return report


def import_opml(data: bytes, target: Path, *, bundled: Path, source: str = "OPML",
                now: datetime | None = None) -> ImportReport:
    """Append the OPML's new feeds to `target` (created from `bundled` if absent).

    The file's existing text is kept byte for byte; the new blocks go at its end under a
    comment naming the source. The result is validated before it replaces the file.
    """
    feeds = parse_opml(data)
    original = target.read_text(encoding="utf-8") if target.is_file() else bundled.read_text(encoding="utf-8")
    try:
        _, existing = parse_config(tomllib.loads(original), target, original)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{target}: not valid TOML ({exc}); fix it before importing") from exc
    report = plan_import(feeds, existing)
    report.target = target
    if not report.added and target.is_file():
        return report
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d")
    comment = clean_line(source, limit=200).replace("\n", " ")
    text = original if original.endswith("\n") or not original else original + "\n"
    if report.added:
        text += f"\n# -- imported from {comment} on {stamp}\n"
        text += "\n".join(_feed_block(f) for f in report.added)
    parse_config(tomllib.loads(text), target, text)  # never write a file we could not read back
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text.encode("utf-8"))
    return report

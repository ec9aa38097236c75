"""OPML in and out: other readers' subscription lists to feeds.toml, and back.

OPML files come from elsewhere and are untrusted. Lists exported by real readers are often
not well-formed (bare `&` in URLs, HTML entities, `<` in attributes, a lying encoding
declaration): they are read leniently by `text.lenient_xml`, which says what it repaired,
while a document with a DOCTYPE or ENTITY declaration is refused before any parse (no
billion laughs, no XXE) and only http(s) feeds are accepted. Nothing an outline points to
is fetched or followed. Import appends to the user's feeds.toml and never rewrites what is
already there.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from briefing.core.config import parse_config
from briefing.core.errors import BriefingError, ConfigError
from briefing.core.models.feeds import Feed
from briefing.core.store.files import atomic_write
from briefing.core.text.clean import clean_line
from briefing.core.text.lenient_xml import XmlRefused, read_xml

MAX_OPML_BYTES = 5 * 1024 * 1024
"""Subscription lists are small; anything larger is not one."""
MAX_DEPTH = 32


class OpmlError(BriefingError):
    """The OPML file cannot be read or is refused; the message says why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription as the OPML file states it (not yet checked)."""

    name: str
    url: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OpmlList:
    """What an OPML file holds: its feeds, the outlines left out and how it was read."""

    feeds: list[OpmlFeed]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Outlines that are not imported as feeds (no feed address, an include, listed twice),
    each with the reason."""
    notes: list[str] = field(default_factory=list)
    """What the file got wrong and how it was read anyway (encoding, XML repairs)."""


@dataclass(slots=True)
class ImportReport:
    added: list[Feed] = field(default_factory=list)
    duplicates: list[tuple[OpmlFeed, str]] = field(default_factory=list)
    """Feeds already subscribed, with the name they have in feeds.toml."""
    refused: list[tuple[OpmlFeed, str]] = field(default_factory=list)
    """Feeds not imported, with the reason."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Outlines of the file that are no feed or repeat one, with the reason."""
    notes: list[str] = field(default_factory=list)
    """How a file that is not well-formed was read anyway."""
    target: Path | None = None


# -- reading -------------------------------------------------------------------------------


def read_opml(data: bytes) -> OpmlList:
    """Every outline with an xmlUrl, tagged by its folders and its `category` attribute.

    A URL listed more than once (a feed filed in two folders, as many readers export a feed
    with two tags) is one feed with the tags of every listing.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is larger than {MAX_OPML_BYTES // 2**20} MiB; not a subscription list")
    try:
        document = read_xml(data, max_depth=MAX_DEPTH + 3)
    except XmlRefused as exc:
        raise OpmlError(str(exc)) from None
    root = document.root
    if root.tag.lower() != "opml":
        raise OpmlError(f"the root element is <{clean_line(root.tag, limit=40)}>, not <opml>")
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise OpmlError("the file has no <body>; there are no subscriptions in it")
    walk = _Walk()
    walk.outlines(body, (), 0)
    if not walk.feeds and document.strict_error:
        raise OpmlError(f"not well-formed XML ({document.strict_error}), and no feed could be read from it")
    feeds = [OpmlFeed(f.name, f.url, tuple(dict.fromkeys(t for t in f.tags if t)))
             for f in walk.feeds.values()]
    return OpmlList(feeds, walk.skipped, list(document.notes))


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML file (see `read_opml` for what was left out and why)."""
    return read_opml(data).feeds


_FEED_SCHEME = re.compile(r"^(?:feed|itpc|pcast|podcast):(?://)?", re.IGNORECASE)
_ESCAPED_AGAIN = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


def _feed_scheme_to_http(url: str) -> str:
    """`feed://host/rss` and `feed:https://host/rss` (and the podcast apps' `itpc:`, `pcast:`)
    are how browsers and old readers wrote http(s) feed addresses."""
    match = _FEED_SCHEME.match(url)
    if match is None:
        return url
    rest = url[match.end():]
    return rest if re.match(r"https?://", rest, re.IGNORECASE) else f"http://{rest}"


def _label(attrs: dict[str, str]) -> str:
    """The outline's name; one escaped twice by its exporter ("News &amp;amp; Views") is
    unescaped once more (only the five XML entities and numeric references, so "AT&T" and
    "Q&A" are left alone)."""
    label = attrs.get("title") or attrs.get("text") or ""
    if "&" in label and _ESCAPED_AGAIN.search(label):
        import html

        label = _ESCAPED_AGAIN.sub(lambda m: html.unescape(m.group(0)), label)
    return clean_line(label, limit=200)


@dataclass(slots=True)
class _Walk:
    feeds: dict[str, OpmlFeed] = field(default_factory=dict)
    """By URL key, in file order."""
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def outlines(self, parent: ET.Element, folders: tuple[str, ...], depth: int) -> None:
        if depth > MAX_DEPTH:
            raise OpmlError(f"outlines nested deeper than {MAX_DEPTH} levels; not a subscription list")
        for outline in parent:
            if outline.tag.lower() != "outline":
                continue
            attrs = {k.lower(): v for k, v in outline.attrib.items()}  # xmlUrl, xmlurl, XMLURL...
            url = _feed_scheme_to_http((attrs.get("xmlurl") or "").strip())
            if url:
                self.feed(attrs, url, folders)
                self.outlines(outline, folders, depth + 1)
            elif len(outline):
                folder = _label(attrs)
                self.outlines(outline, (*folders, folder) if folder else folders, depth + 1)
            else:
                self.leaf(attrs)

    def feed(self, attrs: dict[str, str], url: str, folders: tuple[str, ...]) -> None:
        name = _label(attrs)
        tags = (*folders, *_categories(attrs.get("category") or ""))
        key = _url_key(url)
        first = self.feeds.get(key)
        if first is None:
            self.feeds[key] = OpmlFeed(name, url, tags)
            return
        self.feeds[key] = OpmlFeed(first.name, first.url, (*first.tags, *tags))
        where = f" in {'/'.join(folders)}" if folders else ""
        self.skipped.append((name or clean_line(url, limit=200),
                             f"listed again{where}; imported once, as '{first.name or first.url}', "
                             "with the tags of every listing"))

    def leaf(self, attrs: dict[str, str]) -> None:
        """An outline with no feed address and nothing inside: say why, if it looked like a feed."""
        kind = (attrs.get("type") or "").strip().lower()
        label = _label(attrs) or clean_line(attrs.get("url") or attrs.get("htmlurl") or "", limit=200)
        if kind == "include":
            self.skipped.append((label, "includes another OPML file by its address; not followed"))
        elif kind in ("rss", "atom", "feed") or "xmlurl" in attrs:
            self.skipped.append((label or "(unnamed)", "no feed address (xmlUrl is missing or empty)"))
        elif attrs.get("htmlurl") or attrs.get("url"):
            self.skipped.append((label, "a link to a web page, not a feed (no xmlUrl)"))


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
    """Append the OPML's new feeds to `target` (created from `bundled` if absent); see
    `append_feeds`."""
    listing = read_opml(data)
    report = append_feeds(listing.feeds, target, bundled=bundled, source=source, now=now)
    report.skipped, report.notes = listing.skipped, listing.notes
    return report


def append_feeds(feeds: list[OpmlFeed], target: Path, *, bundled: Path, source: str,
                 now: datetime | None = None) -> ImportReport:
    """Append the new ones of `feeds` (another reader's subscriptions) to `target`
    (created from `bundled` if absent).

    The file's existing text is kept byte for byte; the new blocks go at its end under a
    comment naming the source. The result is validated before it replaces the file.
    """
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

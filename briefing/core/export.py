"""Briefing documents: the selected stories with their key facts and sources, as Markdown or HTML.

One entry per story cluster (an article with no cluster is its own story). Every piece of
feed text is untrusted: HTML output escapes all of it, carries no script and no external
resource, and links only http(s) URLs; Markdown escapes what would change its structure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from briefing.core.models.article import Article
from briefing.core.models.facts import quote_attribution
from briefing.core.models.meta import ArticleMeta
from briefing.core.store.files import atomic_write
from briefing.core.store.store import Store
from briefing.core.text.clean import clean_line, safe_link

Format = Literal["md", "html"]

KEY_SENTENCES = 3
MAX_PEOPLE = 8
MAX_DATES = 6
MAX_NUMBERS = 6
MAX_QUOTES = 3


# -- the document model ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    outlet: str
    title: str
    link: str | None
    """Only http(s) links survive (`safe_link`); None otherwise."""
    published: datetime | None


@dataclass(slots=True)
class Story:
    headline: str
    outlets: list[str] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None
    key_sentences: list[str] = field(default_factory=list)
    people: list[tuple[str, str | None]] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)
    """(normalised value, text as written)."""
    numbers: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    """(quote, who says it as `quote_attribution` gives it)."""
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str
    generated: datetime
    scope: str
    """What was selected, in words ("topic Turkey, last 24 hours")."""
    stories: tuple[Story, ...]


def _line(text: str | None, limit: int = 400) -> str:
    return clean_line(text or "", limit=limit)


def build_briefing(
    store: Store, metas: Sequence[ArticleMeta], *, now: datetime, title: str = "Briefing", scope: str = ""
) -> Briefing:
    """Group the articles into stories and gather each story's facts (newest story first)."""
    groups: dict[str, list[ArticleMeta]] = {}
    for meta in metas:
        groups.setdefault(f"c:{meta.cluster}" if meta.cluster else f"a:{meta.id}", []).append(meta)
    ordered = sorted(groups.values(), key=lambda g: (-max(m.ts or 0.0 for m in g), g[0].id))
    stories = []
    for group in ordered:
        articles = [a for m in sorted(group, key=lambda m: (m.ts or 0.0, m.id)) if (a := store.get(m.id))]
        if articles:
            stories.append(_story(articles))
    return Briefing(_line(title, 200), now, _line(scope, 300), tuple(stories))


def _story(articles: list[Article]) -> Story:
    """`articles` oldest first; the newest article gives the headline and the key sentences."""
    lead = articles[-1]
    dated = [a.published for a in articles if a.published]
    story = Story(headline=_line(lead.title, 300) or "(untitled)",
                  first=min(dated) if dated else None, last=max(dated) if dated else None)
    for article in articles:
        outlet = _line(article.source or article.feed or "unknown outlet", 120)
        if outlet not in story.outlets:
            story.outlets.append(outlet)
        source = Source(outlet, _line(article.title, 300), safe_link(article.link), article.published)
        story.sources.append(source)
    seen_sentences: set[str] = set()
    for article in [lead, *reversed(articles[:-1])]:
        sentences = article.facts.key_sentence_texts() if article.facts else _first_sentences(article.text)
        for sentence in sentences:
            text = _line(sentence, 600)
            if text and text not in seen_sentences and len(story.key_sentences) < KEY_SENTENCES:
                seen_sentences.add(text)
                story.key_sentences.append(text)
    people: dict[str, str | None] = {}
    dates: dict[str, str] = {}
    numbers: dict[str, None] = {}
    quotes: dict[str, str] = {}
    for article in [lead, *reversed(articles[:-1])]:
        facts = article.facts
        if facts is None:
            continue
        for entity in facts.entities:
            if entity.type == "person":
                name = _line(entity.name, 120)
                if name not in people or (people[name] is None and entity.role):
                    people[name] = _line(entity.role, 200) if entity.role else None
        for date in facts.dates:
            dates.setdefault(_line(date.value, 20), _line(date.text, 80))
        for quantity in facts.quantities:
            numbers.setdefault(_line(quantity.text, 120), None)
        for quote in facts.quotes:
            who = quote_attribution(_line(quote.speaker, 120), _line(quote.speaker_description, 200))
            quotes.setdefault(_line(quote.text, 600), who)
    story.people = list(people.items())[:MAX_PEOPLE]
    story.dates = sorted(dates.items())[:MAX_DATES]
    story.numbers = list(numbers)[:MAX_NUMBERS]
    story.quotes = list(quotes.items())[:MAX_QUOTES]
    return story


def _first_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=KEY_SENTENCES)
    return [p for p in parts[:KEY_SENTENCES] if p]


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "undated"


def _span(story: Story) -> str:
    first, last = _day(story.first), _day(story.last)
    return first if first == last else f"{first} – {last}"


# -- Markdown ------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~!&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_escape(text: str) -> str:
    """Untrusted text as literal Markdown: emphasis, links, HTML, entities (`&amp;`), headings and
    list starts escaped."""
    text = _MD_INLINE.sub(r"\\\1", text.replace("\n", " "))
    return _MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1]


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def render_markdown(briefing: Briefing) -> str:
    out = [f"# {md_escape(briefing.title)}", ""]
    meta = f"Generated {briefing.generated.strftime('%Y-%m-%d %H:%M %Z').strip()}"
    if briefing.scope:
        meta += f" · {md_escape(briefing.scope)}"
    out += [f"*{meta} · {len(briefing.stories)} stor{'y' if len(briefing.stories) == 1 else 'ies'}*", ""]
    if not briefing.stories:
        out += ["No articles match this selection.", ""]
    for number, story in enumerate(briefing.stories, start=1):
        out += [f"## {number}. {md_escape(story.headline)}", ""]
        out += [f"**{md_escape(', '.join(story.outlets))}** · {_span(story)}", ""]
        out += [f"- {md_escape(s)}" for s in story.key_sentences]
        if story.key_sentences:
            out.append("")
        facts: list[str] = []
        if story.people:
            facts.append("- **People:** " + "; ".join(
                md_escape(name) + (f" ({md_escape(role)})" if role else "") for name, role in story.people))
        if story.dates:
            dates = "; ".join(f"{md_escape(text)} ({value})" for value, text in story.dates)
            facts.append(f"- **Dates:** {dates}")
        if story.numbers:
            facts.append("- **Numbers:** " + "; ".join(md_escape(n) for n in story.numbers))
        for text, speaker in story.quotes:
            facts.append(f"- **Quote:** “{md_escape(text)}” — {md_escape(speaker)}")
        if facts:
            out += ["### Key facts", "", *facts, ""]
        out += ["### Sources", ""]
        for src in story.sources:
            label = f"{md_escape(src.outlet)}: {md_escape(src.title)} ({_day(src.published)})"
            out.append(f"- [{label}]({_md_url(src.link)})" if src.link else f"- {label}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML --------------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light dark; --ink: #1b1f23; --muted: #5c6670; --rule: #d8dde2; --accent: #8a1c1c; }
@media (prefers-color-scheme: dark) { :root { --ink: #e6e6e6; --muted: #a0a8b0; --rule: #3a4046;
  --accent: #e08a8a; } body { background: #16181a; } }
body { font: 16px/1.55 Georgia, "Times New Roman", serif; color: var(--ink); max-width: 46rem;
  margin: 2rem auto; padding: 0 1.25rem; }
header { border-bottom: 3px double var(--rule); margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 0 0 .25rem; line-height: 1.3; }
h3 { font: 600 .8rem/1.2 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin: 1rem 0 .35rem; }
.meta { font: .85rem/1.4 system-ui, sans-serif; color: var(--muted); margin: 0 0 .75rem; }
.story { border-bottom: 1px solid var(--rule); padding: 1.25rem 0; break-inside: avoid-page; }
.story .num { color: var(--accent); margin-right: .35rem; }
ul { padding-left: 1.2rem; margin: .25rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .9rem; margin: .25rem 0;
  font-size: .95rem; }
dt { font: 600 .85rem/1.6 system-ui, sans-serif; color: var(--muted); }
dd { margin: 0; }
blockquote { margin: .3rem 0; padding-left: .8rem; border-left: 3px solid var(--rule); }
.sources { font: .85rem/1.5 system-ui, sans-serif; }
a { color: var(--accent); }
@media print {
  :root { --ink: #000; --muted: #444; --rule: #bbb; --accent: #000; }
  body { font-size: 11pt; max-width: none; margin: 0; background: none; }
  .story { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { text-decoration: none; }
  .sources a::after { content: " <" attr(href) ">"; font-size: 8pt; color: #444; word-break: break-all; }
}
@page { margin: 18mm 16mm; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(briefing: Briefing) -> str:
    """One self-contained page: inline CSS, no scripts, nothing fetched, all feed text escaped."""
    count = len(briefing.stories)
    meta = f"Generated {briefing.generated.strftime('%Y-%m-%d %H:%M %Z').strip()}"
    if briefing.scope:
        meta += f" · {briefing.scope}"
    meta += f" · {count} stor{'y' if count == 1 else 'ies'}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # Defence in depth: even a mistake in escaping could neither run code nor fetch anything.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'\">",
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(briefing.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{_e(briefing.title)}</h1><p class=\"meta\">{_e(meta)}</p></header>",
        "<main>",
    ]
    if not briefing.stories:
        out.append("<p>No articles match this selection.</p>")
    for number, story in enumerate(briefing.stories, start=1):
        out.append(f'<section class="story" id="story-{number}">')
        out.append(f'<h2><span class="num">{number}.</span>{_e(story.headline)}</h2>')
        out.append(f'<p class="meta">{_e(", ".join(story.outlets))} · {_e(_span(story))}</p>')
        if story.key_sentences:
            items = "".join(f"<li>{_e(s)}</li>" for s in story.key_sentences)
            out.append(f'<ul class="key">{items}</ul>')
        rows: list[str] = []
        if story.people:
            people = "; ".join(_e(n) + (f" <span class=\"role\">({_e(r)})</span>" if r else "")
                               for n, r in story.people)
            rows.append(f"<dt>People</dt><dd>{people}</dd>")
        if story.dates:
            dates = "; ".join(f'{_e(text)} <span class="meta">({_e(value)})</span>' for value, text
                              in story.dates)
            rows.append(f"<dt>Dates</dt><dd>{dates}</dd>")
        if story.numbers:
            rows.append("<dt>Numbers</dt><dd>" + "; ".join(_e(n) for n in story.numbers) + "</dd>")
        for text, speaker in story.quotes:
            rows.append(f"<dt>Quote</dt><dd><blockquote>“{_e(text)}”</blockquote>"
                        f"— {_e(speaker)}</dd>")
        if rows:
            out.append("<h3>Key facts</h3><dl class=\"facts\">" + "".join(rows) + "</dl>")
        out.append("<h3>Sources</h3><ul class=\"sources\">")
        for src in story.sources:
            label = f"{_e(src.outlet)}: {_e(src.title)}"
            if src.link:
                label = f'<a href="{_e(src.link)}" rel="noopener noreferrer nofollow">{label}</a>'
            out.append(f"<li>{label} <span class=\"meta\">({_e(_day(src.published))})</span></li>")
        out.append("</ul></section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- one call for the CLI and the reader -------------------------------------------------------


def write_briefing(
    store: Store,
    metas: Sequence[ArticleMeta],
    *,
    fmt: Format = "md",
    now: datetime | None = None,
    path: Path | None = None,
    title: str = "Briefing",
    scope: str = "",
) -> tuple[Path | None, str, int]:
    """Build, render and (when `path` is given) write a briefing of `metas` atomically.

    Returns the path written (None if not written), the document text and its number of
    stories. Which articles go in is the caller's choice (`Library.export`).
    """
    stamp = now or datetime.now(UTC)
    briefing = build_briefing(store, metas, now=stamp, title=title, scope=scope)
    text = render_html(briefing) if fmt == "html" else render_markdown(briefing)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"), keep_backup=False)
    return path, text, len(briefing.stories)


def describe_scope(*, topics: Sequence[str] = (), watch: str | None = None, since: str | None = None) -> str:
    """What a briefing covers, in words: "topic Turkey · watchlist X · last 24 hours"."""
    parts: list[str] = []
    if topics:
        parts.append(("topic " if len(topics) == 1 else "topics ") + " AND ".join(topics))
    if watch:
        parts.append(f"watchlist {watch}")
    if since and since.strip().lower() != "all":
        parts.append(_since_words(since.strip()))
    return ", ".join(parts) or "all articles"


def _since_words(since: str) -> str:
    match = re.fullmatch(r"(\d+)\s*([mhdw])", since.lower())
    if not match:
        return f"since {since}"
    n, unit = int(match.group(1)), match.group(2)
    minutes = n * {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit]
    if minutes < 120:
        return f"last {minutes} minutes"
    if minutes < 72 * 60:
        return f"last {minutes // 60} hours"
    return f"last {minutes // 1440} days"

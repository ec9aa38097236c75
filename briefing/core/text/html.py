"""HTML to clean readable text: feed content, summaries and imported pages.

Paragraphs, line breaks and list items survive; scripts, styles, forms and navigation do
not. The result always goes through `clean_text`. Nothing here fetches, follows or runs
anything the HTML refers to.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from briefing.core.text.clean import clean_line, clean_text

__all__ = ["HTML_MAX_CHARS", "html_to_text", "main_text", "meta_charset"]

HTML_MAX_CHARS = 4_000_000
"""Longest HTML handled; the rest is cut before parsing, to bound the work."""

_DROPPED = [
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "template", "form", "button", "select", "textarea",
    "input", "nav", "aside", "footer", "header", "head", "title", "audio", "video", "map",
    "dialog",
]  # fmt: skip
_HIDDEN = '[hidden], [aria-hidden="true"]'

_BLOCKS = frozenset(
    "p div section article main blockquote h1 h2 h3 h4 h5 h6 ul ol dl table caption pre "
    "figure figcaption hr address details summary center fieldset legend body html".split()
)  # thead, tbody and tfoot are not: a table's rows stay one block, a line each
_LINES = frozenset(("br", "tr", "dt", "dd"))
_CELLS = frozenset(("td", "th"))

# Structure is written as NUL-prefixed markers while walking (NUL never survives HTML
# parsing: it is stripped from the input and `&#0;` becomes U+FFFD), so the whitespace of
# all text nodes can be collapsed in one pass at the end.
_PARAGRAPH, _BREAK, _LABEL, _CELL = "\x00P", "\x00B", "\x00L", "\x00C"
# A list nested in a list item starts and ends on a new line (_SOFT), but never adds a blank
# line: next to another break a soft one is nothing.
_SOFT = "\x00S"
_SOFT_RUN = re.compile(r"\x00S(?:[ \t\n\r\f]*\x00S)*")
_SOFT_BESIDE_BREAK = re.compile(r"\x00S(?=[ \t\n\r\f]*\x00[PB])|(?<=\x00[PB])([ \t\n\r\f]*)\x00S")
# A table cell opens with _CELL; between two cells' text it becomes " | ", so a data table
# reads as its columns. Empty cells and cells at a line's edge leave no separator.
_CELL_RUN = re.compile(r"\x00C(?:[ \t\n\r\f]*\x00C)*")
_CELL_EDGE = re.compile(r"(?:^|(?<=\x00[PB]))[ \t\n\r\f]*\x00C|\x00C[ \t\n\r\f]*(?=\x00[PB]|$)")
_HTML_SPACE = re.compile(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")
_LABEL_END = re.compile(r"\x00L(?:[ \t\n\r\f]|\x00[PB])*")
_BLANK_LINES = re.compile(r"\n{3,}")
_PRUNABLE_TAG = re.compile(r"<(?:" + "|".join(_DROPPED) + r")\b", re.IGNORECASE)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]{1,40})""", re.I)


def meta_charset(content: bytes) -> str | None:
    """The encoding a page's bytes declare in <meta charset> or http-equiv, if Python knows it."""
    import codecs

    match = _META_CHARSET.search(content[:4096])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _prune(root: LexborNode) -> None:
    """Remove every element whose content is never readable text."""
    root.strip_tags(_DROPPED)
    for node in root.css(_HIDDEN):
        node.decompose()


def _render(root: LexborNode) -> str:
    """Walk the tree (iteratively: deep nesting must not hit the recursion limit)."""
    out: list[str] = []
    lists: list[list[int]] = []  # one [counter] per open list; counter < 0 for <ul>
    pre = 0
    node: LexborNode | None = root.child
    depth = 1
    while node is not None and depth > 0:
        # Enter the node.
        if node.is_text_node:
            text = node.text_content or ""
            out.append(text.replace("\n", _BREAK) if pre else text)
        elif node.is_element_node:
            tag = node.tag or ""
            if tag in _BLOCKS:
                # A list inside a list item continues the list: a line, not a paragraph.
                out.append(_SOFT if lists and tag in ("ul", "ol") else _PARAGRAPH)
                if tag == "pre":
                    pre += 1
                elif tag in ("ul", "ol"):
                    lists.append([0 if tag == "ol" else -1])
            elif tag == "li":
                # The label marker lets the breaks of a block inside the item fold after it.
                if lists and lists[-1][0] >= 0:
                    lists[-1][0] += 1
                    out.append(f"{_BREAK}{lists[-1][0]}.{_LABEL}")
                else:
                    out.append(f"{_BREAK}•{_LABEL}")
            elif tag in _LINES:
                out.append(_BREAK)
            elif tag in _CELLS:
                out.append(_CELL)
            elif tag == "img":
                alt = node.attributes.get("alt")
                if alt and alt.strip():
                    out.append(f" {alt} ")
        # Descend, or move on, closing the nodes we leave.
        child = node.child if node.is_element_node else None
        if child is not None:
            node = child
            depth += 1
            continue
        while node is not None and depth > 0:
            if node.is_element_node:
                tag = node.tag or ""
                if tag in _BLOCKS:
                    if tag == "pre":
                        pre -= 1
                    elif tag in ("ul", "ol") and lists:
                        lists.pop()
                    out.append(_SOFT if lists and tag in ("ul", "ol") else _PARAGRAPH)
            sibling = node.next
            if sibling is not None:
                node = sibling
                break
            node = node.parent
            depth -= 1
    text = _LABEL_END.sub(" ", "".join(out))
    if _CELL in text:
        text = _CELL_EDGE.sub("", _CELL_RUN.sub(_CELL, text)).replace(_CELL, " | ")
    if _SOFT in text:
        text = _SOFT_BESIDE_BREAK.sub(r"\1", _SOFT_RUN.sub(_SOFT, text)).replace(_SOFT, _BREAK)
    text = _HTML_SPACE.sub(" ", text)
    for marker in (_PARAGRAPH, _BREAK):
        text = text.replace(f" {marker}", marker).replace(f"{marker} ", marker)
    text = text.replace(_PARAGRAPH, "\n\n").replace(_BREAK, "\n")
    text = _BLANK_LINES.sub("\n\n", text)
    return clean_text(text)


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML fragment or page.

    Block elements become paragraphs separated by one blank line, <br> a newline, list
    items "• item" (numbered in <ol>), entities are decoded and the result is cleaned.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    html = html[:HTML_MAX_CHARS].replace("\x00", "")
    tree = LexborHTMLParser(html)
    root = tree.body
    if root is None:
        return ""
    if _PRUNABLE_TAG.search(html) or "hidden" in html or "HIDDEN" in html:
        _prune(root)
    return _render(root)


def _page_title(tree: LexborHTMLParser) -> str | None:
    candidates: list[str | None] = []
    meta = tree.css_first('meta[property="og:title"], meta[name="twitter:title"]')
    if meta is not None:
        candidates.append(meta.attributes.get("content"))
    title = tree.css_first("title")
    if title is not None:
        candidates.append(title.text(deep=True))
    heading = tree.css_first("h1")
    if heading is not None:
        candidates.append(heading.text(deep=True))
    for candidate in candidates:
        if candidate and (line := clean_line(candidate)):
            return line
    return None


def _text_length(node: LexborNode) -> int:
    return len(node.text(deep=True, separator=" ", strip=True))


def _main_node(root: LexborNode) -> LexborNode:
    """The element most likely to hold the story.

    An <article> (the one with the most paragraph text), else <main> or role=main, else
    the element whose direct <p> children hold the most text, else the whole body.
    """
    articles = root.css("article")
    if articles:
        return max(articles, key=lambda n: sum(_text_length(p) for p in n.css("p")))
    main = root.css_first('main, [role="main"]')
    if main is not None and _text_length(main) > 0:
        return main
    scores: dict[int, tuple[int, LexborNode]] = {}
    for paragraph in root.css("p"):
        parent = paragraph.parent
        if parent is None:
            continue
        score, _ = scores.get(parent.mem_id, (0, parent))
        scores[parent.mem_id] = (score + _text_length(paragraph), parent)
    if scores:
        score, best = max(scores.values(), key=lambda item: item[0])
        if score > 0:
            return best
    return root


def main_text(html_page: str) -> tuple[str | None, str]:
    """The title and the main text of a whole page (for importing saved articles).

    The title comes from og:title, <title> or the first <h1>; the text from the element
    that most likely holds the story (see `_main_node`), as `html_to_text` renders it.
    """
    tree = LexborHTMLParser(html_page[:HTML_MAX_CHARS].replace("\x00", ""))
    title = _page_title(tree)
    root = tree.body
    if root is None:
        return title, ""
    _prune(root)
    return title, _render(_main_node(root))

"""HTML to clean readable text: feed content, summaries and imported pages.

Paragraphs, line breaks and list items survive; scripts, styles, forms and navigation do
not. The result always goes through `clean_text`. Nothing here fetches, follows or runs
anything the HTML refers to.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from briefing.core.clean import clean_line, clean_text

__all__ = ["HTML_MAX_CHARS", "html_to_text", "main_text"]

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
    "p div section article main blockquote h1 h2 h3 h4 h5 h6 ul ol dl table thead "
    "tbody tfoot caption pre figure figcaption hr address details summary center "
    "fieldset legend body html".split()
)
_LINES = frozenset(("br", "tr", "dt", "dd"))
_CELLS = frozenset(("td", "th"))

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_SPACE_RUN = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
_LABEL_END = re.compile(r"\x00\s*")


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
            out.append(text if pre else _HTML_SPACE.sub(" ", text))
        elif node.is_element_node:
            tag = node.tag or ""
            if tag in _BLOCKS:
                out.append("\n\n")
                if tag == "pre":
                    pre += 1
                elif tag in ("ul", "ol"):
                    lists.append([0 if tag == "ol" else -1])
            elif tag == "li":
                # The label ends in NUL (never in parsed text: stripped from the input) so
                # the newlines of a block opening inside the item can be folded after it.
                if lists and lists[-1][0] >= 0:
                    lists[-1][0] += 1
                    out.append(f"\n{lists[-1][0]}.\x00")
                else:
                    out.append("\n•\x00")
            elif tag in _LINES:
                out.append("\n")
            elif tag in _CELLS:
                out.append(" ")
            elif tag == "img":
                alt = node.attributes.get("alt")
                if alt and alt.strip():
                    out.append(f" {alt.strip()} ")
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
                    out.append("\n\n")
                    if tag == "pre":
                        pre -= 1
                    elif tag in ("ul", "ol") and lists:
                        lists.pop()
            sibling = node.next
            if sibling is not None:
                node = sibling
                break
            node = node.parent
            depth -= 1
    text = _LABEL_END.sub(" ", "".join(out))
    text = _SPACE_RUN.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
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
    tree = LexborHTMLParser(html[:HTML_MAX_CHARS].replace("\x00", ""))
    root = tree.body
    if root is None:
        return ""
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

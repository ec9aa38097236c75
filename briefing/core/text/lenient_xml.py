"""XML as other programs really write it: decoded whatever it declares, read even when broken.

Files exported by other programs (OPML subscription lists above all) often break XML's
rules: a bare `&` in a URL, HTML entities such as `&nbsp;`, a `<` inside an attribute, an
encoding declaration that lies. They are read the way established feed readers read them: a
strict parse first and, only if that fails, a recovering tokenizer that repairs the known
faults and says which. A document with a DOCTYPE or ENTITY declaration is refused before
any parse; no DTD is ever read and the only entities expanded are HTML's named character
references, one character each, so nothing can grow or reach outside the file.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

__all__ = ["LenientXml", "XmlRefused", "decode_xml", "read_xml"]

_DECLARATIONS = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_HTML_DOCTYPE = re.compile(r"<!\s*DOCTYPE\s+html\s*>", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml\b.*?(?:\?>|(?=<)|\Z)", re.DOTALL | re.IGNORECASE)
_DECLARED_ENCODING = re.compile(
    rb"""\A\s*<\?xml\b[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_LATIN1_LABELS = frozenset(("iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
                            "cp1252", "windows-1252", "iso-8859-15", "latin-9"))

# The recovering tokenizer's pieces. Each one ends at the end of the text at worst: an
# unterminated comment or CDATA section takes the rest, it never makes the scan go back.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|\Z)"
    r"|<\?.*?(?:\?>|\Z)"
    r"|<![^<>]*>?"
    r"|</\s*(?P<end>[A-Za-z_][\w:.-]*)[^<>]*>?"
    r"|<(?P<start>[A-Za-z_][\w:.-]*)",
    re.DOTALL,
)
_ATTR_NAME = re.compile(r"[\s\x00-\x1f]*([^\s=/>\"'<]+)")
_EQUALS = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>\"'`<]*")
_REFERENCE = re.compile(r"&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{0,31}));|&")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class XmlRefused(ValueError):
    """The document is refused; the message says why, in words a user can act on."""


@dataclass(frozen=True, slots=True)
class LenientXml:
    """A document's root element and how it had to be read."""

    root: ET.Element
    notes: tuple[str, ...] = ()
    """One line per thing the file got wrong and how it was read anyway; empty for a
    well-formed file in the encoding it declares."""
    strict_error: str | None = None
    """Why the strict parse failed, when the document had to be recovered."""


def _codec(label: str) -> str | None:
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_xml(data: bytes) -> tuple[str, str | None]:
    """The document as text, and a note when its encoding is not what it declares.

    Byte-order marks decide first. Then valid UTF-8 is UTF-8 whatever the declaration says
    (a Latin-1 text is practically never valid UTF-8 by accident); else the declared
    encoding; else Windows-1252, the superset of Latin-1 that such files are written in.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise XmlRefused("it starts as UTF-16 but is not valid UTF-16") from None
    elif data.startswith((b"<\x00", b"\x00<")):  # UTF-16 without its byte-order mark
        encoding = "utf-16-le" if data[0] == ord("<") else "utf-16-be"
        return data.decode(encoding, errors="replace"), "it is UTF-16 without a byte-order mark; read as such"
    match = _DECLARED_ENCODING.match(data)
    declared = match.group(1).decode("ascii") if match else None
    codec = _codec(declared) if declared else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if codec not in (None, "utf-8") and not text.isascii():
            return text, f"it declares {declared} but is UTF-8; read as UTF-8"
        return text, None
    if codec and codec != "utf-8":
        candidates = ["cp1252", codec] if declared and declared.lower() in _LATIN1_LABELS else [codec]
        for candidate in candidates:
            try:
                return data.decode(candidate), None
            except (UnicodeDecodeError, LookupError):
                continue
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        text = data.decode("latin-1")
    if declared:
        return text, f"it declares {declared} but is not; read as Windows-1252"
    return text, "it is not UTF-8 and declares no encoding; read as Windows-1252"


_DECLARED = ("the file declares a DOCTYPE or ENTITY; it needs neither, so it is refused "
             "(entity expansion and external entities are attacks, not content)")


def _valid_char(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or \
        0x10000 <= code <= 0x10FFFF


class _Recovery:
    """A forgiving tokenizer and tree builder for XML that a strict parser refused."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.faults: Counter[str] = Counter()
        self.root: ET.Element | None = None
        self.stack: list[ET.Element] = []

    # -- character references ---------------------------------------------------------------

    def decode(self, value: str) -> str:
        if "&" not in value:
            return value
        return _REFERENCE.sub(self._reference, value)

    def _reference(self, match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        if decimal or hexadecimal:
            code = int(decimal) if decimal else int(hexadecimal, 16)
            if _valid_char(code):
                return chr(code)
            self.faults["character references to no character"] += 1
            return "\ufffd"
        if name:
            if name in _XML_ENTITIES:
                return _XML_ENTITIES[name]
            from html.entities import html5

            if (char := html5.get(name + ";")) is not None:
                self.faults["HTML entities XML does not define"] += 1
                return char
            self.faults["unknown entities (kept as written)"] += 1
            return match.group(0)
        self.faults["bare '&'"] += 1
        return "&"

    # -- the tree ---------------------------------------------------------------------------

    def add_text(self, text: str) -> None:
        if not self.stack or not text:
            return
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def open(self, name: str, attrs: dict[str, str], closed: bool) -> None:
        element = ET.Element(name, attrs)
        if self.stack:
            self.stack[-1].append(element)
        elif self.root is None:
            self.root = element
        else:
            self.faults["elements after the root element (ignored)"] += 1
            return
        if not closed:
            self.stack.append(element)
            if len(self.stack) > self.max_depth:
                raise XmlRefused(f"elements nested deeper than {self.max_depth} levels")

    def close(self, name: str) -> None:
        wanted = name.lower()
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag.lower() == wanted:
                if depth < len(self.stack) - 1:
                    self.faults["elements never closed"] += len(self.stack) - 1 - depth
                del self.stack[depth:]
                return
        self.faults["end tags with no start tag (ignored)"] += 1

    # -- the scan ---------------------------------------------------------------------------

    def run(self) -> ET.Element | None:
        text, pos, end = self.text, 0, len(self.text)
        while pos < end:
            lt = text.find("<", pos)
            if lt < 0:
                self.add_text(self.decode(text[pos:]))
                break
            if lt > pos:
                self.add_text(self.decode(text[pos:lt]))
            match = _MARKUP.match(text, lt)
            if match is None:  # "< 2010", "<3": a literal less-than sign
                self.faults["unescaped '<' in text"] += 1
                self.add_text("<")
                pos = lt + 1
            elif match.group("start"):
                pos = self.start_tag(match.group("start"), match.end())
            elif match.group("end"):
                self.close(match.group("end"))
                pos = match.end()
            else:
                if match.group("cdata") is not None:
                    self.add_text(match.group("cdata"))
                pos = match.end()
        if len(self.stack) > 1:
            self.faults["elements still open where the file ends (truncated?)"] += len(self.stack) - 1
        return self.root

    def start_tag(self, name: str, pos: int) -> int:
        """Read one start tag's attributes from `pos`; returns where the tag ends."""
        text, end = self.text, len(self.text)
        attrs: dict[str, str] = {}
        while True:
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            if pos >= end:
                self.faults["a tag cut off where the file ends (truncated?)"] += 1
                return end
            if text.startswith("/>", pos) or text[pos] == ">":
                closed = text[pos] == "/"
                self.open(name, attrs, closed)
                return pos + (2 if closed else 1)
            if text[pos] == "<":  # the tag never ended; the next one starts here
                self.faults["tags without their '>'"] += 1
                self.open(name, attrs, False)
                return pos
            named = _ATTR_NAME.match(text, pos)
            if named is None or named.end() == pos:
                pos += 1  # a stray quote, slash or control character: skip it
                continue
            attr, pos = named.group(1), named.end()
            value, pos = self.attribute_value(pos)
            if attr in attrs:
                self.faults["repeated attributes (the first kept)"] += 1
            else:
                attrs[attr] = value

    def attribute_value(self, pos: int) -> tuple[str, int]:
        text = self.text
        equals = _EQUALS.match(text, pos)
        if equals is None:
            return "", pos  # an attribute without a value
        pos = equals.end()
        if pos < len(text) and text[pos] in "\"'":
            quote = text[pos]
            close = text.find(quote, pos + 1)
            stop = text.find(">", pos + 1)
            if close < 0:
                self.faults["unterminated attribute values"] += 1
                close = stop if stop >= 0 else len(text)
                raw, pos = text[pos + 1 : close], close
            else:
                raw, pos = text[pos + 1 : close], close + 1
            if "<" in raw:
                self.faults["'<' inside attribute values"] += 1
        else:
            unquoted = _UNQUOTED.match(text, pos)
            assert unquoted is not None  # the pattern matches the empty string
            raw, pos = unquoted.group(0), unquoted.end()
            self.faults["unquoted attribute values"] += 1
        return self.decode(raw), pos


def _plural(count: int, phrase: str) -> str:
    return phrase if count == 1 else f"{phrase} (x{count})"


def read_xml(data: bytes, *, max_depth: int = 64) -> LenientXml:
    """Parse a document strictly, or else leniently with the repairs named in `notes`.

    Raises XmlRefused for a DOCTYPE or ENTITY declaration (in any encoding) and for a file
    in which not even one element can be found.
    """
    text, encoding_note = decode_xml(data)
    if _HTML_DOCTYPE.search(text):
        raise XmlRefused("it is an HTML page (<!DOCTYPE html>), not an XML document")
    if _DECLARATIONS.search(text):  # one hidden from the byte scan by its encoding
        raise XmlRefused(_DECLARED)
    notes = [encoding_note] if encoding_note else []
    body = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1).lstrip()
    try:
        return LenientXml(ET.fromstring(body), tuple(notes))
    except ET.ParseError as exc:
        strict_error = " ".join(str(exc).split())
    recovery = _Recovery(body, max_depth)
    root = recovery.run()
    if root is None:
        raise XmlRefused(f"not XML: no element found ({strict_error})")
    repairs = ", ".join(_plural(n, fault) for fault, n in recovery.faults.most_common())
    notes.append(f"not well-formed XML ({strict_error}); read leniently"
                 + (f", repairing: {repairs}" if repairs else ""))
    return LenientXml(root, tuple(notes), strict_error)

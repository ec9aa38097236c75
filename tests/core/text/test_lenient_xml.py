"""lenient_xml.py: decoding whatever a file declares, and reading XML that is not well-formed."""

from __future__ import annotations

import codecs

import pytest

from briefing.core.text.lenient_xml import XmlRefused, decode_xml, read_xml


def test_the_bytes_decide_over_a_lying_declaration() -> None:
    assert decode_xml('<?xml version="1.0" encoding="UTF-8"?><a>Zürich</a>'.encode("latin-1")) == (
        '<?xml version="1.0" encoding="UTF-8"?><a>Zürich</a>',
        "it declares UTF-8 but is not; read as Windows-1252")
    assert decode_xml('<?xml version="1.0" encoding="latin1"?><a>Zürich</a>'.encode()) == (
        '<?xml version="1.0" encoding="latin1"?><a>Zürich</a>',
        "it declares latin1 but is UTF-8; read as UTF-8")
    # Windows-1252's curly quotes in a file that says ISO-8859-1, as such files are written.
    assert decode_xml(b'<?xml version="1.0" encoding="ISO-8859-1"?><a>\x93hi\x94</a>')[0].endswith("“hi”</a>")


def test_a_true_legacy_declaration_is_honoured() -> None:
    data = '<?xml version="1.0" encoding="windows-1251"?><a>Новости</a>'.encode("cp1251")
    assert decode_xml(data) == ('<?xml version="1.0" encoding="windows-1251"?><a>Новости</a>', None)
    ascii_only = b'<?xml version="1.0" encoding="ISO-8859-1"?><a>plain</a>'
    assert decode_xml(ascii_only)[1] is None  # nothing to tell: ASCII is both


def test_utf16_with_and_without_its_mark() -> None:
    text = "<a>für</a>"
    assert decode_xml(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, None)
    assert decode_xml(text.encode("utf-16-le"))[0] == text
    with pytest.raises(XmlRefused, match="not valid UTF-16"):
        decode_xml(codecs.BOM_UTF16_LE + b"\x00\xd8\x00")  # a lone high surrogate


def test_well_formed_documents_take_the_strict_path() -> None:
    document = read_xml(b'<?xml version="1.0"?><a x="1 &amp; 2"><b>t</b></a>')
    assert document.notes == () and document.strict_error is None
    assert document.root.get("x") == "1 & 2"


def test_recovery_repairs_and_names_each_fault() -> None:
    document = read_xml(b'<a x=1 y="p < q" z="&nbsp;&foo;&#1;"><b>fish & chips</i></a><c/>')
    root = document.root
    assert root.attrib == {"x": "1", "y": "p < q", "z": "\u00a0&foo;\ufffd"}
    assert root[0].text == "fish & chips"
    (note,) = document.notes
    for fault in ("unquoted attribute values", "'<' inside attribute values", "HTML entities",
                  "unknown entities", "character references to no character", "bare '&'",
                  "end tags with no start tag", "elements after the root element"):
        assert fault in note


def test_nothing_but_text_is_refused() -> None:
    with pytest.raises(XmlRefused, match="no element found"):
        read_xml(b"just words & no markup")


def test_nesting_is_bounded_in_recovery() -> None:
    with pytest.raises(XmlRefused, match="nested deeper than 10"):
        read_xml(b"<a>" + b"<b>" * 50 + b"&", max_depth=10)

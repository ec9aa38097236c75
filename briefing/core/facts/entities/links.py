"""Web and mail addresses in a sentence: their letters are no names.

"bit.ly/2jBh4LU", "https://www.Reuters.com/Markets/Story" and "John.Smith@Reuters.com"
gave names of their pieces ("2jBh4LU", "Markets", "John.Smith"). Their characters become
spaces for the name rules only: lengths stay, so every offset into the sentence holds, and
the other rules (dates, numbers, quotes) read the sentence as written. A site's bare name
("Amazon.com") is no address here and stays a name.
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(
    r"(?:https?|ftp)://[^\s<>\"'()\[\]{}]+"  # with its scheme
    r"|\bwww\.[^\s<>\"'()\[\]{}]+"  # "www.bbc.co.uk/news"
    r"|\b[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/[^\s<>\"'()\[\]{}]*"  # a host with a path: "bit.ly/2jBh4LU"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # a mail address
    re.ASCII,
)


def without_addresses(sentences: list[str]) -> list[str]:
    """`sentences` with every web or mail address blanked out (same lengths)."""
    out = sentences
    for i, s in enumerate(sentences):
        if "/" not in s and "@" not in s and "www." not in s:
            continue  # the common case: nothing to look for
        masked = _ADDRESS.sub(lambda m: " " * len(m.group()), s)
        if masked != s:
            if out is sentences:
                out = list(sentences)
            out[i] = masked
    return out

"""The words of a region name as name search indexes them: lower case, letters and digits only.

Apostrophes and quotes join ("Soka'an", "Soka\"an" -> "sokaan"), so "sokaan" and "soka'an" both find it;
any other mark separates words ("Dama-dama" -> "dama").
"""

import re

_JOINERS = re.compile(r"['\"’‘`]")
_WORD = re.compile(r"[a-z0-9]+")
MAX_WORD = 60
# The kind a regency's name starts with; the word after it is the one people type first.
_KIND_WORDS = {"kabupaten", "kota"}


def name_words(text: str) -> list[str]:
    """Distinct words of `text`, in order of appearance."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(_JOINERS.sub("", text.lower())):
        seen.setdefault(word[:MAX_WORD], None)
    return list(seen)


def rank(depth: int, first: bool) -> int:
    """Search order of a word: coarse levels first (depth 1-4), and a name's first word before the others."""
    return (depth - 1) * 2 + (0 if first else 1)


def word_rows(code: str, name: str) -> list[tuple[str, int, str]]:
    """(word, rank, code) rows of RegionWord for one region."""
    depth = {2: 1, 4: 2, 6: 3, 10: 4}[len(code)]
    words = name_words(name)
    first = 1 if depth == 2 and len(words) > 1 and words[0] in _KIND_WORDS else 0
    return [(word, rank(depth, i == first), code) for i, word in enumerate(words)]

"""One way to fold text for comparison, shared by names, titles, journals and citation keys. Pure."""

from __future__ import annotations

import functools
import unicodedata

# Letters that NFKD does not decompose into ASCII.
_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
        "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The text as a wiki and a registry may both write it: diacritics dropped, letters NFKD cannot
    decompose transliterated (ß -> ss, ø -> o), Greek letters spelled out (α -> alpha, since pages
    and publishers write them either way), case folded. Punctuation and spacing are kept."""
    letters = []
    for char in unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION)):
        if unicodedata.combining(char):
            continue
        if "\u0370" <= char <= "\u03ff":
            name = unicodedata.name(char, "")
            char = f" {name.rsplit(' ', 1)[-1].lower()} " if "LETTER" in name else char
        letters.append(char)
    return "".join(letters).casefold().translate(_TRANSLITERATION)

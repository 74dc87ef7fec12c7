"""People's names as they are written: given names and surnames, composed in the order of a culture,
read from the ways sign-in sheets write them, and the better of two spellings of one name.

Pure functions, so every rule is tested without a database.
"""

import unicodedata
from functools import lru_cache

# Where the family name comes first when a full name is written (CLDR's "surname first" order).
SURNAME_FIRST = frozenset({"CN", "HK", "HU", "JP", "KH", "KP", "KR", "MN", "MO", "TW", "VN"})
# Words that belong to the surname after them: "María de los Ángeles" keeps them, "Pérez de la Cruz" too.
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "di", "van", "von", "der"})


@lru_cache(maxsize=65536)  # an import folds each name several times
def fold(text: str) -> str:
    """A name as compared: no accents, no case, single spaces, no dots or commas."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace(".", " ").replace(",", " ").split())


def full_name(given: str, surnames: str, country: str = "") -> str:
    """The name as a certificate writes it: given names first, or the surname first where that is the custom."""
    parts = [surnames, given] if country in SURNAME_FIRST else [given, surnames]
    return " ".join(part for part in parts if part)


def sort_name(given: str, surnames: str) -> str:
    """How a roster is ordered: by surname, then given names."""
    return fold(f"{surnames} {given}" if surnames else given)


def _tidy_word(word: str, first: bool) -> str:
    if not first and word.casefold() in PARTICLES:
        return word.casefold()
    # "RÍOS-BATISTA" → "Ríos-Batista", "O'NEILL" → "O'Neill"
    return "-".join(
        "'".join(piece[:1].upper() + piece[1:].lower() for piece in part.split("'")) for part in word.split("-")
    )


def tidy(text: str, *, surname: bool = False) -> str:
    """A name typed all in capitals or all in lower case, written as a name; any other casing is kept.

    A surname keeps a leading particle in lower case, as it is written after the given names ("de la Cruz").
    """
    text = " ".join(text.split())
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2 or not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        return text
    return " ".join(_tidy_word(word, index == 0 and not surname) for index, word in enumerate(text.split(" ")))


def _quality(text: str) -> tuple[int, int]:
    letters = [c for c in text if c.isalpha()]
    accented = sum(1 for c in letters if unicodedata.normalize("NFKD", c) != c)
    mixed = any(c.isupper() for c in letters) and any(c.islower() for c in letters)
    return accented, int(mixed)


def better_spelling(recorded: str, offered: str) -> str:
    """Of two spellings that differ only in case and accents, the one with accents and proper case.

    Names that differ in more than that are not spellings of one name: the offered one wins.
    """
    if not recorded or fold(recorded) != fold(offered):
        return offered or recorded
    return offered if _quality(offered) > _quality(recorded) else recorded


def _surname_split(words: list[str], count: int) -> int:
    """Where the surnames start in `words` when the last `count` words are surnames, particles included."""
    start = len(words)
    for _ in range(count):
        start -= 1
        while start > 1 and words[start - 1].casefold() in PARTICLES:
            start -= 1
    return max(start, 1)


def split_full(text: str, *, surnames: int = 2) -> tuple[str, str]:
    """(given names, surnames) of a full name in one cell, "Marisol Ríos Batista" → ("Marisol", "Ríos Batista").

    Two words are a given name and a surname; with more, the last `surnames` words are surnames
    (Spanish names carry two). A comma means "Surnames, Given".
    """
    if "," in text:
        return split_surname_given(text)
    words = text.split()
    if len(words) < 2:
        return " ".join(words), ""
    start = _surname_split(words, 1 if len(words) == 2 else surnames)
    return " ".join(words[:start]), " ".join(words[start:])


def split_surname_given(text: str) -> tuple[str, str]:
    """(given names, surnames) of "Ríos Batista, Marisol"; without a comma, "RÍOS BATISTA MARISOL"."""
    if "," in text:
        surnames, _, given = text.partition(",")
        return " ".join(given.split()), " ".join(surnames.split())
    words = text.split()
    if len(words) < 2:
        return " ".join(words), ""
    count = 1 if len(words) == 2 else 2
    return " ".join(words[count:]), " ".join(words[:count])

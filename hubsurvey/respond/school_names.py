"""How a typed school name is compared with the names on a hub's list.

Teachers type "st marys c of e" for "St Mary's Church of England Primary" (written with a
curly apostrophe): two spellings of one name must meet, and two different names must stay
apart. So only what cannot tell two schools apart is ignored (case, accents, apostrophes,
punctuation and spacing), and only words with one meaning are read as one ("St" and "Saint",
"&" and "and", "C of E", "CE" and "Church of England"). No word is dropped: "St Mary's CE
Primary" and "St Mary's Primary" are different schools."""

import unicodedata

# Straight and curly apostrophes, the backtick and accent typed for one, primes, and the
# modifier letters keyboards put in their place: all dropped, so "Mary's" (straight or curly)
# and "Marys" read the same.
APOSTROPHES = "'\u2019\u2018\u201b`\u00b4\u2032\u02bc\u02b9\u02bb\uff07"
_DROP_APOSTROPHES = str.maketrans("", "", APOSTROPHES)

# Words written several ways, each read as one; the longest spelling is tried first.
_SAME_WORDS: list[tuple[tuple[str, ...], str]] = [
    (("church", "of", "england"), "ce"),
    (("c", "of", "e"), "ce"),
    (("cofe",), "ce"),
    (("c", "e"), "ce"),
    (("roman", "catholic"), "rc"),
    (("r", "c"), "rc"),
    (("st",), "saint"),
    (("ss",), "saints"),
    (("sts",), "saints"),
]


def name_key(name: str) -> str:
    """A school name with what cannot tell two schools apart taken out: two names with the
    same key are two spellings of one name."""
    # Apostrophes go first: NFKD would make the accent typed for one a space and an accent.
    # NFKD then splits accents from their letters (and full-width letters into plain ones).
    text = unicodedata.normalize("NFKD", name.translate(_DROP_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_DROP_APOSTROPHES).replace("&", " and ")
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return " ".join(_same_words(words))


def _same_words(words: list[str]) -> list[str]:
    result, i = [], 0
    while i < len(words):
        for spelling, word in _SAME_WORDS:
            if tuple(words[i : i + len(spelling)]) == spelling:
                result.append(word)
                i += len(spelling)
                break
        else:
            result.append(words[i])
            i += 1
    return result

"""Synonyms officers keep in the admin (directory.models.SearchSynonym): "toddler" also
searches for "stay and play". The rankers' spelling check looks up the synonyms of a
search's `phrases(q)` in the same statement as its words, and `instead(q, found)` gives the
words that join the search as a correction would."""

import re

from directory.models.synonyms import MAX_TERM_WORDS, tidy_words

MAX_WORDS = 10  # of a search, looked at for synonyms


def _words(q: str) -> list[str]:
    return re.findall(r"[^\W_]+", tidy_words(q))[:MAX_WORDS]


def _spans(words):
    """(start, size, phrase) of every phrase of up to MAX_TERM_WORDS words, longest first."""
    for size in range(MAX_TERM_WORDS, 0, -1):
        for start in range(len(words) - size + 1):
            yield start, size, " ".join(words[start : start + size])


def phrases(q: str) -> list[str]:
    """Every term that could match `q`: its phrases, and each plural's singular."""
    found = []
    for _, _, phrase in _spans(_words(q)):
        found.append(phrase)
        if phrase.endswith("s"):
            found.append(phrase[:-1])
    return list(dict.fromkeys(found))


def instead(q: str, found: dict[str, str]) -> str:
    """What to search for as well as `q`, given the synonyms `found` for its phrases
    ({term: search_for}): longest phrase first, each word used once, in the order typed;
    "" when none match. "help with bills" -> "money advice"."""
    if not found:
        return ""
    matches, used = [], set()
    for start, size, phrase in _spans(_words(q)):
        span = set(range(start, start + size))
        match = found.get(phrase) or (phrase.endswith("s") and found.get(phrase[:-1]))
        if match and not span & used:
            matches.append((start, match))
            used |= span
    return " ".join(match for _, match in sorted(matches))

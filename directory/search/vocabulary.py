"""Spelling correction from the search vocabulary (directory.models.SearchWord) where the
database has no trigram index (SQLite): PostgresRanker.spelling does the same in SQL."""

import difflib
import re

from django.db.models import Q, Value
from django.db.models.functions import Length

from directory.search import synonyms

MAX_WORDS = 5  # misspelt words of one search looked up
CUTOFF = 0.75  # difflib's ratio: "fod" -> "food" is 0.86, "bank" -> "back" 0.75
_WORD = re.compile(r"([^\W_]+)")  # split() keeps the words at odd positions


def lookup(q: str) -> tuple[set[str], dict[str, str]]:
    """In one statement: which of `q`'s words the vocabulary has, and the officers' synonyms
    of its phrases ({term: search_for})."""
    from directory.models import SearchSynonym, SearchWord

    words = _words(q)
    known = SearchWord.objects.filter(word__in=words).order_by().values_list("word", Value(""))
    found = SearchSynonym.objects.filter(term__in=synonyms.phrases(q)).order_by()
    rows = known.union(found.values_list("term", "search_for"), all=True)
    vocabulary, synonym = set(), {}
    for word, search_for in rows:
        if search_for:
            synonym[word] = search_for
        else:
            vocabulary.add(word)
    return vocabulary, synonym


def _words(q):
    parts = _WORD.split(q)
    return list(dict.fromkeys(w.lower() for w in parts[1::2] if 3 <= len(w) <= 100 and w.isalpha()))


def corrected(q: str, known: set[str]) -> str:
    """`q` with each word no listing uses (3+ letters, no digits; not in `known`, from
    lookup) replaced by the most alike word one does (difflib's ratio, then the commoner
    word), or "" when none was replaced. One query, only with unknown words: the
    vocabulary's words that start with the same letter and are within two letters of their
    length (a typo rarely changes either)."""
    from directory.models import SearchWord

    parts = _WORD.split(q)
    unknown = [w for w in _words(q) if w not in known][:MAX_WORDS]
    if not unknown:
        return ""
    alike = Q()
    for word in unknown:
        alike |= Q(word__startswith=word[0], length__range=(len(word) - 2, len(word) + 2))
    candidates = (
        SearchWord.objects.annotate(length=Length("word"))
        .filter(alike)
        .values_list("word", "services")
    )
    by_letter = {}
    for word, services in candidates:
        by_letter.setdefault(word[0], {})[word] = services
    corrections = {}
    for word in unknown:
        counts = by_letter.get(word[0], {})
        close = difflib.get_close_matches(word, counts, n=5, cutoff=CUTOFF)
        if close:
            ratio = {c: difflib.SequenceMatcher(None, word, c).ratio() for c in close}
            corrections[word] = max(close, key=lambda c: (ratio[c], counts[c], c))
    if not corrections:
        return ""
    parts[1::2] = [corrections.get(w.lower(), w) for w in parts[1::2]]
    return "".join(parts)

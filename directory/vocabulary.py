"""The search vocabulary (directory.models.SearchWord: the words listed services use, which
search corrects misspelt words to) and officers' search synonyms: their writes.
directory.services.refresh_search_text adds the words of saved listings through here."""

import re
from collections import Counter

from django.db import connection, transaction

from core.cache import bump
from directory.models import SearchSynonym, SearchWord, Service

# The search vocabulary (SearchWord): the words of the listed services' text
# as to_tsvector('simple') splits it, 3 to 100 letters without digits (search never corrects
# shorter or numeric words). Only these fixed fragments and Django's SQL are formatted in.
_WORDS = """SELECT word FROM directory_service s
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple',
    s.name || ' ' || s.keywords || ' ' || s.search_extra || ' ' || s.description))) AS word
WHERE ({where}) AND s.id IN ({listed}) AND length(word) BETWEEN 3 AND 100 AND word !~ '[0-9]'"""


def _words(where, params):
    """SQL and params for the words of the listed services (what Service.objects.published()
    shows) that meet `where`, a condition on `s`."""
    listed = Service.objects.published().order_by().values("pk")
    listed_sql, listed_params = listed.query.sql_with_params()
    return _WORDS.format(where=where, listed=listed_sql), [*params, *listed_params]


_LETTERS = re.compile(r"[^\W\d_]{3,100}")  # words as the vocabulary keeps them


def _counted_words(where, params) -> Counter:
    """Elsewhere than PostgreSQL (SQLite: a council's few thousand listings): the words of
    these listed services counted in Python, each once per service."""
    listed = Service.objects.published().order_by().values("pk")
    listed_sql, listed_params = listed.query.sql_with_params()
    counts = Counter()
    with connection.cursor() as cursor:
        # Only fixed fragments and Django's SQL are formatted in; values go as parameters.
        sql = f"SELECT s.name, s.keywords, s.search_extra, s.description FROM directory_service s WHERE ({where}) AND s.id IN ({listed_sql})"  # noqa: E501, S608
        cursor.execute(sql, [*params, *listed_params])
        for row in cursor.fetchall():
            counts.update({w.lower() for w in _LETTERS.findall(" ".join(row))})
    return counts


def add_search_words(where, params) -> None:
    """Add the words of these listed services (SQL condition on `s`) to the vocabulary."""
    if connection.vendor != "postgresql":
        words = [SearchWord(word=w, services=1) for w in _counted_words(where, params)]
        SearchWord.objects.bulk_create(words, batch_size=500, ignore_conflicts=True)
        return
    words, params = _words(where, params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO directory_searchword (word, services) SELECT DISTINCT word, 1 FROM ({words}) w ON CONFLICT (word) DO NOTHING",  # noqa: E501, S608
            params,
        )


@transaction.atomic
def rebuild_search_words() -> int:
    """Rebuild the search vocabulary from every listed service, with exact counts, dropping
    words no one uses any more (saves only ever add words); returns how many words. On SQLite
    the words are counted in Python (a council's listings, not a county's)."""
    if connection.vendor != "postgresql":
        counts = _counted_words("1 = 1", [])
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, services=n) for w, n in counts.items()], batch_size=500
        )
        return len(counts)
    words, params = _words("TRUE", [])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_searchword")
        cursor.execute(
            # A listing saved meanwhile may have added a word already: recount it.
            f"INSERT INTO directory_searchword (word, services) SELECT word, COUNT(*) FROM ({words}) w GROUP BY word ON CONFLICT (word) DO UPDATE SET services = EXCLUDED.services",  # noqa: E501, S608
            params,
        )
        return cursor.rowcount


@transaction.atomic
def save_synonym(*, synonym: SearchSynonym) -> SearchSynonym:
    """Save an officer's search synonym, tidied and checked (one per term). Cached pages go
    (core.cache), so searches use it at once."""
    synonym.full_clean()
    synonym.save()
    bump()
    return synonym

"""Rankers: how keywords match and rank, how misspelt words are corrected, and how one page of
a ranked or measured search is cut with its total. `ranker_for(queryset)` picks one by the
database the queryset reads from.

PostgresRanker: the weighted tsvector `Service.search_document` (GIN indexed; name, keywords,
organisation and category names, description) ranked with ts_rank, spelling corrected from the
search vocabulary, and each page cut by one hand-assembled statement. OrmRanker (SQLite and
anything else): every word must appear in the name, keywords, description, organisation or a
category, name matches rank first, and the page is cut through the ORM.
"""

import re
from typing import NamedTuple

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)

from directory.models import Service
from directory.search import synonyms, vocabulary
from directory.search.geo import within

MAX_QUERY_WORDS = 10
TYPO_THRESHOLD = 20  # fewer full-text matches than this: also match names by similarity
NEAR_FIRST_MILES = (5, 25)  # near a point at any distance: look this close first
# In a table of at least ESTIMATE_FROM_ROWS services (as a process finds it on its first
# connection: look_for_rum), totals past count_up_to are estimated from a sample of about
# 5,000 rows, and a sample finding ESTIMATE_BEYOND times as many skips counting; smaller
# tables rank and count every match exactly (cheaper there: at 100,000 services the bounded
# statement cost 1 to 6 ms more, bench/search.py).
ESTIMATE_FROM_ROWS = 200_000
ESTIMATE_BEYOND = 5
# In such a table, words estimated to match SAMPLE_BEYOND x SAMPLED_MATCHES services or more
# (40,000: "food bank" matches 127,115 of 1,000,000) rank the matches in a sample of the table
# expected to hold SAMPLED_MATCHES of them first, then the others: see _bounded_sql.
SAMPLED_MATCHES = 2_000
SAMPLE_BEYOND = 20


class Spelling(NamedTuple):
    """`typo`: the words as typed find fewer than TYPO_THRESHOLD services; `corrected`: the
    words with each one no listing uses replaced by the closest one that does ("" if none);
    `unmatched`: the words as typed find no service at all, so the corrected words are
    searched alone (the same results as with the words as typed, without matching and
    ranking every row twice)."""

    typo: bool
    corrected: str
    unmatched: bool = False


AS_TYPED = Spelling(False, "")


class OrmRanker:
    """Keywords through the ORM: every word must appear; name matches first. When the words
    find few services, officers' synonyms or the closest words of the search vocabulary join
    in (directory.search.spelling), as on PostgreSQL."""

    def spelling(self, q: str) -> Spelling:
        """As PostgresRanker.spelling, but only ever with something to add: an officer's
        synonym (cached), else which words the vocabulary lacks and its words like them
        (one or two small queries); then, only if there is, whether the words as typed find
        fewer than TYPO_THRESHOLD services (one count that stops there)."""
        q = " ".join(q.split())
        if not q:
            return AS_TYPED
        known, found = vocabulary.lookup(q)
        also = synonyms.instead(q, found) or vocabulary.corrected(q, known)
        if not also:
            return AS_TYPED  # nothing to add: the page as typed stands
        listed = Service.objects.published().filter(_all_words(q)).order_by().values("pk")
        if listed[:TYPO_THRESHOLD].count() >= TYPO_THRESHOLD:
            return AS_TYPED
        return Spelling(True, also)

    def keywords(self, qs, q: str, spelling: Spelling | None):
        words = q.split()[:MAX_QUERY_WORDS]
        typed = _all_words(q)
        spelling = self.spelling(q) if spelling is None else spelling
        corrected = spelling.corrected if spelling.typo else ""
        if not corrected:
            return qs.filter(typed).annotate(rank=_name_first(q, words))
        # The words as typed first, then what the synonyms or corrections added.
        rank = Case(
            When(typed, then=_name_first(q, words) + Value(3)),
            default=_name_first(corrected, corrected.split()),
            output_field=IntegerField(),
        )
        return qs.filter(typed | _all_words(corrected)).annotate(rank=rank)

    def page(self, search, start: int, size: int, count_up_to: int | None):
        """(total, [(pk, {"rank": ..., "distance_sq": ...}), ...]) of `search` (a
        directory.search.ServiceSearch), in one query: the page with COUNT(*) OVER ()."""
        limit = None if count_up_to is None else count_up_to + 1
        found = search.results()
        extra = _extra(found)
        rows = list(
            found.annotate(_total=Window(Count("*"))).values_list("pk", *extra, "_total")[
                start : start + size
            ]
        )
        if not rows:  # nothing found, or past the end (then the total needs counting)
            return (found.order_by()[:limit].count() if start else 0), []
        total = rows[0][-1] if limit is None else min(rows[0][-1], limit)
        return total, [(row[0], dict(zip(extra, row[1:-1], strict=True))) for row in rows]

    def count(self, queryset, count_up_to: int) -> int:
        """How many rows `queryset` (not ranked or measured) has: exactly."""
        return queryset.count()


class PostgresRanker(OrmRanker):
    """Full-text search with ts_rank, spelling from the vocabulary, one statement a page."""

    def count(self, queryset, count_up_to):
        """As OrmRanker.count, but in a table of ESTIMATE_FROM_ROWS or more, exactly only up
        to `count_up_to` rows; beyond, About so many from the estimates' sample. Every
        published service counted exactly took 83 ms at 1,000,000 (bench/search.py, browse)."""
        connection = connections[queryset.db]
        if not is_large(connection):
            return queryset.count()
        limit = count_up_to + 1
        rows, params = _select(queryset, ["pk"])
        estimate, estimate_params = _estimate(connection, (rows, params))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT n, CASE WHEN n >= %s THEN {estimate} END "
                f"FROM (SELECT COUNT(*) AS n FROM ({rows} LIMIT %s) m) c",
                (limit, *estimate_params, *params, limit),
            )
            counted, estimated = cursor.fetchone()
        return counted if counted < limit else about(max(int(estimated), limit))

    def spelling(self, q: str) -> Spelling:
        """Spelling(typo, corrected) for keywords `q`, in one query. `typo`: the words alone
        find fewer than TYPO_THRESHOLD published services (counting stops there, so common
        words cost little). `corrected`: when they do, `q` with each word that no listed
        service uses (3+ letters, no digits; the first MAX_QUERY_WORDS such) replaced by the
        most similar word that one does (trigram similarity, then the commoner word), e.g.
        "fod bank" -> "food bank"; "" when no word was replaced."""
        q = " ".join(q.split())
        if not q:
            return AS_TYPED
        query = SearchQuery(q, config="english", search_type="websearch")
        found = Service.objects.published().filter(search_document=query).order_by().values("pk")
        found_sql, params = found[:TYPO_THRESHOLD].query.sql_with_params()
        parts = _WORD.split(q)
        words = (w.lower() for w in parts[1::2] if 3 <= len(w) <= 100 and w.isalpha())
        unknown = list(dict.fromkeys(words))[:MAX_QUERY_WORDS]  # a bounded number of lookups
        with connections[found.db].cursor() as cursor:
            # Only for a search that finds too little: each word not in the vocabulary, with
            # the vocabulary's closest word (trigram GIN index on directory_searchword.word).
            cursor.execute(
                f"""WITH found AS (SELECT COUNT(*) AS n FROM ({found_sql}) f)
                SELECT found.n, w.word, (
                    SELECT v.word FROM directory_searchword v WHERE v.word %% w.word
                    ORDER BY similarity(v.word, w.word) DESC, v.services DESC, v.word LIMIT 1
                ), (SELECT json_object_agg(s.term, s.search_for) FROM directory_searchsynonym s
                    WHERE found.n < %s AND s.term = ANY(%s::text[]))
                FROM found LEFT JOIN unnest(%s::text[]) AS w(word) ON found.n < %s
                    AND NOT EXISTS (SELECT 1 FROM directory_searchword k WHERE k.word = w.word)""",  # noqa: S608
                [*params, TYPO_THRESHOLD, synonyms.phrases(q), unknown, TYPO_THRESHOLD],
            )
            rows = cursor.fetchall()
        if rows[0][0] >= TYPO_THRESHOLD:
            return AS_TYPED
        unmatched = rows[0][0] == 0
        also = synonyms.instead(q, rows[0][3] or {})  # officers' synonyms come first
        if also:
            return Spelling(True, also, unmatched)
        corrections = {word: better for _, word, better, _ in rows if word and better}
        if not corrections:
            return Spelling(True, "")
        parts[1::2] = [corrections.get(w.lower(), w) for w in parts[1::2]]
        return Spelling(True, "".join(parts), unmatched)

    def keywords(self, qs, q: str, spelling: Spelling | None):
        query = SearchQuery(q, config="english", search_type="websearch")
        matches = Q(search_document=query)
        spelling = self.spelling(q) if spelling is None else spelling
        typo, corrected = spelling.typo, spelling.corrected
        if corrected and spelling.unmatched:
            query = SearchQuery(corrected, config="english", search_type="websearch")
            return qs.filter(search_document=query).annotate(
                rank=SearchRank(F("search_document"), query)
            )
        if not typo:
            # One indexed document (name, keywords, organisation and category names,
            # description): no joins, so the page costs one pass over the matching rows.
            return qs.filter(matches).annotate(rank=SearchRank(F("search_document"), query))
        if corrected:
            # A misspelt word: the corrected words join in through the same index.
            also = SearchQuery(corrected, config="english", search_type="websearch")
            wider = Q(search_document=query | also)
            wider_rank = SearchRank(F("search_document"), also)
        else:
            # Every word is known but they find few services: names by trigram word
            # similarity join in (a listing called "Pantri club" for "pantry").
            wider = matches | Q(TrigramWordSimilar(F("name"), Value(q)))
            wider_rank = TrigramWordSimilarity(q, "name")
        # Matches of the words as typed first, then what the wider search added.
        rank = Case(
            When(matches, then=SearchRank(F("search_document"), query) + Value(1.0)),
            default=wider_rank,
            output_field=FloatField(),
        )
        return qs.filter(wider).annotate(rank=rank)

    def page(self, search, start, size, count_up_to):
        """One statement: the ranking query as a subquery (kept apart with OFFSET 0, so each
        row's rank is worked out as the row is read instead of the whole document being
        carried through the window), the total, then the page.

        With `count_up_to`, a total past it is About so many (an exact count, rounded). In
        a table of ESTIMATE_FROM_ROWS or more, the matches are counted up to count_up_to + 1
        only; past that the total is an estimate from a sample of the table, and where the
        RUM index exists, the page is cut from the best start + size matches in the index's
        rank order (ranked again exactly), not from every match ranked: see _bounded_sql.
        Not within a distance: the circle bounds the matches, and the page reads them all
        anyway (nearest place per service), so it counts them too.

        Near a point at any distance, most pages lie close by: a first statement measures
        only the services with a place within NEAR_FIRST_MILES[0]. When they fill the page,
        they are the page (everything else is further away or has no place); when they do
        not, a second statement looks further (NEAR_FIRST_MILES[1]), and a third measures
        every match. The first also counts the matches without measuring them, stopping past
        `count_up_to` (a common word near a postcode matches most of a county); a page past
        that total needs no other statement. See _near_first_page."""
        limit = None if count_up_to is None else count_up_to + 1
        found = search.results()
        connection = connections[found.db]
        extra = _extra(found)
        columns = ["pk", "name", *extra]
        order = _order_sql(connection, found.query.order_by)
        picked = ", ".join(connection.ops.quote_name(c) for c in ["pk", *extra])
        if search.point is not None and not search.within_miles:
            return _near_first_page(
                connection, search, found, columns, picked, order, start, size, limit
            )
        inner, params = _select(found, columns)
        if limit is not None and is_large(connection) and not search.within_miles:
            # Within a distance, every match in the circle is grouped by service (nearest
            # place) before the first row comes out, so counting up to `limit` apart would
            # read them all a second time: the page counts them (bench/search.py at 1M).
            sql, params = _bounded_sql(
                connection, search, found, columns, picked, (inner, params), start + size, limit
            )
            order = f"later, {order}"
        else:
            sql = f"SELECT {picked}, COUNT(*) OVER () FROM ({inner} OFFSET 0) found"
        sql += f" ORDER BY {order} LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params, size, start))
            rows = cursor.fetchall()
        if not rows:
            return (found.order_by()[:limit].count() if start else 0), []
        total = int(rows[0][-1]) if limit is None else min(int(rows[0][-1]), limit)
        if limit is not None and rows[0][-1] > limit:
            total = about(rows[0][-1])
        return total, [(row[0], dict(zip(extra, row[1:-1], strict=True))) for row in rows]


class About(int):
    """A total past the exact count: an estimate, rounded to two significant figures."""


def about(n: int) -> About:
    digits = max(len(str(int(n))) - 2, 0)
    return About(round(int(n), -digits))


def _database(connection) -> tuple[str, str]:
    return connection.alias, connection.settings_dict["NAME"]


def has_rum(connection) -> bool:
    """Whether the RUM index exists (migration 0011), as look_for_rum found it."""
    return _RUM.get(_database(connection), False)


def is_large(connection) -> bool:
    """Whether the services table had ESTIMATE_FROM_ROWS rows, as look_for_rum found it."""
    return _LARGE.get(_database(connection), False)


def look_for_rum(sender, connection, **kwargs):
    """On a process's first connection to each PostgreSQL database: whether the RUM index
    exists (a schema fact that changes only with a migration; restart after migrating), and
    how many rows the services table has (the planner's estimate): whether it is large, and
    how big a share of it the estimates sample. A process started before the table grew
    keeps counting exactly, or sampling a larger share, which is right but slower, until it
    restarts."""
    key = _database(connection)
    if connection.vendor != "postgresql" or key in _RUM:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = %s), "
            "(SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s))",
            ["directory_service_published_search_rum", Service._meta.db_table],
        )
        rum, rows = cursor.fetchone()
    _RUM[key], _LARGE[key] = rum, (rows or 0) >= ESTIMATE_FROM_ROWS
    _ROWS[key] = max(rows or 0, 1)


_RUM = {}
_LARGE = {}
_ROWS = {}


def _estimate_percent(connection) -> str:
    """TABLESAMPLE SYSTEM's percentage for the estimates' sample, about 5,000 rows of the
    services table as look_for_rum found it, as a number in the SQL: with a subquery there,
    the planner took the sample for 10% of the table and picked joins for 20 times the rows
    (a merge join reading a whole index: 32 of 72 ms at 1,000,000 services)."""
    return f"{min(100.0, 5e5 / _ROWS.get(_database(connection), 1)):.6f}"


def _all_words(q: str) -> Q:
    """Every word appears in the name, keywords, description or organisation and category
    names (SQLite's keyword match)."""
    found = Q()
    for word in q.split()[:MAX_QUERY_WORDS]:
        found &= (
            Q(name__icontains=word)
            | Q(keywords__icontains=word)
            | Q(description__icontains=word)
            | Q(search_extra__icontains=word)
        )
    return found


def _name_first(q, words):
    return Case(
        When(name__icontains=q, then=Value(3)),
        When(name__icontains=words[0], then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


_WORD = re.compile(r"([^\W_]+)")  # split() keeps the words at odd positions
_RANKERS = {"postgresql": PostgresRanker()}


def ranker_for(queryset) -> OrmRanker:
    """The ranker for the database `queryset` reads from."""
    return _RANKERS.get(connections[queryset.db].vendor, OrmRanker())


def _extra(found):
    return [name for name in ("rank", "distance_sq") if name in found.query.annotations]


def _near_first_page(connection, search, found, columns, picked, order, start, size, limit):
    """PostgresRanker.page near a point at any distance, as (total, rows): the page from the
    services of `found` within NEAR_FIRST_MILES[0] of the point when they are enough for it
    (or are every match), else from those within the next distance, else from every match,
    one statement each, stopping at the first that is enough. The first statement also
    counts the matches, not measured (at most `limit`, unless None), for the total. Each
    statement plans only its own look: planning all three in one statement took 6.7 of its
    14 ms at 10,000 services ("food" near a postcode, EXPLAIN ANALYZE)."""
    counted = search.results(measure=False)  # the matches, not measured
    extra = _extra(found)
    needed = start + size
    matches, matches_params = _select(counted, ["pk"])
    total_sql = f"(SELECT COUNT(*) FROM ({matches}) matches)"
    total_params = matches_params
    if limit is not None:
        total_sql = f"(SELECT COUNT(*) FROM ({matches} LIMIT %s) matches)"
        total_params = (*matches_params, limit)
    if limit is not None and search.keywords and is_large(connection):
        # Counting a common word's first `limit` matches reads them all first (50 of the 84
        # ms of "food" near a postcode at 1,000,000 services): a sample of the table finding
        # ESTIMATE_BEYOND times as many settles it.
        table = connection.ops.quote_name(Service._meta.db_table)
        pct = _estimate_percent(connection)
        sample, sample_params = _sampled(table, (matches, matches_params), pct)
        total_sql = (
            f"(CASE WHEN (SELECT COUNT(*) * 100 / {pct} FROM ({sample}) s) >= %s THEN %s "
            f"ELSE {total_sql} END)"
        )
        total_params = (*sample_params, ESTIMATE_BEYOND * limit, limit, *total_params)
    page_sql = f"SELECT {picked} FROM {{}} ORDER BY {order} LIMIT %s OFFSET %s"
    total = None
    rows = []
    with connection.cursor() as cursor:
        for miles in NEAR_FIRST_MILES:
            near, near_params = _select(within(found, point=search.point, miles=miles), columns)
            page = page_sql.format("near")
            cursor.execute(
                f"WITH near AS MATERIALIZED ({near}) SELECT page.*, "
                f"(SELECT COUNT(*) FROM near), {total_sql if total is None else 'NULL'} "
                f"FROM (SELECT 1) one LEFT JOIN LATERAL ({page}) page ON true",
                (*near_params, *(total_params if total is None else ()), size, start),
            )
            found_rows = cursor.fetchall()
            if total is None:
                total = found_rows[0][-1]
            counted_all = limit is None or total < limit  # not "more than"
            if found_rows[0][-2] >= (min(needed, total) if counted_all else needed):
                rows = [row[:-2] for row in found_rows if row[0] is not None]
                break  # enough for the page, or every match
            if counted_all and start >= total:
                break  # past the end
        else:
            everything, params = _select(found, columns)
            cursor.execute(
                page_sql.format(f"({everything} OFFSET 0) everything"), (*params, size, start)
            )
            rows = cursor.fetchall()
    return total, [(row[0], dict(zip(extra, row[1:], strict=True))) for row in rows]


def _bounded_sql(connection, search, found, columns, picked, everything, needed, limit):
    """PostgresRanker.page's statement with counting bounded, up to its ORDER BY, for a table
    of ESTIMATE_FROM_ROWS or more. First an estimate: the matches in a sample of about 5,000
    rows of the table, scaled (TABLESAMPLE SYSTEM, repeatable; PostgreSQL works out a CTE or
    scalar subquery only when a branch that needs it runs). Under `limit`, every match is
    ranked and counted in one pass, as in a smaller table (a selective filter's matches were
    read three times: "advice" in a town at 1,000,000 services); from ESTIMATE_BEYOND x
    `limit`, the total is the estimate; between, the matches are counted up to `limit`, and
    under it every match is ranked and counted, past it the total is the estimate.

    Past `limit` matches, the page is cut from:
    - when the estimate reaches SAMPLE_BEYOND x SAMPLED_MATCHES: the matches in a larger
      sample of the table (the same one for every page while the table is unchanged),
      expected to hold SAMPLED_MATCHES of them, ranked exactly, followed by every other
      match, ranked, which a page reads only when it lies deeper than the sample's matches
      reach (a column `later` orders the two). Ranking every match costs about 2
      microseconds a match even in the RUM index ("food bank" at 1,000,000 services:
      127,115 matches, 270 ms), a sample of 2,000 about 15 ms; and at that many matches the
      best of the sample rank as high as the best of all (ts_rank 0.99999 against 1.0 for
      "food bank" and "debt advice" there). The first pages are the best of a spread of
      strong matches, not the very best, and paging on to the end (as ORUK clients do)
      still gives each match once;
    - else, where the RUM index exists: the best `needed` in the index's order (<=>), and
      any as close as the last, ordered by the index's own score (_rum_top; the index scores
      every match to order them: README, "RUM or GIN");
    - else every match, ranked."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    matches, matches_params = _select(found, ["pk"])
    table = quote(Service._meta.db_table)
    estimate, sample_params = _estimate(connection, (matches, matches_params))
    ctes = [
        # A sample finding many times `limit` matches: no exact count.
        f"estimated AS MATERIALIZED (SELECT {estimate} AS n)",
        # -1: not counted apart (every match is ranked and counted by the page).
        "counted AS MATERIALIZED (SELECT CASE WHEN (SELECT n FROM estimated) < %s THEN -1 "
        "WHEN (SELECT n FROM estimated) >= %s THEN %s "
        f"ELSE (SELECT COUNT(*) FROM ({matches} LIMIT %s) m) END AS n)",
    ]
    params = [*sample_params, limit, ESTIMATE_BEYOND * limit, limit, *matches_params, limit]
    from_sample, not_sampled = "", ""
    top = _rum_top(connection, search, found, columns, needed)
    if search.keywords:
        sampled, sampled_params = _sampled(table, everything, "(SELECT pct FROM sampled_size)")
        ctes += [
            "sampled_size AS (SELECT LEAST(100, %s * 100.0 / "
            "GREATEST((SELECT n FROM estimated), 1)) AS pct)",
            f"sampled AS MATERIALIZED ({sampled})",
            "use_sample AS MATERIALIZED (SELECT (SELECT n FROM counted) >= %s"
            " AND (SELECT n FROM estimated) >= %s AS yes)",
        ]
        params += [SAMPLED_MATCHES, *sampled_params, limit, SAMPLE_BEYOND * SAMPLED_MATCHES]
        # The sample's matches first, then (for a page deeper than they reach) the others:
        # the best `needed` of them all hold the best others the page needs.
        rest_sql, rest_params = top or (f"{everything[0]} OFFSET 0", everything[1])
        from_sample = (
            f" UNION ALL SELECT {names}, 0, NULL FROM sampled WHERE (SELECT yes FROM use_sample)"
            f" UNION ALL SELECT {names}, 1, NULL FROM ({rest_sql}) r"
            " WHERE (SELECT yes FROM use_sample) AND (SELECT COUNT(*) FROM sampled) < %s"
            f" AND {quote('pk')} NOT IN (SELECT {quote('pk')} FROM sampled)"
        )
        from_sample_params = [*rest_params, needed]
        not_sampled = " AND NOT (SELECT yes FROM use_sample)"
    else:
        from_sample_params = []
    # Every match's count where they were all ranked, else the estimate.
    total = "COALESCE(n, GREATEST(%s, (SELECT n FROM estimated))::bigint)"
    total_params = [limit + 1]
    every = f"SELECT {names}, 0, COUNT(*) OVER () FROM ({everything[0]} OFFSET 0) e"
    if top is None:
        body = f"({every} WHERE true{not_sampled}{from_sample}) found ({names}, later, n)"
        body_params = [*everything[1], *from_sample_params]
    else:
        top_sql, top_params = top
        body = (
            f"({every} WHERE (SELECT n FROM counted) < %s"
            f" UNION ALL SELECT {names}, 0, NULL FROM ({top_sql}) t"
            f" WHERE (SELECT n FROM counted) >= %s{not_sampled}{from_sample})"
            f" found ({names}, later, n)"
        )
        body_params = [*everything[1], limit, *top_params, limit, *from_sample_params]
    sql = (
        f"WITH {', '.join(ctes)} SELECT {picked}, total FROM ("
        f"SELECT {names}, later, {total} AS total FROM {body}) found"
    )
    return sql, [*params, *total_params, *body_params]


def _estimate(connection, matches):
    """(SQL, params) of a scalar subquery: how many rows `matches` (SQL, params) has, from
    the rows it finds in a repeatable sample of about 5,000 rows of the table, scaled."""
    pct = _estimate_percent(connection)
    table = connection.ops.quote_name(Service._meta.db_table)
    sample, params = _sampled(table, matches, pct)
    return f"(SELECT round(COUNT(*) * 100 / {pct}) FROM ({sample}) s)", params


def _sampled(table, statement, percent):
    """`statement` (SQL, params) reading the table's rows in a repeatable block sample of
    `percent` (SQL) of it."""
    sql, params = statement
    sample = f"FROM {table} TABLESAMPLE SYSTEM ({percent}) REPEATABLE (0)"
    return sql.replace(f"FROM {table}", sample, 1), params


def _rum_top(connection, search, found, columns, needed):
    """(SQL, params) of the best `needed` matches in the RUM index's order, or None (no RUM
    index; ordered by distance; or the words as typed, or names similar to them, ranked
    before what corrected words added, which the index cannot order).

    Their `rank` is the index's own score (minus its distance), not ts_rank: the two orders
    differ (115 of the best 200 in common for "youth club" at 1,000,000 services), and the
    best `needed` by one order, ranked by the other, are not the first `needed` of it, so
    pages cut from them repeated services and skipped others."""
    spelling = search.spelling or AS_TYPED
    q = search.keywords
    if search.point is not None:  # ordered by distance first: the index's order is no help
        return None
    corrected_alone = spelling.corrected and spelling.unmatched
    if not q or (spelling.typo and not corrected_alone) or not has_rum(connection):
        return None
    ordered_by = SearchQuery(spelling.corrected or q, config="english", search_type="websearch")
    distance = Func(
        F("search_document"),
        ordered_by,
        arg_joiner=" <=> ",
        template="(%(expressions)s)",
        output_field=FloatField(),
    )
    scored = found.annotate(_distance=distance, _score=-F("_distance")).order_by("_distance")
    picked = [("_score" if c == "rank" else c) for c in columns]
    sql, params = scored.values_list(*picked).query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(
        f"{quote('_score')} AS {quote(c)}" if c == "rank" else quote(c) for c in columns
    )
    # WITH TIES: every match as close as the last, so that the page's order (ties by name and
    # id) is cut from all of them; ordered by more than the distance, PostgreSQL reads every
    # match through GIN and sorts them instead of reading the RUM index in order.
    return f"SELECT {names} FROM ({sql} FETCH FIRST %s ROWS WITH TIES) best", (*params, needed)


def _select(queryset, columns):
    """The SQL of `queryset` giving these columns (aliased by name), without its ordering."""
    return queryset.order_by().values_list(*columns).query.sql_with_params()


def _order_sql(connection, order_by):
    """The search's ordering ("name", "pk", F(...).asc()/.desc()) over the columns of the
    page's subquery."""
    parts = []
    for item in order_by:
        if isinstance(item, str):
            name, descending, nulls_last = item.lstrip("-"), item.startswith("-"), False
        else:
            name, descending, nulls_last = item.expression.name, item.descending, item.nulls_last
        parts.append(
            connection.ops.quote_name(name)
            + (" DESC" if descending else " ASC")
            + (" NULLS LAST" if nulls_last else "")
        )
    return ", ".join(parts)

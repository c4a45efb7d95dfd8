"""Pages of a search: the ranked page with its total, the spelling decided on the way, and
the public page's paginator (ranked results stop after MOST_PAGES pages)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from directory.search.ranking import AS_TYPED, TYPO_THRESHOLD, About

PAGE_SIZE = 20
# Ranked or measured results stop after this many pages: "More than 1,000 results" (near a
# postcode at any distance, counting stops there too).
MOST_PAGES = 50


def search_page(
    search, *, start: int, size: int, last_page: bool = False, count_up_to: int | None = None
) -> tuple[int, list[tuple[int, dict]], str]:
    """One page of a ranked or measured `search` (a SearchFilterSet, valid): (total,
    [(pk, {"rank": ..., "distance_sq": ...}), ...], corrected) in result order, where
    `corrected` is the corrected words that joined the search ("" when none did, or when on
    the first page they found nothing the words as typed had not). A page past the end is
    an empty list, with the total still right; with `last_page`, the last page.

    Without a spelling decided, a first page searches the words as typed. A total of
    TYPO_THRESHOLD or more settles it (the words alone, without the filters, find at least
    as many), so most searches are one statement; below it, the ranker's spelling check
    decides, and a misspelt search is run again with its corrections or similar names. A
    later page asks the spelling check first.

    With `count_up_to`, a total above it is given as count_up_to + 1 ("more than"); the
    last page is then the one holding the count_up_to-th."""
    ranker = search.ranker
    q = search.keywords
    if search.spelling is None and start:
        search.spelling = ranker.spelling(q) if q else AS_TYPED
    if search.spelling is None:
        search.spelling = AS_TYPED
        total, rows = ranker.page(search, start, size, count_up_to)
        if total < TYPO_THRESHOLD and q:
            spelling = ranker.spelling(q)
            if spelling.typo:
                as_typed = total
                search.spelling = spelling
                total, rows = ranker.page(search, start, size, count_up_to)
                if spelling.corrected and 0 < total == as_typed:
                    # They found nothing the words had not: say nothing about them.
                    return _last(search, total, rows, size, last_page, count_up_to, "")
    else:
        total, rows = ranker.page(search, start, size, count_up_to)
    return _last(search, total, rows, size, last_page, count_up_to, search.spelling.corrected)


def _last(search, total, rows, size, last_page, count_up_to, corrected):
    if last_page and not rows and total:
        shown = total if count_up_to is None else min(total, count_up_to)
        total, rows = search.ranker.page(search, (shown - 1) // size * size, size, count_up_to)
    return total, rows, corrected


@dataclass
class ResultsPage:
    """What the public page shows: the paginator and page (page.object_list: service ids in
    order), each id's distance_sq (None where not measured), the corrected words, and
    whether there were more than MOST_PAGES pages (then the pages stop there), with `about`
    the estimated total when one was made (ranking.About; 0 otherwise)."""

    paginator: Paginator
    page: Page
    distances: dict
    corrected: str
    more: bool
    about: int = 0


def results_page(search, number: int) -> ResultsPage:
    """Page `number` of a valid search (a page past the end shows the last page). Ranked or
    measured searches go through search_page (one narrow statement; two more when the
    words find few services); the others are a count and a slice of ids, by name (in a
    large table, the count is estimated past MOST_PAGES pages and the pages stop there:
    ranker.count)."""
    most = MOST_PAGES * PAGE_SIZE
    if not search.ranked:
        ids = search.qs.values_list("pk", flat=True)
        total = search.ranker.count(ids, most)
        if not isinstance(total, About):  # every page, as many as there are
            paginator = Paginator(ids, PAGE_SIZE)
            paginator.count = total  # counted already
            page = paginator.get_page(number)
            return ResultsPage(paginator, page, dict.fromkeys(page.object_list), "", False)
        # A large table: an estimate, and the pages stop at MOST_PAGES as ranked ones do.
        paginator = Paginator(range(most), PAGE_SIZE)
        page = paginator.get_page(min(number, MOST_PAGES))
        page.object_list = list(ids[page.start_index() - 1 : page.end_index()])
        return ResultsPage(paginator, page, dict.fromkeys(page.object_list), "", True, total)
    number = min(number, MOST_PAGES)
    total, found, corrected = search_page(
        search,
        start=(number - 1) * PAGE_SIZE,
        size=PAGE_SIZE,
        last_page=True,
        count_up_to=most,
    )
    paginator = Paginator(range(min(total, most)), PAGE_SIZE)  # no COUNT query
    page = paginator.get_page(number)  # past the end: the last page, as search_page gave
    page.object_list = [pk for pk, _ in found]
    distances = {pk: values.get("distance_sq") for pk, values in found}
    about = total if isinstance(total, About) else 0
    return ResultsPage(paginator, page, distances, corrected, total > most, about)

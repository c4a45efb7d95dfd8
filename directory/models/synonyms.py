"""Words residents use that listings don't: officers say what to search for instead."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

MAX_TERM_WORDS = 3


def tidy_words(text: str) -> str:
    """Lower case, single spaces, no apostrophes ("Men's  Shed" -> "mens shed")."""
    return " ".join(text.replace("'", "").replace("\u2019", "").lower().split())


class SearchSynonym(models.Model):
    """When a search finds few services and its words include `term` ("toddler", "help with
    bills"), the search also looks for `search_for` ("stay and play", "money advice") and says
    so ("Including results for ..."). directory.search.synonyms reads them."""

    term = models.CharField(
        "when someone searches for",
        max_length=100,
        help_text="A word or phrase of up to 3 words residents use, for example toddler or bills",
    )
    search_for = models.CharField(
        "also search for",
        max_length=200,
        help_text="Words listings use, for example stay and play or money advice",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = "search synonym"
        constraints = [
            models.UniqueConstraint(Lower("term"), name="directory_searchsynonym_unique_term"),
            models.CheckConstraint(
                condition=~models.Q(term="") & ~models.Q(search_for=""),
                name="directory_searchsynonym_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.term} -> {self.search_for}"

    def clean(self):
        self.term = tidy_words(self.term)
        self.search_for = " ".join(self.search_for.split())
        if len(self.term.split()) > MAX_TERM_WORDS:
            raise ValidationError({"term": f"Use {MAX_TERM_WORDS} words or fewer"})
        if self.term and tidy_words(self.search_for) == self.term:
            raise ValidationError({"search_for": "Give different words from the search"})
        duplicate = SearchSynonym.objects.filter(term__iexact=self.term).exclude(pk=self.pk)
        if self.term and duplicate.exists():
            raise ValidationError({"term": "There is already a synonym for these words"})

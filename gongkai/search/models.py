"""The search index and its dictionary.

The full-text structures are not Django fields: migration 0002 adds them per database —
on PostgreSQL a stored generated `tsv` column with a GIN index, on SQLite an FTS5 table kept in
step by triggers. A later migration that rebuilds `search_searchdocument` on SQLite (Django
remakes the table for most field changes) drops those triggers: rerun
`gongkai search reindex`, which recreates them (backends.sqlite.SqliteBackend.ensure_schema).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import Column, Item
from gongkai.core.models import Agency


class SearchDocument(models.Model):
    """One public item as the search index sees it: the segmented text and the filters."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # Copies of the item's fields (an item's agency and column do not change once published);
    # no foreign-key constraints, so bulk loads check one key instead of three.
    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    column = models.ForeignKey(
        Column, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    genre = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(help_text="Year of publication (China time).")
    published_at = models.DateTimeField()
    title_seg = models.TextField(help_text="Segmented title and document number.")
    body_seg = models.TextField(help_text="Segmented summary, body and attachments' text.")
    dict_version = models.PositiveIntegerField(
        help_text="The dictionary version the text was segmented with."
    )
    indexed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["-published_at", "-item"], name="search_doc_date_idx"),
            models.Index(
                fields=["agency", "-published_at", "-item"], name="search_doc_agency_date_idx"
            ),
            models.Index(fields=["dict_version"], name="search_doc_version_idx"),
        ]

    def __str__(self) -> str:
        return str(self.item_id)


class SearchTerm(models.Model):
    """A word of the project's search dictionary that staff added (地名, 专有名词 …)."""

    word = models.CharField(_("word"), max_length=30, unique=True)
    version = models.PositiveIntegerField(
        _("dictionary version"), editable=False, help_text=_("The version that added the word.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("search dictionary word")
        verbose_name_plural = _("search dictionary")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SearchDictionary(models.Model):
    """One row: the dictionary's version, raised by every change of the staff's words.

    `indexed_version`: every document has been segmented with at least this version (set when
    a reindex leaves nothing stale). Words added after it are searched by their bigrams too.
    """

    version = models.PositiveIntegerField(default=1)
    indexed_version = models.PositiveIntegerField(default=1)
    # Changes with every version: a process compares it to know whether its segmenter is
    # current (a version number alone can come back after a rolled-back change).
    stamp = models.CharField(max_length=32, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search dictionary version")
        verbose_name_plural = _("search dictionary versions")

    def __str__(self) -> str:
        return f"v{self.version}"

    @classmethod
    def load(cls) -> "SearchDictionary":
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _created = cls.objects.get_or_create(pk=1)
        return row

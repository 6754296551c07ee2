"""The public search form. Every field is optional and a value that names nothing is ignored:
a search page answers any query string with a page, never an error."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.taxonomy import Genre

from .backends.base import DATE, RELEVANCE
from .segment import MAX_QUERY_LENGTH

FIRST_YEAR = 2008  # 《政府信息公开条例》 took effect on 1 May 2008


def year_choices():
    return [("", _("Any year"))] + [
        (str(year), str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)
    ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False)
    agency = forms.SlugField(label=_("Agency"), required=False)
    column = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    genre = forms.ChoiceField(
        label=_("Genre"), required=False, choices=[("", _("Any genre")), *Genre.choices]
    )
    year = forms.TypedChoiceField(
        label=_("Year of publication"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=year_choices,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(RELEVANCE, _("Relevance")), (DATE, _("Newest first"))],
    )
    page = forms.IntegerField(required=False, min_value=1)

    def values(self) -> dict:
        """The valid fields' values; invalid ones fall back to their defaults."""
        cleaned = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data then holds the fields that are valid
            cleaned = self.cleaned_data
        data = {name: cleaned.get(name) for name in self.fields}
        data["q"] = " ".join((data["q"] or "").split())[:MAX_QUERY_LENGTH]
        data["sort"] = data["sort"] or RELEVANCE
        data["page"] = data["page"] or 1
        data["genre"] = data["genre"] or ""
        return data

"""Forms of the catalogue's staff pages. They only parse input: the services validate and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import add_service_errors  # noqa: F401 (re-exported)

from .models import Channel, Column, Item, ItemStatus
from .taxonomy import ChannelKind, ColumnType, Genre, PrivacyOverrideReason

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


ANY = _("(any)")


def column_label(column: Column) -> str:
    return f"{column.parent.name} › {column.name}" if column.parent_id else column.name


def _choices_with_blank(choices, blank=ANY):
    return [("", blank), *choices]


# --- columns and channels ----------------------------------------------------------------


class ColumnCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    column_type = forms.ChoiceField(label=_("Column type"), choices=ColumnType.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent column"),
        queryset=Column.objects.none(),
        required=False,
        empty_label=_("(top level)"),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = columns


class ColumnUpdateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    column_type = forms.ChoiceField(label=_("Column type"), choices=ColumnType.choices)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class CatalogueSettingsForm(forms.Form):
    """The agency's catalogue settings; services.catalogue_settings_update checks the pattern."""

    index_pattern = forms.CharField(
        label=_("index number pattern"),
        max_length=100,
        help_text=_(
            "Tokens: {统一社会信用代码}, {YYYY} (year), {NNNNN} (serial; one N per digit)."
        ),
    )


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Channel type"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    account = forms.CharField(label=_("Account"), max_length=100, required=False)
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")


class PublicationForm(forms.Form):
    prefix = "publication"

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none())
    published_on = forms.DateField(label=_("Publication date"), widget=DATE_WIDGET)
    url = forms.URLField(
        label=_("Web address"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels


# --- items -------------------------------------------------------------------------------

ITEM_FORM_FIELDS = [
    "column",
    "title",
    "document_number",
    "publisher",
    "formed_on",
    "topic",
    "genre",
    "summary",
    "body",
    "validity",
    "valid_from",
    "invalid_on",
    "disclosure_mode",
    "non_disclosure_ground",
    "scope",
]


class ItemForm(forms.ModelForm):
    """The item's metadata and body. Parsing only: `item_create`/`item_update` validate and save
    (the body is sanitised there), so the model-level clean of a ModelForm is skipped."""

    class Meta:
        model = Item
        fields = ITEM_FORM_FIELDS
        widgets = {
            "formed_on": DATE_WIDGET,
            "valid_from": DATE_WIDGET,
            "invalid_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16, "class": "body-editor"}),
        }
        help_texts = {
            "body": _(
                "Simple HTML is kept (paragraphs, headings, lists, tables, links); anything "
                "else is removed when the item is saved."
            ),
            "publisher": _("Leave empty to use the agency's name."),
        }

    # Asked the other way round (a checkbox left out of a post means "on the website").
    other_channels_only = forms.BooleanField(
        label=_("Published on other channels only (not on the website)"),
        required=False,
        help_text=_(
            "For a 政务微博 post or a 政务微信 article: it counts in the annual report, and the "
            "website does not list it."
        ),
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["other_channels_only"].initial = not self.instance.on_website
        self.fields["column"].queryset = columns.select_related("parent")
        self.fields["column"].label_from_instance = column_label
        self.fields["column"].empty_label = None

    def _post_clean(self):
        # No construct_instance / full_clean: the service owns validation and saving.
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ITEM_FORM_FIELDS}
        data["on_website"] = not self.cleaned_data["other_channels_only"]
        return data


class ItemFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Title or index number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    column = forms.ModelChoiceField(
        label=_("Column"), queryset=Column.objects.none(), required=False, empty_label=ANY
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_choices_with_blank(ItemStatus.choices), required=False
    )
    year = forms.TypedChoiceField(
        label=_("Year of formation"), coerce=int, required=False, empty_value=None
    )
    genre = forms.ChoiceField(
        label=_("Genre"), choices=_choices_with_blank(Genre.choices), required=False
    )
    formed_from = forms.DateField(label=_("Formed from"), required=False, widget=DATE_WIDGET)
    formed_to = forms.DateField(label=_("Formed until"), required=False, widget=DATE_WIDGET)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    returned = forms.BooleanField(label=_("Returned for changes only"), required=False)
    # the column header the list is sorted by ("-" first: descending); kept in a hidden field
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, columns, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns.select_related("parent")
        self.fields["column"].label_from_instance = column_label
        self.fields["year"].choices = _choices_with_blank([(y, str(y)) for y in years])


class AttachmentForm(forms.Form):
    prefix = "upload"

    file = forms.FileField(label=_("File"))


class BulkForm(forms.Form):
    """Several items of the list, one action for each."""

    items = forms.TypedMultipleChoiceField(coerce=int, choices=())
    action = forms.ChoiceField(choices=[("submit", "submit"), ("withdraw", "withdraw")])
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=500, required=False)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # any id is accepted here; the scoped selector decides which items exist for the user
        self.fields["items"].valid_value = lambda value: str(value).isdigit()


# --- imports -----------------------------------------------------------------------------

# CSV (or tab-separated text) and Excel. .xls is let through so that the import can explain that
# the old format must be saved again as .xlsx.
IMPORT_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.GONGKAI_ATTACHMENT_MAX_BYTES
        if file.size > limit:
            raise ValidationError(
                _("The file is %(size).1f MB; it may be at most %(limit).0f MB.")
                % {"size": file.size / 2**20, "limit": limit / 2**20},
                code="too_large",
            )
        if not file.name.lower().endswith(IMPORT_EXTENSIONS):
            raise ValidationError(_("Choose a CSV or Excel (.xlsx) file."), code="file_type")
        return file


class ImportConfirmForm(forms.Form):
    """Which preview the user confirms: the SHA-256 of its file, checked against the session."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


# --- workflow actions --------------------------------------------------------------------


class SubmitForm(forms.Form):
    prefix = "submit"

    request_override = forms.BooleanField(
        label=_(
            "Submit with the personal data and ask the reviewer to allow it (disciplinary "
            "notices, mandatory disclosure)"
        ),
        required=False,
    )


class ReturnForm(forms.Form):
    prefix = "return"

    comment = forms.CharField(
        label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ApproveForm(forms.Form):
    prefix = "approve"

    check_secrecy = forms.BooleanField(label=_("Secrecy review done"), required=False)
    check_privacy = forms.BooleanField(label=_("Personal privacy checked"), required=False)
    check_wording = forms.BooleanField(label=_("Wording checked for accuracy"), required=False)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    scheduled_at = forms.DateTimeField(
        label=_("Scheduled publication (optional)"), widget=DATETIME_WIDGET, required=False
    )
    publish_now = forms.BooleanField(label=_("Publish now"), required=False)
    privacy_override = forms.ChoiceField(
        label=_("Reason to publish despite the findings"),
        choices=_choices_with_blank(PrivacyOverrideReason.choices, blank=_("(none)")),
        required=False,
    )
    privacy_override_note = forms.CharField(
        label=_("Note on the override"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # Shown only when the wording check found something (gongkai.wording).
    acknowledge_wording = forms.BooleanField(
        label=_("I have read each miswritten-term finding: each is intended"), required=False
    )


class WithdrawForm(forms.Form):
    prefix = "withdraw"

    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

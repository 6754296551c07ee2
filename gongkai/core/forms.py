from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from .converters import YEAR_MAX, YEAR_MIN
from .notice import NoticeError, read_notice


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to its fields where the form has them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class WorkdayCalculatorForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Start date (not counted)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Working days"), min_value=0, max_value=400, initial=20
    )

    def clean_start(self):
        # 400 working days after 9999-12-31 have no date (it answered 500)
        start = self.cleaned_data["start"]
        if not YEAR_MIN <= start.year <= YEAR_MAX:
            raise ValidationError(
                gettext_lazy("Enter a date between %(first)d and %(last)d."),
                code="out_of_range",
                params={"first": YEAR_MIN, "last": YEAR_MAX},
            )
        return start


class NoticePasteForm(forms.Form):
    """The State Council's notice pasted as text (or a web page's HTML), read on validation."""

    text = forms.CharField(
        label=gettext_lazy("Paste the State Council General Office's notice"),
        help_text=gettext_lazy(
            "The whole notice, from its title (国务院办公厅关于YYYY年部分节假日安排的通知) to its "
            "date; the numbered lines are read, the rest is ignored."
        ),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            self.notice = read_notice(text)
        except NoticeError as exc:
            raise ValidationError(exc.messages, code="notice") from None
        return text

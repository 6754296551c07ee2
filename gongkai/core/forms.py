from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
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


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, authenticating through the lockout-aware service."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        try:
            self.user_cache = services.login_attempt(
                request=self.request, username=username, password=password
            )
        except services.LoginLocked as locked:
            until = timezone.localtime(locked.until)
            raise ValidationError(
                _(
                    "Too many failed logins for this account. It is locked until %(time)s; "
                    "try again then or ask your agency administrator."
                )
                % {"time": date_format(until, "Y-m-d H:i")},
                code="locked",
            ) from None
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class WorkdayCalculatorForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Start date (not counted)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Working days"), min_value=0, max_value=400, initial=20
    )


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

"""/staff/wording/: the term list (built-in and the administrator's), a text tried against it,
and, for platform administrators, adding and switching off their own terms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core import permissions as core_permissions
from gongkai.core.forms import add_service_errors

from . import services
from .check import builtin_terms, find_wording
from .forms import TermForm, TryForm
from .models import TermCategory, WordingTerm
from .selectors import platform_terms


@require_http_methods(["GET", "POST"])
@login_required
def terms(request):
    if not core_permissions.can_use_staff_pages(request.user):
        raise PermissionDenied
    can_change = services.can_change_terms(request.user)
    form = TermForm() if can_change else None
    if request.method == "POST":
        # The list is shared by every agency: only platform administrators may post to it.
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        if action in ("activate", "deactivate"):
            term = get_object_or_404(WordingTerm, pk=request.POST.get("term"))
            services.wording_term_set_active(
                actor=request.user, term=term, active=action == "activate"
            )
            messages.success(request, _("The term list has been updated."))
            return redirect("wording:terms")
        form = TermForm(request.POST)
        if form.is_valid():
            try:
                services.wording_term_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The term has been added."))
                return redirect("wording:terms")
    try_form = TryForm(request.GET or None)
    tried = None
    if try_form.is_valid():
        text = try_form.cleaned_data["text"]
        tried = [
            {
                "finding": f,
                "before": text[max(0, f.start - 12) : f.start],
                "after": text[f.end : f.end + 12],
            }
            for f in find_wording(text, terms=platform_terms())
        ]
    builtin = builtin_terms()
    labels = dict(TermCategory.choices)
    categories = [
        {"label": labels.get(key, key), "terms": [t for t in builtin if t.category == key]}
        for key in dict.fromkeys(t.category for t in builtin)
    ]
    return render(
        request,
        "wording/terms.html",
        {
            "form": form,
            "can_change": can_change,
            "admin_terms": WordingTerm.objects.order_by("-is_active", "correct"),
            "categories": categories,
            "builtin_count": len(builtin),
            "try_form": try_form,
            "tried": tried,
        },
    )

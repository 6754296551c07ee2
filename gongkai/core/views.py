from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import permissions, selectors
from .audit_display import audit_lines
from .forms import WorkdayCalculatorForm
from .models import Agency, CalendarYear
from .workdays import CalendarYearMissing


def staff_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.can_use_staff_pages(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _visible_agency(request, pk: int) -> Agency:
    # Another agency's records answer 404, not 403: staff must not learn what exists elsewhere.
    return get_object_or_404(selectors.agencies_visible_to(request.user), pk=pk)


@require_GET
@staff_required
def staff_home(request):
    return render(
        request,
        "core/staff_home.html",
        {
            "memberships": selectors.roles_by_agency(request.user),
            "supervised": selectors.agencies_visible_to(request.user),
            "can_change_calendar": permissions.can_change_calendar(request.user),
        },
    )


@require_GET
@staff_required
def agency_detail(request, pk: int):
    agency = _visible_agency(request, pk)
    return render(
        request,
        "core/agency_detail.html",
        {
            "agency": agency,
            "children": selectors.agencies_visible_to(request.user).filter(parent=agency),
            "memberships": selectors.memberships_visible_to(request.user).filter(agency=agency),
            "can_view_audit": permissions.can_view_audit(request.user, agency),
            "can_change": permissions.can_change_agency(request.user, agency),
        },
    )


@require_GET
@staff_required
def agency_audit(request, pk: int):
    agency = _visible_agency(request, pk)
    if not permissions.can_view_audit(request.user, agency):
        raise Http404
    events = selectors.audit_events_visible_to(request.user, agency=agency)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/agency_audit.html",
        {"agency": agency, "page": page, "lines": audit_lines(page)},
    )


@require_GET
@staff_required
def calendar(request):
    form = WorkdayCalculatorForm(request.GET or None)
    result = error = None
    if form.is_valid():
        from .workdays import add_workdays

        try:
            result = add_workdays(form.cleaned_data["start"], form.cleaned_data["days"])
        except CalendarYearMissing as exc:
            error = str(exc)
    return render(
        request,
        "core/calendar.html",
        {
            "form": form,
            "result": result,
            "error": error,
            "years": CalendarYear.objects.all(),
            "can_change_calendar": permissions.can_change_calendar(request.user),
        },
    )

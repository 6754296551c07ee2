from calendar import Calendar as MonthCalendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from . import permissions, selectors, services
from .audit_display import audit_lines
from .desk import build_desk
from .forms import NoticePasteForm, WorkdayCalculatorForm, add_service_errors
from .models import Agency, CalendarYear
from .notice import NoticeSchedule
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
    """The desk (工作台): what needs doing now for the user's roles, each count a link to the
    list that shows those rows (the cards are the apps' declarations, core/desk.py)."""
    desk = build_desk(request.user, today=timezone.localdate())
    return render(
        request,
        "core/staff_home.html",
        {
            "desk": desk,
            "memberships": desk.agencies,
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


def _notice_months(notice: NoticeSchedule) -> list[dict]:
    """The notice's year as 12 month tables, Monday first, each day marked off / worked."""
    off = dict(notice.holidays)
    worked = dict(notice.workdays)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in MonthCalendar(firstweekday=0).monthdatescalendar(notice.year, month):
            cells: list[dict[str, object] | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                elif day in off:
                    cells.append({"day": day, "kind": "off", "name": off[day]})
                elif day in worked:
                    cells.append({"day": day, "kind": "work", "name": worked[day]})
                else:
                    cells.append({"day": day, "kind": "weekend" if day.weekday() >= 5 else ""})
            weeks.append(cells)
        months.append({"first": date(notice.year, month, 1), "weeks": weeks})
    return months


def _notice_preview(notice: NoticeSchedule) -> dict:
    holidays, workdays = notice.to_schedule()
    return {
        "notice": notice,
        "months": _notice_months(notice),
        "weekdays_off": holidays,
        "weekends_worked": workdays,
        "other_years": notice.other_years(),
        "existing": CalendarYear.objects.filter(year=notice.year).first(),
    }


@require_http_methods(["GET", "POST"])
@staff_required
def calendar(request):
    can_change = permissions.can_change_calendar(request.user)
    notice_form = preview = None
    if request.method == "POST":
        # the calendar is shared by every agency: only its keepers may post to it
        if not can_change:
            raise PermissionDenied
        notice_form = NoticePasteForm(request.POST)
        if notice_form.is_valid():
            if request.POST.get("action") == "save":
                try:
                    saved = services.calendar_year_set_from_notice(
                        actor=request.user, text=notice_form.cleaned_data["text"]
                    )
                except ValidationError as exc:
                    add_service_errors(notice_form, exc)
                else:
                    messages.success(
                        request,
                        _("The %(year)d holiday schedule has been entered from the notice.")
                        % {"year": saved.year},
                    )
                    moved = getattr(saved, "recomputed", [])
                    if moved:
                        messages.info(
                            request,
                            ngettext(
                                "%(n)d due date that waited for it was recomputed: %(list)s",
                                "%(n)d due dates that waited for it were recomputed: %(list)s",
                                len(moved),
                            )
                            % {"n": len(moved), "list": "；".join(m.label for m in moved)},
                        )
                    return redirect("core:calendar")
            else:
                preview = _notice_preview(notice_form.notice)
    elif can_change:
        notice_form = NoticePasteForm()

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
            "can_change_calendar": can_change,
            "notice_form": notice_form,
            "preview": preview,
        },
    )

"""Seed the working-day calendar from the chinesecalendar package (2004–2026)."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.core.workdays import PACKAGE_SOURCE, package_schedules

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for year, (holidays, workdays) in sorted(package_schedules().items()):
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year = CalendarYear.objects.create(year=year, is_complete=True, source=PACKAGE_SOURCE)
        CalendarDay.objects.bulk_create(
            [CalendarDay(calendar_year=calendar_year, date=d, kind="holiday", name=n) for d, n in holidays]
            + [CalendarDay(calendar_year=calendar_year, date=d, kind="workday", name=n) for d, n in workdays]
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

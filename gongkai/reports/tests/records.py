"""Applications written straight to the table for the report tests (no workflow, no events):
what the report selectors read is the receipt, conclusion and due dates and the outcome."""

from datetime import date
from itertools import count

from gongkai.applications.models import Application

_numbers = count(1)


def make_application(
    agency,
    *,
    received: date,
    concluded: date | None = None,
    due: date | None = None,
    outcome: str = "",
) -> Application:
    return Application.objects.create(
        agency=agency,
        number=f"T-{next(_numbers):05d}",
        year=received.year,
        status="concluded" if concluded else "processing",
        channel="online",
        applicant_type="natural_person",
        applicant_name="王小明",
        id_type="resident_id",
        id_number="330902199001011238",
        phone="13800138000",
        information="海塘加固工程的招标文件",
        delivery="email",
        received_on=received,
        due_on=due,
        outcome=outcome,
        concluded_on=concluded,
    )

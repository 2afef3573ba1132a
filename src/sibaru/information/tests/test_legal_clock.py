"""One legal clock from receipt (UU 14/2008 Pasal 22(7)–(8)): handing a request to the unit never restarts it,
so a request assigned late stays overdue and an extension granted before the hand-over is kept."""

from datetime import date

import pytest

from sibaru.core import calendar
from sibaru.core.models import Case
from sibaru.information import selectors, services

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 8)  # 10 working days after 17 March 2026, past Nyepi, Idul Fitri and cuti bersama


def test_a_request_assigned_after_its_deadline_stays_overdue(submit, clock, ppid, people, orgs, client):
    clock(2026, 3, 17)
    case, _token = submit()
    clock(2026, 4, 15)

    services.info_request_assign(request=case.information_request, user=ppid["officer"], unit=orgs["unit"])

    case.refresh_from_db()
    assert (case.state, case.handler) == ("in_process", orgs["unit"])
    # Not "due today": the deadline counted from receipt, which has passed.
    assert (case.due_start, case.due_days, case.due_date) == (date(2026, 3, 17), 10, DUE)
    assert Case.objects.filter(pk=case.pk, due_date__lt=date(2026, 4, 15)).exists()
    assert selectors.request_clock(case.information_request, today=date(2026, 4, 15)).status == "overdue"
    assert "10 hari kerja sejak 17 Maret 2026" in calendar.explain_due(case.due_start, case.due_days,
                                                                      case.due_day_type, "id")
    # The unit that now holds it sees it late.
    client.force_login(people["unit_officer"])
    page = client.get(f"/kerja/kasus/{case.tracking_code}/").content.decode()
    assert "8 Apr 2026" in page and "Terlambat" in page


def test_an_extension_granted_before_the_hand_over_is_kept(submit, clock, ppid, orgs):
    clock(2026, 3, 17)
    case, _token = submit()
    info = case.information_request
    clock(2026, 3, 26)
    services.info_request_extend(request=info, user=ppid["officer"], reason="Informasi tersebar di tiga unit.")
    clock(2026, 4, 13)

    services.info_request_assign(request=info, user=ppid["officer"], unit=orgs["unit"])

    case.refresh_from_db()
    assert (case.due_start, case.due_date, case.extended_due_date) == (date(2026, 3, 17), DUE, date(2026, 4, 17))
    info.refresh_from_db()
    assert selectors.request_clock(info, today=date(2026, 4, 13)).status == "on_time"

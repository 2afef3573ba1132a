"""The working-day calendar: 2026 holidays and cuti bersama, overrides, explanations, recompute, admin.

Expected dates are counted by hand from the SKB 3 Menteri 2026 (domain.md §6.4), not taken from the code.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import path
from django.utils import timezone, translation

from sibaru.core import calendar
from sibaru.core.calendar import (
    add_calendar_days,
    add_days,
    add_working_days,
    due_dates_recompute,
    explain_due,
    get_calendar,
    is_working_day,
    non_working_days_between,
    working_day_override_delete,
    working_day_override_save,
    working_days_between,
)
from sibaru.core.events import verify_chain
from sibaru.core.models import Case, Event, WorkingDayOverride

WORKING = "working"

NATIONAL_2026 = [
    date(2026, 1, 1), date(2026, 1, 16), date(2026, 2, 17), date(2026, 3, 19), date(2026, 3, 21),
    date(2026, 3, 22), date(2026, 4, 3), date(2026, 4, 5), date(2026, 5, 1), date(2026, 5, 14),
    date(2026, 5, 27), date(2026, 5, 31), date(2026, 6, 1), date(2026, 6, 16), date(2026, 8, 17),
    date(2026, 8, 25), date(2026, 12, 25),
]  # fmt: skip
CUTI_BERSAMA_2026 = [
    date(2026, 2, 16), date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24),
    date(2026, 5, 15), date(2026, 5, 28), date(2026, 12, 24),
]  # fmt: skip


def save_override(day, *, working, name="Keputusan uji", decree="SKB 3 Menteri No. 1/2026"):
    return working_day_override_save(date=day, is_working_day=working, name=name, decree=decree, user=None)


# --- The 2026 calendar -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_2026_has_the_decree_s_17_national_holidays_and_8_days_of_cuti_bersama():
    days_2026 = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    package = calendar._package_holidays(2026)
    assert sorted(package) == sorted(NATIONAL_2026 + CUTI_BERSAMA_2026)
    weekday_holidays = {d for d in NATIONAL_2026 + CUTI_BERSAMA_2026 if d.weekday() < 5}
    assert [d for d in days_2026 if d.weekday() < 5 and not is_working_day(d)] == sorted(weekday_holidays)


@pytest.mark.django_db
def test_nyepi_and_the_cuti_bersama_around_it_are_not_working_days():
    assert is_working_day(date(2026, 3, 17))
    assert not is_working_day(date(2026, 3, 18))  # cuti bersama Nyepi
    assert not is_working_day(date(2026, 3, 19))  # Hari Suci Nyepi
    assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    names = {d.date: d.names for d in non_working_days_between(date(2026, 3, 17), date(2026, 3, 19), "id")}
    assert names == {date(2026, 3, 18): ("Cuti Bersama Hari Suci Nyepi",), date(2026, 3, 19): ("Hari Suci Nyepi",)}


@pytest.mark.django_db
def test_ten_working_days_across_idul_fitri_2026():
    # 18–24 March off (Nyepi, Idul Fitri, cuti bersama), 3 April Good Friday: 25,26,27,30,31 Mar, 1,2,6,7,8 Apr.
    assert add_working_days(date(2026, 3, 17), 10) == date(2026, 4, 8)
    # From Friday 13 March: 16, 17 March, then 25 March onwards.
    assert add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 6)


@pytest.mark.django_db
def test_a_request_received_on_a_holiday_weekend_counts_from_that_day():
    # Saturday 21 March 2026 is Idul Fitri: the first working day after it (25 March) is day 1.
    assert add_working_days(date(2026, 3, 21), 1) == date(2026, 3, 25)
    assert add_working_days(date(2026, 3, 21), 10) == date(2026, 4, 8)
    assert add_days(date(2026, 3, 21), 10, WORKING) == date(2026, 4, 8)


@pytest.mark.django_db
def test_the_count_starts_from_the_date_in_jakarta_not_in_utc():
    received = datetime(2026, 3, 16, 18, 0, tzinfo=UTC)  # 17 March 01:00 in Jakarta
    assert add_working_days(received, 10) == date(2026, 4, 8)
    assert add_working_days(date(2026, 3, 16), 10) == date(2026, 4, 7)


@pytest.mark.django_db
def test_deadlines_cross_christmas_and_the_new_year():
    # 24 Dec cuti bersama, 25 Dec Christmas, 1 Jan 2027 New Year, 5 Jan 2027 Isra Mikraj (package estimate).
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 23), 6) == date(2027, 1, 6)
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 6)) == 6


@pytest.mark.django_db
def test_calendar_days_ignore_holidays():
    assert add_calendar_days(date(2026, 3, 17), 14) == date(2026, 3, 31)
    assert add_days(date(2026, 3, 17), 14, "calendar") == date(2026, 3, 31)
    with pytest.raises(ValueError):
        add_days(date(2026, 3, 17), 14, "lunar")


@pytest.mark.django_db
def test_working_days_between_is_the_inverse_of_add_working_days():
    wall_calendar = get_calendar()  # one snapshot: thousands of day checks without a cache read each

    def naive_add(start, n):  # day by day, as a person with a wall calendar would count
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            counted += wall_calendar.is_working_day(day)
        return day

    for offset in range(0, 420, 3):  # March 2026 to April 2027, every weekday and holiday kind
        start = date(2026, 3, 1) + timedelta(days=offset)
        for n in (0, 1, 2, 3, 5, 7, 10, 14, 30, 60):
            due = add_working_days(start, n)
            assert due == naive_add(start, n), (start, n)
            assert working_days_between(start, due) == n, (start, n)
            if n:
                assert is_working_day(due)
                assert working_days_between(start, due - timedelta(days=1)) == n - 1
    assert working_days_between(date(2026, 4, 8), date(2026, 3, 17)) == -10


# --- Overrides and the cache ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_override_that_adds_a_holiday_moves_the_deadline_at_once():
    assert add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 6)
    save_override(date(2026, 4, 6), working=False, name="Libur tambahan")
    assert not is_working_day(date(2026, 4, 6))
    assert add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 7)
    names = {d.date: d.names for d in non_working_days_between(date(2026, 4, 5), date(2026, 4, 6))}
    assert names[date(2026, 4, 6)] == ("Libur tambahan",)


@pytest.mark.django_db
def test_an_override_that_makes_a_holiday_a_working_day_and_its_removal():
    assert add_working_days(date(2026, 3, 17), 10) == date(2026, 4, 8)
    save_override(date(2026, 4, 3), working=True, name="Wafat Yesus Kristus dipindahkan")
    assert is_working_day(date(2026, 4, 3))
    assert add_working_days(date(2026, 3, 17), 10) == date(2026, 4, 7)
    working_day_override_delete(date=date(2026, 4, 3), user=None)
    assert add_working_days(date(2026, 3, 17), 10) == date(2026, 4, 8)


@pytest.mark.django_db
def test_saving_again_replaces_the_override_of_the_same_date():
    save_override(date(2026, 3, 28), working=True, name="Sabtu kerja")
    save_override(date(2026, 3, 28), working=False, name="Sabtu libur", decree="SKB perubahan")
    override = WorkingDayOverride.objects.get()
    assert (override.is_working_day, override.name, override.decree) == (False, "Sabtu libur", "SKB perubahan")
    assert not is_working_day(date(2026, 3, 28))


@pytest.mark.django_db
@pytest.mark.parametrize("decree", ["", "   "])
def test_an_override_needs_its_decree(decree):
    with pytest.raises(ValidationError) as error:
        save_override(date(2026, 4, 6), working=False, decree=decree)
    assert "decree" in error.value.message_dict
    assert "Dasar keputusan wajib diisi" in error.value.message_dict["decree"][0]
    assert not WorkingDayOverride.objects.exists()
    assert is_working_day(date(2026, 4, 6))


@pytest.mark.django_db
def test_only_users_allowed_to_change_overrides_may_save_or_delete_them(django_user_model):
    staff = django_user_model.objects.create_user("staf@example.go.id", None, full_name="Staf")
    with pytest.raises(PermissionDenied):
        working_day_override_save(date=date(2026, 4, 6), is_working_day=False, name="x", decree="y", user=staff)
    save_override(date(2026, 4, 6), working=False)
    with pytest.raises(PermissionDenied):
        working_day_override_delete(date=date(2026, 4, 6), user=staff)
    assert WorkingDayOverride.objects.exists()


@pytest.mark.django_db
def test_the_process_keeps_its_snapshot_until_the_shared_version_changes(django_capture_on_commit_callbacks):
    first = calendar.get_calendar()
    assert calendar.get_calendar() is first  # cached in process memory, not reloaded per call
    # Another process writes an override and replaces the shared token (what its commit does).
    WorkingDayOverride.objects.create(date=date(2026, 4, 6), is_working_day=False, name="x", decree="y")
    assert calendar.get_calendar() is first
    assert is_working_day(date(2026, 4, 6))
    cache.set(calendar.VERSION_CACHE_KEY, "version-from-another-process")
    assert calendar.get_calendar() is not first
    assert not is_working_day(date(2026, 4, 6))

    # The services replace the shared token once their transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        save_override(date(2026, 4, 7), working=False)
    assert cache.get(calendar.VERSION_CACHE_KEY) != "version-from-another-process"
    assert not is_working_day(date(2026, 4, 7))
    assert calendar.get_calendar() is calendar.get_calendar()


# --- Explanations ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_explanation_in_indonesian():
    text = explain_due(date(2026, 3, 17), 10, WORKING, language="id")
    assert text == (
        "10 hari kerja sejak 17 Maret 2026, tidak termasuk 18–24 Maret (Cuti Bersama Hari Suci Nyepi, "
        "Hari Suci Nyepi, Cuti Bersama Hari Raya Idul Fitri, Hari Raya Idul Fitri, Hari kedua dari Hari "
        "Raya Idul Fitri), 3–5 April (Wafat Yesus Kristus, Kebangkitan Yesus Kristus) dan akhir pekan: "
        "batas waktu Rabu, 8 April 2026."
    )


@pytest.mark.django_db
def test_the_explanation_follows_the_active_language_when_none_is_given():
    # translation.override(None) would switch translations off and print "March" and "Wednesday".
    assert "17 Maret 2026" in explain_due(date(2026, 3, 17), 10, WORKING)
    assert "batas waktu Rabu, 8 April 2026." in explain_due(date(2026, 3, 17), 10, WORKING)
    with translation.override("en"):
        assert "Wednesday, 8 April 2026" in explain_due(date(2026, 3, 17), 10, WORKING)
    assert translation.get_language() == "id"


@pytest.mark.django_db
def test_the_explanation_in_english_names_dates_and_holidays_in_english():
    text = explain_due(date(2026, 3, 17), 10, WORKING, language="en")
    # The sentence's own words come from the English catalogue (added by the lead); the dates and the
    # holiday names come from Django and from `holidays`, and must be English already.
    assert "17 March 2026" in text
    assert "18–24 March (Day of Silence Joint Holiday, Day of Silence, Eid al-Fitr Joint Holiday, " in text
    assert text.count("Eid al-Fitr Joint Holiday") == 1
    assert "3–5 April (Good Friday, Easter Sunday)" in text
    assert text.endswith("Wednesday, 8 April 2026.")
    for indonesian in ("Maret", "Rabu", "Nyepi", "Idul Fitri"):
        assert indonesian not in text


@pytest.mark.django_db
def test_the_explanation_across_the_year_end_gives_the_other_year():
    text = explain_due(date(2026, 12, 23), 6, WORKING, language="id")
    assert "6 hari kerja sejak 23 Desember 2026" in text
    assert "24–25 Desember (Cuti Bersama Hari Raya Natal, Hari Raya Natal)" in text
    assert "1 Januari 2027 (Tahun Baru Masehi)" in text
    assert "5 Januari 2027 (Isra Mikraj" in text
    assert text.endswith("dan akhir pekan: batas waktu Rabu, 6 Januari 2027.")


@pytest.mark.django_db
def test_the_explanation_names_the_overrides():
    save_override(date(2026, 4, 6), working=False, name="Libur tambahan")
    save_override(date(2026, 3, 28), working=True, name="Sabtu kerja pengganti")
    text = explain_due(date(2026, 3, 13), 10, WORKING, language="id")
    # 16, 17, 25, 26, 27, Sat 28 Mar, 30, 31 Mar, 1, 2 Apr.
    assert "Libur tambahan" not in text  # 6 April is after the deadline: not part of the count
    assert "tetapi termasuk 28 Maret (Sabtu kerja pengganti)" in text
    assert text.endswith("batas waktu Kamis, 2 April 2026.")
    later = explain_due(date(2026, 3, 30), 10, WORKING, language="id")
    assert "3–6 April (Wafat Yesus Kristus, Kebangkitan Yesus Kristus, Libur tambahan)" in later


@pytest.mark.django_db
def test_an_explanation_is_kept_until_an_override_changes_the_calendar(django_capture_on_commit_callbacks):
    before = explain_due(date(2026, 3, 30), 10, WORKING, language="id")
    # The tracking page asks on every view: the same text object, not computed again.
    assert explain_due(date(2026, 3, 30), 10, WORKING, language="id") is before
    english = explain_due(date(2026, 3, 30), 10, WORKING, language="en")
    assert "April" in english and "Rabu" not in english

    with django_capture_on_commit_callbacks(execute=True):
        save_override(date(2026, 4, 6), working=False, name="Libur tambahan")
    after = explain_due(date(2026, 3, 30), 10, WORKING, language="id")
    # 31 Mar, 1, 2, (3–6), 7, 8, 9, 10, 13, 14 April; with 6 April a holiday the count ends a day later.
    assert before.endswith("batas waktu Selasa, 14 April 2026.")
    assert "3–6 April (Wafat Yesus Kristus, Kebangkitan Yesus Kristus, Libur tambahan)" in after
    assert after.endswith("batas waktu Rabu, 15 April 2026.")

    with django_capture_on_commit_callbacks(execute=True):
        working_day_override_delete(date=date(2026, 4, 6), user=None)
    assert explain_due(date(2026, 3, 30), 10, WORKING, language="id") == before


@pytest.mark.django_db
def test_the_explanation_of_calendar_days_and_of_weekends_only():
    assert explain_due(date(2026, 3, 17), 14, "calendar", language="id") == (
        "14 hari kalender sejak 17 Maret 2026: batas waktu Selasa, 31 Maret 2026."
    )
    assert explain_due(date(2026, 7, 1), 5, WORKING, language="id") == (
        "5 hari kerja sejak 1 Juli 2026, tidak termasuk akhir pekan: batas waktu Rabu, 8 Juli 2026."
    )
    assert explain_due(date(2026, 7, 6), 2, WORKING, language="id") == (
        "2 hari kerja sejak 6 Juli 2026: batas waktu Rabu, 8 Juli 2026."
    )


# --- Recomputing stored due dates ------------------------------------------------------------------------

_codes = iter(range(1, 10_000))


def make_case(start, days, *, day_type=WORKING, due=None, closed=False):
    now = timezone.now()
    return Case.objects.create(
        tracking_code=f"UJI-{next(_codes):05d}",
        kind="complaint",
        state="received",
        state_entered_at=now,
        closed_at=now if closed else None,
        due_start=start,
        due_days=days,
        due_day_type=day_type,
        due_date=due if due is not None else add_days(start, days, day_type),
    )


@pytest.mark.django_db
def test_recompute_moves_open_deadlines_after_an_override_with_an_internal_event(monkeypatch):
    monkeypatch.setattr(calendar, "RECOMPUTE_BATCH_SIZE", 2)  # several batches with a few rows
    moved_a = make_case(date(2026, 3, 13), 10)  # due Monday 6 April
    moved_b = make_case(date(2026, 3, 17), 10)  # due Wednesday 8 April
    closed = make_case(date(2026, 3, 13), 10, closed=True)
    calendar_days = make_case(date(2026, 3, 13), 30, day_type="calendar")
    earlier = make_case(date(2026, 1, 5), 10)
    no_deadline = Case.objects.create(
        tracking_code="UJI-TANPA", kind="complaint", state="closed", state_entered_at=timezone.now()
    )
    assert due_dates_recompute() == 0

    save_override(date(2026, 4, 6), working=False, name="Libur tambahan")
    assert due_dates_recompute() == 2

    for case, before, after in [(moved_a, "2026-04-06", "2026-04-07"), (moved_b, "2026-04-08", "2026-04-09")]:
        case.refresh_from_db()
        assert case.due_date == date.fromisoformat(after)
        event = Event.objects.get(case=case)
        assert (event.action, event.public, event.data) == ("due_recomputed", False, {"from": before, "to": after})
        assert verify_chain(case) is None
    for case in (closed, calendar_days, earlier, no_deadline):
        due_before = case.due_date
        case.refresh_from_db()
        assert case.due_date == due_before
        assert not case.events.exists()
    assert due_dates_recompute() == 0
    assert Event.objects.count() == 2


@pytest.mark.django_db
def test_recompute_since_a_date_leaves_earlier_deadlines_alone():
    stale_early = make_case(date(2026, 1, 5), 10, due=date(2026, 1, 1))
    stale_late = make_case(date(2026, 3, 13), 10, due=date(2026, 4, 30))
    assert due_dates_recompute(since=date(2026, 4, 6)) == 1
    stale_late.refresh_from_db()
    assert stale_late.due_date == date(2026, 4, 6)
    stale_early.refresh_from_db()
    assert stale_early.due_date == date(2026, 1, 1)
    assert due_dates_recompute() == 1
    stale_early.refresh_from_db()
    assert stale_early.due_date == date(2026, 1, 20)  # 6–9, 12–15, 19, 20 January (16th: Isra Mikraj)


@pytest.mark.django_db
def test_the_recompute_command_prints_the_count(capsys):
    make_case(date(2026, 3, 13), 10, due=date(2026, 4, 1))
    make_case(date(2026, 3, 17), 10)
    call_command("recompute_due_dates")
    assert capsys.readouterr().out.strip() == "Batas waktu 1 kasus berubah."
    call_command("recompute_due_dates", "--since", "2026-04-01")
    assert capsys.readouterr().out.strip() == "Batas waktu 0 kasus berubah."


# --- The admin page --------------------------------------------------------------------------------------

# Only the admin's URLs: these tests do not depend on the rest of the site's URL configuration.
urlpatterns = [path("admin/", admin.site.urls)]

ADD_URL = "/admin/core/workingdayoverride/add/"


@pytest.fixture
def admin_user_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin@example.go.id", "sandi-rahasia-1", full_name="Admin")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_the_admin_requires_the_decree(admin_user_client):
    response = admin_user_client.post(ADD_URL, {"date": "2026-04-06", "name": "Libur tambahan", "decree": "  "})
    assert response.status_code == 200
    assert "decree" in response.context["adminform"].form.errors
    assert not WorkingDayOverride.objects.exists()


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_the_admin_saves_through_the_service_and_recomputes_the_open_cases(admin_user_client):
    case = make_case(date(2026, 3, 13), 10)
    response = admin_user_client.post(
        ADD_URL,
        {"date": "2026-04-06", "name": "Libur tambahan", "decree": "Keppres No. 9 Tahun 2026"},
        follow=True,
    )
    assert response.status_code == 200
    override = WorkingDayOverride.objects.get()
    assert (override.date, override.is_working_day, override.created_by) == (
        date(2026, 4, 6),
        False,
        admin_user_client.user,
    )
    assert "Kalender diperbarui: batas waktu 1 kasus terbuka berubah." in response.content.decode()
    case.refresh_from_db()
    assert case.due_date == date(2026, 4, 7)
    assert "Libur tambahan" in admin_user_client.get("/admin/core/workingdayoverride/").content.decode()

    response = admin_user_client.post(
        f"/admin/core/workingdayoverride/{override.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not WorkingDayOverride.objects.exists()
    case.refresh_from_db()
    assert case.due_date == date(2026, 4, 6)
    assert case.events.count() == 2

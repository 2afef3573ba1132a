"""Complaints through the case engine: intake, verification, tiers, the paused clock, reopening, rating,
closing by itself, escalation, and what each privacy level keeps."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from sibaru.complaints.models import Complaint, ComplaintUnit
from sibaru.complaints.services import complaint_identity_view, complaints_sweep, hash_token
from sibaru.core.calendar import add_calendar_days, add_working_days, explain_paused
from sibaru.core.events import verify_chain
from sibaru.core.models import Case, Event, Notification
from sibaru.core.services import ActionNotAllowed, case_apply_action

from .conftest import answer, reporter, submit, verify

pytestmark = pytest.mark.django_db


def test_a_complaint_is_received_with_three_working_days_and_a_hashed_follow_token(submitted):
    case = submitted.case
    assert case.tracking_code.startswith("ADU-")
    assert (case.state, case.due_days, case.due_day_type) == ("received", 3, "working")
    assert case.due_date == add_working_days(case.due_start, 3)
    complaint = case.complaint
    assert complaint.follow_token_hash == hash_token(submitted.follow_token)
    assert submitted.follow_token not in str(Complaint.objects.filter(pk=case.pk).values().get())
    assert case.organisation.name == "Direktorat Jenderal Perumahan"


def test_an_anonymous_report_stores_no_identity_even_when_given(regions, category):
    case = submit(regions, category, privacy="anonymous", reporter_name="Rahasia Saya",
                  reporter_email="x@example.test").case
    row = Complaint.objects.filter(pk=case.pk).values("reporter_name", "reporter_email", "reporter_phone").get()
    assert row == {"reporter_name": "", "reporter_email": "", "reporter_phone": ""}
    assert not Notification.objects.filter(email="x@example.test").exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"description": "https://contoh.example/foto-rusak"}, "description"),
        ({"description": "lihat www.contoh.example ok"}, "description"),
        ({"description": "rusak"}, "description"),
        ({"title": "  "}, "title"),
        ({"reporter_name": ""}, "reporter.name"),
        ({"reporter_email": "", "reporter_phone": ""}, "reporter.email"),
        ({"report_type": "gugatan"}, "kind"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(regions, category, fields, error_field):
    with pytest.raises(ValidationError) as raised:
        submit(regions, category, **fields)
    assert error_field in raised.value.message_dict
    assert (Case.objects.count(), Event.objects.count(), Complaint.objects.count()) == (0, 0, 0)


def test_a_replayed_submission_returns_the_first_case_without_a_new_token(regions, category):
    first = submit(regions, category, idempotency_key="k-1")
    again = submit(regions, category, idempotency_key="k-1")
    assert again.case.pk == first.case.pk and again.follow_token is None
    assert Case.objects.count() == 1


def test_verification_dispositions_to_several_units_and_the_tier_sets_the_follow_up_deadline(
    complaint_case, people, orgs
):
    verify(complaint_case, people, orgs, units=("unit", "other_unit"), classification="supervision")
    complaint_case.refresh_from_db()
    assert complaint_case.state == "dispositioned"
    assert complaint_case.handler == orgs["unit"]
    assert complaint_case.due_date == add_working_days(complaint_case.due_start, 5)
    assert set(ComplaintUnit.objects.values_list("organisation_id", flat=True)) == {
        orgs["unit"].pk, orgs["other_unit"].pk
    }
    case_apply_action(case=complaint_case, action="plan", user=people["other_unit_officer"], note="Rencana")
    assert (complaint_case.state, complaint_case.due_days) == ("in_follow_up", 60)
    assert complaint_case.complaint.public_title == "Air Rusunawa Sukarasa tidak mengalir"


@override_settings(COMPLAINT_DEADLINES={"ordinary": "14:calendar"})
def test_a_deadline_may_count_calendar_days(complaint_case, people, orgs):
    verify(complaint_case, people, orgs)
    case_apply_action(case=complaint_case, action="plan", user=people["unit_officer"], note="Rencana")
    assert (complaint_case.due_days, complaint_case.due_day_type) == (14, "calendar")
    assert complaint_case.due_date == add_calendar_days(complaint_case.due_start, 14)


def test_verification_with_unknown_category_or_unit_changes_nothing(complaint_case, people, orgs):
    with pytest.raises(ValidationError) as raised:
        case_apply_action(case=complaint_case, action="verify", user=people["coordinator"],
                          data={"category": "tidak-ada", "units": [orgs["west_java"].pk], "classification": "x"})
    assert set(raised.value.message_dict) == {"category", "units", "classification"}
    complaint_case.refresh_from_db()
    assert (complaint_case.state, complaint_case.handler_id, complaint_case.events.count()) == ("received", None, 1)


@pytest.fixture
def clock(monkeypatch):
    """Sets the engine's today (the day deadlines are counted from)."""
    def move_to(day):
        monkeypatch.setattr("sibaru.core.services._today", lambda: day)
    return move_to


def test_postponing_stops_the_clock_and_the_reporter_resumes_it_with_the_days_left(complaint_case, people, clock):
    start = complaint_case.due_start
    clock(add_working_days(start, 1))
    case_apply_action(case=complaint_case, action="postpone", user=people["coordinator"],
                      note="Mohon sebutkan nomor unit rusun Anda.")
    complaint_case.refresh_from_db()
    assert (complaint_case.due_date, complaint_case.due_paused_days) == (None, 2)
    assert "sisa 2 hari kerja" in explain_paused(2, "working")
    # A week later the reporter answers: the two working days left continue from that day.
    resumed_on = add_working_days(start, 6)
    clock(resumed_on)
    reporter(complaint_case, "complete", note="Unit B-304.")
    complaint_case.refresh_from_db()
    assert complaint_case.state == "received"
    assert (complaint_case.due_start, complaint_case.due_days) == (resumed_on, 2)
    assert complaint_case.due_date == add_working_days(resumed_on, 2)
    assert complaint_case.due_paused_days is None


def test_reply_reopens_rating_closes_and_a_second_rating_is_refused(complaint_case, people, orgs):
    verify(complaint_case, people, orgs)
    answer(complaint_case, people)
    assert complaint_case.state == "answered" and complaint_case.due_days == 10
    reply = reporter(complaint_case, "reply", note="Air masih mati di lantai 3.")
    assert complaint_case.state == "in_follow_up" and reply.public is False
    case_apply_action(case=complaint_case, action="respond", user=people["unit_officer"], note="Pipa diperbaiki.")
    reporter(complaint_case, "rate", data={"rating": "5", "comment": "Cepat"})
    complaint_case.refresh_from_db()
    assert complaint_case.state == "closed" and complaint_case.closed_at
    assert (complaint_case.complaint.rating, complaint_case.complaint.rating_comment) == (5, "Cepat")
    with pytest.raises(ValidationError):
        reporter(complaint_case, "rate", data={"rating": 1})
    assert verify_chain(complaint_case) is None


def test_the_reporter_may_not_take_staff_actions_nor_rate_out_of_range(complaint_case, people, orgs):
    with pytest.raises(PermissionDenied):
        reporter(complaint_case, "verify", data={"category": "x", "units": [1], "classification": "ordinary"})
    verify(complaint_case, people, orgs)
    answer(complaint_case, people)
    with pytest.raises(ValidationError):
        reporter(complaint_case, "rate", data={"rating": 9})
    with pytest.raises(ActionNotAllowed):
        case_apply_action(case=complaint_case, action="plan", user=people["unit_officer"], note="x")


def test_an_answered_complaint_closes_by_itself_after_ten_working_days(complaint_case, people, orgs):
    verify(complaint_case, people, orgs)
    answer(complaint_case, people)
    due = complaint_case.due_date
    assert complaints_sweep(today=due)["closed"] == 0
    assert complaints_sweep(today=due + timedelta(days=1))["closed"] == 1
    complaint_case.refresh_from_db()
    assert complaint_case.state == "closed"
    assert complaint_case.events.last().actor_role == "system"
    assert Notification.objects.filter(email="budi@example.test", event__action="close").exists()


def test_a_passed_deadline_is_escalated_once_to_the_units_supervisor(complaint_case, people, orgs):
    verify(complaint_case, people, orgs)
    day_after = complaint_case.due_date + timedelta(days=1)
    assert complaints_sweep(today=complaint_case.due_date)["escalated"] == 0
    assert complaints_sweep(today=day_after)["escalated"] == 1
    assert complaints_sweep(today=day_after)["escalated"] == 0
    event = complaint_case.events.get(action="escalate")
    assert event.public is False and event.data["to"] == [people["coordinator"].pk]
    assert Notification.objects.filter(user=people["coordinator"], event=event, channel="in_app").exists()
    # The next stage's passed deadline is escalated again.
    case_apply_action(case=complaint_case, action="plan", user=people["unit_officer"], note="Rencana")
    complaint_case.refresh_from_db()
    assert complaints_sweep(today=complaint_case.due_date + timedelta(days=1))["escalated"] == 1


def test_the_sweep_command_runs_both(complaint_case, people, orgs, capsys):
    verify(complaint_case, people, orgs)
    later = (complaint_case.due_date + timedelta(days=1)).isoformat()
    call_command("complaints_sweep", "--date", later)
    assert "1" in capsys.readouterr().out
    assert complaint_case.events.filter(action="escalate").exists()


def test_identity_views_are_recorded_and_confidential_identity_is_the_coordinators_only(
    regions, category, people, orgs
):
    case = submit(regions, category, privacy="confidential").case
    verify(case, people, orgs)
    with pytest.raises(PermissionDenied):
        complaint_identity_view(case=case, user=people["unit_officer"])
    identity = complaint_identity_view(case=case, user=people["coordinator"])
    assert identity.name == "Budi Santoso"
    viewed = case.events.get(action="view_identity")
    assert (viewed.public, viewed.actor) == (False, people["coordinator"])
    case.refresh_from_db()
    assert verify_chain(case) is None


def test_a_unit_officer_sees_a_named_reporter_of_a_case_dispositioned_to_it_only(complaint_case, people, orgs):
    verify(complaint_case, people, orgs)
    assert complaint_identity_view(case=complaint_case, user=people["unit_officer"]).email == "budi@example.test"
    with pytest.raises(PermissionDenied):
        complaint_identity_view(case=complaint_case, user=people["other_unit_officer"])
    with pytest.raises(PermissionDenied):
        complaint_identity_view(case=complaint_case, user=people["evaluator"])


def test_reassignment_moves_the_case_between_units(complaint_case, people, orgs):
    verify(complaint_case, people, orgs)
    case_apply_action(case=complaint_case, action="reassign", user=people["coordinator"],
                      data={"units": [orgs["other_unit"].pk]}, note="Kewenangan Bagian Umum.")
    assert complaint_case.handler_id == orgs["other_unit"].pk
    with pytest.raises(PermissionDenied):
        case_apply_action(case=complaint_case, action="plan", user=people["unit_officer"], note="x")
    case_apply_action(case=complaint_case, action="plan", user=people["other_unit_officer"], note="Rencana")


def test_forward_and_merge_close_the_intake(regions, category, people):
    first = submit(regions, category).case
    second = submit(regions, category, title="Air mati lagi").case
    case_apply_action(case=second, action="merge", user=people["coordinator"],
                      data={"duplicate_of": first.tracking_code.lower()})
    assert second.state == "merged" and Complaint.objects.get(pk=second.pk).duplicate_of == first
    with pytest.raises(ValidationError):
        case_apply_action(case=first, action="merge", user=people["coordinator"],
                          data={"duplicate_of": first.tracking_code})
    case_apply_action(case=first, action="forward", user=people["coordinator"],
                      data={"forwarded_to": "PDAM Kota Bandung"})
    assert first.state == "forwarded" and Complaint.objects.get(pk=first.pk).forwarded_to == "PDAM Kota Bandung"


def test_a_reporters_identity_is_erased_after_the_retention_period(complaint_case, people, orgs, settings):
    verify(complaint_case, people, orgs)
    answer(complaint_case, people)
    reporter(complaint_case, "rate", data={"rating": 4})
    complaint_case.refresh_from_db()
    closed = timezone.localdate(complaint_case.closed_at)
    settings.COMPLAINT_RETENTION_YEARS = 1
    assert complaints_sweep(today=closed + timedelta(days=300))["forgotten"] == 0
    assert complaints_sweep(today=closed + timedelta(days=366))["forgotten"] == 1
    row = Complaint.objects.filter(pk=complaint_case.pk).values("reporter_name", "reporter_email").get()
    assert row == {"reporter_name": "", "reporter_email": ""}


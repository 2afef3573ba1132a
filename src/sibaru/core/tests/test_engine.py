"""The case engine: actions allowed and refused by role and state, all-or-nothing, the hash chain."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from sibaru.accounts.roles import Party
from sibaru.core.calendar import add_working_days
from sibaru.core.events import verify_chain
from sibaru.core.models import Case, Event, Notification
from sibaru.core.services import ActionNotAllowed, case_apply_action

pytestmark = pytest.mark.django_db


def test_a_new_case_is_received_with_a_deadline_and_a_public_first_event(trial_case):
    assert trial_case.state == "received"
    assert trial_case.due_date == add_working_days(trial_case.due_start, 3)
    assert trial_case.tracking_code.startswith("UJI-")
    (event,) = trial_case.events.all()
    assert (event.action, event.to_state, event.public, event.seq) == ("open", "received", True, 1)
    assert verify_chain(trial_case) is None


def test_the_coordinator_accepts_and_the_deadline_moves_to_the_next_state(trial_case, people, orgs):
    event = case_apply_action(
        case=trial_case, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk}
    )
    trial_case.refresh_from_db()
    assert trial_case.state == "in_process"
    assert trial_case.handler == orgs["unit"]
    assert trial_case.due_days == 5
    assert trial_case.due_date == add_working_days(trial_case.due_start, 5)
    assert (event.from_state, event.to_state, event.actor, event.actor_role) == (
        "received", "in_process", people["coordinator"], "complaint_coordinator"
    )
    assert event.data == {"handler": orgs["unit"].pk}


def test_a_role_the_action_does_not_name_is_refused_and_nothing_is_written(trial_case, people):
    with pytest.raises(PermissionDenied):
        case_apply_action(case=trial_case, action="accept", user=people["evaluator"])
    with pytest.raises(PermissionDenied):
        case_apply_action(case=trial_case, action="accept", user=people["outsider"])
    trial_case.refresh_from_db()
    assert trial_case.state == "received"
    assert trial_case.events.count() == 1


def test_an_action_from_the_wrong_state_is_refused_with_its_own_error(trial_case, people, orgs):
    with pytest.raises(ActionNotAllowed):
        case_apply_action(case=trial_case, action="close", user=people["coordinator"])
    assert Case.objects.get(pk=trial_case.pk).state == "received"


def test_a_unit_acts_only_on_cases_handed_to_it(trial_case, people, orgs):
    case_apply_action(case=trial_case, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    with pytest.raises(PermissionDenied):
        case_apply_action(case=trial_case, action="answer", user=people["other_unit_officer"], note="Jawaban")
    case_apply_action(case=trial_case, action="answer", user=people["unit_officer"], note="Jawaban")
    assert Case.objects.get(pk=trial_case.pk).state == "answered"


def test_required_note_is_checked_before_anything_changes(trial_case, people, orgs):
    case_apply_action(case=trial_case, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    with pytest.raises(ValidationError) as error:
        case_apply_action(case=trial_case, action="answer", user=people["unit_officer"], note="  ")
    assert "note" in error.value.message_dict
    assert Case.objects.get(pk=trial_case.pk).state == "in_process"


def test_the_applicant_reopens_and_closes_and_the_final_state_closes_the_case(trial_case, people, orgs):
    case_apply_action(case=trial_case, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    case_apply_action(case=trial_case, action="answer", user=people["unit_officer"], note="Jawaban pertama")
    with pytest.raises(PermissionDenied):  # staff cannot reply in the applicant's name
        case_apply_action(case=trial_case, action="reopen", user=people["unit_officer"], note="x")
    case_apply_action(case=trial_case, action="reopen", party=Party.APPLICANT, note="Belum jelas")
    case_apply_action(case=trial_case, action="answer", user=people["unit_officer"], note="Jawaban kedua")
    case_apply_action(case=trial_case, action="close", party=Party.APPLICANT)
    trial_case.refresh_from_db()
    assert trial_case.state == "closed"
    assert trial_case.closed_at is not None
    assert trial_case.due_date is None
    assert [e.action for e in trial_case.events.order_by("seq")] == [
        "open", "accept", "answer", "reopen", "answer", "close"
    ]
    assert verify_chain(trial_case) is None


def test_an_internal_note_keeps_the_state_and_is_not_public(trial_case, people):
    event = case_apply_action(case=trial_case, action="add_note", user=people["coordinator"], note="Cek duplikat")
    trial_case.refresh_from_db()
    assert trial_case.state == "received"
    assert event.public is False


def test_a_failure_inside_the_transaction_rolls_back_state_event_and_notifications(trial_case, people, orgs):
    before = (Event.objects.count(), Notification.objects.count())
    with pytest.raises(ValidationError):
        # The effect rejects an unknown unit after the role and state checks passed.
        case_apply_action(case=trial_case, action="accept", user=people["coordinator"], data={"handler": 999999})
    trial_case.refresh_from_db()
    assert trial_case.state == "received"
    assert trial_case.handler is None
    assert (Event.objects.count(), Notification.objects.count()) == before


def test_editing_a_stored_event_is_detected_by_the_chain_check(trial_case, people, orgs):
    case_apply_action(case=trial_case, action="accept", user=people["coordinator"], data={"handler": orgs["unit"].pk})
    case_apply_action(case=trial_case, action="answer", user=people["unit_officer"], note="Jawaban resmi")
    call_command("verify_events")  # intact: no error
    Event.objects.filter(case=trial_case, seq=2).update(note="diubah diam-diam")
    broken = verify_chain(trial_case)
    assert broken is not None and broken.seq == 2
    with pytest.raises(CommandError):
        call_command("verify_events")


def test_deleting_the_last_event_is_detected(trial_case, people):
    case_apply_action(case=trial_case, action="add_note", user=people["coordinator"], note="a")
    Event.objects.filter(case=trial_case, seq=2).delete()
    assert verify_chain(trial_case).reason == "events missing at the end"

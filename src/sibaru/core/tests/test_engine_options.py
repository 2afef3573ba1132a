"""The engine's declared options: a state that keeps the running clock, effects that know who acts, and
staff outside the handler organisation told when a case enters a state."""

from datetime import date

import pytest

from sibaru.accounts.models import User
from sibaru.accounts.roles import Party, Role
from sibaru.core import calendar
from sibaru.core.models import Case, Event, Notification
from sibaru.core.services import case_apply_action, case_open
from sibaru.core.workflow import Action, Actor, Deadline, State, Workflow, register

pytestmark = pytest.mark.django_db

KIND = "test_engine_options"
START = date(2026, 3, 17)  # the 10th working day after it is 8 April (Nyepi, Idul Fitri and cuti bersama between)
DUE = date(2026, 4, 8)


def _hand_over(case, data, actor: Actor):
    case.handler_id = data["handler"]
    # The acting coordinator stays the case's contact person: only an effect that knows who acts can say so.
    case.assignee = actor.user
    data["by"] = actor.role


def _old_style(case, data):
    data["old"] = "ya"


def _also_notify(case):
    # The coordinator is also the assignee (see _hand_over): named twice, told once.
    return list(User.objects.filter(email__in=["unit@example.test", "other-unit@example.test",
                                               "coordinator@example.test"]))


FLOW = register(
    Workflow(
        kind=KIND,
        prefix="TEO",
        label="Uji opsi mesin kasus",
        initial="received",
        states=(
            State("received", "Diterima", deadline=Deadline(10), actor=Role.COMPLAINT_COORDINATOR),
            State("waiting", "Menunggu pemohon", paused=True),
            State("at_unit", "Di unit", deadline=Deadline(5), keeps_clock=True, actor=Role.UNIT_OFFICER,
                  also_notify=_also_notify),
            State("done", "Selesai", final=True),
        ),
        actions=(
            Action("hand_over", "Teruskan", ("received",), "at_unit", roles=(Role.COMPLAINT_COORDINATOR,),
                   needs=("handler",), effect=_hand_over, record=("by",), notify=("handler",)),
            Action("ask", "Minta kelengkapan", ("received",), "waiting", roles=(Role.COMPLAINT_COORDINATOR,),
                   notify=()),
            Action("complete", "Lengkapi", ("waiting",), "at_unit", roles=(Party.APPLICANT,), resumes=True,
                   effect=_old_style, record=("old",), notify=()),
            Action("close", "Tutup", ("at_unit",), "done", roles=(Party.SYSTEM,), effect=_hand_over,
                   needs=("handler",), record=("by",), notify=()),
        ),
        viewer_roles=(Role.COMPLAINT_COORDINATOR, Role.UNIT_OFFICER),
    )
)


@pytest.fixture
def today(monkeypatch):
    def move_to(day):
        monkeypatch.setattr("sibaru.core.services._today", lambda: day)

    move_to(START)
    return move_to


@pytest.fixture
def case(orgs, today):
    return case_open(kind=KIND, subject="Uji", organisation=orgs["ministry"])


def test_entering_a_state_that_keeps_the_clock_keeps_an_overdue_deadline_and_its_explanation(case, people, orgs,
                                                                                            today):
    assert (case.due_start, case.due_days, case.due_date) == (START, 10, DUE)
    Case.objects.filter(pk=case.pk).update(extended_due_date=date(2026, 4, 17))
    today(date(2026, 4, 20))  # past the extension too

    case_apply_action(case=case, action="hand_over", user=people["coordinator"], data={"handler": orgs["unit"].pk})

    case.refresh_from_db()
    assert case.state == "at_unit" and case.handler == orgs["unit"]
    # Not 5 days from today, and not "due today": still 10 working days from receipt, extended, overdue.
    assert (case.due_start, case.due_days, case.due_day_type, case.due_date) == (START, 10, "working", DUE)
    assert case.extended_due_date == date(2026, 4, 17)
    assert Case.objects.filter(pk=case.pk, due_date__lt=date(2026, 4, 20)).exists()
    explained = calendar.explain_due(case.due_start, case.due_days, case.due_day_type, "id")
    assert "10 hari kerja sejak 17 Maret 2026" in explained and "8 April 2026" in explained


def test_a_state_that_keeps_the_clock_starts_its_own_when_none_runs(case, people, today):
    asked = date(2026, 4, 1)
    today(asked)
    case_apply_action(case=case, action="ask", user=people["coordinator"])
    case.refresh_from_db()
    left = calendar.working_days_between(asked, DUE)
    assert (case.due_date, case.due_paused_days) == (None, left)

    # Resuming into the state that keeps the clock: nothing runs, so the days left continue from today.
    resumed = date(2026, 4, 13)
    today(resumed)
    case_apply_action(case=case, action="complete", party=Party.APPLICANT)
    case.refresh_from_db()
    assert (case.state, case.due_start, case.due_days) == ("at_unit", resumed, left)
    assert case.due_date == calendar.add_working_days(resumed, left)


@pytest.mark.parametrize("flags", [{"paused": True}, {"final": True}])
def test_a_paused_or_final_state_cannot_keep_a_clock(flags):
    with pytest.raises(ValueError, match="no clock to keep"):
        Workflow(kind="test_invalid", prefix="TIV", label="x", initial="a",
                 states=(State("a", "A", keeps_clock=True, **flags),), actions=())


def test_an_effect_is_told_who_acts_and_an_old_two_argument_effect_still_runs(case, people, orgs):
    event = case_apply_action(case=case, action="hand_over", user=people["coordinator"],
                              data={"handler": orgs["unit"].pk})
    case.refresh_from_db()
    assert case.assignee == people["coordinator"]
    assert event.data == {"handler": orgs["unit"].pk, "by": Role.COMPLAINT_COORDINATOR}

    # A party acts without a user.
    closed = case_apply_action(case=case, action="close", party=Party.SYSTEM, data={"handler": orgs["unit"].pk})
    case.refresh_from_db()
    assert case.assignee is None and closed.data["by"] == Party.SYSTEM

    other = case_open(kind=KIND, subject="Uji", organisation=orgs["ministry"])
    case_apply_action(case=other, action="ask", user=people["coordinator"])
    resumed = case_apply_action(case=other, action="complete", party=Party.APPLICANT)
    assert resumed.data == {"old": "ya"}


def test_staff_the_state_also_names_are_told_once_in_the_app_and_by_email(case, people, orgs,
                                                                          django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        event = case_apply_action(case=case, action="hand_over", user=people["coordinator"],
                                  data={"handler": orgs["unit"].pk})
    told = Notification.objects.filter(event=event).values_list("user__email", "channel").order_by("user__email",
                                                                                                  "channel")
    assert list(told) == [
        ("coordinator@example.test", "email"), ("coordinator@example.test", "in_app"),
        ("other-unit@example.test", "email"), ("other-unit@example.test", "in_app"),
        ("unit@example.test", "email"), ("unit@example.test", "in_app"),
    ]
    assert Event.objects.filter(case=case).count() == 2

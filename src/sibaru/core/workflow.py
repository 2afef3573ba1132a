"""Workflow declarations: each kind of case declares its states, actions, roles and deadlines as data.

One declaration answers every question the rest of the system asks: which actions a user may take now
(the buttons and the API's transitions), when a case is due, what the public sees, and (later) the SOP
diagram. The engine that applies an action is `sibaru.core.services.case_apply_action`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from sibaru.accounts.roles import Party, Role
from sibaru.core.models import DayType

if TYPE_CHECKING:
    from sibaru.accounts.models import User


@dataclass(frozen=True)
class Deadline:
    days: int
    day_type: str = DayType.WORKING


@dataclass(frozen=True)
class State:
    code: str
    label: str | Promise
    # Deadline of the state, or a function of the case giving one (e.g. a tier that depends on a field).
    deadline: Deadline | Callable | None = None
    # Who is expected to act while the case is in this state (the SOP lane).
    actor: str | None = None
    final: bool = False
    # Plain-language line for the public tracking page: what happens now.
    public_hint: str | Promise = ""
    # The clock stops while the case waits here (e.g. for the applicant): the days left of the deadline
    # are kept on the case and continue when an action with `resumes` leaves the state.
    paused: bool = False
    # An action the system takes by itself once the state's deadline has passed (`cases_apply_deadline_actions`).
    on_deadline: str | None = None
    # Entering this state keeps the deadline already running (its start, days, due date and extension), so one
    # legal clock runs across a hand-over and an overdue case stays overdue; `deadline` applies only when none runs.
    keeps_clock: bool = False
    # `also_notify(case)`: staff outside the handler organisation who also act in this state (a regional office),
    # told with the state's actors; a list of users.
    also_notify: Callable | None = None


@dataclass(frozen=True)
class Actor:
    """Who takes an action: a staff user in one of their roles, or a party (applicant, system) with no user."""

    user: "User | None"
    role: str


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise
    source: tuple[str, ...]
    # The state the case moves to; None keeps it where it is (a note, a reassignment).
    target: str | None
    roles: tuple[str, ...]
    # Fields the action needs in `data` (besides the note), checked before anything is written.
    needs: tuple[str, ...] = ()
    note_required: bool = False
    # A public event shows on the tracking page (with its note); an internal one only to staff.
    public: bool = True
    # Who is told: "applicant" (the person who opened the case) and/or "handler" (the next actors).
    notify: tuple[str, ...] = ("applicant", "handler")
    # Optional `effect(case, data, actor)`: validates `data` and sets the case's own fields (handler, assignee…)
    # inside the engine's transaction, before the event is written. `actor` (an `Actor`) is who takes the
    # action; an effect declared with two parameters is called without it.
    effect: Callable | None = None
    # Keys of `data` kept in the event besides `needs`.
    record: tuple[str, ...] = ()
    # Leaving a paused state: the target's deadline is the days that were left when the clock stopped.
    resumes: bool = False


@dataclass(frozen=True)
class Workflow:
    kind: str
    prefix: str
    label: str | Promise
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    initial: str
    # Roles that see this kind's cases of their own organisation (owner or handler).
    viewer_roles: tuple[str, ...] = (Role.ADMINISTRATOR,)
    # Roles that see this kind's cases located in their organisation's region, once submitted.
    region_viewer_roles: tuple[str, ...] = ()
    # Roles that see every submitted case of this kind (a planning directorate, a decision maker).
    all_viewer_roles: tuple[str, ...] = ()
    # How to reach the applicant: a function of the case returning (email, name, language), a list of
    # them, or None; users in the list (an organisation's staff) are also told in the app.
    applicant_contact: Callable | None = None
    # The service's own part of the staff case page (its record, documents …), or "" for none.
    detail_template: str = ""
    # `staff_page(case, roles)`: the URL of the service's own page where these roles act on the case (its
    # actions need data the generic case page cannot ask for); the case page links there instead.
    staff_page: Callable | None = None
    # Visibility beyond the rules above (e.g. the units a complaint was dispositioned to): a function of a
    # Membership returning a Q on Case or None, and its one-case twin `(membership, case) -> bool`.
    extra_scope: Callable | None = None
    extra_scope_check: Callable | None = None
    _states: dict = field(init=False, repr=False, compare=False)
    _actions: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        states = {s.code: s for s in self.states}
        actions = {a.code: a for a in self.actions}
        object.__setattr__(self, "_states", states)
        object.__setattr__(self, "_actions", actions)
        if self.initial not in states:
            raise ValueError(f"{self.kind}: unknown initial state {self.initial}")
        for action in self.actions:
            unknown = {*action.source, action.target} - states.keys() - {None}
            if unknown:
                raise ValueError(f"{self.kind}.{action.code}: unknown states {unknown}")
        for state in self.states:
            if state.on_deadline and state.on_deadline not in actions:
                raise ValueError(f"{self.kind}.{state.code}: unknown deadline action {state.on_deadline}")
            if state.keeps_clock and (state.paused or state.final):
                raise ValueError(f"{self.kind}.{state.code}: a paused or final state has no clock to keep")
        if bool(self.extra_scope) != bool(self.extra_scope_check):
            raise ValueError(f"{self.kind}: extra_scope and extra_scope_check go together")

    def state(self, code: str) -> State:
        return self._states[code]

    def action(self, code: str) -> Action | None:
        return self._actions.get(code)

    def actions_from(self, state: str, roles: set[str]) -> list[Action]:
        return [a for a in self.actions if state in a.source and roles.intersection(a.roles)]

    def deadline_for(self, state: State, case) -> Deadline | None:
        return state.deadline(case) if callable(state.deadline) else state.deadline


_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    if workflow.kind in _REGISTRY and _REGISTRY[workflow.kind] is not workflow:
        raise ValueError(f"Workflow {workflow.kind} registered twice")
    if any(w.prefix == workflow.prefix and w.kind != workflow.kind for w in _REGISTRY.values()):
        raise ValueError(f"Tracking prefix {workflow.prefix} is taken")
    _REGISTRY[workflow.kind] = workflow
    return workflow


def get(kind: str) -> Workflow:
    return _REGISTRY[kind]


def all_workflows() -> list[Workflow]:
    return list(_REGISTRY.values())


APPLICANT = Party.APPLICANT
SYSTEM = Party.SYSTEM

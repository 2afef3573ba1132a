"""The staff timeline names events the workflow does not declare (recomputed deadlines, imports …) in words."""

import pytest
from django.urls import reverse

from sibaru.core.events import append_event
from sibaru.core.models import Case
from sibaru.workspace.views import EVENT_LABELS

pytestmark = pytest.mark.django_db


def test_internal_events_get_readable_labels_and_unknown_ones_a_humanised_code(client, trial_case, people, orgs,
                                                                              django_assert_max_num_queries):
    for action in ("due_recomputed", "beneficiary_added", "something_new_happened"):
        case = Case.objects.get(pk=trial_case.pk)
        append_event(case=case, action=action, from_state=case.state, to_state=case.state, public=False)
    client.force_login(people["coordinator"])
    with django_assert_max_num_queries(25):
        html = client.get(reverse("workspace:case", args=[trial_case.tracking_code])).content.decode()
    assert str(EVENT_LABELS["due_recomputed"]) in html
    assert str(EVENT_LABELS["beneficiary_added"]) in html
    assert "Something new happened" in html
    assert "due_recomputed" not in html and "beneficiary_added" not in html

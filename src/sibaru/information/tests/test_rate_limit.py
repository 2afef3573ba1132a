"""A flood of requests from one address is refused, and the refused one registers nothing."""

import pytest
from django.urls import reverse

from sibaru.information.models import InformationRequest
from sibaru.information.tests.test_views import form_data

pytestmark = pytest.mark.django_db


def test_a_flood_of_request_forms_from_one_address_is_refused(client, ppid, settings):
    settings.RATELIMIT_SUBMIT = "2/h"  # an hour's window: the posts cannot straddle its boundary
    statuses = [client.post(reverse("information:submit"), form_data(submission_id=f"s{i}")).status_code
                for i in range(3)]
    assert statuses == [302, 302, 429]
    assert InformationRequest.objects.count() == 2

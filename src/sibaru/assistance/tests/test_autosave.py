"""Autosave of the proposer's task pages: the page's script posts the form with `X-Autosave: 1`; the same view
and service save it and answer in JSON, or save nothing and name the fields; a proposal that can no longer
change refuses; a burst of saves of one task leaves one "edited" event on the timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sibaru.assistance import services
from sibaru.assistance.models import Proposal, ProposalDocument
from sibaru.assistance.tests.test_views import distributed, new_draft, submitted, text, url
from sibaru.core.models import Event
from sibaru.core.services import case_apply_action

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
LETTER = {"letter_number": "050/77/Disperkim", "letter_date": "", "letter_signatory": "Muhammad Farhan",
          "letter_position": "", "description": ""}


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def in_revision(staff, catalogue, regions, directorates) -> Proposal:
    proposal = distributed(staff, catalogue, regions, directorates)
    verifier = staff["swadaya_verifier"]
    for document in ProposalDocument.objects.filter(proposal=proposal, current=True):
        services.proposal_document_review(document=document, user=verifier, complete=False, note="Kurang jelas.")
    case_apply_action(case=proposal.case, action="request_revision", user=verifier)
    return Proposal.objects.select_related("case").get(pk=proposal.pk)


def edited_events(proposal) -> list[Event]:
    return list(Event.objects.filter(case=proposal.case, action="edited").order_by("seq"))


def test_a_valid_autosave_saves_and_answers_with_the_time_in_json(client, staff, catalogue, regions,
                                                                  django_assert_max_num_queries):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    with django_assert_max_num_queries(12):
        response = client.post(url("letter", proposal), LETTER, **AUTOSAVE)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    proposal.refresh_from_db()
    assert proposal.letter_number == "050/77/Disperkim" and proposal.letter_signatory == "Muhammad Farhan"
    assert response.json() == {"saved_at": proposal.updated_at.isoformat()}


def test_the_same_post_without_the_header_is_still_a_page_that_moves_on(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    response = client.post(url("letter", proposal), LETTER)
    assert response.status_code == 302 and response.url == url("proposal", proposal)


def test_an_invalid_autosave_saves_nothing_and_names_the_fields(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    before = Proposal.objects.get(pk=proposal.pk).updated_at
    client.force_login(staff["operator"])
    response = client.post(url("letter", proposal), {**LETTER, "letter_date": "2999-01-01"}, **AUTOSAVE)
    assert response.status_code == 422 and response.json() == {"fields": ["letter_date"]}
    proposal.refresh_from_db()
    # Not even the valid fields of the same form: a save is all or nothing.
    assert proposal.letter_number == "" and proposal.letter_signatory == "" and proposal.updated_at == before

    # A refusal of the service (a location outside the organisation's area) is a named field too.
    outside = client.post(url("location", proposal), {"region": "3374"}, **AUTOSAVE)
    assert outside.status_code == 422 and outside.json() == {"fields": ["region"]}
    assert Proposal.objects.select_related("case").get(pk=proposal.pk).case.region_id == "3273"


def test_target_villages_are_autosaved_and_invalid_rows_named(client, staff, catalogue, regions,
                                                              django_assert_max_num_queries):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    rows = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
            "form-0-region": "3273011001", "form-0-units_pk": "10", "form-0-units_pb": "2",
            "form-0-uninhabitable_houses": "40",
            "form-1-region": "3273011002", "form-1-units_pk": "5", "form-1-units_pb": "0",
            "form-1-uninhabitable_houses": "12"}
    bad = client.post(url("volume", proposal), {**rows, "form-1-units_pk": "-3"}, **AUTOSAVE)
    assert bad.status_code == 422 and bad.json() == {"fields": ["form-1-units_pk"]}
    duplicate = client.post(url("volume", proposal), {**rows, "form-1-region": "3273011001"}, **AUTOSAVE)
    assert duplicate.status_code == 422 and "form-1-region" in duplicate.json()["fields"]
    assert not proposal.locations.exists()

    with django_assert_max_num_queries(23):
        saved = client.post(url("volume", proposal), {**rows, "save_stay": "1"}, **AUTOSAVE)
    assert saved.status_code == 200 and "saved_at" in saved.json()
    proposal.refresh_from_db()
    assert proposal.units == 17 and proposal.locations.count() == 2


def test_a_proposal_that_can_no_longer_change_refuses_an_autosave_without_a_redirect(client, staff, catalogue,
                                                                                     regions):
    proposal = submitted(staff, catalogue, regions)
    client.force_login(staff["operator"])
    response = client.post(url("letter", proposal), {**LETTER, "letter_number": "999"}, **AUTOSAVE)
    assert response.status_code == 409 and "tidak dapat diubah" in response.json()["error"]
    assert Proposal.objects.get(pk=proposal.pk).letter_number == "050/123/Disperkim"

    # The province sees the proposal but may not change it; another proposer does not see it at all.
    client.force_login(staff["province_monitor"])
    assert client.post(url("letter", proposal), LETTER, **AUTOSAVE).status_code == 403
    client.force_login(staff["developer"])
    assert client.post(url("letter", proposal), LETTER, **AUTOSAVE).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).letter_number == "050/123/Disperkim"


def test_autosaves_of_one_task_are_one_edited_event_per_window(client, staff, catalogue, regions, directorates):
    proposal = in_revision(staff, catalogue, regions, directorates)
    client.force_login(staff["operator"])
    for number in ("050/1", "050/12", "050/123"):
        response = client.post(url("letter", proposal), {**LETTER, "letter_number": number}, **AUTOSAVE)
        assert response.status_code == 200
    [first] = edited_events(proposal)
    assert first.actor == staff["operator"] and first.data["fields"][0] == "description"
    assert Proposal.objects.get(pk=proposal.pk).letter_number == "050/123"

    # Another task is another event; so is the same task again once the window has passed.
    client.post(url("about", proposal), {"title": "BSPS Sukasari (perbaikan)",
                                         "category": catalogue["regional_head"].pk}, **AUTOSAVE)
    client.post(url("letter", proposal), LETTER, **AUTOSAVE)
    assert [e.data["fields"] for e in edited_events(proposal)][1:] == [["category", "title"], first.data["fields"]]
    Event.objects.filter(pk=edited_events(proposal)[-1].pk).update(
        at=timezone.now() - services.EDIT_COALESCE_WINDOW - timedelta(seconds=1)
    )
    client.post(url("letter", proposal), {**LETTER, "letter_number": "050/9"}, **AUTOSAVE)
    assert len(edited_events(proposal)) == 4


def test_the_task_pages_carry_the_status_line_and_the_script(client, staff, catalogue, regions):
    proposal = new_draft(staff["operator"], catalogue, regions)
    client.force_login(staff["operator"])
    for name in ("about", "letter", "location", "volume", "readiness"):
        page = text(client.get(url(name, proposal)))
        assert 'role="status" aria-live="polite" data-autosave-status' in page, name
        assert "sibaru/autosave.js" in page and "data-autosave-back" in page, name
    assert "autosave.js" not in text(client.get(url("check", proposal)))


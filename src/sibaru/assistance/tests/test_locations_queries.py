"""The BSPS target villages cost the same number of queries for 1 row as for 10: the “Volume dan anggaran”
page (GET, POST, the autosave POST, a refused POST) and PUT /api/v1/proposals/{code}/locations. Retired and
unknown codes are still refused with their own messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sibaru.accounts.services import api_token_issue
from sibaru.assistance import services
from sibaru.assistance.models import Proposal
from sibaru.regions.models import Region

pytestmark = pytest.mark.django_db

VILLAGES = [f"32730110{n:02d}" for n in range(10, 20)]
# A page's or call's fixed cost; the point is that it does not grow with the rows.
MAX_QUERIES = 30


@pytest.fixture
def villages(catalogue):
    Region.objects.bulk_create([
        Region(code=code, name=f"Desa Uji {code[-2:]}", level="village", kind="desa", parent_id="327301")
        for code in VILLAGES
    ])
    return VILLAGES


@pytest.fixture
def proposal(staff, catalogue, regions):
    return services.proposal_create(user=staff["operator"], programme=catalogue["swadaya"], budget_year=2031,
                                    title="BSPS Sukasari", region=regions["3273"],
                                    category=catalogue["regional_head"])


def saved(proposal, user, codes):
    services.proposal_locations_set(proposal=proposal, user=user, locations=[
        {"region": Region.objects.get(code=code), "units_pk": 1, "units_pb": 0, "uninhabitable_houses": 3}
        for code in codes
    ])


def rows(codes, *, initial=0, **overrides) -> dict:
    data = {"form-TOTAL_FORMS": str(len(codes)), "form-INITIAL_FORMS": str(initial)}
    for i, code in enumerate(codes):
        data.update({f"form-{i}-region": code, f"form-{i}-units_pk": "2", f"form-{i}-units_pb": "1",
                     f"form-{i}-uninhabitable_houses": "9"})
    return {**data, **overrides}


def count(send, *args, **kwargs) -> tuple[int, object]:
    """The number of queries one request costs, and its response."""
    with CaptureQueriesContext(connection) as queries:
        response = send(*args, **kwargs)
    return len(queries), response


def volume_url(proposal) -> str:
    return reverse("assistance:volume", kwargs={"tracking_code": proposal.case.tracking_code})


def test_the_page_shows_one_or_ten_villages_in_the_same_queries(client, staff, proposal, villages,
                                                                django_assert_max_num_queries):
    operator = staff["operator"]
    client.force_login(operator)
    client.get(volume_url(proposal))  # the session and caches settle
    costs = {}
    for n in (1, 10):
        saved(proposal, operator, villages[:n])
        costs[n], page = count(client.get, volume_url(proposal))
        html = page.content.decode()
        assert page.status_code == 200 and html.count('class="location-row"') == n
        # Each row's picker: its label with the ancestors, and the province list.
        assert html.count("Terpilih: Desa Desa Uji") == n and html.count('<option value="32" selected>') == n
        # Sent back with an error (the first village twice): every picker rendered again, still constant.
        duplicate = rows(villages[:n] + [villages[0]], initial=n)
        refused_cost, refused = count(client.post, volume_url(proposal), duplicate)
        assert refused.status_code == 400 and "sudah tercantum" in refused.content.decode()
        assert refused_cost == costs[n]
    assert costs[1] == costs[10]
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(volume_url(proposal))


# Saving also recomputes the budget (rules.estimate_budget), which reads the year's unit amounts once.


def test_saving_one_or_ten_villages_costs_the_same(client, staff, proposal, villages):
    operator = staff["operator"]
    client.force_login(operator)
    client.get(volume_url(proposal))
    costs = {}
    for n in (1, 10):
        saved(proposal, operator, villages[:n])
        post_cost, posted = count(client.post, volume_url(proposal), rows(villages[:n], initial=n))
        assert posted.status_code == 302, posted.content.decode()
        autosave_cost, autosaved = count(
            client.post, volume_url(proposal), rows(villages[:n], initial=n), HTTP_X_AUTOSAVE="1")
        assert autosaved.status_code == 200 and "saved_at" in autosaved.json()
        costs[n] = (post_cost, autosave_cost)
    assert list(Proposal.objects.get().locations.order_by("region_id").values_list("region_id", flat=True)) == villages
    assert costs[1] == costs[10] and max(costs[10]) <= MAX_QUERIES, costs


def test_retired_unknown_and_malformed_codes_keep_their_errors_and_change_nothing(client, staff, proposal,
                                                                                   villages):
    operator = staff["operator"]
    saved(proposal, operator, villages[:2])
    Region.objects.filter(code=villages[5]).update(is_current=False)
    url = volume_url(proposal)
    client.force_login(operator)
    for code, message in ((villages[5], "sudah tidak berlaku"), ("3273019999", "tidak dikenal"),
                          ("32.73.x", "angka"), ("327301", "terlalu umum")):
        refused = client.post(url, rows([villages[0], code], initial=2))
        assert refused.status_code == 400 and message in refused.content.decode(), code
        autosave = client.post(url, rows([villages[0], code], initial=2), HTTP_X_AUTOSAVE="1")
        assert autosave.status_code == 422 and autosave.json()["fields"] == ["form-1-region"], code
    assert sorted(proposal.locations.values_list("region_id", flat=True)) == villages[:2]


def test_the_api_put_costs_the_same_for_one_and_ten_villages(client, staff, proposal, villages):
    secret, _ = api_token_issue(user=staff["operator"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/v1/proposals/{proposal.case.tracking_code}/locations"

    def put(codes):
        body = {"locations": [{"region_code": code, "units_pk": 1} for code in codes]}
        return client.put(url, body, content_type="application/json", **headers)

    put(villages[:1])  # the token's first use settles
    costs = {}
    for n in (1, 10):
        costs[n], answer = count(put, villages[:n])
        assert answer.status_code == 200 and len(answer.json()["locations"]) == n, answer.content
    assert costs[1] == costs[10] <= MAX_QUERIES

    unknown = put([*villages[:9], "3273019999"])
    assert unknown.status_code == 422 and "tidak dikenal" in str(unknown.json()["error"]["fields"])
    assert proposal.locations.count() == 10

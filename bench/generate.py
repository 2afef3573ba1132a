"""Generate the national-scale dataset of the budgets (DESIGN.md, "Budgets") into a scratch database.

At --scale 1: 1,000,000 complaints, 200,000 information requests, 100,000 proposals and 1,000,000 BSPS
beneficiaries, over every Kemendagri region (`manage.py load_regions`), with their states spread over each
workflow and a hash-chained timeline per case. Rows go in through the real models (core.Case and each
service's own model) with bulk_create in batches, one transaction per batch. The same --seed gives the same
rows (tracking codes, states, dates relative to --until), on SQLite and on PostgreSQL.

    .venv/bin/python bench/generate.py --scale 0.01
    .venv/bin/python bench/generate.py --scale 1 --database-url postgres://postgres@127.0.0.1:5432/sibaru_bench

The database is migrated and filled; it must be empty of cases (use a new one) and its name must contain
"bench". bench_requests.py then measures against it.
"""

import argparse
import hashlib
import random
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_URL, PASSWORD, setup_django  # noqa: E402

NATIONAL = {"complaints": 1_000_000, "information_requests": 200_000, "proposals": 100_000,
            "beneficiaries": 1_000_000}
BATCH = 5_000
# Share of each state, per workflow (a live system: most cases closed, a tail in every open stage).
COMPLAINT_STATES = {"received": 8, "postponed": 2, "dispositioned": 6, "in_follow_up": 10, "answered": 6,
                    "closed": 55, "forwarded": 4, "archived": 6, "merged": 2, "converted": 1}
REQUEST_STATES = {"registered": 10, "in_process": 10, "answered": 80}
PROPOSAL_STATES = {"draft": 10, "submitted": 10, "distributed": 10, "revision": 5, "field_verification": 10,
                   "for_decision": 5, "decided": 10, "implementation": 10, "handed_over": 10, "rejected": 5,
                   "not_eligible": 5, "lapsed": 5, "withdrawn": 5}
# BSPS is the largest programme: it gets this share of the proposals, and every beneficiary.
PROGRAMME_SHARES = {"swadaya": 40, "rusun": 20, "rusus": 20, "psu": 20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = the national dataset")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--until", default="2026-11-01", help="the dataset's 'today': cases span 3 years before it")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a scratch database (default {DEFAULT_URL})")
    args = parser.parse_args()
    setup_django(args.database_url)
    Generator(args).run()


class Generator:
    def __init__(self, args):
        from sibaru.core import workflow

        self.workflow = workflow
        self.rng = random.Random(args.seed)  # noqa: S311  # nosec B311 (test data, not security)
        self.scale = args.scale
        self.until = datetime.fromisoformat(args.until).replace(tzinfo=UTC)
        self.codes: set[str] = set()

    def count(self, what: str) -> int:
        return max(1, round(NATIONAL[what] * self.scale))

    def run(self) -> None:
        from django.core.management import call_command
        from django.db import connection

        from sibaru.core.models import Case

        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), scale {self.scale}")
        self.step("migrate", call_command, "migrate", verbosity=0)
        self.step("load_regions", call_command, "load_regions", verbosity=0)
        if Case.objects.exists():
            raise SystemExit("this database already holds cases: generate into a new one")
        if connection.vendor == "sqlite":
            # A scratch dataset: a power cut may lose it, so skip the fsync of every batch.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        self.step("organisations and staff", self.people)
        self.step(f"{self.count('complaints'):,} complaints", self.complaints)
        self.step(f"{self.count('information_requests'):,} information requests", self.information_requests)
        self.step(f"{self.count('proposals'):,} proposals", self.proposals)
        self.step(f"{self.count('beneficiaries'):,} beneficiaries", self.beneficiaries)
        # Planner statistics, as a running system would have them.
        self.step("analyze", lambda: connection.cursor().execute("ANALYZE"))
        print(f"staff accounts (password {PASSWORD}): coordinator@bench.test (complaints), "
              "planner@bench.test (proposals), ppid@bench.test (information requests)")

    @staticmethod
    def step(label, function, *args, **kwargs):
        start = time.perf_counter()
        function(*args, **kwargs)
        print(f"  {label:<40} {time.perf_counter() - start:8.1f} s", flush=True)

    # --- people -------------------------------------------------------------------------------------------

    def people(self) -> None:
        from sibaru.accounts.models import Membership, Organisation, User
        from sibaru.accounts.roles import Role
        from sibaru.regions.models import Region

        Kind = Organisation.Kind
        # The complaints office is the first ministry without a parent (complaints_office()): this one.
        self.ministry = Organisation.objects.create(name="Kementerian PKP (bench)", kind=Kind.MINISTRY_AGENCY)
        self.units = Organisation.objects.bulk_create(
            Organisation(name=f"Direktorat {i + 1} (bench)", kind=Kind.DIRECTORATE, parent=self.ministry)
            for i in range(10)
        )
        villages = Region.objects.filter(level="village", is_current=True).values_list("code", flat=True)
        self.villages = sorted(villages)
        self.villages_of: dict[str, list[str]] = {}
        for code in self.villages:
            self.villages_of.setdefault(code[:4], []).append(code)
        regencies = sorted(self.villages_of)
        # One proposer per regency, up to 200: the proposals spread over the country.
        self.proposers = Organisation.objects.bulk_create(
            Organisation(name=f"Pemda {code} (bench)", kind=Kind.REGENCY_GOVERNMENT, region_id=code)
            for code in self.rng.sample(regencies, min(200, len(regencies)))
        )
        for email, role in (("coordinator@bench.test", Role.COMPLAINT_COORDINATOR),
                            ("planner@bench.test", Role.PLANNING_OFFICER),
                            ("ppid@bench.test", Role.PPID_OFFICER)):
            user = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title())
            Membership.objects.create(user=user, organisation=self.ministry, role=role)

    # --- the shared part: cases and their timelines -------------------------------------------------------

    def tracking_code(self, prefix: str, year: int) -> str:
        from sibaru.core.tracking import ALPHABET, _check_character

        while True:
            body = "".join(self.rng.choices(ALPHABET, k=11))
            random_part = body + _check_character(prefix + str(year) + body)
            code = f"{prefix}-{year}-{random_part[0:4]}-{random_part[4:8]}-{random_part[8:12]}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def case(self, kind: str, states: dict[str, int], **fields):
        """An unsaved Case in a state drawn from `states`, with its events (open, and the move to that state)."""
        from sibaru.core.events import compute_hash
        from sibaru.core.models import Case, Event

        flow = self.workflow.get(kind)
        state = flow.state(self.rng.choices(list(states), weights=list(states.values()))[0])
        opened = self.until - timedelta(seconds=self.rng.randrange(3 * 365 * 86400))
        entered = min(self.until, opened + timedelta(seconds=self.rng.randrange(40 * 86400)))
        if state.code == flow.initial:
            entered = opened
        draft = state.code == "draft"
        case = Case(
            tracking_code=self.tracking_code(flow.prefix, opened.year), kind=kind, state=state.code,
            created_at=opened, updated_at=entered, submitted_at=None if draft else opened, state_entered_at=entered,
            closed_at=entered if state.final else None, **fields,
        )
        if state.deadline and not state.final and not state.paused:
            days = self.rng.choice((3, 5, 10, 14, 20))
            case.due_start, case.due_days, case.due_day_type = entered.date(), days, "working"
            case.due_date = entered.date() + timedelta(days=days * 7 // 5)
        events = [Event(seq=1, at=opened, actor_role="applicant", action="open", to_state=flow.initial)]
        if state.code != flow.initial:
            action = next((a.code for a in flow.actions if a.target == state.code), "move")
            events.append(Event(seq=2, at=entered, actor_role=state.actor or "", action=action,
                                from_state=flow.initial, to_state=state.code))
        previous = ""
        for event in events:
            event.prev_hash = previous
            event.hash = previous = compute_hash(case, event)
        case.last_event_seq, case.last_event_hash = len(events), previous
        return case, events

    def save(self, kind: str, total: int, states: dict[str, int], fields, details, extra=None) -> None:
        """Cases of `kind` in batches: each batch's cases, events, service rows (and `extra` rows) in one
        transaction. `fields(i)` gives the case's own fields, `details(i, case)` its service record."""
        from django.db import transaction

        from sibaru.core.models import Case, Event

        for start in range(0, total, BATCH):
            built = [self.case(kind, states, **fields(i)) for i in range(start, min(total, start + BATCH))]
            with transaction.atomic(), timestamps_as_given(Case):
                cases = Case.objects.bulk_create(case for case, _events in built)
                events = []
                for case, case_events in built:
                    for event in case_events:
                        event.case = case
                        events.append(event)
                Event.objects.bulk_create(events)
                rows = [details(start + n, case) for n, case in enumerate(cases)]
                type(rows[0]).objects.bulk_create(rows)
                if extra:
                    extra(rows)
            print(f"\r    {min(total, start + BATCH):,} / {total:,}", end="", flush=True)
        print("\r", end="")

    def secret_hash(self) -> str:
        return hashlib.sha256(self.rng.randbytes(16)).hexdigest()

    # --- each service -------------------------------------------------------------------------------------

    def complaints(self) -> None:
        from sibaru.complaints.models import Category, Complaint, ComplaintUnit
        from sibaru.core.models import Privacy

        categories = list(Category.objects.filter(active=True).order_by("pk"))
        rng = self.rng
        privacies = [Privacy.PUBLIC] * 7 + [Privacy.CONFIDENTIAL] * 2 + [Privacy.ANONYMOUS]
        handled = {"dispositioned", "in_follow_up", "answered", "closed"}

        def fields(i):
            return {"subject": f"Laporan bench {i + 1}: jalan lingkungan rusak", "privacy": rng.choice(privacies),
                    "organisation": self.ministry, "region_id": rng.choice(self.villages)}

        def details(i, case):
            named = case.privacy != Privacy.ANONYMOUS
            return Complaint(
                case=case, report_type=rng.choice(("pengaduan", "pengaduan", "aspirasi")),
                category=rng.choice(categories), title=case.subject[:150],
                public_title=case.subject[:150] if case.state in handled else "",
                description=f"Uraian laporan bench nomor {i + 1}: jalan lingkungan rusak sejak musim hujan.",
                channel=rng.choice(("web", "web", "api", "walk_in")),
                reporter_name=f"Pelapor {i + 1}" if named else "",
                reporter_email=f"pelapor{i + 1}@contoh.id" if named else "",
                follow_token_hash=self.secret_hash(),
                rating=rng.randint(1, 5) if case.state == "closed" and rng.random() < 0.3 else None,
            )

        def units(complaints):
            ComplaintUnit.objects.bulk_create(
                ComplaintUnit(complaint=c, organisation=rng.choice(self.units))
                for c in complaints if c.case.state in handled
            )

        self.save("complaint", self.count("complaints"), COMPLAINT_STATES, fields, details, units)

    def information_requests(self) -> None:
        from sibaru.information.models import InformationRequest
        from sibaru.information.workflow import REQUEST_KIND

        rng = self.rng

        def fields(i):
            return {"subject": f"Data penerima bantuan tahun {2015 + i % 10}", "organisation": self.ministry}

        def details(i, case):
            return InformationRequest(
                case=case, registration_number=f"BENCH/{i + 1:07d}", received_on=case.created_at.date(),
                requester_type=rng.choice(("person", "person", "legal_entity")), name=f"Pemohon {i + 1}",
                id_number=f"3273{rng.randrange(10**11, 10**12)}", address=f"Jl. Bench No. {i + 1}",
                email=f"pemohon{i + 1}@contoh.id", information=case.subject, purpose="Penelitian",
                obtain=rng.choice(("view", "copy")), delivery=rng.choice(("email", "post", "pickup")),
                token_hash=self.secret_hash(),
            )

        self.save(REQUEST_KIND, self.count("information_requests"), REQUEST_STATES, fields, details)

    def proposals(self) -> None:
        from sibaru.assistance.models import Programme, Proposal, RequirementSet
        from sibaru.assistance.workflow import kind_for

        rng = self.rng
        year = self.until.year
        total = self.count("proposals")
        self.swadaya: list[int] = []
        for code, share in PROGRAMME_SHARES.items():
            programme = Programme.objects.get(code=code)
            requirement_set, _created = RequirementSet.objects.get_or_create(programme=programme, budget_year=year)
            proposer_of: dict[int, object] = {}

            def fields(i, proposer_of=proposer_of, code=code):
                proposer = proposer_of[i] = rng.choice(self.proposers)
                return {"subject": f"Usulan {code} bench {i + 1}", "organisation": proposer,
                        "region_id": proposer.region_id}

            def details(i, case, programme=programme, requirement_set=requirement_set, proposer_of=proposer_of):
                return Proposal(case=case, programme=programme, requirement_set=requirement_set,
                                proposer=proposer_of.pop(i), budget_year=year, title=case.subject,
                                units=rng.randint(10, 500), estimated_budget=rng.randrange(10**8, 10**10, 10**6))

            def remember(proposals, code=code):
                if code == "swadaya":
                    self.swadaya.extend((p.pk, p.case.region_id) for p in proposals)

            self.save(kind_for(code), max(1, total * share // 100), PROPOSAL_STATES, fields, details, remember)

    def beneficiaries(self) -> None:
        from django.db import transaction

        from sibaru.assistance.models import Beneficiary

        rng = self.rng
        total = self.count("beneficiaries")
        for start in range(0, total, BATCH):
            rows = []
            for i in range(start, min(total, start + BATCH)):
                proposal_id, regency = self.swadaya[i % len(self.swadaya)]
                village = rng.choice(self.villages_of[regency])
                # Unique per proposal: the serial of the NIK follows from i.
                nik = f"{village[:6]}{rng.randint(1, 28) + 40 * (i % 2):02d}{rng.randint(1, 12):02d}" \
                      f"{rng.randint(50, 99):02d}{i // len(self.swadaya) % 9999 + 1:04d}"
                rows.append(Beneficiary(
                    proposal_id=proposal_id, nik=nik, family_card_number=f"{village[:6]}0101{i % 1000000:06d}",
                    name=f"Warga Bench {i + 1}", address=f"Jl. Bench No. {i + 1}", village_id=village,
                    monthly_income=rng.randrange(500_000, 2_200_000, 50_000),
                    land_status=rng.choice(("milik sendiri", "girik", "hak pakai")),
                    household_size=rng.randint(1, 8), floor_area=rng.choice((18, 24, 36, 45)),
                    house_condition={"atap": rng.random() < 0.9}, activity=rng.choice(("PK", "PB")),
                ))
            with transaction.atomic():
                Beneficiary.objects.bulk_create(rows)
            print(f"\r    {min(total, start + BATCH):,} / {total:,}", end="", flush=True)
        print("\r", end="")


@contextmanager
def timestamps_as_given(model):
    """Keep the generated created_at/updated_at: auto_now(_add) would stamp every row with this minute."""
    fields = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or
              getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


if __name__ == "__main__":
    main()

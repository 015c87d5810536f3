"""The budget ledger never exceeds a cap: refused in the action with a German
message naming the available amount, and by the database's CHECK constraints;
concurrent approvals on real PostgreSQL reserve exactly the cap."""

from __future__ import annotations

import re
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from grants.actions import ledger, workflow
from grants.actions.drafts import CostLineData, confirm_partner, create_draft
from grants.models import (
    Application,
    BudgetLedger,
    EntryKind,
    LedgerEntry,
    PartnerSplit,
    Purpose,
    State,
    Vote,
)
from grants.permissions import GrantRefused
from tests.grants.conftest import complete_content, submit


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def row(programme, municipality=None) -> BudgetLedger:
    return BudgetLedger.objects.get(programme=programme, municipality=municipality)


# --- Shares ---------------------------------------------------------------------------


def test_an_application_counts_against_the_lead_only_by_default(draft):
    assert ledger.shares(draft, Decimal("3000.00")) == {"09187117": Decimal("3000.00")}


def test_a_split_partner_application_divides_cent_by_cent_remainder_to_the_lead(
    make_programme, make_municipality, clerk, mayor, today
):
    programme = make_programme(partner_split=PartnerSplit.SPLIT)
    first = make_municipality("09187118", "Abach", 900)
    second = make_municipality("09187119", "Zell", 2000)
    draft, _ = create_draft(
        clerk,
        programme,
        key="split",
        content=complete_content(
            mayor, today, purpose=Purpose.NETWORKING, partners=[second, first]
        ),
    )
    split = ledger.shares(draft, Decimal("1000.00"))
    assert split == {
        "09187117": Decimal("333.34"),
        "09187118": Decimal("333.33"),
        "09187119": Decimal("333.33"),
    }
    assert sum(split.values()) == Decimal("1000.00")


# --- The rule, in the action ----------------------------------------------------------


def test_a_request_above_what_is_left_is_refused_at_submission_naming_the_amount(
    approved, make_draft, mayor
):
    second = make_draft(
        requested_amount=Decimal("2500.00"), own_funds=Decimal("1500.00")
    )
    with pytest.raises(GrantRefused) as refused:
        submit(second, mayor)
    year = approved.programme.year
    assert refused.value.message == (
        f"Für Musterau sind {year} nur noch 2.000,00 € verfügbar "
        "(Obergrenze 5.000,00 €); 2.500,00 € übersteigen diesen Betrag."
    )
    second.refresh_from_db()
    assert second.state == State.DRAFT


def test_approval_checks_again_what_was_approved_meanwhile(
    make_draft, mayor, assessor, approver
):
    """Both fit at submission; the second approval no longer does."""
    first = make_draft(requested_amount=Decimal("3000.00"))
    second = make_draft(requested_amount=Decimal("3000.00"))
    for application in (first, second):
        submit(application, mayor)
        workflow.start_check(assessor, application)
        workflow.pass_check(assessor, application)
        workflow.assess(assessor, application, vote=Vote.APPROVE, reasons="Gut.")
    workflow.approve(approver, first, amount=Decimal("3000.00"), reasons="Gut.")

    with pytest.raises(ledger.BudgetExceeded, match=r"nur noch 2\.000,00 € verfügbar"):
        workflow.approve(approver, second, amount=Decimal("3000.00"), reasons="Gut.")
    second.refresh_from_db()
    assert second.state == State.ASSESSED
    assert row(first.programme, first.municipality).reserved == Decimal("3000.00")

    # A partial amount that fits is possible.
    workflow.approve(approver, second, amount=Decimal("2000.00"), reasons="Rest.")
    budget = row(first.programme, first.municipality)
    assert budget.reserved == budget.cap == Decimal("5000.00")
    assert budget.available == Decimal("0.00")


def test_the_programme_pot_is_a_cap_of_its_own(
    make_programme, make_municipality, make_verified, assessor, approver, today
):
    programme = make_programme(budget=Decimal("5000.00"))
    applications = []
    for n, ags in enumerate(["09187121", "09187122"]):
        town = make_municipality(ags, f"Ort {n}", 3000)
        signatory = make_verified(town, name=f"Zeichnende {n}")
        draft, _ = create_draft(
            signatory,
            programme,
            key=f"pot-{n}",
            content=complete_content(
                signatory,
                today,
                requested_amount=Decimal("3000.00"),
                own_funds=Decimal("1000.00"),
            ),
        )
        applications.append(submit(draft, signatory))
    for application in applications:
        workflow.start_check(assessor, application)
        workflow.pass_check(assessor, application)
        workflow.assess(assessor, application, vote=Vote.APPROVE, reasons="Gut.")
    workflow.approve(approver, applications[0], amount=Decimal("3000.00"), reasons="x")
    with pytest.raises(ledger.BudgetExceeded) as refused:
        workflow.approve(
            approver, applications[1], amount=Decimal("3000.00"), reasons="x"
        )
    assert refused.value.message == (
        "Im Programm sind nur noch 2.000,00 € verfügbar; 3.000,00 € übersteigen "
        "diesen Betrag."
    )
    assert refused.value.available == Decimal("2000.00")


def test_every_booking_is_journalled(approved, clerk):
    entries = LedgerEntry.objects.filter(application=approved).order_by("pk")
    assert [(e.kind, e.amount, e.ledger.municipality_id) for e in entries] == [
        (EntryKind.RESERVE, Decimal("3000.00"), None),
        (EntryKind.RESERVE, Decimal("3000.00"), "09187117"),
    ]
    workflow.withdraw(clerk, approved, reason="Gestoppt.")
    kinds = list(
        LedgerEntry.objects.filter(application=approved).values_list("kind", flat=True)
    )
    assert kinds.count(EntryKind.CANCEL) == 2
    assert ledger.outstanding(approved) == {}
    with pytest.raises(ValueError, match="immutable"):
        entries[0].save()


@pytest.mark.django_db(transaction=True)
def test_bookings_happen_only_inside_a_transition(approved):
    with pytest.raises(RuntimeError):
        ledger.book(None, approved, EntryKind.RESERVE, {None: Decimal("1.00")})


def test_payout_and_returns_slot_into_the_same_booking(approved, approver):
    """Mikroförderung II books payout and returns through `book` as well."""
    with transaction.atomic():
        ledger.book(
            approver,
            approved,
            EntryKind.PAY,
            {None: Decimal("3000.00"), "09187117": Decimal("3000.00")},
        )
    budget = row(approved.programme, approved.municipality)
    assert (budget.reserved, budget.paid) == (Decimal("0.00"), Decimal("3000.00"))
    with transaction.atomic():
        ledger.book(
            approver,
            approved,
            EntryKind.RELEASE,
            {None: Decimal("400.00"), "09187117": Decimal("400.00")},
        )
    budget.refresh_from_db()
    assert budget.available == Decimal("2400.00")
    with (
        pytest.raises(GrantRefused, match="nicht mehr zurückfließen"),
        transaction.atomic(),
    ):
        ledger.book(
            approver, approved, EntryKind.RECLAIM, {"09187117": Decimal("2600.01")}
        )


# --- The rule, in the database --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        {"reserved": Decimal("5000.01")},
        {"reserved": Decimal("3000.00"), "paid": Decimal("2000.01")},
        {"reserved": Decimal("-0.01")},
        {"paid": Decimal("100.00"), "released": Decimal("100.01")},
        {"cap": Decimal("0.00")},
    ],
)
def test_the_database_refuses_rows_beyond_their_cap(programme, musterau, change):
    BudgetLedger.objects.create(
        programme=programme,
        municipality=musterau,
        year=programme.year,
        cap=Decimal("5000"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLedger.objects.filter(municipality=musterau).update(**change)
    assert row(programme, musterau).reserved == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_the_database_holds_one_row_per_municipality_year_and_one_pot(
    programme, musterau
):
    BudgetLedger.objects.create(
        programme=programme, municipality=musterau, year=programme.year, cap=5000
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLedger.objects.create(
            programme=programme, municipality=musterau, year=programme.year, cap=5000
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLedger.objects.create(
            programme=programme, municipality=None, year=programme.year, cap=5000
        )


# --- Concurrency on real PostgreSQL ---------------------------------------------------

CONCURRENT = 24
REFUSAL = re.compile(
    r"^Für (Musterau|Ort \d+|Abach|Zell) sind \d{4} nur noch 0,00 € verfügbar "
    r"\(Obergrenze 5\.000,00 €\); [\d.]+,\d\d € übersteigen diesen Betrag\.$"
    r"|^Im Programm sind nur noch 0,00 € verfügbar; [\d.]+,\d\d € übersteigen "
    r"diesen Betrag\.$"
)


def _assessed(application: Application, signatory, assessor) -> Application:
    submit(application, signatory)
    workflow.start_check(assessor, application)
    workflow.pass_check(assessor, application)
    return workflow.assess(assessor, application, vote=Vote.APPROVE, reasons="Gut.")


def _approve_all_at_once(
    applications: list[Application], approver, amount: Decimal
) -> tuple[list[int], list[str]]:
    """Every approval in a thread of its own (its own connection and real
    transaction), all released together."""
    start = threading.Barrier(len(applications))
    approved: list[int] = []
    refusals: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def approve(application: Application) -> None:
        try:
            with translation.override("de"):
                start.wait(timeout=60)
                try:
                    workflow.approve(
                        approver, application, amount=amount, reasons="Gleichzeitig."
                    )
                except ledger.BudgetExceeded as refused:
                    with lock:
                        refusals.append(refused.message)
                else:
                    with lock:
                        approved.append(application.pk)
        except BaseException as problem:  # reported by the test below
            with lock:
                failures.append(problem)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(application,))
        for application in applications
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert failures == []
    return approved, refusals


def _simple_content(signatory, today, amount: Decimal, **overrides):
    return complete_content(
        signatory,
        today,
        requested_amount=amount,
        own_funds=Decimal("0.00"),
        cost_lines=[CostLineData("events", "Werkstatt", amount)],
        new_attachments=[],
        **overrides,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_for_one_municipality_reserve_exactly_its_cap(
    programme, musterau, mayor, assessor, approver, today
):
    applications = [
        _assessed(
            create_draft(
                mayor,
                programme,
                key=uuid.uuid4().hex,
                content=_simple_content(mayor, today, Decimal("500.00")),
            )[0],
            mayor,
            assessor,
        )
        for _ in range(CONCURRENT)
    ]
    approved, refusals = _approve_all_at_once(applications, approver, Decimal("500.00"))

    assert len(approved) == 10
    assert len(refusals) == CONCURRENT - 10
    assert all(REFUSAL.match(message) for message in refusals), refusals
    budget = row(programme, musterau)
    assert budget.reserved == budget.cap == Decimal("5000.00")
    assert row(programme).reserved == Decimal("5000.00")
    assert Application.objects.filter(state=State.APPROVED).count() == 10
    assert Application.objects.filter(state=State.ASSESSED).count() == CONCURRENT - 10
    reserved = LedgerEntry.objects.filter(
        kind=EntryKind.RESERVE, ledger__municipality=musterau
    )
    assert sum(entry.amount for entry in reserved) == Decimal("5000.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_the_programme_pot(
    make_programme, make_municipality, make_verified, assessor, approver, today
):
    programme = make_programme(budget=Decimal("10000.00"))
    applications = []
    for n in range(CONCURRENT):
        town = make_municipality(f"091872{n:02}", f"Ort {n}", 3000)
        signatory = make_verified(town, name=f"Zeichnende {n}")
        draft, _ = create_draft(
            signatory,
            programme,
            key=uuid.uuid4().hex,
            content=_simple_content(signatory, today, Decimal("1000.00")),
        )
        applications.append(_assessed(draft, signatory, assessor))

    approved, refusals = _approve_all_at_once(
        applications, approver, Decimal("1000.00")
    )

    assert len(approved) == 10
    assert all(REFUSAL.match(message) for message in refusals), refusals
    assert len(refusals) == CONCURRENT - 10
    pot = row(programme)
    assert pot.reserved == pot.cap == Decimal("10000.00")
    towns = BudgetLedger.objects.filter(programme=programme, municipality__isnull=False)
    assert sorted(t.reserved for t in towns if t.reserved) == [Decimal("1000.00")] * 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_split_partner_applications_fill_three_caps_exactly(
    make_programme, make_municipality, make_verified, assessor, approver, today
):
    """Leads rotate among three municipalities, each naming the other two as
    partners: every approval locks all three rows (in AGS order)."""
    programme = make_programme(partner_split=PartnerSplit.SPLIT)
    towns = [
        make_municipality("09187117", "Musterau", 4200),
        make_municipality("09187118", "Abach", 900),
        make_municipality("09187119", "Zell", 2000),
    ]
    people = [make_verified(town, name=f"Mitglied {town.name}") for town in towns]
    applications = []
    for n in range(CONCURRENT):
        lead = n % 3
        partners = [town for i, town in enumerate(towns) if i != lead]
        draft, _ = create_draft(
            people[lead],
            programme,
            key=uuid.uuid4().hex,
            content=_simple_content(
                people[lead],
                today,
                Decimal("1500.00"),
                purpose=Purpose.NETWORKING,
                partners=partners,
            ),
        )
        for partner in draft.partners.all():
            member = people[[t.pk for t in towns].index(partner.municipality_id)]
            confirm_partner(member, draft, partner)
        applications.append(_assessed(draft, people[lead], assessor))

    approved, refusals = _approve_all_at_once(
        applications, approver, Decimal("1500.00")
    )

    assert len(approved) == 10
    assert len(refusals) == CONCURRENT - 10
    assert all(REFUSAL.match(message) for message in refusals), refusals
    for town in towns:
        budget = row(programme, town)
        assert budget.reserved == budget.cap == Decimal("5000.00")
    assert row(programme).reserved == Decimal("15000.00")

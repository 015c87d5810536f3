"""Reads of the grants app: budgets, applications, the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Municipality, User
from grants.models import (
    ZERO,
    Application,
    BudgetLedger,
    CallOff,
    CallOffStatus,
    HistoryEntry,
    Partner,
    Programme,
    Receipt,
    Reclaim,
    ReportLine,
    State,
    UsageReport,
)
from grants.periods import add_months
from grants.workflow import IN_REVIEW


def current_programme(today: date) -> Programme | None:
    """This year's programme; otherwise the next one still taking applications."""
    programme = Programme.objects.filter(year=today.year).first()
    if programme is not None:
        return programme
    return Programme.objects.filter(closes_on__gte=today).order_by("opens_on").first()


@dataclass(frozen=True)
class Budget:
    """A cap and what is committed against it, for one municipality or the pot."""

    year: int
    cap: Decimal
    reserved: Decimal
    paid: Decimal
    released: Decimal

    @property
    def available(self) -> Decimal:
        return self.cap - self.reserved - self.paid + self.released


def _budget(row: BudgetLedger | None, *, year: int, cap: Decimal) -> Budget:
    if row is None:
        return Budget(year=year, cap=cap, reserved=ZERO, paid=ZERO, released=ZERO)
    return Budget(
        year=row.year,
        cap=row.cap,
        reserved=row.reserved,
        paid=row.paid,
        released=row.released,
    )


def municipality_budget(programme: Programme, municipality: Municipality) -> Budget:
    row = BudgetLedger.objects.filter(
        programme=programme, municipality=municipality, year=programme.year
    ).first()
    return _budget(row, year=programme.year, cap=programme.cap_per_municipality)


def programme_budget(programme: Programme) -> Budget:
    row = BudgetLedger.objects.filter(
        programme=programme, municipality__isnull=True
    ).first()
    return _budget(row, year=programme.year, cap=programme.budget)


def applications_of(municipality: Municipality) -> QuerySet[Application]:
    """The municipality's applications, past and present, newest first."""
    return (
        Application.objects.filter(municipality=municipality)
        .select_related("programme")
        .order_by("-created_at", "-pk")
    )


def partner_requests(member: User) -> QuerySet[Partner]:
    """Drafts of other municipalities waiting for the member's municipality to
    confirm its participation."""
    if member.municipality_id is None or not member.is_affiliation_verified:
        return Partner.objects.none()
    return (
        Partner.objects.filter(
            municipality_id=member.municipality_id,
            confirmed_at__isnull=True,
            application__state=State.DRAFT,
        )
        .select_related("application__programme", "application__municipality")
        .order_by("application__created_at")
    )


def review_queue(*, state: str = "") -> QuerySet[Application]:
    """Applications waiting for the Geschäftsstelle, highest priority first,
    then oldest submission first."""
    states = [state] if state in IN_REVIEW else list(IN_REVIEW)
    return (
        Application.objects.filter(state__in=states)
        .select_related("programme", "municipality__district__state", "assessed_by")
        .order_by("-priority_score", "submitted_at", "pk")
    )


def with_details(application: Application) -> Application:
    """The application with everything its page shows, in a fixed few queries
    (call-offs and reclaims only once there is an approved amount)."""
    after_approval = []
    if application.approved_amount is not None:
        after_approval = [
            Prefetch(
                "call_offs",
                queryset=CallOff.objects.select_related(
                    "requested_by", "released_by", "refused_by"
                ).prefetch_related("invoices"),
            ),
            Prefetch(
                "reclaims",
                queryset=Reclaim.objects.select_related("proposed_by", "decided_by"),
            ),
        ]
    return (
        Application.objects.filter(pk=application.pk)
        .select_related(
            "programme",
            "municipality__district__state",
            "signatory",
            "created_by",
            "updated_by",
            "submitted_by",
            "assessed_by",
            "decided_by",
            "early_start_granted_by",
        )
        .prefetch_related(
            "cost_lines",
            "funding_lines",
            "partners__municipality",
            "partners__confirmed_by",
            "attachments",
            "queries",
            *after_approval,
            Prefetch("history", queryset=HistoryEntry.objects.select_related("actor")),
        )
        .get()
    )


@dataclass(frozen=True)
class Payouts:
    """Where the approved money of one application stands."""

    approved: Decimal
    called_off: Decimal
    paid: Decimal

    @property
    def left_to_call(self) -> Decimal:
        return self.approved - self.called_off


def payouts_of(application: Application) -> Payouts:
    """From the prefetched call-offs of `with_details`: no further query."""
    called = paid = ZERO
    for call_off in application.call_offs.all():
        if call_off.status != CallOffStatus.REFUSED:
            called += call_off.amount
        if call_off.status == CallOffStatus.PAID:
            paid += call_off.amount
    return Payouts(
        approved=application.approved_amount or ZERO, called_off=called, paid=paid
    )


def report_of(application: Application) -> UsageReport | None:
    """The usage report with its lines and receipts, in three queries."""
    report = (
        UsageReport.objects.filter(application=application)
        .select_related("submitted_by", "checked_by")
        .prefetch_related(
            Prefetch("lines", queryset=ReportLine.objects.select_related("cost_line")),
            Prefetch("receipts", queryset=Receipt.objects.select_related("cost_line")),
        )
        .first()
    )
    if report is not None:
        # The application as the caller has it (its cost lines prefetched).
        report.application = application
    return report


def signatory_choices(municipality_id: str) -> QuerySet[User]:
    """Who can be named the authorised signatory: the municipality's verified,
    active members."""
    return User.objects.filter(
        municipality_id=municipality_id,
        affiliation_verified_at__isnull=False,
        is_active=True,
        deleted_at__isnull=True,
    ).order_by("name", "pk")


# --- Personal data export -------------------------------------------------------------


# States in which a case is over: what is kept from then on is a record.
FINISHED = (State.CLOSED, State.REJECTED, State.WITHDRAWN)
MINIMUM_RETENTION_YEARS = 5


def retained_until(application: Application) -> date | None:
    """The day until which the case's records are kept: the configured number
    of years (at least five) after the case closed; None while it is open."""
    closed = (
        application.history.filter(to_state__in=FINISHED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if application.state not in FINISHED or closed is None:
        return None
    years = max(settings.GRANTS_RETENTION_YEARS, MINIMUM_RETENTION_YEARS)
    closed_on = timezone.localdate(closed)
    return add_months(closed_on, 12 * years)


def export_applications(member: User) -> list[dict[str, Any]]:
    """Applications in which the member acted, with what they did."""
    roles = {
        "started": Q(created_by=member),
        "named_signatory": Q(signatory=member),
        "submitted": Q(submitted_by=member),
        "assessed": Q(assessed_by=member),
        "decided": Q(decided_by=member),
        "called_off": Q(call_offs__requested_by=member),
        "released_payout": Q(call_offs__released_by=member),
        "refused_call_off": Q(call_offs__refused_by=member),
        "wrote_report": Q(report__updated_by=member),
        "submitted_report": Q(report__submitted_by=member),
        "checked_report": Q(report__checked_by=member),
        "proposed_revocation": Q(reclaims__proposed_by=member),
        "decided_revocation": Q(reclaims__decided_by=member),
        "recorded_repayment": Q(reclaims__repayment_recorded_by=member),
    }
    found: dict[int, dict[str, Any]] = {}
    for role, condition in roles.items():
        for application in (
            Application.objects.filter(condition).distinct().select_related("programme")
        ):
            entry = found.setdefault(
                application.pk,
                {
                    "reference": application.reference,
                    "title": application.title,
                    "municipality_ags": application.municipality_id,
                    "state": application.state,
                    "retained_until": retained_until(application),
                    "roles": [],
                },
            )
            entry["roles"].append(role)
    return [found[pk] for pk in sorted(found)]

"""The usage report: written by the municipality, checked by the Geschäftsstelle.

Accepting it fixes the grant used; the reservation not paid out goes back to
the caps at once (available again this year), and money paid out but not used
is recorded as to be repaid (a reclaim brings it back to the ledger).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from grants import reports
from grants.actions import ledger, notices
from grants.actions.drafts import add_attachments
from grants.actions.workflow import begin_transition, finish_transition
from grants.models import (
    ZERO,
    Application,
    AttachmentKind,
    CallOffStatus,
    PracticeExample,
    Query,
    Receipt,
    ReminderKind,
    ReportLine,
    ReportReminder,
    UsageReport,
)
from grants.periods import add_months
from grants.permissions import GrantRefused, check_applicant
from grants.workflow import REPORT_OPEN, REPORT_OWED, TRANSITIONS


@dataclass
class ReceiptData:
    cost_line_id: int
    paid_on: date
    payee: str
    purpose: str
    amount: Decimal


@dataclass
class ReportContent:
    narrative: str
    own_funds: Decimal
    other_funding: Decimal
    spent: dict[int, Decimal]
    receipts: list[ReceiptData] = field(default_factory=list)
    receipt_copies: list[UploadedFile] = field(default_factory=list)


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "municipality")
        .get(pk=application.pk)
    )


@transaction.atomic
def save_report(
    actor: User, application: Application, *, content: ReportContent
) -> UsageReport:
    """Save the report as written so far (it may be incomplete until submitted)."""
    locked = _lock(application)
    check_applicant(actor, locked)
    if locked.state not in REPORT_OPEN:
        raise GrantRefused(
            _(
                "The usage report cannot be changed while the application is "
                "“%(state)s”."
            )
            % {"state": locked.get_state_display()}
        )
    lines = {line.pk: line for line in locked.cost_lines.all()}
    if any(pk not in lines for pk in content.spent) or any(
        r.cost_line_id not in lines for r in content.receipts
    ):
        raise GrantRefused(_("The statement names a line that is not in the plan."))
    if any(amount < 0 for amount in content.spent.values()):
        raise GrantRefused(_("Amounts spent cannot be negative."))
    report, _created = UsageReport.objects.get_or_create(
        application=locked,
        defaults={"simple": locked.programme.allows_simple_report},
    )
    report.narrative = content.narrative.strip()
    report.own_funds = content.own_funds
    report.other_funding = content.other_funding
    report.updated_by = actor
    report.updated_at = timezone.now()
    report.save()
    report.lines.all().delete()
    ReportLine.objects.bulk_create(
        ReportLine(report=report, cost_line_id=pk, spent=content.spent.get(pk, ZERO))
        for pk in lines
    )
    report.receipts.all().delete()
    if not report.simple:
        Receipt.objects.bulk_create(
            Receipt(
                report=report,
                cost_line_id=r.cost_line_id,
                paid_on=r.paid_on,
                payee=r.payee.strip(),
                purpose=r.purpose.strip(),
                amount=r.amount,
            )
            for r in content.receipts
        )
    add_attachments(
        actor, locked, [(AttachmentKind.RECEIPT, f) for f in content.receipt_copies]
    )
    return report


@transaction.atomic
def submit_report(
    actor: User, application: Application, *, answer: str = ""
) -> UsageReport:
    """Submit the report (again, after a query); refused while figures do not
    add up or a part is missing, or while a call-off waits for its payout."""
    locked, transition = begin_transition(actor, application, "submit_report")
    report = UsageReport.objects.filter(application=locked).first()
    if report is None:
        raise GrantRefused(_("Please write the usage report first."))
    if locked.call_offs.filter(status=CallOffStatus.REQUESTED).exists():
        raise GrantRefused(
            _("A call-off still waits for its payout; the report follows after it.")
        )
    found = reports.problems(report)
    if found:
        raise GrantRefused(" ".join(found))
    query = (
        locked.queries.filter(answered_at__isnull=True).order_by("-asked_at").first()
    )
    if query is not None:
        query.answer = answer.strip() or _("The usage report was corrected.")
        query.answered_by = actor
        query.answered_at = timezone.now()
        query.save(update_fields=["answer", "answered_by", "answered_at"])
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_by", "submitted_at"])
    flags = [f.cost_line.description for f in reports.figures_of(report) if f.flag]
    finish_transition(
        actor,
        locked,
        transition,
        fields=[],
        note=answer.strip(),
        data={"total_spent": str(report.total_spent), "flagged_lines": flags},
        tell_staff=True,
    )
    return report


@transaction.atomic
def query_report(
    actor: User,
    application: Application,
    *,
    question: str,
    deadline: date,
    sample: bool = False,
) -> Query:
    """Ask about the report, or ask for copies of (a sample of) the receipts."""
    locked, transition = begin_transition(actor, application, "query_report")
    question = question.strip()
    if not question:
        raise GrantRefused(_("Please write the question."))
    if deadline <= timezone.localdate():
        raise GrantRefused(_("The deadline must be in the future."))
    query = Query.objects.create(
        application=locked, question=question, deadline=deadline, asked_by=actor
    )
    finish_transition(
        actor,
        locked,
        transition,
        fields=[],
        reason=question,
        note=question,
        data={"deadline": deadline.isoformat(), "receipt_sample": sample},
    )
    return query


@transaction.atomic
def accept_report(
    actor: User, application: Application, *, note: str = ""
) -> UsageReport:
    """Accept the report: fix the grant used, give the unpaid reservation back
    to the caps, and record what was paid out but not used."""
    locked, _transition = begin_transition(actor, application, "accept_report")
    report = UsageReport.objects.select_for_update().get(application=locked)
    used = reports.grant_used(report)
    paid = ledger.paid_total(locked)
    released = ledger.cancel_reservation(actor, locked)
    unused_paid = max(paid - used, ZERO)
    report.grant_used = used
    report.released = released
    report.unused_paid = unused_paid
    report.checked_by = actor
    report.checked_at = timezone.now()
    report.check_note = note.strip()
    report.save(
        update_fields=[
            "grant_used",
            "released",
            "unused_paid",
            "checked_by",
            "checked_at",
            "check_note",
        ]
    )
    published = _publish_practice_example(locked, report)
    name = "accept_report_repayment" if unused_paid > 0 else "accept_report"
    finish_transition(
        actor,
        locked,
        TRANSITIONS[name],
        fields=[],
        reason=note.strip(),
        note=note.strip(),
        data={
            "grant_used": str(used),
            "paid": str(paid),
            "released": str(released),
            "unused_paid": str(unused_paid),
            "practice_example": published,
        },
    )
    return report


def _publish_practice_example(application: Application, report: UsageReport) -> bool:
    """With the municipality's consent (a declaration of the application), the
    narrative becomes a Praxisbeispiel, tagged with topic, size class and region."""
    if not application.consents_to_publication or not report.narrative:
        return False
    municipality = application.municipality
    district = municipality.district
    PracticeExample.objects.update_or_create(
        application=application,
        defaults={
            "title": application.title,
            "narrative": report.narrative,
            "topic": application.topic,
            "size_class": municipality.size_class or "",
            "land_id": district.state_id,
            "region": district.name,
            "municipality_name": municipality.name,
            "year": application.programme.year,
        },
    )
    return True


def send_report_reminders(today: date) -> int:
    """Remind the municipality of its usage report a month before it is due and
    on the day (or on the next run after). Returns the number sent."""
    sent = 0
    owed = Application.objects.filter(state__in=REPORT_OWED).select_related("programme")
    for application in owed:
        due = application.report_due
        if due is None or today < add_months(due, -1):
            continue
        kind = ReminderKind.DUE if today >= due else ReminderKind.MONTH_BEFORE
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(
                application=application, kind=kind, due_on=due
            )
            if not created:
                continue
            when = formats.date_format(due, "SHORT_DATE_FORMAT")
            notices.tell_applicant(
                None,
                application,
                lambda when=when, kind=kind: (
                    (
                        _("the usage report is due today (%(date)s)")
                        if kind == ReminderKind.DUE
                        else _("the usage report is due on %(date)s")
                    )
                    % {"date": when}
                ),
            )
            sent += 1
    return sent

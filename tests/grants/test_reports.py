"""The usage report: three parts, figures that must add up, deviations above
20 % flagged, the staff check, the unpaid reservation back on the ledger,
reminders by a cron command; concurrent payout and release on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from community.models import Notification
from grants import reports
from grants.actions import payouts, workflow
from grants.actions import reports as report_actions
from grants.actions.reports import ReceiptData, ReportContent
from grants.models import (
    Application,
    BudgetLedger,
    ReportReminder,
    State,
    UsageReport,
    Vote,
)
from grants.permissions import GrantRefused
from tests.grants.conftest import submit


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def row(application) -> BudgetLedger:
    return BudgetLedger.objects.get(
        programme=application.programme, municipality=application.municipality
    )


def pay(clerk, staff, application, amount: str) -> None:
    made = payouts.request_call_off(
        clerk,
        application,
        amount=Decimal(amount),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(staff, made, paid_on=timezone.localdate())


@pytest.fixture
def paid_out(approved, clerk, assessor) -> Application:
    pay(clerk, assessor, approved, "3000.00")
    approved.refresh_from_db()
    return approved


def content(application, consultancy="3500.00", events="500.00", **overrides):
    """The plan spent as planned: 4.000,00 € costs, 1.000,00 € own funds."""
    fees, workshop = application.cost_lines.all()
    spent = {fees.pk: Decimal(consultancy), workshop.pk: Decimal(events)}
    receipts = [
        ReceiptData(fees.pk, timezone.localdate(), "Büro Weitblick", "Beratung", v)
        for v in [spent[fees.pk]]
        if v
    ] + [
        ReceiptData(workshop.pk, timezone.localdate(), "Gasthof Linde", "Saal", v)
        for v in [spent[workshop.pk]]
        if v
    ]
    fields = {
        "narrative": "Das Büro hat ein Nutzungskonzept mit dem Ort erarbeitet.",
        "own_funds": Decimal("1000.00"),
        "other_funding": Decimal("0.00"),
        "spent": spent,
        "receipts": receipts,
    }
    fields.update(overrides)
    return ReportContent(**fields)


def report(clerk, application, **kwargs) -> UsageReport:
    report_actions.save_report(
        clerk, application, content=content(application, **kwargs)
    )
    return report_actions.submit_report(clerk, application)


# --- Writing and submitting -----------------------------------------------------------


def test_a_report_whose_receipts_do_not_add_up_is_refused_and_nothing_changes(
    paid_out, clerk
):
    bad = content(paid_out)
    bad.receipts[0].amount = Decimal("3400.00")
    report_actions.save_report(clerk, paid_out, content=bad)
    with pytest.raises(GrantRefused) as refused:
        report_actions.submit_report(clerk, paid_out)
    assert (
        "„Beratungsbüro, 8 Tage“: Die Belege ergeben 3.400,00 €, im Nachweis "
        "stehen 3.500,00 €." in refused.value.message
    )
    paid_out.refresh_from_db()
    assert paid_out.state == State.PAID_OUT
    assert UsageReport.objects.get().submitted_at is None


def test_a_report_needs_its_narrative_and_its_receipts(paid_out, clerk):
    report_actions.save_report(
        clerk, paid_out, content=content(paid_out, narrative=" ", receipts=[])
    )
    with pytest.raises(GrantRefused) as refused:
        report_actions.submit_report(clerk, paid_out)
    assert "Sachbericht" in refused.value.message
    assert "Bitte führen Sie die Belege auf." in refused.value.message


def test_a_simple_report_needs_no_receipts(programme, paid_out, clerk):
    programme.allows_simple_report = True
    programme.save(update_fields=["allows_simple_report"])
    submitted = report(clerk, paid_out, receipts=[])
    assert submitted.simple
    assert not submitted.receipts.exists()


def test_a_report_waits_for_open_call_offs(approved, clerk):
    payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    with pytest.raises(GrantRefused, match="wartet noch auf die Auszahlung"):
        report(clerk, approved)


def test_only_the_municipality_writes_its_report(paid_out, assessor):
    with pytest.raises(GrantRefused):
        report_actions.save_report(assessor, paid_out, content=content(paid_out))
    assert not UsageReport.objects.exists()


# --- Deviations -----------------------------------------------------------------------


def flags(application, consultancy, events) -> list[str]:
    fees, workshop = application.cost_lines.all()
    figures = reports.line_figures(
        application,
        {fees.pk: Decimal(consultancy), workshop.pk: Decimal(events)},
        {},
    )
    return [f.flag for f in figures]


@pytest.mark.parametrize(
    ("consultancy", "events", "expected"),
    [
        # as planned
        ("3500.00", "500.00", ["", ""]),
        # 20 % exactly above the plan, offset by the other line: allowed
        ("3400.00", "600.00", ["", ""]),
        # 20 % and one cent above the plan: flagged even though offset
        ("3000.00", "600.01", ["", "mehr als 20 % über dem Plan"]),
        # 8.6 % above, offset by savings on the workshop: allowed
        ("3800.00", "100.00", ["", ""]),
        # 8.6 % above and the total above the plan: not offset
        (
            "3800.00",
            "300.00",
            ["über dem Plan und nicht durch Einsparungen ausgeglichen", ""],
        ),
    ],
)
def test_a_line_above_the_plan_is_flagged_unless_within_20_percent_and_offset(
    approved, consultancy, events, expected
):
    assert flags(approved, consultancy, events) == expected


def test_flagged_lines_are_named_in_the_audit_row_of_the_submission(paid_out, clerk):
    from audit.models import AuditLogEntry

    report(clerk, paid_out, consultancy="4300.00", events="0.00")
    entry = AuditLogEntry.objects.get(action="grants.application.submit_report")
    assert entry.data["flagged_lines"] == ["Beratungsbüro, 8 Tage"]


# --- The check and the ledger ---------------------------------------------------------


def test_accepting_a_report_spent_as_planned_closes_the_case(paid_out, clerk, assessor):
    report(clerk, paid_out)
    checked = report_actions.accept_report(assessor, paid_out, note="In Ordnung.")
    assert (checked.grant_used, checked.released, checked.unused_paid) == (
        Decimal("3000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    paid_out.refresh_from_db()
    assert paid_out.state == State.CLOSED
    budget = row(paid_out)
    assert (budget.reserved, budget.paid, budget.released) == (
        Decimal("0.00"),
        Decimal("3000.00"),
        Decimal("0.00"),
    )


def test_the_reservation_not_paid_out_is_released_and_available_again_this_year(
    approved, clerk, assessor
):
    pay(clerk, assessor, approved, "2000.00")
    report(clerk, approved, consultancy="2500.00", events="500.00")
    assert row(approved).available == Decimal("2000.00")

    checked = report_actions.accept_report(assessor, approved)

    assert (checked.grant_used, checked.released) == (
        Decimal("2000.00"),
        Decimal("1000.00"),
    )
    budget = row(approved)
    assert (budget.reserved, budget.paid) == (Decimal("0.00"), Decimal("2000.00"))
    assert budget.available == Decimal("3000.00")
    pot = BudgetLedger.objects.get(programme=approved.programme, municipality=None)
    assert pot.reserved == Decimal("0.00")
    approved.refresh_from_db()
    assert approved.state == State.CLOSED


def test_money_paid_out_and_not_used_is_recorded_to_be_repaid(
    paid_out, clerk, assessor
):
    report(clerk, paid_out, consultancy="3000.00", events="500.00")
    checked = report_actions.accept_report(assessor, paid_out)
    assert (checked.grant_used, checked.unused_paid) == (
        Decimal("2500.00"),
        Decimal("500.00"),
    )
    paid_out.refresh_from_db()
    assert paid_out.state == State.REPAYMENT_DUE


def test_staff_query_the_report_and_the_municipality_corrects_and_resubmits(
    paid_out, clerk, assessor
):
    report(clerk, paid_out)
    report_actions.query_report(
        assessor,
        paid_out,
        question="Bitte Kopien der Belege über 1.000 € einreichen.",
        deadline=timezone.localdate() + timedelta(days=14),
        sample=True,
    )
    paid_out.refresh_from_db()
    assert paid_out.state == State.REPORT_QUERY
    with pytest.raises(GrantRefused):
        report_actions.accept_report(assessor, paid_out)
    report_actions.save_report(clerk, paid_out, content=content(paid_out))
    report_actions.submit_report(clerk, paid_out, answer="Kopien anbei.")
    paid_out.refresh_from_db()
    assert paid_out.state == State.REPORT_SUBMITTED
    assert paid_out.queries.get().answer == "Kopien anbei."


# --- Due date and reminders -----------------------------------------------------------


def test_the_report_is_due_six_months_after_the_project_or_the_funding_period(
    approved, programme
):
    approved.ends_on = date(2026, 8, 31)
    assert approved.report_due == date(2027, 2, 28)
    programme.funding_period_ends_on = date(2026, 6, 30)
    approved.programme = programme
    assert approved.report_due == date(2026, 12, 30)


def test_reminders_go_out_a_month_before_and_on_the_day_once_each(
    paid_out, clerk, mayor, settings
):
    due = paid_out.report_due
    for day, expected in [
        (due - timedelta(days=40), 0),
        (due - timedelta(days=31), 1),
        (due - timedelta(days=20), 0),
        (due, 1),
        (due + timedelta(days=1), 0),
    ]:
        assert report_actions.send_report_reminders(day) == expected, day
    assert ReportReminder.objects.count() == 2
    titles = Notification.objects.filter(recipient=clerk).values_list(
        "title", flat=True
    )
    assert any("Verwendungsnachweis ist am" in t for t in titles)
    assert any("heute fällig" in t for t in titles)


def test_the_reminder_command_reports_what_it_sent(paid_out, capsys):
    call_command("grants_report_reminders")
    assert "0 reminder(s) sent." in capsys.readouterr().out


def test_a_submitted_report_is_not_reminded(paid_out, clerk):
    report(clerk, paid_out)
    assert report_actions.send_report_reminders(paid_out.report_due) == 0


# --- Concurrency on PostgreSQL --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_payout_and_release_on_one_municipality_book_both(
    make_draft, mayor, clerk, assessor, approver
):
    """A payout of one grant and the release of another grant's reservation
    lock the same ledger rows: both land, in either order."""
    grants = []
    for amount in ["2000.00", "3000.00"]:
        draft = make_draft(
            requested_amount=Decimal(amount),
            own_funds=Decimal("4000.00") - Decimal(amount),
        )
        submit(draft, mayor)
        workflow.start_check(assessor, draft)
        workflow.pass_check(assessor, draft)
        workflow.assess(assessor, draft, vote=Vote.APPROVE, reasons="Gut.")
        workflow.approve(approver, draft, amount=Decimal(amount), reasons="Ja.")
        grants.append(draft)
    paying, reporting = grants
    call = payouts.request_call_off(
        clerk,
        paying,
        amount=Decimal("2000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    pay(clerk, assessor, reporting, "1000.00")
    report(clerk, reporting, consultancy="1500.00", events="500.00")
    budget = row(paying)
    assert (budget.reserved, budget.paid) == (Decimal("4000.00"), Decimal("1000.00"))

    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(act) -> None:
        try:
            start.wait(timeout=60)
            act()
        except BaseException as problem:  # reported below
            failures.append(problem)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                lambda: payouts.release_payout(
                    assessor, call, paid_on=timezone.localdate()
                ),
            ),
        ),
        threading.Thread(
            target=run,
            args=(lambda: report_actions.accept_report(assessor, reporting),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    budget = row(paying)
    # 2.000 paid for the first grant; the second used 1.000 and gave 2.000 back.
    assert (budget.reserved, budget.paid) == (Decimal("0.00"), Decimal("3000.00"))
    assert budget.available == Decimal("2000.00")
    assert mail.outbox is not None

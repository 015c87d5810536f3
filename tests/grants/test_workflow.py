"""Every transition of the application workflow: one transaction that locks the
row, checks who acts and from which state, writes the state, an audit row with
the reasons and the history, and notifies the municipality after commit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from audit.models import AuditLogEntry
from community.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from grants.actions import workflow
from grants.models import BudgetLedger, HistoryEntry, State, Vote
from grants.permissions import GrantRefused
from grants.workflow import TRANSITIONS
from tests.grants.conftest import submit


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def audit(action: str) -> AuditLogEntry:
    return AuditLogEntry.objects.get(action=action)


def states(application) -> tuple[str, str]:
    event = HistoryEntry.objects.filter(application=application).last()
    return event.from_state, event.to_state


def test_the_workflow_is_one_table_of_transitions():
    assert list(TRANSITIONS) == [
        "submit",
        "start_check",
        "query",
        "answer",
        "resume_check",
        "pass_check",
        "assess",
        "approve",
        "reject",
        "pay_out",
        "submit_report",
        "query_report",
        "accept_report",
        "accept_report_repayment",
        "revoke",
        "record_repayment",
        "withdraw",
    ]
    for transition in TRANSITIONS.values():
        assert (
            transition.audit == f"grants.application.{transition.audit.split('.')[-1]}"
        )
        assert transition.target in State.values
        assert set(transition.sources) <= set(State.values)
    # Withdrawal is possible at any point before payout, never after a decision
    # that ended the procedure.
    assert State.APPROVED in TRANSITIONS["withdraw"].sources
    assert State.REJECTED not in TRANSITIONS["withdraw"].sources
    assert State.PAID_OUT not in TRANSITIONS["withdraw"].sources


def test_signatory_submits_with_priority_snapshot_audit_and_notifications(
    draft, mayor, clerk, staff_member, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=clerk, email=EmailFrequency.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(draft, mayor)

    assert application.state == State.SUBMITTED
    assert application.submitted_by == mayor
    assert application.submitted_at is not None
    # First application of a municipality under 5,000 inhabitants.
    assert application.priority_score == 15
    assert [line["code"] for line in application.priority_lines] == ["first", "size"]
    entry = audit("grants.application.submitted")
    assert entry.actor == mayor
    assert entry.data["from"] == "draft"
    assert entry.data["requested_amount"] == "3000.00"
    assert states(application) == ("draft", "submitted")
    # The municipality's other members and the Geschäftsstelle hear of it.
    told = set(
        Notification.objects.filter(kind=NotificationKind.GRANT).values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {clerk.email, staff_member.email}
    assert [m.to for m in mail.outbox] == [[clerk.email]]
    assert mail.outbox[0].subject == (
        f"Zukunftsraum: Antrag {application.reference} „Beratung zur Nachnutzung "
        "des Dorfgasthofs“: mit Bestätigung der zeichnungsberechtigten Person "
        "eingereicht"
    )


def test_formal_check_query_answer_and_pass(submitted, assessor, clerk):
    workflow.start_check(assessor, submitted)
    deadline = timezone.localdate() + timedelta(days=14)
    query = workflow.send_query(
        assessor,
        submitted,
        question="Bitte reichen Sie ein zweites Angebot ein.",
        deadline=deadline,
    )
    submitted.refresh_from_db()
    assert submitted.state == State.QUERY
    assert audit("grants.application.queried").reason.startswith("Bitte reichen")

    workflow.answer_query(clerk, submitted, answer="Das zweite Angebot liegt bei.")
    query.refresh_from_db()
    submitted.refresh_from_db()
    assert submitted.state == State.FORMAL_CHECK
    assert query.answered_by == clerk
    assert query.answer == "Das zweite Angebot liegt bei."
    assert audit("grants.application.answered").actor == clerk

    workflow.pass_check(assessor, submitted, note="Vollständig.")
    submitted.refresh_from_db()
    assert submitted.state == State.ASSESSMENT
    assert audit("grants.application.check_passed").reason == "Vollständig."
    assert audit("grants.application.check_started").actor == assessor


def test_check_resumes_without_answer_only_after_the_deadline(submitted, assessor):
    workflow.start_check(assessor, submitted)
    query = workflow.send_query(
        assessor,
        submitted,
        question="Wer trägt die Eigenmittel?",
        deadline=timezone.localdate() + timedelta(days=7),
    )
    with pytest.raises(GrantRefused, match=r"hat bis zum .* Zeit zu antworten"):
        workflow.resume_check(assessor, submitted, reason="Keine Antwort.")
    submitted.refresh_from_db()
    assert submitted.state == State.QUERY

    query.deadline = timezone.localdate() - timedelta(days=1)
    query.save(update_fields=["deadline"])
    workflow.resume_check(assessor, submitted, reason="Frist ohne Antwort verstrichen.")
    submitted.refresh_from_db()
    assert submitted.state == State.FORMAL_CHECK
    assert audit("grants.application.check_resumed").reason == (
        "Frist ohne Antwort verstrichen."
    )


def test_query_deadline_must_lie_in_the_future(submitted, assessor):
    workflow.start_check(assessor, submitted)
    with pytest.raises(GrantRefused, match="Frist muss in der Zukunft liegen"):
        workflow.send_query(
            assessor, submitted, question="Frage?", deadline=timezone.localdate()
        )
    submitted.refresh_from_db()
    assert submitted.state == State.FORMAL_CHECK


def test_assessment_is_a_written_vote_with_reasons(in_assessment, assessor):
    with pytest.raises(GrantRefused, match="Begründung des Votums"):
        workflow.assess(assessor, in_assessment, vote=Vote.APPROVE, reasons="  ")
    workflow.assess(
        assessor,
        in_assessment,
        vote=Vote.PARTIAL,
        amount=Decimal("2500.00"),
        reasons="Die Bürgerwerkstatt ist nicht förderfähig.",
    )
    in_assessment.refresh_from_db()
    assert in_assessment.state == State.ASSESSED
    assert in_assessment.assessed_by == assessor
    assert in_assessment.recommended_amount == Decimal("2500.00")
    entry = audit("grants.application.assessed")
    assert entry.data["vote"] == "partial"
    assert entry.reason == "Die Bürgerwerkstatt ist nicht förderfähig."


def test_approval_reserves_the_amount_and_tells_the_applicant(
    assessed, approver, clerk, mayor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(
            approver,
            assessed,
            amount=Decimal("2750.50"),
            reasons="Teilbewilligung: die Reisekosten sind zu hoch angesetzt.",
            conditions="Zwischenbericht nach drei Monaten.",
        )
    assessed.refresh_from_db()
    assert assessed.state == State.APPROVED
    assert assessed.approved_amount == Decimal("2750.50")
    assert assessed.decided_by == approver
    assert assessed.conditions == "Zwischenbericht nach drei Monaten."
    rows = {row.municipality_id: row for row in BudgetLedger.objects.all()}
    assert rows[None].reserved == Decimal("2750.50")
    assert rows[assessed.municipality_id].reserved == Decimal("2750.50")
    entry = audit("grants.application.approved")
    assert entry.actor == approver
    assert entry.reason == "Teilbewilligung: die Reisekosten sind zu hoch angesetzt."
    assert entry.data["amount"] == "2750.50"
    assert entry.data["partial"] is True
    assert entry.data["anbest"] == "ANBest-Gk"
    notified = Notification.objects.filter(title__endswith=": bewilligt")
    assert set(notified.values_list("recipient", flat=True)) == {clerk.pk, mayor.pk}


def test_rejection_states_its_reasons(assessed, approver):
    with pytest.raises(GrantRefused, match="Begründung"):
        workflow.reject(approver, assessed, reasons="")
    workflow.reject(approver, assessed, reasons="Kein Bezug zum demografischen Wandel.")
    assessed.refresh_from_db()
    assert assessed.state == State.REJECTED
    assert assessed.decision_reasons == "Kein Bezug zum demografischen Wandel."
    assert audit("grants.application.rejected").reason == (
        "Kein Bezug zum demografischen Wandel."
    )
    assert not BudgetLedger.objects.filter(reserved__gt=0).exists()


def test_withdrawal_after_approval_gives_the_reservation_back(approved, clerk):
    workflow.withdraw(
        clerk, approved, reason="Der Gemeinderat hat das Projekt gestoppt."
    )
    approved.refresh_from_db()
    assert approved.state == State.WITHDRAWN
    assert all(row.reserved == 0 for row in BudgetLedger.objects.all())
    entry = audit("grants.application.withdrawn")
    assert entry.data["cancelled_reservation"] == "3000.00"
    assert entry.reason == "Der Gemeinderat hat das Projekt gestoppt."


@pytest.mark.parametrize("fixture", ["draft", "submitted", "in_assessment", "assessed"])
def test_the_municipality_withdraws_at_any_point_before_payout(request, fixture, clerk):
    application = request.getfixturevalue(fixture)
    workflow.withdraw(clerk, application, reason="Nicht mehr nötig.")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_withdrawal_needs_a_reason(submitted, clerk):
    with pytest.raises(GrantRefused, match="Grund für die Rücknahme"):
        workflow.withdraw(clerk, submitted, reason=" ")
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("fixture", "step"),
    [
        ("submitted", "pass_check"),
        ("submitted", "assess"),
        ("submitted", "approve"),
        ("in_assessment", "approve"),
        ("in_assessment", "start_check"),
        ("approved", "reject"),
        ("approved", "approve"),
    ],
)
def test_a_transition_out_of_order_is_refused_and_changes_nothing(
    request, fixture, step, approver
):
    application = request.getfixturevalue(fixture)
    before = application.state
    audit_rows = AuditLogEntry.objects.count()
    calls = {
        "pass_check": lambda: workflow.pass_check(approver, application),
        "assess": lambda: workflow.assess(
            approver, application, vote=Vote.APPROVE, reasons="Gut."
        ),
        "approve": lambda: workflow.approve(
            approver, application, amount=Decimal("3000.00"), reasons="Gut."
        ),
        "reject": lambda: workflow.reject(approver, application, reasons="Nein."),
        "start_check": lambda: workflow.start_check(approver, application),
    }
    with pytest.raises(GrantRefused, match="Dieser Schritt ist nicht möglich"):
        calls[step]()
    application.refresh_from_db()
    assert application.state == before
    assert AuditLogEntry.objects.count() == audit_rows


def test_withdrawn_or_rejected_applications_cannot_be_withdrawn(approved, clerk):
    workflow.withdraw(clerk, approved, reason="Erledigt.")
    with pytest.raises(GrantRefused, match="Zurückgezogen"):
        workflow.withdraw(clerk, approved, reason="Nochmals.")


def test_the_applicant_cannot_take_staff_steps(submitted, mayor, clerk):
    with pytest.raises(GrantRefused, match="Nur die Geschäftsstelle"):
        workflow.start_check(mayor, submitted)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_staff_cannot_submit_for_a_municipality(draft, assessor):
    with pytest.raises(GrantRefused, match="Nur verifizierte Mitglieder von Musterau"):
        submit(draft, assessor)


def test_only_the_named_signatory_submits(draft, clerk):
    with pytest.raises(GrantRefused, match="Nur die im Antrag benannte"):
        submit(draft, clerk)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_assessor_cannot_approve_their_own_assessment(assessed, assessor):
    with pytest.raises(GrantRefused, match="Vier-Augen-Prinzip"):
        workflow.approve(
            assessor, assessed, amount=Decimal("3000.00"), reasons="Passt."
        )
    with pytest.raises(GrantRefused, match="Vier-Augen-Prinzip"):
        workflow.reject(assessor, assessed, reasons="Passt nicht.")
    assessed.refresh_from_db()
    assert assessed.state == State.ASSESSED
    assert not BudgetLedger.objects.filter(reserved__gt=0).exists()


def test_four_eyes_by_person_whatever_roles_they_hold(in_assessment, assessor):
    """A superuser who is staff (every role at once) still cannot decide on
    what they assessed."""
    assessor.is_superuser = True
    assessor.save(update_fields=["is_superuser"])
    workflow.assess(assessor, in_assessment, vote=Vote.APPROVE, reasons="Gut.")
    with pytest.raises(GrantRefused, match="Vier-Augen-Prinzip"):
        workflow.approve(
            assessor, in_assessment, amount=Decimal("3000.00"), reasons="Gut."
        )


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_decision_by_the_assessor(assessed, assessor):
    from grants.models import Application

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=assessed.pk).update(
            decided_by=assessor, decided_at=timezone.now()
        )
    # Deciding without any assessment is refused as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=assessed.pk).update(
            assessed_by=None, decided_by=assessor
        )


def test_staff_of_the_applicant_municipality_do_not_review_it(
    submitted, make_member, musterau
):
    colleague = make_member(name="Gerd Gemeinde", is_staff=True, municipality=musterau)
    with pytest.raises(GrantRefused, match="andere Person der Geschäftsstelle"):
        workflow.start_check(colleague, submitted)


def test_approval_checks_the_amount(assessed, approver):
    with pytest.raises(GrantRefused, match=r"beantragten 3\.000,00 €"):
        workflow.approve(approver, assessed, amount=Decimal("3000.01"), reasons="x")
    with pytest.raises(GrantRefused, match="Mindestbetrag"):
        workflow.approve(approver, assessed, amount=Decimal("499.99"), reasons="x")
    with pytest.raises(GrantRefused, match="höchstens zwei Nachkommastellen"):
        workflow.approve(approver, assessed, amount=Decimal("1000.001"), reasons="x")
    assessed.refresh_from_db()
    assert assessed.state == State.ASSESSED


def test_no_approval_of_a_project_that_started_before_it_without_early_start(
    assessed, approver, assessor
):
    from grants.models import Application

    started = timezone.localdate() - timedelta(days=2)
    Application.objects.filter(pk=assessed.pk).update(starts_on=started)
    with pytest.raises(GrantRefused, match="kein vorzeitiger Maßnahmebeginn"):
        workflow.approve(approver, assessed, amount=Decimal("3000.00"), reasons="x")

    Application.objects.filter(pk=assessed.pk).update(
        early_start_requested=True, early_start_reason="Förderfenster des Landes."
    )
    workflow.grant_early_start(assessor, assessed, reason="Fristgebunden, plausibel.")
    assert audit("grants.application.early_start_granted").reason == (
        "Fristgebunden, plausibel."
    )
    workflow.approve(approver, assessed, amount=Decimal("3000.00"), reasons="Gut.")
    assessed.refresh_from_db()
    assert assessed.state == State.APPROVED


def test_early_start_is_granted_once_and_only_by_staff(submitted, assessor, mayor):
    with pytest.raises(GrantRefused, match="Nur die Geschäftsstelle"):
        workflow.grant_early_start(mayor, submitted, reason="Bitte.")
    workflow.grant_early_start(assessor, submitted, reason="Begründet.")
    with pytest.raises(GrantRefused, match="bereits zugelassen"):
        workflow.grant_early_start(assessor, submitted, reason="Nochmals.")

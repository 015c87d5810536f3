"""The application page: what members and staff see and may do next."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from grants import forms as grant_forms
from grants import priority, queries, reports, rules
from grants.actions import reclaims as reclaim_actions
from grants.actions.workflow import default_deadline
from grants.models import Application, PayoutMode, ReclaimStatus, State
from grants.permissions import (
    GrantRefused,
    can_release_payouts,
    can_work_on,
    is_staff,
    is_verified_member_of,
)
from grants.workflow import (
    CALL_OFF_OPEN,
    IN_REVIEW,
    REPORT_OPEN,
    REVOCABLE,
    TRANSITIONS,
)


def _payout_context(user, application: Application, works_on: bool) -> dict:
    """The call-offs and what the member or staff can do with them."""
    if application.approved_amount is None:
        return {}
    money = queries.payouts_of(application)
    reimbursement = application.programme.payout_mode == PayoutMode.REIMBURSEMENT
    context = {
        "payouts": money,
        "call_offs": list(application.call_offs.all()),
        "reimbursement": reimbursement,
        "may_release": can_release_payouts(user, application),
    }
    if works_on and application.state in CALL_OFF_OPEN and money.left_to_call > 0:
        context["call_off_form"] = grant_forms.CallOffForm(
            initial={"amount": money.left_to_call}, reimbursement=reimbursement
        )
    if context["may_release"]:
        context["payout_form"] = grant_forms.PayoutForm(
            initial={"paid_on": timezone.localdate()}
        )
    return context


def _staff_forms(user, application: Application) -> dict:
    """The forms of the steps the Geschäftsstelle can take now."""
    state = application.state
    forms: dict = {}
    if state == State.FORMAL_CHECK:
        forms["query_form"] = grant_forms.QueryForm(
            initial={"deadline": default_deadline()}, prefix="query"
        )
        forms["pass_form"] = grant_forms.NoteForm(prefix="pass")
    elif state == State.QUERY:
        forms["resume_form"] = grant_forms.ReasonForm(prefix="resume")
    elif state == State.ASSESSMENT:
        forms["assess_form"] = grant_forms.AssessForm(prefix="assess")
    elif state == State.ASSESSED and application.assessed_by_id != user.pk:
        forms["approve_form"] = grant_forms.ApproveForm(
            initial={
                "amount": application.recommended_amount
                or application.requested_amount,
            },
            prefix="approve",
        )
        forms["reject_form"] = grant_forms.RejectForm(prefix="reject")
    if state == State.REPORT_SUBMITTED:
        forms["report_query_form"] = grant_forms.ReportQueryForm(
            initial={"deadline": default_deadline()}, prefix="report_query"
        )
        forms["accept_form"] = grant_forms.NoteForm(prefix="accept")
    if (
        state in IN_REVIEW
        and application.early_start_requested
        and application.early_start_granted_at is None
    ):
        forms["early_start_form"] = grant_forms.ReasonForm(prefix="early")
    return forms


def _reclaim_context(user, application: Application, staff: bool) -> dict:
    """Reclaims of the grant, the interest owed as of today, and the staff's forms."""
    found = list(application.reclaims.all())
    context: dict = {"reclaims": found}
    today = timezone.localdate()
    for reclaim in found:
        reclaim.interest_today = None
        if reclaim.status == ReclaimStatus.DUE:
            try:
                reclaim.interest_today = reclaim_actions.interest_due(reclaim, today)
            except GrantRefused:
                reclaim.interest_today = None
    if not staff:
        return context
    pending = [r for r in found if r.status in reclaim_actions.OPEN]
    if application.state in REVOCABLE and not pending:
        report = getattr(application, "report", None)
        unused = report.unused_paid if report is not None else None
        context["revocation_form"] = grant_forms.RevocationForm(
            initial={
                "due_on": today + timedelta(days=30),
                # After an accepted report: what was paid and not used.
                "scope": "partial" if unused else None,
                "amount": unused or None,
            },
            prefix="revoke",
        )
    context["repayment_form"] = grant_forms.RepaymentForm(
        initial={"repaid_on": today}, prefix="repaid"
    )
    return context


def render_detail(
    request: HttpRequest,
    application: Application,
    *,
    template: str = "grants/application_detail.html",
    status: int = 200,
    **forms,
) -> HttpResponse:
    user = request.user
    application = queries.with_details(application)
    works_on = can_work_on(user, application)
    staff = is_staff(user)
    today = timezone.localdate()
    context = {
        "application": application,
        "programme": application.programme,
        "priority": priority.explained(application.priority_lines),
        "works_on": works_on,
        "is_staff": staff,
        "is_signatory": application.signatory_id == user.pk and works_on,
        "can_edit": works_on and application.is_draft,
        "can_withdraw": works_on
        and application.state in TRANSITIONS["withdraw"].sources,
        "open_query": next(
            (q for q in reversed(application.queries.all()) if q.answered_at is None),
            None,
        ),
        "partner_to_confirm": next(
            (
                p
                for p in application.partners.all()
                if not p.is_confirmed
                and is_verified_member_of(user, p.municipality_id)
                and application.is_draft
            ),
            None,
        ),
        "history": list(application.history.all()),
        "today": today,
    }
    if works_on or staff:
        context["budget"] = queries.municipality_budget(
            application.programme, application.municipality
        )
    if application.is_draft and works_on:
        context["problems"] = rules.submission_problems(application, today=today)
    if works_on or staff:
        context.update(_payout_context(user, application, works_on))
    if application.approved_amount is not None and (works_on or staff):
        report = queries.report_of(application)
        if report is not None:
            context["report"] = report
            context["report_figures"] = reports.figures_of(report)
        context["can_report"] = works_on and application.state in REPORT_OPEN
        context.update(_reclaim_context(user, application, staff))
    if works_on and application.state == State.QUERY:
        context["answer_form"] = grant_forms.AnswerForm()
    if staff:
        context.update(_staff_forms(user, application))
        context["four_eyes_blocked"] = (
            application.state == State.ASSESSED
            and application.assessed_by_id == user.pk
        )
    context.update(forms)
    return render(request, template, context, status=status)

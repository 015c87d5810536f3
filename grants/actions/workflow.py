"""The transitions of an application, each one action run the same way.

Every transition is one transaction that
1. locks the application row,
2. checks the actor's capability and the source state (`grants.workflow`),
3. writes the new state and what the step decided,
4. writes the audit row (`grants.application.<verb>`, with the reasons) and
   the history entry the applicant sees,
5. notifies the applicant municipality's members (in-app and by e-mail after
   commit, per their setting).
Anything refused raises `GrantRefused` with a German message; nothing changed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from grants import priority, rules
from grants.actions import ledger, notices
from grants.actions.drafts import add_attachments
from grants.models import (
    ZERO,
    Application,
    CallOffStatus,
    HistoryEntry,
    Query,
    State,
    Vote,
)
from grants.models.money import format_eur
from grants.permissions import GrantRefused, check_capability, check_staff
from grants.workflow import IN_REVIEW, TRANSITIONS, Transition


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _out_of_order(application: Application, transition: Transition) -> str:
    if transition.name == "submit" and application.submitted_at is not None:
        return _("This application was submitted on %(date)s already.") % {
            "date": _date(timezone.localdate(application.submitted_at))
        }
    return _("This step is not possible while the application is “%(state)s”.") % {
        "state": application.get_state_display()
    }


def begin_transition(actor: User, application: Application, name: str):
    """Lock the row, then check who acts and from which state."""
    transition = TRANSITIONS[name]
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "municipality")
        .get(pk=application.pk)
    )
    check_capability(actor, locked, transition.capability)
    if locked.state not in transition.sources:
        raise GrantRefused(_out_of_order(locked, transition))
    return locked, transition


def finish_transition(
    actor: User,
    application: Application,
    transition: Transition,
    *,
    fields: list[str],
    reason: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    tell_staff: bool = False,
) -> Application:
    before = application.state
    application.state = transition.target
    application.updated_at = timezone.now()
    application.save(update_fields=["state", "updated_at", *fields])
    HistoryEntry.objects.create(
        application=application,
        name=transition.name,
        from_state=before,
        to_state=transition.target,
        actor=actor,
        note=note,
    )
    log_action(
        actor,
        transition.audit,
        target=application,
        reason=reason,
        data={"from": before, "to": transition.target, **(data or {})},
    )
    notices.tell_applicant(actor, application, transition.label)
    if tell_staff:
        notices.tell_staff(actor, application, transition.label)
    return application


def _require(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise GrantRefused(message)
    return text


# --- The applicant ------------------------------------------------------------------


@transaction.atomic
def submit(
    actor: User, application: Application, *, key: str, version: int
) -> tuple[Application, bool]:
    """The signatory's binding submission (the written-form step).

    `key` is the idempotency key of the confirmation form: the same key again
    (a double click, a retry after a lost response) returns the application as
    submitted by the first request, with `False` for "nothing new happened".
    `version` is the version the signatory read: a draft changed meanwhile is
    refused, so nobody confirms what they have not seen.
    """
    if not key:
        raise GrantRefused(_("The form has expired. Please open it again."))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.submission_key == key and locked.submitted_by_id == actor.pk:
        return locked, False
    locked, transition = begin_transition(actor, locked, "submit")
    if locked.version != version:
        raise GrantRefused(
            _(
                "The application was changed after you opened it. Please read the "
                "current version and confirm again."
            )
        )
    today = timezone.localdate()
    problems = rules.submission_problems(locked, today=today)
    if problems:
        raise GrantRefused(" ".join(problems))
    ledger.check_available(locked, locked.requested_amount)
    lines = priority.priority_lines(locked, on=today)
    locked.priority_lines = lines
    locked.priority_score = priority.score(lines)
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    locked.submission_key = key
    finish_transition(
        actor,
        locked,
        transition,
        fields=[
            "priority_lines",
            "priority_score",
            "submitted_at",
            "submitted_by",
            "submission_key",
        ],
        data={
            "requested_amount": str(locked.requested_amount),
            "version": locked.version,
            "priority_score": locked.priority_score,
            "signatory": actor.pk,
        },
        tell_staff=True,
    )
    return locked, True


@transaction.atomic
def answer_query(
    actor: User, application: Application, *, answer: str, files=()
) -> Application:
    locked, transition = begin_transition(actor, application, "answer")
    answer = _require(answer, _("Please write an answer."))
    query = (
        locked.queries.filter(answered_at__isnull=True).order_by("-asked_at").first()
    )
    if query is not None:
        query.answer = answer
        query.answered_by = actor
        query.answered_at = timezone.now()
        query.save(update_fields=["answer", "answered_by", "answered_at"])
    add_attachments(actor, locked, list(files))
    return finish_transition(
        actor, locked, transition, fields=[], note=answer, tell_staff=True
    )


@transaction.atomic
def withdraw(actor: User, application: Application, *, reason: str) -> Application:
    """The municipality withdraws its application at any point before payout.

    An approved application gives its reservation back to every cap.
    """
    locked, transition = begin_transition(actor, application, "withdraw")
    reason = _require(reason, _("Please give a reason for the withdrawal."))
    released = ZERO
    if locked.state == State.APPROVED:
        released = ledger.cancel_reservation(actor, locked)
        # Nothing was paid yet; call-offs still waiting lapse with the grant.
        locked.call_offs.filter(status=CallOffStatus.REQUESTED).update(
            status=CallOffStatus.REFUSED,
            refused_by=actor,
            refusal_reason=_("The application was withdrawn."),
        )
    return finish_transition(
        actor,
        locked,
        transition,
        fields=[],
        reason=reason,
        note=reason,
        data={"cancelled_reservation": str(released)},
        tell_staff=locked.state != State.DRAFT,
    )


# --- The Geschäftsstelle --------------------------------------------------------------


@transaction.atomic
def start_check(actor: User, application: Application) -> Application:
    locked, transition = begin_transition(actor, application, "start_check")
    return finish_transition(actor, locked, transition, fields=[])


@transaction.atomic
def send_query(
    actor: User, application: Application, *, question: str, deadline: date
) -> Query:
    locked, transition = begin_transition(actor, application, "query")
    question = _require(question, _("Please write the question."))
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
        data={"deadline": deadline.isoformat()},
    )
    return query


@transaction.atomic
def resume_check(actor: User, application: Application, *, reason: str) -> Application:
    """Continue without an answer, once the query's deadline has passed."""
    locked, transition = begin_transition(actor, application, "resume_check")
    query = (
        locked.queries.filter(answered_at__isnull=True).order_by("-asked_at").first()
    )
    if query is not None and query.deadline >= timezone.localdate():
        raise GrantRefused(
            _("The applicant has until %(date)s to answer.")
            % {"date": _date(query.deadline)}
        )
    reason = _require(reason, _("Please give a reason."))
    return finish_transition(
        actor, locked, transition, fields=[], reason=reason, note=reason
    )


@transaction.atomic
def pass_check(actor: User, application: Application, *, note: str = "") -> Application:
    locked, transition = begin_transition(actor, application, "pass_check")
    return finish_transition(actor, locked, transition, fields=[], reason=note.strip())


def _check_decision_amount(application: Application, amount: Decimal) -> None:
    problem = rules.amount_problem(amount)
    if problem:
        raise GrantRefused(problem)
    if amount > application.requested_amount:
        raise GrantRefused(
            _("The amount cannot exceed the requested %(requested)s.")
            % {"requested": format_eur(application.requested_amount)}
        )
    minimum = application.programme.minimum_amount
    if amount < minimum:
        raise GrantRefused(
            _("The minimum amount of the programme is %(minimum)s.")
            % {"minimum": format_eur(minimum)}
        )


@transaction.atomic
def assess(
    actor: User,
    application: Application,
    *,
    vote: str,
    reasons: str,
    amount: Decimal | None = None,
) -> Application:
    """The written vote with reasons. Whoever writes it does not decide."""
    locked, transition = begin_transition(actor, application, "assess")
    reasons = _require(reasons, _("Please give the reasons of the assessment."))
    if vote == Vote.APPROVE:
        amount = locked.requested_amount
    elif vote == Vote.PARTIAL:
        if amount is None:
            raise GrantRefused(_("Please enter the partial amount you recommend."))
        _check_decision_amount(locked, amount)
        if amount == locked.requested_amount:
            raise GrantRefused(_("A partial amount is less than the requested amount."))
    elif vote == Vote.REJECT:
        amount = None
    else:
        raise GrantRefused(_("Please choose a vote."))
    locked.vote = vote
    locked.recommended_amount = amount
    locked.assessment_reasons = reasons
    locked.assessed_by = actor
    locked.assessed_at = timezone.now()
    return finish_transition(
        actor,
        locked,
        transition,
        fields=[
            "vote",
            "recommended_amount",
            "assessment_reasons",
            "assessed_by",
            "assessed_at",
        ],
        reason=reasons,
        data={"vote": vote, "amount": str(amount) if amount is not None else None},
    )


@transaction.atomic
def approve(
    actor: User,
    application: Application,
    *,
    amount: Decimal,
    reasons: str,
    conditions: str = "",
) -> Application:
    """Approve the full or a partial amount and reserve it on the ledger.

    Checked again here, under the ledger's row locks: something else may have
    been approved since the submission.
    """
    locked, transition = begin_transition(actor, application, "approve")
    reasons = _require(reasons, _("Please give the statement of reasons."))
    _check_decision_amount(locked, amount)
    today = timezone.localdate()
    if (
        locked.starts_on
        and locked.starts_on < today
        and locked.early_start_granted_at is None
    ):
        raise GrantRefused(
            _(
                "The project starts on %(date)s, before this approval, and no early "
                "start was granted. Grant an early start first or reject the "
                "application."
            )
            % {"date": _date(locked.starts_on)}
        )
    ledger.reserve(actor, locked, amount)
    locked.approved_amount = amount
    locked.conditions = conditions.strip()
    locked.decision_reasons = reasons
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    return finish_transition(
        actor,
        locked,
        transition,
        fields=[
            "approved_amount",
            "conditions",
            "decision_reasons",
            "decided_by",
            "decided_at",
        ],
        reason=reasons,
        data={
            "amount": str(amount),
            "requested_amount": str(locked.requested_amount),
            "partial": amount < locked.requested_amount,
            "anbest": locked.programme.anbest_variant,
        },
    )


@transaction.atomic
def reject(actor: User, application: Application, *, reasons: str) -> Application:
    locked, transition = begin_transition(actor, application, "reject")
    reasons = _require(reasons, _("Please give the statement of reasons."))
    locked.decision_reasons = reasons
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    return finish_transition(
        actor,
        locked,
        transition,
        fields=["decision_reasons", "decided_by", "decided_at"],
        reason=reasons,
    )


@transaction.atomic
def grant_early_start(
    actor: User, application: Application, *, reason: str
) -> Application:
    """Allow the project to start before the approval (vorzeitiger
    Maßnahmebeginn): a decision of its own, logged, not a state change."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_staff(actor, locked)
    if locked.state not in IN_REVIEW:
        raise GrantRefused(
            _("An early start can be granted only while the application is in review.")
        )
    if locked.early_start_granted_at is not None:
        raise GrantRefused(_("An early start has been granted already."))
    reason = _require(reason, _("Please give a reason."))
    locked.early_start_granted_at = timezone.now()
    locked.early_start_granted_by = actor
    locked.save(update_fields=["early_start_granted_at", "early_start_granted_by"])
    HistoryEntry.objects.create(
        application=locked,
        name="early_start_granted",
        from_state=locked.state,
        to_state=locked.state,
        actor=actor,
        note=reason,
    )
    log_action(
        actor, "grants.application.early_start_granted", target=locked, reason=reason
    )
    notices.tell_applicant(
        actor, locked, lambda: _("early start granted (vorzeitiger Maßnahmebeginn)")
    )
    return locked


def default_deadline(today: date | None = None) -> date:
    """Two weeks: what the query form offers."""
    return (today or timezone.localdate()) + timedelta(days=14)

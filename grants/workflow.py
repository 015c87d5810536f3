"""The application workflow as one transition table, in plain Python.

    draft --submit--> submitted --start_check--> formal_check
    formal_check --query--> query --answer / resume_check--> formal_check
    formal_check --pass_check--> assessment --assess--> assessed
    assessed --approve--> approved | --reject--> rejected
    any state before payout --withdraw--> withdrawn
    approved --pay_out--> paid_out --pay_out--> paid_out (one per call-off)
    approved | paid_out | report_query --submit_report--> report_submitted
    report_submitted --query_report--> report_query (a question, or receipts)
    report_submitted --accept_report--> closed
    report_submitted --accept_report_repayment--> repayment_due
    paid_out | report_* | repayment_due | closed --revoke--> reclaim
    reclaim --record_repayment--> closed

Each transition names the states it leaves, the state it enters, who may take
it (a capability checked by `grants.permissions.check_capability`) and the
dotted name of its audit row. `grants.actions.workflow` runs every transition
the same way: lock the application row, check capability and source state,
write the state, the audit row and the history, notify after commit.

Mikroförderung II (payout, usage report, closing, reclaim) adds its states and
rows here; `withdraw` then stays limited to the states before payout.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grants.models import State

# Capabilities: who may take a transition.
SIGNATORY = "signatory"  # the authorised signatory the municipality named
APPLICANT = "applicant"  # any verified member of the applicant municipality
STAFF = "staff"  # the Geschäftsstelle
DECIDER = "decider"  # the Geschäftsstelle, but not the person who assessed
PAYER = "payer"  # the Geschäftsstelle, but not the person who approved


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    capability: str
    audit: str
    # What happened, for the history, notifications and buttons.
    label: Promise


BEFORE_PAYOUT = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.FORMAL_CHECK,
        State.QUERY,
        State.ASSESSMENT,
        State.ASSESSED,
        State.APPROVED,
    }
)

# States in which money was paid out and a revocation can reclaim it.
REVOCABLE = frozenset(
    {
        State.PAID_OUT,
        State.REPORT_SUBMITTED,
        State.REPORT_QUERY,
        State.REPAYMENT_DUE,
        State.CLOSED,
    }
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            frozenset({State.DRAFT}),
            State.SUBMITTED,
            SIGNATORY,
            "grants.application.submitted",
            _("submitted with the signatory's confirmation"),
        ),
        Transition(
            "start_check",
            frozenset({State.SUBMITTED}),
            State.FORMAL_CHECK,
            STAFF,
            "grants.application.check_started",
            _("formal check started"),
        ),
        Transition(
            "query",
            frozenset({State.FORMAL_CHECK}),
            State.QUERY,
            STAFF,
            "grants.application.queried",
            _("query sent to the applicant"),
        ),
        Transition(
            "answer",
            frozenset({State.QUERY}),
            State.FORMAL_CHECK,
            APPLICANT,
            "grants.application.answered",
            _("query answered"),
        ),
        Transition(
            "resume_check",
            frozenset({State.QUERY}),
            State.FORMAL_CHECK,
            STAFF,
            "grants.application.check_resumed",
            _("formal check resumed after the deadline"),
        ),
        Transition(
            "pass_check",
            frozenset({State.FORMAL_CHECK}),
            State.ASSESSMENT,
            STAFF,
            "grants.application.check_passed",
            _("formal check passed"),
        ),
        Transition(
            "assess",
            frozenset({State.ASSESSMENT}),
            State.ASSESSED,
            STAFF,
            "grants.application.assessed",
            _("assessed"),
        ),
        Transition(
            "approve",
            frozenset({State.ASSESSED}),
            State.APPROVED,
            DECIDER,
            "grants.application.approved",
            pgettext_lazy("grant application", "approved"),
        ),
        Transition(
            "reject",
            frozenset({State.ASSESSED}),
            State.REJECTED,
            DECIDER,
            "grants.application.rejected",
            _("rejected"),
        ),
        Transition(
            "pay_out",
            frozenset({State.APPROVED, State.PAID_OUT}),
            State.PAID_OUT,
            PAYER,
            "grants.application.paid_out",
            _("payout released"),
        ),
        Transition(
            "submit_report",
            frozenset({State.APPROVED, State.PAID_OUT, State.REPORT_QUERY}),
            State.REPORT_SUBMITTED,
            APPLICANT,
            "grants.application.submit_report",
            _("usage report submitted"),
        ),
        Transition(
            "query_report",
            frozenset({State.REPORT_SUBMITTED}),
            State.REPORT_QUERY,
            STAFF,
            "grants.application.query_report",
            _("query on the usage report"),
        ),
        Transition(
            "accept_report",
            frozenset({State.REPORT_SUBMITTED}),
            State.CLOSED,
            STAFF,
            "grants.application.accept_report",
            _("usage report accepted, case closed"),
        ),
        Transition(
            "accept_report_repayment",
            frozenset({State.REPORT_SUBMITTED}),
            State.REPAYMENT_DUE,
            STAFF,
            "grants.application.accept_report_repayment",
            _("usage report accepted; money paid out and not used is to be repaid"),
        ),
        Transition(
            "revoke",
            REVOCABLE,
            State.RECLAIM,
            STAFF,
            "grants.application.revoke",
            _("grant revoked; the amount is reclaimed"),
        ),
        Transition(
            "record_repayment",
            frozenset({State.RECLAIM}),
            State.CLOSED,
            STAFF,
            "grants.application.record_repayment",
            _("repayment received, case closed"),
        ),
        Transition(
            "withdraw",
            BEFORE_PAYOUT,
            State.WITHDRAWN,
            APPLICANT,
            "grants.application.withdrawn",
            _("withdrawn by the applicant"),
        ),
    ]
}

# States in which an application waits for the Geschäftsstelle (the queue).
IN_REVIEW = frozenset(
    {
        State.SUBMITTED,
        State.FORMAL_CHECK,
        State.QUERY,
        State.ASSESSMENT,
        State.ASSESSED,
    }
)


# States in which the municipality may call off approved money.
CALL_OFF_OPEN = frozenset({State.APPROVED, State.PAID_OUT})
# States in which the municipality writes (or corrects) its usage report.
REPORT_OPEN = frozenset({State.APPROVED, State.PAID_OUT, State.REPORT_QUERY})
# States in which a usage report is still owed (reminders go out).
REPORT_OWED = frozenset({State.APPROVED, State.PAID_OUT})


def available(state: str) -> list[Transition]:
    """The transitions that leave `state`, in table order."""
    return [t for t in TRANSITIONS.values() if state in t.sources]

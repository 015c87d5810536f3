"""What an application must satisfy: amounts, and completeness for submission.

Plain reads, no writes: forms use `amount_problem` for every money input,
`grants.actions` ask `submission_problems` before the signatory's submission
(and the draft page lists them, so members see what is missing early).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

from grants.models import (
    CENT,
    MAX_AMOUNT,
    ZERO,
    Application,
    AttachmentKind,
    CostCategory,
    DeMinimis,
    Purpose,
)
from grants.models.money import format_eur
from grants.periods import add_months
from grants.permissions import is_verified_member_of

# Regulation (EU) 2023/2831: de-minimis aid per undertaking over three years.
DE_MINIMIS_CEILING = Decimal("300000.00")


def amount_problem(value: Decimal, *, allow_zero: bool = False) -> str | None:
    """Why `value` is no valid euro amount here, or None."""
    try:
        exact = value == value.quantize(CENT)
    except InvalidOperation:
        return _("Please enter an amount in euros, e.g. 4.250,00.")
    if not value.is_finite():
        return _("Please enter an amount in euros, e.g. 4.250,00.")
    if not exact:
        return _("Please enter at most two decimal places (cents).")
    if value < ZERO or (value == ZERO and not allow_zero):
        if allow_zero:
            return _("The amount cannot be negative.")
        return _("The amount must be greater than zero.")
    if value > MAX_AMOUNT:
        return _("Amounts above %(max)s are not possible here.") % {
            "max": format_eur(MAX_AMOUNT)
        }
    return None


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def submission_problems(application: Application, *, today: date) -> list[str]:
    """Everything that keeps the application from being submitted today."""
    programme = application.programme
    problems: list[str] = []
    if not programme.is_open(today):
        problems.append(
            _(
                "Applications to %(programme)s can be submitted from %(opens)s "
                "to %(closes)s."
            )
            % {
                "programme": programme,
                "opens": _date(programme.opens_on),
                "closes": _date(programme.closes_on),
            }
        )
    required = [
        (application.summary, _("Please write a summary of the project.")),
        (
            application.demographic_change,
            _("Please explain how the project addresses demographic change."),
        ),
        (application.purpose, _("Please choose the purpose of the grant.")),
        (application.topic, _("Please choose a topic.")),
        (application.starts_on, _("Please enter the start date.")),
        (application.ends_on, _("Please enter the end date.")),
    ]
    problems += [message for value, message in required if not value]
    if application.purpose and application.purpose not in programme.purposes:
        problems.append(
            _("%(programme)s does not fund this purpose.") % {"programme": programme}
        )
    problems += _date_problems(application, today)
    problems += _money_problems(application)
    problems += _partner_problems(application)
    problems += _declaration_problems(application)
    if application.signatory_id is None:
        problems.append(_("Please name the authorised signatory of the municipality."))
    elif not is_verified_member_of(application.signatory, application.municipality_id):
        problems.append(
            _("The authorised signatory must be a verified member of %(municipality)s.")
            % {"municipality": application.municipality}
        )
    return problems


def _date_problems(application: Application, today: date) -> list[str]:
    starts_on = application.starts_on
    problems = []
    if (
        starts_on
        and starts_on < today
        and application.early_start_granted_at is None
        and not application.early_start_requested
    ):
        problems.append(
            _(
                "The project must not start before the approval. Choose a later "
                "start date or request an early start."
            )
        )
    if application.early_start_requested and not application.early_start_reason.strip():
        problems.append(_("Please give the reason for the early start."))
    if starts_on and application.ends_on and application.ends_on < starts_on:
        problems.append(_("The project cannot end before it starts."))
    return problems


def _money_problems(application: Application) -> list[str]:
    programme = application.programme
    problems = []
    lines = list(application.cost_lines.all())
    if not lines:
        problems.append(_("Please enter the costs in the cost plan."))
    requested = application.requested_amount
    if requested is None:
        problems.append(_("Please enter the requested amount."))
        return problems
    if requested < programme.minimum_amount:
        problems.append(
            _("The minimum amount of %(programme)s is %(minimum)s.")
            % {"programme": programme, "minimum": format_eur(programme.minimum_amount)}
        )
    if requested > programme.cap_per_municipality:
        problems.append(
            _("A municipality can receive at most %(cap)s per calendar year.")
            % {"cap": format_eur(programme.cap_per_municipality)}
        )
    gap = application.financing_gap
    if lines and gap != ZERO:
        problems.append(
            _(
                "The financing plan does not balance: the costs are %(costs)s, own "
                "funds, other funding and the requested amount add up to "
                "%(financing)s (difference %(gap)s)."
            )
            % {
                "costs": format_eur(application.total_costs),
                "financing": format_eur(application.financing_total),
                "gap": format_eur(abs(gap)),
            }
        )
    if requested > application.total_costs and lines:
        problems.append(_("The requested amount cannot exceed the costs."))
    return problems


def _partner_problems(application: Application) -> list[str]:
    partners = list(application.partners.all())
    if application.purpose == Purpose.NETWORKING:
        if not partners:
            return [_("A networking project needs at least one partner municipality.")]
        waiting = [str(p.municipality) for p in partners if not p.is_confirmed]
        if waiting:
            return [
                _(
                    "These partner municipalities have not confirmed their "
                    "participation yet: %(names)s."
                )
                % {"names": ", ".join(waiting)}
            ]
    elif partners and application.purpose:
        return [_("Partner municipalities belong to networking projects only.")]
    return []


def _declaration_problems(application: Application) -> list[str]:
    problems = []
    declarations = [
        (
            application.declares_not_started,
            _("Please declare that the project has not started yet."),
        ),
        (
            application.declares_no_double_funding,
            _("Please declare that there is no double funding."),
        ),
        (
            application.declares_procurement,
            _("Please declare that the procurement rules are followed."),
        ),
        (
            application.consents_to_publication,
            _("Please consent to the publication of the results."),
        ),
    ]
    problems += [message for given, message in declarations if not given]
    needs_quote = any(
        line.category == CostCategory.CONSULTANCY_FEES
        for line in application.cost_lines.all()
    )
    has_quote = any(
        attachment.kind == AttachmentKind.QUOTE
        for attachment in application.attachments.all()
    )
    if needs_quote and not has_quote:
        problems.append(
            _(
                "Please attach at least one quote for the consultancy "
                "(procurement rules)."
            )
        )
    if application.programme.de_minimis:
        problems += _de_minimis_problems(application)
    return problems


def _de_minimis_problems(application: Application) -> list[str]:
    if not application.de_minimis:
        return [_("Please answer the de-minimis question.")]
    if application.de_minimis != DeMinimis.DECLARED:
        return []
    received = application.de_minimis_received
    if received is None:
        return [_("Please enter the de-minimis aid received in the last three years.")]
    if received + (application.requested_amount or ZERO) > DE_MINIMIS_CEILING:
        return [
            _(
                "With this grant the de-minimis aid would exceed %(ceiling)s in three "
                "years."
            )
            % {"ceiling": format_eur(DE_MINIMIS_CEILING)}
        ]
    return []


def call_off_too_early(needed_on: date, *, today: date) -> bool:
    """ANBest-Gk 1.2: money is called off only as far as it is needed within
    two months after the payout."""
    return needed_on > add_months(today, 2)

"""Staff keep the programmes; the ledger rows follow their caps."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from grants.actions.ledger import ensure_pot
from grants.models import BudgetLedger, Programme
from grants.models.money import format_eur
from grants.permissions import GrantRefused

# Fields whose change the audit log records with old and new value.
LOGGED_FIELDS = [
    "title",
    "year",
    "budget",
    "cap_per_municipality",
    "minimum_amount",
    "allows_consultancy",
    "allows_networking",
    "opens_on",
    "closes_on",
    "weight_structurally_weak",
    "weight_first_application",
    "weight_small",
    "weight_medium",
    "weight_weak_partner",
    "partner_split",
    "anbest_variant",
    "payout_mode",
    "allows_simple_report",
    "funding_period_ends_on",
    "de_minimis",
]


def limit_problems(programme: Programme) -> list[str]:
    """Why the programme's budget or cap cannot be set so low (or its year moved)."""
    if programme.pk is None:
        return []
    rows = BudgetLedger.objects.filter(programme=programme)
    problems = []
    pot = rows.filter(municipality__isnull=True).first()
    if pot is not None and programme.budget < pot.committed:
        problems.append(
            _("%(committed)s of the budget is committed already.")
            % {"committed": format_eur(pot.committed)}
        )
    highest = rows.filter(municipality__isnull=False).aggregate(
        most=Max(F("reserved") + F("paid") - F("released"))
    )["most"]
    if highest is not None and programme.cap_per_municipality < highest:
        problems.append(
            _("A municipality has %(committed)s committed already in this programme.")
            % {"committed": format_eur(highest)}
        )
    saved_year = (
        Programme.objects.filter(pk=programme.pk).values_list("year", flat=True).first()
    )
    if saved_year != programme.year and programme.applications.exists():
        problems.append(_("The year of a programme with applications cannot change."))
    return problems


@transaction.atomic
def save_programme(actor: User, programme: Programme) -> Programme:
    """Create or change a programme; its ledger rows take the new caps.

    Locks the pot, then the municipalities' rows in AGS order (the ledger's
    order), so that no approval books against a cap that is changing.
    """
    is_new = programme.pk is None
    before = {}
    if not is_new:
        list(
            BudgetLedger.objects.select_for_update().filter(
                programme=programme, municipality__isnull=True
            )
        )
        list(
            BudgetLedger.objects.select_for_update()
            .filter(programme=programme, municipality__isnull=False)
            .order_by("municipality_id")
        )
        old = Programme.objects.get(pk=programme.pk)
        before = {name: getattr(old, name) for name in LOGGED_FIELDS}
    problems = limit_problems(programme)
    if problems:
        raise GrantRefused(" ".join(problems))
    programme.save()
    ensure_pot(programme)
    rows = BudgetLedger.objects.filter(programme=programme)
    rows.filter(municipality__isnull=True).update(cap=programme.budget)
    rows.filter(municipality__isnull=False).update(
        cap=programme.cap_per_municipality, year=programme.year
    )
    changes = {
        name: [str(before.get(name)), str(getattr(programme, name))]
        for name in LOGGED_FIELDS
        if is_new or before.get(name) != getattr(programme, name)
    }
    log_action(
        actor,
        "grants.programme.created" if is_new else "grants.programme.changed",
        target=programme,
        data=changes,
    )
    return programme

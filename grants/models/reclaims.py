"""Revocation and reclaim of a grant (§§ 48, 49, 49a VwVfG).

A revocation is proposed by one member of the Geschäftsstelle and decided by
another (four eyes, held by a CHECK constraint as well). It creates the claim:
the amount, the due date, and interest of 5 percentage points above the base
rate (§ 247 BGB) per year from the payout to the repayment, computed date-exact
from the dated base rates kept here by staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.money import money_field


class BaseRate(models.Model):
    """The base rate (Basiszinssatz, § 247 BGB) from a date on; the Bundesbank
    publishes it for 1 January and 1 July."""

    valid_from = models.DateField(_("valid from"), unique=True)
    rate = models.DecimalField(
        _("base rate in percent"), max_digits=5, decimal_places=2
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base rate")
        verbose_name_plural = _("base rates")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.rate} %"


class RevocationScope(models.TextChoices):
    FULL = "full", _("full revocation")
    PARTIAL = "partial", _("partial revocation")


class LegalBasis(models.TextChoices):
    UNLAWFUL = "48", _("§ 48 VwVfG (withdrawal of an unlawful decision)")
    NOT_USED = "49_3_1", _("§ 49 (3) no. 1 VwVfG (not used, or not for its purpose)")
    CONDITION = "49_3_2", _("§ 49 (3) no. 2 VwVfG (a condition not fulfilled)")


class ReclaimStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, awaiting the second person")
    DUE = "due", _("decided, repayment due")
    REPAID = "repaid", _("repaid")


def _user(**options) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options
    )


class Reclaim(models.Model):
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="reclaims"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReclaimStatus.choices,
        default=ReclaimStatus.PROPOSED,
    )
    scope = models.CharField(_("scope"), max_length=10, choices=RevocationScope.choices)
    legal_basis = models.CharField(
        _("legal basis"), max_length=10, choices=LegalBasis.choices
    )
    reasons = models.TextField(_("statement of reasons"), max_length=5000)
    amount = money_field(_("amount reclaimed"))
    due_on = models.DateField(_("due on"))
    proposed_by = _user(verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = _user(null=True, blank=True, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    interest = money_field(_("interest"), null=True, blank=True)
    repayment_recorded_by = _user(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("reclaim")
        verbose_name_plural = _("reclaims")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grants_reclaim_positive"
            ),
            # Four eyes by person: whoever proposed does not decide.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="grants_reclaim_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status=ReclaimStatus.PROPOSED)
                | Q(decided_by__isnull=False),
                name="grants_reclaim_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReclaimStatus.REPAID)
                | (Q(repaid_on__isnull=False) & Q(interest__gte=0)),
                name="grants_reclaim_repaid_has_date_and_interest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount} ({self.get_status_display()})"
